"""Tagging quality on a hand-labelled Indonesian set, beside a plain YAKE baseline.

Gold tags: benchmarks/data/tagging_labels.json (36 IndoSum articles, labelled
from their opening paragraphs). Texts: ../shared/data/indosum/articles.jsonl,
when it is there. Both taggers get the same text and the same budget of 8
tags: ours is ``kabar.text.tag_suggestion.suggest_tags`` (what TaggingFunction runs, no
vocabulary, no editor tags), the baseline is YAKE (``lan="id"``, n-grams up
to 3, top 8). IndoSum has no headlines, only the URL's words, so both get
those as the title.

Matching: exact compares match keys (lower case, no accents or punctuation);
lenient also counts a tag whose words contain, or are contained in, a gold
tag's words ("LCR Honda" for "Honda"). Precision is over the tags a tagger
gave; recall over the gold tags. The labels name only what an opening
paragraph is about, so precision counts some defensible tags as wrong.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any

from kabar.text.tag_suggestion import match_key, suggest_tags

HERE = Path(__file__).parent
LABELS = HERE / "data" / "tagging_labels.json"
INDOSUM = HERE.parent.parent / "shared" / "data" / "indosum" / "articles.jsonl"
BUDGET = 8


def _ours(title: str, text: str) -> list[str]:
    return [tag.name for tag in suggest_tags(title, None, text, max_tags=BUDGET)]


def _yake_extractor() -> Any:
    import yake

    return yake.KeywordExtractor(lan="id", n=3, top=BUDGET)


def _words(name: str) -> str:
    return "-" + match_key(name) + "-"


def _matches(tag: str, gold: list[str], lenient: bool) -> bool:
    key = match_key(tag)
    for entity in gold:
        for alternative in entity.split("|"):
            other = match_key(alternative)
            if key == other:
                return True
            if (
                lenient
                and key
                and other
                and (_words(tag) in _words(alternative) or _words(alternative) in _words(tag))
            ):
                return True
    return False


def _score(predicted: dict[str, list[str]], gold: dict[str, list[str]], lenient: bool) -> tuple[float, float]:
    given = correct = found = total = 0
    for article_id, tags in predicted.items():
        labels = gold[article_id]
        given += len(tags)
        correct += sum(_matches(tag, labels, lenient) for tag in tags)
        total += len(labels)
        found += sum(any(_matches(tag, [entity], lenient) for tag in tags) for entity in labels)
    return (correct / given if given else 0.0), (found / total if total else 0.0)


def measure() -> dict[str, Any] | None:
    """The figures, or None when the IndoSum texts are not beside the checkout."""
    if not INDOSUM.exists():
        return None
    gold: dict[str, list[str]] = json.loads(LABELS.read_text(encoding="utf-8"))["articles"]
    articles = [json.loads(line) for line in INDOSUM.read_text(encoding="utf-8").splitlines() if line.strip()]
    labelled = [a for a in articles if a["id"] in gold]
    extractor = _yake_extractor()

    def yake_tags(title: str, text: str) -> list[str]:
        return [phrase for phrase, _ in extractor.extract_keywords(f"{title}.\n\n{text}")]

    results: dict[str, Any] = {"articles": len(labelled), "gold_tags": sum(len(v) for v in gold.values())}
    for name, tagger in (("ours", _ours), ("yake", yake_tags)):
        predicted = {a["id"]: tagger(a["title_from_url"], a["text"]) for a in labelled}
        exact, lenient = _score(predicted, gold, False), _score(predicted, gold, True)
        timings = []
        for article in articles:  # every IndoSum article, for time per article
            start = time.perf_counter()
            tagger(article["title_from_url"], article["text"])
            timings.append((time.perf_counter() - start) * 1000)
        results[name] = {
            "precision": exact[0], "recall": exact[1],
            "precision_lenient": lenient[0], "recall_lenient": lenient[1],
            "ms_per_article": statistics.mean(timings), "ms_p95": sorted(timings)[int(len(timings) * 0.95)],
            "timed_articles": len(timings),
            "example": {a["id"]: predicted[a["id"]] for a in labelled[:2]},
        }  # fmt: skip
    return results


def report(results: dict[str, Any] | None) -> str:
    if results is None:
        return f"**Tagging quality**: skipped ({INDOSUM} is not there).\n"
    lines = [
        f"**Tagging quality** on {results['articles']} hand-labelled IndoSum articles "
        f"({results['gold_tags']} gold tags; `benchmarks/data/tagging_labels.json`), 8 tags each, "
        "no vocabulary; time over all IndoSum articles:",
        "",
        "| tagger | precision | recall | precision (lenient) | recall (lenient) | ms/article (mean, p95) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, label in (("ours", "Kabar (`suggest_tags`)"), ("yake", "YAKE baseline")):
        r = results[name]
        lines.append(
            f"| {label} | {r['precision']:.2f} | {r['recall']:.2f} | {r['precision_lenient']:.2f} "
            f"| {r['recall_lenient']:.2f} | {r['ms_per_article']:.1f}, {r['ms_p95']:.1f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    measured = measure()
    print(report(measured))
    print(json.dumps(measured, indent=1, ensure_ascii=False))
