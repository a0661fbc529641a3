"""``make bench-cold``: each function's cold start beside boto3's, in fresh interpreters.

1. Import: the time to import the handler module (median of ``KABAR_BENCH_COLD_RUNS``
   fresh interpreters) beside a bare ``import boto3`` measured in the same run, and the
   resident memory after it. Target: at most 1.3x.
2. Import + first invocation: a fresh interpreter imports the handler and invokes it once
   with a realistic event against a moto server (the stack's resources created from
   template.yaml by :mod:`kabar_infra.provision`, each function's environment as deployed,
   ``AWS_ENDPOINT_URL`` pointing at moto), clients and their first requests included; beside
   a fresh interpreter doing ``import boto3`` and creating exactly the clients that function
   created (same endpoint, same configuration as :mod:`kabar.aws`). Target: at most 1.5x.

The events: the API functions get an API Gateway event for a cheap route (see ``REQUESTS``);
every other function gets the first event the local stack's router delivered it while one
article was published and one comment approved through the stack (replayed as at-least-once
delivery replays it: every consumer is idempotent), except PublishFunction, which gets a fresh
upload every time (a real publish). Samples are interleaved (one of each kind per round), so
a busy machine slows all of them alike.

The table goes between the ``bench:cold`` markers in docs/benchmarks.md and the README;
``make bench`` (benchmarks/run.py) includes it.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import socket
import statistics
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
COLD_RUNS = int(os.environ.get("KABAR_BENCH_COLD_RUNS", "15"))
MARKERS = ("<!-- bench:cold:start -->", "<!-- bench:cold:end -->")
IMPORT_TARGET, FIRST_TARGET = 1.3, 1.5
REGION = "us-east-1"

# Both probes import the same few modules before the clock starts (reading the event needs json).
_IMPORT_PROBE = """
import sys, time, importlib.util
target = sys.argv[1]
start = time.perf_counter()
if target == "boto3":
    import boto3
else:
    sys.path.insert(0, target.rsplit("/", 1)[0])
    spec = importlib.util.spec_from_file_location("app", target)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
elapsed = (time.perf_counter() - start) * 1000
# VmRSS, not ru_maxrss: a child's maxrss starts at its parent's high-water mark after fork.
rss_kib = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS:"))
print(elapsed, rss_kib / 1024)
"""

_FIRST_PROBE = """
import gc, json, sys, time, types, importlib.util
target, name = sys.argv[1], sys.argv[2]
event = json.loads(sys.stdin.read())
context = types.SimpleNamespace(
    function_name=name, function_version="$LATEST", memory_limit_in_mb=512, aws_request_id="bench",
    invoked_function_arn="arn:aws:lambda:us-east-1:123456789012:function:" + name,
    log_group_name="/aws/lambda/" + name, log_stream_name="bench",
    get_remaining_time_in_millis=lambda: 30000)
start = time.perf_counter()
sys.path.insert(0, target.rsplit("/", 1)[0])
spec = importlib.util.spec_from_file_location("app", target)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
result = module.handler(event, context)
elapsed = (time.perf_counter() - start) * 1000
from botocore.client import BaseClient
clients = sorted({o.meta.service_model.service_name for o in gc.get_objects() if isinstance(o, BaseClient)})
print("KABAR_PROBE " + json.dumps({"ms": elapsed, "clients": clients, "result": result}, default=str))
"""

_CLIENTS_PROBE = """
import gc, json, sys, time, types, importlib.util
services = sys.argv[1:]
start = time.perf_counter()
import boto3
from botocore.config import Config
for service in services:
    boto3.client(service, config=Config(retries={"max_attempts": 4, "mode": "standard"},
                                        signature_version="s3v4" if service == "s3" else None))
