"""The CDN contract: every public document, its path, and its HTTP headers.

Each document kind is a record (:class:`kabar.record.Record`, a plain dataclass: rendering
imports no pydantic); its JSON Schema is generated from the class by pydantic
(:mod:`kabar.schemas`) into docs/schemas/ (a test keeps the two identical), and each
field's description and bounds are given with :func:`described`. Paths are versioned
under ``v1/``. Plain-text fields are text (a site escapes them); ``body_html``
is the only HTML, already sanitized.
"""

from __future__ import annotations

from kabar.documents.articles import (
    ArticleDocument,
    ArticleImage,
    ArticleSummary,
    CategoryLink,
    CommentsDocument,
    CommentsInfo,
    CorrectionNotice,
    Dateline,
    ImageCrop,
    ImageSource,
    PublicComment,
    ReadAlsoLink,
    RelatedLink,
    ReplyTo,
    TagLink,
    Thumbnail,
)
from kabar.documents.base import (
    PublicDocument,
)
from kabar.documents.lists import (
    ErrorDocument,
    FeedLinks,
    LatestDocument,
    PageDocument,
    SiteDocument,
    TagCount,
    TagDocument,
    TagMergedDocument,
    TagsDocument,
)
from kabar.documents.paths import (
    API_VERSION,
    CACHE_ARTICLE,
    CACHE_IMAGE,
    CACHE_LIST,
    CACHE_SITE,
    COMMENTS_PAGE_SIZE,
    EDGE_INVALIDATED,
    JSON_CONTENT_TYPE,
    article_path,
    comments_page_of,
    comments_page_path,
    comments_path,
    error_path,
    feed_path,
    latest_page_path,
    latest_path,
    month_of,
    schema_path,
    site_path,
    tag_page_path,
    tag_path,
    tags_path,
)

DOCUMENT_MODELS: dict[str, type[PublicDocument]] = {
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

__all__ = [
    "API_VERSION",
    "CACHE_ARTICLE",
    "CACHE_IMAGE",
    "CACHE_LIST",
    "CACHE_SITE",
    "COMMENTS_PAGE_SIZE",
    "DOCUMENT_MODELS",
    "EDGE_INVALIDATED",
    "JSON_CONTENT_TYPE",
    "ArticleDocument",
    "ArticleImage",
    "ArticleSummary",
    "CategoryLink",
    "CommentsDocument",
    "CommentsInfo",
    "CorrectionNotice",
    "Dateline",
    "ErrorDocument",
    "FeedLinks",
    "ImageCrop",
    "ImageSource",
    "LatestDocument",
    "PageDocument",
    "PublicComment",
    "PublicDocument",
    "ReadAlsoLink",
    "RelatedLink",
    "ReplyTo",
    "SiteDocument",
    "TagCount",
    "TagDocument",
    "TagLink",
    "TagMergedDocument",
    "TagsDocument",
    "Thumbnail",
    "article_path",
    "comments_page_of",
    "comments_page_path",
    "comments_path",
    "error_path",
    "feed_path",
    "latest_page_path",
    "latest_path",
    "month_of",
    "schema_path",
    "site_path",
    "tag_page_path",
    "tag_path",
    "tags_path",
]
