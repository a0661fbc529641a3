"""A list's feeds (RSS 2.0 and JSON Feed 1.1, kabar.feeds), written with the list's newest page:
the site's with the list of every article, a tag's, a category's or an author's with its own. A
publish rewrites the feeds of the lists it changed, nothing else: the site's, its category's, its
authors' (at most MAX_AUTHORS) and at most MaxTags tags'. A feed's entries are the newest
page's when that page holds them all (the list has no older page, or the page has FEED_SIZE
articles), else one Query of the list's newest FEED_SIZE, however many articles exist: the feed
and the list's document are written from the same read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from kabar.documents import CACHE_LIST, ArticleSummary, AuthorLink, CategoryLink, TagLink, feed_path
from kabar.feeds import FEED_SIZE, JSON_FEED_CONTENT_TYPE, RSS_CONTENT_TYPE, Channel, json_feed, rss
from kabar.listnames import author_list_name, category_list_name
from kabar.urls import joined
from kabar.workflows.render.fulltext import feed_contents
from kabar.workflows.render.sources import Output, SiteSettings, Sources


@dataclass(frozen=True)
class ListFeed:
    """One list's feeds: the list (its name, kabar.listnames.list_kind), what readers see of
    it (title, the site's page of it, description) and where its two documents are."""

    list_name: str | None
    title: str
    link: str
    description: str
    rss_path: str
    json_path: str


# Readers see the titles and descriptions; the site's language is Indonesian.
def site_feed(settings: SiteSettings) -> ListFeed:
    name = settings.site_name
    return ListFeed(None, name, settings.urls.home(), f"Berita terbaru dari {name}", feed_path("rss"),
                    feed_path("json"))  # fmt: skip


def tag_feed(settings: SiteSettings, tag: TagLink) -> ListFeed:
    site = settings.site_name
    return ListFeed(tag.slug, f"{tag.name} - {site}", settings.urls.tag(tag.slug),
                    f"Berita terbaru tentang {tag.name} dari {site}", feed_path("rss", tag.slug),
                    feed_path("json", tag.slug))  # fmt: skip


def category_feed(settings: SiteSettings, category: CategoryLink) -> ListFeed:
    site, slug = settings.site_name, category.slug
    return ListFeed(category_list_name(slug), f"{category.name} - {site}", settings.urls.category(slug),
                    f"Berita {category.name} terbaru dari {site}", feed_path("rss", category=slug),
                    feed_path("json", category=slug))  # fmt: skip


def author_feed(settings: SiteSettings, author: AuthorLink) -> ListFeed:
    site, slug = settings.site_name, author.slug
    return ListFeed(author_list_name(slug), f"{author.name} - {site}", settings.urls.author(slug),
                    f"Berita terbaru oleh {author.name} di {site}", feed_path("rss", author=slug),
                    feed_path("json", author=slug))  # fmt: skip


def render_feeds(
    sources: Sources, settings: SiteSettings, out: Output, feed: ListFeed, *,
    newest_page: list[ArticleSummary], more: str | None,
) -> None:  # fmt: skip
    """Write a list's feeds, with the list's newest page as just written (``newest_page``, with
    their URLs; ``more``: its link to an older page); a tag, category or author without articles has
    none."""
    if more is None or len(newest_page) >= FEED_SIZE:  # the page holds every entry of the feed
        articles = newest_page[:FEED_SIZE]
    else:
        articles = [settings.link(summary) for summary in sources.lists.newest(FEED_SIZE, feed.list_name)]
    if feed.list_name is not None and not articles:
        out.delete(feed.rss_path)
        out.delete(feed.json_path)
        return
    cdn = settings.media_url
    channel = Channel(title=feed.title, link=feed.link, description=feed.description,
                      language=settings.language, rss_url=joined(cdn, feed.rss_path),
                      json_url=joined(cdn, feed.json_path), media_url=cdn, urls=settings.urls)  # fmt: skip
    contents = feed_contents(out, feed.json_path, articles) if settings.feed_full_text else {}
    body = rss(channel, articles, datetime.now(UTC), contents)
    out.put_bytes(feed.rss_path, body, RSS_CONTENT_TYPE, CACHE_LIST)
    out.put_bytes(feed.json_path, json_feed(channel, articles, contents), JSON_FEED_CONTENT_TYPE, CACHE_LIST)
