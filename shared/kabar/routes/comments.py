"""CommentsFunction's route: the public ``POST /articles/{slug}/comments``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body, Path

from kabar.api import INVALID, answers, parsed_by
from kabar.settings import Settings
from kabar.slugs import SLUG_PATTERN
from kabar.text.comment_rules import CommentSubmission
from kabar.workflows.comments import IntakeRules

Slug = Annotated[str, Path(json_schema_extra={"pattern": SLUG_PATTERN})]
REFUSED = INVALID | {
    403: "Comments are closed on this article", 404: "No published article with this slug",
    409: "The same comment was already posted",
    413: "The body, or the content, is too large; errors name which",
    415: "Not sent with Content-Type: application/json (which makes a browser ask CORS first)",
    429: "Too soon after the last comment from this email or network",
}  # fmt: skip
POST: dict[str, Any] = {
    "summary": "Post a reader's comment (public)",
    "responses": answers(201, "Taken", "Taken; whether it is published or waits", REFUSED),
}


def submission(read: Callable[[Any], CommentSubmission]) -> Any:
    """The comment body's parameter type, read by ``read`` (which knows the raw body's size)."""
    return Annotated[CommentSubmission, Body(), parsed_by(read)]


def rules(settings: Settings) -> IntakeRules:
    """The intake's rules as the site's settings give them."""
    return IntakeRules.from_lists(
        disallowed=settings.comment_disallowed, moderation=settings.comment_moderation,
        flood_seconds=settings.comment_flood_seconds, max_depth=settings.comment_max_depth,
        close_days=settings.comments_close_days,
    )  # fmt: skip
