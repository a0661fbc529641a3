"""RelatedFunction: an article's tags changed (RelatedQueue, from DispatchFunction) -> its related
list and the lists it joins. Also takes a replay event (kabar.table.replay): the named items as
they are now."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar.batch import process_records
from kabar.deps import stores
from kabar.dispatch import RELATED, BadMessage, Queued, stage_changes
from kabar.events import TagsChanged, UnlistContinued
from kabar.observability import handling, logger
from kabar.settings import get_settings
from kabar.workflows.related import continue_unlist, relate


def handle(queued: Queued) -> None:
    with handling("relating", queued.correlation_id, **queued.about):
        change, every, settings = queued.change, stores(), get_settings()
        if change is None:
            raise BadMessage(queued.error)
        if isinstance(change, UnlistContinued):
            continue_unlist(change.slug, articles=every.articles, lists=every.related)
        elif isinstance(change, TagsChanged):
            relate(change.slug, articles=every.articles, tags=every.tags, lists=every.related,
                   k=settings.related_count, min_score=settings.related_min_score)  # fmt: skip


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_records(stage_changes(event, RELATED, stores().articles.table), handle, lambda q: q.id)
