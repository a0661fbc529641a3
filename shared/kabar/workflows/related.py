"""Related articles: keeping every published article's list current, in both directions.

RelatedFunction calls :func:`relate` when an article's tags change (every new
version is re-tagged, so every publish, update and unpublish comes here):

- a published article gets its list from candidates read from its tags',
  category's lists (the newest :data:`PER_LIST` of each) and its strongest stems'
  lists (the newest :data:`PER_TERM_LIST`): a bounded read however many articles
  exist; the stems find related stories that share no tag), scored by
  :mod:`kabar.text.relatedness`;
- the best :data:`FAN_OUT` of those candidates are offered the article in turn:
  a candidate whose list it now belongs in is rewritten (and so re-rendered);
- an article that is no longer published loses its list, and is removed from
  every list that names it, :data:`UNLIST_CHUNK` lists per invocation (one
  transaction), through the reverse index (the table's listed-by items); a
  progress item brings the next chunk.

The lists an article joins and its own list are written in one transaction (one
request, all or none; its own list last should they ever need more than one). Its
own list records the tags version it was computed from: a replayed record finds
it and changes nothing, while a record that failed is computed again (offering the
article to another list twice changes nothing). Writes are conditional on the
revision read; a concurrent change fails the record, which is retried on fresh state.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol

from kabar.models import ArticleFacts, ArticleTags, Candidate, RelatedEntry, RelatedList, list_terms
from kabar.observability import logger
from kabar.text.relatedness import DEFAULT_K, DEFAULT_MIN_SCORE, Profile, Scored, admit, rank, tag_weight

PER_LIST = 50  # candidates read from each tag's (and the category's) list, newest first
PER_TERM_LIST = 10  # and from each of the article's strongest stems' lists
FAN_OUT = 10  # older articles offered a newly published one
UNLIST_CHUNK = 25  # lists an unpublished article is removed from per invocation


class Facts(Protocol):
    def facts(self, slug: str) -> ArticleFacts | None: ...
    def reading_ahead(self, slugs: Iterable[str]) -> AbstractContextManager[None]: ...


class Tags(Protocol):
    def get(self, slug: str) -> ArticleTags | None: ...
    def article_counts(self, tags: Iterable[str]) -> dict[str, int]: ...


class RelatedLists(Protocol):
    """Related lists and their reverse index: the table's, or the CLI's in memory."""

    def candidates(
        self, tags: Iterable[str], category: str | None, per_list: int, terms: Iterable[str] = ()
    ) -> list[Candidate]: ...
    def get(self, slug: str) -> RelatedList | None: ...
    def get_many(self, slugs: Iterable[str]) -> dict[str, RelatedList]: ...
    def store_all(self, changes: Sequence[tuple[RelatedList, RelatedList | None]]) -> None: ...
    def delete(self, previous: RelatedList) -> None: ...
    def listed_by(self, slug: str, *, after: str | None, limit: int) -> list[str]: ...
    def record_unlist_progress(self, slug: str, after: str) -> None: ...
    def unlist_progress(self, slug: str) -> str | None: ...


def profile_of(candidate: Candidate) -> Profile:
    return Profile.of(candidate.slug, candidate.terms, candidate.tags, candidate.category,
                      candidate.published_at)  # fmt: skip


@dataclass
class RelateReport:
    slug: str
    related: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)  # other articles whose lists changed
    candidates: int = 0


def _gone(
    report: RelateReport, facts: ArticleFacts | None, tagged: ArticleTags | None,
    previous: RelatedList | None, lists: RelatedLists,
) -> RelateReport:  # fmt: skip
    """An article not published (or not tagged yet): its list goes, and it leaves every list."""
    if facts is not None and tagged is not None and tagged.version < facts.version:
        return report  # the new version is not tagged yet: its own TAGS record follows
    if previous is not None:
        lists.delete(previous)
    unlist(report.slug, lists=lists, after=None)
    return report


def relate(
    slug: str,
    *,
    articles: Facts,
    tags: Tags,
    lists: RelatedLists,
    k: int = DEFAULT_K,
    min_score: float = DEFAULT_MIN_SCORE,
    per_list: int = PER_LIST,
    fan_out: int = FAN_OUT,
) -> RelateReport:
    """Bring ``slug``'s list, and the lists it belongs in, up to date with the table."""
    report = RelateReport(slug)
    with articles.reading_ahead([slug]):  # the article, its tags and its list in one request
        facts = articles.facts(slug)
        tagged = tags.get(slug)
        previous = lists.get(slug)
    published = (
        facts is not None and facts.published and tagged is not None
        and tagged.version == facts.version and tagged.status == "published"
    )  # fmt: skip
    if not published:
        return _gone(report, facts, tagged, previous, lists)
    assert facts is not None and tagged is not None
    current = (tagged.version, tagged.revision)
    if previous is not None and (previous.version, previous.tags_revision) == current:
        logger.info("related already current", extra={"slug": slug, "version": tagged.version})
        return report
    category = facts.category.slug if facts.category else None
    slugs = [tag.slug for tag in tagged.tags]
    source = Profile.of(slug, tagged.terms, slugs, category, facts.published_at)
    pinned, excluded = list(facts.related), list(facts.exclude_related)

    counts = tags.article_counts(slugs)
    weights = {tag: tag_weight(counts.get(tag, 1)) for tag in slugs}
    listed = lists.candidates(slugs, category, per_list)
    by_text = lists.candidates((), None, min(per_list, PER_TERM_LIST), list_terms(tagged.terms))
    candidates = [profile_of(c) for c in (*listed, *by_text)]
    report.candidates = len({c.id for c in candidates})
    # Every candidate good enough, best first: the first ones make this list, and the
    # best FAN_OUT are offered this article.
    ranked = rank(source, candidates, weights, k=max(k, fan_out), min_score=min_score, exclude=excluded)
    joins = offer(slug, ranked[:fan_out], lists=lists, k=k, min_score=min_score)
    report.updated = [changed.slug for changed, _ in joins]

    auto = [entry for entry in ranked if entry.id not in pinned][: max(k - len(pinned), 0)]
    related = RelatedList(
        slug=slug, version=tagged.version, tags_revision=tagged.revision, pinned=pinned, excluded=excluded,
        auto=[RelatedEntry(slug=e.id, score=e.score) for e in auto],
        revision=previous.revision + 1 if previous else 1,
    )  # fmt: skip
    lists.store_all([*joins, (related, previous)])  # one transaction, this article's own list last
    report.related = [*pinned, *(e.id for e in auto)]
    logger.info("related", extra={"slug": slug, "related": report.related, "updated": report.updated,
                                  "candidates": report.candidates})  # fmt: skip
    return report


