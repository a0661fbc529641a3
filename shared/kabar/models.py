"""The records the table holds: uploads, articles, their tags and related lists, comments.

Plain dataclasses (:class:`kabar.record.Record`): Kabar writes them, so reading one back
converts its JSON types and validates nothing, and no function pays pydantic's import and
validator builds for them on its cold start. What editors submit is validated where it
enters, in :mod:`kabar.submissions`; public documents live in :mod:`kabar.documents`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from kabar.images.records import ImageInfo, ImageUse, UploadFile
from kabar.record import Record, described

if TYPE_CHECKING:
    from kabar.documents import ArticleSummary

SubmittedStatus = Literal["draft", "published"]  # stored "scheduled" until then (kabar.workflows.releases)
ArticleStatus = Literal["draft", "published", "scheduled"]
CommentsSetting = Literal["open", "closed"]
TagStatus = Literal["active", "blocked", "merged"]
CommentStatus = Literal["approved", "pending", "spam", "trash"]


class UploadState(StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    EXPIRED = "expired"  # no file processed when its ticket expired
    WAITING = "waiting"  # the article was read; images uploaded with it are still being processed
    STORED = "stored"  # an image uploaded alone is in the library
    SCHEDULED = "scheduled"  # the article is stored and goes public at release_at
    SUPERSEDED = "superseded"  # scheduled, then replaced by a later upload of the article before its time
    CANCELLED = "cancelled"  # scheduled, then its schedule cancelled (the article kept as a draft)

    @property
    def awaits_file(self) -> bool:
        """Whether a file arriving now is processed: pending, waiting (for its images), or expired
        (S3 refuses posts after the ticket's expiry, so a file that arrives was posted in time)."""
        return self in (UploadState.PENDING, UploadState.EXPIRED, UploadState.WAITING)


@dataclass(kw_only=True)
class FieldError(Record):
    """One reason an upload was rejected (or a warning): which field, and what is wrong."""

    field: str
    message: str


@dataclass(kw_only=True)
class IgnoredFile(Record):
    """A file that arrived under an upload already processed (its ticket used again): it was not
    published, and is kept in the incoming bucket."""

    key: str
    size: int
    sha256: str
    received_at: datetime
    message: str


@dataclass(kw_only=True)
class ArticleRef(Record):
    """Where a published upload went."""

    slug: str
    version: int
    status: ArticleStatus
    path: str
    url: str | None = None


@dataclass(kw_only=True)
class Upload(Record):
    """An upload request and what became of it."""

    upload_id: str
    state: UploadState
    filename: str
    content_type: str
    key: str
    created_at: datetime
    created_by: str
    expires_at: datetime | None = described("When the ticket expires", default=None)
    processed_at: datetime | None = None
    article: ArticleRef | None = None
    unchanged: bool = False
    errors: list[FieldError] = field(default_factory=list)
    warnings: list[FieldError] = field(default_factory=list)
    sha256: str | None = described("SHA-256 of the file processed (once read)", default=None)
    ignored_files: list[IgnoredFile] = described(
        "Files posted with the ticket after the upload was processed: not published, kept in the "
        "incoming bucket (the first 10)", default_factory=list,
    )  # fmt: skip
    kind: Literal["article", "image"] = described("An article (with its images), or an image alone",
                                                  default="article")  # fmt: skip
    files: dict[str, UploadFile] = described(
        "The images uploaded with the article (or the image uploaded alone), by file name",
        default_factory=dict,
    )  # fmt: skip
    waiting_until: datetime | None = described(
        "While waiting: when the article is rejected if its images are not processed by then", default=None
    )  # fmt: skip
    image: ImageInfo | None = described("An image uploaded alone, once stored", default=None)
    file_size: int | None = None  # while waiting: the article file's size and version, to resume with
    file_version: str | None = None
    release_at: datetime | None = described("Scheduled: when the article goes public (UTC)", default=None)
    release_at_given: str | None = described("Scheduled: that time as given, with its offset", default=None)
    released_at: datetime | None = described("When a scheduled article went public", default=None)
    superseded_by: str | None = described("Superseded: the next upload; cancelled: the editor", default=None)


@dataclass(kw_only=True)
class Category(Record):
    name: str
    slug: str


@dataclass(kw_only=True)
class AuthorRef(Record):
    """One name of an article's byline, and the slug of that author's list."""

    name: str
    slug: str


def byline_text(names: list[str]) -> str | None:
    """The byline as readers see it: "A", "A dan B", "A, B dan C" (None without a name)."""
    if len(names) < 2:
        return names[0] if names else None
    return f"{', '.join(names[:-1])} dan {names[-1]}"


@dataclass(kw_only=True)
class Correction(Record):
    """A correction an editor notes on an article (front matter ``corrections``): when, and what."""

    at: datetime
    text: str


@dataclass(kw_only=True)
class TagRef(Record):
    name: str
    slug: str


@dataclass(kw_only=True)
class ScoredTag(Record):
    """One of an article's tags: where it came from, and how strongly the text supports it."""

    name: str
    slug: str
    score: float
    origin: Literal["editor", "vocabulary", "suggested"]


TERM_LISTS = 3  # an article joins the lists of its profile's strongest stems (related candidates by text)


def list_terms(terms: Mapping[str, float], limit: int = TERM_LISTS) -> list[str]:
    """The stems whose lists an article joins: its profile's strongest ``limit`` (ties by stem)."""
    return sorted(terms, key=lambda term: (-terms[term], term))[:limit]


@dataclass(kw_only=True)
class ArticleTags(Record):
    """An article's tags as TaggingFunction computed them from one version."""

    slug: str
    version: int
    status: ArticleStatus
    published_at: datetime | None = None  # while published: where the article sits in its lists
    category: str | None = None  # while published: the slug of the category whose list it is in
    authors: list[str] = field(default_factory=list)  # while published: the slugs of its authors' lists
    tags: list[ScoredTag] = field(default_factory=list)
    pending: list[ScoredTag] = field(
        default_factory=list
    )  # suggestions outside the vocabulary, waiting for an editor
    revision: int = 0  # re-tags of the same version (after a vocabulary merge) count up
    terms: dict[str, float] = field(
        default_factory=dict
    )  # the text vector related-article scoring compares (kabar.text.relatedness)


@dataclass(kw_only=True)
class RelatedEntry(Record):
    slug: str
    score: float


@dataclass(kw_only=True)
class RelatedList(Record):
    """An article's related articles as RelatedFunction keeps them.

    ``auto`` holds the best-scoring articles (at most k less the pins, best first);
    ``pinned`` and ``excluded`` are the editor's, copied from the article so that
    another article's publish can update this list without reading this article.
    """

    slug: str
    version: int  # the article version the list was computed for
    tags_revision: int = 0  # ... and the revision of that version's tags
    revision: int = 0  # every write counts up; writes are conditional on it
    auto: list[RelatedEntry] = field(default_factory=list)
    pinned: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class Article(Record):
    """An article as the table stores it (the current version and each history entry)."""

    slug: str
    version: int
    status: ArticleStatus
    title: str
    subtitle: str | None = None
    lead: str | None = None
    category: Category | None = None
    dateline: str | None = None
    author: str | None = None  # the byline as readers see it (byline_text of the authors' names)
    authors: list[AuthorRef] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    tags: list[TagRef] = field(default_factory=list)
    published_at: datetime
    created_at: datetime
    updated_at: datetime
    body_html: str
    read_also: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    exclude_related: list[str] = field(default_factory=list)
    comments: CommentsSetting = "open"
    content_hash: str
    upload_id: str
    image: ImageUse | None = None  # the featured image
    images: list[ImageUse] = field(default_factory=list)  # the body's, in order (markers in body_html)
    corrections: list[Correction] = field(default_factory=list)  # oldest first
    embargo_until: datetime | None = None  # not public before then (front matter embargo_until)
    release_at: datetime | None = None  # scheduled: when it goes public (published_at or the embargo)

    def summary(self) -> ArticleSummary:
        """What lists show of this article: the one summary shape (stored, listed, linked)."""
        from kabar.documents import (  # the documents' models: on use
            ArticleSummary,
            AuthorLink,
            CategoryLink,
            article_path,
            author_path,
        )
        from kabar.images.markup import thumbnail

        category = CategoryLink(name=self.category.name, slug=self.category.slug) if self.category else None
        authors = [AuthorLink(name=a.name, slug=a.slug, path=author_path(a.slug)) for a in self.bylines()]
        return ArticleSummary(
            slug=self.slug, path=article_path(self.slug), title=self.title, subtitle=self.subtitle,
            lead=self.lead, category=category, author=self.author, authors=authors,
            published_at=self.published_at, updated_at=self.updated_at,
            image=thumbnail(self.image) if self.image else None,
        )  # fmt: skip

    def bylines(self) -> list[AuthorRef]:
        """The article's authors; for a version stored before articles kept them, its byline's one name."""
        if self.authors or not self.author:
            return list(self.authors)
        from kabar.slugs import slugify

        slug = slugify(self.author)
        return [AuthorRef(name=self.author, slug=slug)] if slug else []


@dataclass(kw_only=True)
class ArticleFacts(Record):
    """What other stages need of an article without its body: status, version, publish time,
    category, the editor's related-list choices and whether comments are open."""

    slug: str
    status: ArticleStatus
    version: int
    published_at: datetime
    category: Category | None = None
    related: list[str] = field(default_factory=list)
    exclude_related: list[str] = field(default_factory=list)
    comments: CommentsSetting = "open"

    @property
    def published(self) -> bool:
        return self.status == "published"


@dataclass(kw_only=True)
class AliasOffer(Record):
    """A form of a tag's name that articles gave ("KPK" for "Komisi Pemberantasan Korupsi"), offered
    to editors as the tag's alias: it applies only once an editor accepts it."""

    tag: str  # the tag's slug
    name: str  # the tag's name as the tagger gave it
    alias: str  # the form, as an article wrote it
    key: str  # its match key
    articles: list[str] = field(default_factory=list)  # the articles that gave it (at most 20)
    status: Literal["waiting", "accepted", "rejected"] = "waiting"


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
    """A commenter's approved comments, their latest comment (epoch seconds), and whether this
    very comment was made before. ``carried``: during a key rotation, the approved comments found
    under the previous key for a commenter the current key has no record of (the intake moves them
    to the current key's record). ``network``: the times of the latest comments from the
    commenter's network (/24, /48), oldest first, and ``network_version`` the version of the
    current key's record of them (0: none yet), which the write that adds this comment requires.
    ``spam_names``: the site's learned spam names."""

    approved: int
    last_at: float | None
    duplicate: bool
    carried: int = 0
    network: tuple[float, ...] = ()
    network_version: int = 0
    spam_names: frozenset[str] = frozenset()


PUBLIC_FIELDS = ("id", "name", "website", "content_html", "created_at", "parent", "parent_name", "depth")
MODERATOR_FIELDS = (
    "id", "slug", "status", "reasons", "name", "website", "content", "content_html", "created_at",
    "parent", "parent_name", "depth", "seq", "moderated_by", "moderated_at", "edited_by", "edited_at",
)  # fmt: skip


@dataclass(kw_only=True)
class Comment(Record):
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
    reasons: list[str] = field(default_factory=list)
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
