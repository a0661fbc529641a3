"""CommentsFunction: the public comment intake (POST /articles/{slug}/comments), with CORS."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar import aws
from kabar.api import cors, json_body, json_response, resolver
from kabar.deps import stores
from kabar.observability import logger
from kabar.settings import get_settings
from kabar.workflows.comments import IntakeRules, submit


@cache
def api() -> APIGatewayRestResolver:
    """The resolver, built on first use: its CORS origins are a setting."""
    app = resolver(cors(get_settings().comment_origins))
    app.post("/articles/<slug>/comments")(post_comment)
    return app


def post_comment(slug: str) -> Response[str]:
    settings = get_settings()
    rules = IntakeRules.from_lists(
        disallowed=settings.comment_disallowed, moderation=settings.comment_moderation,
        flood_seconds=settings.comment_flood_seconds, max_depth=settings.comment_max_depth,
        close_days=settings.comments_close_days,
    )  # fmt: skip
    app = api()
    event = app.current_event
    raw = event.body or ""
    accepted = submit(
        slug, json_body(app) if raw else None, source_ip=event.request_context.identity.source_ip,
        raw_size=len(raw.encode()), articles=stores().articles, comments=stores().comments,
        secret=aws.secret(settings.comment_secret_arn),
        rules=rules, now=datetime.now(UTC),
    )  # fmt: skip
    return json_response(201, accepted)


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return api().resolve(event, context)
