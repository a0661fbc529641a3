"""Related articles: keeping every published article's list current, in both directions.

RelatedFunction calls :func:`relate` when an article's tags change (every new
version is re-tagged, so every publish, update and unpublish comes here):

- a published article gets its list from candidates read from its tags' and
  category's lists (the newest :data:`PER_LIST` of each: a bounded read however
  many articles exist), scored by :mod:`kabar.text.relatedness`;
- the best :data:`FAN_OUT` of those candidates are offered the article in turn:
  a candidate whose list it now belongs in is rewritten (and so re-rendered);
- an article that is no longer published loses its list, and is removed from
  every list that names it, :data:`UNLIST_CHUNK` lists per invocation, through
  the reverse index (``LISTEDBY#`` items); a progress item brings the next chunk.

An article's own list is written last and records the tags version it was
computed from: a replayed record finds it and changes nothing, while a record
that failed half-way is computed again (offering the article to another list
twice changes nothing). Writes are conditional on the revision read; a
concurrent change fails the record, which is retried on fresh state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from kabar.dal import category_partition, tag_partition
from kabar.models import ArticleTags, RelatedEntry, RelatedList
from kabar.observability import logger
from kabar.text.relatedness import DEFAULT_K, DEFAULT_MIN_SCORE, Profile, Scored, admit, rank, tag_weight

PER_LIST = 50  # candidates read from each tag's (and the category's) list, newest first
FAN_OUT = 10  # older articles offered a newly published one
UNLIST_CHUNK = 25  # lists an unpublished article is removed from per invocation


class RelatedStore(Protocol):
    """What relating reads and writes: the content table, or the CLI's memory."""

    def get_article_facts(self, slug: str) -> dict[str, Any] | None: ...
    def get_article_tags(self, slug: str) -> ArticleTags | None: ...
    def get_related(self, slug: str) -> RelatedList | None: ...
    def get_related_lists(self, slugs: Iterable[str]) -> dict[str, RelatedList]: ...
    def store_related(self, related: RelatedList, previous: RelatedList | None) -> None: ...
    def delete_related(self, previous: RelatedList) -> None: ...
    def tag_article_counts(self, tags: Iterable[str]) -> dict[str, int]: ...
    def related_candidates(self, partitions: Iterable[str], per_list: int) -> list[Profile]: ...
    def listed_by(self, slug: str, *, after: str | None, limit: int) -> list[str]: ...
    def record_unlist_progress(self, slug: str, after: str) -> None: ...
    def get_unlist_progress(self, slug: str) -> str | None: ...


@dataclass
class RelateReport:
    slug: str
    related: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)  # other articles whose lists changed
    candidates: int = 0


