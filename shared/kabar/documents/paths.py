"""Where every public document lives on the CDN, and the HTTP headers it is written with."""

from __future__ import annotations

from datetime import UTC, datetime

API_VERSION = "v1"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"

# Articles are invalidated on CloudFront when they change, so the edge may keep
# them for a day; browsers cannot be invalidated, so they revalidate sooner.
CACHE_ARTICLE = "public, max-age=300, s-maxage=86400, stale-while-revalidate=60"
# Lists change with every publish: short, and served stale while refreshing.
CACHE_LIST = "public, max-age=60, s-maxage=60, stale-while-revalidate=300"
# An image's variants never change at their path (content-addressed): cached for a year.
CACHE_IMAGE = "public, max-age=31536000, immutable"
CACHE_SITE = "public, max-age=300, s-maxage=3600, stale-while-revalidate=600"
# What is invalidated on CloudFront when written or deleted: articles, which the edge keeps
# for a day. Not lists: the edge refreshes them within a minute anyway, and CloudFront bills
# every invalidated path beyond the first 1,000 a month. Not the site documents (site.json,
# schemas, the error page): rewritten when a month appears or empties but unchanged unless a
# deploy changes the site's settings, which then reach readers within the hour.
EDGE_INVALIDATED = frozenset({CACHE_ARTICLE})


def article_path(slug: str) -> str:
    return f"{API_VERSION}/articles/{slug}.json"


def comments_path(slug: str) -> str:
    """An article's newest page of comments (the one a site loads first)."""
    return f"{API_VERSION}/articles/{slug}/comments.json"


def comments_page_path(slug: str, page: int) -> str:
    return f"{API_VERSION}/articles/{slug}/comments/{page}.json"


COMMENTS_PAGE_SIZE = 50  # approved comments per page of comments.json, in approval order


def comments_page_of(seq: int) -> int:
    """The comments page (from 1) of the comment approved ``seq``-th on its article."""
    return (seq - 1) // COMMENTS_PAGE_SIZE + 1


def latest_path() -> str:
    return f"{API_VERSION}/latest.json"


def latest_page_path(number: int) -> str:
    """An older page of the list of every article (``latest.json`` is the newest)."""
    return f"{API_VERSION}/latest/pages/{number}.json"


def tags_path() -> str:
    return f"{API_VERSION}/tags.json"


def tag_path(slug: str) -> str:
    return f"{API_VERSION}/tags/{slug}.json"


def tag_page_path(slug: str, number: int) -> str:
    """An older page of a tag's list (``v1/tags/<tag>.json`` is the newest)."""
    return f"{API_VERSION}/tags/{slug}/pages/{number}.json"


def categories_path() -> str:
    return f"{API_VERSION}/categories.json"


def category_path(slug: str) -> str:
    return f"{API_VERSION}/categories/{slug}.json"


def category_page_path(slug: str, number: int) -> str:
    """An older page of a category's list (``v1/categories/<slug>.json`` is the newest)."""
    return f"{API_VERSION}/categories/{slug}/pages/{number}.json"


def author_path(slug: str) -> str:
    return f"{API_VERSION}/authors/{slug}.json"


def author_page_path(slug: str, number: int) -> str:
    """An older page of an author's list (``v1/authors/<slug>.json`` is the newest)."""
    return f"{API_VERSION}/authors/{slug}/pages/{number}.json"


def feed_path(
    kind: str, tag: str | None = None, *, category: str | None = None, author: str | None = None
) -> str:
    """A list's feed: ``kind`` "rss" (``feed.xml``) or "json" (``feed.json``); the site's
    (none of ``tag``, ``category`` and ``author``), a tag's, a category's or an author's."""
    name = "feed.xml" if kind == "rss" else "feed.json"
    if category:
        return f"{API_VERSION}/categories/{category}/{name}"
    if author:
        return f"{API_VERSION}/authors/{author}/{name}"
    return f"{API_VERSION}/tags/{tag}/{name}" if tag else f"{API_VERSION}/{name}"


# Search engines' documents, at the CDN's root: robots.txt must be there, and a sitemap may list
# only URLs at or below its own directory. The sitemaps of articles are the pages of
# kabar.listnames.SITEMAP_LIST: numbered as they are made (1 the oldest), the newest unnumbered.
ROBOTS_PATH = "robots.txt"
SITEMAP_INDEX_PATH = "sitemap.xml"
NEWS_SITEMAP_PATH = "news-sitemap.xml"
NEWEST_SITEMAP_PATH = "sitemap-newest.xml"


def sitemap_path(number: int) -> str:
    """An older sitemap of articles (``sitemap-newest.xml`` holds the newest)."""
    return f"sitemap-{number}.xml"


def site_path() -> str:
    return f"{API_VERSION}/site.json"


def error_path(status: int) -> str:
    """The body CloudFront serves with an error status (template: CustomErrorResponses)."""
    return f"{API_VERSION}/errors/{status}.json"


def schema_path(kind: str) -> str:
    return f"{API_VERSION}/schemas/{kind}.json"


def month_of(moment: datetime) -> str:
    """The archive month (``YYYY-MM``, UTC) an article published at ``moment`` is listed in."""
    return moment.astimezone(UTC).strftime("%Y-%m")
