"""VocabularyFunction's routes: ``GET/PUT /tags``, ``PUT /tags/{slug}``, ``POST /tags/{slug}/merge``."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body, Path

from kabar.api import EDITORS, FORBIDDEN, INVALID, JSON_ONLY, answers, parsed_by
from kabar.slugs import SLUG_PATTERN
from kabar.workflows.vocabulary import BulkRequest, MergeRequest, TagRequest, bulk_request

Bulk = Annotated[BulkRequest, Body(), parsed_by(bulk_request)]
Tag = Annotated[TagRequest, Body(), parsed_by(TagRequest.model_validate)]
Merge = Annotated[MergeRequest, Body(), parsed_by(MergeRequest.model_validate)]
Slug = Annotated[str, Path(json_schema_extra={"pattern": SLUG_PATTERN})]
TAKEN = "An alias (or the name) already belongs to another tag; the message names both"
MERGED = "Merged; the articles are being moved"
CHANGES = INVALID | FORBIDDEN | {409: TAKEN} | JSON_ONLY

LIST: dict[str, Any] = {
    "summary": "The tag vocabulary", "security": EDITORS,
    "responses": answers(200, "TagList", "Every vocabulary tag, by slug", FORBIDDEN),
}  # fmt: skip
LOAD: dict[str, Any] = {
    "summary": "Load many vocabulary tags at once", "security": EDITORS,
    "responses": answers(200, "TagList", "The stored tags", CHANGES),
}  # fmt: skip
PUT: dict[str, Any] = {
    "summary": "Create or replace one vocabulary tag", "security": EDITORS,
    "responses": answers(200, "TagEntry", "The stored tag", CHANGES),
}  # fmt: skip
MERGE: dict[str, Any] = {
    "summary": "Merge a tag into another", "security": EDITORS,
    "responses": answers(202, "TagEntry", MERGED, INVALID | FORBIDDEN | {404: "No such tag"} | JSON_ONLY),
}  # fmt: skip
