"""VocabularyFunction: the editors' tags (GET/PUT /tags, merges, aliases) and authors (/authors/{slug})."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar.api import Answer, caller_in_group, json_response, resolver
from kabar.deps import stores
from kabar.observability import correlate, logger, request_id
from kabar.routes import vocabulary as routes
from kabar.routes.authors import bind_authors
from kabar.settings import get_settings
from kabar.workflows import vocabulary


def current_editor() -> str:
    return caller_in_group(app, get_settings().editors_group, "the tag vocabulary")


app = resolver(guard=current_editor)


@app.bind(routes.LIST)
def get_tags() -> Answer:
    current_editor()
    entries = vocabulary.list_tags(vocabulary=stores().vocabulary)
    return json_response(200, {"tags": [entry.to_json() for entry in entries]})


@app.bind(routes.LOAD)
def put_many(bulk: routes.BulkRequest) -> Answer:
    stored = vocabulary.put_tags(bulk, vocabulary=stores().vocabulary)
    logger.info("vocabulary loaded", extra={"editor": current_editor(), "tags": len(stored)})
    return json_response(200, {"tags": [entry.to_json() for entry in stored]})


@app.bind(routes.PUT)
def put_one(slug: str, tag: routes.TagRequest) -> Answer:
    entry = vocabulary.put_tag(slug, tag, vocabulary=stores().vocabulary)
    logger.info("tag stored", extra={"editor": current_editor(), "slug": slug, "status": entry.status})
    return json_response(200, entry.to_json())


@app.bind(routes.MERGE)
def merge(slug: str, request: routes.MergeRequest) -> Answer:
    entry = vocabulary.merge_tag(slug, request, vocabulary=stores().vocabulary, tags=stores().tags)
    logger.info("tag merged", extra={"editor": current_editor(), "slug": slug, "into": entry.merged_into})
    return json_response(202, entry.to_json())


routes.bind_alias_offers(app, current_editor)  # GET /tags/aliases, POST /tags/{slug}/aliases
bind_authors(app, current_editor)  # GET/PUT /authors/{slug}


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    correlate(request_id(event))  # API Gateway's request id: the items written carry it
    return app.resolve(event, context)
