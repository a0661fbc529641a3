"""CommentsFunction: the public comment intake (POST /articles/{slug}/comments), with CORS."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar import aws
from kabar.api import INVALID, answers, cors, json_response, parsed_by, resolver
from kabar.deps import stores
from kabar.observability import logger
from kabar.settings import get_settings
from kabar.slugs import SLUG_PATTERN
from kabar.text.comment_rules import CommentSubmission
from kabar.workflows.comments import IntakeRules, read_submission, submit

SUMMARY = "Post a reader's comment (public)"
REFUSED = INVALID | {
    403: "Comments are closed on this article", 404: "No published article with this slug",
    409: "The same comment was already posted",
    413: "The body, or the content, is too large; errors name which",
    429: "Too soon after the last comment from this email or network",
}  # fmt: skip


@cache
def api() -> APIGatewayRestResolver:
    """The resolver, built on first use: its CORS origins are a setting."""
    app = resolver(cors(get_settings().comment_origins))
    taken = answers(201, "Taken", "Taken; whether it is published or waits", REFUSED)
    app.post("/articles/<slug>/comments", summary="Post a reader's comment (public)", responses=taken)(
        post_comment
    )
    return app


def _submission(body: Any) -> CommentSubmission:
    """The body, checked as the intake does: its size is the raw body's, as sent."""
    return read_submission(body, raw_size=len((api().current_event.body or "").encode()))


def post_comment(
    slug: Annotated[str, Path(json_schema_extra={"pattern": SLUG_PATTERN})],
    comment: Annotated[CommentSubmission, Body(), parsed_by(_submission)],
) -> Response[str]:
    settings, event = get_settings(), api().current_event
    rules = IntakeRules.from_lists(
        disallowed=settings.comment_disallowed, moderation=settings.comment_moderation,
        flood_seconds=settings.comment_flood_seconds, max_depth=settings.comment_max_depth,
        close_days=settings.comments_close_days,
    )  # fmt: skip
    accepted = submit(
        slug, comment, source_ip=event.request_context.identity.source_ip,
        articles=stores().articles, comments=stores().comments,
        secret=aws.secret(settings.comment_secret_arn), rules=rules, now=datetime.now(UTC),
    )  # fmt: skip
    return json_response(201, accepted)


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return api().resolve(event, context)
