"""The CDN contract: every public document, its path, and its HTTP headers.

Each document kind is a record (:class:`kabar.record.Record`, a plain dataclass: rendering
imports no pydantic); its JSON Schema is generated from the class by pydantic
(:mod:`kabar.schemas`) into docs/schemas/ (a test keeps the two identical), and each
field's description and bounds are given with :func:`described`. Paths are versioned
under ``v1/``. Plain-text fields are text (a site escapes them); ``body_html``
is the only HTML, already sanitized.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from kabar.record import Record, described

API_VERSION = "v1"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"

# Articles are invalidated on CloudFront when they change, so the edge may keep
# them for a day; browsers cannot be invalidated, so they revalidate sooner.
CACHE_ARTICLE = "public, max-age=300, s-maxage=86400, stale-while-revalidate=60"
# Lists change with every publish: short, and served stale while refreshing.
CACHE_LIST = "public, max-age=60, s-maxage=60, stale-while-revalidate=300"
# An image's variants never change at their path (content-addressed): cached for a year.
CACHE_IMAGE = "public, max-age=31536000, immutable"
CACHE_SITE = "public, max-age=300, s-maxage=3600, stale-while-revalidate=600"
# What is invalidated on CloudFront when written or deleted: articles, which the edge keeps
# for a day. Not lists: the edge refreshes them within a minute anyway, and CloudFront bills
# every invalidated path beyond the first 1,000 a month. Not the site documents (site.json,
# schemas, the error page): rewritten when a month appears or empties but unchanged unless a
# deploy changes the site's settings, which then reach readers within the hour.
EDGE_INVALIDATED = frozenset({CACHE_ARTICLE})


def article_path(slug: str) -> str:
    return f"{API_VERSION}/articles/{slug}.json"


def comments_path(slug: str) -> str:
    """An article's newest page of comments (the one a site loads first)."""
    return f"{API_VERSION}/articles/{slug}/comments.json"


def comments_page_path(slug: str, page: int) -> str:
    return f"{API_VERSION}/articles/{slug}/comments/{page}.json"


COMMENTS_PAGE_SIZE = 50  # approved comments per page of comments.json, in approval order


def comments_page_of(seq: int) -> int:
    """The comments page (from 1) of the comment approved ``seq``-th on its article."""
    return (seq - 1) // COMMENTS_PAGE_SIZE + 1


def latest_path() -> str:
    return f"{API_VERSION}/latest.json"


def latest_page_path(number: int) -> str:
    """An older page of the list of every article (``latest.json`` is the newest)."""
    return f"{API_VERSION}/latest/pages/{number}.json"


def tags_path() -> str:
    return f"{API_VERSION}/tags.json"


def tag_path(slug: str) -> str:
    return f"{API_VERSION}/tags/{slug}.json"


def tag_page_path(slug: str, number: int) -> str:
    """An older page of a tag's list (``v1/tags/<tag>.json`` is the newest)."""
    return f"{API_VERSION}/tags/{slug}/pages/{number}.json"


def site_path() -> str:
    return f"{API_VERSION}/site.json"


def error_path(status: int) -> str:
    """The body CloudFront serves with an error status (template: CustomErrorResponses)."""
    return f"{API_VERSION}/errors/{status}.json"


def schema_path(kind: str) -> str:
    return f"{API_VERSION}/schemas/{kind}.json"


class _Document(Record):
    """A public document: its JSON Schema allows no other properties (kabar.schemas)."""


@dataclass(kw_only=True)
class Dateline(_Document):
    place: str | None = described("Where the story was filed, e.g. DAMASKUS")
    outlet: str = described("The publishing site, printed before the place")


@dataclass(kw_only=True)
class CategoryLink(_Document):
    name: str
    slug: str


@dataclass(kw_only=True)
class TagLink(_Document):
    name: str
    slug: str
    path: str


@dataclass(kw_only=True)
class ReadAlsoLink(_Document):
    """An inline "Baca juga" link inside the body."""

    slug: str
    title: str
    path: str
    after_paragraph: int = described(
        ge=1, description="Shown after this paragraph of body_html: 1 is after the first </p>"
    )
    origin: Literal["editor", "related"] = described(
        "editor: the article's own read_also; related: taken from the related list"
    )


