"""Lists: latest.json and its older pages, each tag's page and its older pages, tags.json,
site.json.

Work per batch is bounded: the pages holding the positions the batch's articles were and are
at, each list's newest page, and tags.json when tags changed (kabar.workflows.render.pages).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial

from kabar.documents import (
    CACHE_LIST,
    CACHE_SITE,
    DOCUMENT_MODELS,
    ArticleSummary,
    ErrorDocument,
    FeedLinks,
    LatestDocument,
    SiteDocument,
    TagCount,
    TagDocument,
    TagLink,
    TagMergedDocument,
    TagsDocument,
    error_path,
    feed_path,
    latest_page_path,
    latest_path,
    schema_path,
    site_path,
    tag_page_path,
    tag_path,
    tags_path,
)
from kabar.models import TagCount as StoredCount
from kabar.workflows.render.feeds import render_feeds
from kabar.workflows.render.pages import ListDocuments, Written, moved, refresh
from kabar.workflows.render.sources import Output, SiteSettings, Sources

# Readers see this; the site's language is Indonesian.
NOT_FOUND_MESSAGE = "Halaman tidak ditemukan"


class ListRenderer:
    def __init__(self, sources: Sources, settings: SiteSettings, out: Output) -> None:
        self.sources = sources
        self.settings = settings
        self.out = out

    def render(self, positions: Iterable[str], tags: Mapping[str, Iterable[str]]) -> None:
        """Rewrite the pages holding ``positions`` in the list of every article (and its newest
        page), and likewise for each tag (``tags``: positions per tag), then tags.json. No
        position in the list of every article (an article's tags changed, a tag was merged):
        nothing there changed, since what lists show of an article holds no tags."""
        lists, size = self.sources.lists, self.settings.page_size
        latest = ListDocuments(tag=None, write_newest=self._write_latest, page_path=latest_page_path,
                               link=self.settings.link)  # fmt: skip
        positions = set(positions)
        if positions and refresh(latest, positions, self.sources.lists, self.out, self.settings.page_size):
            # The site's first article: make sure site.json and its companions exist. They
            # never change with content, so this is rare and cheap.
            self.render_site()
        with self.sources.tags.reading_counts_ahead(tags):  # one request for every tag's count
            counts = {slug: self.sources.tags.count(slug) for slug in tags}
        # Every tag's pages written first, then checked in one request: a tag whose pages
        # another render committed meanwhile is rendered again, checked as it goes (pages.moved).
        unchecked: list[Written] = []
        documents = {slug: self._tag_documents(slug, counts[slug]) for slug in tags}
        for slug, tag_positions in sorted(tags.items()):
            refresh(documents[slug], tag_positions, lists, self.out, size, unchecked=unchecked)
        for again in sorted(str(tag) for tag in (moved(unchecked, lists) if unchecked else ())):
            refresh(documents[again], tags[again], lists, self.out, size)
        if tags:
            self.render_tags()

    def _tag_documents(self, slug: str, stats: StoredCount | None) -> ListDocuments:
        link = TagLink(name=stats.name if stats else slug, slug=slug, path=tag_path(slug))
        write = partial(self._write_tag, link, stats.count if stats else 0)
        return ListDocuments(
            tag=slug,
            write_newest=write,
            page_path=partial(tag_page_path, slug),
            tag_link=link,
            link=self.settings.link,
        )

    def _write_latest(self, articles: list[ArticleSummary], more: str | None) -> None:
        self.out.put(latest_path(), LatestDocument(articles=articles, more=more), CACHE_LIST)
        render_feeds(self.sources, self.settings, self.out, None, newest_page=articles, more=more)

    def _write_tag(self, tag: TagLink, count: int, articles: list[ArticleSummary], more: str | None) -> None:
        if not articles and not more:
            self._tag_without_articles(tag)
            render_feeds(self.sources, self.settings, self.out, tag, newest_page=[], more=None)
            return
        document = TagDocument(slug=tag.slug, name=tag.name, path=tag.path, count=count, articles=articles,
                               more=more)  # fmt: skip
        self.out.put(tag.path, document, CACHE_LIST)
        render_feeds(self.sources, self.settings, self.out, tag, newest_page=articles, more=more)

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
            name=self.settings.site_name, url=self.settings.urls.home(), language=self.settings.language,
            latest=latest_path(), tags=tags_path(),
            schemas={kind: schema_path(kind) for kind in DOCUMENT_MODELS},
            feeds=FeedLinks(rss=feed_path("rss"), json=feed_path("json")),
            tag_feeds=FeedLinks(rss=feed_path("rss", "{tag}"), json=feed_path("json", "{tag}")),
        )  # fmt: skip
        self.out.put(site_path(), document, CACHE_SITE)
