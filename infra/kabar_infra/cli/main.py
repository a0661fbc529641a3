"""``kabar``: the editors' command line.

By default it talks to the local stack (``.kabar/local.json``, written by
``make run`` and found from any directory of the repository), as its editor (or,
for ``kabar comments``, its moderator). For a deployed stack, give ``--api`` and a
Cognito sign-in (``--client-id``, ``--username``, or KABAR_API, KABAR_CLIENT_ID,
KABAR_USERNAME; the password in KABAR_PASSWORD or at a prompt; the TOTP code with
``--mfa-code`` or at a prompt), or a ready ID token in KABAR_TOKEN. Tokens are
cached in ~/.config/kabar (XDG_CONFIG_HOME) and renewed with the refresh token.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from kabar_infra.cli import authors, comments, images, keys, ops, related, scheduled, social, tags, webhooks
from kabar_infra.cli.auth import Prompter, SignInError, TokenCache, sign_out
from kabar_infra.cli.client import ApiError, Credentials, KabarClient, load_local_config
from kabar_infra.cli.config import ConfigNotFound, find_local_config, unreachable
from kabar_infra.cli.keys import RotationRefused

EXIT_REJECTED = 1
EXIT_ERROR = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kabar", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--config", type=Path, help="local stack settings (default: KABAR_CONFIG, or "
                        ".kabar/local.json here or in a directory above)")  # fmt: skip
    parser.add_argument("--api", default=os.environ.get("KABAR_API"),
                        help="the editors' API URL of a deployed stack (Outputs: ApiUrl)")  # fmt: skip
    parser.add_argument("--region", default=os.environ.get("AWS_REGION", "us-east-1"))
    parser.add_argument("--client-id", default=os.environ.get("KABAR_CLIENT_ID"),
                        help="Cognito user pool client id (Outputs: UserPoolClientId)")  # fmt: skip
    parser.add_argument("--username", default=os.environ.get("KABAR_USERNAME"),
                        help="the editor's (or moderator's) user name")  # fmt: skip
    parser.add_argument("--mfa-code", help="the code your authenticator app shows now (else a prompt asks)")
    parser.add_argument("--json", action="store_true", help="print answers as JSON")
    commands = parser.add_subparsers(dest="command", required=True)
    upload = commands.add_parser("upload", help=(
        "upload articles (each with the images it names: kabar upload story.md photo.jpg) or images "
        "alone (into the library) and wait for the outcome"))  # fmt: skip
    upload.add_argument("files", nargs="+", type=Path)
    upload.add_argument("--no-wait", action="store_true", help="print the upload id and return")
    upload.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for each outcome")
    status = commands.add_parser("status", help="what became of an upload")
    status.add_argument("upload_id")
    commands.add_parser("sign-in", help="sign in to a deployed stack (--api) and cache the tokens")
    commands.add_parser("sign-out", help="revoke and forget the cached tokens (--api)")
    tags.add_commands(commands)
    authors.add_commands(commands)
    scheduled.add_commands(commands)
    webhooks.add_commands(commands)
    social.add_commands(commands)
    related.add_commands(commands)
    comments.add_commands(commands)
    images.add_commands(commands)
    keys.add_commands(ops.add_commands(commands))
    return parser


def _credentials(args: argparse.Namespace) -> Credentials:
    if not (args.client_id and args.username):
        raise SystemExit("kabar: --api needs KABAR_TOKEN, or --client-id and --username (or KABAR_CLIENT_ID, "
                         "KABAR_USERNAME)")  # fmt: skip
    return Credentials(args.client_id, args.username, os.environ.get("KABAR_PASSWORD"), args.region)


def _client(args: argparse.Namespace, role: str = "editor") -> KabarClient:
    """Signed in as the given user, or on the local stack as its ``role`` (editor, moderator)."""
    token = os.environ.get("KABAR_TOKEN")
    if args.api:
        if token is None:
            token = _credentials(args).id_token(Prompter(args.mfa_code), TokenCache())
        return KabarClient(args.api, token)
    config = _local(args)
    user = config[role]
    if token is None:
        credentials = Credentials(user["client_id"], user["username"], user["password"],
                                  config["region"], config["aws_endpoint_url"])  # fmt: skip
        token = credentials.id_token(Prompter(args.mfa_code))
    return KabarClient(config["api_url"], token)


def _local(args: argparse.Namespace) -> dict[str, Any]:
    """The local stack's settings (remembered in ``args.local_config`` for error messages)."""
    try:
        path = find_local_config(args.config)
    except ConfigNotFound as exc:
        raise SystemExit(f"kabar: {exc}") from None
    args.local_config = path
    return load_local_config(path)


def _session(args: argparse.Namespace) -> int:
    """sign-in and sign-out (a deployed stack's tokens; the local stack signs in every time)."""
    if not args.api:
        raise SystemExit(f"kabar: {args.command} is for a deployed stack: give --api (or KABAR_API)")
    credentials, cache = _credentials(args), TokenCache()
    if args.command == "sign-out":
        revoked = sign_out(credentials.cognito(), credentials.client_id, cache, credentials.cache_key)
        name = credentials.username
        print(f"signed out {name} ({revoked})" if revoked else f"{name} was not signed in")
        return 0
    credentials.id_token(Prompter(args.mfa_code), cache)
    print(f"signed in as {credentials.username} (tokens in {cache.path})")
    return 0


