"""Lists of articles in gsi1 (every published article's, a tag's), kept as fixed-size pages.

An article's place in a list is its gsi1 sort key (``<published_at, UTC>#<slug>``). A page is
a range of those places, stored as one item keyed by its upper bound (keys.page_bound; the
newest page's bound is OPEN_PAGE): the page that holds a position is the one
with the smallest upper bound above it (one ``Query`` with ``Limit 1``), and a page's articles
are one ``Query`` of gsi1 between its bounds. Pages change only through :meth:`commit`, a
transaction conditioned on the versions read, so two renders of one page cannot both win.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from kabar.documents import ArticleSummary
from kabar.errors import Conflict
from kabar.paging import PageBound
from kabar.table import keys
from kabar.table.base import Table
from kabar.table.codec import to_item

TYPE_PAGE = "page"


PageOf = tuple[str | None, str]  # a list (its tag, None: every article's) and a page's upper bound


def _partition(tag: str | None) -> str:
    """The gsi1 partition of a tag's list, or of every published article's (``None``)."""
    return keys.tag_list(tag) if tag else keys.LATEST


def _bound(item: dict[str, Any]) -> PageBound:
    number, older, version, seq = (int(item.get(name, 0)) for name in ("number", "older", "version", "seq"))
    return PageBound(upper=str(item["sk"]), lower=str(item.get("lower", "")), number=number, older=older,
                     version=version, seq=seq)  # fmt: skip


class ListStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    @staticmethod
    def position(published_at: datetime, slug: str) -> str:
        """Where an article published at ``published_at`` sits in its lists."""
        return keys.listing_position(published_at, slug)

    def newest(self, limit: int, tag: str | None = None) -> list[ArticleSummary]:
        """The newest summaries of a tag's list (``None``: every article's), newest first."""
        items = self.table.newest(_partition(tag), limit)
        return [ArticleSummary.from_json(item["summary"]) for item in items]

    # pages -----------------------------------------------------------------------------

    def page_of(self, tag: str | None, position: str) -> PageBound | None:
        """The page that holds ``position`` (None: the list has no pages yet)."""
        items, _ = self.table.query_page(
            KeyConditionExpression="pk = :pk AND sk > :position",
            ExpressionAttributeValues=to_item({":pk": keys.pages_of(_partition(tag)), ":position": position}),
            Limit=1, ConsistentRead=True,
        )  # fmt: skip
        return _bound(items[0]) if items else None

    def newest_page(self, tag: str | None) -> PageBound:
        """The list's newest page (version 0 when the list has none yet)."""
        item = self.table.get(keys.page_bound(_partition(tag), keys.OPEN_PAGE))
        return _bound(item) if item else self.newest_page_of_nothing()

    @staticmethod
    def newest_page_of_nothing() -> PageBound:
        """The newest page of a list that has none stored yet."""
        return PageBound(upper=keys.OPEN_PAGE)

    def page(self, tag: str | None, upper: str) -> PageBound | None:
        item = self.table.get(keys.page_bound(_partition(tag), upper))
        return _bound(item) if item else None

    def entries(self, tag: str | None, page: PageBound) -> list[tuple[str, ArticleSummary]]:
        """The page's articles, newest first, with their positions (every one: a page holds at
        most PageSize articles, plus those published since it was last rendered)."""
        values: dict[str, Any] = {":pk": _partition(tag)}
        condition = "gsi1pk = :pk"
        sealed = page.upper != keys.OPEN_PAGE
        if page.lower and sealed:
            condition += " AND gsi1sk BETWEEN :lower AND :upper"
            values |= {":lower": page.lower, ":upper": page.upper}
        elif page.lower:
            condition += " AND gsi1sk >= :lower"
            values[":lower"] = page.lower
        elif sealed:
            condition += " AND gsi1sk < :upper"
            values[":upper"] = page.upper
        items = self.table.query(
            IndexName=keys.GSI1, KeyConditionExpression=condition, ExpressionAttributeValues=to_item(values),
            ScanIndexForward=False,
        )  # fmt: skip
        return [(str(item["gsi1sk"]), ArticleSummary.from_json(item["summary"])) for item in items
                if not (sealed and item["gsi1sk"] == page.upper)]  # fmt: skip

    def commit(self, tag: str | None, *, put: Iterable[PageBound] = (), delete: Iterable[PageBound] = (),
               seq: tuple[int, int] | None = None) -> None:  # fmt: skip
        """Write pages (each ``version`` is the new one: stored at ``version - 1`` before, or not at
        all when 1), delete pages (stored at their ``version``), and move the newest page's ``seq``
        from ``seq[0]`` to ``seq[1]`` when the newest page is not among ``put``; all or nothing.
        Conflict when any page is not as read."""
        partition = _partition(tag)
        items: list[Any] = []
        for bound in put:
            values = {**keys.page_bound(partition, bound.upper), "type": TYPE_PAGE, "lower": bound.lower,
                      "number": bound.number, "older": bound.older, "version": bound.version,
                      "seq": bound.seq}  # fmt: skip
            if bound.version == 1:
                items.append(self.table.put_op(values, ConditionExpression="attribute_not_exists(pk)"))
            else:
                items.append(self.table.put_op(values, **_at_version(bound.version - 1)))
        for bound in delete:
            items.append(
                self.table.delete_op(keys.page_bound(partition, bound.upper), **_at_version(bound.version))
            )
        if seq is not None:
            moved = to_item({":old": seq[0], ":new": seq[1]})
            items.append(self.table.update_op(
                keys.page_bound(partition, keys.OPEN_PAGE), UpdateExpression="SET seq = :new",
                ConditionExpression="seq = :old", ExpressionAttributeValues=moved,
            ))  # fmt: skip
        self.table.transact(items, lambda reasons: Conflict(f"pages of {partition}: {reasons}"))

    def versions(self, tag: str | None, uppers: Iterable[str]) -> dict[str, int]:
        """The stored version of each of these pages (absent: deleted)."""
        partition = _partition(tag)
        found = self.table.batch_get(
            (keys.page_bound(partition, upper) for upper in uppers), ("sk", "version")
        )
        return {str(item["sk"]): int(item["version"]) for item in found}

    def versions_of(self, uppers: Mapping[str | None, Iterable[str]]) -> dict[PageOf, int]:
        """The stored version of pages of several lists, in one batch get (absent: deleted)."""
        by_partition = {_partition(tag): tag for tag in uppers}
        wanted = [keys.page_bound(_partition(tag), upper) for tag in uppers for upper in uppers[tag]]
        found = self.table.batch_get(wanted, ("pk", "sk", "version"))
        tag_of = {item["pk"]: by_partition[keys.partition_of_pages(str(item["pk"]))] for item in found}
        return {(tag_of[item["pk"]], str(item["sk"])): int(item["version"]) for item in found}


def _at_version(version: int) -> dict[str, Any]:
    return {"ConditionExpression": "version = :version",
            "ExpressionAttributeValues": {":version": {"N": str(version)}}}  # fmt: skip
