"""``make bench-local-latency``: from an editor's upload to the article's JSON on the local CDN.

The stack starts as ``make run`` starts it (its own process, empty); an editor then uploads
KABAR_BENCH_LATENCY_UPLOADS (500) articles one after the other as ``kabar upload`` does (POST
/uploads, the presigned POST to moto's S3) and, for each, polls the local CDN until the
article's document is served with its tags from TaggingFunction (the whole path: PublishQueue,
PublishFunction, the table's stream, DispatchFunction, TaggingQueue, TaggingFunction,
RenderQueue, RenderFunction, the site bucket). Reported: p50, p95 and the largest of those
times over the first 50 uploads and over all of them, and the stack's memory after them (now
and at its peak) against the local stack's bound, 2 GiB (``make bench-local-memory``). The local
stack polls each queue and the stream every 0.2 s when idle, where Lambda's pollers and batching
windows take their own time: this is Kabar's own latency on one machine, not AWS's. Results go
to docs/benchmarks.md and the README between the ``bench:local-latency`` markers.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
UPLOADS = int(os.environ.get("KABAR_BENCH_LATENCY_UPLOADS", "500"))
FIRST = 50  # the p50 and p95 the README leads with: the first 50 uploads
MARKERS = ("<!-- bench:local-latency:start -->", "<!-- bench:local-latency:end -->")

from benchmarks.local_memory import LIMIT_MIB, _client, memory, running, write_articles  # noqa: E402
from benchmarks.sections import write_results  # noqa: E402


def served(config: dict[str, Any], slug: str, session: Any) -> bool:
    response = session.get(f"{config['cdn_url']}/v1/articles/{slug}.json", timeout=30)
    return response.status_code == 200 and bool(response.json().get("tags"))


def measure() -> dict[str, Any]:
    import requests

    with tempfile.TemporaryDirectory(prefix="kabar-latency-") as tmp:
        state = Path(tmp)
        paths, _ = write_articles(state, UPLOADS)
        with running(state) as (process, config):
            editor, session, times = _client(config, "editor"), requests.Session(), []
            for index, path in enumerate(paths):
                started = time.perf_counter()
                editor.upload(path)
                while not served(config, f"bench-{index:05d}", session):
                    if time.perf_counter() - started > 120:
                        raise RuntimeError(f"{path.name} was not served within 120 s")
                    time.sleep(0.02)
                times.append(time.perf_counter() - started)
            return {"uploads": len(times), "times": times, **memory(process.pid)}


def _spread(times: list[float]) -> str:
    ordered = sorted(times)
    p50, p95 = statistics.median(ordered), ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return f"p50 {p50:.2f} s, p95 {p95:.2f} s, largest {ordered[-1]:.2f} s"


def report(result: dict[str, Any]) -> str:
    times, count = result["times"], result["uploads"]
    whole, peak = result["stack"] + result["workers"], result["stack_peak"] + result["workers_peak"]
    within = "within" if peak <= LIMIT_MIB else "OVER"
    return "\n".join(
        [
            MARKERS[0],
            f"**Upload to JSON on the local CDN** (`make bench-local-latency`, {datetime.now(UTC):%Y-%m-%d}, "
            f"{os.cpu_count()} cores): {count:,} articles uploaded one after the other through the local "
            "stack's API and moto's S3, each timed until the local CDN served its document with its tags. "
            f"The first {min(FIRST, count)}: {_spread(times[:FIRST])}; all {count:,}: {_spread(times)}. "
            f"After them the stack held {whole:.0f} MiB ({result['stack']:.0f} MiB its process, "
            f"{result['workers']:.0f} MiB its {result['worker_count']} workers), {peak:.0f} MiB at its peak: "
            f"{within} the local stack's bound of {LIMIT_MIB:,} MiB. The local stack polls idle sources every "
            "0.2 s; on AWS, Lambda's pollers and the batching windows set the pace.",
            MARKERS[1],
            "",
        ]
    )


def main() -> int:
    result = measure()
    write_results(report(result), ROOT, MARKERS)
    return 0 if result["stack_peak"] + result["workers_peak"] <= LIMIT_MIB else 1


if __name__ == "__main__":
    raise SystemExit(main())
