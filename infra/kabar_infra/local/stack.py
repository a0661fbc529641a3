"""``make run``: the whole stack on this machine.

moto server plays AWS; template.yaml's resources are created on it; the
router delivers S3 notifications (through the publish queue) and stream
records to the handlers the template names, each in a worker process with
its deployed environment; the local API serves the template's Api events and
the local CDN serves the site bucket. Handlers reach moto through
``AWS_ENDPOINT_URL`` and have no local-mode branches.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from kabar_infra.local.api import LocalApi, TokenVerifier
from kabar_infra.local.cdn import LocalCdn
from kabar_infra.local.functions import WorkerFunctions
from kabar_infra.local.invoke import LambdaEndpoint
from kabar_infra.local.moto_server import MotoServer, PortInUse, bind, expire_noncurrent_versions
from kabar_infra.local.parameters import LOCAL_ENVIRONMENT, LOCAL_PARAMETERS, social_tokens
from kabar_infra.local.router import Router
from kabar_infra.local.schedules import LocalScheduler
from kabar_infra.provision import Stack, function_environment, provision
from kabar_infra.template import ROOT, Template

HOST = "127.0.0.1"
REGION = "us-east-1"
# The local accounts sign in with a password alone (a deployed stack's pool asks for a TOTP code).
LOCAL_USERS = {
    "editor": "EditorsGroup",
    "moderator": "ModeratorsGroup",
    "admin": "AdminsGroup",
}  # user: group


PORT_VARIABLES = {"api": "KABAR_API_PORT", "cdn": "KABAR_CDN_PORT", "moto": "KABAR_MOTO_PORT",
                  "invoke": "KABAR_LAMBDA_PORT"}  # fmt: skip
_DEFAULT_PORTS = {"api": 3000, "cdn": 8080, "moto": 5005, "invoke": 0}


class SettingError(Exception):
    """A setting (an environment variable) the local stack cannot use; the message says why."""


def _port(name: str) -> int:
    variable = PORT_VARIABLES[name]
    value = os.environ.get(variable, "").strip()
    if not value:
        return _DEFAULT_PORTS[name]
    lowest = 0 if name == "invoke" else 1  # 0: any free port
    if not value.isdigit() or not lowest <= int(value) < 65536:
        raise SettingError(f"{variable} must be a port number ({lowest}-65535), not {value!r}")
    return int(value)


@dataclass
class Ports:
    api: int = field(default_factory=lambda: _port("api"))
    cdn: int = field(default_factory=lambda: _port("cdn"))
    moto: int = field(default_factory=lambda: _port("moto"))
    # Lambda's Invoke API for `kabar ops replay`: any free port unless set (local.json says which).
    invoke: int = field(default_factory=lambda: _port("invoke"))

    def check(self) -> None:
        """PortInUse for the first port that is taken, before anything starts."""
        import socket

        for name in ("moto", "api", "cdn", "invoke"):
            port = getattr(self, name)
            if port == 0:
                continue  # any free port
            with socket.socket() as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers bind
                bind(lambda: probe.bind((HOST, port)), _WHAT[name], port, PORT_VARIABLES[name])  # noqa: B023


_WHAT = {"api": "the local API", "cdn": "the local CDN", "moto": "moto, the local AWS",
         "invoke": "the local Lambda Invoke API"}  # fmt: skip


@dataclass
class LocalStack:
    ports: Ports = field(default_factory=Ports)
    state_dir: Path = field(default_factory=lambda: Path(os.environ.get("KABAR_STATE_DIR", ROOT / ".kabar")))
    template: Template = field(default_factory=Template.load)
    verbose: bool = True

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._servers: list[Any] = []
        self.functions: WorkerFunctions | None = None
        self.router: Router | None = None
        self.lambda_url = ""  # Lambda's Invoke API for the functions (kabar_infra.local.invoke)
        self.moto: MotoServer | None = None
        self.scheduler: LocalScheduler | None = None

    @property
    def endpoint(self) -> str:
        return f"http://{HOST}:{self.ports.moto}"

    def start(self) -> dict[str, Any]:
        """Start everything and provision the template; the settings ``write_settings`` saves."""
        import logging

        from kabar_infra.moto_fixes import install

        for name in ("local.json", "ready"):  # a previous run's: they would point at nothing
            (self.state_dir / name).unlink(missing_ok=True)
        self.ports.check()
        install()  # moto runs in this process: transactions, queries and streams as DynamoDB's
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's per-request log
        self.moto = MotoServer(HOST, self.ports.moto)
        self.moto.start()
        aws_env = {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
        }
        os.environ.update(aws_env)
        session = boto3.Session(region_name=REGION)
        cdn_url = f"http://{HOST}:{self.ports.cdn}"
        stack = provision(
            self.template,
            session=session,
            parameters=LOCAL_PARAMETERS,
            local_attributes={"Distribution": {"DomainName": f"{HOST}:{self.ports.cdn}"}},
        )
        expire_noncurrent_versions({stack.ref(logical_id) for logical_id in self._expiring_buckets()})
        social_tokens(session, stack)
        users = {role: self._create_user(session, stack, role, group) for role, group in LOCAL_USERS.items()}
        self._start_functions(stack, session, {**aws_env, "CDN_URL": cdn_url, **LOCAL_ENVIRONMENT})
        self._serve_api(stack)
        distribution = self._distribution()
        cdn = LocalCdn(
            session.client("s3"),
            self._site_bucket(stack),
            default_root=distribution["DefaultRootObject"],
            error_page=self._error_page(),
            allowed_methods=tuple(
                distribution["DefaultCacheBehavior"].get("AllowedMethods", ["GET", "HEAD"])
            ),
        )
        self._serve(bind(lambda: cdn.server(HOST, self.ports.cdn), _WHAT["cdn"], self.ports.cdn,
                         PORT_VARIABLES["cdn"]))  # fmt: skip
        return {
            "api_url": f"http://{HOST}:{self.ports.api}",
            "cdn_url": cdn_url,
            "aws_endpoint_url": self.endpoint,
            "lambda_url": self.lambda_url,
            "functions": {spec.logical_id: spec.logical_id for spec in self.template.functions()},
            "region": REGION,
            "resources": {logical_id: attrs["Ref"] for logical_id, attrs in stack.attributes.items()
                          if self.template.resources[logical_id]["Type"] in _NAMED_TYPES},
            **users,  # editor, moderator, admin
        }  # fmt: skip

    def write_settings(self, config: dict[str, Any]) -> Path:
        """``local.json`` (what ``kabar`` reads), then ``ready``: written together once the
        stack is ready, removed when it stops."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        path = self.state_dir / "local.json"
        partial = path.with_suffix(".json.partial")
        partial.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
        partial.replace(path)  # never half a file
        (self.state_dir / "ready").write_text("ready\n", encoding="utf-8")
        return path

    def _serve_api(self, stack: Stack) -> None:
        pool_id = stack.ref("UserPool")
        verifier = TokenVerifier(
            f"{self.endpoint}/{pool_id}/.well-known/jwks.json",
            f"/{pool_id}",
            {stack.ref("UserPoolClient")},
        )
        api = LocalApi(self.template, stack, self.functions, verifier)
        self._serve(bind(lambda: api.server(HOST, self.ports.api), _WHAT["api"], self.ports.api,
                         PORT_VARIABLES["api"]))  # fmt: skip

    def _start_functions(self, stack: Stack, session: boto3.Session, overrides: dict[str, str]) -> None:
        """A worker per function with its deployed environment, the router that feeds them, and
        Lambda's Invoke API that `kabar ops replay` calls them through."""
        environments = {
            spec.logical_id: function_environment(self.template, stack, spec.logical_id, overrides)
            for spec in self.template.functions()
        }
        functions = self.functions = WorkerFunctions(self.template.functions(), environments, self._log)
        self.router = Router(self.template, stack, functions, session, on_consumed=self._trim)
        self._spawn(self.router.run, self._stop)
        # moto fires no schedule: the template's are fired here (kabar_infra.local.schedules).
        self.scheduler = LocalScheduler(self.template, stack, session)
        self._spawn(self.scheduler.run, self._stop)
        invoke = bind(lambda: LambdaEndpoint(functions, environments).server(HOST, self.ports.invoke),
                      _WHAT["invoke"], self.ports.invoke, PORT_VARIABLES["invoke"])  # fmt: skip
        self._serve(invoke)
        self.lambda_url = f"http://{HOST}:{invoke.server_address[1]}"

    def _trim(self, stream_arn: str, before: int) -> None:
        """Drop the stream records every consumer has read (moto would keep them forever)."""
        from kabar_infra.moto_fixes import trim_stream

        assert self.moto is not None
        with self.moto.lock:
            trim_stream(stream_arn, before)

    def _distribution(self) -> dict[str, Any]:
        (resource,) = self.template.of_type("AWS::CloudFront::Distribution").values()
        return resource["Properties"]["DistributionConfig"]  # type: ignore[no-any-return]

    def _expiring_buckets(self) -> list[str]:
        """The buckets whose lifecycle expires noncurrent versions."""
        found = []
        for logical_id, resource in self.template.of_type("AWS::S3::Bucket").items():
            rules = resource.get("Properties", {}).get("LifecycleConfiguration", {}).get("Rules", [])
            if any(r.get("Status") == "Enabled" and "NoncurrentVersionExpiration" in r for r in rules):
                found.append(logical_id)
        return found

    def _site_bucket(self, stack: Stack) -> str:
        origin = self._distribution()["Origins"][0]["DomainName"]["Fn::GetAtt"]
        return stack.ref(origin[0])

    def _error_page(self) -> str | None:
        for response in self._distribution().get("CustomErrorResponses", []):
            if int(response.get("ResponseCode", 0)) == 404:
                return str(response.get("ResponsePagePath"))
        return None

    def _create_user(self, session: boto3.Session, stack: Stack, username: str, group: str) -> dict[str, str]:
        """A Cognito user in one of the template's groups, with a fresh password."""
        cognito = session.client("cognito-idp")
        pool_id = stack.ref("UserPool")
        password = "Kabar-" + secrets.token_urlsafe(12) + "1a"
        cognito.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS")
        cognito.admin_set_user_password(
            UserPoolId=pool_id, Username=username, Password=password, Permanent=True
        )
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=stack.ref(group))
        return {
            "username": username,
            "password": password,
            "user_pool_id": pool_id,
            "client_id": stack.ref("UserPoolClient"),
        }

    def _spawn(self, target: Any, *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _serve(self, server: Any) -> None:
        self._servers.append(server)
        self._spawn(server.serve_forever, 0.1)

    def _log(self, function: str, line: str) -> None:
        if self.verbose:
            print(f"[{function}] {line}", flush=True)

    def stop(self) -> None:
        """Stop in a few seconds at most: the router, the servers (open connections are not
        waited for), the workers (killed if still busy), moto; then remove the settings."""
        self._stop.set()
        if self.router is not None:
            self.router.log = lambda line: None  # invocations cut short now are no news
        for server in self._servers:
            server.shutdown()
            server.server_close()
        if self.functions:
            self.functions.stop()
        if self.moto:
            self.moto.stop()
        for name in ("ready", "local.json"):
            (self.state_dir / name).unlink(missing_ok=True)


_NAMED_TYPES = {
    "AWS::S3::Bucket", "AWS::SQS::Queue", "AWS::DynamoDB::Table",
    "AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient", "AWS::SecretsManager::Secret",
}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m kabar_infra.local", description=__doc__)
    parser.add_argument("--no-samples", action="store_true", help="start empty")
    parser.add_argument("--quiet", action="store_true", help="do not print the handlers' logs")
    args = parser.parse_args(argv)
    try:
        stack = LocalStack(verbose=not args.quiet)
    except SettingError as exc:
        print(f"cannot start the local stack: {exc}", file=sys.stderr, flush=True)
        return 2
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    code = 0
    try:
        config = stack.start()
        from kabar_infra.local.samples import load_samples

        samples = [] if args.no_samples else load_samples(config, ROOT / "examples" / "articles")
        settings = stack.write_settings(config)
        print(_welcome(config, samples, settings), flush=True)
        signal.signal(signal.SIGINT, lambda *_: stopping.set())  # from now on Ctrl-C just stops
        while not stopping.wait(0.5):
            pass
    except PortInUse as exc:
        print(f"cannot start the local stack: {exc}", file=sys.stderr, flush=True)
        code = 1
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C does not cut the stop short
        print("\nstopping the local stack", flush=True)
        stack.stop()
    return code


_COMMENTED = "ribuan-pengungsi-kembali-ke-homs-setelah-jalur-dibuka"  # a sample article


def _welcome(config: dict[str, Any], samples: list[tuple[Path, dict[str, Any]]], config_path: Path) -> str:
    cdn, api = config["cdn_url"], config["api_url"]
    lines = ["", "Kabar's local stack is running.", ""]
    users = ", ".join(repr(config[role]["username"]) for role in ("editor", "moderator", "admin"))
    lines += [f"  API            {api}   (Cognito on moto; users {users})",
              f"  CDN            {cdn}",
              f"  moto (AWS)     {config['aws_endpoint_url']}",
              f"  settings       {config_path}", ""]  # fmt: skip
    if samples:
        lines.append("Sample articles:")
        for path, status in samples:
            where = (status.get("article") or {}).get("url") or ", ".join(
                f"{e['field']}: {e['message']}" for e in status.get("errors", [])
            )
            lines.append(f"  {status['state']:<10} {path.name:<40} {where}")
        lines.append("")
    lines += [
        "Try:",
        f"  curl -s {cdn}/v1/latest.json | python3 -m json.tool",
        "  .venv/bin/kabar upload examples/try/gempa-garut.md       # published, with its URL",
        "  .venv/bin/kabar upload examples/rejected/tanpa-judul.md  # rejected, with every reason",
        "  .venv/bin/kabar upload examples/photos/banjir-foto.md examples/photos/*.jpg  # with its photos:",
        f"  curl -s {cdn}/v1/articles/banjir-kiriman-rendam-ratusan-rumah-di-kampung-melayu.json",
        "  .venv/bin/kabar tags list                                # the tag vocabulary",
        "  .venv/bin/kabar tags aliases                             # names' other forms, offered as aliases",
        f"  curl -s {cdn}/v1/tags/suriah.json                     # a tag's articles",
        f"  curl -s {cdn}/v1/feed.xml                             # the site's RSS feed (and feed.json)",
        f"  curl -s {cdn}/robots.txt                              # names the sitemaps",
        f"  curl -s {cdn}/news-sitemap.xml                        # Google News: the last two days",
        f"  curl -s {cdn}/v1/categories.json                      # every category, with its count",
        f"  curl -s {cdn}/v1/authors/tim-redaksi.json             # an author's articles, feeds and profile",
        '  .venv/bin/kabar authors set tim-redaksi --name "Tim Redaksi" --bio "Liputan bersama."',
        "  sed \"s/^published_at: .*/published_at: $(date -u -d '+90 seconds' +%Y-%m-%dT%H:%M:%SZ)/\" \\",
        "      examples/scheduled/laporan-terjadwal.md > /tmp/terjadwal.md",
        "  .venv/bin/kabar upload /tmp/terjadwal.md               # scheduled: public in 90 s, not before",
        "  .venv/bin/kabar scheduled                               # what goes public later (WIB and UTC)",
        "  .venv/bin/kabar upload --no-wait examples/related/01-*.md   # the upload id at once; then:",
        "  .venv/bin/kabar status <upload id>                      # pending, then published",
        "  .venv/bin/kabar upload examples/related/0[2-4]*.md      # a flood story, and a football match",
        "  .venv/bin/kabar upload examples/related/05-*.md         # later flood news joins their lists:",
        f"  curl -s {cdn}/v1/articles/banjir-rendam-ribuan-rumah-di-jakarta-timur.json",
        f"  curl -s -X POST {api}/articles/{_COMMENTED}/comments -H 'Content-Type: application/json' \\",
        """      -d '{"name": "Ani", "email": "ani@example.id", "content": "Semoga selamat."}'  # waits""",
        "  .venv/bin/kabar comments pending                        # the moderators' queue",
        "  .venv/bin/kabar comments approve <id>                   # then it is public:",
        f"  curl -s {cdn}/v1/articles/{_COMMENTED}/comments.json",
        f"  curl -s -X POST {api}/uploads                   # 401: the API is for editors",
        "",
        "Ctrl-C stops everything.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
