"""ModerationFunction: the moderators' comment API (the ``moderators`` group).

``GET /comments?status=pending`` (oldest first, ``limit``, ``cursor``),
``POST /comments/{id}/approve|spam|trash`` and ``PUT /comments/{id}`` (edit).
Approving or changing an approved comment re-renders through the table stream.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar.api import caller_in_group, json_body, json_response, resolver
from kabar.deps import content_table
from kabar.errors import InvalidRequest
from kabar.observability import logger
from kabar.settings import get_settings
from kabar.workflows.comments import edit, moderate, queue

app = resolver()


def current_moderator() -> str:
    return caller_in_group(app, get_settings().moderators_group, "comment moderation")


@app.get("/comments")
def list_comments() -> Response[str]:
    current_moderator()
    event = app.current_event
    limit = event.get_query_string_value("limit", "25") or "25"
    if not limit.isdecimal():  # isdigit() also takes "²", which int() refuses
        raise InvalidRequest("the request is not valid", [{"field": "limit", "message": "must be 1 to 100"}])
    page = queue(content_table(), event.get_query_string_value("status", "pending") or "pending",
                 limit=int(limit), cursor=event.get_query_string_value("cursor"))  # fmt: skip
    return json_response(200, page)


def _moderate(comment_id: str, action: str) -> Response[str]:
    done = moderate(content_table(), comment_id, action, by=current_moderator(), now=datetime.now(UTC))
    return json_response(200, done)


@app.post("/comments/<comment_id>/approve")
def approve(comment_id: str) -> Response[str]:
    return _moderate(comment_id, "approve")


@app.post("/comments/<comment_id>/spam")
def spam(comment_id: str) -> Response[str]:
    return _moderate(comment_id, "spam")


@app.post("/comments/<comment_id>/trash")
def trash(comment_id: str) -> Response[str]:
    return _moderate(comment_id, "trash")


@app.put("/comments/<comment_id>")
def put_comment(comment_id: str) -> Response[str]:
    moderator = current_moderator()
    done = edit(content_table(), comment_id, json_body(app), by=moderator, now=datetime.now(UTC))
    return json_response(200, done)


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
