"""``kabar related compute IN.jsonl``: related articles for a file, with RelatedFunction's own code.

Reads lines of ``{id, title, lead?, body, category?, tags?, published_at?}`` and
writes lines of ``{id, related: [{id, score}]}``. The articles are "published"
one by one in ``published_at`` order (file order among equal times; an article
without ``published_at`` counts as published at the start) into a
:class:`MemoryRelatedStore`, and each goes through
:func:`kabar.workflows.related.relate`, exactly as RelatedFunction runs it against
the table: the same candidates (the newest of each tag's, the category's and
the strongest stems' lists), the same scores, the same updates of older lists. Articles without
``tags`` get the tags TaggingFunction would give them (no vocabulary).
"""

from __future__ import annotations

import bisect
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime
from typing import Any

from kabar.models import ArticleFacts, ArticleTags, Candidate, Category, RelatedList, ScoredTag, list_terms
from kabar.slugs import slugify
from kabar.text.relatedness import DEFAULT_K, DEFAULT_MIN_SCORE, text_terms
from kabar.text.tag_suggestion import DEFAULT_MAX_TAGS, suggest_tags
from kabar.workflows.related import FAN_OUT, PER_LIST, relate
from kabar_infra.cli.lines import InputError, opened, read_jsonl

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class MemoryTags:
    """The tags relating reads (kabar.workflows.related.Tags), from a MemoryRelatedStore."""

    def __init__(self, store: MemoryRelatedStore) -> None:
        self.store = store

    def get(self, slug: str) -> ArticleTags | None:
        return self.store.tagged.get(slug)

    def article_counts(self, tags: Iterable[str]) -> dict[str, int]:
        return {tag: self.store.counts[tag] for tag in tags if tag in self.store.counts}


class MemoryRelatedStore:
    """The part of the content table that relating uses, held in memory."""

    def __init__(self) -> None:
        self.known: dict[str, ArticleFacts] = {}
        self.tagged: dict[str, ArticleTags] = {}
        self.profiles: dict[str, Candidate] = {}
        self.related: dict[str, RelatedList] = {}
        self.partitions: dict[tuple[str, str], list[tuple[float, str]]] = {}
        self.counts: Counter[str] = Counter()
        self.tags = MemoryTags(self)

    def reading_ahead(self, slugs: Iterable[str]) -> AbstractContextManager[None]:
        """Nothing to read ahead: memory answers each read at once."""
        return nullcontext()

    def add(
        self,
        id: str,
        *,
        terms: dict[str, float],
        tags: list[str],
        category: str | None,
        published_at: datetime,
        pinned: Iterable[str] = (),
        excluded: Iterable[str] = (),
    ) -> None:
        """Publish an article: what PublishFunction and TaggingFunction would store."""
        self.known[id] = ArticleFacts(
            slug=id, status="published", version=1, published_at=published_at,
            category=Category(name=category, slug=category) if category else None, related=list(pinned),
            exclude_related=list(excluded),
        )  # fmt: skip
        scored = [ScoredTag(name=tag, slug=tag, score=1.0, origin="editor") for tag in tags]
        self.tagged[id] = ArticleTags(slug=id, version=1, status="published", tags=scored, terms=terms)
        self.profiles[id] = Candidate(slug=id, terms=terms, tags=tuple(tags), category=category,
                                      published_at=published_at)  # fmt: skip
        for partition in self._lists(tags, category, list_terms(terms)):
            bisect.insort(self.partitions.setdefault(partition, []), (published_at.timestamp(), id))
        self.counts.update(tags)

    @staticmethod
    def _lists(tags: Iterable[str], category: str | None, terms: Iterable[str] = ()) -> list[tuple[str, str]]:
        lists = [("tag", tag) for tag in tags] + ([("category", category)] if category else [])
        return lists + [("term", term) for term in terms]

    # what relating reads and writes (kabar.workflows.related: Facts, Tags, RelatedLists) ---

    def facts(self, slug: str) -> ArticleFacts | None:
        return self.known.get(slug)

    def get(self, slug: str) -> RelatedList | None:
        return self.related.get(slug)

    def get_many(self, slugs: Iterable[str]) -> dict[str, RelatedList]:
        return {slug: self.related[slug] for slug in slugs if slug in self.related}

    def store_all(self, changes: Sequence[tuple[RelatedList, RelatedList | None]]) -> None:
        self.related.update((related.slug, related) for related, _ in changes)

    def delete(self, previous: RelatedList) -> None:
        self.related.pop(previous.slug, None)

    def candidates(
        self, tags: Iterable[str], category: str | None, per_list: int, terms: Iterable[str] = ()
    ) -> list[Candidate]:
        found: list[Candidate] = []
        for partition in self._lists(tags, category, terms):
            newest = self.partitions.get(partition, [])[-per_list:]
            found.extend(self.profiles[id] for _, id in reversed(newest))
        return found

    def listed_by(self, slug: str, *, after: str | None, limit: int) -> list[str]:
        return []  # nothing is unpublished here

    def record_unlist_progress(self, slug: str, after: str) -> None:
        return None

    def unlist_progress(self, slug: str) -> str | None:
        return None


