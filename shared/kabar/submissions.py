"""What editors submit: an article file's fields, and the rules every field is checked by.

The trust boundary. :func:`check_article` takes the fields a parsed file holds (the front matter
and the body, or a JSON object) and returns the :class:`ArticleSubmission`, or every reason the
fields cannot be one: a missing, unknown or malformed field, each list item that is wrong, each at
its path (``tags.2``), so an editor fixes everything in one go.

Kabar checks these itself rather than through pydantic: PublishFunction validates one file per
upload, and importing pydantic and building the model's validator was about 90 ms of its cold start
(docs/architecture.md, "Cold starts"). The rules and the messages are the ones the pydantic model
applied (``tests/support/pydantic_article.py`` keeps that model; a test compares the two on
generated files): what pydantic accepted, this accepts, converted the same way (text stripped of
white space, a time with its UTC offset), and the content hash of an unchanged file is unchanged.
Two holes are closed: bytes (YAML's ``!!binary``) are not text, so they cannot slip past the plain
text rules, and a time is never read from bytes as seconds since 1970. The checks are
:mod:`kabar.checks`; :func:`reason` words their problems as an upload's status does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any, get_args

from kabar.checks import (
    REQUIRED,
    Check,
    Invalid,
    Problem,
    check_fields,
    items,
    nullable,
    one_of,
    record,
    text,
)
from kabar.models import CommentsSetting, Correction, FieldError, SubmittedStatus
from kabar.record import Record
from kabar.slugs import SLUG_PATTERN, slugify
from kabar.text.plain import plain_text

CODE_PATTERN = r"^[A-Z][A-Z0-9]{0,9}$"
ISO_TIME = "must be an ISO 8601 time with a UTC offset, e.g. 2026-11-24T09:00:00+07:00"
NEEDS_OFFSET = "needs a time and a UTC offset, e.g. 2026-11-24T09:00:00+07:00"
NOT_A_NUMBER = f"{ISO_TIME}, not a number (a number is not read as seconds since 1970)"


@dataclass(kw_only=True)
class FeaturedImage(Record):
    """Front matter ``image``: a file uploaded with the article (its name) or a library image (its id)."""

    src: str
    alt: str
    caption: str | None = None
    credit: str | None = None
    focus: tuple[float, float] | None = None


@dataclass(kw_only=True)
class ArticleSubmission(Record):
    """One uploaded article: the front matter (or JSON fields) plus the Markdown body."""

    title: str
    subtitle: str | None = None
    lead: str | None = None
    category: str | None = None
    dateline: str | None = None
    author: list[str] = field(default_factory=list)  # the byline's names: one, or a list
    editors: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    embargo_until: datetime | None = None  # not public before then; the byline keeps published_at
    slug: str | None = None
    status: SubmittedStatus = "published"
    read_also: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)  # pinned related articles, first
    exclude_related: list[str] = field(default_factory=list)  # never listed as related
    comments: CommentsSetting = "open"
    body: str
    image: FeaturedImage | None = None
    corrections: list[Correction] = field(default_factory=list)


FIELDS = frozenset(spec.name for spec in fields(ArticleSubmission))


def codes(value: Any) -> list[str]:
    """Editor and source codes: "AL/ARN/RM" or "AL, RM" as the site prints them, or a list."""
    if isinstance(value, str):
        value = [part.strip() for part in re.split(r"[/,\s]+", value) if part.strip()]
    found: list[str] = _CODE_LIST(value)
    if len(found) > 20:
        raise Invalid("too_long", f"Value should have at most 20 items after validation, not {len(found)}")
    return found


_CODE_LIST = items(text(pattern=CODE_PATTERN))


def tags(value: Any) -> list[str]:
    found: list[str] = _TAG_LIST(value)
    for tag in found:
        if not slugify(tag):
            raise Invalid("value_error", f"tag {tag!r} has no letters or digits a-z, 0-9 to make its slug of")
    return found


_TAG_LIST = items(text(min_length=1, max_length=60, before=plain_text), max_length=30)
MAX_AUTHORS = 5  # a byline's names: each joins its author's list in the tags' one transaction


def authors(value: Any) -> list[str]:
    """Front matter ``author``: one name, or a list of them (the byline's order); each must make a
    slug (its author's list), and no two the same one."""
    if value is None:
        return []
    if isinstance(value, str):  # one name; blank (once tidied) is none
        name = _ONE_AUTHOR(value)
        return authors([name]) if name else []
    if not isinstance(value, list | tuple):
        raise Invalid("string_type", "Input should be a valid string")
    found: list[str] = _AUTHOR_LIST(value)
    slugs: dict[str, str] = {}
    for name in found:
        slug = slugify(name)
        if not slug:
            raise Invalid(
                "value_error", f"author {name!r} has no letters or digits a-z, 0-9 to make its slug of"
            )
        if slug in slugs:
            raise Invalid(
                "value_error", f"authors {slugs[slug]!r} and {name!r} are the same author (slug {slug!r})"
            )
        slugs[slug] = name
    return found


_ONE_AUTHOR = text(max_length=200, before=plain_text)
_AUTHOR_LIST = items(text(min_length=1, max_length=200, before=plain_text), max_length=MAX_AUTHORS)

# The times pydantic read: a date, then T (t, a space or _) and hh:mm[:ss[.fraction]], then Z or
# an offset (+07:00 or +0700); a date alone is midnight without an offset.
_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[Tt _]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]+))?)?"
    r"(?:([Zz])|([+-])([0-9]{2}):?([0-9]{2}))?)?"
)
_NUMBER = re.compile(r"\s*[-+]?[\d.]+\s*")


