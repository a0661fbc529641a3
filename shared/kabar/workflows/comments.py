"""Comment intake: the public ``POST /articles/{slug}/comments``, its rules in order.

1. The article is published (404), comments are open on it (403: closed on the
   article, or ``COMMENTS_CLOSE_DAYS`` after publishing), the reply's parent is an
   approved comment of the article within ``COMMENT_MAX_DEPTH`` (400).
2. The same article, author and content again -> 409; the same email, or the
   same network (/24 for IPv4, /48 for IPv6), within ``COMMENT_FLOOD_SECONDS``
   -> 429 with Retry-After. One read answers both before anything is written;
   both are also conditions of the one write that stores the comment, so two
   racing requests cannot both pass.
3. The content rules (:func:`kabar.text.comment_rules.classify_content`): spam (accepted
   in the response, stored as spam) or pending.
4. History: a commenter with earlier approved comments is approved; a
   first-time commenter waits.

Email and IP are stored only as keyed hashes (HMAC-SHA256 with the secret the
template provisions): enough to recognise a returning commenter and a flood,
never published, and useless without the secret.

Moderation (:func:`moderate`, :func:`edit`, :func:`queue`) is for the
``moderators`` group: every change is conditional on the status and revision it
read, and asking for the state a comment is already in changes nothing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import ipaddress
import json
import math
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic_core import PydanticCustomError

from kabar.dal import CommentRefused, ContentTable, comments_partition
from kabar.errors import Conflict, Forbidden, InvalidRequest, NotFound, PayloadTooLarge, TooManyRequests
from kabar.observability import logger
from kabar.text.comment_rules import (
    DEFAULT_DISALLOWED,
    DEFAULT_MODERATION,
    MAX_CONTENT,
    CommentEdit,
    CommentSubmission,
    classify_content,
    to_html,
)

# Readers see these; the site's language is Indonesian.
PUBLISHED_MESSAGE = "Komentar Anda sudah terbit."
WAITING_MESSAGE = "Komentar Anda menunggu moderasi."
MAX_BODY = 16_384  # bytes
DUPLICATE_MESSAGE = "you already posted this comment on this article"


def _flood_message(rules: IntakeRules) -> str:
    return f"one comment every {rules.flood_seconds} seconds: please wait"


@dataclass(frozen=True)
class IntakeRules:
    flood_seconds: int = 15
    max_depth: int = 3
    close_days: int = 0  # 0: comments never close by age
    disallowed: tuple[str, ...] = DEFAULT_DISALLOWED
    moderation: tuple[str, ...] = DEFAULT_MODERATION

    @classmethod
    def from_lists(cls, *, disallowed: str, moderation: str, **numbers: int) -> IntakeRules:
        """Rules from settings: comma-separated word lists (empty: the defaults)."""

        def words(text: str, default: tuple[str, ...]) -> tuple[str, ...]:
            found = tuple(word.strip() for word in text.split(",") if word.strip())
            return found or default

        return cls(disallowed=words(disallowed, DEFAULT_DISALLOWED),
                   moderation=words(moderation, DEFAULT_MODERATION), **numbers)  # fmt: skip


def keyed_hash(secret: bytes, value: str) -> str:
    return hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()


def network_of(ip: str) -> str:
    """The network a flood is counted by: /24 for IPv4, /48 for IPv6."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def new_comment_id(now: datetime) -> str:
    """Sortable by time to the microsecond, unguessable after it: ``20261125T032700123456Z`` and
    8 random hex digits (the moderation queue is oldest first by it)."""
    return now.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ") + secrets.token_hex(4)


def _check_object(body: Any) -> None:
    """A comment body must be an object; an oversized content is 413 before any other check."""
    if not isinstance(body, dict):
        raise InvalidRequest(
            "the body must be a JSON object", [{"field": "body", "message": "not an object"}]
        )
    content = body.get("content")
    if isinstance(content, str) and len(content) > MAX_CONTENT:
        raise PayloadTooLarge("content", f"is longer than {MAX_CONTENT} characters")


def read_submission(body: Any, *, raw_size: int) -> CommentSubmission:
    """The intake's body, checked in order: 413 for a body over :data:`MAX_BODY` bytes, 400 if it is
    not an object, 413 for a content over :data:`MAX_CONTENT` characters, then the model (400 naming
    each field)."""
    if raw_size > MAX_BODY:
        raise PayloadTooLarge("body", f"is larger than {MAX_BODY} bytes")
    _check_object(body)
    return CommentSubmission.model_validate(body)


