"""Related articles at scale, and their quality beside exhaustive TF-IDF.

1. Cost of one publish on moto with 10,000 and with 100,000 articles already in
   the table: items read and written by RelatedFunction (and by the whole
   publish), documents re-rendered, and RelatedFunction's compute time (its wall
   time less the time spent waiting on AWS calls, which on moto grows with the
   table because moto answers index queries by walking every item).
2. Exhaustive TF-IDF cosine over the whole 100,000-article corpus (the same
   stemmed words, scikit-learn): its time per article, and how much of its
   top 5 our lists share.
3. Precision@5 on a labelled Indonesian set: IndoSum's 3,463 articles with
   their six categories as labels (categories hidden from both methods), for
   our lists and for exhaustive TF-IDF's top 5.

The corpus: with ../shared/data/indosum present, its 3,463 real articles and
generated variants of them (a random part of one article's paragraphs and one
paragraph of another article of its category, keeping the first's tags less one
at random), 40 a day up to 2026-11-20; without it, synthetic "stories" of invented
words. Every article is published in date order through
``kabar_infra.cli.related.compute`` (RelatedFunction's code, in memory), which gives
our lists; the table is then seeded with what those publishes would have stored.
"""

from __future__ import annotations

import gc
import json
import os
import random
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
INDOSUM = HERE.parent.parent / "shared" / "data" / "indosum" / "articles.jsonl"
# KABAR_BENCH_RELATED_SIZES=1000,3000 for a quick trial run.
SIZES = tuple(int(n) for n in os.environ.get("KABAR_BENCH_RELATED_SIZES", "10000,100000").split(","))
TFIDF_SAMPLE = 500
END = datetime(2026, 11, 20, tzinfo=UTC)


# --------------------------------------------------------------------- corpora


def indosum() -> list[dict[str, Any]]:
    """IndoSum's articles as input lines, dated by the timestamp that starts each id."""
    articles = []
    for line in INDOSUM.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        paragraphs = [p for p in item["text"].split("\n\n") if p.strip()]
        stamp = int(item["id"].split("-", 1)[0])
        articles.append({
            "id": item["id"], "title": item["title_from_url"], "lead": paragraphs[0],
            "body": "\n\n".join(paragraphs[1:]), "label": item["category"],
            "published_at": datetime.fromtimestamp(stamp, UTC).isoformat(),
        })  # fmt: skip
    return articles


def _tagged(articles: list[dict[str, Any]]) -> None:
    from kabar.text.tag_suggestion import suggest_tags

    for article in articles:
        found = suggest_tags(article["title"], article["lead"], article["body"], max_tags=8)
        article["tags"] = [tag.slug for tag in found]


def generated(size: int, seed: int = 7) -> tuple[list[dict[str, Any]], str]:
    """``size`` articles dated in order over 2019-2026 (see the module docstring); their source."""
    rng = random.Random(seed)
    if INDOSUM.exists():
        bases = indosum()
        _tagged(bases)
        source = f"{len(bases):,} IndoSum articles and generated variants of them"
    else:
        bases = _synthetic_bases(rng)
        source = "synthetic stories of invented words (../shared/data is not here)"
    by_label: dict[str, list[dict[str, Any]]] = {}
    for base in bases:
        by_label.setdefault(base["label"], []).append(base)
    # A steady 40 articles a day up to 2026-11-20: a bigger corpus is an older site, so the
    # newest month holds as many articles at every size.
    step = timedelta(days=1) / 40
    start = END - step * size
    corpus = []
    for index in range(size):
        base = bases[index] if index < len(bases) else rng.choice(bases)
        paragraphs = base["body"].split("\n\n")
        if index >= len(bases):
            kept = [p for p in paragraphs if rng.random() < 0.7] or paragraphs[:1]
            kept.append(rng.choice(by_label[base["label"]])["lead"])
            paragraphs = kept
        tags = list(base["tags"])
        if index >= len(bases) and len(tags) > 3:
            tags.pop(rng.randrange(len(tags)))
        corpus.append({
            "id": f"a{index:06d}", "title": base["title"], "lead": base["lead"], "body": "\n\n".join(paragraphs),
            "tags": tags, "category": base["label"], "label": base["label"], "base": base["id"],
            "published_at": (start + step * index).isoformat(),
        })  # fmt: skip
    return corpus, source


