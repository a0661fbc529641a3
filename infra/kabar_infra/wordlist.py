"""``make wordlist``: the Indonesian words the comment rules know, built from IndoSum.

Reads ``../shared/data/indosum/articles.jsonl`` (3,463 Indonesian news articles, CC BY-SA 4.0) and
writes ``shared/kabar/text/data/indonesian_words.txt``: every lower-case word of two or more
letters a-z that occurs at least :data:`MIN_COUNT` times, one a line, sorted. The same input gives
the same file. The list ships with the layer (its licence notice is
``shared/kabar/text/data/README.md``); nothing at run time or in the tests needs IndoSum.

:mod:`kabar.text.promotion` uses it to tell a styled word a reader uses for emphasis (``𝐁𝐚𝐠𝐮𝐬
𝐬𝐞𝐤𝐚𝐥𝐢``, words it knows) from a styled site name (``𝐃𝐄𝐖𝐀𝐃𝐎𝐑𝐀``, a word it does not).
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT.parent / "shared" / "data" / "indosum" / "articles.jsonl"
TARGET = ROOT / "shared" / "kabar" / "text" / "data" / "indonesian_words.txt"
MIN_COUNT = 3
HEADER = "# Indonesian words from IndoSum (CC BY-SA 4.0; see README.md here). make wordlist rebuilds it.\n"


def build(source: Path = SOURCE) -> list[str]:
    counts: Counter[str] = Counter()
    with source.open(encoding="utf-8") as lines:
        for line in lines:
            counts.update(re.findall(r"[a-z]{2,}", json.loads(line)["text"].lower()))
    return sorted(word for word, count in counts.items() if count >= MIN_COUNT)


def main() -> int:
    if not SOURCE.exists():
        print(f"wordlist: {SOURCE} is not there; the committed list stays", file=sys.stderr)
        return 1
    words = build()
    TARGET.write_text(HEADER + "\n".join(words) + "\n", encoding="utf-8")
    print(f"wrote {len(words)} words to {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
