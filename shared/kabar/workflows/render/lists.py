"""Lists: latest.json and its older pages, each tag's, category's and author's page and its older
pages, their feeds, tags.json, categories.json, site.json (and, with the list of every article,
the sitemaps: kabar.workflows.render.search).

Work per batch is bounded: the pages holding the positions the batch's articles were and are
at, each list's newest page, and tags.json or categories.json when a tag's or category's list
changed (kabar.workflows.render.pages).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial

from kabar.documents import (
    CACHE_LIST,
    CACHE_SITE,
    DOCUMENT_MODELS,
    NEWS_SITEMAP_PATH,
    ROBOTS_PATH,
    SITEMAP_INDEX_PATH,
    ArticleSummary,
    AuthorDocument,
    AuthorLink,
    AuthorProfile,
    CategoriesDocument,
    CategoryCount,
    CategoryDocument,
    CategoryLink,
    ErrorDocument,
    FeedLinks,
    LatestDocument,
    SiteDocument,
    TagCount,
    TagDocument,
    TagLink,
    TagMergedDocument,
    TagsDocument,
    author_page_path,
    author_path,
    categories_path,
    category_page_path,
    category_path,
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
from kabar.listnames import author_list_name, category_list_name, list_kind
from kabar.models import TagCount as StoredCount
from kabar.workflows.render.feeds import author_feed, category_feed, render_feeds, site_feed, tag_feed
from kabar.workflows.render.pages import ListDocuments, Written, moved, refresh
from kabar.workflows.render.search import SearchRenderer
from kabar.workflows.render.sources import Output, SiteSettings, Sources

# Readers see this; the site's language is Indonesian.
NOT_FOUND_MESSAGE = "Halaman tidak ditemukan"
CATEGORIES_LISTED = 1000  # categories.json lists every category (a newsroom has tens) up to this


class ListRenderer:
    def __init__(self, sources: Sources, settings: SiteSettings, out: Output) -> None:
        self.sources = sources
        self.settings = settings
        self.out = out
        self.search = SearchRenderer(sources, settings, out)

    def render(self, positions: Iterable[str], lists: Mapping[str, Iterable[str]]) -> None:
        """Rewrite the pages holding ``positions`` in the list of every article (and its newest
        page, the sitemaps and the news sitemap), and likewise for each tag's and category's list
        (``lists``: positions per list, named as kabar.listnames.list_kind reads them), then
        tags.json and categories.json. No position in the list of every article (an article's
        tags changed, a tag was merged): nothing there changed, since what lists show of an
        article holds no tags."""
        size = self.settings.page_size
        latest = ListDocuments(name=None, write_newest=self._write_latest, page_path=latest_page_path,
                               link=self.settings.link)  # fmt: skip
        positions = set(positions)
        if positions:
            if refresh(latest, positions, self.sources.lists, self.out, size):
                # The site's first article: make sure site.json and its companions exist. They
                # never change with content, so this is rare and cheap.
                self.render_site()
            self.search.render_sitemaps(positions)
            self.search.render_news_sitemap()
        kinds = {name: list_kind(name) for name in lists}
        tags = [slug for kind, slug in kinds.values() if kind == "tag"]
        categories = [slug for kind, slug in kinds.values() if kind == "category"]
        authors = [slug for kind, slug in kinds.values() if kind == "author"]
        # One request for every tag's, category's and author's count (and the authors' profiles).
        with self.sources.tags.reading_counts_ahead(tags, categories, authors):
            documents = {name: self._documents(*kinds[name]) for name in lists}
        # Every list's pages written first, then checked in one request: a list whose pages
        # another render committed meanwhile is rendered again, checked as it goes (pages.moved).
        unchecked: list[Written] = []
        for name, found in sorted(lists.items()):
            refresh(documents[name], found, self.sources.lists, self.out, size, unchecked=unchecked)
        for again in sorted(
            name for name in (moved(unchecked, self.sources.lists) if unchecked else ()) if name
        ):
            refresh(documents[again], lists[again], self.sources.lists, self.out, size)
        if tags:
            self.render_tags()
        if categories:
            self.render_categories()

    def _documents(self, kind: str, slug: str) -> ListDocuments:
        if kind == "category":
            return self._category_documents(slug, self.sources.tags.category_count(slug))
        if kind == "author":
            return self._author_documents(slug, self.sources.tags.author_count(slug))
        return self._tag_documents(slug, self.sources.tags.count(slug))

    def _tag_documents(self, slug: str, stats: StoredCount | None) -> ListDocuments:
        link = TagLink(name=stats.name if stats else slug, slug=slug, path=tag_path(slug))
        write = partial(self._write_tag, link, stats.count if stats else 0)
        return ListDocuments(
            name=slug,
            write_newest=write,
            page_path=partial(tag_page_path, slug),
            tag=link,
            link=self.settings.link,
        )

    def _category_documents(self, slug: str, stats: StoredCount | None) -> ListDocuments:
        link = CategoryLink(name=stats.name if stats else slug, slug=slug)
        write = partial(self._write_category, link, stats.count if stats else 0)
        return ListDocuments(name=category_list_name(slug), write_newest=write,
                             page_path=partial(category_page_path, slug), category=link,
                             link=self.settings.link)  # fmt: skip

    def _author_documents(self, slug: str, stats: StoredCount | None) -> ListDocuments:
        profile = self.sources.authors.profile(slug)
        name = profile.name if profile else stats.name if stats else slug
        link = AuthorLink(name=name, slug=slug, path=author_path(slug))
        write = partial(self._write_author, link, stats.count if stats else 0, profile)
        return ListDocuments(name=author_list_name(slug), write_newest=write,
                             page_path=partial(author_page_path, slug), author=link,
                             link=self.settings.link)  # fmt: skip

    def _write_author(
        self, author: AuthorLink, count: int, profile: AuthorProfile | None, articles: list[ArticleSummary],
        more: str | None,
    ) -> None:  # fmt: skip
        feed = author_feed(self.settings, author)
        if not articles and not more and profile is None:  # no article, nothing said of them
            self.out.delete(author.path)
        else:
            document = AuthorDocument(
                slug=author.slug, name=author.name, path=author.path, url=feed.link, count=count,
                profile=profile, articles=articles, more=more,
                feeds=FeedLinks(rss=feed.rss_path, json=feed.json_path),
            )  # fmt: skip
            self.out.put(author.path, document, CACHE_LIST)
        render_feeds(self.sources, self.settings, self.out, feed, newest_page=articles, more=more)

    def _write_latest(self, articles: list[ArticleSummary], more: str | None) -> None:
        self.out.put(latest_path(), LatestDocument(articles=articles, more=more), CACHE_LIST)
        render_feeds(self.sources, self.settings, self.out, site_feed(self.settings), newest_page=articles,
                     more=more)  # fmt: skip

    def _write_tag(self, tag: TagLink, count: int, articles: list[ArticleSummary], more: str | None) -> None:
        if not articles and not more:
            self._tag_without_articles(tag)
        else:
            document = TagDocument(slug=tag.slug, name=tag.name, path=tag.path, count=count,
                                   articles=articles, more=more)  # fmt: skip
            self.out.put(tag.path, document, CACHE_LIST)
        feed = tag_feed(self.settings, tag)  # none while the tag has no article
        render_feeds(self.sources, self.settings, self.out, feed, newest_page=articles, more=more)

    def _write_category(
        self, category: CategoryLink, count: int, articles: list[ArticleSummary], more: str | None
    ) -> None:
        feed = category_feed(self.settings, category)
        path = category_path(category.slug)
        if not articles and not more:  # the category's last article left it
            self.out.delete(path)
        else:
            document = CategoryDocument(
                slug=category.slug, name=category.name, path=path, url=feed.link, count=count,
                articles=articles, more=more, feeds=FeedLinks(rss=feed.rss_path, json=feed.json_path),
            )  # fmt: skip
            self.out.put(path, document, CACHE_LIST)
        render_feeds(self.sources, self.settings, self.out, feed, newest_page=articles, more=more)

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

    def render_categories(self) -> None:
        """categories.json: every category with published articles, by slug (one query)."""
        found = self.sources.tags.categories(CATEGORIES_LISTED)
        urls = self.settings.urls
        document = CategoriesDocument(categories=[
            CategoryCount(name=c.name, slug=c.slug, path=category_path(c.slug), url=urls.category(c.slug),
                          count=c.count) for c in found
        ])  # fmt: skip
        self.out.put(categories_path(), document, CACHE_LIST)

    def render_site(self) -> None:
        """site.json, the error page and the schemas: what changes only with the site itself."""
        from kabar.schemas import SchemaDocument, document_schema

        self.out.put(error_path(404), ErrorDocument(status=404, message=NOT_FOUND_MESSAGE), CACHE_SITE)
        for kind in DOCUMENT_MODELS:
            self.out.put(schema_path(kind), SchemaDocument(document_schema(kind)), CACHE_SITE)
        document = SiteDocument(
            name=self.settings.site_name, url=self.settings.urls.home(), language=self.settings.language,
            latest=latest_path(), tags=tags_path(), categories=categories_path(),
            schemas={kind: schema_path(kind) for kind in DOCUMENT_MODELS},
            feeds=FeedLinks(rss=feed_path("rss"), json=feed_path("json")),
            tag_feeds=FeedLinks(rss=feed_path("rss", "{tag}"), json=feed_path("json", "{tag}")),
            category_feeds=FeedLinks(rss=feed_path("rss", category="{category}"),
                                     json=feed_path("json", category="{category}")),
            authors=author_path("{author}"),
            author_feeds=FeedLinks(rss=feed_path("rss", author="{author}"),
                                   json=feed_path("json", author="{author}")),
            sitemap=SITEMAP_INDEX_PATH, news_sitemap=NEWS_SITEMAP_PATH, robots=ROBOTS_PATH,
        )  # fmt: skip
        self.out.put(site_path(), document, CACHE_SITE)
        self.search.render_robots()
