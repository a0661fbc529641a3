"""Comments: intake latency through the handler on moto.

1. Latency: CommentsFunction's handler answering ``POST /articles/{slug}/comments``
   (API Gateway proxy events, every rule and the one transaction), and
   ModerationFunction's approving one, in this process on moto with the whole
   stack (``stack_on_moto``, with ``kabar_infra.moto_fixes``' transaction
   snapshot): wall time per request, p50 and p95. Each comment comes from its
   own email and /24 network; every fourth author at once posts again and is
   refused (429).
The content rules on labelled sets are benchmarks/spam_quality.py (``make bench-spam``).
"""

from __future__ import annotations

import json
import statistics
import time
from typing import Any

COMMENTS = 200
SLUG = "banjir-rendam-kampung-melayu"


# --------------------------------------------------------------------- content rules


# --------------------------------------------------------------------- latency


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def latency() -> dict[str, Any]:
    from benchmarks.moto_scale import install, stack_on_moto
    from kabar_infra.local.api import match, proxy_event, routes
    from tests.support.app import article_file

    install()  # moto's whole-table transaction snapshots would dominate every figure
    with stack_on_moto() as app:
        app.upload("a.md", article_file(title="Banjir Rendam Kampung Melayu", body="Air naik.\n"))
        table_routes = routes(app.template)

        def call(method: str, path: str, body: Any, ip: str, groups: str | None = None) -> tuple[int, float]:
            route, params, _ = match(table_routes, method, path)
            assert route is not None
            claims = {"cognito:username": "bench", "cognito:groups": groups} if groups else None
            event = proxy_event(route, method=method, path=path, path_parameters=params,
                                headers={"Content-Type": "application/json"}, query={},
                                body=json.dumps(body).encode() if body is not None else b"", claims=claims,
                                source_ip=ip)  # fmt: skip
            started = time.perf_counter()
            response = app.invoke(route.function, event)
            return int(response["statusCode"]), (time.perf_counter() - started) * 1000

        path = f"/articles/{SLUG}/comments"
        first_status, first_ms = call("POST", path, {"name": "Pertama", "email": "pertama@example.id",
                                                     "content": "Komentar pertama."}, "10.255.0.1")  # fmt: skip
        assert first_status == 201
        taken, refused, ids = [], [], []
        for n in range(COMMENTS):
            body = {"name": f"Pembaca {n}", "email": f"pembaca{n}@example.id",
                    "content": f"Semoga warga cepat pulih, komentar nomor {n}."}  # fmt: skip
            ip = f"10.{n // 250}.{n % 250}.7"
            status, ms = call("POST", path, body, ip)
            assert status == 201, status
            taken.append(ms)
            if n % 4 == 0:  # the same author again at once: refused by the flood rule
                status, ms = call("POST", path, {**body, "content": f"Lagi {n}."}, ip)
                assert status == 429, status
                refused.append(ms)
        from kabar.table.codec import from_item

        pending = [from_item(i)["id"] for i in app.table_items() if i["sk"]["S"] == "COMMENT"][:100]
        app.router.drain()
        approved = []
        for comment_id in pending:
            status, ms = call("POST", f"/comments/{comment_id}/approve", None, "10.254.0.1", "moderators")
            assert status == 200, status
            approved.append(ms)
            ids.append(comment_id)
        started = time.perf_counter()
        app.router.drain()
        render_ms = (time.perf_counter() - started) * 1000

    def summary(samples: list[float]) -> dict[str, float]:
        return {"n": len(samples), "p50": statistics.median(samples), "p95": _percentile(samples, 0.95)}

    return {"first_ms": first_ms, "taken": summary(taken), "refused": summary(refused),
            "approve": summary(approved), "render_ms_per_approval": render_ms / len(ids)}  # fmt: skip


# --------------------------------------------------------------------- report


def measure() -> dict[str, Any]:
    return {"latency": latency()}


def report(results: dict[str, Any]) -> str:
    lat = results["latency"]
    lines = [
        "**Comment intake latency** (the handler answering an API Gateway event, every rule and the",
        "one transaction, on moto in this process; wall time per request; moto's own work is most of it):",
        "",
        "| request | requests | p50 (ms) | p95 (ms) |",
        "|---|---:|---:|---:|",
    ]
    for key, label in [("taken", "comment taken (201, each from its own email and /24)"),
                       ("refused", "comment refused (429, the same author within 15 s)"),
                       ("approve", "moderator approves (200)")]:  # fmt: skip
        row = lat[key]
        lines.append(f"| {label} | {row['n']} | {row['p50']:.1f} | {row['p95']:.1f} |")
    lines += [
        "",
        f"The first request of the run (the handler's first use: settings, secret, clients) took "
        f"{lat['first_ms']:.0f} ms. RenderFunction then spent {lat['render_ms_per_approval']:.0f} ms per "
        "approval (newest page, comments.json and the article document), batched as the stream delivers them.",
    ]
    return "\n".join(lines) + "\n"
