"""ImagesFunction: S3 ObjectCreated under images/ -> a library image and its variants, or a refusal;
and the steps of ``kabar images rebuild`` (kabar.workflows.image_rebuild). Both from ImagesQueue."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar import aws
from kabar.batch import Record, process_batch, sqs_message_id
from kabar.deps import site_bucket, stores
from kabar.events import resumed_publish, s3_objects
from kabar.observability import flush_metrics, handling, logger
from kabar.settings import get_settings
from kabar.workflows import image_rebuild as rebuilding
from kabar.workflows.images import NotAnImageFile, process_image


def resume(key: str, size: int, version_id: str | None) -> None:  # a waiting article's publish, handed back
    body = resumed_publish(get_settings().incoming_bucket, key, size, version_id)
    aws.sqs().send_message(QueueUrl=get_settings().publish_queue_url, MessageBody=json.dumps(body))


def store(key: str, size: int, version: str | None) -> None:
    settings, to, read = get_settings(), stores(), partial(aws.object_bytes, get_settings().incoming_bucket)
    try:
        process_image(key, size, version_id=version, uploads=to.uploads, images=to.images, resume=resume,
                      read_object=lambda key: read(key, version), write_file=site_bucket().put_image,
                      max_bytes=settings.image_max_bytes, widths=settings.widths)  # fmt: skip
    except NotAnImageFile:
        logger.warning("object outside images/<id>/ ignored", extra={"key": key})


def record_handler(record: Record) -> None:
    message_id, settings = record["messageId"], get_settings()
    with handling("reading a message", None, message_id=message_id):
        step, created_objects = rebuilding.read_message(record["body"], s3_objects)
    if step:
        with handling("a step of an images rebuild", None, message_id=message_id, step=step.kind):
            rebuilding.run(step, rebuilding.Effects(
                stores().images, partial(aws.object_bytes, settings.incoming_bucket), site_bucket().put_image,
                settings.widths, partial(aws.send_messages, settings.images_queue_url),
                partial(aws.send_messages, settings.render_queue_url)))  # fmt: skip
    for created in created_objects:  # images/<upload id>/<file>: logs carry the upload id
        if created.bucket != settings.incoming_bucket:
            logger.warning("object from another bucket ignored", extra={"bucket": created.bucket})
            continue
        with handling("storing an image", [*created.key.split("/"), ""][1] or None, message_id=message_id):
            store(created.key, created.size, created.version_id)


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        return process_batch(event, record_handler, sqs_message_id)
    finally:
        flush_metrics()