def article_profile(item: dict[str, Any]) -> tuple[dict[str, float], list[str], str | None]:
    """The text vector, tag slugs and category slug of one input line."""
    title, lead, body = str(item["title"]), item.get("lead"), str(item.get("body", ""))
    if item.get("tags") is not None:
        tags = list(dict.fromkeys(slugify(str(tag)) for tag in item["tags"]))
    else:
        tags = [tag.slug for tag in suggest_tags(title, lead, body, max_tags=DEFAULT_MAX_TAGS)]
    category = slugify(str(item["category"])) if item.get("category") else None
    return text_terms(title, lead, body), [tag for tag in tags if tag], category


def _moment(item: dict[str, Any], number: int) -> datetime:
    value = item.get("published_at")
    if not value:
        return EPOCH
    try:
        moment = datetime.fromisoformat(str(value))  # "Z" too (Python 3.11+)
    except ValueError as exc:
        raise InputError(f"line {number}: published_at {value!r} is not an ISO 8601 time") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def compute(
    items: Iterable[dict[str, Any]],
    *,
    k: int = DEFAULT_K,
    min_score: float = DEFAULT_MIN_SCORE,
    per_list: int = PER_LIST,
    fan_out: int = FAN_OUT,
) -> MemoryRelatedStore:
    """Publish every article in time order into memory, relating each as RelatedFunction does."""
    store = MemoryRelatedStore()
    dated = [(_moment(item, number), number, item) for number, item in enumerate(items, start=1)]
    dated.sort(key=lambda entry: (entry[0], entry[1]))
    for moment, _, item in dated:
        id = str(item["id"])
        terms, tags, category = article_profile(item)
        store.add(id, terms=terms, tags=tags, category=category, published_at=moment)
        relate(
            id,
            articles=store,
            tags=store.tags,
            lists=store,
            k=k,
            min_score=min_score,
            per_list=per_list,
            fan_out=fan_out,
        )
    return store


def related_lines(store: MemoryRelatedStore, ids: Iterable[str]) -> Iterator[dict[str, Any]]:
    for id in ids:
        related = store.related.get(id)
        entries = related.auto if related else []
        yield {"id": id, "related": [{"id": entry.slug, "score": entry.score} for entry in entries]}


def add_commands(commands: Any) -> None:
    related = commands.add_parser("related", help="related articles for files, with RelatedFunction's code")
    related_commands = related.add_subparsers(dest="related_command", required=True)
    run = related_commands.add_parser(
        "compute",
        help="related articles for lines of {id, title, lead?, body, category?, tags?, published_at?}",
    )
    run.add_argument("input", help="a JSON Lines file, or - for standard input")
    run.add_argument("-k", type=int, default=DEFAULT_K, help="the most related articles per article")
    run.add_argument("--min-score", type=float, default=DEFAULT_MIN_SCORE, help="the lowest score listed")


def run(args: Any) -> int:
    from kabar.observability import logger

    level = logger.log_level
    logger.setLevel("WARNING")  # the function's per-article log lines would mix with the output
    try:
        with opened(args.input) as handle:
            lines = list(read_jsonl(handle, "title"))
        items = [item for _, item in lines]
        store = compute(items, k=args.k, min_score=args.min_score)
        for line in related_lines(store, (str(item["id"]) for item in items)):
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
    finally:
        logger.setLevel(level)  # the process may go on (tests, a caller): its logs are its own
    return 0