def offer(
    slug: str, best: list[Scored], *, lists: RelatedLists, k: int, min_score: float
) -> list[tuple[RelatedList, RelatedList]]:
    """The lists of its best candidates that ``slug`` joins: each as changed, and as read."""
    others = lists.get_many(entry.id for entry in best)
    joins = []
    for entry in best:
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
        changed = other.replace(
            auto=[RelatedEntry(slug=e.id, score=e.score) for e in updated], revision=other.revision + 1
        )
        joins.append((changed, other))
    return joins


def unlist(slug: str, *, lists: RelatedLists, after: str | None, chunk: int | None = None) -> list[str]:
    """Take ``slug`` out of up to ``chunk`` lists that name it; the lists changed.

    A list that pinned it is rewritten unchanged but for its revision, so that
    its document is rendered again without the link. More lists than a chunk:
    a progress item records the last one done, and its stream record brings the
    next chunk.
    """
    chunk = chunk or UNLIST_CHUNK
    sources = lists.listed_by(slug, after=after, limit=chunk + 1)
    naming = lists.get_many(sources[:chunk])
    changes: list[tuple[RelatedList, RelatedList | None]] = []
    for source in sources[:chunk]:
        other = naming.get(source)
        if other is None:
            continue
        auto = [entry for entry in other.auto if entry.slug != slug]
        if len(auto) == len(other.auto) and slug not in other.pinned:
            continue
        changes.append((other.replace(auto=auto, revision=other.revision + 1), other))
    lists.store_all(changes)  # the chunk in one transaction
    changed = [related.slug for related, _ in changes]
    if len(sources) > chunk:
        lists.record_unlist_progress(slug, sources[chunk - 1])
    logger.info("unlisted", extra={"slug": slug, "lists": changed, "more": len(sources) > chunk})
    return changed


def continue_unlist(
    slug: str, *, articles: Facts, lists: RelatedLists, chunk: int | None = None
) -> list[str]:
    """The next chunk of an unlisting in progress (nothing if the article is published again)."""
    facts = articles.facts(slug)
    if facts is not None and facts.published:
        return []
    return unlist(slug, lists=lists, after=lists.unlist_progress(slug), chunk=chunk)
