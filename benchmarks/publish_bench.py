"""``make bench-publish``: one publish at newsroom scale, metered, and what it costs.

For 10,000 and 1,000,000 articles, 50 and 2,000 a day, 100 and 100,000 tags (eight tables,
benchmarks/publish_seed.py), an editor publishes two new articles one after the other
through the whole stack on moto (the API, S3, PublishQueue, the stream, DispatchFunction, the
stages' queues, InvalidationQueue): each in the two busiest tags, the busiest category and by
the busiest author, with suggestions from its text and two read-also links. The first fills the newest page of ``latest.json`` past
PageSize (a split), the second lands on a page with room. Every AWS call the functions make
is metered at botocore's API-call boundary: requests by function and operation, items read
(returned or scanned) and written, the read and write units DynamoDB bills, documents
written and the largest, the CloudFront paths queued for invalidation. Each figure shown is
the larger of the two publishes. The costs use the list prices in PRICES.

The seed is the part of the table a publish can reach (see publish_seed); at 10,000 articles
the bench also publishes into the full table (every article seeded) and checks that the
counts are the same. Results go to docs/benchmarks.md and the README (bench:publish markers).
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MARKERS = ("<!-- bench:publish:start -->", "<!-- bench:publish:end -->")
GRID = [(a, d, t) for a in (10_000, 1_000_000) for d in (50, 2_000) for t in (100, 100_000)]
# Issue 12's bounds, and issue 16's documents on top: items read, the newest sitemap (at most
# SITEMAP_SIZE, 500), the news sitemap's articles older than it (at most NEWS_SIZE, 1,000, less
# those in the newest sitemap), and the category's and the author's newest pages and feeds (a
# page and the newest 50 each) and categories.json; requests and documents, the category's and
# the author's documents and their feeds, categories.json, the sitemaps and the news sitemap
# (about 40 requests with their writes); the largest document, the news sitemap of 1,000
# articles (about 300 KB; Google takes 50 MB). Each a constant, whatever the corpus. The article
# has one author, as most have: each more (at most 5) adds a document and two feeds.
BOUNDS = {"read": 2400, "requests": 100, "documents": 32, "paths": 12, "largest": 512 * 1024}
BOUND_NAMES = {"read": "items read", "requests": "AWS requests", "documents": "documents written",
               "paths": "paths invalidated", "largest": "bytes in the largest document"}  # fmt: skip
# US dollars, us-east-1 list prices as AWS's pricing pages gave them (see docs/benchmarks.md).
PRICES = {
    "lambda_request": 0.20 / 1e6, "lambda_gb_second_arm": 0.0000133334,
    "dynamodb_wru": 0.625 / 1e6, "dynamodb_rru": 0.125 / 1e6,
    "s3_put": 0.005 / 1000, "s3_get": 0.0004 / 1000, "sqs_request": 0.40 / 1e6,
    "cloudfront_path": 0.005, "cloudfront_https_request": 0.0100 / 10_000, "cloudfront_gb": 0.085,
}  # fmt: skip
MEMORY_GB = 0.5  # every function's MemorySize (template Globals)
WRITES = {"PutItem", "UpdateItem", "DeleteItem"}
INVALIDATION_QUEUE: list[str] = []  # the stack's InvalidationQueue URL, once provisioned

from benchmarks.sections import write_results  # noqa: E402


def _units(size: int, per: int) -> int:
    return max(1, math.ceil(size / per))


def _meter_call(
    meter: dict[str, Any], operation: str, params: dict[str, Any], response: dict[str, Any]
) -> None:
    """Add one call's items, units, documents and paths to ``meter``."""
    if operation == "GetItem":
        found = 1 if "Item" in response else 0
        meter["read"] += found
        meter["rru"] += _units(len(json.dumps(response.get("Item", {}))), 4096) / 2
    elif operation == "Query":
        meter["read"] += response.get("ScannedCount", len(response.get("Items", [])))
        meter["rru"] += _units(len(json.dumps(response.get("Items", []))), 4096) / 2
    elif operation == "BatchGetItem":
        found = [item for items in response.get("Responses", {}).values() for item in items]
        meter["read"] += len(found)
        meter["rru"] += sum(_units(len(json.dumps(item)), 4096) for item in found) / 2
    elif operation in WRITES:
        meter["written"] += 1
        meter["wru"] += _units(len(json.dumps(params.get("Item") or params.get("Key"))), 1024)
    elif operation == "TransactWriteItems":
        for entry in params["TransactItems"]:
            ((kind, body),) = entry.items()
            if kind == "ConditionCheck":
                meter["read"] += 1
                meter["rru"] += 2  # a transactional read of up to 4 KB
            else:
                meter["written"] += 1
                meter["wru"] += 2 * _units(len(json.dumps(body.get("Item") or body.get("Key"))), 1024)
    elif operation == "BatchWriteItem":
        entries = [r for requests in params["RequestItems"].values() for r in requests]
        meter["written"] += len(entries)
        meter["wru"] += sum(_units(len(json.dumps(r)), 1024) for r in entries)
    elif operation == "PutObject":
        body = params["Body"]  # bytes, or a file botocore made of them
        meter["documents"].append(
            (str(params["Key"]), len(body.getvalue() if hasattr(body, "getvalue") else body))
        )
    elif operation in ("SendMessage", "SendMessageBatch") and params["QueueUrl"] in INVALIDATION_QUEUE:
        bodies = (
            [params["MessageBody"]]
            if operation == "SendMessage"
            else [e["MessageBody"] for e in params["Entries"]]
        )
        meter["paths"] |= {path for body in bodies for path in json.loads(body).get("paths", [])}


