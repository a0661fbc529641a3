"""The article file's rules as a pydantic model: how Kabar checked articles until kabar.submissions
checked them itself (for PublishFunction's cold start). tests/unit/test_submission_rules.py holds the
two to the same answers on generated files; a rule changed in one and not the other fails there.

Only what the two were meant to differ on is left out of the comparison: bytes (pydantic took them
for text, and for a time as seconds since 1970), and the length a too long text reports (pydantic
counted the white space it strips).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from kabar.models import CommentsSetting, FieldError, SubmittedStatus
from kabar.slugs import SLUG_PATTERN, slugify
from kabar.submissions import CORRECTION_SHAPE, IMAGE_SHAPE, ISO_TIME, NEEDS_OFFSET, NOT_A_NUMBER
from kabar.text.plain import plain_text

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
Code = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{0,9}$")]
PLAIN_TEXT = BeforeValidator(lambda value: plain_text(value) if isinstance(value, str) else value)


def _split_codes(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[/,\s]+", value) if part.strip()]
    return value


def _not_a_number(value: Any) -> Any:
    if isinstance(value, int | float) or (
        isinstance(value, str) and re.fullmatch(r"\s*[-+]?[\d.]+\s*", value)
    ):
        raise ValueError(NOT_A_NUMBER)
    return value


Codes = Annotated[list[Code], BeforeValidator(_split_codes), Field(max_length=20)]


class PydanticImage(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    src: Annotated[str, Field(min_length=1, max_length=200), PLAIN_TEXT]
    alt: Annotated[str, Field(min_length=1, max_length=300), PLAIN_TEXT]
    caption: Annotated[str, Field(max_length=1000), PLAIN_TEXT] | None = None
    credit: Annotated[str, Field(max_length=200), PLAIN_TEXT] | None = None
    focus: tuple[float, float] | None = None  # its own rule is tested on its own (test_submission_rules)


BLANK_IS_NONE = AfterValidator(lambda value: value or None)


class PydanticCorrection(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    at: Annotated[AwareDatetime, BeforeValidator(_not_a_number)]
    text: Annotated[str, Field(min_length=1, max_length=1000), PLAIN_TEXT]


class PydanticArticle(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: Annotated[str, Field(min_length=1, max_length=300), PLAIN_TEXT]
    subtitle: Annotated[str, Field(max_length=300), PLAIN_TEXT] | None = None
    lead: Annotated[str, Field(max_length=2000), PLAIN_TEXT] | None = None
    category: Annotated[str, Field(min_length=1, max_length=100), PLAIN_TEXT] | None = None
    dateline: Annotated[str, Field(min_length=1, max_length=100), PLAIN_TEXT] | None = None
    # One name (a list of them is Kabar's alone, tested on its own); blank is none.
    author: Annotated[str | None, Field(max_length=200), PLAIN_TEXT, BLANK_IS_NONE] = None
    editors: Codes = []
    sources: Codes = []
    tags: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=60), PLAIN_TEXT]], Field(max_length=30)
    ] = []
    published_at: Annotated[AwareDatetime, BeforeValidator(_not_a_number)] | None = None
    embargo_until: Annotated[AwareDatetime, BeforeValidator(_not_a_number)] | None = None
    slug: Annotated[Slug | None, Field(validate_default=True)] = None
    status: SubmittedStatus = "published"
    read_also: Annotated[list[Slug], Field(max_length=10)] = []
    related: Annotated[list[Slug], Field(max_length=10)] = []
    exclude_related: Annotated[list[Slug], Field(max_length=50)] = []
    comments: CommentsSetting = "open"
    body: Annotated[str, Field(min_length=1, max_length=200_000)]
    image: PydanticImage | None = None
    corrections: Annotated[list[PydanticCorrection], Field(max_length=20)] = []

    @field_validator("tags")
    @classmethod
    def _tags_have_slugs(cls, tags: list[str]) -> list[str]:
        for tag in tags:
            if not slugify(tag):
                raise ValueError(f"tag {tag!r} has no letters or digits a-z, 0-9 to make its slug of")
        return tags

    @field_validator("author")
    @classmethod
    def _author_has_a_slug(cls, author: str | None) -> str | None:
        if author and not slugify(author):  # their list's
            raise ValueError(f"author {author!r} has no letters or digits a-z, 0-9 to make its slug of")
        return author

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


_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a known field",
    "timezone_aware": NEEDS_OFFSET,
    "datetime_type": ISO_TIME,
    "datetime_parsing": ISO_TIME,
    "datetime_from_date_parsing": ISO_TIME,
    "model_type": IMAGE_SHAPE,
}


def pydantic_answer(fields: dict[str, Any]) -> dict[str, Any] | list[FieldError]:
    """The article as JSON (what its content hash is made of), or the reasons, as Kabar wrote them."""
    try:
        return PydanticArticle.model_validate(fields).model_dump(mode="json")
    except ValidationError as exc:
        errors = []
        for error in exc.errors(include_url=False):
            field = ".".join(str(part) for part in error["loc"])
            message = _MESSAGES.get(error["type"], error["msg"])
            if error["type"] == "model_type" and field.startswith("corrections."):
                message = CORRECTION_SHAPE
            if error["type"] == "string_too_short" and error.get("ctx", {}).get("min_length") == 1:
                message = "must not be empty"
            if error["type"] == "string_too_long" and isinstance(error.get("input"), str):
                message = f"must be at most {error['ctx']['max_length']} characters"
            errors.append(FieldError(field=field, message=message.removeprefix("Value error, ")))
        return errors
