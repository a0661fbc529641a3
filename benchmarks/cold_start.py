"""``make bench-cold``: each function's cold start beside boto3's, in fresh interpreters.

1. Import: the time to import the handler module (median of ``KABAR_BENCH_COLD_RUNS``
   fresh interpreters) beside a bare ``import boto3`` measured in the same run, and the
   resident memory after it. Target: at most 1.3x.
2. Import + first invocation: a fresh interpreter imports the handler and invokes it once
   with a realistic event against a moto server (the stack's resources created from
   template.yaml by :mod:`kabar_infra.provision`, each function's environment as deployed,
   ``AWS_ENDPOINT_URL`` pointing at moto), clients and their first requests included; beside
   a fresh interpreter doing ``import boto3`` and creating exactly the clients that function
   created (same endpoint, same configuration as :mod:`kabar.aws`). Target: at most 1.5x for
   the function's own part: the time the moto server (a thread of this process) spent
   answering the function's requests is measured (:class:`benchmarks.cold_stack.ServerTime`,
   on the clock both processes share) and taken out, and shown beside with the ratio it gives.
   moto's answer is Python parsing expressions and copying items: a 17-item tags transaction
   takes it tens of milliseconds, more than DynamoDB's latency for it, and it is no part of
   what a function's code costs to start. ImagesFunction's imaging work (the photo decoded,
   resized and encoded: the job itself, paid on every invocation, cold or warm) is timed
   again warm in the same interpreter (:data:`benchmarks.cold_stack.WORK`) and taken out the
   same way; Pillow's import, its plugins and its first call's set-up stay in.

Kabar's own modules are compiled to bytecode first, as ``make build`` ships them (Lambda's
/var/task is read-only, so a module without bytecode is compiled on every cold start; the
libraries' bytecode is pip's). The events: the API functions get an API Gateway event for a cheap route (see ``REQUESTS``);
every other function gets the first event the local stack's router delivered it while one
article was published and one comment approved through the stack (replayed as at-least-once
delivery replays it: every consumer is idempotent), except PublishFunction, which gets a fresh
upload every time (a real publish), and TaggingFunction, whose article's stored tags are removed
before each sample (so that it tags the article, and loads the entity recogniser, every time). Samples are interleaved (one of each kind per round), so
a busy machine slows all of them alike.

The table goes between the ``bench:cold`` markers in docs/benchmarks.md and the README;
``make bench`` (benchmarks/run.py) includes it.
"""

from __future__ import annotations

import io
import json
import os
import platform
import statistics
import subprocess
import sys
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
COLD_RUNS = int(os.environ.get("KABAR_BENCH_COLD_RUNS", "15"))
MARKERS = ("<!-- bench:cold:start -->", "<!-- bench:cold:end -->")
IMPORT_TARGET, FIRST_TARGET = 1.3, 1.5

from benchmarks.cold_stack import EVENTS, WORK, Bench, describe, drive, first_event, moto_stack  # noqa: E402
from benchmarks.sections import write_results  # noqa: E402

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
raw = sys.stdin.read()
event = json.loads(raw)
context = types.SimpleNamespace(
    function_name=name, function_version="$LATEST", memory_limit_in_mb=512, aws_request_id="bench",
    invoked_function_arn="arn:aws:lambda:us-east-1:123456789012:function:" + name,
    log_group_name="/aws/lambda/" + name, log_stream_name="bench",
    get_remaining_time_in_millis=lambda: 30000)
began = time.monotonic()  # the clock the moto server's process shares: its part of the sample
start = time.perf_counter()
sys.path.insert(0, target.rsplit("/", 1)[0])
spec = importlib.util.spec_from_file_location("app", target)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
result = module.handler(event, context)
elapsed = (time.perf_counter() - start) * 1000
ended = time.monotonic()
again = time.perf_counter()
module.handler(json.loads(raw), context)  # the same event, warm: what the work itself takes
warm = (time.perf_counter() - again) * 1000
work = 0.0
if len(sys.argv) > 3:  # the function's pixel work, done again warm (benchmarks.cold_stack.WORK)
    scope = {"event": event}
    exec(sys.argv[3], scope)
    work = scope["work_ms"]
from botocore.client import BaseClient
clients = sorted({o.meta.service_model.service_name for o in gc.get_objects() if isinstance(o, BaseClient)})
print("KABAR_PROBE " + json.dumps({"ms": elapsed, "warm": warm, "work": work, "clients": clients, "result": result,
                                   "pydantic": "pydantic" in sys.modules, "began": began, "ended": ended},
                                  default=str))
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


