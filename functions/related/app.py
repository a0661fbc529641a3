"""RelatedFunction: an article's tags changed (table stream) -> its related list and the lists it joins.
Also takes a replay event (kabar.table.replay): the named items as they are now."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar.batch import Record, process_batch, stream_sequence_number
from kabar.deps import stores
from kabar.events import TagsChanged, UnlistContinued, table_change
from kabar.observability import handling, logger, stream_record
from kabar.settings import get_settings
from kabar.table.replay import stream_event
from kabar.workflows.related import continue_unlist, relate


def record_handler(record: Record) -> None:
    correlation_id, about = stream_record(record)
    with handling("relating", correlation_id, **about):
        change, every, settings = table_change(record), stores(), get_settings()
        if isinstance(change, UnlistContinued):
            continue_unlist(change.slug, articles=every.articles, lists=every.related)
        elif isinstance(change, TagsChanged):
            relate(change.slug, articles=every.articles, tags=every.tags, lists=every.related,
                   k=settings.related_count, min_score=settings.related_min_score)  # fmt: skip


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_batch(stream_event(event, stores().articles.table), record_handler, stream_sequence_number)
