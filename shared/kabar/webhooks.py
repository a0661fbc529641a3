"""Webhooks as the Standard Webhooks specification has them (standardwebhooks.com): what an event
is, its id, its body, and its signature.

Each delivery is a POST of ``{"type", "timestamp", "data"}`` with the headers ``webhook-id`` (the
same on every retry and replay, derived from the event itself, so that a stream record handled
twice is one message a receiver can drop), ``webhook-timestamp`` (seconds since 1970, of that
attempt) and ``webhook-signature`` (``v1,`` and the base64 HMAC-SHA256 of ``id.timestamp.body``
keyed with the subscription's secret, the bytes of its ``whsec_`` text). ``data`` is what readers
may see already: the article's public summary and URL, or the public view of a comment; never an
email, an address or a hash.

A subscription's secret is not stored: it is derived from the stack's webhook master secret
(Secrets Manager) and the subscription's id, shown once when the subscription is made.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kabar.record import Record

ARTICLE_PUBLISHED = "article.published"
ARTICLE_UPDATED = "article.updated"
ARTICLE_UNPUBLISHED = "article.unpublished"
COMMENT_APPROVED = "comment.approved"
EVENTS = (ARTICLE_PUBLISHED, ARTICLE_UPDATED, ARTICLE_UNPUBLISHED, COMMENT_APPROVED)
SECRET_PREFIX = "whsec_"  # noqa: S105 (the prefix the specification gives secrets, not a secret)


@dataclass(frozen=True)
class Event:
    """Something that happened once: its type, what it is about, and when."""

    type: str
    subject: str  # the article's slug (or the comment's id)
    version: int  # the article's version (a comment: 0)
    at: datetime

    @property
    def message_id(self) -> str:
        """The ``webhook-id``: the same for this event however often it is handled."""
        digest = hashlib.sha256(f"{self.type}\n{self.subject}\n{self.version}".encode()).digest()
        return "msg_" + base64.b32encode(digest).decode().rstrip("=").lower()[:26]


def article_event(old: dict[str, Any] | None, new: dict[str, Any] | None) -> str | None:
    """What an article's new current version announces, from the stream's two images: published
    (first, again, or a scheduled one going live), updated (a published one's new version), or
    unpublished; None for a draft or scheduled version that was not public before either."""
    was = bool(old and old.get("status") == "published")
    now = bool(new and new.get("status") == "published")
    if now and not was:
        return ARTICLE_PUBLISHED
    if now and was and old is not None and new is not None and old.get("version") != new.get("version"):
        return ARTICLE_UPDATED
    if was and not now:
        return ARTICLE_UNPUBLISHED
    return None


def body(event: Event, data: dict[str, Any]) -> bytes:
    """The delivery's body: compact JSON, the exact bytes that are signed."""
    timestamp = event.at.astimezone(UTC).isoformat().replace("+00:00", "Z")
    message = {"type": event.type, "timestamp": timestamp, "data": data}
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def subscription_secret(master: str, subscription_id: str) -> str:
    """A subscription's ``whsec_`` secret (24 bytes, base64), derived from the master secret."""
    key = hmac.new(master.encode(), f"kabar-webhook\n{subscription_id}".encode(), hashlib.sha256).digest()
    return SECRET_PREFIX + base64.b64encode(key[:24]).decode()


def signature(secret: str, message_id: str, timestamp: int, payload: bytes) -> str:
    """``v1,<base64 HMAC-SHA256 of id.timestamp.payload>`` with the ``whsec_`` secret's bytes."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + payload
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def headers(secret: str, message_id: str, timestamp: int, payload: bytes) -> dict[str, str]:
    """The three Standard Webhooks headers of one attempt."""
    return {"webhook-id": message_id, "webhook-timestamp": str(timestamp),
            "webhook-signature": signature(secret, message_id, timestamp, payload)}  # fmt: skip


# ---------------------------------------------------------------------------------- records
# (kabar.record: plain dataclasses, as the table stores them)


@dataclass(kw_only=True)
class Subscription(Record):
    """Where an admin asked events to be sent: the target, which events, and whether it is on."""

    id: str
    url: str
    events: list[str]
    kind: str = "webhook"  # or a social target's: "facebook", "telegram" (kabar.social)
    description: str = ""
    status: str = "active"  # or "disabled": by an admin, or after a run of dead deliveries
    disabled_reason: str | None = None
    failures: int = 0  # dead deliveries in a row
    created_at: datetime
    created_by: str

    def wants(self, event_type: str) -> bool:
        return self.status == "active" and event_type in self.events

    def listens(self, event_type: str) -> bool:
        """Whether it subscribed to the event, on or off (off: its deliveries wait among its dead letters)."""
        return event_type in self.events

    def public_view(self) -> dict[str, Any]:
        """What the API shows of it (never its secret, which is shown once, when it is made)."""
        return {"id": self.id, "kind": self.kind, "url": self.url, "events": list(self.events),
                "description": self.description,
                "status": self.status, "disabled_reason": self.disabled_reason, "failures": self.failures,
                "created_at": self.created_at.isoformat(), "created_by": self.created_by}  # fmt: skip


@dataclass(kw_only=True)
class Delivery(Record):
    """One event's delivery to one subscription, and how it went."""

    subscription: str
    id: str  # the webhook-id
    type: str
    body: str  # exactly the bytes sent (UTF-8), signed anew at each attempt's timestamp
    created_at: datetime
    state: str = "pending"  # delivered, or dead (every retry failed: the subscription's dead letters)
    attempts: int = 0
    last_status: int | None = None
    last_error: str | None = None
    finished_at: datetime | None = None


@dataclass(kw_only=True)
class Attempt(Record):
    """One try of a delivery, for the subscription's log."""

    subscription: str
    delivery: str
    type: str
    number: int
    at: datetime
    status: int | None = None
    latency_ms: int = 0
    error: str = ""
    response: str = ""  # the first bytes of the answer
