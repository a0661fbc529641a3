"""Comments: intake latency through the handler on moto, and the content rules on labelled sets.

1. Latency: CommentsFunction's handler answering ``POST /articles/{slug}/comments``
   (API Gateway proxy events, every rule and the one transaction), and
   ModerationFunction's approving one, in this process on moto with the whole
   stack (``stack_on_moto``, with ``kabar_infra.moto_fixes``' transaction
   snapshot): wall time per request, p50 and p95. Each comment comes from its
   own email and /24 network; every fourth author at once posts again and is
   refused (429).
2. Content rules (``kabar.text.comment_rules.classify_content`` with the default word
   lists, what the intake runs before any history): on the YouTube Spam
   Collection (1,956 English comments, ../shared/data/youtube-spam, when it is
   there) and on ``benchmarks/data/comments_labels.jsonl`` (70 Indonesian
   comments written for this project: 40 readers' comments on the sample
   articles' topics, 30 spam of the kinds Indonesian sites get). The second set
   was written by the people who wrote the rules, so it is a sanity check, not
   an independent measure; the default lists were not changed after seeing it.

"Held" is spam or pending: not published at once even for a commenter with
approved comments before. At intake every first-time commenter is held anyway,
so the content rules decide only for returning commenters.
"""

from __future__ import annotations

import csv
import json
import statistics
import time
from pathlib import Path
from typing import Any

from kabar.text.comment_rules import classify_content

HERE = Path(__file__).parent
YOUTUBE = HERE.parent.parent / "shared" / "data" / "youtube-spam"
INDONESIAN = HERE / "data" / "comments_labels.jsonl"
COMMENTS = 200
SLUG = "banjir-rendam-kampung-melayu"


# --------------------------------------------------------------------- content rules


def _youtube() -> list[dict[str, Any]] | None:
    if not YOUTUBE.exists():
        return None
    rows = []
    for path in sorted(YOUTUBE.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                rows.append({"name": row["AUTHOR"], "content": row["CONTENT"],
                             "label": "spam" if row["CLASS"].strip() == "1" else "ham"})  # fmt: skip
    return rows


def _indonesian() -> list[dict[str, Any]]:
    return [json.loads(line) for line in INDONESIAN.read_text(encoding="utf-8").splitlines() if line.strip()]


def rule_rates(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Share of spam marked spam and held, share of ham marked spam and held."""
    verdicts = {"spam": [], "ham": []}  # type: dict[str, list[str]]
    for row in rows:
        found = classify_content(name=row["name"], content=row["content"])
        verdicts[row["label"]].append(found.verdict or "approved")

    def share(label: str, *kinds: str) -> float:
        return sum(v in kinds for v in verdicts[label]) / max(1, len(verdicts[label]))

    return {
        "spam": len(verdicts["spam"]), "ham": len(verdicts["ham"]),
        "spam_marked": share("spam", "spam"), "spam_held": share("spam", "spam", "pending"),
        "ham_marked": share("ham", "spam"), "ham_held": share("ham", "spam", "pending"),
    }  # fmt: skip


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
    youtube = _youtube()
    return {"latency": latency(), "youtube": rule_rates(youtube) if youtube else None,
            "indonesian": rule_rates(_indonesian())}  # fmt: skip


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
        "",
        "**Comment content rules** (default word lists; held = spam or pending, not published at once",
        "even for a commenter with approved comments; first-time commenters are held regardless):",
        "",
        "| labelled set | spam | ham | spam marked spam | spam held | ham marked spam | ham held |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    sets = [("youtube", "YouTube Spam Collection (English)"),
            ("indonesian", "Indonesian set (benchmarks/data, written for this project)")]  # fmt: skip
    for key, label in sets:
        rates = results[key]
        if rates is None:
            lines.append(f"| {label} | skipped: {YOUTUBE} is not there | | | | | |")
            continue
        lines.append(
            f"| {label} | {rates['spam']} | {rates['ham']} | {rates['spam_marked']:.0%} | "
            f"{rates['spam_held']:.0%} | {rates['ham_marked']:.1%} | {rates['ham_held']:.1%} |"
        )
    lines += [
        "",
        "Words catch what they name: the default lists miss gambling slang they do not list",
        '("gacor", "maxwin", "slot88"), spelled-around words ("s1ot g4cor") and single bare links;',
        "a site adds its own words (CommentDisallowedWords, CommentModerationWords) and tries them",
        "on past comments with `kabar comments classify` first.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(HERE.parent))
    print(report(measure()))
