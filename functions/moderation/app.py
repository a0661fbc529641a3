"""ModerationFunction: the moderators' comment API (the ``moderators`` group): the queues, approve /
spam / trash, edits. Approving or changing an approved comment re-renders through the table stream."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar.api import Answer, caller_in_group, json_response, resolver
from kabar.deps import stores
from kabar.observability import correlate, logger, request_id
from kabar.routes import moderation as routes
from kabar.settings import get_settings
from kabar.workflows import moderation

if TYPE_CHECKING:
    from kabar.text.comment_forms import CommentEdit


def current_moderator() -> str:
    return caller_in_group(app, get_settings().moderators_group, "comment moderation")


app = resolver(guard=current_moderator)


@app.bind(routes.QUEUE)
def list_comments(status: str, limit: int, cursor: str | None) -> Answer:
    current_moderator()
    return json_response(200, moderation.queue(stores().comments, status, limit=limit, cursor=cursor))


def _moderate(action: str) -> Any:
    def route(comment_id: str) -> Answer:
        by, now = current_moderator(), datetime.now(UTC)
        return json_response(200, moderation.moderate(stores().comments, comment_id, action, by=by, now=now))

    route.__name__ = action
    return app.bind(routes.action(action))(route)


approve, spam, trash = (_moderate(action) for action in routes.ACTIONS)


@app.bind(routes.EDIT)
def put_comment(comment_id: str, fix: CommentEdit) -> Answer:
    by, now = current_moderator(), datetime.now(UTC)
    return json_response(200, moderation.edit(stores().comments, comment_id, fix, by=by, now=now))


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    correlate(request_id(event))  # API Gateway's request id: the items written carry it
    return app.resolve(event, context)