elapsed = (time.perf_counter() - start) * 1000
print("KABAR_PROBE " + json.dumps({"ms": elapsed}))
"""


def _probe(code: str, args: list[str], env: dict[str, str] | None = None, stdin: str = "") -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", code, *args], input=stdin, capture_output=True, text=True,
                          env=env, check=False)  # fmt: skip
    found = [line for line in done.stdout.splitlines() if line.startswith("KABAR_PROBE ")]
    if done.returncode or not found:
        raise RuntimeError(f"probe {args[:1]} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return json.loads(found[-1].removeprefix("KABAR_PROBE "))  # type: ignore[no-any-return]


def import_sample(target: str) -> tuple[float, float]:
    """One fresh interpreter importing ``target`` (a handler file, or "boto3"): ms and MiB after."""
    output = subprocess.run(
        [sys.executable, "-c", _IMPORT_PROBE, target], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(output[0]), float(output[1])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --------------------------------------------------------------------- the stack on a moto server


@dataclass
class Bench:
    """The stack on a moto server in this process, and what each function's samples need."""

    template: Any
    stack: Any
    functions: Any  # InProcessFunctions: the handlers in this process, to drive the pipeline
    environments: dict[str, dict[str, str]]
    session: Any
    recorded: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def request(self, method: str, path: str, body: Any = None, *, groups: str | None = None,
                source_ip: str = "127.0.0.1") -> dict[str, Any]:  # fmt: skip
        """An API Gateway event for ``method path`` (as the local API builds it)."""
        from kabar_infra.local.api import match, proxy_event, routes

        route, params, _ = match(routes(self.template), method, path)
        assert route is not None, f"no route {method} {path}"
        claims = None if groups is None else {"cognito:username": "bench", "cognito:groups": groups}
        return proxy_event(
            route, method=method, path=path, path_parameters=params, headers={"Content-Type": "application/json"},
            query={}, body=b"" if body is None else json.dumps(body).encode(), claims=claims, source_ip=source_ip,
        )  # fmt: skip

    def call(self, function: str, event: dict[str, Any]) -> Any:
        self.recorded.setdefault(function, []).append(json.loads(json.dumps(event)))
        return self.functions(function, event)

    def api(self, function: str, method: str, path: str, body: Any = None, **kw: Any) -> dict[str, Any]:
        response = self.call(function, self.request(method, path, body, **kw))
        assert response["statusCode"] < 300, response
        return json.loads(response["body"])  # type: ignore[no-any-return]


