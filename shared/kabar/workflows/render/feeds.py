"""A list's feeds (RSS 2.0 and JSON Feed 1.1, kabar.feeds), written with the list's newest page:
the site's with the list of every article, a tag's with the tag's. A publish rewrites the feeds
of the lists it changed, nothing else: the site's and at most MaxTags tags'. A feed's entries
are the newest page's when that page holds them all (the list has no older page, or the page
has FEED_SIZE articles), else one Query of the list's newest FEED_SIZE, however many articles
exist: the feed and the list's document are written from the same read."""

from __future__ import annotations

from datetime import UTC, datetime

from kabar.documents import CACHE_LIST, ArticleSummary, TagLink, feed_path
from kabar.feeds import FEED_SIZE, JSON_FEED_CONTENT_TYPE, RSS_CONTENT_TYPE, Channel, json_feed, rss
from kabar.urls import joined
from kabar.workflows.render.sources import Output, SiteSettings, Sources


def render_feeds(
    sources: Sources, settings: SiteSettings, out: Output, tag: TagLink | None, *,
    newest_page: list[ArticleSummary], more: str | None,
) -> None:  # fmt: skip
    """Write the site's feeds (``tag`` None) or a tag's, with the list's newest page as just
    written (``newest_page``, with their URLs; ``more``: its link to an older page); a tag
    without articles has none."""
    slug = tag.slug if tag else None
    if more is None or len(newest_page) >= FEED_SIZE:  # the page holds every entry of the feed
        articles = newest_page[:FEED_SIZE]
    else:
        articles = [settings.link(summary) for summary in sources.lists.newest(FEED_SIZE, slug)]
    paths = feed_path("rss", slug), feed_path("json", slug)
    if tag is not None and not articles:
        for path in paths:
            out.delete(path)
        return
    # Readers see the titles and descriptions; the site's language is Indonesian.
    if tag is None:
        title, link = settings.site_name, settings.urls.home()
        description = f"Berita terbaru dari {settings.site_name}"
    else:
        title, link = f"{tag.name} - {settings.site_name}", settings.urls.tag(tag.slug)
        description = f"Berita terbaru tentang {tag.name} dari {settings.site_name}"
    cdn = settings.media_url
    channel = Channel(title=title, link=link, description=description, language=settings.language,
                      rss_url=joined(cdn, paths[0]), json_url=joined(cdn, paths[1]),
                      media_url=cdn)  # fmt: skip
    out.put_bytes(paths[0], rss(channel, articles, datetime.now(UTC)), RSS_CONTENT_TYPE, CACHE_LIST)
    out.put_bytes(paths[1], json_feed(channel, articles), JSON_FEED_CONTENT_TYPE, CACHE_LIST)