def relate(
    slug: str,
    *,
    table: RelatedStore,
    k: int = DEFAULT_K,
    min_score: float = DEFAULT_MIN_SCORE,
    per_list: int = PER_LIST,
    fan_out: int = FAN_OUT,
) -> RelateReport:
    """Bring ``slug``'s list, and the lists it belongs in, up to date with the table."""
    report = RelateReport(slug)
    facts = table.get_article_facts(slug)
    tagged = table.get_article_tags(slug)
    previous = table.get_related(slug)
    published = (
        facts is not None and facts["status"] == "published" and tagged is not None
        and tagged.version == facts["version"] and tagged.status == "published"
    )  # fmt: skip
    if not published:
        if facts is not None and tagged is not None and tagged.version < facts["version"]:
            return report  # the new version is not tagged yet: its own TAGS record follows
        if previous is not None:
            table.delete_related(previous)
        unlist(slug, table=table, after=None)
        return report
    assert facts is not None and tagged is not None
    if previous is not None and (previous.version, previous.tags_revision) == (
        tagged.version,
        tagged.revision,
    ):
        logger.info("related already current", extra={"slug": slug, "version": tagged.version})
        return report
    category = facts["category"]["slug"] if facts.get("category") else None
    tags = [tag.slug for tag in tagged.tags]
    published_at = datetime.fromisoformat(str(facts["published_at"]).replace("Z", "+00:00"))
    source = Profile.of(slug, tagged.terms, tags, category, published_at)
    pinned, excluded = list(facts.get("related", [])), list(facts.get("exclude_related", []))

    counts = table.tag_article_counts(tags)
    weights = {tag: tag_weight(counts.get(tag, 1)) for tag in tags}
    partitions = [tag_partition(tag) for tag in tags] + ([category_partition(category)] if category else [])
    candidates = table.related_candidates(partitions, per_list)
    report.candidates = len({c.id for c in candidates})
    # Every candidate good enough, best first: the first ones make this list, and the
    # best FAN_OUT are offered this article.
    ranked = rank(source, candidates, weights, k=max(k, fan_out), min_score=min_score, exclude=excluded)
    others = table.get_related_lists(entry.id for entry in ranked[:fan_out])
    for entry in ranked[:fan_out]:
        other = others.get(entry.id)
        if other is None:
            continue  # not listed yet: its own computation will find this article
        updated = admit(
            [Scored(id=e.slug, score=e.score) for e in other.auto], Scored(id=slug, score=entry.score),
            room=k - len(other.pinned), min_score=min_score,
            blocked=[other.slug, *other.pinned, *other.excluded],
        )  # fmt: skip
        if updated is None:
            continue
        changed = other.model_copy(update={
            "auto": [RelatedEntry(slug=e.id, score=e.score) for e in updated], "revision": other.revision + 1,
        })  # fmt: skip
        table.store_related(changed, other)
        report.updated.append(other.slug)

    auto = [entry for entry in ranked if entry.id not in pinned][: max(k - len(pinned), 0)]
    related = RelatedList(
        slug=slug, version=tagged.version, tags_revision=tagged.revision, pinned=pinned, excluded=excluded,
        auto=[RelatedEntry(slug=e.id, score=e.score) for e in auto],
        revision=previous.revision + 1 if previous else 1,
    )  # fmt: skip
    table.store_related(related, previous)
    report.related = [*pinned, *(e.id for e in auto)]
    logger.info("related", extra={"slug": slug, "related": report.related, "updated": report.updated,
                                  "candidates": report.candidates})  # fmt: skip
    return report


def unlist(slug: str, *, table: RelatedStore, after: str | None, chunk: int | None = None) -> list[str]:
    """Take ``slug`` out of up to ``chunk`` lists that name it; the lists changed.

    A list that pinned it is rewritten unchanged but for its revision, so that
    its document is rendered again without the link. More lists than a chunk:
    a progress item records the last one done, and its stream record brings the
    next chunk.
    """
    chunk = chunk or UNLIST_CHUNK
    sources = table.listed_by(slug, after=after, limit=chunk + 1)
    lists = table.get_related_lists(sources[:chunk])
    changed = []
    for source in sources[:chunk]:
        other = lists.get(source)
        if other is None:
            continue
        auto = [entry for entry in other.auto if entry.slug != slug]
        if len(auto) == len(other.auto) and slug not in other.pinned:
            continue
        table.store_related(other.model_copy(update={"auto": auto, "revision": other.revision + 1}), other)
        changed.append(source)
    if len(sources) > chunk:
        table.record_unlist_progress(slug, sources[chunk - 1])
    logger.info("unlisted", extra={"slug": slug, "lists": changed, "more": len(sources) > chunk})
    return changed


def continue_unlist(slug: str, *, table: RelatedStore, chunk: int | None = None) -> list[str]:
    """The next chunk of an unlisting in progress (nothing if the article is published again)."""
    facts = table.get_article_facts(slug)
    if facts is not None and facts["status"] == "published":
        return []
    return unlist(slug, table=table, after=table.get_unlist_progress(slug), chunk=chunk)
