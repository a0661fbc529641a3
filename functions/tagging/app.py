"""TaggingFunction: an article changed, or a tag was merged (table stream) -> tags and memberships.
Also takes a replay event (kabar.table.replay): the named items as they are now."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar.batch import Record, process_batch, stream_sequence_number
from kabar.deps import stores
from kabar.events import ArticleChanged, TagMerged, table_change
from kabar.observability import handling, logger, stream_record
from kabar.settings import get_settings
from kabar.table.replay import stream_event
from kabar.workflows.tagging import continue_merge, tag_article


def record_handler(record: Record) -> None:
    correlation_id, about = stream_record(record)
    with handling("tagging", correlation_id, **about):
        change, every, settings = table_change(record), stores(), get_settings()
        max_tags, publish = settings.max_tags, settings.suggested_tags == "publish"
        if isinstance(change, TagMerged):
            # A tag was merged, or a merge has more articles to move.
            continue_merge(change.tag, articles=every.articles, tags=every.tags, vocabulary=every.vocabulary,
                           max_tags=max_tags, publish_suggestions=publish)  # fmt: skip
        elif isinstance(change, ArticleChanged):
            tag_article(change.slug, articles=every.articles, tags=every.tags, vocabulary=every.vocabulary,
                        max_tags=max_tags, publish_suggestions=publish)  # fmt: skip


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_batch(stream_event(event, stores().articles.table), record_handler, stream_sequence_number)