def _ops(args: argparse.Namespace) -> int:
    import boto3

    if args.ops_command != "rotate-comment-key":  # AWS itself (queues, streams, functions), not the API
        return ops.main(args)
    if args.secret_id or args.stack:
        return keys.run(args, lambda service: boto3.client(service, region_name=args.region), None)  # type: ignore[call-overload]
    config = _local(args)
    options = {"region_name": config["region"], "endpoint_url": config["aws_endpoint_url"],
               "aws_access_key_id": "local", "aws_secret_access_key": "local"}  # fmt: skip
    secret = config.get("resources", {}).get("CommentSecret")
    return keys.run(args, lambda service: boto3.client(service, **options), secret)  # type: ignore[call-overload]


def _describe(name: str, status: dict[str, Any]) -> str:
    text = _outcome(name, status)
    ignored = [f"  ignored {f['key']}: {f['message']}" for f in status.get("ignored_files", [])]
    return "\n".join([text, *ignored])


def _outcome(name: str, status: dict[str, Any]) -> str:
    state = status["state"]
    if state == "expired":
        return f"expired {name}: upload {status['upload_id']} got no file before its ticket expired"
    if state == "published":
        article = status["article"]
        note = " (unchanged)" if status.get("unchanged") else ""
        if article["status"] == "draft":
            line = f"published {name}: draft {article['slug']} (not public){note}"
        else:
            line = f"published {name}: {article.get('url') or article['path']}{note}"
        lines = [line] + [f"  warning {w['field']}: {w['message']}" for w in status.get("warnings", [])]
        return "\n".join(lines)
    if state == "scheduled":
        slug, given, utc = status["article"]["slug"], status.get("release_at_given"), status.get("release_at")
        return (f"scheduled {name}: {slug} goes public at {given} ({utc} UTC); nothing is public "
                "before then (kabar scheduled)")  # fmt: skip
    if state in ("superseded", "cancelled"):
        by = status.get("superseded_by") or "?"
        then = f"by upload {by}" if state == "superseded" else f"by {by}; the article is kept as a draft"
        return f"{state} {name}: its schedule was replaced {then}"
    if state == "stored":
        return (
            f"stored {name}: image {status['image']['id']} in the library (name it as image: {{src: <id>}})"
        )
    if state == "waiting":
        return f"waiting {name}: upload {status['upload_id']} waits for its images"
    if state == "rejected":
        return "\n".join(
            [f"rejected {name}:"] + [f"  - {e['field']}: {e['message']}" for e in status["errors"]]
        )
    return f"pending {name}: upload {status['upload_id']} is not processed yet"


def _upload(args: argparse.Namespace, client: KabarClient) -> int:
    from kabar_infra.cli import uploads

    return uploads.run(args, client, _outcome)


def _run(args: argparse.Namespace) -> int:
    """A command that needs a stack: signed in through its API, or ops on its resources."""
    if args.command in ("sign-in", "sign-out"):
        return _session(args)
    if args.command == "ops":
        return _ops(args)
    if args.command == "images":
        return ops.main(args, images.run)
    if args.command == "scheduled" and args.failed:
        return ops.main(args, scheduled.run_failed)
    role = {"comments": "moderator", "webhooks": "admin"}.get(args.command, "editor")
    client = _client(args, role)
    if args.command == "webhooks":
        return webhooks.run_remote(args, client)
    if args.command == "social":
        return social.run_remote(args, client)
    if args.command == "comments":
        return comments.run_remote(args, client)
    if args.command == "tags":
        return tags.run_remote(args, client)
    if args.command == "authors":
        return authors.run_remote(args, client)
    if args.command == "scheduled":
        return scheduled.run_remote(args, client)
    if args.command == "status":
        status = client.status(args.upload_id)
        from kabar_infra.cli.uploads import describe

        described = describe(status["filename"], status, _describe(status["filename"], status))
        print(json.dumps(status, indent=2) if args.json else described)
        return EXIT_REJECTED if status["state"] == "rejected" else 0
    return _upload(args, client)


def _on_files(args: argparse.Namespace) -> int:
    """The functions' own code on files: no AWS, no API."""
    local = {"related": related.run, "comments": comments.run, "tags": tags.run, "authors": authors.run_local}
    try:
        return local[args.command](args)
    except (ValueError, OSError) as exc:  # lines.InputError is a ValueError
        print(f"kabar: {exc}", file=sys.stderr)
        return EXIT_ERROR


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if (
        args.command == "related"
        or (
            args.command == "comments"
            and args.comments_command in comments.LOCAL_COMMANDS
            and not getattr(args, "stack_names", False)
        )
        or (args.command == "tags" and args.tags_command == "suggest")
        or (args.command == "authors" and args.authors_command == "slug")
    ):
        return _on_files(args)
    try:
        return _run(args)
    except ApiError as exc:
        print(f"kabar: {exc}", file=sys.stderr)
        for error in (exc.body.get("errors") or []) if isinstance(exc.body, dict) else []:
            print(f"  - {error['field']}: {error['message']}", file=sys.stderr)
        return EXIT_ERROR
    except (SignInError, RotationRefused) as exc:
        print(f"kabar: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:
        url = unreachable(exc)  # a stack that is not running: one line, not a traceback
        if url is not None:
            print(f"kabar: {_unreachable_message(args, url)}", file=sys.stderr)
        elif isinstance(exc, (OSError, ValueError)):  # lines.InputError is a ValueError
            print(f"kabar: {exc}", file=sys.stderr)
        else:
            raise
        return EXIT_ERROR


def _unreachable_message(args: argparse.Namespace, url: str) -> str:
    local = getattr(args, "local_config", None)
    if local is not None:
        return f"cannot reach the local stack at {url} (settings: {local}): is 'make run' going?"
    return f"cannot reach {url}: check --api (or KABAR_API) and the network"


if __name__ == "__main__":
    sys.exit(main())
