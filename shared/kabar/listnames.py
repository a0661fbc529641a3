"""The names of the lists of articles kept in pages (kabar.table.lists, kabar.workflows.render.pages).

``None`` is every published article's list; a tag's list is named by the tag's slug (slugs never
hold "/"); ``category/<slug>`` a category's; ``author/<slug>`` an author's; ``sitemap/articles``
is every published article's list again, paged in sitemap-sized pieces of its own (the sitemaps
of kabar.sitemaps). Stage messages carry these names (kabar.dispatch), so they are a wire format:
change them with care.
"""

from __future__ import annotations

from typing import Literal

CATEGORY_LIST = "category/"
AUTHOR_LIST = "author/"
SITEMAP_LIST = "sitemap/articles"
ListKind = Literal["latest", "tag", "category", "author", "sitemap"]


def category_list_name(category: str) -> str:
    """The name of a category's list (``category`` its slug)."""
    return f"{CATEGORY_LIST}{category}"


def author_list_name(author: str) -> str:
    """The name of an author's list (``author`` their slug)."""
    return f"{AUTHOR_LIST}{author}"


def list_kind(name: str | None) -> tuple[ListKind, str]:
    """What a list's name names: its kind, and the tag's, category's or author's slug."""
    if name is None:
        return "latest", ""
    if name == SITEMAP_LIST:
        return "sitemap", ""
    if name.startswith(CATEGORY_LIST):
        return "category", name.removeprefix(CATEGORY_LIST)
    if name.startswith(AUTHOR_LIST):
        return "author", name.removeprefix(AUTHOR_LIST)
    return "tag", name