def moment(value: Any) -> datetime:
    """A time with its UTC offset: a YAML timestamp, or ISO 8601 text. Never a number, which
    would be read as seconds since 1970."""
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
        raise Invalid("value_error", NOT_A_NUMBER)
    if isinstance(value, str):
        value = _parse_time(value)
    elif isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if not isinstance(value, datetime):
        raise Invalid("datetime_parsing", ISO_TIME)
    if value.utcoffset() is None:
        raise Invalid("timezone_aware", NEEDS_OFFSET)
    return value


def _parse_time(value: str) -> datetime:
    found = _TIME.fullmatch(value)
    if found is None:
        raise Invalid("datetime_parsing", ISO_TIME)
    year, month, day, hour, minute, second, fraction, utc, sign, off_hours, off_minutes = found.groups()
    offset: timezone | None = UTC if utc else None
    if sign is not None:
        if int(off_hours) > 23 or int(off_minutes) > 59:
            raise Invalid("datetime_parsing", ISO_TIME)
        delta = timedelta(hours=int(off_hours), minutes=int(off_minutes))
        offset = timezone(-delta if sign == "-" else delta) if delta else UTC
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                        int(second or 0), micro, tzinfo=offset)  # fmt: skip
    except ValueError:  # the 30th of February, 24:00
        raise Invalid("datetime_parsing", ISO_TIME) from None


IMAGE_SHAPE = (
    "must be a mapping: src (a file name or an image id) and alt, and caption, credit, focus if wanted"
)
CORRECTION_SHAPE = "must be a mapping: at (when, with a UTC offset) and text (what was corrected)"
FOCUS = "must be two fractions [x, y] from 0 to 1 (across, down), e.g. [0.5, 0.3]"


def focus(value: Any) -> tuple[float, float]:
    """A focus point: two numbers from 0 to 1 (from the left, from the top)."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise Invalid("value_error", FOCUS)
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 1 for v in value):
        raise Invalid("value_error", FOCUS)
    return float(value[0]), float(value[1])


def featured(value: Any) -> FeaturedImage:
    """Front matter ``image``: ``{src, alt, caption, credit, focus}`` (``src``: a file name or image id)."""
    return FeaturedImage(**_IMAGE(value))


_IMAGE = record({
    "src": (text(min_length=1, max_length=200, before=plain_text), REQUIRED),
    "alt": (text(min_length=1, max_length=300, before=plain_text), REQUIRED),
    "caption": (nullable(text(max_length=1000, before=plain_text)), None),
    "credit": (nullable(text(max_length=200, before=plain_text)), None),
    "focus": (nullable(focus), None),
})  # fmt: skip


def correction(value: Any) -> Correction:
    """One entry of front matter ``corrections``: ``{at, text}``."""
    return Correction(**_CORRECTION(value))


_CORRECTION = record({
    "at": (moment, REQUIRED),
    "text": (text(min_length=1, max_length=1000, before=plain_text), REQUIRED),
})  # fmt: skip

SLUG = text(max_length=80, pattern=SLUG_PATTERN)
SLUGS = items(SLUG)

# Each field's check and its default, in the order its problems are listed.
RULES: dict[str, tuple[Check, Any]] = {
    "title": (text(min_length=1, max_length=300, before=plain_text), REQUIRED),
    "subtitle": (nullable(text(max_length=300, before=plain_text)), None),
    "lead": (nullable(text(max_length=2000, before=plain_text)), None),
    "category": (nullable(text(min_length=1, max_length=100, before=plain_text)), None),
    "dateline": (nullable(text(min_length=1, max_length=100, before=plain_text)), None),
    "author": (authors, []),
    "editors": (codes, []),
    "sources": (codes, []),
    "tags": (tags, []),
    "published_at": (nullable(moment), None),
    "embargo_until": (nullable(moment), None),
    "slug": (nullable(SLUG), None),
    "status": (one_of(get_args(SubmittedStatus)), "published"),
    "read_also": (items(SLUG, max_length=10), []),
    "related": (items(SLUG, max_length=10), []),
    "exclude_related": (items(SLUG, max_length=50), []),
    "comments": (one_of(get_args(CommentsSetting)), "open"),
    "body": (text(min_length=1, max_length=200_000), REQUIRED),
    "image": (nullable(featured), None),
    "corrections": (items(correction, max_length=20), []),
}
_RANK = {name: rank for rank, name in enumerate(RULES)}


def check_article(given: Mapping[str, Any]) -> tuple[ArticleSubmission | None, list[FieldError]]:
    """The submission ``given`` holds, or ``None`` and every reason it cannot be one."""
    values, problems = check_fields(RULES, given)
    title = values.get("title")
    if "slug" in values and values["slug"] is None and isinstance(title, str) and not slugify(title):
        problems.append(Problem("slug", "value_error", (
            f"is needed: the title {title[:40]!r} has no letters or digits a-z, 0-9 to make one of; "
            "add e.g. 'slug: judul-berita' (lower-case a-z, 0-9 and hyphens)")))  # fmt: skip
        problems.sort(key=lambda problem: _RANK.get(problem.at.split(".")[0], len(RULES)))
    if problems:
        return None, [FieldError(field=problem.at, message=reason(problem)) for problem in problems]
    return ArticleSubmission(**values), []


def reason(problem: Problem) -> str:
    """A problem in the words of an upload's status."""
    if problem.kind == "missing":
        return "is required"
    if problem.kind == "extra_forbidden":
        return "is not a known field"
    if problem.kind == "dict_type":
        return CORRECTION_SHAPE if problem.at.startswith("corrections.") else IMAGE_SHAPE
    if problem.kind == "string_too_short" and problem.context["min_length"] == 1:
        return "must not be empty"
    if problem.kind == "string_too_long":
        return (
            f"must be at most {problem.context['max_length']} characters (it has {problem.context['length']})"
        )
    return str(problem.message)
