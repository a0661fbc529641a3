"""Comment intake: the public ``POST /articles/{slug}/comments``, its rules in order.

1. The article is published (404), comments are open on it (403: closed on the
   article, or ``COMMENTS_CLOSE_DAYS`` after publishing), the reply's parent is an
   approved comment of the article within ``COMMENT_MAX_DEPTH`` (400).
2. The same article, author and content again -> 409; the same email within
   ``COMMENT_FLOOD_SECONDS`` -> 429 with Retry-After; more than
   ``COMMENT_NETWORK_LIMIT`` comments in a minute from one network (/24 for IPv4, /48
   for IPv6) -> 429 with Retry-After. A network is a rate, not a lockout: mobile
   carriers put many readers behind one address, and two of them a few seconds
   apart are both taken. One read answers all three before anything is written;
   all three are also conditions of the one write that stores the comment, so
   racing requests cannot pass together (a comment whose network record changed
   since it was read is read again, at most :data:`NETWORK_ATTEMPTS` times).
3. The content rules (:func:`kabar.text.comment_rules.classify_content`, with the site's
   learned spam names): spam (accepted in the response, stored as spam, purged after
   ``COMMENT_PURGE_DAYS``) or pending.
4. History: a commenter with earlier approved comments is approved; a
   first-time commenter waits.

Email and IP are stored only as keyed hashes (HMAC-SHA256 with the secret the
template provisions): enough to recognise a returning commenter and a flood,
never published, and useless without the secret. Each hash carries its key's id
(:mod:`kabar.keyring`); during a rotation window the history rules look under
the current and the previous key, and a commenter known only under the previous
key takes their approved count along to the current one.

Moderation is in :mod:`kabar.workflows.moderation`.
"""

from __future__ import annotations

import ipaddress
import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple, Protocol

from kabar.errors import (
    CommentRefused,
    Conflict,
    Forbidden,
    InvalidRequest,
    NotFound,
    PayloadTooLarge,
    TooManyRequests,
)
from kabar.keyring import Keyring
from kabar.models import ArticleFacts, Comment, CommentHistory, CommentStatus
from kabar.observability import logger, metric
from kabar.routing import invalid
from kabar.text.comment_rules import (
    DEFAULT_DISALLOWED,
    DEFAULT_MODERATION,
    check_object,
    classify_content,
    stamp,
    to_html,
)
from kabar.text.comment_submission import CommentSubmission, check_comment

# Readers see these; the site's language is Indonesian.
PUBLISHED_MESSAGE = "Komentar Anda sudah terbit."
WAITING_MESSAGE = "Komentar Anda menunggu moderasi."
MAX_BODY = 16_384  # bytes
DUPLICATE_MESSAGE = "you already posted this comment on this article"


class Facts(Protocol):
    def facts(self, slug: str) -> ArticleFacts | None: ...


class Comments(Protocol):
    def get(self, comment_id: str) -> Comment | None: ...
    def history(
        self, *, email_hashes: Sequence[str], network_hashes: Sequence[str], duplicates: Sequence[str]
    ) -> CommentHistory: ...
    def next_seq(self, slug: str) -> int: ...
    def add(
        self,
        comment: Comment,
        *,
        duplicate: str,
        now: float,
        flood_seconds: int,
        carried: int = 0,
        network: tuple[float, ...] = (),
        network_version: int = 0,
        expires_at: int | None = None,
    ) -> None: ...


NETWORK_WINDOW = 60  # seconds: COMMENT_NETWORK_LIMIT is comments a minute
NETWORK_ATTEMPTS = 3


def _flood_message(rules: IntakeRules) -> str:
    return f"one comment every {rules.flood_seconds} seconds: please wait"


def _network_message(rules: IntakeRules) -> str:
    return f"more than {rules.network_limit} comments a minute from your network: please wait"


@dataclass(frozen=True)
class IntakeRules:
    flood_seconds: int = 15
    network_limit: int = 6  # comments a minute from one network
    purge_days: int = 30  # spam and trash are deleted this long after they get there
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


class KeyedHashes(NamedTuple):
    """A comment's keyed hashes under each key lookups try, the current key's first."""

    emails: tuple[str, ...]
    networks: tuple[str, ...]
    duplicates: tuple[str, ...]


def keyed_hashes(
    keys: Keyring, *, slug: str, email: str, source_ip: str, content: str, now: datetime
) -> KeyedHashes:
    """The hashes under every key lookups try now (outside a rotation window, the current key only)."""
    emails: list[str] = []
    networks: list[str] = []
    duplicates: list[str] = []
    for key in keys.active(now):
        email_hash = key.hash(email.lower())
        emails.append(email_hash)
        networks.append(key.hash(network_of(source_ip)))
        duplicates.append(key.hash("\n".join((slug, email_hash, " ".join(content.split()).lower()))))
    return KeyedHashes(tuple(emails), tuple(networks), tuple(duplicates))


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


def read_submission(body: Any, *, raw_size: int) -> CommentSubmission:
    """The intake's body, checked in order: 413 for a body over :data:`MAX_BODY` bytes, 400 if it is
    not an object, 413 for a content over :data:`MAX_CONTENT` characters, then the contract
    (:mod:`kabar.text.comment_submission`: 400 naming each field)."""
    if raw_size > MAX_BODY:
        raise PayloadTooLarge("body", f"is larger than {MAX_BODY} bytes")
    check_object(body)
    submission, problems = check_comment(body)
    if submission is None:
        raise invalid(problems)
    return submission


