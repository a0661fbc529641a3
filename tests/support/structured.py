"""Google's documented rules for Article and Breadcrumb structured data, as a checker.

From developers.google.com/search/docs/appearance/structured-data/article: no property is
required; recommended are ``author`` (a Person or Organization, each with ``name``; ``url`` to
a page about them when there is one), ``dateModified`` and ``datePublished`` (ISO 8601, with a
time zone when a time is given), ``headline`` (Google shows at most 110 characters) and
``image`` (URLs Google can crawl; several aspect ratios, 16:9, 4:3 and 1:1, each at least
50,000 pixels). From .../breadcrumb: ``itemListElement`` is required, each ``ListItem`` needs
``position`` (from 1) and ``name``, and ``item`` (the page's URL) on every one but the last.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlparse

ARTICLE_TYPES = {"Article", "NewsArticle", "BlogPosting"}
RECOMMENDED = ("author", "dateModified", "datePublished", "headline", "image")


def _absolute(url: Any) -> bool:
    parsed = urlparse(url) if isinstance(url, str) else None
    return bool(parsed and parsed.scheme in ("http", "https") and parsed.netloc)


def _moment(text: Any) -> datetime:
    return datetime.fromisoformat(str(text).replace("Z", "+00:00"))


def _aware(text: Any) -> bool:
    try:
        return _moment(text).utcoffset() is not None
    except ValueError:
        return False


def article_problems(found: dict[str, Any], *, expect_image: bool = True) -> list[str]:
    """What breaks Google's Article rules (or leaves out a recommended property) in ``found``."""
    problems = []
    if found.get("@type") not in ARTICLE_TYPES:
        problems.append(f"@type {found.get('@type')!r} is not an Article type")
    missing = [name for name in RECOMMENDED if name not in found and (expect_image or name != "image")]
    problems += [f"recommended {name} is missing" for name in missing]
    headline = found.get("headline", "")
    if not isinstance(headline, str) or not headline or len(headline) > 110:
        problems.append(f"headline must be 1 to 110 characters: {headline!r}")
    for name in ("datePublished", "dateModified"):
        if name in found and not _aware(found[name]):
            problems.append(f"{name} {found[name]!r} is not ISO 8601 with a time zone")
    dates = [found.get(name) for name in ("datePublished", "dateModified")]
    if all(_aware(date) for date in dates) and _moment(dates[1]) < _moment(dates[0]):
        problems.append("dateModified is before datePublished")
    for author in found.get("author", []):
        if author.get("@type") not in ("Person", "Organization") or not author.get("name"):
            problems.append(f"author {author!r} needs @type Person or Organization and a name")
        if "url" in author and not _absolute(author["url"]):
            problems.append(f"author url {author['url']!r} is not absolute")
    images = found.get("image", [])
    if not isinstance(images, list) or not all(_absolute(url) for url in images):
        problems.append(f"image must be absolute URLs: {images!r}")
    publisher = found.get("publisher", {})
    if publisher and not publisher.get("name"):
        problems.append("publisher needs a name")
    return problems


def breadcrumb_problems(found: dict[str, Any]) -> list[str]:
    problems = []
    items = found.get("itemListElement")
    if found.get("@type") != "BreadcrumbList" or not isinstance(items, list) or not items:
        return ["a BreadcrumbList needs itemListElement"]
    for number, item in enumerate(items, start=1):
        if item.get("@type") != "ListItem" or item.get("position") != number or not item.get("name"):
            problems.append(f"item {number} needs @type ListItem, position {number} and a name: {item!r}")
        if number < len(items) and not _absolute(item.get("item")):
            problems.append(f"item {number} needs the URL of its page")
    return problems
