"""Tagging: an article's tags, recomputed from its current version.

Replays and out-of-order records are harmless: the stored tags carry the
article version they came from, and work for a version already tagged is
dropped (the write is conditional on the version being newer).
"""

from __future__ import annotations

import html

from kabar.dal import ContentTable, Stale, article_summary, month_of
from kabar.documents import article_path
from kabar.models import ArticleTags, ScoredTag
from kabar.observability import logger
from kabar.text.relatedness import text_terms
from kabar.text.tag_suggestion import suggest_tags

MERGE_CHUNK = 25


def tag_article(
    slug: str, *, table: ContentTable, max_tags: int, publish_suggestions: bool, force: bool = False
) -> ArticleTags | None:
    """Compute and store the current version's tags; the stored tags (None: no article).

    ``force`` re-tags a version already tagged (the vocabulary changed); it writes
    only when the tags come out different.
    """
    article = table.get_article(slug)
    if article is None:
        return None
    previous = table.get_article_tags(slug)
    if previous is not None and (
        previous.version > article.version or (previous.version == article.version and not force)
    ):
        logger.info("tags already current", extra={"slug": slug, "version": previous.version})
        return previous
    body = html.unescape(article.body_html)
    found = suggest_tags(
        article.title,
        article.lead,
        body,
        editor_tags=[tag.name for tag in article.tags],
        vocabulary=table.vocabulary(),
        max_tags=max_tags,
    )
    scored = [ScoredTag(name=t.name, slug=t.slug, score=t.score, origin=t.origin) for t in found]
    waiting = [] if publish_suggestions else [t for t in scored if t.origin == "suggested"]
    published = article.status == "published"
    tagged = ArticleTags(
        slug=slug,
        version=article.version,
        status=article.status,
        month=month_of(article.published_at) if published else None,
        tags=[t for t in scored if t not in waiting],
        pending=waiting,
        terms=text_terms(article.title, article.lead, body) if published else {},
    )
    if previous is not None and previous.version == article.version:
        if (previous.tags, previous.pending, previous.terms) == (tagged.tags, tagged.pending, tagged.terms):
            return previous  # a re-tag that changes nothing writes nothing
        tagged.revision = previous.revision + 1
    try:
        table.store_tagging(
            tagged,
            previous=previous,
            summary=article_summary(article, article_path(slug)) if published else None,
            published_at=article.published_at,
            category=article.category.slug if article.category else None,
        )
    except Stale:
        logger.info("newer tags stored meanwhile", extra={"slug": slug, "version": article.version})
        return table.get_article_tags(slug)
    logger.info(
        "tagged",
        extra={"slug": slug, "version": article.version, "tags": [t.slug for t in tagged.tags],
               "pending": [t.slug for t in waiting]},
    )  # fmt: skip
    return tagged


def continue_merge(
    tag: str, *, table: ContentTable, max_tags: int, publish_suggestions: bool, chunk: int | None = None
) -> int:
    """Re-tag up to ``chunk`` articles still listed under a merged tag; how many were moved.

    Each re-tag maps the old tag to its target (the vocabulary follows the merge)
    and so removes the article from the old tag's list. When articles remain, a
    progress item is written, and its stream record brings the next chunk: no
    invocation does more than ``chunk`` articles, however large the tag.
    """
    chunk = chunk or MERGE_CHUNK
    entry = table.get_vocabulary_entry(tag)
    if entry is None or entry.get("status") != "merged":
        return 0
    # One more than the chunk: whether any remain after this chunk, in the same query.
    members = table.tag_member_slugs(tag, chunk + 1)
    slugs = members[:chunk]
    for slug in slugs:
        tag_article(slug, table=table, max_tags=max_tags, publish_suggestions=publish_suggestions, force=True)
    if len(members) > chunk:
        table.record_merge_progress(tag, len(slugs))
    logger.info("merge continued", extra={"tag": tag, "into": entry.get("merged_into"), "moved": len(slugs)})
    return len(slugs)
