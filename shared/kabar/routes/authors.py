"""VocabularyFunction's author routes: ``GET /authors/{slug}`` and ``PUT /authors/{slug}``, the
profile an author's document (``v1/authors/<slug>.json``) shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kabar.api import EDITORS, FORBIDDEN, INVALID, JSON_ONLY, Resolver, answers, json_response
from kabar.rest import Answer
from kabar.routing import Body, Path, Route
from kabar.slugs import SLUG_PATTERN
from kabar.workflows.authors import author_request

if TYPE_CHECKING:  # the handler's type of the body (pydantic: imported when a body is read)
    from kabar.workflows.vocabulary_forms import AuthorRequest

SLUG = {"slug": Path(SLUG_PATTERN, "The author's slug: their byline name's (Ani Siregar: ani-siregar)")}

GET = Route(
    "GET", "/authors/{slug}", "An author's profile", security=EDITORS, path_params=SLUG,
    responses=answers(200, "AuthorProfile", "The stored profile",
                      INVALID | FORBIDDEN | {404: "No profile was set for the author"}),
)  # fmt: skip
PUT = Route(
    "PUT", "/authors/{slug}", "Set an author's profile (name, bio, url, image)", security=EDITORS,
    path_params=SLUG, body=("author", Body(author_request, "kabar.workflows.vocabulary_forms:AuthorRequest")),
    responses=answers(200, "AuthorProfile", "Stored; the author's document shows it within seconds",
                      INVALID | FORBIDDEN | JSON_ONLY),
)  # fmt: skip


def bind_authors(app: Resolver, editor: Callable[[], str]) -> None:
    """The author handlers (``editor()``: the calling editor, or Forbidden)."""
    from kabar.deps import stores
    from kabar.observability import logger
    from kabar.workflows import authors

    @app.bind(GET)
    def get_author(slug: str) -> Answer:
        editor()
        return json_response(200, authors.get_author(slug, authors=stores().authors).to_json())

    @app.bind(PUT)
    def put_author(slug: str, author: AuthorRequest) -> Answer:
        profile = authors.put_author(slug, author, authors=stores().authors, editor=editor())
        logger.info("author profile stored", extra={"editor": editor(), "slug": slug})
        return json_response(200, profile.to_json())
