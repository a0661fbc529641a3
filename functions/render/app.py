"""RenderFunction: article, tag and comment changes (table stream) -> documents in the site bucket.

Records -> typed changes -> a render plan -> the renderer applies it -> one invalidation;
records whose part of the work failed are reported for retry (ReportBatchItemFailures).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar.deps import site_bucket, stores
from kabar.events import table_changes
from kabar.observability import logger
from kabar.settings import get_settings
from kabar.workflows.render.plan import plan
from kabar.workflows.render.renderer import Renderer
from kabar.workflows.render.sources import SiteSettings, Sources


def new_renderer() -> Renderer:
    settings, every = get_settings(), stores()
    sources = Sources(articles=every.articles, tags=every.tags, related=every.related,
                      comments=every.comments, lists=every.lists, vocabulary=every.vocabulary,
                      links=every.links)  # fmt: skip
    site = SiteSettings(site_name=settings.site_name, language=settings.site_language,
                        latest_size=settings.latest_size, read_also_auto=settings.read_also_auto,
                        comments_close_days=settings.comments_close_days)  # fmt: skip
    return Renderer(sources, site_bucket(), site)


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    changes, unreadable = table_changes(event["Records"])
    failed = unreadable | new_renderer().apply(plan(changes))
    order = [str(record["dynamodb"]["SequenceNumber"]) for record in event["Records"]]
    return {"batchItemFailures": [{"itemIdentifier": sequence} for sequence in order if sequence in failed]}
