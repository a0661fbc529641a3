"""``make bench-tags`` (related part): related lists on IndoSum, beside exhaustive TF-IDF.

Every IndoSum article (3,463) is published in time order through ``kabar related compute``'s
code (RelatedFunction's: candidates from the newest of each tag's, the category's and the
strongest stems' lists; tags from the tagger, as in production), and its list is compared with
the top 5 of exhaustive TF-IDF cosine over the whole corpus (scikit-learn, the same stems).

Two ways of calling a related article right:

- **search keywords**: IndoSum was not gathered by search keyword, so the articles are grouped
  the way a keyword search would group them: by the proper-noun words and pairs of their URL
  headlines ("novel baswedan", "napoli", "kpk") that 5 to 80 headlines share (a word that cased
  news capitalises at least half the time, by the recogniser's casing lexicon). A listed article
  is right when it shares one of the article's keywords; articles without a keyword are not
  scored (their lists still count for the others).
- **category**: the same one of IndoSum's six (coarse: most pairs of a busy category are unrelated).

Precision@5 is over the entries listed; "full" is the share of scored articles given 5.
"""

from __future__ import annotations

import itertools
import json
import re
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
INDOSUM = HERE.parent.parent / "shared" / "data" / "indosum" / "articles.jsonl"
KEYWORD_TITLES = (5, 80)


def _articles() -> list[dict[str, Any]]:
    lines = INDOSUM.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def keyword_groups(articles: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Each article's search keywords (see the module docstring)."""
    from kabar.text.entities import recogniser
    from kabar.text.tag_suggestion import STOPWORDS

    casing = recogniser().casing

    def proper(word: str) -> bool:
        return word not in STOPWORDS and len(word) > 2 and casing.get(word) in ("always", "mostly")

    def grams(title: str) -> set[str]:
        words = re.findall(r"[a-z0-9]+", title)
        found = {w for w in words if proper(w)}
        found |= {f"{a} {b}" for a, b in itertools.pairwise(words) if proper(a) and proper(b)}
        return found

    counts = Counter(g for a in articles for g in grams(a["title_from_url"]))
    low, high = KEYWORD_TITLES
    kept = {g for g, n in counts.items() if low <= n <= high}
    return {a["id"]: grams(a["title_from_url"]) & kept for a in articles}


def lines(articles: list[dict[str, Any]], *, categories: bool) -> list[dict[str, Any]]:
    out = []
    for article in articles:
        paragraphs = [p for p in article["text"].split("\n\n") if p.strip()]
        stamp = int(article["id"].split("-", 1)[0])
        line = {"id": article["id"], "title": article["title_from_url"], "lead": paragraphs[0],
                "body": "\n\n".join(paragraphs[1:]), "published_at": datetime.fromtimestamp(stamp, UTC).isoformat()}  # fmt: skip
        if categories:
            line["category"] = article["category"]
        out.append(line)
    return out


def tfidf_lists(items: list[dict[str, Any]]) -> dict[str, list[str]]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from kabar.text.relatedness import words

    matrix = TfidfVectorizer(analyzer=words, sublinear_tf=True).fit_transform(
        f"{a['title']}\n{a['lead']}\n{a['body']}" for a in items
    )
    out = {}
    for row, item in enumerate(items):
        scores = (matrix @ matrix[row].T).toarray().ravel()
        scores[row] = -1.0
        out[item["id"]] = [items[j]["id"] for j in scores.argsort()[::-1][:5] if scores[j] > 0]
    return out


def evaluate(lists: dict[str, list[str]], right: dict[str, set[str]]) -> dict[str, float]:
    scored = [slug for slug, labels in right.items() if labels]
    hits = total = full = 0
    for slug in scored:
        listed = lists.get(slug, [])
        total += len(listed)
        full += len(listed) >= 5
        hits += sum(bool(right[other] & right[slug]) for other in listed)
    return {"precision": hits / max(total, 1), "full": full / max(len(scored), 1),
            "mean": total / max(len(scored), 1), "scored": len(scored)}  # fmt: skip


def measure() -> dict[str, Any] | None:
    if not INDOSUM.exists():
        return None
    from kabar_infra.cli.related import compute

    articles = _articles()
    labels = {"keywords": keyword_groups(articles), "category": {a["id"]: {a["category"]} for a in articles}}
    results: dict[str, Any] = {
        "articles": len(articles),
        "keywords": len(set().union(*labels["keywords"].values())),
    }
    runs: dict[str, dict[str, list[str]]] = {}
    for categories in (False, True):
        started = time.perf_counter()
        store = compute(lines(articles, categories=categories))
        elapsed = time.perf_counter() - started
        runs[f"ours{'_category' if categories else ''}"] = {
            slug: [entry.slug for entry in related.auto] for slug, related in store.related.items()
        }
        results[f"ms{'_category' if categories else ''}"] = elapsed * 1000 / len(articles)
    started = time.perf_counter()
    runs["tfidf"] = tfidf_lists(lines(articles, categories=False))
    results["ms_tfidf"] = (time.perf_counter() - started) * 1000 / len(articles)
    for run, lists in runs.items():
        results[run] = {label: evaluate(lists, right) for label, right in labels.items()}
    return results


def report(results: dict[str, Any] | None) -> str:
    if results is None:
        return f"**Related quality**: skipped ({INDOSUM} is not there).\n"
    rows = [
        ("ours", "Kabar, no categories (tags from the tagger)", results["ms"]),
        ("ours_category", "Kabar, with IndoSum's categories", results["ms_category"]),
        ("tfidf", "exhaustive TF-IDF, top 5", results["ms_tfidf"]),
    ]
    scored = results["ours"]["keywords"]["scored"]
    lines = [
        f"**Related quality** (`make bench-tags`) on {results['articles']:,} IndoSum articles published in time "
        f"order ({results['keywords']} search keywords, {scored:,} articles with one); ms per article "
        "include tagging for Kabar:",
        "",
        "| lists | p@5, keywords | full lists | p@5, category | mean length | ms/article |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, label, ms in rows:
        r = results[key]
        lines.append(f"| {label} | {r['keywords']['precision']:.3f} | {r['keywords']['full']:.0%} | "
                     f"{r['category']['precision']:.3f} | {r['keywords']['mean']:.2f} | {ms:.1f} |")  # fmt: skip
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import os

    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "ERROR")
    print(report(measure()))
