"""TaggingFunction: an article changed, or a tag was merged (table stream) -> tags and memberships."""

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
from kabar.workflows.tagging import continue_merge, tag_article

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def record_handler(record: DynamoDBRecord) -> None:
    keys = record.raw_event["dynamodb"]["Keys"]
    pk = keys["pk"]["S"]
    settings = get_settings()
    max_tags, publish = settings.max_tags, settings.suggested_tags == "publish"
    if pk.startswith("TAG#"):
        # A tag was merged (VOCAB), or a merge has more articles to move (MERGE).
        continue_merge(pk.removeprefix("TAG#"), table=content_table(), max_tags=max_tags,
                       publish_suggestions=publish)  # fmt: skip
    else:
        tag_article(pk.removeprefix("ARTICLE#"), table=content_table(), max_tags=max_tags,
                    publish_suggestions=publish)  # fmt: skip


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
