"""VocabularyFunction: the editors' tag vocabulary API (GET/PUT /tags, PUT /tags/{slug}, merges)."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar.api import (
    EDITORS,
    FORBIDDEN,
    INVALID,
    answers,
    caller_in_group,
    json_response,
    parsed_by,
    resolver,
)
from kabar.deps import stores
from kabar.observability import logger
from kabar.settings import get_settings
from kabar.slugs import SLUG_PATTERN
from kabar.workflows import vocabulary as tags
from kabar.workflows.vocabulary import BulkRequest, MergeRequest, TagRequest

Bulk = Annotated[BulkRequest, Body(), parsed_by(tags.bulk_request)]
Tag = Annotated[TagRequest, Body(), parsed_by(TagRequest.model_validate)]
Merge = Annotated[MergeRequest, Body(), parsed_by(MergeRequest.model_validate)]
Slug = Annotated[str, Path(json_schema_extra={"pattern": SLUG_PATTERN})]
TAKEN = "An alias (or the name) already belongs to another tag; the message names both"
MERGED = "Merged; the articles are being moved"
CHANGES = INVALID | FORBIDDEN | {409: TAKEN}


def current_editor() -> str:
    return caller_in_group(app, get_settings().editors_group, "the tag vocabulary")


app = resolver(guard=current_editor)


@app.get("/tags", summary="The tag vocabulary", security=EDITORS,
         responses=answers(200, "TagList", "Every vocabulary tag, by slug", FORBIDDEN))  # fmt: skip
def get_tags() -> Response[str]:
    current_editor()
    return json_response(
        200, {"tags": [t.model_dump() for t in tags.list_tags(vocabulary=stores().vocabulary)]}
    )


@app.put("/tags", summary="Load many vocabulary tags at once", security=EDITORS,
         responses=answers(200, "TagList", "The stored tags", CHANGES))  # fmt: skip
def put_many(bulk: Bulk) -> Response[str]:
    editor = current_editor()
    stored = tags.put_tags(bulk, vocabulary=stores().vocabulary)
    logger.info("vocabulary loaded", extra={"editor": editor, "tags": len(stored)})
    return json_response(200, {"tags": [t.model_dump() for t in stored]})


@app.put("/tags/<slug>", summary="Create or replace one vocabulary tag", security=EDITORS,
         responses=answers(200, "TagEntry", "The stored tag", CHANGES))  # fmt: skip
def put_one(slug: Slug, tag: Tag) -> Response[str]:
    editor = current_editor()
    entry = tags.put_tag(slug, tag, vocabulary=stores().vocabulary)
    logger.info("vocabulary tag stored", extra={"editor": editor, "slug": slug, "status": entry.status})
    return json_response(200, entry.model_dump())


@app.post("/tags/<slug>/merge", summary="Merge a tag into another", security=EDITORS,
          responses=answers(202, "TagEntry", MERGED, INVALID | FORBIDDEN | {404: "No such tag"}))  # fmt: skip
def merge(slug: Slug, request: Merge) -> Response[str]:
    editor = current_editor()
    entry = tags.merge_tag(slug, request, vocabulary=stores().vocabulary, tags=stores().tags)
    logger.info("tag merged", extra={"editor": editor, "slug": slug, "into": entry.merged_into})
    return json_response(202, entry.model_dump())


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