def submit(
    slug: str,
    submission: CommentSubmission,
    *,
    source_ip: str,
    table: ContentTable,
    secret: bytes,
    rules: IntakeRules,
    now: datetime,
) -> dict[str, Any]:
    """Take one valid comment (:func:`read_submission`); the response body (201) or a domain error."""
    facts = table.get_article_facts(slug)
    if facts is None or facts["status"] != "published":
        raise NotFound(f"no published article {slug!r}")
    published_at = datetime.fromisoformat(str(facts["published_at"]).replace("Z", "+00:00"))
    if facts.get("comments") == "closed" or (
        rules.close_days and now - published_at > timedelta(days=rules.close_days)
    ):
        raise Forbidden(f"comments on {slug!r} are closed")
    depth, parent_name = 0, None
    if submission.parent:
        parent = table.get_comment(submission.parent)
        if parent is None or parent["slug"] != slug or parent["status"] != "approved":
            message = f"no published comment {submission.parent!r} on this article"
            raise InvalidRequest("the request is not valid", [{"field": "parent", "message": message}])
        depth, parent_name = int(parent.get("depth", 0)) + 1, parent["name"]
        if depth > rules.max_depth:
            raise InvalidRequest("the request is not valid", [
                {"field": "parent", "message": f"replies nest at most {rules.max_depth} deep"}])  # fmt: skip

    email_hash = keyed_hash(secret, submission.email.lower())
    network_hash = keyed_hash(secret, network_of(source_ip))
    duplicate = keyed_hash(
        secret, "\n".join((slug, email_hash, " ".join(submission.content.split()).lower()))
    )
    # Duplicates and floods are refused before anything is written (the transaction that
    # stores the comment checks both again, for requests that race).
    history = table.comment_history(email_hash=email_hash, network_hash=network_hash, duplicate=duplicate)
    if history.duplicate:
        raise Conflict(DUPLICATE_MESSAGE)
    wait = 0 if history.last_at is None else history.last_at + rules.flood_seconds - now.timestamp()
    if wait > 0:
        raise TooManyRequests(_flood_message(rules), retry_after=math.ceil(wait))
    found = classify_content(
        name=submission.name, content=submission.content, website=submission.website,
        honeypot=submission.honeypot, disallowed=rules.disallowed, moderation=rules.moderation,
    )  # fmt: skip
    status, reasons = found.verdict, list(found.reasons)
    if status is None:
        known = history.approved > 0
        status = "approved" if known else "pending"
        reasons = ["earlier comments approved"] if known else ["first-time commenter"]
    comment_id = new_comment_id(now)
    seq = table.next_comment_seq(slug) if status == "approved" else None
    comment = {
        "id": comment_id, "slug": slug, "parent": submission.parent, "parent_name": parent_name,
        "depth": depth,
        "name": submission.name, "website": submission.website, "content": submission.content,
        "content_html": to_html(submission.content), "status": status, "reasons": reasons,
        "created_at": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "email_hash": email_hash, "network_hash": network_hash,
    }  # fmt: skip
    if seq is not None:
        comment["seq"] = seq
    try:
        table.add_comment(comment, duplicate=duplicate, network_hash=network_hash, now=now.timestamp(),
                          flood_seconds=rules.flood_seconds)  # fmt: skip
    except CommentRefused as refused:
        if refused.reason == "duplicate":
            raise Conflict(DUPLICATE_MESSAGE) from refused
        raise TooManyRequests(_flood_message(rules), retry_after=rules.flood_seconds) from refused
    logger.info(
        "comment taken", extra={"comment": comment_id, "slug": slug, "status": status, "reasons": reasons}
    )
    published = status == "approved"
    return {
        "id": comment_id,
        "status": "published" if published else "awaiting moderation",
        "message": PUBLISHED_MESSAGE if published else WAITING_MESSAGE,
    }


# moderation --------------------------------------------------------------------

ACTIONS = {"approve": "approved", "spam": "spam", "trash": "trash"}
QUEUES = ("pending", "spam", "trash")
QUEUED = "Approved comments are not queued; they are public in each article's comments.json"
MODERATOR_FIELDS = (
    "id", "slug", "status", "reasons", "name", "website", "content", "content_html", "created_at",
    "parent", "parent_name", "depth", "seq", "moderated_by", "moderated_at", "edited_by", "edited_at",
)  # fmt: skip


