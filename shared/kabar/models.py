"""Domain models: what editors submit, what the table stores, upload status.

Public documents (what the CDN serves) live in :mod:`kabar.documents`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Literal, NamedTuple

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

from kabar.slugs import SLUG_PATTERN, slugify
from kabar.text.plain import TAG, control_problem, tidy

if TYPE_CHECKING:
    from kabar.documents import ArticleSummary

ArticleStatus = Literal["draft", "published"]
CommentsSetting = Literal["open", "closed"]
TagStatus = Literal["active", "blocked", "merged"]
CommentStatus = Literal["approved", "pending", "spam", "trash"]
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


class FieldError(Model):
    """One reason an upload was rejected (or a warning): which field, and what is wrong."""

    field: str
    message: str


class UploadState(StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    EXPIRED = "expired"  # no file processed when its ticket expired

    @property
    def awaits_file(self) -> bool:
        """Whether a file arriving now is processed: pending, or expired (S3 refuses posts after
        the ticket's expiry, so a file that arrives was posted in time and is processed)."""
        return self in (UploadState.PENDING, UploadState.EXPIRED)


class IgnoredFile(Model):
    """A file that arrived under an upload already processed (its ticket used again): it was not
    published, and is kept in the incoming bucket."""

    key: str
    size: int
    sha256: str
    received_at: datetime
    message: str


class ArticleRef(Model):
    """Where a published upload went."""

    slug: str
    version: int
    status: ArticleStatus
    path: str
    url: str | None = None


class Upload(Model):
    """An upload request and what became of it."""

    upload_id: str
    state: UploadState
    filename: str
    content_type: str
    key: str
    created_at: datetime
    created_by: str
    expires_at: Annotated[datetime | None, Field(description="When the ticket expires")] = None
    processed_at: datetime | None = None
    article: ArticleRef | None = None
    unchanged: bool = False
    errors: list[FieldError] = []
    warnings: list[FieldError] = []
    sha256: Annotated[str | None, Field(description="SHA-256 of the file processed (once read)")] = None
    ignored_files: Annotated[
        list[IgnoredFile], Field(description="Files posted with the ticket after the upload was processed: "
                                 "not published, kept in the incoming bucket (the first 10)"),
    ] = []  # fmt: skip


class Category(Model):
    name: str
    slug: str


class TagRef(Model):
    name: str
    slug: str


class ScoredTag(Model):
    """One of an article's tags: where it came from, and how strongly the text supports it."""

    name: str
    slug: str
    score: float
    origin: Literal["editor", "vocabulary", "suggested"]


class ArticleTags(Model):
    """An article's tags as TaggingFunction computed them from one version."""

    slug: str
    version: int
    status: ArticleStatus
    published_at: datetime | None = None  # while published: where the article sits in its lists
    tags: list[ScoredTag] = []
    pending: list[ScoredTag] = []  # suggestions outside the vocabulary, waiting for an editor
    revision: int = 0  # re-tags of the same version (after a vocabulary merge) count up
    terms: dict[str, float] = {}  # the text vector related-article scoring compares (kabar.text.relatedness)


class RelatedEntry(Model):
    slug: str
    score: float


class RelatedList(Model):
    """An article's related articles as RelatedFunction keeps them.

    ``auto`` holds the best-scoring articles (at most k less the pins, best first);
    ``pinned`` and ``excluded`` are the editor's, copied from the article so that
    another article's publish can update this list without reading this article.
    """

    slug: str
    version: int  # the article version the list was computed for
    tags_revision: int = 0  # ... and the revision of that version's tags
    revision: int = 0  # every write counts up; writes are conditional on it
    auto: list[RelatedEntry] = []
    pinned: list[str] = []
    excluded: list[str] = []


class Article(Model):
    """An article as the table stores it (the current version and each history entry)."""

    slug: str
    version: int
    status: ArticleStatus
    title: str
    subtitle: str | None = None
    lead: str | None = None
    category: Category | None = None
    dateline: str | None = None
    author: str | None = None
    editors: list[str] = []
    sources: list[str] = []
    tags: list[TagRef] = []
    published_at: datetime
    created_at: datetime
    updated_at: datetime
    body_html: str
    read_also: list[str] = []
    related: list[str] = []
    exclude_related: list[str] = []
    comments: CommentsSetting = "open"
    content_hash: str
    upload_id: str

    def summary(self) -> ArticleSummary:
        """What lists show of this article: the one summary shape (stored, listed, linked)."""
        from kabar.documents import (  # the documents' models: on use
            ArticleSummary,
            CategoryLink,
            article_path,
        )

        category = CategoryLink(name=self.category.name, slug=self.category.slug) if self.category else None
        return ArticleSummary(
            slug=self.slug, path=article_path(self.slug), title=self.title, subtitle=self.subtitle,
            lead=self.lead, category=category, published_at=self.published_at, updated_at=self.updated_at,
        )  # fmt: skip


class ArticleFacts(Model):
    """What other stages need of an article without its body: status, version, publish time,
    category, the editor's related-list choices and whether comments are open."""

    slug: str
    status: ArticleStatus
    version: int
    published_at: datetime
    category: Category | None = None
    related: list[str] = []
    exclude_related: list[str] = []
    comments: CommentsSetting = "open"

    @property
    def published(self) -> bool:
        return self.status == "published"


class VocabularyEntry(NamedTuple):
    """A tag the editors manage: its name and slug, whether usable (or merged), its aliases."""

    slug: str
    name: str
    status: TagStatus = "active"
    merged_into: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class TagCount:
    """A tag that has (or had) articles: its name as last given, and how many are published."""

    slug: str
    name: str
    count: int


class Candidate(NamedTuple):
    """An article a related list may name, as its list memberships describe it."""

    slug: str
    terms: dict[str, float]
    tags: tuple[str, ...]
    category: str | None
    published_at: datetime


class CommentHistory(NamedTuple):
    """A commenter's approved comments, the latest comment from them or their network
    (epoch seconds), and whether this very comment was made before. ``carried``: during a
    key rotation, the approved comments found under the previous key for a commenter the
    current key has no record of (the intake moves them to the current key's record)."""

    approved: int
    last_at: float | None
    duplicate: bool
    carried: int = 0


PUBLIC_FIELDS = ("id", "name", "website", "content_html", "created_at", "parent", "parent_name", "depth")
MODERATOR_FIELDS = (
    "id", "slug", "status", "reasons", "name", "website", "content", "content_html", "created_at",
    "parent", "parent_name", "depth", "seq", "moderated_by", "moderated_at", "edited_by", "edited_at",
)  # fmt: skip


class Comment(Model):
    """A comment as the table stores it. Email and address only as keyed hashes."""

    id: str
    slug: str
    parent: str | None = None
    parent_name: str | None = None  # the parent's name when the reply was made
    depth: int = 0
    name: str
    website: str | None = None
    content: str
    content_html: str
    status: CommentStatus
    reasons: list[str] = []
    created_at: str  # UTC, to the second: "2026-11-25T03:27:00Z"
    email_hash: str
    network_hash: str
    seq: int | None = None  # its approval number on the article, once approved
    moderated_by: str | None = None
    moderated_at: str | None = None
    edited_by: str | None = None
    edited_at: str | None = None
    revision: int | None = None  # every moderator change counts up; None before the first

    @property
    def approved(self) -> bool:
        return self.status == "approved"

    def public_view(self) -> dict[str, Any]:
        """What readers see (stored as the comment's ``summary``): never an email, IP or hash."""
        return {key: getattr(self, key) for key in PUBLIC_FIELDS}

    def moderator_view(self) -> dict[str, Any]:
        """What moderators see: the comment, the article, why it is where it is; never a hash."""
        return {key: getattr(self, key) for key in MODERATOR_FIELDS}
