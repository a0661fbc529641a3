"""Webhooks: the subscriptions admins make, the announce stage's fan-out of each event to them,
and each delivery's attempts: retried with backoff and jitter by the policy's schedule, then
dead (the subscription's dead letters, for a replay), and a subscription whose deliveries die
``disable_after`` times in a row turned off with the reason.

Deliveries are at least once: a delivery is created once per event and subscription (its id is
the event's), each attempt is claimed by one worker, and a receiver sees the same ``webhook-id``
on every retry and replay, so it can drop a repeat.
"""

from __future__ import annotations

import json
import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from kabar.errors import InvalidRequest, NotFound
from kabar.observability import logger, metric
from kabar.outbound import Answer, Refused, resolve
from kabar.social import delivery_id
from kabar.text.plain import plain_text
from kabar.webhooks import EVENTS, Attempt, Delivery, Event, Subscription, body, headers, subscription_secret

FORMAT = 1
MAX_DELAY = 900  # SQS's longest delay: a later retry waits in hops


class Store(Protocol):
    def create(self, subscription: Subscription) -> None: ...
    def get(self, subscription_id: str) -> Subscription | None: ...
    def all(self) -> list[Subscription]: ...
    def delete(self, subscription_id: str) -> bool: ...
    def set_status(
        self, subscription_id: str, status: str, reason: str | None = None, failures: int | None = None
    ) -> Subscription | None: ...
    def count_failure(self, subscription_id: str) -> int: ...
    def add_delivery(self, delivery: Delivery) -> bool: ...
    def delivery(self, subscription_id: str, message_id: str) -> Delivery | None: ...
    def claim(self, delivery: Delivery, number: int) -> bool: ...
    def finish(
        self, delivery: Delivery, state: str, at: datetime, status: int | None, error: str | None
    ) -> None: ...
    def revive(self, subscription_id: str, message_id: str, body: str | None = None) -> Delivery | None: ...
    def dead(self, subscription_id: str, limit: int = 100) -> list[str]: ...
    def log(self, attempt: Attempt) -> None: ...
    def attempts(self, subscription_id: str, limit: int = 50) -> list[Attempt]: ...


@dataclass(frozen=True)
class Policy:
    """How deliveries are tried: the seconds before each retry, a try's timeout, the dead
    deliveries in a row that turn a subscription off, and whether local http targets are allowed."""

    retry_seconds: tuple[int, ...] = (5, 300, 1800, 7200, 18000, 36000)
    timeout: float = 5.0
    disable_after: int = 5
    allow_local: bool = False


def retry_schedule(text: str) -> tuple[int, ...]:
    """``"5,300,1800"`` as seconds (ValueError naming the rule otherwise)."""
    try:
        found = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise ValueError("must be comma-separated whole seconds, e.g. 5,300,1800") from None
    if not 0 < len(found) <= 20 or not all(0 <= seconds <= 86_400 for seconds in found):
        raise ValueError("must be one to twenty retries of 0 to 86,400 seconds each")
    return found


# ---------------------------------------------------------------------------------- subscriptions


def read_subscription(given: Any, *, allow_local: bool) -> tuple[str, list[str], str]:
    """A ``POST /webhooks`` body as (url, events, description); InvalidRequest naming every problem."""
    if not isinstance(given, dict):
        raise InvalidRequest(
            "the request is not valid", [{"field": "body", "message": "must be a JSON object"}]
        )
    problems = [
        {"field": name, "message": "is not a known field"}
        for name in given
        if name not in ("url", "events", "description")
    ]
    url, events, description = given.get("url"), given.get("events"), given.get("description", "")
    if not isinstance(url, str):
        problems.append({"field": "url", "message": "is required: the https:// URL to send events to"})
    else:
        try:
            resolve(url, allow_local=allow_local)  # its name resolved now, and again at every delivery
        except Refused as exc:
            problems.append({"field": "url", "message": str(exc)})
    if not isinstance(events, list) or not events or not all(isinstance(e, str) for e in events):
        problems.append(
            {"field": "events", "message": f"must be a list of one or more of {', '.join(EVENTS)}"}
        )
    else:
        problems += [
            {"field": f"events.{i}", "message": f"must be one of {', '.join(EVENTS)}"}
            for i, event in enumerate(events)
            if event not in EVENTS
        ]
    if not isinstance(description, str) or len(description) > 200:
        problems.append({"field": "description", "message": "must be text of at most 200 characters"})
    else:
        try:
            description = plain_text(description)
        except ValueError as exc:
            problems.append({"field": "description", "message": str(exc)})
    if problems:
        raise InvalidRequest("the request is not valid", problems)
    return str(url), list(dict.fromkeys(events or [])), str(description or "")


