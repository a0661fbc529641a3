"""What rendering reads (narrow protocols of the stores) and where it writes (the site)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

from kabar.documents import CACHE_LIST, EDGE_INVALIDATED, ArticleSummary, AuthorProfile
from kabar.images.records import ImageInfo
from kabar.models import Article, ArticleFacts, ArticleTags, RelatedList, TagCount, VocabularyEntry
from kabar.paging import PageBound
from kabar.record import Record
from kabar.urls import SiteUrls


class Articles(Protocol):
    def get(self, slug: str) -> Article | None: ...
    def facts(self, slug: str) -> ArticleFacts | None: ...
    def summaries(self, slugs: Iterable[str]) -> dict[str, ArticleSummary]: ...
    def images(self, image_ids: Iterable[str]) -> Mapping[str, ImageInfo]: ...
    def mark_rendered(self, slug: str, version: int, status: str) -> None: ...
    def reading_ahead(
        self, slugs: Iterable[str], *, linked: bool = False
    ) -> AbstractContextManager[None]: ...


class Tags(Protocol):
    def get(self, slug: str) -> ArticleTags | None: ...
    def count(self, tag: str) -> TagCount | None: ...
    def category_count(self, category: str) -> TagCount | None: ...
    def author_count(self, author: str) -> TagCount | None: ...
    def reading_counts_ahead(
        self, tags: Iterable[str], categories: Iterable[str] = (), authors: Iterable[str] = ()
    ) -> AbstractContextManager[None]: ...
    def most_used(self, limit: int) -> list[TagCount]: ...
    def categories(self, limit: int) -> list[TagCount]: ...


class Authors(Protocol):
    def profile(self, slug: str) -> AuthorProfile | None: ...


class RelatedLists(Protocol):
    def get(self, slug: str) -> RelatedList | None: ...


class Comments(Protocol):
    def counters(self, slug: str) -> tuple[int, int]: ...
    def public_by_seq(self, slug: str, first: int, last: int) -> list[dict[str, Any]]: ...


class Lists(Protocol):
    """The lists' pages (kabar.table.lists.ListStore); ``name`` as kabar.listnames.list_kind
    reads it (None: every article's list)."""

    def position(self, published_at: datetime, slug: str) -> str: ...
    def newest(self, limit: int, name: str | None = None) -> list[ArticleSummary]: ...
    def since(self, lower: str, limit: int, *, before: str | None = None) -> list[ArticleSummary]: ...
    def page_of(self, name: str | None, position: str) -> PageBound | None: ...
    def newest_page(self, name: str | None) -> PageBound: ...
    def page(self, name: str | None, upper: str) -> PageBound | None: ...
    def every_page(self, name: str | None) -> list[tuple[PageBound, datetime | None]]: ...
    def entries(self, name: str | None, page: PageBound) -> list[tuple[str, ArticleSummary]]: ...
    def commit(self, name: str | None, *, put: Iterable[PageBound] = (), delete: Iterable[PageBound] = (),
               seq: tuple[int, int] | None = None) -> None: ...  # fmt: skip
    def versions(self, name: str | None, uppers: Iterable[str]) -> dict[str, int]: ...
    def versions_of(
        self, uppers: Mapping[str | None, Iterable[str]]
    ) -> dict[tuple[str | None, str], int]: ...


class Vocabulary(Protocol):
    def get(self, slug: str) -> VocabularyEntry | None: ...


class Links(Protocol):
    """The reverse index of editors' links (read-also, pinned related)."""

    def named_by(self, slug: str, limit: int) -> list[str]: ...


@dataclass(frozen=True)
class Sources:
    """Every store rendering reads, each through what it uses of it."""

    articles: Articles
    tags: Tags
    related: RelatedLists
    comments: Comments
    lists: Lists
    vocabulary: Vocabulary
    links: Links
    authors: Authors


@dataclass(frozen=True)
class SiteSettings:
    site_name: str
    language: str
    page_size: int = 50
    sitemap_size: int = 500  # URLs in the newest sitemap at most (kabar.sitemaps.SITEMAP_SIZE)
    tags_listed: int = 200
    read_also_auto: int = 2
    comments_close_days: int = 0
    media_url: str = "/"  # what the body's image paths are prefixed with: the CDN's address, or "/"
    urls: SiteUrls = field(default_factory=SiteUrls)  # the site's pages' addresses (canonical URLs)
    logo_url: str = ""  # the publisher's logo in structured data (empty: none named)
    feed_full_text: bool = False  # feed entries carry the article's body HTML (FeedFullText)

    def link(self, summary: ArticleSummary) -> ArticleSummary:
        """A summary as lists show it: with its canonical URL."""
        return replace(summary, url=self.urls.of(summary))


class Site(Protocol):
    def get(self, path: str) -> bytes | None: ...
    def put(self, path: str, document: Record, cache_control: str) -> None: ...
    def put_bytes(self, path: str, body: bytes, content_type: str, cache_control: str) -> None: ...
    def delete(self, path: str) -> None: ...
    def request_invalidation(self, paths: Iterable[str]) -> int: ...


@dataclass
class Output:
    """The site, and what this invocation wrote and deleted (to invalidate, and to report)."""

    site: Site
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # long cached at the edge: to invalidate
    invalidated: int = 0
    # The article documents written, by slug: when each was updated, and its body (full-text feeds).
    bodies: dict[str, tuple[str, str]] = field(default_factory=dict)

    def put(self, path: str, document: Record, cache_control: str) -> None:
        self.site.put(path, document, cache_control)
        self.written.append(path)
        if cache_control in EDGE_INVALIDATED:
            self.stale.append(path)

    def put_bytes(self, path: str, body: bytes, content_type: str, cache_control: str = CACHE_LIST) -> None:
        """A document that is not JSON (a feed, a sitemap), as it is served."""
        self.site.put_bytes(path, body, content_type, cache_control)
        self.written.append(path)
        if cache_control in EDGE_INVALIDATED:
            self.stale.append(path)

    def delete(self, path: str, cache_control: str = CACHE_LIST) -> None:
        """Remove a document; ``cache_control``: the one it was written with."""
        self.site.delete(path)
        self.deleted.append(path)
        if cache_control in EDGE_INVALIDATED:
            self.stale.append(path)

    def invalidate(self) -> int:
        """Ask for the invalidation of the long-cached paths written or deleted (none: no request)."""
        self.invalidated = self.site.request_invalidation(self.stale) if self.stale else 0
        return self.invalidated