# What no handler can go below: the libraries every function (and every API function) uses, and one client,
# in a fresh interpreter: beside ``import boto3`` + the same client, what the targets leave for Kabar's code.
_LOGGER = """
from aws_lambda_powertools import Logger
Logger()
"""
_RESOLVER = """
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
APIGatewayRestResolver()
"""
_PYDANTIC = """
import pydantic
class Probe(pydantic.BaseModel):
    a: int
Probe(a=1)
"""
_CLIENT = """
from botocore.session import Session
from botocore.config import Config
Session().create_client("dynamodb", config=Config(retries={"max_attempts": 4, "mode": "standard"}))
"""
FLOORS = {
    "Powertools Logger + a botocore DynamoDB client (every function)": _LOGGER + _CLIENT,
    "the same + pydantic and one model (a route that reads a body)": _LOGGER + _PYDANTIC + _CLIENT,
    "the same + Powertools' REST resolver (which the API functions no longer use: kabar.rest)": _LOGGER
    + _PYDANTIC
    + _RESOLVER
    + _CLIENT,
}
_TIMED = """
import json, time
start = time.perf_counter()
exec(compile({code!r}, "floor", "exec"))
print("KABAR_PROBE " + json.dumps({{"ms": (time.perf_counter() - start) * 1000}}))
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


# --------------------------------------------------------------------- measuring


@dataclass
class Row:
    function: str
    handler_file: str
    imports: list[float] = field(default_factory=list)
    memory: list[float] = field(default_factory=list)
    first: list[float] = field(default_factory=list)
    moto: list[float] = field(default_factory=list)  # of each first invocation: moto answering its requests
    work: list[float] = field(default_factory=list)  # of each: the imaging work, done again warm (WORK)
    warm: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)
    clients: list[str] = field(default_factory=list)
    answer: str = ""
    event: str = ""
    pydantic: bool = False  # imported by the end of the first invocation

    @property
    def import_ms(self) -> float:
        return statistics.median(self.imports)

    @property
    def first_ms(self) -> float | None:
        return statistics.median(self.first) if self.first else None

    @property
    def own_ms(self) -> float | None:
        """Import + first invocation without moto's time answering and the imaging work (median of
        the samples' own)."""
        return (
            statistics.median(f - m - w for f, m, w in zip(self.first, self.moto, self.work, strict=True))
            if self.first
            else None
        )

    @property
    def work_ms(self) -> float | None:
        return statistics.median(self.work) if self.first and any(self.work) else None

    @property
    def moto_ms(self) -> float | None:
        return statistics.median(self.moto) if self.moto else None

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
    args = [row.handler_file, row.function, *([WORK[row.function]] if row.function in WORK else [])]
    found = _probe(_FIRST_PROBE, args, env, json.dumps(event))
    row.answer, row.clients = _answer(row.function, found["result"]), found["clients"]
    row.event = describe(event)
    row.pydantic = bool(found["pydantic"])
    row.first.append(found["ms"])
    row.moto.append(bench.server_time.within(found["began"], found["ended"]))
    row.work.append(found["work"])
    row.warm.append(found["warm"])
    row.baseline.append(_probe(_CLIENTS_PROBE, row.clients, env)["ms"])


def measure(runs: int = COLD_RUNS) -> dict[str, Any]:
    """Every function's samples, and ``import boto3``'s, interleaved: ``runs`` rounds of one each."""
    import compileall

    for folder in ("shared", "functions"):  # as shipped: bytecode for every module (make build)
        compileall.compile_dir(ROOT / folder, quiet=1)
    with moto_stack() as bench, redirect_stdout(io.StringIO()):  # the in-process handlers' logs
        slug = drive(bench)
        env = dict(os.environ)
        rows = [Row(spec.logical_id, str(spec.handler_file)) for spec in bench.template.functions()]
        boto3_imports: list[tuple[float, float]] = []
        floors: dict[str, list[float]] = {name: [] for name in [*FLOORS, "boto3"]}
        for number in range(runs):
            boto3_imports.append(import_sample("boto3"))
            for row in rows:
                _sample(bench, row, slug, number, env)
            for name, code in FLOORS.items():
                floors[name].append(_probe(_TIMED.format(code=code), [], env)["ms"])
            floors["boto3"].append(_probe(_CLIENTS_PROBE, ["dynamodb"], env)["ms"])
    return {"runs": runs, "rows": rows, "floors": {k: statistics.median(v) for k, v in floors.items()},
            "boto3_ms": statistics.median(ms for ms, _ in boto3_imports),
            "boto3_mib": statistics.median(mib for _, mib in boto3_imports)}  # fmt: skip


