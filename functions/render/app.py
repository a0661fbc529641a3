"""RenderFunction: article, tag and comment changes (table stream) -> documents in the site bucket.

Records -> typed changes -> a render plan -> the renderer applies it -> one invalidation;
records whose part of the work failed are reported for retry (ReportBatchItemFailures) and
logged at ERROR. Also takes a replay event (kabar.table.replay): the named items as they are now.
"""

from __future__ import annotations

import time
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar.deps import site_bucket, stores
from kabar.events import table_changes
from kabar.observability import flush_metrics, handling_batch, log_failed_records, logger, metric
from kabar.settings import get_settings
from kabar.table.replay import stream_event
from kabar.workflows.render.plan import plan
from kabar.workflows.render.renderer import Renderer
from kabar.workflows.render.sources import SiteSettings, Sources


def new_renderer() -> Renderer:
    settings, every = get_settings(), stores()
    sources = Sources(articles=every.articles, tags=every.tags, related=every.related,
                      comments=every.comments, lists=every.lists, vocabulary=every.vocabulary,
                      links=every.links)  # fmt: skip
    site = SiteSettings(site_name=settings.site_name, language=settings.site_language,
                        page_size=settings.page_size, tags_listed=settings.tags_listed,
                        read_also_auto=settings.read_also_auto,
                        comments_close_days=settings.comments_close_days)  # fmt: skip
    return Renderer(sources, site_bucket(), site)


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    records, started = stream_event(event, stores().articles.table)["Records"], time.perf_counter()
    with handling_batch(records) as facts:
        changes, unreadable = table_changes(records)
        renderer = new_renderer()
        failed = unreadable | renderer.apply(plan(changes))
        log_failed_records("rendering", failed, facts)
    metric("RenderTime", (time.perf_counter() - started) * 1000, "Milliseconds")
    metric("DocumentsWritten", len(renderer.out.written))
    flush_metrics()
    order = [str(record["dynamodb"]["SequenceNumber"]) for record in records]
    return {"batchItemFailures": [{"itemIdentifier": sequence} for sequence in order if sequence in failed]}
