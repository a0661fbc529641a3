"""CommentsFunction's route: the public ``POST /articles/{slug}/comments``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kabar.api import INVALID, answers
from kabar.routing import Body, Path, Route
from kabar.settings import Settings
from kabar.slugs import SLUG_PATTERN
from kabar.workflows.comments import IntakeRules

REFUSED = INVALID | {
    403: "Comments are closed on this article", 404: "No published article with this slug",
    409: "The same comment was already posted",
    413: "The body, or the content, is too large; errors name which",
    415: "Not sent with Content-Type: application/json (which makes a browser ask CORS first)",
    429: "Too soon after the last comment from this email, or too many a minute from this network",
}  # fmt: skip


def post(read: Callable[[Any], Any]) -> Route:
    """The intake's route; ``read`` reads the body (it knows the raw body's size)."""
    return Route(
        "POST", "/articles/{slug}/comments", "Post a reader's comment (public)", security=[],
        path_params={"slug": Path(SLUG_PATTERN)},
        body=("comment", Body(read, "kabar.text.comment_forms:CommentSubmission")),
        responses=answers(201, "Taken", "Taken; whether it is published or waits", REFUSED),
    )  # fmt: skip


def rules(settings: Settings) -> IntakeRules:
    """The intake's rules as the site's settings give them."""
    return IntakeRules.from_lists(
        disallowed=settings.comment_disallowed, moderation=settings.comment_moderation,
        flood_seconds=settings.comment_flood_seconds, max_depth=settings.comment_max_depth,
        network_limit=settings.comment_network_limit, purge_days=settings.comment_purge_days,
        close_days=settings.comments_close_days,
    )  # fmt: skip
