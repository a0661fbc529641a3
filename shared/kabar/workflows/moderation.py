"""Moderation, for the ``moderators`` group: the queues, approve / spam / trash, edits, and the
site's learned spam names.

Every change is conditional on the status and revision it read, and asking for
the state a comment is already in changes nothing (``changed: false``). A comment in spam or
the trash is purged ``COMMENT_PURGE_DAYS`` after it got there (the table's TTL). Marking a
comment spam teaches the site the gambling site names in it
(:func:`kabar.text.promotion.names_in`): each holds every later comment that names it, until a
moderator removes it; a name is learned once, however many comments carry it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from kabar.errors import BadCursor, Conflict, InvalidRequest, NotFound
from kabar.models import Comment, CommentStatus
from kabar.observability import logger
from kabar.text.comment_rules import check_object, stamp, to_html

if TYPE_CHECKING:
    from kabar.text.comment_forms import CommentEdit

ACTIONS: dict[str, CommentStatus] = {"approve": "approved", "spam": "spam", "trash": "trash"}
QUEUES = ("pending", "spam", "trash")
QUEUED = "Approved comments are not queued; they are public in each article's comments.json"
LIMITS = "must be 1 to 100"


class Comments(Protocol):
    def get(self, comment_id: str) -> Comment | None: ...
    def next_seq(self, slug: str) -> int: ...
    def change(self, before: Comment, after: Comment, *, expires_at: int | None = None) -> None: ...
    def in_status(
        self, status: str, *, limit: int, cursor: str | None
    ) -> tuple[list[Comment], str | None]: ...


class SpamNames(Protocol):
    def learn(self, names: Iterable[str], *, comment_id: str, by: str, at: str) -> list[str]: ...
    def forget(self, name: str) -> bool: ...
    def page(self, *, limit: int, after: str | None) -> tuple[list[dict[str, Any]], str | None]: ...


def _found(comments: Comments, comment_id: str) -> Comment:
    comment = comments.get(comment_id) if comment_id.isalnum() else None
    if comment is None:
        raise NotFound(f"no comment {comment_id!r}")
    return comment


def moderate(comments: Comments, comment_id: str, action: str, *, by: str, now: datetime,
             names: SpamNames | None = None, purge_days: int = 30) -> dict[str, Any]:  # fmt: skip
    """Approve, mark as spam or trash a comment; ``changed`` is False when it already was. Spam
    teaches ``names`` the site names in it (``learned``: the ones that were new)."""
    target = ACTIONS[action]
    comment = _found(comments, comment_id)
    learned = {"learned": _learn(names, comment, by, now)} if target == "spam" and names is not None else {}
    if comment.status == target:
        return {"comment": comment.moderator_view(), "changed": False, **learned}
    update: dict[str, Any] = {"status": target, "moderated_by": by, "moderated_at": stamp(now)}
    if target == "approved" and not comment.seq:
        # Its place in the article's pages; kept if it leaves and comes back.
        update["seq"] = comments.next_seq(comment.slug)
    after = comment.replace(**update)
    purged = int(now.timestamp()) + purge_days * 86400 if target in ("spam", "trash") else None
    try:
        comments.change(comment, after, expires_at=purged)
    except Conflict:
        again = _found(comments, comment_id)
        if again.status != target:
            raise
        return {"comment": again.moderator_view(), "changed": False, **learned}
    logger.info("comment moderated", extra={"comment": comment_id, "from": comment.status, "to": target,
                                            "by": by})  # fmt: skip
    return {"comment": after.moderator_view(), "changed": True, **learned}


def _learn(names: SpamNames, comment: Comment, by: str, now: datetime) -> list[str]:
    from kabar.text.promotion import names_in  # the promotion rules: only when a comment is marked spam

    found = names_in(comment.content) + names_in(comment.name)
    learned = names.learn(found, comment_id=comment.id, by=by, at=stamp(now)) if found else []
    if learned:
        logger.info("spam names learned", extra={"comment": comment.id, "names": learned, "by": by})
    return learned


def spam_names(names: SpamNames, *, limit: int, cursor: str | None) -> dict[str, Any]:
    """One page of the learned spam names, in order, and the cursor of the next (None: no more)."""
    if not 1 <= limit <= 100:
        raise InvalidRequest("the request is not valid", [{"field": "limit", "message": LIMITS}])
    page, following = names.page(limit=limit, after=cursor)
    return {"names": page, "next": following}


def forget_spam_name(names: SpamNames, name: str, *, by: str) -> dict[str, Any]:
    """Stop holding comments for a learned name; ``removed`` is False when it was not learned."""
    removed = names.forget(name.lower())
    if removed:
        logger.info("spam name forgotten", extra={"spam_name": name.lower(), "by": by})
    return {"name": name.lower(), "removed": removed}


def read_edit(body: Any) -> CommentEdit:
    """A moderator's ``PUT /comments/{id}`` body: 400 if not an object, 413 for a long content, the model."""
    check_object(body)
    from kabar.text.comment_forms import CommentEdit  # pydantic: only when an edit is read

    return CommentEdit.model_validate(body)


def edit(comments: Comments, comment_id: str, fix: CommentEdit, *, by: str, now: datetime) -> dict[str, Any]:
    """A moderator's correction (:func:`read_edit`) of name, website or content; the same edit
    again changes nothing."""
    given = fix.model_dump(exclude_unset=True)
    changes = {key: value for key, value in given.items() if value is not None or key == "website"}
    if not changes:
        raise InvalidRequest(
            "nothing to change", [{"field": "body", "message": "give name, website or content"}]
        )
    comment = _found(comments, comment_id)
    if "content" in changes:
        changes["content_html"] = to_html(changes["content"])
    if all(getattr(comment, key) == value for key, value in changes.items()):
        return {"comment": comment.moderator_view(), "changed": False}
    after = comment.replace(**changes, edited_by=by, edited_at=stamp(now))
    comments.change(comment, after)
    logger.info("comment edited", extra={"comment": comment_id, "fields": sorted(changes), "by": by})
    return {"comment": after.moderator_view(), "changed": True}


def page_size(limit: str) -> int:
    """A queue's ``limit`` as given: decimal digits (:func:`queue` checks the range, after the status);
    ValueError otherwise."""
    if limit.isdecimal():
        return int(limit)
    raise ValueError(LIMITS)


def queue(comments: Comments, status: str, *, limit: int, cursor: str | None) -> dict[str, Any]:
    """One page of a moderation queue, oldest first, and the cursor of the next (None: no more)."""
    if status not in QUEUES:
        message = f"must be one of {', '.join(QUEUES)} (approved comments are in the article's comments.json)"
        raise InvalidRequest("the request is not valid", [{"field": "status", "message": message}])
    if not 1 <= limit <= 100:
        raise InvalidRequest("the request is not valid", [{"field": "limit", "message": LIMITS}])
    try:
        page, following = comments.in_status(status, limit=limit, cursor=cursor)
    except BadCursor:
        message = "is not a cursor this list gave (use the 'next' value of the previous page)"
        raise InvalidRequest("the request is not valid", [{"field": "cursor", "message": message}]) from None
    return {"status": status, "comments": [c.moderator_view() for c in page], "next": following}