@dataclass(kw_only=True)
class RelatedLink(_Document):
    """A related article ("Artikel Terkait"), best first."""

    slug: str
    title: str
    path: str
    lead: str | None = None
    category: CategoryLink | None = None
    published_at: datetime
    pinned: bool = described("Chosen by the editor (pinned links come first)")


@dataclass(kw_only=True)
class ImageSource(_Document):
    """One file of an image: an entry of ``srcset``."""

    path: str = described("Its path on the CDN (cached for a year: a path never changes)")
    width: int
    height: int
    type: Literal["image/webp", "image/jpeg"]


@dataclass(kw_only=True)
class Thumbnail(_Document):
    """What a list shows of an article's featured image: its small widths."""

    alt: str
    width: int = described("The image's own width: with height, its proportions (to reserve its space)")
    height: int
    src: str = described("A JPEG, for an <img> without srcset")
    srcset: list[ImageSource] = described("WebP and JPEG at the widths up to 640 px")


@dataclass(kw_only=True)
class ImageCrop(_Document):
    """A crop for structured data and social cards (Google asks for 16:9, 4:3 and 1:1, 1,200 px wide)."""

    ratio: Literal["16x9", "4x3", "1x1"]
    path: str
    width: int
    height: int


@dataclass(kw_only=True)
class ArticleImage(_Document):
    """The featured image: everything a page needs for <picture>, Open Graph and NewsArticle.image."""

    id: str = described("The image's id in the library (the first 32 hex digits of its SHA-256)")
    alt: str
    caption: str | None
    credit: str | None = described("The editor's credit, or the one the photo's metadata named")
    width: int = described("The image's own width (upright): with height, the space to reserve")
    height: int
    src: str = described("The widest JPEG, for an <img> without srcset")
    srcset: list[ImageSource] = described("Every width in WebP and JPEG, narrowest first: never upscaled")
    crops: list[ImageCrop] = described("16:9, 4:3 and 1:1 around the editor's focus point")


@dataclass(kw_only=True)
class ArticleSummary(_Document):
    """What lists show of an article."""

    slug: str
    path: str
    title: str
    subtitle: str | None = None
    lead: str | None = None
    category: CategoryLink | None = None
    published_at: datetime
    updated_at: datetime
    image: Thumbnail | None = described("The featured image's thumbnail (null without one)", default=None)


@dataclass(kw_only=True)
class CommentsInfo(_Document):
    """An article's comments, as its document states them."""

    count: int = described("Approved (public) comments")
    path: str | None = described("The newest page of comments; null until one is approved")
    open: bool = described("False when the article closes comments")
    closes_at: datetime | None = described("When comments close by age (the site's setting); null: never")


@dataclass(kw_only=True)
class ReplyTo(_Document):
    id: str
    name: str | None


@dataclass(kw_only=True)
class PublicComment(_Document):
    """An approved comment. Never an email address, IP address or anything derived from them."""

    id: str
    name: str
    website: str | None = described('The commenter\'s site; link it with rel="nofollow ugc"')
    content_html: str = described(
        'Escaped text in <p>, <br> and <a rel="nofollow ugc noopener"> only: no other markup'
    )
    created_at: datetime
    depth: int = described(ge=0, description="0 for a comment on the article, 1 for a reply to one, ...")
    parent: str | None = described("The comment this replies to")
    reply_to: ReplyTo | None = described(
        "Set when the parent is not on this page (an older page, or no longer public)"
    )
    replies: list[PublicComment] = described("Replies on this page, in the order approved")


@dataclass(kw_only=True)
class CommentsDocument(_Document):
    """``v1/articles/<slug>/comments.json`` (the newest page) and ``.../comments/<n>.json``.

    Pages hold 50 comments each in the order they were approved, threaded within the
    page; a new comment rewrites only the newest page.
    """

    kind: Literal["comments"] = "comments"
    slug: str
    article: str = described("The article's document")
    page: int = described(ge=1)
    pages: int | None = described("How many pages: on comments.json; null on older pages")
    count: int | None = described("Approved comments: on comments.json; null on older pages")
    comments: list[PublicComment] = described("Threads on this page, oldest first")
    older: str | None = described("The previous page")


