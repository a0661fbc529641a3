"""ModerationFunction's routes: ``GET /comments``, ``POST /comments/{id}/<action>``,
``PUT /comments/{id}``, ``GET /spam-names`` and ``DELETE /spam-names/{name}``."""

from __future__ import annotations

from kabar.api import FORBIDDEN, INVALID, JSON_ONLY, MODERATORS, answers
from kabar.routing import Body, Path, Query, Route
from kabar.workflows import moderation

COMMENT_ID = {"comment_id": Path("^[0-9A-Za-z]{8,40}$")}
CHANGED = "The comment as it is now, and whether this request changed it"
RACED = "Another moderator changed the comment meanwhile; read it again"
REFUSED = FORBIDDEN | {404: "No such comment", 409: RACED}
EDITS = INVALID | REFUSED | {413: "The content is too long; errors name it"} | JSON_ONLY

QUEUE = Route(
    "GET", "/comments", "A moderation queue, oldest first (moderators)", security=MODERATORS,
    query={
        "status": Query(default="pending", description=moderation.QUEUED, enum=moderation.QUEUES),
        "limit": Query("integer", 25, minimum=1, maximum=100, read=moderation.page_size),
        "cursor": Query(description="The `next` of the previous page"),
    },
    responses=answers(200, "Queue", "One page of the queue", INVALID | FORBIDDEN),
)  # fmt: skip
EDIT = Route(
    "PUT", "/comments/{comment_id}", "Edit a comment's name, website or content (moderators)",
    security=MODERATORS, path_params=COMMENT_ID,
    body=("fix", Body(moderation.read_edit, "kabar.text.comment_forms:CommentEdit")),
    responses=answers(200, "Moderated", CHANGED, EDITS),
)  # fmt: skip
ACTIONS = {
    "approve": "Publish a comment (moderators)",
    "spam": "Mark a comment as spam (moderators)",
    "trash": "Trash a comment (moderators)",
}


def action(name: str) -> Route:
    """``POST /comments/{id}/<name>``; the same action again changes nothing (``changed: false``)."""
    return Route("POST", f"/comments/{{comment_id}}/{name}", ACTIONS[name], security=MODERATORS,
                 path_params=COMMENT_ID, responses=answers(200, "Moderated", CHANGED, REFUSED))  # fmt: skip


SPAM_NAMES = Route(
    "GET", "/spam-names", "The site's learned spam names, in order (moderators)", security=MODERATORS,
    query={
        "limit": Query("integer", 100, minimum=1, maximum=100, read=moderation.page_size),
        "cursor": Query(description="The `next` of the previous page"),
    },
    responses=answers(200, "SpamNames", "One page of the names, each with the comment it was learned from",
                      INVALID | FORBIDDEN),
)  # fmt: skip
FORGET_SPAM_NAME = Route(
    "DELETE", "/spam-names/{name}", "Stop holding comments that name it (moderators)", security=MODERATORS,
    path_params={"name": Path("^[0-9A-Za-z]{1,40}$")},
    responses=answers(200, "SpamNameForgotten", "The name, and whether it was learned", FORBIDDEN),
)  # fmt: skip
