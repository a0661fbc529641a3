"""Authors' profiles editors set (``PUT /authors/{slug}``); RenderFunction shows them on the
author's document when the profile's stream record arrives (kabar.events.AuthorChanged)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from kabar.errors import InvalidRequest, NotFound
from kabar.slugs import is_slug

if TYPE_CHECKING:
    from kabar.documents import AuthorProfile
    from kabar.workflows.vocabulary_forms import AuthorRequest


class Authors(Protocol):
    def profile(self, slug: str) -> AuthorProfile | None: ...
    def put_profile(self, slug: str, profile: AuthorProfile, editor: str) -> None: ...


def author_request(body: object) -> AuthorRequest:
    """The ``PUT /authors/{slug}`` body, validated."""
    from kabar.workflows.vocabulary_forms import AuthorRequest  # pydantic: only when a body is read

    return AuthorRequest.model_validate(body)


def put_author(slug: str, request: AuthorRequest, *, authors: Authors, editor: str) -> AuthorProfile:
    """Store an author's profile (replacing any before): the profile stored."""
    from kabar.documents import AuthorProfile  # the documents' models: on use (cold starts)

    _check_slug(slug)
    profile = AuthorProfile(name=request.name, bio=request.bio or None, url=request.url, image=request.image)
    authors.put_profile(slug, profile, editor)
    return profile


def get_author(slug: str, *, authors: Authors) -> AuthorProfile:
    _check_slug(slug)
    profile = authors.profile(slug)
    if profile is None:
        raise NotFound(f"no profile for author {slug!r}")
    return profile


def _check_slug(slug: str) -> None:
    if not is_slug(slug):
        raise InvalidRequest(
            "not an author slug", [{"field": "slug", "message": "lower-case letters, digits and hyphens"}]
        )
