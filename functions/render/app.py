"""RenderFunction: article, tag and comment changes (table stream) -> documents in the site bucket."""

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
from kabar.observability import logger
from kabar.settings import get_settings
from kabar.text.comment_rules import page_of
from kabar.workflows.render import ArticleChange, Renderer, TagsChange

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def new_renderer() -> Renderer:
    settings = get_settings()
    return Renderer(
        content_table(),
        site_bucket(),
        site_name=settings.site_name,
        language=settings.site_language,
        latest_size=settings.latest_size,
        read_also_auto=settings.read_also_auto,
        comments_close_days=settings.comments_close_days,
    )


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    renderer = new_renderer()
    months: set[str] = set()
    tag_months: dict[str, set[str]] = {}
    rendered: set[str] = set()
    comment_pages: dict[str, set[int]] = {}
    republished: set[str] = set()

    def render_article(slug: str) -> None:
        # Documents are built from the table as it is now, which already holds every
        # change in this batch: one render per article per batch is enough.
        if slug not in rendered:
            months.update(renderer.render_article(slug))
            rendered.add(slug)

    def record_handler(record: DynamoDBRecord) -> None:
        images = record.raw_event.get("dynamodb", {})
        old, new = (from_item(images[k]) if images.get(k) else None for k in ("OldImage", "NewImage"))
        if images["Keys"]["sk"]["S"] == "COMMENT":
            # A comment that is, or was, public: its page, the newest page, and on a
            # change of status the article's comment count.
            public = [image for image in (old, new) if image and image.get("status") == "approved"]
            slug = str(public[0]["slug"])
            comment_pages.setdefault(slug, set()).update(page_of(int(image["seq"])) for image in public)
            if len(public) == 1:
                render_article(slug)
            return
        if images["Keys"]["sk"]["S"] == "RELATED":
            # Its related list changed (its own publish, or another article's).
            render_article(images["Keys"]["pk"]["S"].removeprefix("ARTICLE#"))
            return
        if images["Keys"]["sk"]["S"] == "VOCAB":
            # A tag was merged: its page becomes a pointer once its articles have moved.
            tag_months.setdefault(images["Keys"]["pk"]["S"].removeprefix("TAG#"), set())
            return
        if images["Keys"]["sk"]["S"] == "TAGS":
            tags_change = TagsChange.from_images(old, new)
            for tag, tag_month_set in tags_change.tag_months.items():
                tag_months.setdefault(tag, set()).update(tag_month_set)
            render_article(tags_change.slug)
            return
        change = ArticleChange.from_images(old, new)
        if old and new and old.get("status") != "published" and new.get("status") == "published":
            republished.add(change.slug)  # a draft published again: its comments are public again
        months.update(change.months)
        render_article(change.slug)

    response = process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
    for slug in sorted(set(comment_pages) | republished):
        renderer.render_comments(slug, comment_pages.get(slug, set()), every=slug in republished)
    if months or tag_months:
        renderer.render_lists(months, tag_months)
    renderer.invalidate()
    logger.info(
        "rendered",
        extra={"written": len(renderer.report.written), "deleted": len(renderer.report.deleted),
               "invalidated": renderer.report.invalidated,
               "failed": len(response.get("batchItemFailures", []))},
    )  # fmt: skip
    return response
