"""Lists: latest.json and its month pages, each tag's page and months, tags.json, site.json.

Work per batch is bounded: the affected months (and, when a month appears or
empties, the next newer one), each list's newest page, and tags.json when tags
changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial

from kabar.documents import (
    CACHE_LIST,
    CACHE_SITE,
    DOCUMENT_MODELS,
    ErrorDocument,
    LatestDocument,
    MonthDocument,
    SiteDocument,
    TagCount,
    TagDocument,
    TagLink,
    TagMergedDocument,
    TagsDocument,
    error_path,
    latest_path,
    month_of,
    month_path,
    schema_path,
    site_path,
    tag_month_path,
    tag_path,
    tags_path,
)
from kabar.workflows.render.sources import Output, SiteSettings, Sources

# Readers see this; the site's language is Indonesian.
NOT_FOUND_MESSAGE = "Halaman tidak ditemukan"


@dataclass(frozen=True)
class Listing:
    """A list of articles (every article's, or a tag's), its newest page and month pages."""

    newest_path: str
    month_path: Callable[[str], str]
    tag: TagLink | None = None
    count: int = 0

    @property
    def tag_slug(self) -> str | None:
        return self.tag.slug if self.tag else None


LATEST = Listing(newest_path=latest_path(), month_path=month_path)


class ListRenderer:
    def __init__(self, sources: Sources, settings: SiteSettings, out: Output) -> None:
        self.sources = sources
        self.settings = settings
        self.out = out

    def render(self, months: Iterable[str], tags: Mapping[str, Iterable[str]]) -> None:
        """Rewrite the affected month pages and newest pages; ``tags``: months per tag."""
        if self._listing(LATEST, months):
            # The site's first article (or a new month): make sure site.json and its
            # companions exist. They never change with content, so this is rare and cheap.
            self.render_site()
        for slug, tag_months in sorted(tags.items()):
            self._listing(self._tag_listing(slug), tag_months)
        if tags:
            self.render_tags()

    def _tag_listing(self, slug: str) -> Listing:
        stats = self.sources.tags.count(slug)
        return Listing(
            newest_path=tag_path(slug),
            month_path=partial(tag_month_path, slug),
            tag=TagLink(name=stats.name if stats else slug, slug=slug, path=tag_path(slug)),
            count=stats.count if stats else 0,
        )  # fmt: skip

    def _listing(self, listing: Listing, months: Iterable[str]) -> bool:
        """A listing's months and newest page; whether a month appeared or emptied."""
        months_changed = False
        for month in sorted(set(months)):
            if self.render_month(month, listing) <= 1:
                # The month may have just appeared or emptied: the next newer month's
                # "older" link must now point at it, or past it. (Usually there is none.)
                months_changed = True
                newer = self.sources.lists.neighbour_month(month, older=False, tag=listing.tag_slug)
                if newer:
                    self.render_month(newer, listing)
        self.render_newest(listing)
        return months_changed

    def render_month(self, month: str, listing: Listing) -> int:
        summaries = self.sources.lists.month(month, listing.tag_slug)
        path = listing.month_path(month)
        if not summaries:
            self.out.delete(path)
            return 0
        older = self.sources.lists.neighbour_month(month, older=True, tag=listing.tag_slug)
        document = MonthDocument(month=month, tag=listing.tag, articles=summaries,
                                 older=listing.month_path(older) if older else None)  # fmt: skip
        self.out.put(path, document, CACHE_LIST)
        return len(summaries)

    def render_newest(self, listing: Listing) -> None:
        summaries = self.sources.lists.newest(self.settings.latest_size, listing.tag_slug)
        more = listing.month_path(month_of(summaries[0].published_at)) if summaries else None
        if listing.tag is None:
            self.out.put(listing.newest_path, LatestDocument(articles=summaries, more=more), CACHE_LIST)
        elif not summaries:
            self._tag_without_articles(listing.tag)
        else:
            tag = listing.tag
            document = TagDocument(slug=tag.slug, name=tag.name, path=tag.path, count=listing.count,
                                   articles=summaries, more=more)  # fmt: skip
            self.out.put(listing.newest_path, document, CACHE_LIST)

    def _tag_without_articles(self, tag: TagLink) -> None:
        """A merged tag's page points to its target; any other empty tag has no page."""
        entry = self.sources.vocabulary.get(tag.slug)
        target = entry.merged_into if entry and entry.status == "merged" else None
        if not target:
            self.out.delete(tag.path)
            return
        stats = self.sources.tags.count(target)
        link = TagLink(name=stats.name if stats else target, slug=target, path=tag_path(target))
        self.out.put(tag.path, TagMergedDocument(slug=tag.slug, merged_into=link), CACHE_LIST)

    def render_tags(self) -> None:
        """tags.json: the most used tags (``tags_listed``), read in one query however many exist."""
        counts = self.sources.tags.most_used(self.settings.tags_listed)
        document = TagsDocument(
            tags=[TagCount(name=t.name, slug=t.slug, path=tag_path(t.slug), count=t.count) for t in counts]
        )
        self.out.put(tags_path(), document, CACHE_LIST)

    def render_site(self) -> None:
        """site.json, the error page and the schemas: what changes only with the site itself."""
        from kabar.schemas import SchemaDocument, document_schema

        self.out.put(error_path(404), ErrorDocument(status=404, message=NOT_FOUND_MESSAGE), CACHE_SITE)
        for kind in DOCUMENT_MODELS:
            self.out.put(schema_path(kind), SchemaDocument(document_schema(kind)), CACHE_SITE)
        document = SiteDocument(
            name=self.settings.site_name, language=self.settings.language, latest=latest_path(),
            tags=tags_path(), schemas={kind: schema_path(kind) for kind in DOCUMENT_MODELS},
        )  # fmt: skip
        self.out.put(site_path(), document, CACHE_SITE)
