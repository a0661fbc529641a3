"""``make bench-tags``: the tag and related-list quality section of docs/benchmarks.md and the README.

benchmarks/tagging_quality.py (the entity recogniser on IndoNLU; tags on the labelled set beside
capitalised phrases and YAKE) and benchmarks/related_quality.py (related lists on IndoSum beside
exhaustive TF-IDF), between the ``bench:tags`` markers. ``make bench`` includes it.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MARKERS = ("<!-- bench:tags:start -->", "<!-- bench:tags:end -->")


def section() -> str:
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "ERROR")  # thousands of publishes in memory
    from benchmarks import related_quality, tagging_quality

    started = time.perf_counter()
    body = [
        tagging_quality.report(tagging_quality.measure()),
        related_quality.report(related_quality.measure()),
    ]
    took = time.perf_counter() - started
    head = f"Quality of tags and related lists (`make bench-tags`, {time.strftime('%Y-%m-%d')}, Python {platform.python_version()}, {took:.0f} s):\n"
    return "\n".join([MARKERS[0], head, *body, MARKERS[1]]) + "\n"


def main() -> int:
    from benchmarks.sections import write_results

    write_results(section(), ROOT, MARKERS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
