"""The editors' directory API's bodies as pydantic models: ``PUT /tags/{slug}``, ``PUT /tags`` (a
bulk load), ``POST /tags/{slug}/merge``, ``POST /tags/{slug}/aliases`` and ``PUT /authors/{slug}``.
Imported when a body is read (:mod:`kabar.workflows.vocabulary`, :mod:`kabar.workflows.aliases`,
:mod:`kabar.workflows.authors`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from kabar.slugs import SLUG_PATTERN
from kabar.text.plain import plain_text

MAX_BULK = 500
# An editor's plain field, as in an article file (kabar.submissions): markup and control characters
# refused, invisible formatting dropped. Annotated after the field's length, so that a long value is
# "at most 60 characters".
PLAIN_TEXT = BeforeValidator(lambda value: plain_text(value) if isinstance(value, str) else value)
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
TagName = Annotated[str, Field(min_length=1, max_length=60), PLAIN_TEXT]


class TagRequest(BaseModel):
    """``PUT /tags/{slug}`` body: the tag's canonical name, its aliases, and whether it is blocked."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)  # cold starts

    name: Annotated[TagName, Field(examples=["Lebanon"])]
    aliases: Annotated[list[TagName], Field(max_length=50, examples=[["Libanon"]])] = []
    status: Literal["active", "blocked"] = "active"


class BulkTag(TagRequest):
    slug: Slug | None = None


class BulkRequest(BaseModel):
    """``PUT /tags`` body: many tags at once (a bulk load)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    tags: Annotated[list[BulkTag], Field(min_length=1, max_length=MAX_BULK)]


class MergeRequest(BaseModel):
    """``POST /tags/{slug}/merge`` body: the tag that takes over the merged one's articles."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    into: Annotated[Slug, Field(description="An active vocabulary tag", examples=["hizbullah"])]


class AliasDecision(BaseModel):
    """``POST /tags/{slug}/aliases`` body: an editor's decision on a form articles gave the tag's name."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)

    alias: Annotated[TagName, Field(description="The form offered (as `GET /tags/aliases` lists it)",
                                    examples=["Komisi Pemberantasan Korupsi"])]  # fmt: skip
    decision: Literal["accept", "reject"]


def _https(value: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname or any(c.isspace() for c in value):
        raise ValueError("must be an absolute https:// address")
    return value


HttpsUrl = Annotated[str, Field(max_length=500), AfterValidator(_https)]


class AuthorRequest(BaseModel):
    """``PUT /authors/{slug}`` body: what the author's page says of them (the slug is their byline's
    name's: "Ani Siregar" is ``ani-siregar``)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)

    name: Annotated[str, Field(min_length=1, max_length=200, examples=["Ani Siregar"]), PLAIN_TEXT]
    bio: (
        Annotated[str, Field(max_length=2000, examples=["Wartawan ekonomi sejak 2015."]), PLAIN_TEXT] | None
    ) = None
    url: Annotated[HttpsUrl, Field(examples=["https://x.com/anisiregar"])] | None = None
    image: Annotated[HttpsUrl, Field(examples=["https://cdn.kabar.example/penulis/ani.jpg"])] | None = None
