"""The page items of lists a benchmark writes straight into the table (as a rebuild would):
what publishing those articles one by one would have left (kabar.workflows.render.pages.paged)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

PAGE_SIZE = 50  # the template's default PageSize


def page_items(positions: Mapping[str | None, Iterable[str]], size: int = PAGE_SIZE) -> list[dict[str, Any]]:
    """Plain items (to_item them) for every list's pages; ``positions``: by tag, None for latest."""
    from dataclasses import asdict

    from kabar.table import keys
    from kabar.table.lists import TYPE_PAGE, ListStore
    from kabar.workflows.render.pages import paged

    items = []
    for tag, listed in positions.items():
        newest = ListStore.newest_page_of_nothing()
        for bound in paged(listed, size, newest):
            values = asdict(bound)
            upper = values.pop("upper")
            items.append({**keys.page_bound(keys.list_pages(tag), upper), "type": TYPE_PAGE, **values})
    return items