@contextmanager
def metered_functions(app: Any) -> Iterator[dict[str, dict[str, Any]]]:
    """Per function: calls by operation, items, units, documents, paths and invocations' time."""
    from botocore.client import BaseClient

    meters: dict[str, dict[str, Any]] = {}
    current: list[dict[str, Any]] = []
    original, invoke = BaseClient._make_api_call, app.router.invoke

    def metered(self: Any, operation: str, params: Any) -> Any:
        response = original(self, operation, params)
        if current:  # (a metering error would fail the function: tests/unit/test_publish_bench.py)
            meter = current[-1]
            meter["calls"][f"{self.meta.service_model.service_name}:{operation}"] += 1
            _meter_call(meter, operation, params, response)
        return response

    def metered_invoke(function: str, event: dict[str, Any]) -> Any:
        meter = meters.setdefault(function, {"calls": Counter(), "read": 0, "written": 0, "rru": 0.0,
                                             "wru": 0, "documents": [], "paths": set(), "invocations": 0,
                                             "seconds": 0.0})  # fmt: skip
        current.append(meter)
        started = time.perf_counter()
        try:
            return invoke(function, event)
        finally:
            meter["seconds"] += time.perf_counter() - started
            meter["invocations"] += 1
            current.pop()

    BaseClient._make_api_call, app.router.invoke = metered, metered_invoke  # type: ignore[method-assign]
    try:
        yield meters
    finally:
        BaseClient._make_api_call, app.router.invoke = original, invoke  # type: ignore[method-assign]


def publish_once(app: Any, number: int) -> dict[str, Any]:
    """One editor's publish through the stack; its metered totals."""
    from benchmarks.publish_seed import AUTHORS, CATEGORIES, NOW
    from tests.support.app import article_file

    _, ticket = app.api("POST", "/uploads", {"filename": f"baru-{number}.md"})
    body = ("Tentara Suriah bersama pasukan sekutu merebut kembali desa di selatan Aleppo. Jet tempur "
            "menggempur posisi kelompok bersenjata.\n\nSumber di Damaskus menyebut operasi berlanjut.\n")  # fmt: skip
    text = article_file(title=f"Pasukan Suriah Rebut Desa Dekat Aleppo {number}", tags=["Suriah", "Aleppo"],
                        category=CATEGORIES[0], author=AUTHORS[0],
                        published_at=(NOW + timedelta(hours=number)).isoformat(), body=body,
                        read_also=["arsip-0000001", "arsip-0000002"])  # fmt: skip
    app.s3.put_object(Bucket=app.incoming_bucket, Key=ticket["upload"]["fields"]["key"], Body=text)
    with metered_functions(app) as meters:
        app.router.drain()
    assert app.status(ticket["upload_id"])["state"] == "published", app.status(ticket["upload_id"])
    return summarise(meters)


