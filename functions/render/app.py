"""RenderFunction: article, tag and comment changes (RenderQueue, from DispatchFunction) ->
documents in the site bucket.

Changes -> a render plan -> the renderer applies it -> one invalidation request; messages whose
part of the work failed are reported for retry (ReportBatchItemFailures; after six tries they
wait in RenderDeadLetterQueue) and logged at ERROR. Also takes a replay event
(kabar.table.replay): the named items as they are now.
"""

from __future__ import annotations

import time
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar.deps import site_bucket, stores
from kabar.dispatch import RENDER, batch_response, stage_changes
from kabar.observability import flush_metrics, handling_batch, log_failed_records, logger, metric
from kabar.settings import get_settings
from kabar.workflows.render.plan import plan
from kabar.workflows.render.renderer import Renderer
from kabar.workflows.render.sources import SiteSettings, Sources


def new_renderer() -> Renderer:
    settings, every = get_settings(), stores()
    sources = Sources(articles=every.articles, tags=every.tags, related=every.related,
                      comments=every.comments, lists=every.lists, vocabulary=every.vocabulary,
                      links=every.links, authors=every.authors)  # fmt: skip
    site = SiteSettings(site_name=settings.site_name, language=settings.site_language,
                        page_size=settings.page_size, tags_listed=settings.tags_listed,
                        read_also_auto=settings.read_also_auto,
                        comments_close_days=settings.comments_close_days,
                        media_url=settings.cdn_url or "/", urls=settings.urls,
                        logo_url=settings.site_logo_url,
                        feed_full_text=settings.feed_full_text == "true")  # fmt: skip
    return Renderer(sources, site_bucket(), site)


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    queued, started = stage_changes(event, RENDER, stores().articles.table), time.perf_counter()
    with handling_batch({q.id: (q.correlation_id, q.about) for q in queued}) as facts:
        for bad in (q for q in queued if q.change is None):
            logger.error("unreadable change", extra={**bad.about, "error": bad.error})
        renderer = new_renderer()
        failed = {q.id for q in queued if q.change is None}
        failed |= renderer.apply(plan([(q.id, q.change) for q in queued if q.change is not None]))
        log_failed_records("rendering", failed, facts)
    metric("RenderTime", (time.perf_counter() - started) * 1000, "Milliseconds")
    metric("DocumentsWritten", len(renderer.out.written))
    flush_metrics()
    return batch_response([q.id for q in queued if q.id in failed])
