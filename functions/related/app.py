"""RelatedFunction: an article's tags changed (table stream) -> its related list and the lists it joins."""

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
from kabar.observability import logger
from kabar.settings import get_settings
from kabar.workflows.related import continue_unlist, relate

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def record_handler(record: DynamoDBRecord) -> None:
    keys = record.raw_event["dynamodb"]["Keys"]
    slug = keys["pk"]["S"].removeprefix("ARTICLE#")
    if keys["sk"]["S"] == "UNLIST":
        # Unlisting an unpublished article has more lists to go through.
        continue_unlist(slug, table=content_table())
        return
    settings = get_settings()
    relate(slug, table=content_table(), k=settings.related_count, min_score=settings.related_min_score)


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
