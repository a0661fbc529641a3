"""An article's computed tags, its memberships in tag, category and author lists, and their counts."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, TypeGuard

from kabar.documents import ArticleSummary
from kabar.errors import Conflict, Stale, TagMergedMeanwhile
from kabar.models import ArticleTags, AuthorRef, Category, ScoredTag, TagCount, list_terms
from kabar.table import keys
from kabar.table.articles import summary_values
from kabar.table.base import CONDITION_FAILED, Table, names
from kabar.table.codec import to_item

TYPE_ARTICLE_TAGS = "article_tags"
TYPE_MEMBERSHIP = "tag_membership"
TYPE_CATEGORY_MEMBERSHIP = "category_membership"
TYPE_TERM_MEMBERSHIP = "term_membership"
TYPE_TAG_STATS = "tag_stats"
TYPE_CATEGORY_STATS = "category_stats"
TYPE_AUTHORSHIP = "authorship"
TYPE_AUTHOR_STATS = "author_stats"
TYPE_MERGE_PROGRESS = "tag_merge_progress"


class TagStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def get(self, slug: str) -> ArticleTags | None:
        """An article's tags as TaggingFunction last stored them."""
        item = self.table.get(keys.article_tags(slug))
        return ArticleTags.from_json(item) if item else None

    def store(
        self,
        tagged: ArticleTags,
        *,
        previous: ArticleTags | None,
        summary: ArticleSummary | None,
        published_at: datetime | None,
        category: Category | None = None,
        authors: list[AuthorRef] | None = None,
    ) -> None:
        """Store an article's tags, its memberships and the tags', categories' and authors' counts
        in one transaction.

        Memberships (in each tag, the category, each author's, its strongest stems' lists) exist
        only while the article is published (``summary`` given); each carries the profile
        related-article scoring compares (and a tag's, category's or author's the summary lists
        show). ``tagged.category`` must be ``category``'s slug, and ``tagged.authors`` the slugs of
        ``authors``, while published. Raises Stale when a version at least as new was stored
        already.
        """
        was = {t.slug: t for t in previous.tags} if was_published(previous) else {}
        now = {t.slug: t for t in tagged.tags} if summary is not None else {}
        values = {**keys.article_tags(tagged.slug), "type": TYPE_ARTICLE_TAGS,
                  **tagged.to_json(exclude_none=True)}  # fmt: skip
        items: list[Any] = [self.table.put_op(values, **_tags_condition(tagged, previous))]
        listed = summary_values(summary) if summary is not None else {}
        listing = summary is not None and published_at is not None  # in its category's, authors', terms'
        profile = {"terms": tagged.terms, "tags": list(now), **_category_of(category)}
        position = keys.listing_position(published_at, tagged.slug) if published_at else ""
        member = {"slug": tagged.slug, "gsi1sk": position, "summary": listed, "profile": profile}
        for slug, tag in now.items():
            membership = {**keys.membership(tagged.slug, slug), "type": TYPE_MEMBERSHIP, **member,
                          "tag": slug, "gsi1pk": keys.tag_list(slug)}  # fmt: skip
            items.append(self.table.put_op(membership))
            if slug not in was:
                items.append(self._count_update(tag, +1))
        items += self._category_changes(tagged.slug, previous, member, category if listing else None)
        items += self._author_changes(tagged.slug, previous, member, (authors or []) if listing else [])
        for slug, tag in was.items():
            if slug not in now:
                items.append(self.table.delete_op(keys.membership(tagged.slug, slug)))
                items.append(self._count_update(tag, -1))
        items += self._term_changes(tagged, previous, member if listing else None)
        # A tag the article joins must not have been merged since the vocabulary was read:
        # the merge's mover lists the tag's members once, so a membership written after
        # that would stay in the merged tag for good. Tags already held are the mover's.
        joined = [slug for slug in now if slug not in was]
        first_check = len(items)
        items += [self.table.check_op(keys.vocabulary(slug), **_NOT_MERGED) for slug in joined]

        def refused(reasons: list[str | None]) -> Exception:
            if reasons and reasons[0] == CONDITION_FAILED:
                return Stale(f"tags of {tagged.slug} v{tagged.version}")
            moved = [joined[i - first_check] for i, code in enumerate(reasons)
                     if code == CONDITION_FAILED and i >= first_check]  # fmt: skip
            if moved:
                return TagMergedMeanwhile(f"tags of {tagged.slug}: {', '.join(moved)} merged meanwhile")
            return Conflict(f"tags of {tagged.slug}: {reasons}")

        self.table.transact(items, refused)

    def _term_changes(
        self, tagged: ArticleTags, previous: ArticleTags | None, member: dict[str, Any] | None
    ) -> list[dict[str, Any]]:
        """The article in the lists of its profile's strongest stems while published (``member``):
        candidates by text. No summary: no page shows these lists."""
        was = set(list_terms(previous.terms)) if was_published(previous) else set()
        if member is None:
            return [self.table.delete_op(keys.term_membership(tagged.slug, t)) for t in sorted(was)]
        now = list_terms(tagged.terms)
        items = []
        for term in now:
            in_term = {**keys.term_membership(tagged.slug, term), "type": TYPE_TERM_MEMBERSHIP,
                       "slug": tagged.slug, "gsi1pk": keys.term_list(term), "gsi1sk": member["gsi1sk"],
                       "profile": member["profile"]}  # fmt: skip
            items.append(self.table.put_op(in_term))
        return items + [
            self.table.delete_op(keys.term_membership(tagged.slug, t)) for t in sorted(was - set(now))
        ]

    def _category_changes(
        self, slug: str, previous: ArticleTags | None, member: dict[str, Any], now: Category | None
    ) -> list[dict[str, Any]]:
        """The article in its category's list while published (``now``); the category it left
        counts one less, the one it joined one more."""
        items: list[dict[str, Any]] = []
        if now is not None:
            in_category = {**keys.category_membership(slug), "type": TYPE_CATEGORY_MEMBERSHIP, **member,
                           "gsi1pk": keys.category_list(now.slug)}  # fmt: skip
            items.append(self.table.put_op(in_category))
        else:
            items.append(self.table.delete_op(keys.category_membership(slug)))
        was = previous.category if was_published(previous) else None
        if was == (now.slug if now else None):
            return items
        if was:
            items.append(self.table.update_op(
                keys.category_stats(was), UpdateExpression="ADD #count :delta",
                ExpressionAttributeNames=names("count"), ExpressionAttributeValues=to_item({":delta": -1}),
            ))  # fmt: skip
        if now is not None:
            items.append(self.table.update_op(
                keys.category_stats(now.slug),
                UpdateExpression="SET #type = :type, #slug = :slug, #name = :name, gsi1pk = :pk, "
                "gsi1sk = :slug ADD #count :delta",
                ExpressionAttributeNames=names("type", "slug", "name", "count"),
                ExpressionAttributeValues=to_item({":type": TYPE_CATEGORY_STATS, ":slug": now.slug,
                                                   ":name": now.name, ":pk": keys.CATEGORIES, ":delta": 1}),
            ))  # fmt: skip
        return items

    def _author_changes(
        self, slug: str, previous: ArticleTags | None, member: dict[str, Any], now: list[AuthorRef]
    ) -> list[dict[str, Any]]:
        """The article in each of its authors' lists while published (``now``); an author it lost
        counts one less, one it gained one more (the count's name: the newest byline's)."""
        items: list[dict[str, Any]] = []
        was = set(previous.authors) if was_published(previous) else set()
        for author in now:
            entry = {**keys.authorship(slug, author.slug), "type": TYPE_AUTHORSHIP, **member,
                     "author": author.slug, "gsi1pk": keys.author_list(author.slug)}  # fmt: skip
            items.append(self.table.put_op(entry))
            items.append(self.table.update_op(
                keys.author_stats(author.slug),
                UpdateExpression="SET #type = :type, #slug = :slug, #name = :name ADD #count :delta",
                ExpressionAttributeNames=names("type", "slug", "name", "count"),
                ExpressionAttributeValues=to_item({
                    ":type": TYPE_AUTHOR_STATS, ":slug": author.slug, ":name": author.name,
                    ":delta": 0 if author.slug in was else 1,
                }),
            ))  # fmt: skip
        for gone in sorted(was - {author.slug for author in now}):
            items.append(self.table.delete_op(keys.authorship(slug, gone)))
            items.append(self.table.update_op(
                keys.author_stats(gone), UpdateExpression="ADD #count :delta",
                ExpressionAttributeNames=names("count"), ExpressionAttributeValues=to_item({":delta": -1}),
            ))  # fmt: skip
        return items

    def author_count(self, author: str) -> TagCount | None:
        item = self.table.get(keys.author_stats(author))
        if not item:
            return None
        return TagCount(slug=author, name=str(item.get("name", author)), count=int(item.get("count", 0)))

    def categories(self, limit: int) -> list[TagCount]:
        """Up to ``limit`` categories with published articles, by slug: one query (a newsroom has
        tens of categories)."""
        items, _ = self.table.query_page(
            IndexName=keys.GSI1, KeyConditionExpression="gsi1pk = :pk",
            ExpressionAttributeValues={":pk": {"S": keys.CATEGORIES}}, Limit=limit,
        )  # fmt: skip
        found = [TagCount(slug=str(item["gsi1sk"]), name=str(item.get("name", item["gsi1sk"])),
                          count=int(item.get("count", 0))) for item in items]  # fmt: skip
        return [category for category in found if category.count > 0]

    def category_count(self, category: str) -> TagCount | None:
        item = self.table.get(keys.category_stats(category))
        if not item:
            return None
        return TagCount(slug=category, name=str(item.get("name", category)), count=int(item.get("count", 0)))

    def _count_update(self, tag: ScoredTag, delta: int) -> dict[str, Any]:
        return self.table.update_op(
            keys.tag_stats(tag.slug),
            UpdateExpression="SET #type = :type, #slug = :slug, #name = :name, gsi1pk = :pk, "
            "gsi1sk = :slug, gsi2pk = :pk ADD #count :delta",
            ExpressionAttributeNames=names("type", "slug", "name", "count"),
            ExpressionAttributeValues=to_item({":type": TYPE_TAG_STATS, ":slug": tag.slug, ":name": tag.name,
                                               ":pk": keys.TAGS, ":delta": delta}),
        )  # fmt: skip

    def member_slugs(self, tag: str, limit: int) -> list[str]:
        """Up to ``limit`` of a tag's articles (newest first)."""
        items = self.table.newest(keys.tag_list(tag), limit)
        return [keys.parse_listing_position(str(item["gsi1sk"]))[1] for item in items]

    def record_merge_progress(self, tag: str, moved: int) -> None:
        """Note that a merge moved ``moved`` more articles; the stream hands on the next chunk."""
        self.table.update(
            keys.merge_progress(tag),
            UpdateExpression="SET #type = :type ADD moved :moved, rounds :one",
            ExpressionAttributeNames={"#type": "type"},
            ExpressionAttributeValues=to_item({":type": TYPE_MERGE_PROGRESS, ":moved": moved, ":one": 1}),
        )

    def counts(self) -> list[TagCount]:
        """Every tag that ever had an article: slug, name and current count (by slug). Reads every
        tag: for tests and operations, never a request or event path (those use most_used)."""
        return [
            TagCount(slug=item["gsi1sk"], name=item.get("name", item["gsi1sk"]), count=int(item["count"]))
            for item in self.table.in_list(keys.TAGS)
        ]

    def most_used(self, limit: int) -> list[TagCount]:
        """Up to ``limit`` tags with articles, most used first (ties by slug within the answer):
        one query of the count-sorted index, however many tags exist."""
        items, _ = self.table.query_page(
            IndexName=keys.GSI2,
            KeyConditionExpression="gsi2pk = :pk AND #count > :none",
            ExpressionAttributeNames={"#count": "count"},
            ExpressionAttributeValues={":pk": {"S": keys.TAGS}, ":none": {"N": "0"}},
            ScanIndexForward=False,
            Limit=limit,
        )
        found = [TagCount(slug=str(item["slug"]), name=str(item.get("name", item["slug"])),
                          count=int(item["count"])) for item in items]  # fmt: skip
        return sorted(found, key=lambda t: (-t.count, t.slug))

    def reading_counts_ahead(
        self, tags: Iterable[str], categories: Iterable[str] = (), authors: Iterable[str] = ()
    ) -> AbstractContextManager[Any]:
        """While the block runs, these tags', categories' and authors' counts (and the authors'
        profiles) read in one batch get (``Table.reading_ahead``)."""
        wanted = [keys.tag_stats(tag) for tag in tags] + [keys.category_stats(c) for c in categories]
        wanted += [
            key for author in authors for key in (keys.author_stats(author), keys.author_profile(author))
        ]
        return self.table.reading_ahead(wanted)

    def count(self, tag: str) -> TagCount | None:
        item = self.table.get(keys.tag_stats(tag))
        return TagCount(slug=tag, name=str(item.get("name", tag)), count=int(item["count"])) if item else None

    def article_counts(self, tags: Iterable[str]) -> dict[str, int]:
        """How many published articles each of these tags has (tags never used are left out)."""
        items = self.table.batch_get(map(keys.tag_stats, tags), projection=("slug", "count"))
        return {str(item["slug"]): int(item["count"]) for item in items}


def _category_of(category: Category | None) -> dict[str, str]:
    return {"category": category.slug} if category else {}


def was_published(previous: ArticleTags | None) -> TypeGuard[ArticleTags]:
    return previous is not None and previous.status == "published"


_NOT_MERGED = {
    "ConditionExpression": "attribute_not_exists(#status) OR #status <> :merged",
    "ExpressionAttributeNames": {"#status": "status"},
    "ExpressionAttributeValues": {":merged": {"S": "merged"}},
}


def _tags_condition(tagged: ArticleTags, previous: ArticleTags | None) -> dict[str, Any]:
    """Newer versions replace older ones; a re-tag of the same version needs the revision it read."""
    if previous is not None and previous.version == tagged.version:
        return {
            "ConditionExpression": "version = :version AND revision = :revision",
            "ExpressionAttributeValues": to_item(
                {":version": tagged.version, ":revision": previous.revision}
            ),
        }
    return {
        "ConditionExpression": "attribute_not_exists(pk) OR version < :version",
        "ExpressionAttributeValues": {":version": {"N": str(tagged.version)}},
    }
