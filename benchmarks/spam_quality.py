"""The comment content rules on labelled sets: how many promotions they keep from the public, how
many ordinary comments they mark spam or hold, and the time per comment (``make bench-spam``).

What is measured is ``kabar.text.comment_rules.classify_content`` with the default word lists and no
learned names: what ``kabar comments classify`` and the intake apply before any history. "Kept from
the public" is spam or pending (a first-time commenter is held anyway at intake; the content rules
decide for a returning one).

The sets:

- ``benchmarks/data/judol_comments.jsonl``: 467 Indonesian comments written for this project, 205
  online-gambling promotions of every family issue 13 names (styled letters, keycaps, look-alikes,
  combining marks, invisible characters, separated letters, leetspeak, repeated letters, plain site
  names, slang without a name, praise templates) and 262 ordinary comments, many chosen to look like
  promotions (money, scores, "wd 40", "slot waktu", a Toto, comments against gambling, a styled
  "Masya Allah"). The rules were written with this set at hand, so its figures flatter them: they
  show what the rules do, not how well they generalise.
- ``benchmarks/data/judol_held_out.jsonl``: 99 more (44 promotions, 55 ordinary), written after the
  rules' first version, with other site names and phrasings; one change was made after seeing it
  (styled words the rules know count as a reader's emphasis, which it and the first set both
  showed). The site names in both sets are made up.
- ``benchmarks/data/comments_labels.jsonl``: 70 Indonesian comments of an earlier issue (40
  readers', 30 spam of every kind, gambling among them).
- The YouTube Spam Collection (1,956 English comments, ``../shared/data/youtube-spam``, when it is
  there): English self-promotion, which the gambling rules are not for; its ordinary comments show
  what the rules cost readers who write in English.
"""

from __future__ import annotations

import csv
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.sections import write_results  # noqa: E402
from kabar.text.comment_rules import classify_content  # noqa: E402

HERE = Path(__file__).parent
JUDOL = HERE / "data" / "judol_comments.jsonl"
HELD_OUT = HERE / "data" / "judol_held_out.jsonl"
EARLIER = HERE / "data" / "comments_labels.jsonl"
YOUTUBE = ROOT.parent / "shared" / "data" / "youtube-spam"
MARKERS = ("<!-- bench:spam:start -->", "<!-- bench:spam:end -->")
# Issue 13's bounds, on a set kept outside the project.
KEPT, MARKED, HELD, MICROSECONDS = 0.97, 0.005, 0.03, 1000


def _lines(path: Path, promotion: str) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [{**row, "promotion": row["label"] == promotion} for row in rows]


def _youtube() -> list[dict[str, Any]] | None:
    if not YOUTUBE.exists():
        return None
    rows = []
    for path in sorted(YOUTUBE.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows += [{"name": row["AUTHOR"], "content": row["CONTENT"], "promotion": row["CLASS"].strip() == "1"}
                     for row in csv.DictReader(handle)]  # fmt: skip
    return rows


def rates(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Promotions kept (spam or pending) and marked spam; ordinary comments marked spam and held
    pending; the time per comment; promotions kept per family."""
    verdicts: dict[bool, Counter[str]] = {True: Counter(), False: Counter()}
    families: dict[str, Counter[str]] = {}
    times = []
    for row in rows:
        started = time.perf_counter()
        verdict = classify_content(name=row.get("name", ""), content=row["content"]).verdict or "approved"
        times.append((time.perf_counter() - started) * 1e6)
        verdicts[row["promotion"]][verdict] += 1
        if row["promotion"] and "family" in row:
            families.setdefault(row["family"], Counter())[verdict != "approved"] += 1
    promotions, ordinary = verdicts[True], verdicts[False]
    p, o = max(1, sum(promotions.values())), max(1, sum(ordinary.values()))
    return {
        "promotions": sum(promotions.values()), "ordinary": sum(ordinary.values()),
        "kept": (promotions["spam"] + promotions["pending"]) / p, "promotions_marked": promotions["spam"] / p,
        "marked": ordinary["spam"] / o, "held": ordinary["pending"] / o,
        "p50_us": statistics.median(times), "p95_us": sorted(times)[int(0.95 * (len(times) - 1))],
        "families": {name: found[True] / sum(found.values()) for name, found in sorted(families.items())},
    }  # fmt: skip


def measure() -> dict[str, Any]:
    classify_content(name="", content="pemanasan")  # the first call compiles and caches
    youtube = _youtube()
    return {"judol": rates(_lines(JUDOL, "promotion")), "held_out": rates(_lines(HELD_OUT, "promotion")),
            "earlier": rates(_lines(EARLIER, "spam")), "youtube": rates(youtube) if youtube else None}  # fmt: skip


def report(results: dict[str, Any]) -> str:
    lines = [
        MARKERS[0],
        f"**Comment content rules** (`make bench-spam`, {time.strftime('%Y-%m-%d')}, Python "
        f"{sys.version.split()[0]}; default word lists, no learned names; kept = spam or pending):",
        "",
        "| labelled set | promotions | ordinary | promotions kept | promotions marked spam | ordinary marked spam "
        "| ordinary held | time per comment, p50 / p95 (µs) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    sets = [("judol", "Indonesian judol set (benchmarks/data/judol_comments.jsonl, written with the rules)"),
            ("held_out", "Indonesian judol set written after the rules (benchmarks/data/judol_held_out.jsonl)"),
            ("earlier", "Indonesian set of issue 8 (benchmarks/data/comments_labels.jsonl; all kinds of spam)"),
            ("youtube", "YouTube Spam Collection (English self-promotion)")]  # fmt: skip
    for key, label in sets:
        found = results[key]
        if found is None:
            lines.append(f"| {label} | skipped: {YOUTUBE} is not there | | | | | | |")
            continue
        lines.append(
            f"| {label} | {found['promotions']} | {found['ordinary']} | {found['kept']:.1%} | "
            f"{found['promotions_marked']:.1%} | {found['marked']:.1%} | {found['held']:.1%} | "
            f"{found['p50_us']:.0f} / {found['p95_us']:.0f} |"
        )
    judol = results["judol"]
    met = (judol["kept"] >= KEPT and judol["marked"] <= MARKED and judol["held"] <= HELD
           and judol["p95_us"] < MICROSECONDS)  # fmt: skip
    families = ", ".join(f"{name} {share:.0%}" for name, share in judol["families"].items())
    lines += [
        "",
        f"Promotions kept by family on the judol set: {families}.",
        "",
        f"Issue 13's bounds (at least {KEPT:.0%} of promotions kept, at most {MARKED:.1%} of ordinary comments "
        f"marked spam and {HELD:.0%} held, under {MICROSECONDS} µs a comment) are "
        f"{'met' if met else 'not met'} on the judol set; they are judged on real comments kept outside "
        "the project, where the figures will be lower. The English set is not what the rules are for: "
        'its self-promotion ("check out my channel") is caught by the moderation words only.',
        MARKERS[1],
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    write_results(report(measure()), ROOT, MARKERS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
