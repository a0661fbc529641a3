"""The body HTML of a feed's entries, for FeedFullText, without reading every article.

A feed is rewritten when its list changes, and then at most a few of its 50 entries are new
or changed. Each entry's body comes, in this order, from the article documents this
invocation just wrote (``Output.bodies``: the article a publish renders, in the same
invocation as its lists), from the feed's own previous JSON Feed (one GET: the entries that
were in it, unchanged since, by ``date_modified``), and only for the rest from the article's
document on the site (one GET each: an article coming back into a tag's newest 50, or every
entry the first time full text is switched on). A document older than the entry's summary
(its render still to come) gives no body: the entry keeps its lead until the feed is next
rewritten, rather than an older text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from kabar.documents import ArticleSummary, article_path
from kabar.record import iso
from kabar.workflows.render.sources import Output


def feed_contents(out: Output, json_path: str, articles: Sequence[ArticleSummary]) -> dict[str, str]:
    """The body HTML of each of ``articles`` that can be had, by slug (``json_path``: where the
    feed's JSON Feed is: its previous version)."""
    wanted = {article.slug: iso(article.updated_at) for article in articles}
    found = {slug: body for slug, (at, body) in out.bodies.items() if wanted.get(slug) == at}
    if len(found) < len(wanted):
        by_url = {article.url: article.slug for article in articles if article.url}
        for item in _items(out.site.get(json_path)):
            slug = by_url.get(str(item.get("id")))
            unchanged = slug and slug not in found and item.get("date_modified") == wanted[slug]
            if unchanged and isinstance(item.get("content_html"), str):
                found[str(slug)] = item["content_html"]
    for slug in [slug for slug in wanted if slug not in found]:
        document = _json(out.site.get(article_path(slug)))
        if document.get("updated_at") == wanted[slug] and isinstance(document.get("body_html"), str):
            found[slug] = document["body_html"]
    return found


def _items(body: bytes | None) -> list[dict[str, Any]]:
    items = _json(body).get("items")
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _json(body: bytes | None) -> dict[str, Any]:
    try:
        found = json.loads(body) if body else {}
    except ValueError:  # not JSON: as though there were none
        return {}
    return found if isinstance(found, dict) else {}
