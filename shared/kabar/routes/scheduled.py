"""UploadsFunction's schedule routes: ``GET /scheduled`` (what goes public later, soonest first)
and ``DELETE /scheduled/{slug}`` (cancel an article's schedule; it is kept as a draft)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from kabar.api import EDITORS, FORBIDDEN, INVALID, Resolver, answers, json_response
from kabar.errors import BadCursor, InvalidRequest
from kabar.rest import Answer
from kabar.routing import Path, Query, Route, page_size
from kabar.slugs import SLUG_PATTERN

LIST = Route(
    "GET", "/scheduled", "Scheduled and embargoed articles, soonest first (editors)", security=EDITORS,
    query={
        "limit": Query("integer", 25, minimum=1, maximum=100, read=page_size),
        "cursor": Query(description="The `next` of the previous page"),
    },
    responses=answers(200, "ScheduledPage", "One page of what goes public later", INVALID | FORBIDDEN),
)  # fmt: skip
CANCEL = Route(
    "DELETE", "/scheduled/{slug}", "Cancel an article's schedule: it is kept as a draft (editors)",
    security=EDITORS, path_params={"slug": Path(SLUG_PATTERN, "The article's slug")},
    responses=answers(200, "ScheduleCancelled", "Cancelled: the article's next version is a draft",
                      FORBIDDEN | {404: "No such article", 409: "The article is not scheduled"}),
)  # fmt: skip


def bind_scheduled(app: Resolver, editor: Callable[[], str]) -> None:
    """The schedule handlers (``editor()``: the calling editor, or Forbidden)."""
    from kabar.deps import release_schedules, stores
    from kabar.settings import get_settings

    @app.bind(LIST)
    def list_scheduled(limit: int, cursor: str | None) -> Answer:
        from kabar.workflows.releases import scheduled_view

        editor()
        try:
            page, following = stores().releases.page(limit=limit, cursor=cursor)
        except BadCursor:
            problem = {"field": "cursor", "message": "is not a cursor this list gave (use the 'next' value "
                                                     "of the previous page)"}  # fmt: skip
            raise InvalidRequest("the request is not valid", [problem]) from None
        offset, now = get_settings().urls.offset, datetime.now(UTC)
        articles: list[dict[str, Any]] = [scheduled_view(entry, offset, now) for entry in page]
        return json_response(200, {"articles": articles, "next": following})

    @app.bind(CANCEL)
    def cancel_scheduled(slug: str) -> Answer:
        from kabar.workflows import releases

        by = editor()
        schedules = release_schedules()
        draft = releases.cancel(slug, by, articles=stores().articles, writes=stores().releases,
                                schedules=schedules or _NoSchedules())  # fmt: skip
        return json_response(200, {"slug": slug, "version": draft.version, "status": draft.status,
                                   "cancelled_by": by})  # fmt: skip


class _NoSchedules:
    """Where no schedule group is set there is no schedule to delete."""

    def delete(self, slug: str) -> bool:
        return False
