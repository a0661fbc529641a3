"""Failures made for real on moto: a publish dead-lettered, rendering that fails every retry, a
stage's queue gone (so the stream's dispatch fails), CloudFront (a distribution on moto) refusing
invalidations."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from kabar.table import keys
from kabar.table.codec import to_item
from tests.support.app import App, article_file


def distribution(session: Any) -> str:
    """A CloudFront distribution on moto (the local stack has none): its id."""
    origin = {
        "Id": "site",
        "DomainName": "site.s3.amazonaws.com",
        "S3OriginConfig": {"OriginAccessIdentity": ""},
    }
    config = {
        "CallerReference": "kabar-test", "Comment": "", "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [origin]},
        "DefaultCacheBehavior": {"TargetOriginId": "site", "ViewerProtocolPolicy": "redirect-to-https"},
    }  # fmt: skip
    return str(
        session.client("cloudfront").create_distribution(DistributionConfig=config)["Distribution"]["Id"]
    )


def invalidated(session: Any, distribution_id: str) -> list[list[str]]:
    cloudfront = session.client("cloudfront")
    listed = cloudfront.list_invalidations(DistributionId=distribution_id)["InvalidationList"].get(
        "Items", []
    )
    found = [cloudfront.get_invalidation(DistributionId=distribution_id, Id=item["Id"])["Invalidation"]
             for item in listed]  # fmt: skip
    return [sorted(i["InvalidationBatch"]["Paths"].get("Items", [])) for i in found]


def queue_size(app: App, logical_id: str) -> int:
    attributes = app.session.client("sqs").get_queue_attributes(
        QueueUrl=app.stack.ref(logical_id), AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"])


def failed_publish(app: App) -> str:
    """An upload whose item is unreadable while PublishFunction tries it five times (retried at
    once: the queue's visibility timeout set to 0), so its notification is dead-lettered; then
    the item is put right. The upload id."""
    sqs = app.session.client("sqs")
    sqs.set_queue_attributes(QueueUrl=app.stack.ref("PublishQueue"), Attributes={"VisibilityTimeout": "0"})
    _, ticket = app.api("POST", "/uploads", {"filename": "a.md"})
    upload_id, table = ticket["upload_id"], app.stack.ref("ContentTable")
    item = app.dynamodb.get_item(TableName=table, Key=to_item(keys.upload(upload_id)))["Item"]
    app.dynamodb.put_item(TableName=table, Item={**item, "state": {"S": "lost"}})
    app.s3.put_object(Bucket=app.incoming_bucket, Key=ticket["upload"]["fields"]["key"],
                      Body=article_file(title="Terbit Setelah Diulang"))  # fmt: skip
    app.router.drain()
    assert queue_size(app, "PublishDeadLetterQueue") == 1
    app.dynamodb.put_item(TableName=table, Item=item)
    return str(upload_id)


def retry_at_once(app: App, logical_id: str) -> None:
    """A queue's failed messages come back at once (visibility timeout 0), not minutes later."""
    app.session.client("sqs").set_queue_attributes(QueueUrl=app.stack.ref(logical_id),
                                                   Attributes={"VisibilityTimeout": "0"})  # fmt: skip


def break_stage_queue(app: App, logical_id: str = "RenderQueue") -> Callable[[], None]:
    """A stage's queue disappears, so DispatchFunction cannot hand it changes and fails the stream
    records every retry; the function that puts it back (the same name, so the same URL)."""
    sqs, url = app.session.client("sqs"), app.stack.ref(logical_id)
    kept = ("VisibilityTimeout", "RedrivePolicy", "MessageRetentionPeriod")
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=list(kept))["Attributes"]
    sqs.delete_queue(QueueUrl=url)

    def restore() -> None:
        sqs.create_queue(QueueName=url.rsplit("/", 1)[-1], Attributes=attributes)

    return restore


def break_rendering(app: App) -> dict[str, Any]:
    """The site bucket disappears, so every render fails every retry; its configuration to restore."""
    for obj in app.s3.list_object_versions(Bucket=app.site_bucket).get("Versions", []):
        app.s3.delete_object(Bucket=app.site_bucket, Key=obj["Key"], VersionId=obj["VersionId"])
    app.s3.delete_bucket(Bucket=app.site_bucket)
    return {"Bucket": app.site_bucket}


@contextmanager
def captured_logs() -> Iterator[io.StringIO]:
    """The functions' log lines, formatted as Lambda writes them (one logger in this process)."""
    from kabar.observability import logger

    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logger.registered_formatter)
    logger.addHandler(handler)
    try:
        yield out
    finally:
        logger.removeHandler(handler)