@dataclass(kw_only=True)
class ArticleDocument(_Document):
    """``v1/articles/<slug>.json``: one published article."""

    kind: Literal["article"] = "article"
    slug: str
    path: str
    version: int = described("Increases with every published change")
    title: str
    subtitle: str | None = described("The second headline")
    lead: str | None
    category: CategoryLink | None
    dateline: Dateline
    author: str | None
    editors: list[str] = described("Editor codes, e.g. AL, RM")
    sources: list[str] = described("Agency codes, e.g. FNA")
    credit_line: str | None = described(
        'Editor and source codes as printed after the body, e.g. "(AL/RM/FNA)"'
    )
    tags: list[TagLink]
    published_at: datetime
    updated_at: datetime
    body_html: str = described(
        "Sanitized HTML: no script elements, event handler attributes or script URLs; its images as "
        "<picture> (WebP and JPEG srcset) or <figure> with their caption, each <img> with alt, width, "
        'height, sizes and loading="lazy"'
    )
    image: ArticleImage | None = described("The featured image (null without one)", default=None)
    read_also: list[ReadAlsoLink] = described(
        "Inline 'read also' links and where each stands in the body: the editor's, or "
        "else the best related articles (as many as the site's READ_ALSO_AUTO setting)"
    )
    related: list[RelatedLink] = described(
        "Related articles, best first: the editor's pinned ones, then the best scoring"
    )
    comments: CommentsInfo


@dataclass(kw_only=True)
class LatestDocument(_Document):
    """``v1/latest.json``: the newest page of every published article, newest first."""

    kind: Literal["latest"] = "latest"
    articles: list[ArticleSummary] = described("The newest page: at most PageSize (50) articles")
    more: str | None = described(
        'The next older page ("Show More"), from which each page\'s `older` link leads back'
    )


@dataclass(kw_only=True)
class PageDocument(_Document):
    """An older page of a list, newest first: ``v1/latest/pages/<n>.json`` (every article) or
    ``v1/tags/<tag>/pages/<n>.json`` (a tag's). Pages are numbered as they are made, not by
    position; following ``older`` from the newest page reaches every article exactly once."""

    kind: Literal["page"] = "page"
    number: int
    tag: TagLink | None = described(default=None, description="The tag, on a tag's page")
    articles: list[ArticleSummary] = described("At most PageSize (50) articles")
    older: str | None = described('The next older page ("Show More"); none on the oldest')


@dataclass(kw_only=True)
class TagDocument(_Document):
    """``v1/tags/<tag>.json``: a tag's newest articles ("Show More": ``more``)."""

    kind: Literal["tag"] = "tag"
    slug: str
    name: str
    path: str
    count: int = described("How many published articles have the tag")
    articles: list[ArticleSummary] = described("The tag's newest page: at most PageSize (50) articles")
    more: str | None = described('The next older page of the tag ("Show More")')


@dataclass(kw_only=True)
class TagMergedDocument(_Document):
    """``v1/tags/<old>.json`` once a tag was merged: where its articles are now."""

    kind: Literal["tag_merged"] = "tag_merged"
    slug: str
    merged_into: TagLink


@dataclass(kw_only=True)
class TagCount(_Document):
    name: str
    slug: str
    path: str
    count: int


@dataclass(kw_only=True)
class TagsDocument(_Document):
    """``v1/tags.json``: the most used tags with published articles (TagsListed, 200), most used
    first; a tag's own page holds its articles whatever its rank."""

    kind: Literal["tags"] = "tags"
    tags: list[TagCount]


@dataclass(kw_only=True)
class SiteDocument(_Document):
    """``v1/site.json``: what a site needs to find everything else."""

    kind: Literal["site"] = "site"
    name: str
    language: str
    latest: str
    tags: str
    schemas: dict[str, str]


@dataclass(kw_only=True)
class ErrorDocument(_Document):
    """``v1/errors/<status>.json``: what a reader gets for a missing document."""

    kind: Literal["error"] = "error"
    status: int
    message: str = described("Shown to readers, in the site's language")


DOCUMENT_MODELS: dict[str, type[_Document]] = {
    "article": ArticleDocument,
    "comments": CommentsDocument,
    "latest": LatestDocument,
    "page": PageDocument,
    "site": SiteDocument,
    "tag": TagDocument,
    "tag_merged": TagMergedDocument,
    "tags": TagsDocument,
    "error": ErrorDocument,
}


def month_of(moment: datetime) -> str:
    """The archive month (``YYYY-MM``, UTC) an article published at ``moment`` is listed in."""
    return moment.astimezone(UTC).strftime("%Y-%m")
