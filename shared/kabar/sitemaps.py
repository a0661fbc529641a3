"""Search engines' documents (pure: no AWS): sitemaps of articles, the sitemap index, the Google
News sitemap and robots.txt.

A sitemap (sitemaps.org 0.9) names each article's canonical URL with ``lastmod``, its last
update; it holds at most SITEMAP_SIZE URLs, far below the protocol's 50,000 URLs and 50 MB. The
index names every sitemap with the time it was last written. The news sitemap (Google's
``news`` extension) names the articles published in the last NEWS_WINDOW, at most NEWS_SIZE, each
with the publication's name and language, the publish time and the title. The sitemaps.org
schema wants at least one URL in a sitemap: a news sitemap with no article that recent names the
newest article without ``news:news``, as Google asks of articles older than two days, so it stays
valid through a quiet weekend.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from kabar.documents import ArticleSummary
from kabar.record import iso
from kabar.xmltext import text

# URLs in the newest sitemap at most; an older one holds half as many. What a publish reads (the
# newest sitemap's articles) against the index's length (one entry per SITEMAP_SIZE / 2 articles:
# 4,000 at a million, within the protocol's 50,000).
SITEMAP_SIZE = 500
NEWS_SIZE = 1000  # Google News reads at most 1,000 URLs of a news sitemap
NEWS_WINDOW = timedelta(days=2)  # Google News takes articles published in the last two days
XML_CONTENT_TYPE = "application/xml; charset=utf-8"
ROBOTS_CONTENT_TYPE = "text/plain; charset=utf-8"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>'


@dataclass(frozen=True)
class Publication:
    """The news sitemap's ``news:publication``: the site's name and language (ISO 639)."""

    name: str
    language: str


def _w3c(moment: datetime) -> str:
    """A W3C date-time, to the second (as search engines' examples write them)."""
    return iso(moment.replace(microsecond=0))


def _url(summary: ArticleSummary) -> str:
    if not summary.url:
        raise ValueError(f"{summary.slug} has no canonical URL to list")
    return summary.url


def urlset(articles: Sequence[ArticleSummary]) -> bytes:
    """A sitemap of these articles (each with its ``url``), in the order given."""
    out = [_HEAD, f'<urlset xmlns="{SITEMAP_NS}">']
    for summary in articles:
        out.append(
            f"<url><loc>{text(_url(summary))}</loc><lastmod>{_w3c(summary.updated_at)}</lastmod></url>"
        )
    out.append("</urlset>")
    return "\n".join(out).encode()


def sitemap_index(sitemaps: Sequence[tuple[str, datetime | None]]) -> bytes:
    """The index of these sitemaps: each one's absolute URL and when it was last written."""
    out = [_HEAD, f'<sitemapindex xmlns="{SITEMAP_NS}">']
    for loc, written in sitemaps:
        lastmod = f"<lastmod>{_w3c(written)}</lastmod>" if written else ""
        out.append(f"<sitemap><loc>{text(loc)}</loc>{lastmod}</sitemap>")
    out.append("</sitemapindex>")
    return "\n".join(out).encode()


def news_urlset(
    recent: Sequence[ArticleSummary], publication: Publication, *, newest: ArticleSummary | None = None
) -> bytes:
    """The Google News sitemap of the ``recent`` articles (published in the last NEWS_WINDOW,
    newest first); with none, the ``newest`` article alone, without news tags."""
    out = [_HEAD, f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">']
    publisher = (
        f"<news:publication><news:name>{text(publication.name)}</news:name>"
        f"<news:language>{text(publication.language)}</news:language></news:publication>"
    )
    for summary in recent[:NEWS_SIZE]:
        out.append(
            f"<url><loc>{text(_url(summary))}</loc><news:news>{publisher}"
            f"<news:publication_date>{_w3c(summary.published_at)}</news:publication_date>"
            f"<news:title>{text(summary.title)}</news:title></news:news></url>"
        )
    if not recent and newest is not None:
        out.append(f"<url><loc>{text(_url(newest))}</loc><lastmod>{_w3c(newest.updated_at)}</lastmod></url>")
    out.append("</urlset>")
    return "\n".join(out).encode()


def robots(sitemaps: Sequence[str]) -> bytes:
    """robots.txt: every crawler may read everything; where the sitemaps are (absolute URLs)."""
    lines = ["User-agent: *", "Allow: /", "", *(f"Sitemap: {url}" for url in sitemaps)]
    return ("\n".join(lines) + "\n").encode()