def _synthetic_bases(rng: random.Random, stories: int = 3000) -> list[dict[str, Any]]:
    syllables = ["ka", "ra", "ma", "ta", "si", "lu", "pe", "no", "gi", "da", "ba", "wi", "ju", "ne", "so"]
    background = ["".join(rng.choices(syllables, k=3)) for _ in range(3000)]
    bases = []
    for number in range(stories):
        label = f"topik-{number % 6}"
        own = ["".join(rng.choices(syllables, k=4)) for _ in range(12)]

        def sentence(own: list[str] = own) -> str:
            words = rng.choices(own, k=4) + rng.choices(background, k=8)
            rng.shuffle(words)
            return " ".join(words) + "."

        bases.append({
            "id": f"s{number}", "title": " ".join(own[:3]).title(), "lead": sentence(),
            "body": "\n\n".join(sentence() + " " + sentence() for _ in range(5)), "label": label,
            "tags": own[:3],
        })  # fmt: skip
    return bases


# --------------------------------------------------------------------- our lists, in memory


def simulate(
    corpus: list[dict[str, Any]], checkpoints: tuple[int, ...] = ()
) -> Iterator[tuple[int, Any, float]]:
    """Publish the corpus in order through RelatedFunction's code in memory.

    Yields ``(published, store, seconds per article)`` at each checkpoint and at the end.
    """
    from kabar.observability import logger
    from kabar.text.relatedness import text_terms
    from kabar.workflows.related import relate
    from kabar_infra.cli.related import MemoryRelatedStore

    logger.setLevel("WARNING")
    store = MemoryRelatedStore()
    spent = 0.0
    for index, item in enumerate(corpus, start=1):
        terms = text_terms(item["title"], item["lead"], item["body"])
        moment = datetime.fromisoformat(item["published_at"])
        started = time.perf_counter()
        store.add(
            item["id"], terms=terms, tags=item["tags"], category=item.get("category"), published_at=moment
        )
        relate(item["id"], articles=store, tags=store.tags, lists=store)
        spent += time.perf_counter() - started
        if index in checkpoints or index == len(corpus):
            yield index, store, spent / index


# --------------------------------------------------------------------- exhaustive TF-IDF


