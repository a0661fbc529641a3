"""An article's document and its parts, and what lists show of an article (its summary)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from kabar.documents.base import PublicDocument
from kabar.record import described


@dataclass(kw_only=True)
class Dateline(PublicDocument):
    place: str | None = described("Where the story was filed, e.g. DAMASKUS")
    outlet: str = described("The publishing site, printed before the place")


@dataclass(kw_only=True)
class CategoryLink(PublicDocument):
    name: str
    slug: str


@dataclass(kw_only=True)
class AuthorLink(PublicDocument):
    """One of an article's authors, and their list (``v1/authors/<slug>.json``)."""

    name: str
    slug: str
    path: str


@dataclass(kw_only=True)
class TagLink(PublicDocument):
    name: str
    slug: str
    path: str


@dataclass(kw_only=True)
class ReadAlsoLink(PublicDocument):
    """An inline "Baca juga" link inside the body."""

    slug: str
    title: str
    path: str
    url: str = described("The canonical URL of its page")
    after_paragraph: int = described(
        ge=1, description="Shown after this paragraph of body_html: 1 is after the first </p>"
    )
    origin: Literal["editor", "related"] = described(
        "editor: the article's own read_also; related: taken from the related list"
    )


@dataclass(kw_only=True)
class RelatedLink(PublicDocument):
    """A related article ("Artikel Terkait"), best first."""

    slug: str
    title: str
    path: str
    url: str = described("The canonical URL of its page")
    lead: str | None = None
    category: CategoryLink | None = None
    published_at: datetime
    pinned: bool = described("Chosen by the editor (pinned links come first)")


@dataclass(kw_only=True)
class ImageSource(PublicDocument):
    """One file of an image: an entry of ``srcset``."""

    path: str = described("Its path on the CDN (cached for a year: a path never changes)")
    width: int
    height: int
    type: Literal["image/webp", "image/jpeg"]


@dataclass(kw_only=True)
class Thumbnail(PublicDocument):
    """What a list shows of an article's featured image: its small widths."""

    alt: str
    width: int = described("The image's own width: with height, its proportions (to reserve its space)")
    height: int
    src: str = described("A JPEG, for an <img> without srcset")
    srcset: list[ImageSource] = described("WebP and JPEG at the widths up to 640 px")


@dataclass(kw_only=True)
class ImageCrop(PublicDocument):
    """A crop for structured data and social cards (Google asks for 16:9, 4:3 and 1:1, 1,200 px wide)."""

    ratio: Literal["16x9", "4x3", "1x1"]
    path: str
    width: int
    height: int


@dataclass(kw_only=True)
class ArticleImage(PublicDocument):
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
class ArticleSummary(PublicDocument):
    """What lists show of an article."""

    slug: str
    path: str
    url: str | None = described(
        "The canonical URL of the article's page (SiteUrl and ArticleUrlPattern): set in every list",
        default=None,
    )
    title: str
    subtitle: str | None = None
    lead: str | None = None
    category: CategoryLink | None = None
    author: str | None = described('The byline: the authors\' names, "A, B dan C" (null without one)',
                                   default=None)  # fmt: skip
    authors: list[AuthorLink] = described("The byline's authors, in its order", default_factory=list)
    published_at: datetime
    updated_at: datetime
    image: Thumbnail | None = described("The featured image's thumbnail (null without one)", default=None)


@dataclass(kw_only=True)
class CommentsInfo(PublicDocument):
    """An article's comments, as its document states them."""

    count: int = described("Approved (public) comments")
    path: str | None = described("The newest page of comments; null until one is approved")
    open: bool = described("False when the article closes comments")
    closes_at: datetime | None = described("When comments close by age (the site's setting); null: never")


@dataclass(kw_only=True)
class ReplyTo(PublicDocument):
    id: str
    name: str | None


@dataclass(kw_only=True)
class PublicComment(PublicDocument):
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
class CommentsDocument(PublicDocument):
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
class CorrectionNotice(PublicDocument):
    """A correction ("Ralat"): when it was made, and what was corrected."""

    at: datetime
    text: str


@dataclass(kw_only=True)
class ArticleDocument(PublicDocument):
    """``v1/articles/<slug>.json``: one published article."""

    kind: Literal["article"] = "article"
    slug: str
    path: str
    url: str = described("The canonical URL of the article's page (SiteUrl and ArticleUrlPattern)")
    version: int = described("Increases with every published change")
    title: str
    subtitle: str | None = described("The second headline")
    lead: str | None
    category: CategoryLink | None
    dateline: Dateline
    author: str | None = described('The byline: the authors\' names, "A, B dan C" (null without one)')
    authors: list[AuthorLink] = described("The byline's authors, in its order, each with their list")
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
    corrections: list[CorrectionNotice] = described(
        'Corrections noted by the editors, oldest first: a page shows them as a "Ralat" notice'
    )
    structured_data: dict[str, Any] = described(
        "JSON-LD for the page's script element of type application/ld+json: schema.org NewsArticle and "
        "BreadcrumbList in an @graph (escape the less-than sign as \\u003c when writing it into the page)"
    )
