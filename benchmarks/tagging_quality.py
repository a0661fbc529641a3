"""``make bench-tags`` (tags part): the entity recogniser and the tag suggestions, beside baselines.

1. Entity F1 of the shipped recogniser (:mod:`kabar.text.entities`) on IndoNLU's test splits
   (``../shared/data/indonlu``): exact spans and kinds. Each set is scored on the kinds it
   annotates (NERGrit has no events; NER-P's organisations are only companies, so its ORG answers
   are left out), NER-P both as given (lower case) and re-cased the way training re-cases it.
2. Tags on ``benchmarks/data/entity_labels.json``: 30 IndoSum articles whose people, places,
   organisations and events were labelled by hand from the whole text (281+ entities; what is
   left out is written in that file). A suggestion is right when its match key (lower case, no
   accents or punctuation) is one of an entity's accepted forms; precision over the tags given,
   recall over the labelled entities. Beside Kabar (``suggest_tags``, at most 8, no vocabulary):
   every capitalised phrase of the text, and YAKE (``lan="id"``, n-grams up to 3, top 8).
   IndoSum has no headlines, only the URL's words, so every tagger gets those as the title.
3. Time per article, over every IndoSum article (the model loaded first, as a warm container).

The labels are this project's own; the real judgement is a held-out set of annotated news kept
outside the project.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from pathlib import Path
from typing import Any

from kabar.text.tag_suggestion import DEFAULT_MAX_TAGS, match_key, suggest_tags

HERE = Path(__file__).parent
LABELS = HERE / "data" / "entity_labels.json"
DATA = HERE.parent.parent / "shared" / "data"
INDOSUM = DATA / "indosum" / "articles.jsonl"
_CAPITALISED = re.compile(r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*")


def entity_f1() -> dict[str, float] | None:
    """The recogniser's entity F1 on each IndoNLU test split (None without the data)."""
    from kabar.text.entities import recogniser, spans
    from kabar_infra import train_tagger as training

    if not training.INDONLU.exists() or not training.INDOSUM.exists():
        return None
    forms = training.written_forms(training._news_texts())
    model = recogniser()
    scores = {}
    for name, folder in training.SETS.items():
        sentences = training.read(training.INDONLU / folder / "test_preprocess.txt")
        variants = {"": sentences} if name == "NERGrit" else {" (lower case, as given)": sentences,
                                                              " (re-cased)": [training.recase(s, forms) for s in sentences]}  # fmt: skip
        skip = training.UNANNOTATED[name]
        for label, split in variants.items():
            found = wanted = right = 0
            for words, gold in split:
                got = {e for e in spans(model.tag(words)) if e.kind not in skip}
                want = set(spans(gold))
                found, wanted, right = found + len(got), wanted + len(want), right + len(got & want)
            scores[f"{name}{label}"] = 2 * right / max(1, found + wanted)
    return scores


def _keys(entity: str) -> set[str]:
    return {match_key(form) for form in entity.split(" ", 1)[1].split("|")}


def score(predicted: dict[str, list[str]], gold: dict[str, list[str]]) -> dict[str, float]:
    given = right = found = total = 0
    for article_id, tags in predicted.items():
        entities = [_keys(entity) for entity in gold[article_id]]
        keys = list(dict.fromkeys(match_key(tag) for tag in tags if match_key(tag)))
        given += len(keys)
        right += sum(any(key in forms for forms in entities) for key in keys)
        total += len(entities)
        found += sum(any(key in forms for key in keys) for forms in entities)
    precision, recall = right / max(given, 1), found / max(total, 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tags_per_article": given / max(len(predicted), 1),
    }


def _ours(title: str, text: str) -> list[str]:
    return [tag.name for tag in suggest_tags(title, None, text, max_tags=DEFAULT_MAX_TAGS)]


def _capitalised(title: str, text: str) -> list[str]:
    return _CAPITALISED.findall(text)


def measure() -> dict[str, Any] | None:
    """The figures, or None when the IndoSum texts are not beside the checkout."""
    if not INDOSUM.exists():
        return None
    import yake

    gold: dict[str, list[str]] = json.loads(LABELS.read_text(encoding="utf-8"))["articles"]
    articles = [json.loads(line) for line in INDOSUM.read_text(encoding="utf-8").splitlines() if line.strip()]
    labelled = [a for a in articles if a["id"] in gold]
    extractor = yake.KeywordExtractor(lan="id", n=3, top=DEFAULT_MAX_TAGS)

    def yake_tags(title: str, text: str) -> list[str]:
        return [phrase for phrase, _ in extractor.extract_keywords(f"{title}.\n\n{text}")]

    _ours(labelled[0]["title_from_url"], labelled[0]["text"])  # the model loads, as in a warm container
    results: dict[str, Any] = {"articles": len(labelled), "entities": sum(len(v) for v in gold.values()),
                               "entity_f1": entity_f1()}  # fmt: skip
    for name, tagger in (("ours", _ours), ("capitalised", _capitalised), ("yake", yake_tags)):
        predicted = {a["id"]: tagger(a["title_from_url"], a["text"]) for a in labelled}
        timings = []
        for article in articles:
            started = time.perf_counter()
            tagger(article["title_from_url"], article["text"])
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        results[name] = {**score(predicted, gold), "ms_per_article": statistics.mean(timings),
                         "ms_p95": timings[int(len(timings) * 0.95)], "timed": len(timings),
                         "example": predicted[labelled[0]["id"]]}  # fmt: skip
    return results


def report(results: dict[str, Any] | None) -> str:
    if results is None:
        return f"**Tagging quality**: skipped ({INDOSUM} is not there).\n"
    lines = []
    if results["entity_f1"]:
        lines += ["**Entity recogniser** (`make bench-tags`): entity F1 on IndoNLU's test splits (exact span and kind; "
                  "each set on the kinds it annotates):", "", "| split | entity F1 |", "|---|---:|"]  # fmt: skip
        lines += [f"| {name} | {value:.3f} |" for name, value in results["entity_f1"].items()]
        lines.append("")
    lines += [
        f"**Tag suggestions** on {results['articles']} IndoSum articles with every entity labelled by hand "
        f"({results['entities']} entities; `benchmarks/data/entity_labels.json`), no vocabulary; time over "
        f"all {results['ours']['timed']:,} IndoSum articles:",
        "",
        "| tagger | precision | recall | F1 | tags per article | ms/article (mean, p95) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, label in (("ours", "Kabar (`suggest_tags`, at most 8)"), ("capitalised", "every capitalised phrase"),
                        ("yake", "YAKE, top 8")):  # fmt: skip
        r = results[name]
        lines.append(f"| {label} | {r['precision']:.2f} | {r['recall']:.2f} | {r['f1']:.2f} | "
                     f"{r['tags_per_article']:.1f} | {r['ms_per_article']:.1f}, {r['ms_p95']:.1f} |")  # fmt: skip
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    measured = measure()
    print(report(measured))