def tfidf_top5(corpus: list[dict[str, Any]], queries: list[int]) -> tuple[dict[int, list[int]], float, float]:
    """Each query article's top 5 by TF-IDF cosine over the whole corpus; fit and query ms per article."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from kabar.text.relatedness import words

    started = time.perf_counter()
    vectorizer = TfidfVectorizer(analyzer=words, sublinear_tf=True)
    matrix = vectorizer.fit_transform(f"{a['title']}\n{a['lead']}\n{a['body']}" for a in corpus)
    fit_ms = (time.perf_counter() - started) * 1000 / len(corpus)
    top: dict[int, list[int]] = {}
    started = time.perf_counter()
    for query in queries:
        scores = (matrix @ matrix[query].T).toarray().ravel()
        scores[query] = -1.0
        best = scores.argsort()[::-1][:5]
        top[query] = [int(i) for i in best if scores[i] > 0]
    query_ms = (time.perf_counter() - started) * 1000 / max(len(queries), 1)
    return top, fit_ms, query_ms


def quality(articles: list[dict[str, Any]]) -> dict[str, Any]:
    """Precision@5 (same label) of our lists and of exhaustive TF-IDF, labels hidden from both."""
    if any(article.get("tags") is None for article in articles):
        _tagged(articles)
    hidden = [{k: v for k, v in a.items() if k not in ("category", "label")} for a in articles]
    _, store, _ = list(simulate(hidden))[-1]
    label = {a["id"]: a["label"] for a in articles}
    ours_hits = ours_total = 0
    sizes = []
    for article in articles:
        related = store.related.get(article["id"])
        entries = related.auto if related else []
        sizes.append(len(entries))
        ours_total += len(entries)
        ours_hits += sum(label[e.slug] == article["label"] for e in entries)
    top, _, _ = tfidf_top5(articles, list(range(len(articles))))
    tfidf_hits = sum(articles[j]["label"] == articles[i]["label"] for i, best in top.items() for j in best)
    tfidf_total = sum(len(best) for best in top.values())
    return {
        "articles": len(articles),
        "labels": dict(Counter(a["label"] for a in articles)),
        "ours_precision": ours_hits / max(ours_total, 1),
        "ours_mean_size": statistics.mean(sizes),
        "ours_empty": sizes.count(0),
        "tfidf_precision": tfidf_hits / max(tfidf_total, 1),
    }


# --------------------------------------------------------------------- one publish on moto


@contextmanager
def metering() -> Iterator[dict[str, Any]]:
    """Items read and written, and time waiting on AWS, for every call while the block runs."""
    from botocore.client import BaseClient

    meter: dict[str, Any] = {"read": 0, "written": 0, "aws_seconds": 0.0, "documents": [], "calls": Counter()}
    original = BaseClient._make_api_call

    def metered(self: Any, operation: str, params: Any) -> Any:
        started = time.perf_counter()
        try:
            response = original(self, operation, params)
        finally:
            meter["aws_seconds"] += time.perf_counter() - started
        meter["calls"][operation] += 1
        if operation == "GetItem":
            meter["read"] += 1 if "Item" in response else 0
        elif operation == "Query":
            meter["read"] += len(response.get("Items", []))
        elif operation == "BatchGetItem":
            meter["read"] += sum(len(items) for items in response.get("Responses", {}).values())
        elif operation in ("PutItem", "UpdateItem", "DeleteItem"):
            meter["written"] += 1
        elif operation == "TransactWriteItems":
            meter["written"] += len(params["TransactItems"])
        elif operation == "BatchWriteItem":
            meter["written"] += sum(len(requests) for requests in params["RequestItems"].values())
        elif operation == "PutObject" and str(params["Key"]).startswith("v1/articles/"):
            meter["documents"].append(params["Key"])
        return response

    BaseClient._make_api_call = metered  # type: ignore[method-assign]
    try:
        yield meter
    finally:
        BaseClient._make_api_call = original  # type: ignore[method-assign]


def seed(app: Any, store: Any, corpus: list[dict[str, Any]], done: set[str]) -> None:
    """Write what publishing the corpus so far would have stored (skipping ``done``).

    Straight into moto's table model (its own ``put_item``, with its validation), with
    the stream paused: a million items through botocore and moto's HTTP layer take most
    of an hour, and state loaded this way is not events for the functions.
    """
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends
    from moto.dynamodb.models.dynamo_type import DynamoType

    from benchmarks.seed_pages import page_items
    from kabar.models import Article, list_terms
    from kabar.table import keys
    from kabar.table.articles import summary_values
    from kabar.table.codec import to_item

    table = dynamodb_backends[DEFAULT_ACCOUNT_ID][app.stack.region].get_table(app.stack.ref("ContentTable"))
    shard, table.stream_shard = table.stream_shard, None

    def put(values: dict[str, Any]) -> None:
        table.put_item(to_item(values))

    positions: dict[str | None, list[str]] = vars(store).setdefault("positions", {None: []})

    for item in corpus:
        slug = item["id"]
        if slug not in store.known or slug in done:
            continue
        done.add(slug)
        moment = datetime.fromisoformat(item["published_at"])
        article = Article(
            slug=slug, version=1, status="published", title=item["title"], lead=item["lead"][:300],
            published_at=moment, created_at=moment, updated_at=moment, body_html="<p>Isi.</p>",
            content_hash=slug, upload_id="seed",
        )  # fmt: skip
        summary = summary_values(article.summary())
        stamp = keys.listing_position(moment, slug)
        put({**keys.article(slug), "type": "article",
             **article.to_json(exclude_none=True), "category": {"name": item["category"],
             "slug": item["category"]} if item.get("category") else None, "summary": summary,
             "gsi1pk": keys.LATEST, "gsi1sk": stamp})  # fmt: skip
        positions[None].append(stamp)
        tagged = store.tagged[slug]
        put({**keys.article_tags(slug), "type": "article_tags", **tagged.to_json()})
        profile = {"terms": tagged.terms, "tags": item["tags"], "category": item.get("category")}
        for tag in item["tags"]:
            positions.setdefault(tag, []).append(stamp)
            put({**keys.membership(slug, tag), "type": "tag_membership", "slug": slug, "tag": tag,
                 "gsi1pk": keys.tag_list(tag), "gsi1sk": stamp, "summary": summary, "profile": profile})  # fmt: skip
        for term in list_terms(tagged.terms):
            put({**keys.term_membership(slug, term), "type": "term_membership", "slug": slug,
                 "gsi1pk": keys.term_list(term), "gsi1sk": stamp, "profile": profile})  # fmt: skip
        if item.get("category"):
            put({**keys.category_membership(slug), "type": "category_membership", "slug": slug,
                 "gsi1pk": keys.category_list(item["category"]), "gsi1sk": stamp, "summary": summary,
                 "profile": profile})  # fmt: skip
    for slug, related in store.related.items():
        put({**keys.related(slug), "type": "related", **related.to_json()})
    for tag, count in store.counts.items():
        put({**keys.tag_stats(tag), "type": "tag_stats", "slug": tag, "name": tag, "count": count,
             "gsi1pk": keys.TAGS, "gsi1sk": tag, "gsi2pk": keys.TAGS})  # fmt: skip
    # The lists' pages for everything seeded so far, as one-by-one publishing would leave them
    # (the previous seed's pages first go: a bigger corpus pages differently).
    for key in vars(store).get("page_keys", []):
        table.delete_item(DynamoType(to_item(key)["pk"]), DynamoType(to_item(key)["sk"]))
    pages = page_items(positions)
    for values in pages:
        put(values)
    vars(store)["page_keys"] = [{"pk": values["pk"], "sk": values["sk"]} for values in pages]
    table.stream_shard = shard


def publish_on_moto(corpus: list[dict[str, Any]], newcomer: dict[str, Any]) -> list[dict[str, Any]]:
    """Seed the table at each size, publish ``newcomer`` through the stack, and meter it."""
    from benchmarks import moto_scale
    from tests.support.app import article_file

    moto_scale.install()
    results = []
    with moto_scale.stack_on_moto() as app:
        done: set[str] = set()
        for number, (published, store, _) in enumerate(simulate(corpus, checkpoints=SIZES)):
            if published not in SIZES:
                continue
            started = time.perf_counter()
            seed(app, store, corpus, done)
            seeded = time.perf_counter() - started
            app.router.skip_to_latest()
            # moto's millions of objects are state, not garbage: keep the collector off them.
            gc.collect()
            gc.freeze()
            newest = datetime.fromisoformat(corpus[published - 1]["published_at"])
            _, ticket = app.api("POST", "/uploads", {"filename": "baru.md"})
            app.s3.put_object(
                Bucket=app.incoming_bucket, Key=ticket["upload"]["fields"]["key"],
                Body=article_file(title=f"{newcomer['title']} baru {number}", lead=newcomer["lead"],
                                  category=newcomer["category"],
                                  published_at=(newest + timedelta(hours=1)).isoformat(),
                                  body=newcomer["body"]),
            )  # fmt: skip
            per_function: dict[str, dict[str, Any]] = {}
            invoke = app.router.invoke

            def metered_invoke(
                function: str, event: dict[str, Any], per: Any = per_function, invoke: Any = invoke
            ) -> Any:
                started = time.perf_counter()
                with metering() as meter:
                    result = invoke(function, event)
                meter["wall"] = time.perf_counter() - started
                total = per.setdefault(function, {"read": 0, "written": 0, "documents": [], "compute": 0.0})
                total["read"] += meter["read"]
                total["written"] += meter["written"]
                total["documents"] += meter["documents"]
                total["compute"] += meter["wall"] - meter["aws_seconds"]
                return result

            app.router.invoke = metered_invoke
            app.router.drain()
            app.router.invoke = invoke
            assert app.status(ticket["upload_id"])["state"] == "published"
            related = per_function.get("RelatedFunction", {})
            rendered = {path for f in per_function.values() for path in f["documents"]}
            results.append({
                "size": published,
                "seed_seconds": round(seeded),
                "related_read": related.get("read", 0),
                "related_written": related.get("written", 0),
                "related_compute_ms": round(related.get("compute", 0.0) * 1000, 1),
                "read": sum(f["read"] for f in per_function.values()),
                "written": sum(f["written"] for f in per_function.values()),
                "documents": len(rendered),
            })  # fmt: skip
    return results


# --------------------------------------------------------------------- the report


def measure() -> dict[str, Any]:
    started = time.perf_counter()
    corpus, source = generated(max(SIZES))
    # The new article repeats the text of one whose tags all have at least the 50 articles
    # RelatedFunction reads per list already at the smaller size (or the most it can find), so
    # both sizes compare full candidate lists rather than a tag that is still filling up.
    counts = Counter(tag for item in corpus[: min(SIZES)] for tag in item["tags"])
    newcomer = max(corpus[: min(SIZES)], key=lambda item: (min((counts[t] for t in item["tags"]), default=0),
                                                           len(item["tags"])))  # fmt: skip
    scale = publish_on_moto(corpus, newcomer)
    # Our final lists over the whole corpus, beside exhaustive TF-IDF on a sample.
    _, store, per_article = list(simulate(corpus))[-1]
    rng = random.Random(11)
    queries = rng.sample(range(len(corpus)), TFIDF_SAMPLE)
    top, fit_ms, query_ms = tfidf_top5(corpus, queries)
    overlaps = []
    for query in queries:
        related = store.related.get(corpus[query]["id"])
        ours = {entry.slug for entry in related.auto} if related else set()
        theirs = {corpus[i]["id"] for i in top[query]}
        overlaps.append(len(ours & theirs))
    labelled = quality(indosum()) if INDOSUM.exists() else None
    if labelled is None:
        synthetic = generated(3000)[0]
        labelled = quality(synthetic)
    return {
        "source": source,
        "scale": scale,
        "ours_ms_per_article": per_article * 1000,
        "tfidf_fit_ms_per_article": fit_ms,
        "tfidf_query_ms_per_article": query_ms,
        "agreement_mean": statistics.mean(overlaps),
        "agreement_any": sum(1 for o in overlaps if o) / len(overlaps),
        "agreement_3": sum(1 for o in overlaps if o >= 3) / len(overlaps),
        "quality": labelled,
        "seconds": time.perf_counter() - started,
    }


def bounds() -> dict[str, int]:
    """What one publish may cost RelatedFunction and RenderFunction, whatever the corpus.

    Reads: the newest PER_LIST of each tag's list and the category's, plus the article's
    facts, tags and list, its tags' counts and the lists of the FAN_OUT candidates
    offered the article. Writes: its own list and each candidate list it joins, each
    with reverse-index entries for the articles added and dropped. Documents: its own
    and the FAN_OUT candidates'.
    """
    from kabar.text.relatedness import DEFAULT_K
    from kabar.text.tag_suggestion import DEFAULT_MAX_TAGS
    from kabar.workflows.related import FAN_OUT, PER_LIST

    lists = DEFAULT_MAX_TAGS + 1
    return {
        "related_read": PER_LIST * lists + 3 + DEFAULT_MAX_TAGS + FAN_OUT,
        "related_written": (1 + FAN_OUT) * (1 + 2 * DEFAULT_K),
        "documents": 1 + FAN_OUT,
    }


def grows(scale: list[dict[str, Any]]) -> bool:
    """Whether any size went past the bounds that hold whatever the corpus."""
    limits = bounds()
    return any(row[key] > limit for row in scale for key, limit in limits.items())


def report(result: dict[str, Any]) -> str:
    scale = sorted(result["scale"], key=lambda row: row["size"])
    lines = [
        f"**Related articles at scale** (corpus: {result['source']}; one new article published through",
        "Publish, Tagging, Related and Render on moto into a table seeded with what publishing the corpus in",
        "order stored; compute time is RelatedFunction's wall time less its time waiting on AWS calls):",
        "",
        "| articles in the table | RelatedFunction: items read | items written | compute (ms) "
        "| whole publish: items read | items written | article documents rendered |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in scale:
        lines.append(
            f"| {row['size']:,} | {row['related_read']} | {row['related_written']} | {row['related_compute_ms']} "
            f"| {row['read']} | {row['written']} | {row['documents']} |"
        )
    limits = bounds()
    lines += [
        "",
        f"Bounds that hold whatever the corpus: RelatedFunction reads at most {limits['related_read']} items (the "
        "newest 50 of each of up to 8 tags' lists and the category's, plus the article's own items, its tags' "
        f"counts and the 10 candidate lists it is offered to), writes at most {limits['related_written']} and "
        f"renders at most {limits['documents']} article documents (its own and the older ones whose lists it "
        f"joins). Both sizes stay within them: {'NO' if grows(scale) else 'yes'}. Differences between the sizes "
        "come from lists that were not yet full at the smaller size and from how many older lists the article "
        "joins, not from the corpus size.",
        "",
        "The whole publish's reads are mostly RenderFunction's month pages: a month page lists every article of "
        "its month, for all articles and for each of the article's tags, so they grow with articles per month "
        "(here a steady 40 a day), not with the corpus.",
        "",
        f"**Beside exhaustive TF-IDF** over all {scale[-1]['size']:,} articles (scikit-learn, the same stemmed "
        f"words, sublinear tf; {TFIDF_SAMPLE} random articles' top 5 compared with our final lists):",
        "",
        "| method | time per article (ms) | work per publish |",
        "|---|---:|---|",
        f"| Kabar (RelatedFunction's code, in memory) | {result['ours_ms_per_article']:.2f} | bounded candidates |",
        f"| exhaustive TF-IDF | {result['tfidf_fit_ms_per_article'] + result['tfidf_query_ms_per_article']:.2f} "
        f"(fit {result['tfidf_fit_ms_per_article']:.2f} + query {result['tfidf_query_ms_per_article']:.2f}) "
        "| the whole corpus |",
        "",
        f"Agreement: our lists share {result['agreement_mean']:.2f} of TF-IDF's top 5 on average; "
        f"{result['agreement_any']:.0%} share at least one, {result['agreement_3']:.0%} at least three.",
        "",
    ]
    quality = result["quality"]
    lines += [
        f"**Precision@5 on labelled Indonesian articles** ({quality['articles']:,} articles; a related article "
        "counts as right when it has the same label; labels hidden from both methods; labels: "
        + ", ".join(f"{name} {count}" for name, count in sorted(quality["labels"].items()))
        + "):",
        "",
        "| method | precision@5 | mean list length | articles with no list |",
        "|---|---:|---:|---:|",
        f"| Kabar | {quality['ours_precision']:.2f} | {quality['ours_mean_size']:.1f} | {quality['ours_empty']} |",
        f"| exhaustive TF-IDF top 5 | {quality['tfidf_precision']:.2f} | 5 | 0 |",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(HERE.parent))
    outcome = measure()
    print(report(outcome))
    print(json.dumps(outcome, indent=1, default=str))
