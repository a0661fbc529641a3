"""The site's public addresses: where readers (and search engines) find an article's page, a
category's, a tag's and an author's, from the stack's ``SiteUrl`` and URL patterns.

Kabar serves JSON; the site's own pages are addressed as the site chooses, and the documents,
feeds and sitemaps name those pages, not the JSON. A pattern is a path with placeholders:
``{slug}`` (required in an article's), ``{category}`` (the category's slug, or
:data:`UNCATEGORIZED`), and ``{yyyy}``, ``{mm}``, ``{dd}`` (the publish date on the site's
clock, ``SITE_UTC_OFFSET``: Indonesia keeps no daylight saving time, so a fixed offset is
exact). The default is WordPress's "day and name" structure, so links to a site that moves
from WordPress keep their shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kabar.documents import ArticleSummary

ARTICLE_PATTERN = "/{yyyy}/{mm}/{dd}/{slug}/"
CATEGORY_PATTERN = "/category/{category}/"
TAG_PATTERN = "/tag/{tag}/"
AUTHOR_PATTERN = "/author/{author}/"
UNCATEGORIZED = "berita"  # the {category} of an article without one
WIB = timedelta(hours=7)

# Each pattern's placeholders: the one it needs, and the others it may use.
PLACEHOLDERS = {
    "article": ("slug", {"slug", "category", "yyyy", "mm", "dd"}),
    "category": ("category", {"category"}),
    "tag": ("tag", {"tag"}),
    "author": ("author", {"author"}),
}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_OFFSET = re.compile(r"([+-])([01][0-9]|2[0-3]):([0-5][0-9])")


def pattern_problem(kind: str, pattern: str) -> str | None:
    """What is wrong with a URL pattern of ``kind`` (article, category, tag, author), or None."""
    needed, allowed = PLACEHOLDERS[kind]
    if not pattern.startswith("/") or any(c in pattern for c in "?#\\ \t\n"):
        return "must be a path starting with / (no query, fragment or spaces)"
    used = _PLACEHOLDER.findall(pattern)
    unknown = sorted(set(used) - allowed)
    if unknown:
        known = ", ".join("{" + name + "}" for name in sorted(allowed))
        return f"has unknown placeholders {', '.join('{' + u + '}' for u in unknown)} (known: {known})"
    if needed not in used:
        return "must contain {" + needed + "}"
    if _PLACEHOLDER.sub("", pattern).count("{") or _PLACEHOLDER.sub("", pattern).count("}"):
        return "has an unmatched { or }"
    return None


def joined(base: str, path: str) -> str:
    """``path`` under ``base`` (an address, or "/"), with one slash between them."""
    return base.rstrip("/") + "/" + path.lstrip("/")


def utc_offset(text: str) -> timedelta:
    """``+07:00`` as a timedelta (ValueError for anything else)."""
    found = _OFFSET.fullmatch(text)
    if not found:
        raise ValueError("must be a UTC offset like +07:00 (WIB), +08:00 (WITA) or +09:00 (WIT)")
    sign, hours, minutes = found.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    return -delta if sign == "-" else delta


@dataclass(frozen=True)
class SiteUrls:
    """The site's addresses: ``base`` (``https://www.example.id``, the site's or the CDN's) and
    the patterns of its pages."""

    base: str = ""
    article_pattern: str = ARTICLE_PATTERN
    category_pattern: str = CATEGORY_PATTERN
    tag_pattern: str = TAG_PATTERN
    author_pattern: str = AUTHOR_PATTERN
    offset: timedelta = WIB

    def home(self) -> str:
        return self.base.rstrip("/") + "/"

    def absolute(self, path: str) -> str:
        """A path of the site as a full URL."""
        return joined(self.base, path)

    def article(self, slug: str, published_at: datetime, category: str | None) -> str:
        """The canonical URL of an article's page (``category``: its category's slug)."""
        local = published_at.astimezone(timezone(self.offset))
        values = {"slug": slug, "category": category or UNCATEGORIZED, "yyyy": f"{local.year:04d}",
                  "mm": f"{local.month:02d}", "dd": f"{local.day:02d}"}  # fmt: skip
        return self.absolute(_fill(self.article_pattern, values))

    def of(self, summary: ArticleSummary) -> str:
        """The canonical URL of a listed article."""
        category = summary.category.slug if summary.category else None
        return self.article(summary.slug, summary.published_at, category)

    def category(self, slug: str) -> str:
        return self.absolute(_fill(self.category_pattern, {"category": slug}))

    def tag(self, slug: str) -> str:
        return self.absolute(_fill(self.tag_pattern, {"tag": slug}))

    def author(self, slug: str) -> str:
        return self.absolute(_fill(self.author_pattern, {"author": slug}))


def _fill(pattern: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda found: values[found.group(1)], pattern)
