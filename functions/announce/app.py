"""AnnounceFunction: what the table's changes announce (AnnounceQueue, from DispatchFunction), as a
delivery to each webhook subscription that wants it; and each delivery's attempts (WebhookQueue),
retried by the settings' schedule, then set aside among the subscription's dead letters."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime
from functools import partial
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar import aws
from kabar.batch import Record, process_batch, sqs_message_id
from kabar.deps import social_post, social_subscriptions, stores, webhook_policy, webhook_secret
from kabar.dispatch import decode
from kabar.observability import correlate, flush_metrics, handling, logger
from kabar.outbound import post
from kabar.settings import get_settings
from kabar.workflows import announcements, webhooks


def later(body: str, seconds: int) -> None:  # an attempt's retry, or a wait past SQS's longest delay
    aws.sqs().send_message(QueueUrl=get_settings().webhook_queue_url, MessageBody=body, DelaySeconds=seconds)


def record_handler(record: Record) -> None:
    policy, message_id = webhook_policy(), record["messageId"]
    due = webhooks.parse_delivery(record["body"])
    if due is not None:
        with handling("delivering a webhook", None, message_id=message_id, delivery=due.id):
            send = partial(post, timeout=policy.timeout, allow_local=policy.allow_local)
            webhooks.deliver(due, store=stores().webhooks, secret_of=webhook_secret, post=send, later=later,
                             policy=policy, now=time.time(), jitter=lambda: random.uniform(0.8, 1.2),  # noqa: S311
                             social=social_post)  # fmt: skip
        return
    with handling("reading a change", None, message_id=message_id):
        change, correlation_id, about = decode(record["body"])
    correlate(correlation_id)
    with handling("announcing a change", correlation_id, message_id=message_id, **about):
        listening = (
            stores().webhooks.all() if social_subscriptions() and announcements.announced(change) else []
        )
        found = announcements.announcement(change, listening=listening, versions=stores().articles,
                                           comments=stores().comments, url_of=get_settings().urls.of,
                                           now=datetime.now(UTC))  # fmt: skip
        if found is not None:
            webhooks.announce(*found, subscriptions=listening, store=stores().webhooks, now=datetime.now(UTC),
                              send=partial(aws.send_messages, get_settings().webhook_queue_url))  # fmt: skip


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        return process_batch(event, record_handler, sqs_message_id)
    finally:
        flush_metrics()
