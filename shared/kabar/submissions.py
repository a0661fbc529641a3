"""What editors submit, validated by pydantic: the article file and its plain-text rules.

The trust boundary. Only the functions that read editors' input import this module
(PublishFunction, and the upload and vocabulary APIs' bodies); what became of an upload is
Kabar's own record (:class:`kabar.models.Upload`), a plain dataclass like every record the
stages read, which no cold start pays pydantic for.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from kabar.models import ArticleStatus, CommentsSetting
from kabar.slugs import SLUG_PATTERN, slugify
from kabar.text.plain import TAG, control_problem, tidy

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
Code = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{0,9}$")]


def _split_codes(value: Any) -> Any:
    """Accept "AL/ARN/RM" or "AL, RM" as well as a list, as the site prints them."""
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[/,\s]+", value) if part.strip()]
    return value


def _plain_text(value: Any) -> Any:
    """Plain-text fields are text: HTML (a tag, closed or not) or a control or direction-changing
    character in them is an error the editor fixes; invisible formatting that pasted text carries
    (zero-width spaces, left-to-right marks, soft hyphens) is dropped."""
    if isinstance(value, str):
        value = tidy(value)
        if TAG.search(value):  # "a < b" is text, "<b" and "<img src=x" are not
            raise ValueError("HTML is not allowed here; this field is plain text")
        problem = control_problem(value)
        if problem:
            raise ValueError(problem)
    return value


# The rule of every editor's plain field. Annotated after the field's length (``Annotated[str,
# Field(max_length=300), PLAIN_TEXT]``), so that a long value is "at most 300 characters".
PLAIN_TEXT = BeforeValidator(_plain_text)
_TIME_NOT_NUMBER = (
    "must be an ISO 8601 time with a UTC offset, e.g. 2026-11-24T09:00:00+07:00, not a number "
    "(a number is not read as seconds since 1970)"
)


def _not_a_number(value: Any) -> Any:
    """A time is written as a time: pydantic would take 1700000000 (or "1700000000") for seconds."""
    if isinstance(value, int | float) or (
        isinstance(value, str) and re.fullmatch(r"\s*[-+]?[\d.]+\s*", value)
    ):
        raise ValueError(_TIME_NOT_NUMBER)
    return value


class Model(BaseModel):
    """Kabar's models: each builds its validator when first used, not at import (a function's
    cold start pays only for the models it uses)."""

    model_config = ConfigDict(defer_build=True)


Codes = Annotated[list[Code], BeforeValidator(_split_codes), Field(max_length=20)]


class ArticleSubmission(Model):
    """One uploaded article: the front matter (or JSON fields) plus the Markdown body."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: Annotated[str, Field(min_length=1, max_length=300), PLAIN_TEXT]
    subtitle: Annotated[str, Field(max_length=300), PLAIN_TEXT] | None = None
    lead: Annotated[str, Field(max_length=2000), PLAIN_TEXT] | None = None
    category: Annotated[str, Field(min_length=1, max_length=100), PLAIN_TEXT] | None = None
    dateline: Annotated[str, Field(min_length=1, max_length=100), PLAIN_TEXT] | None = None
    author: Annotated[str, Field(max_length=200), PLAIN_TEXT] | None = None
    editors: Codes = []
    sources: Codes = []
    tags: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=60), PLAIN_TEXT]], Field(max_length=30)
    ] = []
    published_at: Annotated[AwareDatetime, BeforeValidator(_not_a_number)] | None = None
    slug: Annotated[Slug | None, Field(validate_default=True)] = None
    status: ArticleStatus = "published"
    read_also: Annotated[list[Slug], Field(max_length=10)] = []
    related: Annotated[list[Slug], Field(max_length=10)] = []  # pinned related articles, first
    exclude_related: Annotated[list[Slug], Field(max_length=50)] = []  # never listed as related
    comments: CommentsSetting = "open"
    body: Annotated[str, Field(min_length=1, max_length=200_000)]

    @field_validator("tags")
    @classmethod
    def _tags_have_slugs(cls, tags: list[str]) -> list[str]:
        for tag in tags:
            if not slugify(tag):
                raise ValueError(f"tag {tag!r} has no letters or digits a-z, 0-9 to make its slug of")
        return tags

    @field_validator("slug")
    @classmethod
    def _slug_when_the_title_makes_none(cls, slug: str | None, info: ValidationInfo) -> str | None:
        title = info.data.get("title")
        if slug is None and isinstance(title, str) and not slugify(title):
            raise ValueError(
                f"is needed: the title {title[:40]!r} has no letters or digits a-z, 0-9 to make one of; "
                "add e.g. 'slug: judul-berita' (lower-case a-z, 0-9 and hyphens)"
            )
        return slug
