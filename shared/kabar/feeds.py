"""Feeds of a list's newest articles: RSS 2.0 and JSON Feed 1.1 (pure: no AWS).

Both are built from the summaries a list page shows: title, the
canonical link (also the guid and the JSON Feed id: it never changes for an article), the
publish and update times, the authors (each a ``dc:creator``; in JSON Feed with their page), the
category, the lead as the description, and the featured image (``media:content`` in RSS, as
Google News and most readers take it, since an ``enclosure`` must state the file's length in
bytes; ``image`` in JSON Feed). Each feed names itself (``atom:link rel="self"``,
``feed_url``). With FeedFullText, each entry also carries the article's whole body HTML
(``content:encoded``, ``content_html``), which the caller finds (kabar.workflows.render.fulltext).
Text is escaped for XML, and characters XML cannot carry at all are dropped (editors' text has
none: the upload refuses them).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from kabar.documents import ArticleSummary
from kabar.record import iso
from kabar.urls import SiteUrls, joined
from kabar.xmltext import attr as _attr
from kabar.xmltext import text as _text

FEED_SIZE = 50  # the newest articles a feed holds
RSS_CONTENT_TYPE = "application/rss+xml; charset=utf-8"
JSON_FEED_CONTENT_TYPE = "application/feed+json; charset=utf-8"


@dataclass(frozen=True)
class Channel:
    """What a feed is of: its title, the page it stands for, its own address, its language."""

    title: str
    link: str  # the site's page of the list (home, a tag's page)
    description: str
    language: str
    rss_url: str
    json_url: str
    media_url: str = "/"  # the CDN's address: image paths are made absolute with it
    urls: SiteUrls | None = None  # the site's pages: each author's, in JSON Feed


def _authors(summary: ArticleSummary) -> list[tuple[str, str | None]]:
    """The byline's names with their slugs (a summary stored before authors: its byline, no slug)."""
    if summary.authors:
        return [(author.name, author.slug) for author in summary.authors]
    return [(summary.author, None)] if summary.author else []


def _rfc822(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def _image(summary: ArticleSummary, media_url: str) -> tuple[str, int, int] | None:
    if summary.image is None:
        return None
    image = summary.image
    jpegs = [source for source in image.srcset if source.type == "image/jpeg"]
    if not jpegs:
        return joined(media_url, image.src), image.width, image.height
    largest = max(jpegs, key=lambda source: source.width)
    return joined(media_url, largest.path), largest.width, largest.height


def _newest_change(articles: Sequence[ArticleSummary], fallback: datetime) -> datetime:
    return max((a.updated_at for a in articles), default=fallback)


def rss(
    channel: Channel,
    articles: Sequence[ArticleSummary],
    now: datetime,
    contents: Mapping[str, str] | None = None,
) -> bytes:
    """The RSS 2.0 document of these articles (newest first, each with its ``url``); ``contents``:
    the body HTML of those that carry it whole (``content:encoded``), by slug."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        "<channel>",
        f"<title>{_text(channel.title)}</title>",
        f"<link>{_text(channel.link)}</link>",
        f"<description>{_text(channel.description)}</description>",
        f"<language>{_text(channel.language)}</language>",
        f"<lastBuildDate>{_rfc822(_newest_change(articles, now))}</lastBuildDate>",
        f'<atom:link href={_attr(channel.rss_url)} rel="self" type="application/rss+xml"/>',
    ]
    for article in articles:
        url = article.url or ""
        out += ["<item>", f"<title>{_text(article.title)}</title>", f"<link>{_text(url)}</link>",
                f'<guid isPermaLink="true">{_text(url)}</guid>',
                f"<pubDate>{_rfc822(article.published_at)}</pubDate>",
                f"<atom:updated>{iso(article.updated_at)}</atom:updated>"]  # fmt: skip
        out += [f"<dc:creator>{_text(name)}</dc:creator>" for name, _ in _authors(article)]
        if article.category:
            out.append(f"<category>{_text(article.category.name)}</category>")
        if article.lead:
            out.append(f"<description>{_text(article.lead)}</description>")
        if contents and article.slug in contents:
            out.append(f"<content:encoded>{_text(contents[article.slug])}</content:encoded>")
        image = _image(article, channel.media_url)
        if image:
            out.append(f'<media:content url={_attr(image[0])} medium="image" type="image/jpeg" '
                       f'width="{image[1]}" height="{image[2]}"/>')  # fmt: skip
        out.append("</item>")
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out).encode()


def json_feed(
    channel: Channel, articles: Sequence[ArticleSummary], contents: Mapping[str, str] | None = None
) -> bytes:
    """The JSON Feed 1.1 document of these articles (``contents``: as for :func:`rss`, as
    ``content_html``)."""
    items = []
    for article in articles:
        url = article.url or ""
        item: dict[str, object] = {"id": url, "url": url, "title": article.title,
                                   "content_text": article.lead or article.title,
                                   "date_published": iso(article.published_at),
                                   "date_modified": iso(article.updated_at)}  # fmt: skip
        if article.lead:
            item["summary"] = article.lead
        if contents and article.slug in contents:
            item["content_html"] = contents[article.slug]
        image = _image(article, channel.media_url)
        if image:
            item["image"] = image[0]
        authors = [{"name": name} | ({"url": channel.urls.author(slug)} if slug and channel.urls else {})
                   for name, slug in _authors(article)]  # fmt: skip
        if authors:
            item["authors"] = authors
        if article.category:
            item["tags"] = [article.category.name]
        items.append(item)
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": channel.title,
            "home_page_url": channel.link, "feed_url": channel.json_url, "description": channel.description,
            "language": channel.language, "items": items}  # fmt: skip
    return json.dumps(feed, ensure_ascii=False, separators=(",", ":")).encode()
