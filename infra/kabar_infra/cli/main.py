"""``kabar``: the editors' command line.

By default it talks to the local stack (``.kabar/local.json``, written by
``make run``), as its editor (or, for ``kabar comments``, its moderator). For a
deployed stack, give ``--api`` and a Cognito sign-in (``--client-id``,
``--username``, and the password in ``KABAR_PASSWORD``), or a ready ID token in
``KABAR_TOKEN``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from kabar_infra.cli import comments, ops, related, tags
from kabar_infra.cli.client import ApiError, Credentials, KabarClient, load_local_config

EXIT_REJECTED = 1
EXIT_ERROR = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kabar", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    default_config = Path(os.environ.get("KABAR_CONFIG", ".kabar/local.json"))
    parser.add_argument("--config", type=Path, default=default_config,
                        help="local stack settings (default: .kabar/local.json)")  # fmt: skip
    parser.add_argument("--api", help="the editors' API URL of a deployed stack (Outputs: ApiUrl)")
    parser.add_argument("--region", default=os.environ.get("AWS_REGION", "us-east-1"))
    parser.add_argument("--client-id", help="Cognito user pool client id (Outputs: UserPoolClientId)")
    parser.add_argument("--username", help="the editor's (or moderator's) user name")
    parser.add_argument("--json", action="store_true", help="print answers as JSON")
    commands = parser.add_subparsers(dest="command", required=True)
    upload = commands.add_parser("upload", help="upload article files and wait for the outcome")
    upload.add_argument("files", nargs="+", type=Path)
    upload.add_argument("--no-wait", action="store_true", help="print the upload id and return")
    upload.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for each outcome")
    status = commands.add_parser("status", help="what became of an upload")
    status.add_argument("upload_id")
    tags.add_commands(commands)
    related.add_commands(commands)
    comments.add_commands(commands)
    ops.add_commands(commands)
    return parser


def _client(args: argparse.Namespace, role: str = "editor") -> KabarClient:
    """Signed in as the given user, or on the local stack as its ``role`` (editor, moderator)."""
    token = os.environ.get("KABAR_TOKEN")
    if args.api:
        if token is None:
            password = os.environ.get("KABAR_PASSWORD")
            if not (args.client_id and args.username and password):
                raise SystemExit(
                    "kabar: --api needs KABAR_TOKEN, or --client-id, --username and KABAR_PASSWORD"
                )
            token = Credentials(args.client_id, args.username, password, args.region).id_token()
        return KabarClient(args.api, token)
    if not args.config.exists():
        raise SystemExit(f"kabar: no {args.config}: start the local stack with 'make run', or give --api")
    config = load_local_config(args.config)
    user = config[role]
    if token is None:
        token = Credentials(user["client_id"], user["username"], user["password"],
                            config["region"], config["aws_endpoint_url"]).id_token()  # fmt: skip
    return KabarClient(config["api_url"], token)


def _describe(name: str, status: dict[str, Any]) -> str:
    state = status["state"]
    if state == "published":
        article = status["article"]
        note = " (unchanged)" if status.get("unchanged") else ""
        if article["status"] == "draft":
            line = f"published {name}: draft {article['slug']} (not public){note}"
        else:
            line = f"published {name}: {article.get('url') or article['path']}{note}"
        lines = [line] + [f"  warning {w['field']}: {w['message']}" for w in status.get("warnings", [])]
        return "\n".join(lines)
    if state == "rejected":
        return "\n".join(
            [f"rejected {name}:"] + [f"  - {e['field']}: {e['message']}" for e in status["errors"]]
        )
    return f"pending {name}: upload {status['upload_id']} is not processed yet"


def _upload(args: argparse.Namespace, client: KabarClient) -> int:
    outcome = 0
    for path in args.files:
        if not path.is_file():
            print(f"kabar: {path}: no such file", file=sys.stderr)
            outcome = EXIT_ERROR
            continue
        ticket = client.upload(path)
        if args.no_wait:
            print(f"uploaded {path.name}: upload {ticket['upload_id']}")
            continue
        status = client.wait(ticket["upload_id"], timeout=args.timeout)
        print(json.dumps(status, indent=2) if args.json else _describe(path.name, status))
        if status["state"] == "rejected":
            outcome = max(outcome, EXIT_REJECTED)
        elif status["state"] == "pending":
            outcome = EXIT_ERROR
    return outcome


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "ops":  # AWS itself (queues, streams, functions), not the API
        return ops.main(args)
    local = {"related": related.run, "comments": comments.run, "tags": tags.run}
    if (
        args.command == "related"
        or (args.command == "comments" and args.comments_command in comments.LOCAL_COMMANDS)
        or (args.command == "tags" and args.tags_command == "suggest")
    ):
        # The functions' own code on files: no AWS, no API.
        try:
            return local[args.command](args)
        except (ValueError, OSError) as exc:  # lines.InputError is a ValueError
            print(f"kabar: {exc}", file=sys.stderr)
            return EXIT_ERROR
    try:
        client = _client(args, "moderator" if args.command == "comments" else "editor")
        if args.command == "comments":
            return comments.run_remote(args, client)
        if args.command == "tags":
            return tags.run_remote(args, client)
        if args.command == "status":
            status = client.status(args.upload_id)
            print(json.dumps(status, indent=2) if args.json else _describe(status["filename"], status))
            return EXIT_REJECTED if status["state"] == "rejected" else 0
        return _upload(args, client)
    except ApiError as exc:
        print(f"kabar: {exc}", file=sys.stderr)
        for error in (exc.body.get("errors") or []) if isinstance(exc.body, dict) else []:
            print(f"  - {error['field']}: {error['message']}", file=sys.stderr)
        return EXIT_ERROR
    except (OSError, ValueError) as exc:  # lines.InputError is a ValueError
        print(f"kabar: {exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
