"""ModerationFunction: the moderators' comment API (the ``moderators`` group).

``GET /comments?status=pending`` (oldest first, ``limit``, ``cursor``),
``POST /comments/{id}/approve|spam|trash`` and ``PUT /comments/{id}`` (edit).
Approving or changing an approved comment re-renders through the table stream.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BeforeValidator

from kabar.api import (
    FORBIDDEN,
    INVALID,
    MODERATORS,
    answers,
    caller_in_group,
    json_response,
    parsed_by,
    query_value,
    resolver,
)
from kabar.deps import stores
from kabar.observability import logger
from kabar.settings import get_settings
from kabar.text.comment_rules import CommentEdit
from kabar.workflows import moderation

QUEUES = {"enum": list(moderation.QUEUES)}
Status = Annotated[
    str, Query(description=moderation.QUEUED, json_schema_extra=QUEUES), query_value("pending")
]
Limit = Annotated[int, Query(json_schema_extra={"minimum": 1, "maximum": 100}),
                  BeforeValidator(moderation.page_size), query_value("25")]  # fmt: skip
Cursor = Annotated[str | None, Query(description="The `next` of the previous page"), query_value(None)]
CommentId = Annotated[str, Path(json_schema_extra={"pattern": "^[0-9A-Za-z]{8,40}$"})]
Edit = Annotated[CommentEdit, Body(), parsed_by(moderation.read_edit)]
CHANGED = "The comment as it is now, and whether this request changed it"
RACED = "Another moderator changed the comment meanwhile; read it again"
REFUSED = FORBIDDEN | {404: "No such comment", 409: RACED}
EDITS = INVALID | REFUSED | {413: "The content is too long; errors name it"}


def current_moderator() -> str:
    return caller_in_group(app, get_settings().moderators_group, "comment moderation")


app = resolver(guard=current_moderator)


@app.get("/comments", summary="A moderation queue, oldest first (moderators)", security=MODERATORS,
         responses=answers(200, "Queue", "One page of the queue", INVALID | FORBIDDEN))  # fmt: skip
def list_comments(status: Status = "pending", limit: Limit = 25, cursor: Cursor = None) -> Response[str]:
    current_moderator()
    return json_response(200, moderation.queue(stores().comments, status, limit=limit, cursor=cursor))


def _action(action: str, summary: str) -> Any:
    """``POST /comments/{id}/<action>``; the same action again changes nothing (``changed: false``)."""

    def route(comment_id: CommentId) -> Response[str]:
        by, table = current_moderator(), stores().comments
        return json_response(
            200, moderation.moderate(table, comment_id, action, by=by, now=datetime.now(UTC))
        )

    route.__name__ = action
    return app.post(f"/comments/<comment_id>/{action}", summary=summary, security=MODERATORS,
                    responses=answers(200, "Moderated", CHANGED, REFUSED))(route)  # fmt: skip


approve = _action("approve", "Publish a comment (moderators)")
spam = _action("spam", "Mark a comment as spam (moderators)")
trash = _action("trash", "Trash a comment (moderators)")


@app.put("/comments/<comment_id>", summary="Edit a comment's name, website or content (moderators)",
         security=MODERATORS, responses=answers(200, "Moderated", CHANGED, EDITS))  # fmt: skip
def put_comment(comment_id: CommentId, fix: Edit) -> Response[str]:
    by = current_moderator()
    return json_response(
        200, moderation.edit(stores().comments, comment_id, fix, by=by, now=datetime.now(UTC))
    )


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
