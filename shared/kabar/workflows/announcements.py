"""What the table's changes announce (the event and its data, for kabar.workflows.webhooks), and an
editor's repost of an article to the social targets (kabar.social)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from kabar.errors import NotFound
from kabar.observability import logger
from kabar.social import delivery_id
from kabar.webhooks import Delivery, Event, Subscription, body
from kabar.workflows.webhooks import Store, delivery_message


class Versions(Protocol):
    def version(self, slug: str, number: int) -> Any: ...


class Comments(Protocol):
    def get(self, comment_id: str) -> Any: ...


def announced(change: Any) -> str | None:
    """The type of event a stage change announces, if any (read from the change alone)."""
    from kabar.events import ArticleChanged, CommentChanged
    from kabar.webhooks import COMMENT_APPROVED

    if isinstance(change, ArticleChanged) and change.announce and change.version:
        return change.announce
    return COMMENT_APPROVED if isinstance(change, CommentChanged) and change.approved else None


def announcement(
    change: Any,
    *,
    listening: list[Subscription],
    versions: Versions,
    comments: Comments,
    url_of: Callable[[Any], str],
    now: datetime,
) -> tuple[Event, dict[str, Any]] | None:
    """The event a stage change announces, and its data: an article's public summary (of the very
    version the event is about) and canonical URL, or an approved comment's public view; None when
    it announces nothing, or no subscription in ``listening`` listens to it (then nothing is read)."""
    from kabar.events import ArticleChanged, CommentChanged
    from kabar.webhooks import COMMENT_APPROVED

    kind = announced(change)
    if kind is None or not any(subscription.listens(kind) for subscription in listening):
        return None
    if isinstance(change, ArticleChanged):
        article = versions.version(change.slug, change.version)
        if article is None:
            return None
        summary = article.summary()
        data = {**summary.to_json(), "url": url_of(summary), "version": article.version}
        return Event(kind, change.slug, change.version, now), data
    if isinstance(change, CommentChanged) and change.approved:  # (announced: always, then)
        comment = comments.get(change.approved)
        if comment is None or not comment.approved:
            return None
        return Event(COMMENT_APPROVED, comment.id, 0, now), {"article": comment.slug, **comment.public_view()}
    return None


def repost(slug: str, article: Any, *, store: Store, url_of: Callable[[Any], str],
           send: Callable[[list[str]], None], now: datetime) -> dict[str, Any]:  # fmt: skip
    """Post a published article to every social target again, as it is now (an editor's
    ``POST /social/{slug}/repost``): each target's delivery of it from its first attempt."""
    from kabar.errors import Conflict
    from kabar.webhooks import ARTICLE_PUBLISHED

    if article is None:
        raise NotFound(f"no article {slug!r}")
    if article.status != "published":
        raise Conflict(f"article {slug!r} is {article.status}: only a published article is posted")
    targets = [found for found in store.all() if found.kind != "webhook"]
    if not targets:
        raise Conflict("no social target is configured (the template's FacebookPageId, TelegramChatId)")
    summary = article.summary()
    data = {**summary.to_json(), "url": url_of(summary), "version": article.version}
    payload = body(Event(ARTICLE_PUBLISHED, slug, article.version, now), data).decode()
    queued, answer = [], []
    for target in targets:
        made = Delivery(subscription=target.id, id=delivery_id(slug), type=ARTICLE_PUBLISHED, body=payload,
                        created_at=now)  # fmt: skip
        if not store.add_delivery(made):
            store.revive(target.id, made.id, payload)
        if target.status == "active":
            queued.append(delivery_message(target.id, made.id, 1))
        answer.append({"id": target.id, "kind": target.kind, "status": target.status,
                       "queued": target.status == "active"})  # fmt: skip
    if queued:
        send(queued)
    logger.info("social repost", extra={"slug": slug, "targets": [t["id"] for t in answer]})
    return {"slug": slug, "targets": answer}
