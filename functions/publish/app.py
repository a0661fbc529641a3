"""PublishFunction: S3 ObjectCreated (through SQS) under uploads/ -> article or rejection. It reads
the version the event names (a second POST may have replaced the object); logs carry the upload id."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar import aws
from kabar.batch import Record, process_batch, sqs_message_id
from kabar.deps import stores
from kabar.events import S3ObjectCreated, s3_objects
from kabar.observability import flush_metrics, handling, logger
from kabar.settings import get_settings
from kabar.workflows.publish import NotAnUpload, process_upload


def read_incoming(key: str, version_id: str | None) -> bytes:
    version = {"VersionId": version_id} if version_id else {}
    response = aws.s3().get_object(Bucket=get_settings().incoming_bucket, Key=key, **version)
    return response["Body"].read()


def publish(created: S3ObjectCreated) -> None:
    settings = get_settings()
    if created.bucket != settings.incoming_bucket:
        logger.warning("object from another bucket ignored", extra={"bucket": created.bucket})
        return
    try:
        process_upload(created.key, created.size, uploads=stores().uploads, articles=stores().articles,
                       read_object=lambda key: read_incoming(key, created.version_id),
                       max_bytes=settings.upload_max_bytes, cdn_url=settings.cdn_url,
                       library=stores().images.get_many, version_id=created.version_id,
                       wait_seconds=settings.image_wait_seconds)  # fmt: skip
    except NotAnUpload:
        logger.warning("object outside uploads/<id>/ ignored", extra={"key": created.key})


def record_handler(record: Record) -> None:
    message_id = record["messageId"]
    with handling("reading an S3 notification", None, message_id=message_id):
        created_objects = s3_objects(record["body"])
    for created in created_objects:
        parts = created.key.split("/")
        upload_id = parts[1] if len(parts) == 3 and parts[0] == "uploads" else None
        with handling("publishing an upload", upload_id, message_id=message_id, key=created.key,
                      version_id=created.version_id):  # fmt: skip
            publish(created)


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        return process_batch(event, record_handler, sqs_message_id)
    finally:
        flush_metrics()