def create(
    given: Any, *, store: Store, master: str, policy: Policy, by: str, now: datetime
) -> dict[str, Any]:
    """A new subscription; its secret is in this answer and never again."""
    url, events, description = read_subscription(given, allow_local=policy.allow_local)
    subscription = Subscription(
        id="wh_" + secrets.token_hex(8),
        url=url,
        events=events,
        description=description,
        created_at=now,
        created_by=by,
    )
    store.create(subscription)
    logger.info(
        "webhook subscription made", extra={"subscription": subscription.id, "events": events, "by": by}
    )
    return {**subscription.public_view(), "secret": subscription_secret(master, subscription.id)}


def subscription_of(store: Store, subscription_id: str) -> Subscription:
    found = store.get(subscription_id)
    if found is None:
        raise NotFound(f"no webhook subscription {subscription_id!r}")
    return found


# ---------------------------------------------------------------------------------- the announce stage


def delivery_message(subscription: str, message_id: str, attempt: int, not_before: float = 0.0) -> str:
    """What WebhookQueue carries: which delivery, which attempt, and not before when (epoch seconds)."""
    due = {
        "subscription": subscription,
        "id": message_id,
        "attempt": attempt,
        "not_before": round(not_before, 3),
    }
    return json.dumps({"format": FORMAT, "delivery": due}, sort_keys=True)


@dataclass(frozen=True)
class Due:
    subscription: str
    id: str
    attempt: int
    not_before: float


def parse_delivery(text: str) -> Due | None:
    """The delivery a WebhookQueue message names; None for any other message (a stage change)."""
    try:
        message = json.loads(text)
    except ValueError:
        return None
    due = message.get("delivery") if isinstance(message, dict) else None
    if not isinstance(due, dict):
        return None
    return Due(str(due["subscription"]), str(due["id"]), int(due["attempt"]), float(due.get("not_before", 0)))


def announce(
    event: Event,
    data: dict[str, Any],
    *,
    subscriptions: list[Subscription],
    store: Store,
    send: Callable[[list[str]], None],
    now: datetime,
) -> int:
    """A delivery of the event to each subscription that wants it, each queued for its first
    attempt (a subscription that is off: kept among its dead letters); a delivery made before
    (the same stream record again) is not made again, and queued again only if it never got a
    first attempt. ``subscriptions``: every one (``store.all()``, read once by the caller). The
    deliveries queued."""
    payload = body(event, data).decode()
    queued = []
    for subscription in subscriptions:
        if not subscription.listens(event.type):
            continue
        # A social target's delivery is the article's alone: posted once, on its first publish.
        made_id = event.message_id if subscription.kind == "webhook" else delivery_id(event.subject)
        made = Delivery(
            subscription=subscription.id, id=made_id, type=event.type, body=payload, created_at=now
        )
        if not store.add_delivery(made):
            existing = store.delivery(subscription.id, made.id)
            if existing is None or existing.state != "pending" or existing.attempts:
                continue
        if subscription.status != "active":  # kept among its dead letters, for a replay once it is on
            store.finish(made, "dead", now, None, f"the subscription is off: {subscription.disabled_reason}")
            continue
        queued.append(delivery_message(subscription.id, made.id, 1))
    if queued:
        send(queued)
    logger.info(
        "event announced",
        extra={
            "type": event.type,
            "subject": event.subject,
            "id": event.message_id,
            "deliveries": len(queued),
        },
    )
    return len(queued)


# ---------------------------------------------------------------------------------- deliveries

Post = Callable[[str, bytes, dict[str, str]], Answer]
Later = Callable[[str, int], None]
# A social target's post (kabar.social.publish, bound to its token and template): what came back,
# and why the target must be turned off, when its token was refused.
SocialPost = Callable[[Subscription, dict[str, Any]], tuple[Answer, str | None]]


def _no_social(subscription: Subscription, data: dict[str, Any]) -> tuple[Answer, str | None]:
    return Answer(None, 0, error="no social target is configured"), None


