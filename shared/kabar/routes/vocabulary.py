"""VocabularyFunction's routes: ``GET/PUT /tags``, ``PUT /tags/{slug}``, ``POST /tags/{slug}/merge``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kabar.api import EDITORS, FORBIDDEN, INVALID, JSON_ONLY, answers
from kabar.routing import Body, Path, Route
from kabar.slugs import SLUG_PATTERN
from kabar.workflows.vocabulary import bulk_request, merge_request, tag_request

if TYPE_CHECKING:  # the handlers' types of the bodies (pydantic: imported when a body is read)
    from kabar.workflows.vocabulary_forms import BulkRequest, MergeRequest, TagRequest  # noqa: F401

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
