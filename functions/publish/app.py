"""PublishFunction: S3 ObjectCreated (through SQS) under uploads/ -> article or rejection."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar import aws
from kabar.deps import stores
from kabar.events import s3_objects
from kabar.observability import logger
from kabar.settings import get_settings
from kabar.workflows.publish import NotAnUpload, process_upload

processor = BatchProcessor(event_type=EventType.SQS)


def read_incoming(key: str) -> bytes:
    response = aws.s3().get_object(Bucket=get_settings().incoming_bucket, Key=key)
    return response["Body"].read()


def record_handler(record: SQSRecord) -> None:
    settings = get_settings()
    for created in s3_objects(record.body):
        if created.bucket != settings.incoming_bucket:
            logger.warning("object from another bucket ignored", extra={"bucket": created.bucket})
            continue
        try:
            process_upload(
                created.key,
                created.size,
                uploads=stores().uploads,
                articles=stores().articles,
                read_object=read_incoming,
                max_bytes=settings.upload_max_bytes,
                cdn_url=settings.cdn_url,
            )
        except NotAnUpload:
            logger.warning("object outside uploads/<id>/ ignored", extra={"key": created.key})


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
