"""RenderFunction: article changes (table stream) -> documents in the site bucket."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar.dal import from_item
from kabar.deps import content_table, site_bucket
from kabar.logic.render import ArticleChange, Renderer
from kabar.observability import logger
from kabar.settings import get_settings

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def new_renderer() -> Renderer:
    settings = get_settings()
    return Renderer(
        content_table(),
        site_bucket(),
        site_name=settings.site_name,
        language=settings.site_language,
        latest_size=settings.latest_size,
    )


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    renderer = new_renderer()
    months: set[str] = set()

    def record_handler(record: DynamoDBRecord) -> None:
        images = record.raw_event.get("dynamodb", {})
        old, new = images.get("OldImage"), images.get("NewImage")
        change = ArticleChange.from_images(from_item(old) if old else None, from_item(new) if new else None)
        months.update(change.months)
        months.update(renderer.render_article(change.slug))

    response = process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
    if months:
        renderer.render_lists(months)
    renderer.invalidate()
    logger.info(
        "rendered",
        extra={"written": len(renderer.report.written), "deleted": len(renderer.report.deleted),
               "invalidated": renderer.report.invalidated,
               "failed": len(response.get("batchItemFailures", []))},
    )  # fmt: skip
    return response
