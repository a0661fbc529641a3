"""Table stream records as Lambda hands them over, and the item images they carry, for the tests
of what records mean (kabar.events) and where they go (kabar.dispatch)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kabar.models import ArticleStatus, ArticleTags, Comment, CommentStatus, ScoredTag
from kabar.table import keys
from kabar.table.codec import to_item
from tests.support.memory import article

NOVEMBER = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
OCTOBER = datetime(2026, 10, 5, 1, 0, tzinfo=UTC)
MOMENTS = {"2026-09": datetime(2026, 9, 9, 9, 0, tzinfo=UTC), "2026-10": OCTOBER, "2026-11": NOVEMBER}


def at(month: str, slug: str = "gempa") -> str:
    """Where an article published in ``month`` (one of MOMENTS) sits in its lists."""
    return keys.listing_position(MOMENTS[month], slug)


def record(
    sequence: str, key: keys.Key, old: dict[str, Any] | None, new: dict[str, Any] | None
) -> dict[str, Any]:
    """A stream record as Lambda hands it over (NEW_AND_OLD_IMAGES), images as the table holds items."""
    change: dict[str, Any] = {
        "Keys": to_item(key),
        "SequenceNumber": sequence,
        "StreamViewType": "NEW_AND_OLD_IMAGES",
    }
    for name, image in (("OldImage", old), ("NewImage", new)):
        if image is not None:
            change[name] = to_item({**key, **image})
    event = "MODIFY" if old and new else "INSERT" if new else "REMOVE"
    return {"eventID": sequence, "eventName": event, "eventSource": "aws:dynamodb", "dynamodb": change}


def article_image(
    slug: str, status: ArticleStatus = "published", published_at: datetime = NOVEMBER
) -> dict[str, Any]:
    stored = article(slug, status=status, published_at=published_at)
    image = {"type": "article", **stored.to_json(exclude_none=True)}
    if status == "published":
        image.update(gsi1pk=keys.LATEST, gsi1sk=keys.listing_position(published_at, slug))
    return image


def tags_image(slug: str, status: ArticleStatus, month: str | None, *tags: str) -> dict[str, Any]:
    scored = [ScoredTag(name=tag.title(), slug=tag, score=0.5, origin="suggested") for tag in tags]
    published_at = MOMENTS[month] if month else None
    tagged = ArticleTags(slug=slug, version=1, status=status, published_at=published_at, tags=scored,
                         terms={"banjir": 0.8})  # fmt: skip
    return {"type": "article_tags", **tagged.to_json(exclude_none=True)}


def comment_image(status: CommentStatus, seq: int | None = None, slug: str = "gempa") -> dict[str, Any]:
    comment = Comment(
        id="20261124T090000000000Zab12cd34",
        slug=slug,
        name="Ani",
        content="Halo.",
        content_html="<p>Halo.</p>",
        status=status,
        created_at="2026-11-24T09:00:00Z",
        email_hash="e" * 64,
        network_hash="n" * 64,
        seq=seq,
    )
    return {"type": "comment", **comment.to_json(exclude_none=True), "summary": comment.public_view()}
