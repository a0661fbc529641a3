"""PublishFunction: S3 ObjectCreated under uploads/ (through SQS; the version the event names) ->
article, scheduled article or rejection; a scheduled article's release, which its schedule sends."""

from __future__ import annotations

from functools import partial
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar import aws
from kabar.batch import Record, process_batch, sqs_message_id
from kabar.deps import release_schedules, stores
from kabar.events import S3ObjectCreated, s3_objects
from kabar.observability import flush_metrics, handling, logger
from kabar.releases import parse_release, send_later
from kabar.settings import get_settings
from kabar.workflows import releases
from kabar.workflows.publish import NotAnUpload, process_upload


def publish(created: S3ObjectCreated) -> None:
    settings = get_settings()
    read = partial(aws.object_bytes, settings.incoming_bucket)
    if created.bucket != settings.incoming_bucket:
        logger.warning("object from another bucket ignored", extra={"bucket": created.bucket})
        return
    try:
        process_upload(created.key, created.size, uploads=stores().uploads, articles=stores().articles,
                       read_object=partial(read, version_id=created.version_id),
                       max_bytes=settings.upload_max_bytes, cdn_url=settings.cdn_url,
                       library=stores().images.get_many, version_id=created.version_id,
                       wait_seconds=settings.image_wait_seconds, schedules=release_schedules())  # fmt: skip
    except NotAnUpload:
        logger.warning("object outside uploads/<id>/ ignored", extra={"key": created.key})


def record_handler(record: Record) -> None:
    message_id = record["messageId"]
    with handling("reading a message", None, message_id=message_id):
        due = parse_release(record["body"])
        created_objects = [] if due else s3_objects(record["body"])
    if due:
        with handling("releasing a scheduled article", None, message_id=message_id, slug=due.slug):
            releases.release(due, articles=stores().articles, writes=stores().releases,
                             wait=send_later(get_settings().publish_queue_url))  # fmt: skip
    for created in created_objects:
        parts = created.key.split("/")
        upload_id = parts[1] if len(parts) == 3 and parts[0] == "uploads" else None
        with handling("publishing an upload", upload_id, message_id=message_id, key=created.key,
                      version_id=created.version_id):  # fmt: skip
            publish(created)


@logger.inject_lambda_context  # logs carry the upload id
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        return process_batch(event, record_handler, sqs_message_id)
    finally:
        flush_metrics()