def moderator_view(comment: dict[str, Any]) -> dict[str, Any]:
    """What moderators see: the comment, the article, why it is where it is; never a hash."""
    return {key: comment.get(key) for key in MODERATOR_FIELDS}


def _stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _found(table: ContentTable, comment_id: str) -> dict[str, Any]:
    comment = table.get_comment(comment_id) if comment_id.isalnum() else None
    if comment is None:
        raise NotFound(f"no comment {comment_id!r}")
    return comment


def moderate(table: ContentTable, comment_id: str, action: str, *, by: str, now: datetime) -> dict[str, Any]:
    """Approve, mark as spam or trash a comment; ``changed`` is False when it already was."""
    target = ACTIONS[action]
    comment = _found(table, comment_id)
    if comment["status"] == target:
        return {"comment": moderator_view(comment), "changed": False}
    after = {**comment, "status": target, "moderated_by": by, "moderated_at": _stamp(now)}
    if target == "approved" and not comment.get("seq"):
        # Its place in the article's pages; kept if it leaves and comes back.
        after["seq"] = table.next_comment_seq(comment["slug"])
    try:
        table.change_comment(comment, after)
    except Conflict:
        again = _found(table, comment_id)
        if again["status"] != target:
            raise
        return {"comment": moderator_view(again), "changed": False}
    logger.info("comment moderated", extra={"comment": comment_id, "from": comment["status"], "to": target,
                                            "by": by})  # fmt: skip
    return {"comment": moderator_view(after), "changed": True}


def read_edit(body: Any) -> CommentEdit:
    """A moderator's ``PUT /comments/{id}`` body: 400 if not an object, 413 for a long content, the model."""
    _check_object(body)
    return CommentEdit.model_validate(body)


def edit(table: ContentTable, comment_id: str, fix: CommentEdit, *, by: str, now: datetime) -> dict[str, Any]:
    """A moderator's correction (:func:`read_edit`) of name, website or content; the same edit
    again changes nothing."""
    given = fix.model_dump(exclude_unset=True)
    changes = {key: value for key, value in given.items() if value is not None or key == "website"}
    if not changes:
        raise InvalidRequest(
            "nothing to change", [{"field": "body", "message": "give name, website or content"}]
        )
    comment = _found(table, comment_id)
    if "content" in changes:
        changes["content_html"] = to_html(changes["content"])
    if all(comment.get(key) == value for key, value in changes.items()):
        return {"comment": moderator_view(comment), "changed": False}
    after = {**comment, **changes, "edited_by": by, "edited_at": _stamp(now)}
    table.change_comment(comment, after)
    logger.info("comment edited", extra={"comment": comment_id, "fields": sorted(changes), "by": by})
    return {"comment": moderator_view(after), "changed": True}


LIMITS = "must be 1 to 100"


def page_size(limit: object) -> int:
    """A queue's ``limit`` as given: decimal digits (:func:`queue` checks the range, after the status)."""
    if isinstance(limit, str) and limit.isdecimal():
        return int(limit)
    raise PydanticCustomError("limit", LIMITS)


def queue(table: ContentTable, status: str, *, limit: int, cursor: str | None) -> dict[str, Any]:
    """One page of a moderation queue, oldest first, and the cursor of the next (None: no more)."""
    if status not in QUEUES:
        message = f"must be one of {', '.join(QUEUES)} (approved comments are in the article's comments.json)"
        raise InvalidRequest("the request is not valid", [{"field": "status", "message": message}])
    if not 1 <= limit <= 100:
        raise InvalidRequest("the request is not valid", [{"field": "limit", "message": LIMITS}])
    after = _decode_cursor(cursor, status) if cursor else None
    comments, last = table.comments_in(status, limit=limit, after=after)
    return {"status": status, "comments": [moderator_view(c) for c in comments], "next": _encode_cursor(last)}


def _encode_cursor(key: dict[str, Any] | None) -> str | None:
    if not key:
        return None
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, status: str) -> dict[str, Any]:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        key = None
    names = {"pk", "sk", "gsi1pk", "gsi1sk"}
    if not (isinstance(key, dict) and set(key) == names and all(isinstance(v, str) for v in key.values())
            and key["gsi1pk"] == comments_partition(status)):  # fmt: skip
        message = "is not a cursor this list gave (use the 'next' value of the previous page)"
        raise InvalidRequest("the request is not valid", [{"field": "cursor", "message": message}])
    return key