def deliver(
    due: Due,
    *,
    store: Store,
    secret_of: Callable[[str], str],
    post: Post,
    later: Later,
    policy: Policy,
    now: float,
    jitter: Callable[[], float],
    social: SocialPost = _no_social,
) -> str:
    """One attempt of a delivery (or its wait, when it came before its time): ``delivered``,
    ``retrying`` (queued again after the schedule's next wait), ``dead``, ``waiting``, or
    ``skipped`` (done already, taken by another worker, or its subscription gone)."""
    if now < due.not_before:
        later(
            delivery_message(due.subscription, due.id, due.attempt, due.not_before),
            min(MAX_DELAY, math.ceil(due.not_before - now)),
        )
        return "waiting"
    delivery, subscription = store.delivery(due.subscription, due.id), store.get(due.subscription)
    at = datetime.fromtimestamp(now, UTC)
    if delivery is None or delivery.state != "pending" or subscription is None:
        return "skipped"
    if subscription.status != "active":  # kept among its dead letters, for a replay once it is on again
        store.finish(delivery, "dead", at, None, f"the subscription is off: {subscription.disabled_reason}")
        return "dead"
    if not store.claim(delivery, due.attempt):
        return "skipped"
    answer, refused = _attempt(subscription, delivery, post=post, secret_of=secret_of, social=social, now=now)
    store.log(Attempt(subscription=subscription.id, delivery=delivery.id, type=delivery.type,
                      number=due.attempt, at=at, status=answer.status, latency_ms=answer.latency_ms,
                      error=answer.error, response=answer.body[:500]))  # fmt: skip
    if refused:  # a social target's token was refused: off at once, this post kept for a replay
        store.finish(delivery, "dead", at, answer.status, refused)
        store.set_status(subscription.id, "disabled", refused)
        logger.warning("social target turned off", extra={"subscription": subscription.id, "reason": refused})
        return "dead"
    outcome = _outcome(
        due, delivery, subscription, answer, store=store, later=later, policy=policy, now=now, jitter=jitter
    )
    metric("WebhookAttempts", Outcome=outcome)
    about = {"subscription": subscription.id, "id": delivery.id, "attempt": due.attempt}
    logger.info("webhook attempt", extra={**about, "status": answer.status, "error": answer.error,
                                          "outcome": outcome})  # fmt: skip
    return outcome


def _attempt(subscription: Subscription, delivery: Delivery, *, post: Post, secret_of: Callable[[str], str],
             social: SocialPost, now: float) -> tuple[Answer, str | None]:  # fmt: skip
    """A webhook's signed POST, or a social target's post of the article (the delivery's data)."""
    payload = delivery.body.encode()
    if subscription.kind != "webhook":
        return social(subscription, json.loads(payload)["data"])
    return post(
        subscription.url, payload, headers(secret_of(subscription.id), delivery.id, int(now), payload)
    ), None


def _outcome(
    due: Due,
    delivery: Delivery,
    subscription: Subscription,
    answer: Answer,
    *,
    store: Store,
    later: Later,
    policy: Policy,
    now: float,
    jitter: Callable[[], float],
) -> str:
    at = datetime.fromtimestamp(now, UTC)
    if answer.ok:
        store.finish(delivery, "delivered", at, answer.status, None)
        if subscription.failures:
            store.set_status(subscription.id, "active", None, failures=0)
        return "delivered"
    if due.attempt <= len(policy.retry_seconds):
        wait = policy.retry_seconds[due.attempt - 1] * jitter()
        store.finish(delivery, "pending", at, answer.status, answer.error)
        later(
            delivery_message(subscription.id, delivery.id, due.attempt + 1, now + wait),
            min(MAX_DELAY, math.ceil(wait)),
        )
        return "retrying"
    store.finish(delivery, "dead", at, answer.status, answer.error)
    failures = store.count_failure(subscription.id)
    if failures >= policy.disable_after:
        reason = (
            f"{failures} deliveries in a row failed every retry (the last: {answer.error}); "
            "fix the receiver, then replay its dead letters"
        )
        store.set_status(subscription.id, "disabled", reason)
        logger.warning(
            "webhook subscription turned off", extra={"subscription": subscription.id, "reason": reason}
        )
    return "dead"


def replay(
    subscription_id: str, message_id: str | None, *, store: Store, send: Callable[[list[str]], None]
) -> dict[str, Any]:
    """Send a delivery (or every dead one of the subscription) again from its first attempt, with
    the same webhook-id; a subscription that was off is turned on again."""
    subscription = subscription_of(store, subscription_id)
    wanted = [message_id] if message_id else store.dead(subscription_id)
    revived = [found for wanted_id in wanted if (found := store.revive(subscription_id, wanted_id))]
    if message_id and not revived:
        raise NotFound(f"no delivery {message_id!r} of {subscription_id}")
    if subscription.status != "active":
        subscription = store.set_status(subscription_id, "active", None, failures=0) or subscription
    if revived:
        send([delivery_message(subscription_id, found.id, 1) for found in revived])
    return {"subscription": subscription.public_view(), "replayed": [found.id for found in revived]}


def attempt_view(attempt: Attempt) -> dict[str, Any]:
    return {
        "delivery": attempt.delivery,
        "type": attempt.type,
        "attempt": attempt.number,
        "at": attempt.at.isoformat(),
        "status": attempt.status,
        "latency_ms": attempt.latency_ms,
        "error": attempt.error or None,
    }
