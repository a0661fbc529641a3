"""CommentsFunction: the public comment intake (POST /articles/{slug}/comments), with CORS."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar.api import Answer, Resolver, cors, json_response, resolver
from kabar.deps import comment_keys, stores
from kabar.observability import correlate, logger, request_id
from kabar.routes import comments as routes
from kabar.settings import get_settings
from kabar.workflows.comments import read_submission, submit

if TYPE_CHECKING:
    from kabar.text.comment_submission import CommentSubmission


@cache
def api() -> Resolver:
    """The resolver, built on first use: its CORS origins are a setting."""
    app = resolver(cors(get_settings().comment_origins))
    app.bind(routes.post(_submission))(post_comment)
    return app


def _submission(body: Any) -> CommentSubmission:
    """The body, checked as the intake does: its size is the raw body's, as sent."""
    return read_submission(body, raw_size=len((api().current_event.body or "").encode()))


def post_comment(slug: str, comment: CommentSubmission) -> Answer:
    settings, event = get_settings(), api().current_event
    accepted = submit(
        slug, comment, source_ip=event.source_ip, articles=stores().articles,
        comments=stores().comments, keys=comment_keys(),
        rules=routes.rules(settings), now=datetime.now(UTC),
    )  # fmt: skip
    return json_response(201, accepted)


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    correlate(request_id(event))  # API Gateway's request id: the items written carry it
    return api().resolve(event, context)
