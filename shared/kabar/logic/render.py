"""Rendering: the site bucket as a projection of the table.

Every document is rebuilt from the table's current state, never from the
event that announced the change, so replays and out-of-order records
converge on the same documents. Work per article is bounded: the article,
its month's archive page (and, when a month appears or empties, its two
neighbours and site.json), and latest.json.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel

from kabar.dal import ContentTable, month_of
from kabar.documents import (
    CACHE_ARTICLE,
    CACHE_LIST,
    CACHE_SITE,
    DOCUMENT_MODELS,
    ArticleDocument,
    ArticleLink,
    ArticleSummary,
    CategoryLink,
    Dateline,
    ErrorDocument,
    LatestDocument,
    MonthDocument,
    SiteDocument,
    TagLink,
    article_path,
    error_path,
    latest_path,
    month_path,
    schema_path,
    site_path,
)
from kabar.models import Article

# Readers see this; the site's language is Indonesian.
NOT_FOUND_MESSAGE = "Halaman tidak ditemukan"


class Site(Protocol):
    def put(self, path: str, document: BaseModel, cache_control: str) -> None: ...
    def delete(self, path: str) -> None: ...
    def invalidate(self, paths: Iterable[str]) -> int: ...


@dataclass(frozen=True)
class ArticleChange:
    """An article item changed: its slug and the archive months it was and is listed in."""

    slug: str
    months: frozenset[str]

    @classmethod
    def from_images(cls, old: dict[str, Any] | None, new: dict[str, Any] | None) -> ArticleChange:
        images = [image for image in (old, new) if image]
        slug = str(images[0]["slug"])
        # gsi1sk starts with the UTC publish time, and only published articles have it.
        months = {str(image["gsi1sk"])[:7] for image in images if image.get("gsi1sk")}
        return cls(slug=slug, months=frozenset(months))


@dataclass
class RenderReport:
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    invalidated: int = 0


class Renderer:
    """Builds and writes public documents from the content table."""

    def __init__(
        self, table: ContentTable, site: Site, *, site_name: str, language: str, latest_size: int
    ) -> None:
        self.table = table
        self.site = site
        self.site_name = site_name
        self.language = language
        self.latest_size = latest_size
        self.report = RenderReport()

    # one record ---------------------------------------------------------------

    def render_article(self, slug: str) -> frozenset[str]:
        """Write (or remove) one article's document; returns the months it is listed in now."""
        article = self.table.get_article(slug)
        path = article_path(slug)
        if article is None or article.status != "published":
            self.site.delete(path)
            self.report.deleted.append(path)
            if article is not None:
                self.table.mark_rendered(slug, article.version, article.status)
            return frozenset()
        self._put(path, self.article_document(article), CACHE_ARTICLE)
        self.table.mark_rendered(slug, article.version, article.status)
        return frozenset({month_of(article.published_at)})

    def article_document(self, article: Article) -> ArticleDocument:
        linked = self.table.get_articles(article.read_also) if article.read_also else {}
        read_also = [
            ArticleLink(slug=slug, title=linked[slug].title, path=article_path(slug))
            for slug in article.read_also
            if slug in linked and linked[slug].status == "published"
        ]
        codes = [*article.editors, *article.sources]
        return ArticleDocument(
            slug=article.slug,
            path=article_path(article.slug),
            version=article.version,
            title=article.title,
            subtitle=article.subtitle,
            lead=article.lead,
            category=(
                CategoryLink(name=article.category.name, slug=article.category.slug)
                if article.category
                else None
            ),
            dateline=Dateline(place=article.dateline, outlet=self.site_name),
            author=article.author,
            editors=article.editors,
            sources=article.sources,
            credit_line=f"({'/'.join(codes)})" if codes else None,
            tags=[TagLink(name=tag.name, slug=tag.slug) for tag in article.tags],
            published_at=article.published_at,
            updated_at=article.updated_at,
            body_html=article.body_html,
            read_also=read_also,
        )

    # lists ------------------------------------------------------------------------

    def render_lists(self, months: Iterable[str]) -> None:
        """Rewrite the given months' archive pages and latest.json (once per batch)."""
        months_changed = False
        for month in sorted(set(months)):
            count = self.render_month(month)
            if count <= 1:
                # The month may have just appeared or emptied: its neighbours link past it.
                months_changed = True
                for neighbour in (
                    self.table.neighbour_month(month, older=True),
                    self.table.neighbour_month(month, older=False),
                ):
                    if neighbour:
                        self.render_month(neighbour)
        self.render_latest()
        if months_changed:
            self.render_site()

    def render_month(self, month: str) -> int:
        summaries = self.table.month_summaries(month)
        path = month_path(month)
        if not summaries:
            self.site.delete(path)
            self.report.deleted.append(path)
            return 0
        older = self.table.neighbour_month(month, older=True)
        newer = self.table.neighbour_month(month, older=False)
        document = MonthDocument(
            month=month,
            articles=[ArticleSummary.model_validate(summary) for summary in summaries],
            older=month_path(older) if older else None,
            newer=month_path(newer) if newer else None,
        )
        self._put(path, document, CACHE_LIST)
        return len(summaries)

    def render_latest(self) -> None:
        summaries = [
            ArticleSummary.model_validate(summary)
            for summary in self.table.latest_summaries(self.latest_size)
        ]
        more = month_path(month_of(summaries[0].published_at)) if summaries else None
        self._put(latest_path(), LatestDocument(articles=summaries, more=more), CACHE_LIST)

    def render_site(self) -> None:
        """site.json, the error page and the schemas: what changes only with the site itself."""
        self._put(error_path(404), ErrorDocument(status=404, message=NOT_FOUND_MESSAGE), CACHE_SITE)
        self.render_schemas()
        document = SiteDocument(
            name=self.site_name,
            language=self.language,
            latest=latest_path(),
            schemas={kind: schema_path(kind) for kind in DOCUMENT_MODELS},
        )
        self._put(site_path(), document, CACHE_SITE)

    def render_schemas(self) -> None:
        """Publish each document kind's JSON Schema beside the documents."""
        from kabar.schemas import SchemaDocument, document_schema

        for kind in DOCUMENT_MODELS:
            self._put(schema_path(kind), SchemaDocument(document_schema(kind)), CACHE_SITE)

    def invalidate(self) -> int:
        self.report.invalidated = self.site.invalidate([*self.report.written, *self.report.deleted])
        return self.report.invalidated

    def _put(self, path: str, document: BaseModel, cache_control: str) -> None:
        self.site.put(path, document, cache_control)
        self.report.written.append(path)
