"""Publishing as the stages leave it, the changes RenderFunction then gets, and walking a list's
pages as a reader's "Show More" does: over any stores (in memory, or the table on moto)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kabar.events import ArticleChanged, TableChange, TagsChanged
from kabar.models import ArticleTags
from kabar.table import keys
from tests.support.memory import article, put_article, tag


def publish(stores: Any, slug: str, version: int = 1, **fields: Any) -> ArticleTags | None:
    """An article version stored and tagged, as PublishFunction and TaggingFunction leave it;
    the tags it had before."""
    before = stores.tags.get(slug)
    put_article(stores.articles, article(slug, version=version, **fields))
    tag(stores, slug)
    return before


def published(stores: Any, slug: str, version: int = 1, **fields: Any) -> list[tuple[str, TableChange]]:
    """Publish a version; the changes its records bring RenderFunction (article, then tags)."""
    previous = publish(stores, slug, version, **fields)
    stored, tagged = stores.articles.get(slug), stores.tags.get(slug)
    assert stored is not None and tagged is not None
    positions = {keys.listing_position(stored.published_at, slug)} if stored.status == "published" else set()
    if previous is not None and previous.published_at is not None:
        positions.add(keys.listing_position(previous.published_at, slug))
    images = tuple(t.to_json() for t in (previous, tagged) if t is not None)
    return [
        (f"{slug}-{version}-article", ArticleChanged(slug, frozenset(positions))),
        (f"{slug}-{version}-tags", TagsChanged(slug, images)),
    ]


def walk(document: Callable[[str], dict[str, Any] | None], start: str) -> list[tuple[str, list[str]]]:
    """Every page from ``start`` (a list's own document) following ``more`` then ``older``:
    each page's path and the slugs it lists, in order."""
    pages, path, seen = [], start, set()
    while path:
        assert path not in seen, f"the pages loop back to {path}"
        seen.add(path)
        found = document(path)
        assert found is not None, f"{path} is linked but missing"
        pages.append((path, [a["slug"] for a in found["articles"]]))
        path = found.get("more") if path == start else found.get("older")
    return pages