def summarise(meters: dict[str, dict[str, Any]]) -> dict[str, Any]:
    calls: Counter[str] = Counter()
    for meter in meters.values():
        calls.update(meter["calls"])
    documents = [size for meter in meters.values() for _, size in meter["documents"]]
    total = {
        key: sum(m[key] for m in meters.values()) for key in ("read", "written", "rru", "wru", "invocations")
    }
    gb_seconds = sum(m["seconds"] for m in meters.values()) * MEMORY_GB
    return {
        **total, "requests": sum(calls.values()), "gb_seconds": gb_seconds,
        "by_function": {name.removesuffix("Function"): sum(m["calls"].values()) for name, m in sorted(meters.items())},
        "by_operation": dict(sorted(calls.items())), "documents": len(documents),
        "largest": max(documents, default=0), "paths": len(set().union(*(m["paths"] for m in meters.values()))),
        "sqs": sum(n for op, n in calls.items() if op.startswith("sqs:")),
        "s3_puts": calls.get("s3:PutObject", 0) + calls.get("s3:DeleteObject", 0),
        "article_bytes": max((size for m in meters.values() for key, size in m["documents"]
                              if key.startswith("v1/articles/")), default=0),
        "feeds": sum(1 for m in meters.values() for key, _ in m["documents"] if _is_feed(key)),
        "sitemaps": sum(1 for m in meters.values() for key, _ in m["documents"] if _is_search(key)),
    }  # fmt: skip


def _is_feed(key: str) -> bool:
    return key.endswith(("/feed.xml", "/feed.json"))


def _is_search(key: str) -> bool:
    """robots.txt, the sitemap index, the sitemaps and the news sitemap (at the bucket's root)."""
    return "/" not in key and (key.endswith(".xml") or key == "robots.txt")


def cost_per_thousand(one: dict[str, Any]) -> float:
    """US dollars for 1,000 such publishes (invalidations as billed past the free 1,000 a month)."""
    p = PRICES
    dollars = (one["invocations"] * p["lambda_request"] + one["gb_seconds"] * p["lambda_gb_second_arm"]
               + one["wru"] * p["dynamodb_wru"] + one["rru"] * p["dynamodb_rru"]
               + one["s3_puts"] * p["s3_put"] + one["sqs"] * p["sqs_request"]
               + one["paths"] * p["cloudfront_path"])  # fmt: skip
    return dollars * 1000


def measure(articles: int, per_day: int, tags: int, window: int | None = None) -> dict[str, Any]:
    from benchmarks import moto_scale
    from benchmarks.publish_seed import WINDOW, Corpus, seed

    corpus = Corpus(articles, per_day, tags, window or WINDOW)
    started = time.perf_counter()
    with moto_scale.stack_on_moto() as app:
        seed(app, corpus)
        INVALIDATION_QUEUE[:] = [app.stack.ref("InvalidationQueue")]
        app.router.skip_to_latest()
        seeded = time.perf_counter() - started
        publishes = [publish_once(app, number) for number in (1, 2)]
    worst = {key: max(p[key] for p in publishes) for key in publishes[0] if not key.startswith("by_")}
    heaviest = max(publishes, key=lambda p: p["requests"])
    return {"articles": articles, "per_day": per_day, "tags": tags, "seeded_articles": corpus.seeded,
            "seed_seconds": round(seeded, 1), **worst, "by_function": heaviest["by_function"],
            "by_operation": heaviest["by_operation"], "cost_1000": cost_per_thousand(worst),
            "publishes": [{k: v for k, v in p.items() if not k.startswith("by_")} for p in publishes]}  # fmt: skip


def page_views_cost(article_bytes: int, hit_ratio: float = 0.0) -> float:
    """US dollars for 1,000,000 page views, each one JSON document of ``article_bytes`` from
    CloudFront (requests and transfer out), ``1 - hit_ratio`` of them fetched from S3."""
    p = PRICES
    transfer = 1e6 * article_bytes / 1e9 * p["cloudfront_gb"]
    return 1e6 * p["cloudfront_https_request"] + transfer + 1e6 * (1 - hit_ratio) * p["s3_get"]


# --------------------------------------------------------------------- report


def within(result: dict[str, Any]) -> bool:
    return all(result[key] <= bound for key, bound in BOUNDS.items())


