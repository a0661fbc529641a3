"""Event shapes Kabar consumes, parsed once into what the workflows need: S3 notifications,
authorizer claims, and table stream records as typed changes."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import quote_plus, unquote_plus


@dataclass(frozen=True)
class S3ObjectCreated:
    """An object an S3 notification announces (its fields as S3 gives them, parsed below)."""

    bucket: str
    key: str
    size: int
    version_id: str | None = None  # in a versioned bucket: the version this event announces


def s3_objects(body: str) -> list[S3ObjectCreated]:
    """The created objects an S3 notification (an SQS message body) announces.

    S3's own ``s3:TestEvent`` (sent when notifications are configured) yields
    nothing. Keys arrive URL-encoded, spaces as ``+``. A versioned bucket names the version
    created (``versionId``): the object at the key may already be a newer one.
    """
    message: dict[str, Any] = json.loads(body)
    objects = []
    for record in message.get("Records", []):
        if not str(record.get("eventName", "")).startswith("ObjectCreated"):
            continue
        s3 = record["s3"]
        objects.append(
            S3ObjectCreated(
                bucket=s3["bucket"]["name"],
                key=unquote_plus(s3["object"]["key"]),
                size=int(s3["object"].get("size", 0)),
                version_id=s3["object"].get("versionId") or None,
            )
        )
    return objects


def resumed_publish(bucket: str, key: str, size: int, version_id: str | None) -> dict[str, Any]:
    """The message ImagesFunction sends PublishFunction when the last image of a waiting article
    is processed: the article file's own notification again, in S3's shape (so it is handled as a
    replay of it would be), marked as Kabar's (``eventSource``)."""
    created: dict[str, Any] = {"key": quote_plus(key), "size": size}
    if version_id:
        created["versionId"] = version_id
    record = {"eventSource": "kabar:images", "eventName": "ObjectCreated:ImagesProcessed",
              "s3": {"bucket": {"name": bucket}, "object": created}}  # fmt: skip
    return {"Records": [record]}


# Table stream records, as typed changes ---------------------------------------------


@dataclass
class ArticleChanged:
    """An article's current version changed: the list positions it was and is at,
    whether a draft was published again (its comments become public again), and whether it
    became published or stopped being published (``relink``: the articles that link to it
    by name show or drop the link)."""

    slug: str
    positions: frozenset[str]
    republished: bool = False
    relink: bool = False
    version: int = 0  # the new current version (0: not known, a message from before it was sent)
    announce: str | None = None  # the event it announces (kabar.webhooks.article_event), if any


@dataclass
class TagsChanged:
    """An article's computed tags (its category, its authors) changed. ``list_positions``: where the
    article was and is in each affected list (each tag's, the category's, each author's: named as in
    kabar.listnames.list_kind) while published, read from the images when first asked, or as
    DispatchFunction read them (``known``, in a stage queue's message)."""

    slug: str
    images: tuple[dict[str, Any], ...] = ()
    known: dict[str, frozenset[str]] | None = None

    @cached_property
    def list_positions(self) -> dict[str, frozenset[str]]:
        return self.known if self.known is not None else _list_positions(self.images)


@dataclass
class RelatedChanged:
    slug: str


@dataclass
class TagMerged:
    """A tag became merged (its vocabulary entry), or a merge has more articles to move."""

    tag: str
    progress: bool = False


@dataclass
class UnlistContinued:
    """Unlisting an unpublished article has more lists to go through."""

    slug: str


@dataclass
class CommentChanged:
    """A comment that is, or was, public: the pages it is and was on, and whether the article's
    count of public comments changed (it became public, or stopped being public)."""

    slug: str
    pages: frozenset[int]
    count_changed: bool
    approved: str | None = None  # the comment's id when this change approved it (it became public)


@dataclass
class AuthorChanged:
    """Editors changed an author's profile: the author's document shows it."""

    author: str


@dataclass
class Scheduled:
    """A task the template's schedule asks for, not a table change (``task``: "sitemaps", the
    hourly rewrite of the news sitemap, so that articles leave it as they age even when nothing
    is published, and of the sitemap index, with every sitemap's last write)."""

    task: str


