"""RelatedFunction: an article's tags changed (table stream) -> its related list and the lists it joins.
Also takes a replay event (kabar.table.replay): the named items as they are now."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar.deps import stores
from kabar.events import TagsChanged, UnlistContinued, table_change
from kabar.observability import handling, logger, stream_record
from kabar.settings import get_settings
from kabar.table.replay import stream_event
from kabar.workflows.related import continue_unlist, relate

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def record_handler(record: DynamoDBRecord) -> None:
    correlation_id, about = stream_record(record.raw_event)
    with handling("relating", correlation_id, **about):
        change, every, settings = table_change(record.raw_event), stores(), get_settings()
        if isinstance(change, UnlistContinued):
            continue_unlist(change.slug, articles=every.articles, lists=every.related)
        elif isinstance(change, TagsChanged):
            relate(change.slug, articles=every.articles, tags=every.tags, lists=every.related,
                   k=settings.related_count, min_score=settings.related_min_score)  # fmt: skip


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(
        event=stream_event(event, stores().articles.table), record_handler=record_handler,
        processor=processor, context=context,
    )  # fmt: skip
