"""VocabularyFunction: the editors' tag vocabulary API (GET/PUT /tags, PUT /tags/{slug}, merges)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar.api import caller_in_group, json_body, json_response, resolver
from kabar.deps import stores
from kabar.observability import logger
from kabar.settings import get_settings
from kabar.workflows.vocabulary import MergeRequest, TagRequest, list_tags, merge_tag, put_tag, put_tags

app = resolver()


def current_editor() -> str:
    return caller_in_group(app, get_settings().editors_group, "the tag vocabulary")


@app.get("/tags")
def get_tags() -> Response[str]:
    current_editor()
    return json_response(200, {"tags": [t.model_dump() for t in list_tags(vocabulary=stores().vocabulary)]})


@app.put("/tags")
def put_many() -> Response[str]:
    editor = current_editor()
    stored = put_tags(json_body(app), vocabulary=stores().vocabulary)
    logger.info("vocabulary loaded", extra={"editor": editor, "tags": len(stored)})
    return json_response(200, {"tags": [t.model_dump() for t in stored]})


@app.put("/tags/<slug>")
def put_one(slug: str) -> Response[str]:
    editor = current_editor()
    entry = put_tag(slug, TagRequest.model_validate(json_body(app)), vocabulary=stores().vocabulary)
    logger.info("vocabulary tag stored", extra={"editor": editor, "slug": slug, "status": entry.status})
    return json_response(200, entry.model_dump())


@app.post("/tags/<slug>/merge")
def merge(slug: str) -> Response[str]:
    editor = current_editor()
    entry = merge_tag(
        slug, MergeRequest.model_validate(json_body(app)), vocabulary=stores().vocabulary, tags=stores().tags
    )
    logger.info("tag merged", extra={"editor": editor, "slug": slug, "into": entry.merged_into})
    return json_response(202, entry.model_dump())


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
