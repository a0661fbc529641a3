"""ModerationFunction: the moderators' API: queues, approve / spam / trash, edits, learned spam names."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kabar.api import Answer, caller_in_group, json_response, resolver
from kabar.deps import stores
from kabar.observability import correlate, logger, request_id
from kabar.routes import moderation as routes
from kabar.settings import get_settings
from kabar.workflows import moderation


def current_moderator() -> str:
    return caller_in_group(app, get_settings().moderators_group, "comment moderation")


app = resolver(guard=current_moderator)


@app.bind(routes.QUEUE)
def list_comments(status: str, limit: int, cursor: str | None) -> Answer:
    return json_response(200, moderation.queue(stores().comments, status, limit=limit, cursor=cursor))


def _moderate(action: str) -> Any:
    def route(comment_id: str) -> Answer:
        return json_response(200, moderation.moderate(
            stores().comments, comment_id, action, by=current_moderator(), now=datetime.now(UTC),
            names=stores().spam_names, purge_days=get_settings().comment_purge_days))  # fmt: skip

    route.__name__ = action
    return app.bind(routes.action(action))(route)


approve, spam, trash = (_moderate(action) for action in routes.ACTIONS)


@app.bind(routes.EDIT)
def put_comment(comment_id: str, fix: moderation.CommentEdit) -> Answer:
    by, now = current_moderator(), datetime.now(UTC)
    return json_response(200, moderation.edit(stores().comments, comment_id, fix, by=by, now=now))


@app.bind(routes.SPAM_NAMES)
def list_spam_names(limit: int, cursor: str | None) -> Answer:
    return json_response(200, moderation.spam_names(stores().spam_names, limit=limit, cursor=cursor))


@app.bind(routes.FORGET_SPAM_NAME)
def forget_spam_name(name: str) -> Answer:
    return json_response(200, moderation.forget_spam_name(stores().spam_names, name, by=current_moderator()))


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:  # context: Powertools' LambdaContext
    correlate(request_id(event))  # API Gateway's request id: the items written carry it
    return app.resolve(event, context)
