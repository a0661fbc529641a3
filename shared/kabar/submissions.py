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
text rules, and a time is never read from bytes as seconds since 1970.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any, get_args

from kabar.models import ArticleStatus, CommentsSetting, FieldError
from kabar.record import Record
from kabar.slugs import SLUG_PATTERN, slugify
from kabar.text.plain import plain_text

# pydantic's (Rust's) white space, which it strips from every text field (Python's str.strip also
# takes the separators U+001C-U+001F, which are not white space).
WHITE_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
)
CODE_PATTERN = r"^[A-Z][A-Z0-9]{0,9}$"
ISO_TIME = "must be an ISO 8601 time with a UTC offset, e.g. 2026-11-24T09:00:00+07:00"
NEEDS_OFFSET = "needs a time and a UTC offset, e.g. 2026-11-24T09:00:00+07:00"
NOT_A_NUMBER = f"{ISO_TIME}, not a number (a number is not read as seconds since 1970)"


@dataclass(kw_only=True)
class ArticleSubmission(Record):
    """One uploaded article: the front matter (or JSON fields) plus the Markdown body."""

    title: str
    subtitle: str | None = None
    lead: str | None = None
    category: str | None = None
    dateline: str | None = None
    author: str | None = None
    editors: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    slug: str | None = None
    status: ArticleStatus = "published"
    read_also: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)  # pinned related articles, first
    exclude_related: list[str] = field(default_factory=list)  # never listed as related
    comments: CommentsSetting = "open"
    body: str


FIELDS = frozenset(spec.name for spec in fields(ArticleSubmission))


class Invalid(ValueError):
    """Why a value cannot be a field's; ``errors`` holds (path below the field, message) pairs."""

    def __init__(self, message: str = "", errors: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.errors = errors if errors is not None else [("", message)]


Check = Callable[[Any], Any]


def text(*, empty: bool = True, max_length: int | None = None, plain: bool = False,
         pattern: str | None = None) -> Check:  # fmt: skip
    """A text field: stripped of white space, then its length (``empty=False``: at least one character)
    and its pattern; an editor's plain
    field refuses markup and control characters and drops invisible formatting first."""
    matches = re.compile(pattern.removeprefix("^").removesuffix("$")).fullmatch if pattern else None

    def check(value: Any) -> str:
        if plain and isinstance(value, str):
            try:
                value = plain_text(value)
            except ValueError as exc:
                raise Invalid(str(exc)) from None
        if not isinstance(value, str):
            raise Invalid("Input should be a valid string")
        value = stripped = value.strip(WHITE_SPACE)
        if not value and not empty:
            raise Invalid("must not be empty")
        if max_length is not None and len(value) > max_length:
            raise Invalid(f"must be at most {max_length} characters (it has {len(value)})")
        if matches is not None and not matches(value):
            raise Invalid(f"String should match pattern '{pattern}'")
        return stripped

    return check


def items(item: Check, *, max_length: int | None = None) -> Check:
    """A list (a YAML sequence or set, a JSON array) of at most ``max_length`` items, each checked:
    the error of every item that is wrong."""

    def check(value: Any) -> list[Any]:
        if not isinstance(value, list | tuple | set | frozenset):
            raise Invalid("Input should be a valid list")
        if max_length is not None and len(value) > max_length:
            raise Invalid(f"List should have at most {max_length} items after validation, not {len(value)}")
        out, errors = [], []
        for index, entry in enumerate(value):
            try:
                out.append(item(entry))
            except Invalid as exc:
                errors += [(f"{index}.{at}".rstrip("."), message) for at, message in exc.errors]
        if errors:
            raise Invalid(errors=errors)
        return out

    return check


def nullable(check: Check) -> Check:
    return lambda value: None if value is None else check(value)


def one_of(values: tuple[str, ...]) -> Check:
    quoted = [f"'{v}'" for v in values]
    message = (
        f"Input should be {' or '.join([', '.join(quoted[:-1]), quoted[-1]] if len(quoted) > 1 else quoted)}"
    )

    def check(value: Any) -> str:
        if not isinstance(value, str) or value not in values:
            raise Invalid(message)
        return value

    return check


def codes(value: Any) -> list[str]:
    """Editor and source codes: "AL/ARN/RM" or "AL, RM" as the site prints them, or a list."""
    if isinstance(value, str):
        value = [part.strip() for part in re.split(r"[/,\s]+", value) if part.strip()]
    found: list[str] = _CODE_LIST(value)
    if len(found) > 20:
        raise Invalid(f"Value should have at most 20 items after validation, not {len(found)}")
    return found


_CODE_LIST = items(text(pattern=CODE_PATTERN))


def tags(value: Any) -> list[str]:
    found: list[str] = _TAG_LIST(value)
    for tag in found:
        if not slugify(tag):
            raise Invalid(f"tag {tag!r} has no letters or digits a-z, 0-9 to make its slug of")
    return found


_TAG_LIST = items(text(empty=False, max_length=60, plain=True), max_length=30)

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
        raise Invalid(NOT_A_NUMBER)
    if isinstance(value, str):
        value = _parse_time(value)
    elif isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if not isinstance(value, datetime):
        raise Invalid(ISO_TIME)
    if value.utcoffset() is None:
        raise Invalid(NEEDS_OFFSET)
    return value


def _parse_time(value: str) -> datetime:
    found = _TIME.fullmatch(value)
    if found is None:
        raise Invalid(ISO_TIME)
    year, month, day, hour, minute, second, fraction, utc, sign, off_hours, off_minutes = found.groups()
    offset: timezone | None = UTC if utc else None
    if sign is not None:
        if int(off_hours) > 23 or int(off_minutes) > 59:
            raise Invalid(ISO_TIME)
        delta = timedelta(hours=int(off_hours), minutes=int(off_minutes))
        offset = timezone(-delta if sign == "-" else delta) if delta else UTC
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                        int(second or 0), micro, tzinfo=offset)  # fmt: skip
    except ValueError:  # the 30th of February, 24:00
        raise Invalid(ISO_TIME) from None


