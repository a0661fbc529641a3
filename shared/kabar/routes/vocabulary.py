"""VocabularyFunction's routes: ``GET/PUT /tags``, ``PUT /tags/{slug}``, ``POST /tags/{slug}/merge``,
``GET /tags/aliases`` and ``POST /tags/{slug}/aliases``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kabar.api import EDITORS, FORBIDDEN, INVALID, JSON_ONLY, Resolver, answers, json_response
from kabar.rest import Answer
from kabar.routing import Body, Path, Route
from kabar.slugs import SLUG_PATTERN
from kabar.workflows.aliases import alias_decision
from kabar.workflows.vocabulary import bulk_request, merge_request, tag_request

if TYPE_CHECKING:  # the handlers' types of the bodies (pydantic: imported when a body is read)
    from kabar.workflows.vocabulary_forms import AliasDecision, BulkRequest, MergeRequest, TagRequest  # noqa: F401

FORMS = "kabar.workflows.vocabulary_forms:"
SLUG = {"slug": Path(SLUG_PATTERN)}
TAKEN = "An alias (or the name) already belongs to another tag; the message names both"
MERGED = "Merged; the articles are being moved"
CHANGES = INVALID | FORBIDDEN | {409: TAKEN} | JSON_ONLY

LIST = Route(
    "GET", "/tags", "The tag vocabulary", security=EDITORS,
    responses=answers(200, "TagList", "Every vocabulary tag, by slug", FORBIDDEN),
)  # fmt: skip
LOAD = Route(
    "PUT", "/tags", "Load many vocabulary tags at once", security=EDITORS,
    body=("bulk", Body(bulk_request, FORMS + "BulkRequest")),
    responses=answers(200, "TagList", "The stored tags", CHANGES),
)  # fmt: skip
PUT = Route(
    "PUT", "/tags/{slug}", "Create or replace one vocabulary tag", security=EDITORS, path_params=SLUG,
    body=("tag", Body(tag_request, FORMS + "TagRequest")),
    responses=answers(200, "TagEntry", "The stored tag", CHANGES),
)  # fmt: skip
MERGE = Route(
    "POST", "/tags/{slug}/merge", "Merge a tag into another", security=EDITORS, path_params=SLUG,
    body=("request", Body(merge_request, FORMS + "MergeRequest")),
    responses=answers(202, "TagEntry", MERGED, INVALID | FORBIDDEN | {404: "No such tag"} | JSON_ONLY),
)  # fmt: skip
ALIASES = Route(
    "GET", "/tags/aliases", "Forms articles gave tags' names, offered as aliases", security=EDITORS,
    responses=answers(200, "AliasOffers", "The offers waiting for an editor, by tag", FORBIDDEN),
)  # fmt: skip
DECIDE = Route(
    "POST", "/tags/{slug}/aliases", "Accept or reject an offered alias", security=EDITORS, path_params=SLUG,
    body=("decision", Body(alias_decision, FORMS + "AliasDecision")),
    responses=answers(200, "AliasOffer", "Decided; an accepted alias is now the vocabulary tag's",
                      CHANGES | {404: "No such alias is offered for the tag"}),
)  # fmt: skip


def bind_alias_offers(app: Resolver, editor: Callable[[], str]) -> None:
    """VocabularyFunction's alias-offer handlers (``editor()``: the calling editor, or Forbidden)."""
    from kabar.deps import stores
    from kabar.observability import logger
    from kabar.workflows import aliases

    @app.bind(ALIASES)
    def offered() -> Answer:
        editor()
        return json_response(
            200, {"aliases": [o.to_json() for o in aliases.waiting_offers(aliases=stores().aliases)]}
        )

    @app.bind(DECIDE)
    def decide(slug: str, decision: AliasDecision) -> Answer:
        offer = aliases.decide(slug, decision, aliases=stores().aliases, vocabulary=stores().vocabulary)
        logger.info("alias decided", extra={"editor": editor(), "slug": slug, "alias": offer.alias,
                                            "status": offer.status})  # fmt: skip
        return json_response(200, offer.to_json())
