"""``make wordlist``: the Indonesian words the comment rules know, and how common each word stem is
in the news, built from IndoSum.

Reads ``../shared/data/indosum/articles.jsonl`` (3,463 Indonesian news articles, CC BY-SA 4.0) and
writes ``shared/kabar/text/data/indonesian_words.txt``: every lower-case word of two or more
letters a-z that occurs at least :data:`MIN_COUNT` times, one a line, sorted. The same input gives
the same file. The list ships with the layer (its licence notice is
``shared/kabar/text/data/README.md``); nothing at run time or in the tests needs IndoSum.

It also writes ``shared/kabar/text/data/stem_frequencies.bin``: how many IndoSum articles have each
stem (:func:`kabar.text.relatedness.words`, the stems related-article profiles are made of), for
the stems in at least :data:`MIN_ARTICLES` articles: a JSON line (the article count, the number of
stems, the licence note), then a :class:`kabar.text.lexicon.Lexicon` of uint16 counts, so that
TaggingFunction reads it without parsing 17,000 lines. The profiles weigh a stem by its rarity
(inverse document frequency) from this table: "harga" says less of a story than "cabai".

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
FREQUENCIES = ROOT / "shared" / "kabar" / "text" / "data" / "stem_frequencies.bin"
MIN_COUNT = 3
MIN_ARTICLES = 2
HEADER = "# Indonesian words from IndoSum (CC BY-SA 4.0; see README.md here). make wordlist rebuilds it.\n"


def build(source: Path = SOURCE) -> list[str]:
    counts: Counter[str] = Counter()
    with source.open(encoding="utf-8") as lines:
        for line in lines:
            counts.update(re.findall(r"[a-z]{2,}", json.loads(line)["text"].lower()))
    return sorted(word for word, count in counts.items() if count >= MIN_COUNT)


def stem_frequencies(source: Path = SOURCE) -> tuple[int, dict[str, int]]:
    """How many articles have each stem (headline words from the URL, and the text), and how many articles."""
    from kabar.text.relatedness import words

    counts: Counter[str] = Counter()
    articles = 0
    with source.open(encoding="utf-8") as lines:
        for line in lines:
            item = json.loads(line)
            counts.update(set(words(f"{item['title_from_url']}\n{item['text']}")))
            articles += 1
    return articles, {stem: n for stem, n in sorted(counts.items()) if n >= MIN_ARTICLES}


def write_frequencies(articles: int, counts: dict[str, int], target: Path = FREQUENCIES) -> None:
    from kabar.text.lexicon import Lexicon

    lexicon = Lexicon.of(counts, "H")
    header = {"note": "IndoSum stems (CC BY-SA 4.0; see README.md here): articles with the stem. "
              "make wordlist builds it.", "articles": articles, "stems": len(lexicon)}  # fmt: skip
    target.write_bytes(json.dumps(header).encode() + b"\n" + lexicon.tobytes())


def main() -> int:
    if not SOURCE.exists():
        print(f"wordlist: {SOURCE} is not there; the committed list stays", file=sys.stderr)
        return 1
    words = build()
    TARGET.write_text(HEADER + "\n".join(words) + "\n", encoding="utf-8")
    print(f"wrote {len(words)} words to {TARGET.relative_to(ROOT)}")
    articles, counts = stem_frequencies()
    write_frequencies(articles, counts)
    print(f"wrote {len(counts)} stems of {articles} articles to {FREQUENCIES.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
