"""TaggingFunction: an article changed, or a tag was merged (TaggingQueue, from DispatchFunction)
-> tags and memberships. Also takes a replay event (kabar.table.replay): the named items as they
are now."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar.batch import process_records
from kabar.deps import stores
from kabar.dispatch import TAGGING, BadMessage, Queued, stage_changes
from kabar.events import ArticleChanged, TagMerged
from kabar.observability import handling, logger
from kabar.settings import get_settings
from kabar.workflows.tagging import continue_merge, tag_article


def handle(queued: Queued) -> None:
    with handling("tagging", queued.correlation_id, **queued.about):
        change, every, settings = queued.change, stores(), get_settings()
        max_tags, publish = settings.max_tags, settings.suggested_tags == "publish"
        if change is None:
            raise BadMessage(queued.error)
        if isinstance(change, TagMerged):
            # A tag was merged, or a merge has more articles to move.
            continue_merge(change.tag, articles=every.articles, tags=every.tags, vocabulary=every.vocabulary,
                           max_tags=max_tags, publish_suggestions=publish)  # fmt: skip
        elif isinstance(change, ArticleChanged):
            tag_article(change.slug, articles=every.articles, tags=every.tags, vocabulary=every.vocabulary,
                        max_tags=max_tags, publish_suggestions=publish, aliases=every.aliases)  # fmt: skip


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_records(stage_changes(event, TAGGING, stores().articles.table), handle, lambda q: q.id)
