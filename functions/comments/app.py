"""CommentsFunction: the public comment intake (POST /articles/{slug}/comments), with CORS."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar.api import cors, json_response, resolver
from kabar.deps import comment_keys, stores
from kabar.observability import correlate, logger, request_id
from kabar.routes import comments as routes
from kabar.settings import get_settings
from kabar.text.comment_rules import CommentSubmission
from kabar.workflows.comments import read_submission, submit


@cache
def api() -> APIGatewayRestResolver:
    """The resolver, built on first use: its CORS origins are a setting."""
    app = resolver(cors(get_settings().comment_origins))
    app.post("/articles/<slug>/comments", **routes.POST)(post_comment)
    return app


def _submission(body: Any) -> CommentSubmission:
    """The body, checked as the intake does: its size is the raw body's, as sent."""
    return read_submission(body, raw_size=len((api().current_event.body or "").encode()))


Comment = routes.submission(_submission)


def post_comment(slug: routes.Slug, comment: Comment) -> Response[str]:
    settings, event = get_settings(), api().current_event
    accepted = submit(
        slug, comment, source_ip=event.request_context.identity.source_ip, articles=stores().articles,
        comments=stores().comments, keys=comment_keys(),
        rules=routes.rules(settings), now=datetime.now(UTC),
    )  # fmt: skip
    return json_response(201, accepted)


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    correlate(request_id(event))  # API Gateway's request id: the items written carry it
    return api().resolve(event, context)