def report(results: list[dict[str, Any]], check: dict[str, Any] | None, seconds: float) -> str:
    import os
    import platform

    lines = [
        MARKERS[0],
        f"**One publish at newsroom scale** (`make bench-publish`, {datetime.now(UTC):%Y-%m-%d}, "
        f"Python {platform.python_version()}, {os.cpu_count()} cores, {seconds / 60:.0f} min): two articles "
        "published one after the other through the whole stack on moto, each in the two busiest tags "
        "(plus suggestions from its text) with two read-also links; the larger of the two publishes "
        "is shown (the first splits the newest page of `latest.json`). Items read are those returned "
        "or scanned; units are what DynamoDB on-demand bills; paths are CloudFront paths queued for "
        "invalidation; cost is per 1,000 such publishes at the prices below.",
        "",
        "| articles | a day | tags | AWS requests | items read | items written | documents (largest) "
        "| of them feeds | of them sitemaps | paths | cost / 1,000 publishes | within bounds |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['articles']:,} | {r['per_day']:,} | {r['tags']:,} | {r['requests']} | {r['read']} "
            f"| {r['written']} | {r['documents']} ({r['largest'] / 1024:.1f} KiB) | {r['feeds']} | {r['sitemaps']} "
            f"| {r['paths']} "
            f"| ${r['cost_1000']:.3f} | {'yes' if within(r) else 'NO'} |"
        )
    largest = max(results, key=lambda r: r["requests"])
    lines += ["", f"By function, at {largest['articles']:,} articles, {largest['per_day']:,} a day, "
              f"{largest['tags']:,} tags: " + ", ".join(f"{k} {v}" for k, v in largest["by_function"].items())
              + "; by operation: " + ", ".join(f"{k} {v}" for k, v in largest["by_operation"].items()) + "."]  # fmt: skip
    bounds = ", ".join(f"{BOUND_NAMES[k]} {v:,}" for k, v in BOUNDS.items())
    over = sorted({BOUND_NAMES[k] for r in results for k, v in BOUNDS.items() if r[k] > v})
    verdict = "every size is within them" if not over else "over at some size: " + ", ".join(over)
    lines += ["", f"Bounds per publish (issues 12 and 16): at most {bounds}; {verdict}."]
    if check:
        same = check["same"]
        lines += ["", f"Equivalence: at 10,000 articles ({check['per_day']:,} a day, {check['tags']:,} tags) the "
                  f"full table (every article seeded) gives {check['full']['requests']} requests, "
                  f"{check['full']['read']} items read, {check['full']['written']} written; the seed of the "
                  f"newest {check['window']} gives {check['window_result']['requests']}, "
                  f"{check['window_result']['read']}, {check['window_result']['written']}: "
                  + ("the same." if same else "NOT the same.")]  # fmt: skip
    article = max(r["article_bytes"] for r in results)
    lines += [
        "",
        f"**Page views.** One page view is one article document ({article / 1024:.1f} KiB as written, "
        "uncompressed) from CloudFront; a million cost "
        f"${page_views_cost(article, 0.95):.2f} at a 95 % edge hit ratio (${page_views_cost(article, 0.0):.2f} "
        "if every view went to S3): CloudFront's requests and transfer, S3's GETs for the misses, no "
        "Lambda and no DynamoDB.",
        "",
        "Prices (US dollars, us-east-1, list prices from AWS's pricing pages as of 2026-12-01): "
        + "; ".join(f"{k} {v:g}" for k, v in PRICES.items())
        + f". Lambda time is the functions' wall time on moto at {MEMORY_GB:g} GB (an upper bound: moto "
        "is slower than DynamoDB); SQS counts every request; free tiers are ignored except "
        "CloudFront's first 1,000 invalidation paths a month, which the path price assumes are spent.",
        MARKERS[1],
    ]
    return "\n".join(lines) + "\n"


def run() -> tuple[str, bool]:
    """Every size of GRID, and the equivalence check: the report, and whether all is within bounds."""
    started = time.perf_counter()
    results = []
    for articles, per_day, tags in GRID:
        result = measure(articles, per_day, tags)
        print(json.dumps({k: v for k, v in result.items() if k != "publishes"}), flush=True)
        results.append(result)
    full = measure(10_000, 50, 100, window=10_000)
    window_result = next(r for r in results if (r["articles"], r["per_day"], r["tags"]) == (10_000, 50, 100))
    keys = ("requests", "read", "written", "documents", "paths")
    check = {"per_day": 50, "tags": 100, "full": full, "window_result": window_result,
             "window": window_result["seeded_articles"],
             "same": all(full[k] == window_result[k] for k in keys)}  # fmt: skip
    ok = all(map(within, results)) and bool(check["same"])
    return report(results, check, time.perf_counter() - started), ok


def main() -> int:
    section, ok = run()
    write_results(section, ROOT, MARKERS)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