@contextmanager
def moto_stack() -> Iterator[Bench]:
    """A moto server on a free port with template.yaml's resources, the environment pointing at it."""
    import boto3

    from kabar_infra.local.functions import InProcessFunctions
    from kabar_infra.local.moto_server import MotoServer
    from kabar_infra.local.stack import LOCAL_PARAMETERS
    from kabar_infra.moto_fixes import install
    from kabar_infra.provision import function_environment, provision
    from kabar_infra.template import Template

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's per-request log
    install()  # as the local stack: moto's transactions, queries and streams as DynamoDB's
    port = _free_port()
    server = MotoServer("127.0.0.1", port)
    server.start()
    aws_env = {"AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}", "AWS_ACCESS_KEY_ID": "bench",
               "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION}  # fmt: skip
    saved = dict(os.environ)
    os.environ.update(aws_env)
    try:
        template, session = Template.load(), boto3.Session(region_name=REGION)
        stack = provision(template, session=session, parameters=LOCAL_PARAMETERS)
        overrides = {**aws_env, "CDN_URL": "https://cdn.example", "POWERTOOLS_DEV": "false"}
        environments = {spec.logical_id: function_environment(template, stack, spec.logical_id, overrides)
                        for spec in template.functions()}  # fmt: skip
        yield Bench(
            template, stack, InProcessFunctions(template.functions(), environments), environments, session
        )
    finally:
        os.environ.clear()
        os.environ.update(saved)
        server.stop()


ARTICLE = dict(
    title="Banjir Rendam Kampung Melayu", published_at="2026-11-24T09:00:00+07:00", tags=["Jakarta", "Banjir"],
    body="Banjir setinggi satu meter merendam permukiman di Kampung Melayu, Jakarta Timur, sejak pagi.\n\n"
    "Warga mengungsi ke masjid dan sekolah terdekat. Petugas membuka dapur umum.\n",
)  # fmt: skip


def upload(bench: Bench, title: str) -> dict[str, Any]:
    """An editor's upload, as the API and the browser make it (the file put where the ticket says):
    the object as an S3 notification names it."""
    from tests.support.app import article_file

    ticket = bench.api("UploadsFunction", "POST", "/uploads", {"filename": "berita.md"},
                       groups=_group(bench, "EDITORS"))  # fmt: skip
    fields, body = ticket["upload"]["fields"], article_file(**{**ARTICLE, "title": title})
    put = bench.session.client("s3").put_object(
        Bucket=bench.stack.ref("IncomingBucket"),
        Key=fields["key"],
        ContentType=fields["Content-Type"],
        Body=body,
    )
    return {
        "key": fields["key"],
        "size": len(body),
        "eTag": put["ETag"].strip('"'),
        "versionId": put["VersionId"],
    }


def _group(bench: Bench, which: str) -> str:
    defaults = {"EDITORS": "editors", "MODERATORS": "moderators"}
    return next((env[f"{which}_GROUP"] for env in bench.environments.values() if f"{which}_GROUP" in env),
                defaults[which])  # fmt: skip


def comment(number: int) -> dict[str, Any]:
    return {"name": f"Pembaca {number}", "email": f"pembaca{number}@example.com",
            "content": "Semoga warga cepat tertolong dan banjir segera surut."}  # fmt: skip


def drive(bench: Bench) -> str:
    """One article published and one comment approved through the stack: what the router delivers
    to each function is recorded. The article's slug."""
    from kabar.slugs import slugify
    from kabar_infra.local.router import Router

    router = Router(bench.template, bench.stack, bench.call, bench.session)
    upload(bench, ARTICLE["title"])
    router.drain()
    slug = slugify(str(ARTICLE["title"]))
    taken = bench.api(
        "CommentsFunction", "POST", f"/articles/{slug}/comments", comment(0), source_ip="198.51.100.1"
    )
    bench.api(
        "ModerationFunction", "POST", f"/comments/{taken['id']}/approve", groups=_group(bench, "MODERATORS")
    )
    router.drain()
    return slug


# What each API function is asked on its first invocation (a cheap route with a real answer).
REQUESTS: dict[str, Callable[[Bench, str, int], dict[str, Any]]] = {
    "UploadsFunction": lambda b, slug, n: b.request("GET", f"/uploads/{uuid.uuid4().hex}", groups=_group(b, "EDITORS")),
    "VocabularyFunction": lambda b, slug, n: b.request("GET", "/tags", groups=_group(b, "EDITORS")),
    "ModerationFunction": lambda b, slug, n: b.request("GET", "/comments", groups=_group(b, "MODERATORS")),
    "CommentsFunction": lambda b, slug, n: b.request("POST", f"/articles/{slug}/comments", comment(n + 1),
                                                     source_ip=f"198.51.{n // 200}.{n % 200 + 2}"),
}  # fmt: skip
EVENTS = {
    "UploadsFunction": "GET /uploads/{unknown id}: 404",
    "VocabularyFunction": "GET /tags: 200",
    "ModerationFunction": "GET /comments (pending): 200",
    "CommentsFunction": "POST /articles/{slug}/comments: 201, a new reader each time",
    "PublishFunction": "SQS: a new upload's S3 notification, published",
}


def first_event(bench: Bench, function: str, slug: str, number: int) -> dict[str, Any] | None:
    """The event of one first-invocation sample (None: the pipeline never invoked the function)."""
    if function in REQUESTS:
        return REQUESTS[function](bench, slug, number)
    if function == "PublishFunction":  # the first notification (not S3's test event), for a new upload
        records = [r for e in bench.recorded[function] for r in e["Records"] if '"ObjectCreated' in r["body"]]
        record, notification = dict(records[0]), json.loads(records[0]["body"])
        created = upload(bench, f"{ARTICLE['title']} {number}")
        notification["Records"][0]["s3"]["object"].update(created, key=quote(created["key"], safe=""))
        record.update(body=json.dumps(notification), messageId=str(uuid.uuid4()))
        return {"Records": [record]}
    found = bench.recorded.get(function)
    return found[0] if found else None


# --------------------------------------------------------------------- measuring


@dataclass
class Row:
    function: str
    handler_file: str
    imports: list[float] = field(default_factory=list)
    memory: list[float] = field(default_factory=list)
    first: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)
    clients: list[str] = field(default_factory=list)
    answer: str = ""

    @property
    def import_ms(self) -> float:
        return statistics.median(self.imports)

    @property
    def first_ms(self) -> float | None:
        return statistics.median(self.first) if self.first else None

    @property
    def baseline_ms(self) -> float | None:
        return statistics.median(self.baseline) if self.baseline else None


def _answer(function: str, result: Any) -> str:
    """What the invocation answered; AssertionError for a fault (5xx, failed records)."""
    result = result or {}
    if "statusCode" in result:
        assert int(result["statusCode"]) < 500, f"{function}: {result}"
        return str(result["statusCode"])
    failures = result.get("batchItemFailures", [])
    assert not failures, f"{function} failed records: {failures}"
    return "no failures"