def misses(result: dict[str, Any]) -> list[str]:
    """The functions that miss a target (import over 1.3x, or import + first invocation, moto's time
    answering its requests and the imaging work taken out, over 1.5x)."""
    missed = []
    for row in result["rows"]:
        if row.import_ms > IMPORT_TARGET * result["boto3_ms"]:
            missed.append(f"{row.function} import")
        if row.own_ms is None or row.own_ms > FIRST_TARGET * row.baseline_ms:
            missed.append(f"{row.function} first invocation")
    return missed


# --------------------------------------------------------------------- report


def _event(function: str, row: Row) -> str:
    return EVENTS.get(function) or f"{row.event} (the publish's, replayed): {row.answer}"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _ratio(value: float | None, base: float | None) -> str:
    return f"{value / base:.2f}" if value is not None and base else "-"


def report(result: dict[str, Any]) -> str:
    boto3_ms, rows = result["boto3_ms"], result["rows"]
    lines = [
        MARKERS[0],
        f"**Cold start** (`make bench-cold`, {datetime.now(UTC):%Y-%m-%d}, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores: fresh interpreters, Kabar's modules "
        f"compiled to bytecode first as `make build` ships them, median of {result['runs']} each, samples "
        "interleaved. *Import*: the handler module beside a bare `import boto3` "
        f"({boto3_ms:.0f} ms, {result['boto3_mib']:.0f} MiB), target {IMPORT_TARGET}x. *First invocation*: "
        "import + one invocation against a moto server holding the stack (template.yaml, the function's "
        "environment), clients and their first requests included, beside `import boto3` + creating the "
        f"clients that function created; target {FIRST_TARGET}x for the function's own part, without the "
        "time moto (in the benchmark's process) spent answering its requests and, for ImagesFunction, the "
        "imaging work itself, both shown beside; the ratio with them is the last but three column):",
        "",
        "| function | import (ms) | x boto3 | memory after import (MiB) | first invocation | clients "
        "| import + first invocation (ms) | moto answering (ms) | imaging work (ms) | boto3 + its clients (ms) "
        "| x, own part | x, all in | warm repeat (ms) | pydantic | meets both |",
        "|---|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    missed = misses(result)
    for row in rows:
        first, own, moto, base = row.first_ms, row.own_ms, row.moto_ms, row.baseline_ms
        meets = "yes" if not any(m.startswith(row.function + " ") for m in missed) else "NO"
        lines.append(
            f"| {row.function} | {row.import_ms:.0f} | {row.import_ms / boto3_ms:.2f} "
            f"| {statistics.median(row.memory):.0f} | {_event(row.function, row)} "
            f"| {', '.join(row.clients) or 'none'} | {_ms(first)} | {_ms(moto)} | {_ms(row.work_ms)} | {_ms(base)} "
            f"| {_ratio(own, base)} | {_ratio(first, base)} "
            f"| {f'{statistics.median(row.warm):.0f}' if row.warm else '-'} | {'yes' if row.pydantic else 'no'} "
            f"| {meets} |"
        )
    lines += [
        "",
        "*Warm repeat*: the same event again in the same interpreter, clients made: the work itself (for "
        "PublishFunction a replay of the upload it has just published, for CommentsFunction the same reader "
        "again, refused as a flood). *pydantic*: whether the function had imported pydantic by the end of its "
        "first invocation (it validates editors' files and API bodies; Kabar's own records and documents are "
        "plain dataclasses). *moto answering*: the time the moto server spent on the function's requests "
        "during its first invocation (median); it stands in for DynamoDB's, S3's and SQS's latency but is "
        "moto's Python parsing expressions and copying items (a 17-item tags transaction: tens of "
        "milliseconds), not the function's work, so the target leaves it out. *Imaging work*: the same "
        "photo's variants made again (kabar.images.variants.make, the function's widths) in the same "
        "interpreter, warm: decoding, resizing and encoding, which every invocation pays cold or warm "
        "(`make bench-images` measures it at 12 and 24 MP). Taken out of the own part like moto's time; "
        "Pillow's import, its plugins' loading and its first call's set-up stay in it.",
        "",
        "Every function meets both targets." if not missed else "Missed: " + ", ".join(missed) + ".",
        "",
        f"What no handler goes below (same run, fresh interpreters, beside `import boto3` + a DynamoDB client, "
        f"{result['floors']['boto3']:.0f} ms): "
        + "; ".join(
            f"{name}: {ms:.0f} ms, {ms / result['floors']['boto3']:.2f}x"
            for name, ms in result["floors"].items()
            if name != "boto3"
        )
        + ".",
        MARKERS[1],
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    result = measure()
    section = report(result)
    write_results(section, ROOT, MARKERS)
    return 1 if misses(result) else 0


if __name__ == "__main__":
    sys.exit(main())
