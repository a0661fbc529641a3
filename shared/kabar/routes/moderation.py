"""ModerationFunction's routes: ``GET /comments``, ``POST /comments/{id}/<action>`` and
``PUT /comments/{id}``."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from pydantic import BeforeValidator

from kabar.api import FORBIDDEN, INVALID, JSON_ONLY, MODERATORS, answers, parsed_by, query_value
from kabar.text.comment_rules import CommentEdit
from kabar.workflows import moderation

Status = Annotated[
    str, Query(description=moderation.QUEUED, json_schema_extra={"enum": list(moderation.QUEUES)}),
    query_value("pending"),
]  # fmt: skip
Limit = Annotated[int, Query(json_schema_extra={"minimum": 1, "maximum": 100}),
                  BeforeValidator(moderation.page_size), query_value("25")]  # fmt: skip
Cursor = Annotated[str | None, Query(description="The `next` of the previous page"), query_value(None)]
CommentId = Annotated[str, Path(json_schema_extra={"pattern": "^[0-9A-Za-z]{8,40}$"})]
Edit = Annotated[CommentEdit, Body(), parsed_by(moderation.read_edit)]
CHANGED = "The comment as it is now, and whether this request changed it"
RACED = "Another moderator changed the comment meanwhile; read it again"
REFUSED = FORBIDDEN | {404: "No such comment", 409: RACED}
EDITS = INVALID | REFUSED | {413: "The content is too long; errors name it"} | JSON_ONLY

QUEUE: dict[str, Any] = {
    "summary": "A moderation queue, oldest first (moderators)", "security": MODERATORS,
    "responses": answers(200, "Queue", "One page of the queue", INVALID | FORBIDDEN),
}  # fmt: skip
EDIT: dict[str, Any] = {
    "summary": "Edit a comment's name, website or content (moderators)", "security": MODERATORS,
    "responses": answers(200, "Moderated", CHANGED, EDITS),
}  # fmt: skip
ACTIONS = {
    "approve": "Publish a comment (moderators)",
    "spam": "Mark a comment as spam (moderators)",
    "trash": "Trash a comment (moderators)",
}


def action(name: str) -> dict[str, Any]:
    """``POST /comments/{id}/<name>``; the same action again changes nothing (``changed: false``)."""
    return {
        "summary": ACTIONS[name],
        "security": MODERATORS,
        "responses": answers(200, "Moderated", CHANGED, REFUSED),
    }
