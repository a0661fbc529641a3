"""ImagesFunction: S3 ObjectCreated (SQS) under images/ -> a library image and its variants, or a refusal."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar import aws
from kabar.batch import Record, process_batch, sqs_message_id
from kabar.deps import stores
from kabar.documents import CACHE_IMAGE
from kabar.events import S3ObjectCreated, resumed_publish, s3_objects
from kabar.observability import flush_metrics, handling, logger
from kabar.settings import get_settings
from kabar.workflows.images import NotAnImageFile, process_image


def write_variant(path: str, data: bytes, content_type: str) -> None:
    aws.s3().put_object(Bucket=get_settings().site_bucket, Key=path, Body=data, ContentType=content_type,
                        CacheControl=CACHE_IMAGE)  # fmt: skip


def resume(key: str, size: int, version_id: str | None) -> None:  # a waiting article's publish, handed back
    body = resumed_publish(get_settings().incoming_bucket, key, size, version_id)
    aws.sqs().send_message(QueueUrl=get_settings().publish_queue_url, MessageBody=json.dumps(body))


def store(created: S3ObjectCreated) -> None:
    settings = get_settings()
    if created.bucket != settings.incoming_bucket:
        logger.warning("object from another bucket ignored", extra={"bucket": created.bucket})
        return
    incoming, version, to = settings.incoming_bucket, created.version_id, stores()
    try:
        process_image(created.key, created.size, version_id=version, uploads=to.uploads, images=to.images,
                      read_object=lambda key: aws.object_bytes(incoming, key, version),
                      write_file=write_variant, resume=resume, max_bytes=settings.image_max_bytes,
                      widths=settings.widths)  # fmt: skip
    except NotAnImageFile:
        logger.warning("object outside images/<id>/ ignored", extra={"key": created.key})


def record_handler(record: Record) -> None:
    message_id = record["messageId"]
    with handling("reading an S3 notification", None, message_id=message_id):
        created_objects = s3_objects(record["body"])
    for created in created_objects:  # images/<upload id>/<file>: logs carry the upload id
        upload_id = [*created.key.split("/"), ""][1] or None
        with handling("storing an image", upload_id, message_id=message_id, key=created.key):
            store(created)


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        return process_batch(event, record_handler, sqs_message_id)
    finally:
        flush_metrics()
