"""WebhooksFunction's routes (admins only): webhook subscriptions (``POST``, ``GET``, ``DELETE
/webhooks``), a subscription's delivery log and dead letters, and replaying them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any

from kabar.api import ADMINS, FORBIDDEN, INVALID, JSON_ONLY, Resolver, answers, json_response
from kabar.errors import InvalidRequest, NotFound
from kabar.rest import Answer
from kabar.routing import Body, Path, Query, Route, page_size

ID = {"webhook_id": Path("^wh_[0-9a-f]{16}$", "The subscription's id (wh_...)")}


def as_given(body: Any) -> Any:
    """The body as sent: the workflow checks it and names every problem."""
    return body


CREATE = Route(
    "POST",
    "/webhooks",
    "Subscribe a URL to events; the answer holds its signing secret, once (admins)",
    security=ADMINS,
    body=("request", Body(as_given, "kabar.workflows.webhook_forms:WebhookRequest")),
    responses=answers(
        201,
        "WebhookCreated",
        "Subscribed; keep the secret: it is not shown again",
        INVALID | FORBIDDEN | JSON_ONLY,
    ),
)
LIST = Route(
    "GET",
    "/webhooks",
    "Every webhook subscription (admins)",
    security=ADMINS,
    responses=answers(200, "WebhookList", "The subscriptions, without their secrets", FORBIDDEN),
)
REMOVE = Route(
    "DELETE",
    "/webhooks/{webhook_id}",
    "Remove a subscription (admins)",
    security=ADMINS,
    path_params=ID,
    responses=answers(
        200,
        "WebhookRemoved",
        "Removed: nothing more is sent to it",
        FORBIDDEN | {404: "No such subscription"},
    ),
)
LOG = Route(
    "GET",
    "/webhooks/{webhook_id}/log",
    "A subscription's latest attempts and its dead letters (admins)",
    security=ADMINS,
    path_params=ID,
    query={"limit": Query("integer", 50, minimum=1, maximum=100, read=page_size)},
    responses=answers(
        200, "WebhookLog", "Newest attempt first", INVALID | FORBIDDEN | {404: "No such subscription"}
    ),
)
REPLAY = Route(
    "POST",
    "/webhooks/{webhook_id}/replay",
    "Send a delivery again, or every dead one (no `delivery`), with the same webhook-id (admins)",
    security=ADMINS,
    path_params=ID,
    body=("request", Body(as_given, "kabar.workflows.webhook_forms:ReplayRequest")),
    responses=answers(
        200,
        "WebhookReplayed",
        "Queued again; a subscription that was off is on again",
        INVALID | FORBIDDEN | JSON_ONLY | {404: "No such subscription or delivery"},
    ),
)


def bind_webhooks(app: Resolver, admin: Callable[[], str]) -> None:
    """The webhook handlers (``admin()``: the calling admin, or Forbidden)."""
    from kabar import aws
    from kabar.deps import stores, webhook_policy
    from kabar.observability import logger
    from kabar.settings import get_settings
    from kabar.workflows import webhooks

    @app.bind(CREATE)
    def create(request: Any) -> Answer:
        master = aws.secret(get_settings().webhook_secret_arn)[1]
        made = webhooks.create(request, store=stores().webhooks, master=master, policy=webhook_policy(),
                               by=admin(), now=datetime.now(UTC))  # fmt: skip
        return json_response(201, made)

    @app.bind(LIST)
    def listing() -> Answer:
        admin()
        return json_response(200, {"webhooks": [s.public_view() for s in stores().webhooks.all()]})

    @app.bind(REMOVE)
    def remove(webhook_id: str) -> Answer:
        admin()
        if not stores().webhooks.delete(webhook_id):
            raise NotFound(f"no webhook subscription {webhook_id!r}")
        logger.info("webhook subscription removed", extra={"subscription": webhook_id, "by": admin()})
        return json_response(200, {"id": webhook_id, "removed": True})

    @app.bind(LOG)
    def log(webhook_id: str, limit: int) -> Answer:
        admin()
        subscription, store = webhooks.subscription_of(stores().webhooks, webhook_id), stores().webhooks
        attempts = [webhooks.attempt_view(attempt) for attempt in store.attempts(webhook_id, limit)]
        return json_response(200, {"webhook": subscription.public_view(), "attempts": attempts,
                                   "dead": store.dead(webhook_id)})  # fmt: skip

    @app.bind(REPLAY)
    def replay(webhook_id: str, request: Any) -> Answer:
        admin()
        delivery = request.get("delivery") if isinstance(request, dict) else None
        if (
            not isinstance(request, dict)
            or set(request) - {"delivery"}
            or not isinstance(delivery, str | None)
        ):
            raise InvalidRequest(
                "the request is not valid", [{"field": "delivery", "message": "must be a delivery id"}]
            )
        send = partial(aws.send_messages, get_settings().webhook_queue_url)
        return json_response(200, webhooks.replay(webhook_id, delivery, store=stores().webhooks, send=send))