@dataclass
class Unhandled:
    """A record of an item no function acts on (FilterCriteria keep these away)."""

    pk: str
    sk: str


TableChange = (
    ArticleChanged
    | TagsChanged
    | RelatedChanged
    | TagMerged
    | UnlistContinued
    | CommentChanged
    | AuthorChanged
    | Scheduled
    | Unhandled
)


def table_change(record: dict[str, Any]) -> TableChange:
    """What one DynamoDB stream record means, read once from its keys and images."""
    from kabar.table import keys
    from kabar.table.codec import from_item

    stream = record.get("dynamodb", {})
    pk, sk = stream["Keys"]["pk"]["S"], stream["Keys"]["sk"]["S"]
    old, new = (from_item(stream[k]) if stream.get(k) else None for k in ("OldImage", "NewImage"))
    key = keys.parse(pk, sk)
    images = [image for image in (old, new) if image]
    if key.kind == "article":
        positions = {str(i["gsi1sk"]) for i in images if i.get("gsi1sk")}
        again = bool(old and new and old.get("status") != "published" and new.get("status") == "published")
        was, now = (bool(image and image.get("status") == "published") for image in (old, new))
        from kabar.webhooks import article_event

        return ArticleChanged(key.name, frozenset(positions), republished=again, relink=was != now,
                              version=int((new or old or {}).get("version", 0)),
                              announce=article_event(old, new))  # fmt: skip
    if key.kind == "tags":
        return TagsChanged(key.name, tuple(images))
    if key.kind == "related":
        return RelatedChanged(key.name)
    if key.kind == "merge" or (key.kind == "vocabulary" and new and new.get("status") == "merged"):
        return TagMerged(key.name, progress=key.kind == "merge")
    if key.kind == "unlist" and new:  # its removal (unlisting finished) asks for nothing
        return UnlistContinued(key.name)
    if key.kind == "comment":
        return _comment_change(old, new) or Unhandled(pk, sk)
    if key.kind == "author_profile":
        return AuthorChanged(key.name)
    return Unhandled(pk, sk)


def _list_positions(images: Iterable[dict[str, Any]]) -> dict[str, frozenset[str]]:
    from kabar.listnames import author_list_name, category_list_name
    from kabar.models import ArticleTags
    from kabar.table import keys

    positions: dict[str, set[str]] = {}
    for image in images:
        tagged = ArticleTags.from_json(image)
        if tagged.status == "published" and tagged.published_at is not None:
            position = keys.listing_position(tagged.published_at, tagged.slug)
            lists = [tag.slug for tag in tagged.tags]
            lists += [category_list_name(tagged.category)] if tagged.category else []
            lists += [author_list_name(author) for author in tagged.authors]
            for name in lists:
                positions.setdefault(name, set()).add(position)
    return {name: frozenset(found) for name, found in positions.items()}


def _comment_change(old: dict[str, Any] | None, new: dict[str, Any] | None) -> CommentChanged | None:
    from kabar.documents import comments_page_of

    public = [image for image in (old, new) if image and image.get("status") == "approved"]
    if not public:
        return None
    pages = frozenset(comments_page_of(int(image["seq"])) for image in public)
    became = new is not None and new in public and old not in public
    approved = str(new.get("id") or "") or None if became and new is not None else None
    return CommentChanged(str(public[0]["slug"]), pages, count_changed=len(public) == 1, approved=approved)


def table_changes(records: list[dict[str, Any]]) -> tuple[list[tuple[str, TableChange]], set[str]]:
    """Each record's change by its sequence number, and the records that could not be read."""
    changes, unreadable = [], set()
    for record in records:
        sequence = str(record["dynamodb"]["SequenceNumber"])
        try:
            change = table_change(record)
            if isinstance(change, TagsChanged):
                change.list_positions  # noqa: B018 (read now, so that a bad image fails this record alone)
            changes.append((sequence, change))
        except (KeyError, TypeError, ValueError):
            unreadable.add(sequence)
    return changes, unreadable