def _sample(bench: Bench, row: Row, slug: str, number: int, env: dict[str, str]) -> None:
    ms, mib = import_sample(row.handler_file)
    row.imports.append(ms)
    row.memory.append(mib)
    event = first_event(bench, row.function, slug, number)
    if event is None:
        return
    env = {**env, **bench.environments[row.function]}
    found = _probe(_FIRST_PROBE, [row.handler_file, row.function], env, json.dumps(event))
    row.answer, row.clients = _answer(row.function, found["result"]), found["clients"]
    row.first.append(found["ms"])
    row.baseline.append(_probe(_CLIENTS_PROBE, row.clients, env)["ms"])


def measure(runs: int = COLD_RUNS) -> dict[str, Any]:
    """Every function's samples, and ``import boto3``'s, interleaved: ``runs`` rounds of one each."""
    with moto_stack() as bench:
        slug = drive(bench)
        env = dict(os.environ)
        rows = [Row(spec.logical_id, str(spec.handler_file)) for spec in bench.template.functions()]
        boto3_imports: list[tuple[float, float]] = []
        for number in range(runs):
            boto3_imports.append(import_sample("boto3"))
            for row in rows:
                _sample(bench, row, slug, number, env)
    return {"runs": runs, "rows": rows, "boto3_ms": statistics.median(ms for ms, _ in boto3_imports),
            "boto3_mib": statistics.median(mib for _, mib in boto3_imports)}  # fmt: skip


def misses(result: dict[str, Any]) -> list[str]:
    """The functions that miss a target (import over 1.3x, or import + first invocation over 1.5x)."""
    missed = []
    for row in result["rows"]:
        if row.import_ms > IMPORT_TARGET * result["boto3_ms"]:
            missed.append(f"{row.function} import")
        if row.first_ms is None or row.first_ms > FIRST_TARGET * row.baseline_ms:
            missed.append(f"{row.function} first invocation")
    return missed


# --------------------------------------------------------------------- report


def _event(function: str, row: Row) -> str:
    return EVENTS.get(function) or f"its first event from the pipeline, replayed: {row.answer}"


def report(result: dict[str, Any]) -> str:
    boto3_ms, rows = result["boto3_ms"], result["rows"]
    lines = [
        MARKERS[0],
        f"**Cold start** (`make bench-cold`, {datetime.now(UTC):%Y-%m-%d}, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores: fresh interpreters, median of {result['runs']} each, "
        "samples interleaved. *Import*: the handler module beside a bare `import boto3` "
        f"({boto3_ms:.0f} ms, {result['boto3_mib']:.0f} MiB), target {IMPORT_TARGET}x. *First invocation*: "
        "import + one invocation against a moto server holding the stack (template.yaml, the function's "
        "environment), clients and their first requests included, beside `import boto3` + creating the "
        f"clients that function created; target {FIRST_TARGET}x):",
        "",
        "| function | import (ms) | x boto3 | memory after import (MiB) | first invocation | clients "
        "| import + first invocation (ms) | boto3 + its clients (ms) | x | meets both |",
        "|---|---:|---:|---:|---|---|---:|---:|---:|---|",
    ]
    missed = misses(result)
    for row in rows:
        first, base = row.first_ms, row.baseline_ms
        ratio = f"{first / base:.2f}" if first is not None and base else "-"
        meets = "yes" if not any(m.startswith(row.function + " ") for m in missed) else "NO"
        lines.append(
            f"| {row.function} | {row.import_ms:.0f} | {row.import_ms / boto3_ms:.2f} "
            f"| {statistics.median(row.memory):.0f} | {_event(row.function, row)} "
            f"| {', '.join(row.clients) or 'none'} | {f'{first:.0f}' if first is not None else '-'} "
            f"| {f'{base:.0f}' if base is not None else '-'} | {ratio} | {meets} |"
        )
    lines += ["", "Every function meets both targets." if not missed else "Missed: " + ", ".join(missed) + ".",
              MARKERS[1]]  # fmt: skip
    return "\n".join(lines) + "\n"


def write(section: str, path: Path) -> None:
    """Put ``section`` between the markers in ``path`` (before the other sections' when they are not there)."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    begin, end = MARKERS
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + section.rstrip("\n") + rest.split(end, 1)[1]
    elif path.name == "README.md" and "<!-- bench:end -->" in text:
        text = text.replace("<!-- bench:end -->", section + "<!-- bench:end -->")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def main() -> int:
    result = measure()
    section = report(result)
    for path in (ROOT / "docs" / "benchmarks.md", ROOT / "README.md"):
        write(section, path)
    print(section)
    return 1 if misses(result) else 0


if __name__ == "__main__":
    sys.exit(main())
