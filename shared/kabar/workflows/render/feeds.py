"""A list's feeds (RSS 2.0 and JSON Feed 1.1, kabar.feeds), written with the list: the site's
with the list of every article, a tag's with the tag's. A publish rewrites the feeds of the
lists it changed, nothing else: the site's and at most MaxTags tags', one Query of the
list's newest FEED_SIZE summaries each, however many articles exist."""

from __future__ import annotations

from datetime import UTC, datetime

from kabar.documents import CACHE_LIST, TagLink, feed_path
from kabar.feeds import FEED_SIZE, JSON_FEED_CONTENT_TYPE, RSS_CONTENT_TYPE, Channel, json_feed, rss
from kabar.workflows.render.sources import Output, SiteSettings, Sources


def render_feeds(sources: Sources, settings: SiteSettings, out: Output, tag: TagLink | None = None) -> None:
    """Write the site's feeds (``tag`` None) or a tag's; a tag without articles has none."""
    slug = tag.slug if tag else None
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
    at_cdn = settings.media_url.rstrip("/") + "/"
    channel = Channel(title=title, link=link, description=description, language=settings.language,
                      rss_url=at_cdn + paths[0], json_url=at_cdn + paths[1],
                      media_url=settings.media_url)  # fmt: skip
    out.put_bytes(paths[0], rss(channel, articles, datetime.now(UTC)), RSS_CONTENT_TYPE, CACHE_LIST)
    out.put_bytes(paths[1], json_feed(channel, articles), JSON_FEED_CONTENT_TYPE, CACHE_LIST)
