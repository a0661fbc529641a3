"""Webhook subscriptions, their deliveries (one per event and subscription: the id makes a second
one impossible) and the log of their attempts, in the subscription's partition. A delivery that
gave up is in the gsi1 list ``DEAD#<subscription>``: the subscription's dead-letter queue, kept
in the table so that an admin lists and replays it through the API, with no queue per subscriber.
Attempts expire from the log after ``LOG_DAYS`` (the table's TTL), deliveries after
``DELIVERY_DAYS``."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from kabar.table import keys
from kabar.table.base import ConditionFailed, Table
from kabar.table.codec import to_item, to_value
from kabar.webhooks import Attempt, Delivery, Subscription

TYPE_WEBHOOK, TYPE_DELIVERY, TYPE_ATTEMPT = "webhook", "webhook_delivery", "webhook_attempt"
LOG_DAYS, DELIVERY_DAYS = 14, 30


def _expires(at: datetime, days: int) -> int:
    return int((at + timedelta(days=days)).timestamp())


class WebhookStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    # subscriptions ------------------------------------------------------------------

    def create(self, subscription: Subscription) -> None:
        values = {
            **keys.webhook(subscription.id),
            "type": TYPE_WEBHOOK,
            **subscription.to_json(exclude_none=True),
            "summary": subscription.to_json(exclude_none=True),
            "gsi1pk": keys.WEBHOOKS,
            "gsi1sk": subscription.id,
        }
        self.table.put(values, ConditionExpression="attribute_not_exists(pk)")

    def get(self, subscription_id: str) -> Subscription | None:
        item = self.table.get(keys.webhook(subscription_id))
        return Subscription.from_json(item) if item else None

    def all(self) -> list[Subscription]:
        """Every subscription (one gsi1 query: their summaries are projected)."""
        items = self.table.in_list(keys.WEBHOOKS)
        return [Subscription.from_json(item["summary"]) for item in items if "summary" in item]

    def delete(self, subscription_id: str) -> bool:
        try:
            self.table.client.delete_item(
                TableName=self.table.name,
                Key=to_item(keys.webhook(subscription_id)),
                ConditionExpression="attribute_exists(pk)",
            )
        except self.table.client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def set_status(
        self, subscription_id: str, status: str, reason: str | None = None, failures: int | None = None
    ) -> Subscription | None:
        """Turn a subscription on or off (``reason``: why it is off); its failure count reset when given."""
        names = {"#status": "status", "#reason": "disabled_reason", "#summary": "summary"}
        sets = [
            "#status = :status",
            "#summary.#status = :status",
            "#reason = :reason",
            "#summary.#reason = :reason",
        ]
        values: dict[str, Any] = {":status": to_value(status), ":reason": to_value(reason)}
        if failures is not None:
            names["#failures"] = "failures"
            sets += ["#failures = :failures", "#summary.#failures = :failures"]
            values[":failures"] = to_value(failures)
        try:
            item = self.table.update(
                keys.webhook(subscription_id),
                UpdateExpression="SET " + ", ".join(sets),
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
            )
        except ConditionFailed:
            return None
        return Subscription.from_json(item)

    def count_failure(self, subscription_id: str) -> int:
        """One more dead delivery in a row; the count now (0: the subscription is gone)."""
        try:
            item = self.table.update(
                keys.webhook(subscription_id),
                UpdateExpression="ADD failures :one, #summary.failures :one",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeNames={"#summary": "summary"},
                ExpressionAttributeValues={":one": to_value(1)},
                ReturnValues="UPDATED_NEW",
            )
        except ConditionFailed:
            return 0
        return int(item["failures"])

    # deliveries ---------------------------------------------------------------------

    def add_delivery(self, delivery: Delivery) -> bool:
        """Store a new delivery; False when this event's delivery to the subscription exists."""
        values = {
            **keys.webhook_delivery(delivery.subscription, delivery.id),
            "type": TYPE_DELIVERY,
            **delivery.to_json(exclude_none=True),
            "expires_at": _expires(delivery.created_at, DELIVERY_DAYS),
        }
        try:
            self.table.put(values, ConditionExpression="attribute_not_exists(pk)")
        except ConditionFailed:
            return False
        return True

    def delivery(self, subscription_id: str, message_id: str) -> Delivery | None:
        item = self.table.get(keys.webhook_delivery(subscription_id, message_id))
        return Delivery.from_json(item) if item else None

    def claim(self, delivery: Delivery, number: int) -> bool:
        """Take attempt ``number`` of a pending delivery (one taker, however often it is asked)."""
        try:
            self.table.update(
                keys.webhook_delivery(delivery.subscription, delivery.id),
                UpdateExpression="SET attempts = :number",
                ConditionExpression="#state = :pending AND attempts = :before",
                ExpressionAttributeNames={"#state": "state"},
                ExpressionAttributeValues=to_item(
                    {":number": number, ":before": number - 1, ":pending": "pending"}
                ),
            )
        except ConditionFailed:
            return False
        return True

    def finish(
        self, delivery: Delivery, state: str, at: datetime, status: int | None, error: str | None
    ) -> None:
        """Record a delivery's end (``delivered``, or ``dead``: then in the dead-letter list) or an
        attempt's outcome (``pending``, to be tried again)."""
        sets = ["#state = :state", "last_status = :status", "last_error = :error"]
        values: dict[str, Any] = {":state": state, ":status": status, ":error": error}
        if state != "pending":
            sets.append("finished_at = :at")
            values[":at"] = at.isoformat()
        if state == "dead":
            sets += ["gsi1pk = :dead", "gsi1sk = :position"]
            values |= {
                ":dead": keys.dead_deliveries(delivery.subscription),
                ":position": f"{keys.utc_stamp(at)}#{delivery.id}",
            }
        self.table.update(
            keys.webhook_delivery(delivery.subscription, delivery.id),
            UpdateExpression="SET " + ", ".join(sets),
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues={name: to_value(value) for name, value in values.items()},
        )

    def revive(self, subscription_id: str, message_id: str, body: str | None = None) -> Delivery | None:
        """A finished delivery made pending again, its attempts from the start (a replay), with a
        new ``body`` when given (a repost of the article as it is now); None when there is none."""
        sets = "SET #state = :pending, attempts = :zero" + (", body = :body" if body is not None else "")
        values = {":pending": "pending", ":zero": 0} | ({":body": body} if body is not None else {})
        try:
            item = self.table.update(
                keys.webhook_delivery(subscription_id, message_id),
                UpdateExpression=f"{sets} REMOVE gsi1pk, gsi1sk, finished_at",
                ConditionExpression="attribute_exists(pk)", ExpressionAttributeNames={"#state": "state"},
                ExpressionAttributeValues=to_item(values), ReturnValues="ALL_NEW",
            )  # fmt: skip
        except ConditionFailed:
            return None
        return Delivery.from_json(item)

    def dead(self, subscription_id: str, limit: int = 100) -> list[str]:
        """The ids of the subscription's deliveries that gave up, oldest first (its dead letters)."""
        items, _ = self.table.query_page(
            IndexName=keys.GSI1,
            KeyConditionExpression="gsi1pk = :pk",
            Limit=limit,
            ProjectionExpression="sk",
            ExpressionAttributeValues=to_item({":pk": keys.dead_deliveries(subscription_id)}),
        )
        return [
            keys.parse(keys.webhook(subscription_id)["pk"], str(item["sk"])).other or "" for item in items
        ]

    # the log ------------------------------------------------------------------------

    def log(self, attempt: Attempt) -> None:
        key = keys.webhook_attempt(attempt.subscription, attempt.at, attempt.delivery, attempt.number)
        self.table.put(
            {
                **key,
                "type": TYPE_ATTEMPT,
                **attempt.to_json(exclude_none=True),
                "expires_at": _expires(attempt.at, LOG_DAYS),
            }
        )

    def attempts(self, subscription_id: str, limit: int = 50) -> list[Attempt]:
        """The subscription's latest attempts, newest first."""
        items, _ = self.table.query_page(
            KeyConditionExpression="pk = :pk AND begins_with(sk, :attempt)",
            ScanIndexForward=False,
            Limit=limit,
            ExpressionAttributeValues=to_item(
                {":pk": keys.webhook(subscription_id)["pk"], ":attempt": keys.ATTEMPT}
            ),
        )
        return [Attempt.from_json(item) for item in items]
