"""TaggingFunction: an article's content changed (table stream) -> its tags and tag memberships."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar.deps import content_table
from kabar.logic.tags import tag_article
from kabar.observability import logger
from kabar.settings import get_settings

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def record_handler(record: DynamoDBRecord) -> None:
    keys = record.raw_event["dynamodb"]["Keys"]
    slug = keys["pk"]["S"].removeprefix("ARTICLE#")
    settings = get_settings()
    tag_article(
        slug,
        table=content_table(),
        max_tags=settings.max_tags,
        publish_suggestions=settings.suggested_tags == "publish",
    )


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