def submit(
    slug: str,
    submission: CommentSubmission,
    *,
    source_ip: str,
    articles: Facts,
    comments: Comments,
    keys: Keyring,
    rules: IntakeRules,
    now: datetime,
) -> dict[str, Any]:
    """Take one valid comment (:func:`read_submission`); the response body (201) or a domain error."""
    _check_open(articles.facts(slug), slug, rules, now)
    depth, parent_name = _reply_place(submission, slug, comments, rules)
    hashes = keyed_hashes(keys, slug=slug, email=submission.email, source_ip=source_ip,
                          content=submission.content, now=now)  # fmt: skip
    for attempt in range(1, NETWORK_ATTEMPTS + 1):
        # Duplicates, floods and busy networks are refused before anything is written (the
        # transaction that stores the comment checks them again, for requests that race).
        history = comments.history(
            email_hashes=hashes.emails, network_hashes=hashes.networks, duplicates=hashes.duplicates
        )
        recent = _check_history(history, rules, now)
        status, reasons = _verdict(submission, history, rules)
        comment = Comment(
            id=new_comment_id(now), slug=slug, parent=submission.parent, parent_name=parent_name, depth=depth,
            name=submission.name, website=submission.website, content=submission.content,
            content_html=to_html(submission.content), status=status, reasons=reasons, created_at=stamp(now),
            email_hash=hashes.emails[0], network_hash=hashes.networks[0],
            seq=comments.next_seq(slug) if status == "approved" else None,
        )  # fmt: skip
        try:
            comments.add(comment, duplicate=hashes.duplicates[0], now=now.timestamp(),
                         flood_seconds=rules.flood_seconds, carried=history.carried,
                         network=(*recent, now.timestamp())[-rules.network_limit :],
                         network_version=history.network_version,
                         expires_at=purge_at(rules, now) if status == "spam" else None)  # fmt: skip
            break
        except CommentRefused as refused:
            if refused.reason == "network" and attempt < NETWORK_ATTEMPTS:
                continue  # another comment from the network came first: count it and try again
            metric("CommentsRefused", Reason=refused.reason)
            if refused.reason == "duplicate":
                raise Conflict(DUPLICATE_MESSAGE) from refused
            if refused.reason == "network":
                raise TooManyRequests(_network_message(rules), retry_after=1) from refused
            raise TooManyRequests(_flood_message(rules), retry_after=rules.flood_seconds) from refused
    logger.info(
        "comment taken", extra={"comment": comment.id, "slug": slug, "status": status, "reasons": reasons}
    )
    metric("Comments", Verdict=status)
    return {
        "id": comment.id,
        "status": "published" if comment.approved else "awaiting moderation",
        "message": PUBLISHED_MESSAGE if comment.approved else WAITING_MESSAGE,
    }


def _check_open(facts: ArticleFacts | None, slug: str, rules: IntakeRules, now: datetime) -> None:
    if facts is None or not facts.published:
        raise NotFound(f"no published article {slug!r}")
    if facts.comments == "closed" or (
        rules.close_days and now - facts.published_at > timedelta(days=rules.close_days)
    ):
        raise Forbidden(f"comments on {slug!r} are closed")


def _reply_place(
    submission: CommentSubmission, slug: str, comments: Comments, rules: IntakeRules
) -> tuple[int, str | None]:
    """A reply's depth and its parent's name (0 and None for a comment on the article)."""
    if not submission.parent:
        return 0, None
    parent = comments.get(submission.parent)
    if parent is None or parent.slug != slug or not parent.approved:
        message = f"no published comment {submission.parent!r} on this article"
        raise InvalidRequest("the request is not valid", [{"field": "parent", "message": message}])
    if parent.depth + 1 > rules.max_depth:
        raise InvalidRequest("the request is not valid", [
            {"field": "parent", "message": f"replies nest at most {rules.max_depth} deep"}])  # fmt: skip
    return parent.depth + 1, parent.name


def _check_history(history: CommentHistory, rules: IntakeRules, now: datetime) -> tuple[float, ...]:
    """Refuse a duplicate, a flood from the email, a network over its rate; the network's comment
    times within the window."""
    if history.duplicate:
        metric("CommentsRefused", Reason="duplicate")
        raise Conflict(DUPLICATE_MESSAGE)
    wait = 0 if history.last_at is None else history.last_at + rules.flood_seconds - now.timestamp()
    if wait > 0:
        metric("CommentsRefused", Reason="flood")
        raise TooManyRequests(_flood_message(rules), retry_after=math.ceil(wait))
    recent = tuple(time for time in history.network if time > now.timestamp() - NETWORK_WINDOW)
    if len(recent) >= rules.network_limit:
        metric("CommentsRefused", Reason="network")
        wait = recent[-rules.network_limit] + NETWORK_WINDOW - now.timestamp()
        raise TooManyRequests(_network_message(rules), retry_after=max(1, math.ceil(wait)))
    return recent


def purge_at(rules: IntakeRules, now: datetime) -> int:
    """When a comment that goes to spam or the trash now is purged (the table's TTL, epoch seconds)."""
    return int(now.timestamp()) + rules.purge_days * 86400


def _verdict(
    submission: CommentSubmission, history: CommentHistory, rules: IntakeRules
) -> tuple[CommentStatus, list[str]]:
    """The content rules first; without a verdict there, the commenter's history decides."""
    found = classify_content(
        name=submission.name, content=submission.content, website=submission.website,
        honeypot=submission.honeypot, disallowed=rules.disallowed, moderation=rules.moderation,
        learned=history.spam_names,
    )  # fmt: skip
    if found.verdict is not None:
        return found.verdict, list(found.reasons)
    if history.approved + history.carried > 0:
        return "approved", ["earlier comments approved"]
    return "pending", ["first-time commenter"]
