"""Articles: the current version, its history, and which version the CDN serves."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from kabar.errors import AlreadyProcessed, Conflict
from kabar.models import Article, ArticleFacts, UploadState
from kabar.table import keys
from kabar.table.base import CONDITION_FAILED, ConditionFailed, Table
from kabar.table.codec import to_value
from kabar.table.images import image_changes
from kabar.table.links import link_changes
from kabar.table.uploads import finish_update

if TYPE_CHECKING:
    from kabar.documents import ArticleSummary  # imported where summaries are read (never by the API)
    from kabar.images.records import LibraryImage
    from kabar.models import Upload  # the upload's outcome, written by PublishFunction

TYPE_ARTICLE = "article"
TYPE_ARTICLE_VERSION = "article_version"
TYPE_RENDERED = "rendered"
# What rendering reads of a library image (its variants, not where its original is).
IMAGE_FIELDS = ("id", "width", "height", "format", "credit", "variants", "sha256", "original_key",
                "created_at", "created_by", "upload_id")  # fmt: skip
FACTS = ("slug", "status", "version", "published_at", "category", "related", "exclude_related", "comments")


def summary_values(summary: ArticleSummary) -> dict[str, Any]:
    """A summary as items store it (``summary`` on an article and on its memberships)."""
    values = {
        "slug": summary.slug, "path": summary.path, "title": summary.title, "subtitle": summary.subtitle,
        "lead": summary.lead, "category": summary.category.to_json() if summary.category else None,
        "author": summary.author, "authors": [author.to_json() for author in summary.authors] or None,
        "published_at": summary.published_at.isoformat(), "updated_at": summary.updated_at.isoformat(),
        "image": summary.image.to_json() if summary.image else None,
    }  # fmt: skip
    return {k: v for k, v in values.items() if v is not None}


def article_items(article: Article) -> tuple[dict[str, Any], dict[str, Any]]:
    """The current-version item of an article and its history entry. A published article is in
    the latest list (gsi1 ``LATEST``), a scheduled one in the schedule's (``SCHEDULED``, by the
    time it goes public); a draft in none."""
    values: dict[str, Any] = {**keys.article(article.slug), "type": TYPE_ARTICLE}
    values.update(article.to_json(exclude_none=True))
    values["summary"] = summary_values(article.summary())
    if article.status == "published":
        values["gsi1pk"] = keys.LATEST
        values["gsi1sk"] = keys.listing_position(article.published_at, article.slug)
    elif article.status == "scheduled" and article.release_at is not None:
        values["gsi1pk"] = keys.SCHEDULED
        values["gsi1sk"] = keys.listing_position(article.release_at, article.slug)
    history = {**values, **keys.version(article.slug, article.version), "type": TYPE_ARTICLE_VERSION}
    for attribute in ("gsi1pk", "gsi1sk"):
        history.pop(attribute, None)
    return values, history


def superseding(table: Table, previous: Article | None, upload: Upload) -> list[dict[str, Any]]:
    """When a new version replaces a scheduled one, the scheduled version's upload as superseded by
    this one (in the same transaction: the current version's condition keeps them consistent)."""
    if previous is None or previous.status != "scheduled" or previous.upload_id == upload.upload_id:
        return []
    return [table.update_op(
        keys.upload(previous.upload_id),
        UpdateExpression="SET #state = :superseded, superseded_by = :by",
        ConditionExpression="attribute_exists(pk)",
        ExpressionAttributeNames={"#state": "state"},
        ExpressionAttributeValues={":superseded": to_value(UploadState.SUPERSEDED.value),
                                   ":by": to_value(upload.upload_id)},
    )]  # fmt: skip


class ArticleStore:
    def __init__(self, table: Table) -> None:
        self.table = table
        self._linked: dict[str, dict[str, Any] | None] = {}  # summaries read ahead, by slug
        self._images: dict[str, dict[str, Any] | None] = {}  # the articles' library images, by id

    @contextmanager
    def reading_ahead(self, slugs: Iterable[str], *, linked: bool = False) -> Iterator[None]:
        """While the block runs, what rendering these articles reads of each (its current
        version, comment counter, tags, related list and the version the CDN serves), read
        in one batch get (``Table.reading_ahead``); with ``linked``, the summaries of every
        article they link to (read-also and related) in one more, for :meth:`summaries`."""
        slugs = list(slugs)
        parts = (keys.article, keys.comment_counter, keys.article_tags, keys.related, keys.rendered)
        with self.table.reading_ahead([part(slug) for slug in slugs for part in parts]) as read:
            self._linked = self._read_linked(slugs, read) if linked else {}
            try:
                yield
            finally:
                self._linked, self._images = {}, {}

    def _read_linked(self, slugs: list[str], read: dict[tuple[str, str], Any]) -> dict[str, Any]:
        """The summaries of what these articles link to, and their images (one batch get for both:
        summaries and images share no attribute but ``slug`` and ``status``, which images lack)."""
        names: set[str] = set()
        images: set[str] = set()
        for slug in slugs:
            article, listed = keys.article(slug), keys.related(slug)
            current = read.get((article["pk"], article["sk"])) or {}
            related = read.get((listed["pk"], listed["sk"])) or {}
            names.update(map(str, current.get("read_also") or []), map(str, related.get("pinned") or []))
            names.update(str(entry["slug"]) for entry in related.get("auto") or [] if isinstance(entry, dict))
            images.update(str(use["id"]) for use in [current.get("image"), *(current.get("images") or [])]
                          if isinstance(use, dict))  # fmt: skip
        if not names and not images:
            return {}
        try:
            items = self.table.batch_get([*map(keys.article, names), *map(keys.image, images)],
                                         projection=("slug", "status", "summary", *IMAGE_FIELDS))  # fmt: skip
        except Exception:  # each article's summaries are then read on their own
            return {}
        found = {str(item["slug"]): item for item in items if "slug" in item}
        stored = {str(item["id"]): item for item in items if "id" in item}
        self._images = {image: stored.get(image) for image in images}
        return {name: found.get(name) for name in names}

    def images(self, image_ids: Iterable[str]) -> dict[str, LibraryImage]:
        """The library images among these ids (read ahead with what the articles link to)."""
        from kabar.images.records import LibraryImage

        wanted = list(dict.fromkeys(image_ids))
        items = [item for image in wanted if (item := self._images.get(image))]
        unread = [image for image in wanted if image not in self._images]
        if unread:
            items += self.table.batch_get(map(keys.image, unread), projection=IMAGE_FIELDS)
        return {str(item["id"]): LibraryImage.from_json(item) for item in items}

    def get(self, slug: str) -> Article | None:
        item = self.table.get(keys.article(slug))
        return Article.from_json(item) if item else None

    def version(self, slug: str, number: int) -> Article | None:
        """One version of an article, from its history."""
        item = self.table.get(keys.version(slug, number))
        return Article.from_json(item) if item else None

    def facts(self, slug: str) -> ArticleFacts | None:
        """An article's status, version, publish time, category and related-list choices (no body)."""
        item = self.table.get(keys.article(slug), projection=FACTS)
        return ArticleFacts.from_json(item) if item else None

    def states(self, slugs: Iterable[str]) -> dict[str, str]:
        """The status (draft or published) of each of these articles that exists, by slug."""
        items = self.table.batch_get(map(keys.article, slugs), projection=("slug", "status"))
        return {str(item["slug"]): str(item["status"]) for item in items}

    def summaries(self, slugs: Iterable[str]) -> dict[str, ArticleSummary]:
        """The list summaries of these articles that are published, by slug (no bodies read)."""
        from kabar.documents import ArticleSummary

        wanted = list(slugs)
        items = [item for slug in wanted if (item := self._linked.get(slug))]
        unread = [slug for slug in wanted if slug not in self._linked]
        if unread:
            items += self.table.batch_get(map(keys.article, unread), projection=("slug", "status", "summary"))
        return {
            str(item["slug"]): ArticleSummary.from_json(item["summary"])
            for item in items
            if item["status"] == "published"
        }

    def publish(self, upload: Upload, article: Article, previous: Article | None = None) -> None:
        """Store a new article version, its history entry, the upload's outcome and the reverse
        indexes of the articles and images it uses (replacing ``previous``'s entries) at once.

        Raises AlreadyProcessed when the upload was handled before (a replayed
        event), Conflict when another write changed the article meanwhile.
        """
        values, history = article_items(article)
        if article.version == 1:
            current: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(pk)"}
        else:
            current = {
                "ConditionExpression": "#version = :previous",
                "ExpressionAttributeNames": {"#version": "version"},
                "ExpressionAttributeValues": {":previous": {"N": str(article.version - 1)}},
            }

        def refused(reasons: list[str | None]) -> Exception:
            if reasons and reasons[0] == CONDITION_FAILED:
                return AlreadyProcessed(upload.upload_id)
            return Conflict(f"article {article.slug} changed meanwhile: {reasons}")

        self.table.transact([
            self.table.update_op(keys.upload(upload.upload_id), **finish_update(upload)),
            self.table.put_op(values, **current),
            self.table.put_op(history, ConditionExpression="attribute_not_exists(pk)"),
            *link_changes(self.table, previous, article),
            *image_changes(self.table, previous, article),
            *superseding(self.table, previous, upload),
        ], refused)  # fmt: skip

    def versions(self, slug: str) -> list[int]:
        """Every stored version number of an article, oldest first."""
        items = self.table.query(
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues={
                ":pk": {"S": keys.article_partition(slug)},
                ":prefix": {"S": keys.VERSION},
            },
            ProjectionExpression="version",
        )
        return [int(item["version"]) for item in items]

    def mark_rendered(self, slug: str, version: int, status: str) -> None:
        """Record which version of an article the CDN now serves (never goes backwards).

        Read ahead as recorded already (an article rendered again for its related list or
        its comments): no write.
        """
        known, item = self.table.read_ahead(keys.rendered(slug))
        if known and item is not None:
            recorded = int(item["version"])
            if recorded > version or (recorded == version and item.get("status") == status):
                return
        # A newer version rendered already fails the condition: nothing to record then.
        with contextlib.suppress(ConditionFailed):
            self.table.put(
                {**keys.rendered(slug), "type": TYPE_RENDERED, "version": version, "status": status},
                ConditionExpression="attribute_not_exists(pk) OR version <= :version",
                ExpressionAttributeValues={":version": {"N": str(version)}},
            )

    def rendered_version(self, slug: str) -> tuple[int, str] | None:
        item = self.table.get(keys.rendered(slug))
        return (int(item["version"]), str(item["status"])) if item else None
