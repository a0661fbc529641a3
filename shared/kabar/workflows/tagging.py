"""Tagging: an article's tags, recomputed from its current version.

Replays and out-of-order records are harmless: the stored tags carry the
article version they came from, and work for a version already tagged is
dropped (the write is conditional on the version being newer).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol

from kabar.documents import ArticleSummary
from kabar.errors import Stale, TagMergedMeanwhile
from kabar.models import Article, ArticleTags, AuthorRef, Category, ScoredTag, VocabularyEntry
from kabar.observability import logger
from kabar.text.relatedness import text_terms
from kabar.text.tag_suggestion import Tag, Vocabulary, match_key, suggest_tags

MERGE_CHUNK = 25


class Articles(Protocol):
    def get(self, slug: str) -> Article | None: ...
    def reading_ahead(self, slugs: Iterable[str]) -> AbstractContextManager[None]: ...


class Tags(Protocol):
    def get(self, slug: str) -> ArticleTags | None: ...
    def store(
        self, tagged: ArticleTags, *, previous: ArticleTags | None, summary: ArticleSummary | None,
        published_at: datetime | None, category: Category | None = None,
        authors: list[AuthorRef] | None = None,
    ) -> None: ...  # fmt: skip
    def member_slugs(self, tag: str, limit: int) -> list[str]: ...
    def record_merge_progress(self, tag: str, moved: int) -> None: ...


class AliasOffers(Protocol):
    def offer(self, tag: str, name: str, alias: str, key: str, article: str) -> bool: ...


class TaggingVocabulary(Vocabulary, Protocol):
    def get(self, slug: str) -> VocabularyEntry | None: ...


MERGE_RETRIES = 3


def tag_article(
    slug: str, *, articles: Articles, tags: Tags, vocabulary: Vocabulary, max_tags: int,
    publish_suggestions: bool, force: bool = False, aliases: AliasOffers | None = None,
) -> ArticleTags | None:  # fmt: skip
    """Compute and store the current version's tags; the stored tags (None: no article).

    ``force`` re-tags a version already tagged (the vocabulary changed); it writes
    only when the tags come out different. A tag merged between reading the
    vocabulary and writing refuses the write (TagStore.store), and the tags are
    computed again from the vocabulary as it is now. With ``aliases``, the other forms a
    published article gives a tag's name are offered to editors (:func:`offer_variants`).
    """
    for attempt in range(1, MERGE_RETRIES + 1):
        try:
            return _tag_once(slug, articles=articles, tags=tags, vocabulary=vocabulary, max_tags=max_tags,
                             publish_suggestions=publish_suggestions, force=force,
                             aliases=aliases)  # fmt: skip
        except TagMergedMeanwhile as exc:
            if attempt == MERGE_RETRIES:
                raise
            logger.info("a tag was merged while tagging; again", extra={"slug": slug, "why": str(exc)})
    raise AssertionError("unreachable")


def _tag_once(
    slug: str, *, articles: Articles, tags: Tags, vocabulary: Vocabulary, max_tags: int,
    publish_suggestions: bool, force: bool, aliases: AliasOffers | None,
) -> ArticleTags | None:  # fmt: skip
    with articles.reading_ahead([slug]):  # the article and its tags in one request
        article = articles.get(slug)
        previous = tags.get(slug)
    if article is None:
        return None
    if previous is not None and (
        previous.version > article.version or (previous.version == article.version and not force)
    ):
        logger.info("tags already current", extra={"slug": slug, "version": previous.version})
        return previous
    body = html.unescape(article.body_html)
    found = suggest_tags(article.title, article.lead, body, editor_tags=[tag.name for tag in article.tags],
                         vocabulary=vocabulary, max_tags=max_tags)  # fmt: skip
    scored = [ScoredTag(name=t.name, slug=t.slug, score=t.score, origin=t.origin) for t in found]
    waiting = [] if publish_suggestions else [t for t in scored if t.origin == "suggested"]
    published = article.status == "published"
    tagged = ArticleTags(
        slug=slug,
        version=article.version,
        status=article.status,
        published_at=article.published_at if published else None,
        category=article.category.slug if published and article.category else None,
        authors=[author.slug for author in article.bylines()] if published else [],
        tags=[t for t in scored if t not in waiting],
        pending=waiting,
        terms=text_terms(article.title, article.lead, body) if published else {},
    )
    if previous is not None and previous.version == article.version:
        if (previous.tags, previous.pending, previous.terms) == (tagged.tags, tagged.pending, tagged.terms):
            return previous  # a re-tag that changes nothing writes nothing
        tagged.revision = previous.revision + 1
    try:
        tags.store(
            tagged,
            previous=previous,
            summary=article.summary() if published else None,
            published_at=article.published_at,
            category=article.category,
            authors=article.bylines(),
        )
    except Stale:
        logger.info("newer tags stored meanwhile", extra={"slug": slug, "version": article.version})
        return tags.get(slug)
    if aliases is not None and published:
        offer_variants(slug, found, aliases=aliases)
    logger.info(
        "tagged",
        extra={"slug": slug, "version": article.version, "tags": [t.slug for t in tagged.tags],
               "pending": [t.slug for t in waiting]},
    )  # fmt: skip
    return tagged


def offer_variants(slug: str, found: Iterable[Tag], *, aliases: AliasOffers) -> list[str]:
    """Offer editors each other form of a tag's name the article gave (a defined acronym or its long
    form; the tagger leaves out the forms the vocabulary knows); never applied until an editor
    accepts. The offered forms. Bounded by the article's tags: one write per form, no read."""
    offered = [
        form for tag in found for form in tag.variants
        if (key := match_key(form)) and key != match_key(tag.name)
        and aliases.offer(tag.slug, tag.name, form, key, slug)
    ]  # fmt: skip
    if offered:
        logger.info("aliases offered", extra={"slug": slug, "aliases": offered})
    return offered


def continue_merge(
    tag: str, *, articles: Articles, tags: Tags, vocabulary: TaggingVocabulary, max_tags: int,
    publish_suggestions: bool, chunk: int | None = None,
) -> int:  # fmt: skip
    """Re-tag up to ``chunk`` articles still listed under a merged tag; how many were moved.

    Each re-tag maps the old tag to its target (the vocabulary follows the merge)
    and so removes the article from the old tag's list. When articles remain, a
    progress item is written, and its stream record brings the next chunk: no
    invocation does more than ``chunk`` articles, however large the tag.
    """
    chunk = chunk or MERGE_CHUNK
    entry = vocabulary.get(tag)
    if entry is None or entry.status != "merged":
        return 0
    # One more than the chunk: whether any remain after this chunk, in the same query.
    members = tags.member_slugs(tag, chunk + 1)
    slugs = members[:chunk]
    for slug in slugs:
        tag_article(slug, articles=articles, tags=tags, vocabulary=vocabulary, max_tags=max_tags,
                    publish_suggestions=publish_suggestions, force=True)  # fmt: skip
    if len(members) > chunk:
        tags.record_merge_progress(tag, len(slugs))
    logger.info("merge continued", extra={"tag": tag, "into": entry.merged_into, "moved": len(slugs)})
    return len(slugs)