SLUG = text(max_length=80, pattern=SLUG_PATTERN)
SLUGS = items(SLUG)

# Each field's check, in the order its errors are listed; ``None`` marks a required field's absence.
RULES: dict[str, tuple[Check, Any]] = {
    "title": (text(empty=False, max_length=300, plain=True), None),
    "subtitle": (nullable(text(max_length=300, plain=True)), None),
    "lead": (nullable(text(max_length=2000, plain=True)), None),
    "category": (nullable(text(empty=False, max_length=100, plain=True)), None),
    "dateline": (nullable(text(empty=False, max_length=100, plain=True)), None),
    "author": (nullable(text(max_length=200, plain=True)), None),
    "editors": (codes, []),
    "sources": (codes, []),
    "tags": (tags, []),
    "published_at": (nullable(moment), None),
    "slug": (nullable(SLUG), None),
    "status": (one_of(get_args(ArticleStatus)), "published"),
    "read_also": (items(SLUG, max_length=10), []),
    "related": (items(SLUG, max_length=10), []),
    "exclude_related": (items(SLUG, max_length=50), []),
    "comments": (one_of(get_args(CommentsSetting)), "open"),
    "body": (text(empty=False, max_length=200_000), None),
}
REQUIRED = ("title", "body")


def check_article(given: Mapping[str, Any]) -> tuple[ArticleSubmission | None, list[FieldError]]:
    """The submission ``given`` holds, or ``None`` and every reason it cannot be one."""
    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    for name, (check, default) in RULES.items():
        if name not in given:
            if name in REQUIRED:
                errors.append(FieldError(field=name, message="is required"))
            elif name == "slug":
                _slug_from_the_title(values, errors)
            values[name] = list(default) if isinstance(default, list) else default
            continue
        try:
            values[name] = check(given[name])
        except Invalid as exc:
            errors += [FieldError(field=f"{name}.{at}".rstrip("."), message=m) for at, m in exc.errors]
            continue
        if name == "slug" and values[name] is None:
            _slug_from_the_title(values, errors)
    errors += [
        FieldError(field=str(name), message="is not a known field") for name in given if name not in RULES
    ]
    if errors:
        return None, errors
    return ArticleSubmission(**values), []


def _slug_from_the_title(values: dict[str, Any], errors: list[FieldError]) -> None:
    """Without a slug, the title makes one: a title without letters or digits needs a slug."""
    title = values.get("title")
    if isinstance(title, str) and not slugify(title):
        errors.append(FieldError(field="slug", message=(
            f"is needed: the title {title[:40]!r} has no letters or digits a-z, 0-9 to make one of; "
            "add e.g. 'slug: judul-berita' (lower-case a-z, 0-9 and hyphens)")))  # fmt: skip
