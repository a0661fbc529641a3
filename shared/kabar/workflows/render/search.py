"""What search engines read (kabar.sitemaps), rewritten with the list of every article.

The sitemaps of articles are the pages of their own list, ``kabar.listnames.SITEMAP_LIST``:
every published article again, but in pages of ``SiteSettings.sitemap_size``
(kabar.sitemaps.SITEMAP_SIZE), kept as kabar.workflows.render.pages keeps the lists' pages. A
publish rewrites the sitemaps that hold the positions the article was and is at, and the newest,
never the others: at most three (an older one it was in, the newest, and one split off the
newest).

The index names every sitemap with when its page was last written: one Query of the pages'
items (about 5,000 in a MB), which grow with the corpus, so no publish reads them. The
template's hourly schedule rewrites the index, naming the sitemaps split off the newest since
(one publish in SITEMAP_SIZE / 2 splits it; the articles moved wait at most an hour to be named
again) and bringing the ``lastmod`` dates up to date. A render rewrites it at once only when
that is cheap or needed: when it made the first sitemap besides the newest (the pages are then
at most a few), and when an unpublish merged an emptied sitemap away (its file is deleted, and
the index must not name it: a rare event, since it takes every article of a sitemap).

The news sitemap is the articles published in the last two days (at most NEWS_SIZE), rewritten
with every publish from the newest sitemap's articles when they reach back two days, else with
one more Query; and on the hour by the schedule, so that articles leave it when they age out
even when nothing is published.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from kabar.documents import (
    CACHE_LIST,
    NEWEST_SITEMAP_PATH,
    NEWS_SITEMAP_PATH,
    ROBOTS_PATH,
    SITEMAP_INDEX_PATH,
    ArticleSummary,
    sitemap_path,
)
from kabar.listnames import SITEMAP_LIST
from kabar.paging import PageBound
from kabar.sitemaps import (
    NEWS_SIZE,
    NEWS_WINDOW,
    ROBOTS_CONTENT_TYPE,
    XML_CONTENT_TYPE,
    Publication,
    news_urlset,
    robots,
    sitemap_index,
    urlset,
)
from kabar.urls import joined
from kabar.workflows.render.pages import ListDocuments, refresh
from kabar.workflows.render.sources import Output, SiteSettings, Sources


class SearchRenderer:
    def __init__(self, sources: Sources, settings: SiteSettings, out: Output) -> None:
        self.sources = sources
        self.settings = settings
        self.out = out
        self._newest: tuple[list[ArticleSummary], str | None] | None = None  # the newest sitemap's

    def render_sitemaps(self, positions: Iterable[str]) -> None:
        """The sitemaps holding ``positions`` (in the list of every article) and the newest; the
        index when a sitemap was deleted or the first ones made (the module's docstring)."""
        index_now: list[bool] = []

        def reshaped(made: list[PageBound], gone: list[PageBound]) -> None:
            # A sitemap deleted, or the first made (the newest, or the first numbered one: no
            # older page before it): the index at once. Any other split waits for the hour.
            if gone or any(page.older == 0 for page in made):
                index_now.append(True)

        docs = ListDocuments(name=SITEMAP_LIST, write_newest=self._write_newest, page_path=sitemap_path,
                             link=self.settings.link, write_older=self._write_older,
                             reshaped=reshaped)  # fmt: skip
        refresh(docs, positions, self.sources.lists, self.out, self.settings.sitemap_size)
        if index_now or not self._has_articles:
            self.render_index()

    @property
    def _has_articles(self) -> bool:
        return self._newest is None or bool(self._newest[0] or self._newest[1])

    def render_index(self) -> None:
        """sitemap.xml: every sitemap, oldest first, with when it was last written."""
        if not self._has_articles:
            self.out.delete(SITEMAP_INDEX_PATH)
            return
        pages = self.sources.lists.every_page(SITEMAP_LIST)
        named = [(self._address(sitemap_path(page.number) if page.number else NEWEST_SITEMAP_PATH), written)
                 for page, written in pages if page.version]  # fmt: skip
        if not named:
            self.out.delete(SITEMAP_INDEX_PATH)
            return
        self.out.put_bytes(SITEMAP_INDEX_PATH, sitemap_index(named), XML_CONTENT_TYPE, CACHE_LIST)

    def _write_newest(self, articles: list[ArticleSummary], more: str | None) -> None:
        self._newest = (articles, more)
        if not articles:  # the newest page is empty only when the site has no article at all
            self.out.delete(NEWEST_SITEMAP_PATH)
            return
        self.out.put_bytes(NEWEST_SITEMAP_PATH, urlset(articles), XML_CONTENT_TYPE, CACHE_LIST)

    def _write_older(self, number: int, articles: list[ArticleSummary], older: str | None) -> None:
        self.out.put_bytes(sitemap_path(number), urlset(articles), XML_CONTENT_TYPE, CACHE_LIST)

    def render_news_sitemap(self, now: datetime | None = None) -> None:
        """The articles published in the last two days (NEWS_WINDOW), newest first: those of the
        newest sitemap just written, and one Query for the older ones when it does not reach
        back that far."""
        since = (now or datetime.now(UTC)) - NEWS_WINDOW
        lists = self.sources.lists
        page, more = self._newest if self._newest is not None else ([], "")
        recent = [summary for summary in page if summary.published_at >= since][:NEWS_SIZE]
        oldest = page[-1] if page else None
        if more is not None and (oldest is None or oldest.published_at >= since) and len(recent) < NEWS_SIZE:
            before = lists.position(oldest.published_at, oldest.slug) if oldest else None
            older = lists.since(lists.position(since, ""), NEWS_SIZE - len(recent), before=before)
            recent += [self.settings.link(summary) for summary in older]
        newest = page[0] if page else None
        if not recent and newest is None and more is not None:
            found = next(iter(lists.newest(1)), None)
            newest = self.settings.link(found) if found else None
        if not recent and newest is None:
            self.out.delete(NEWS_SITEMAP_PATH)
            return
        publication = Publication(name=self.settings.site_name, language=self.settings.language)
        body = news_urlset(recent, publication, newest=newest)
        self.out.put_bytes(NEWS_SITEMAP_PATH, body, XML_CONTENT_TYPE, CACHE_LIST)

    def render_hourly(self) -> None:
        """What the template's hourly schedule asks for: the news sitemap, as the clock moved it,
        and the index, with every sitemap's last write."""
        self.render_news_sitemap()
        self.render_index()

    def render_robots(self) -> None:
        """robots.txt: written with the site's documents (its content changes only with a deploy)."""
        sitemaps = [self._address(SITEMAP_INDEX_PATH), self._address(NEWS_SITEMAP_PATH)]
        self.out.put_bytes(ROBOTS_PATH, robots(sitemaps), ROBOTS_CONTENT_TYPE, CACHE_LIST)

    def _address(self, path: str) -> str:
        return joined(self.settings.media_url, path)
