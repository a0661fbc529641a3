"""Lists of articles in gsi1 (every published article's, a tag's, a category's; kabar.listnames.list_kind),
kept as fixed-size pages.

An article's place in a list is its gsi1 sort key (``<published_at, UTC>#<slug>``). A page is
a range of those places, stored as one item keyed by its upper bound (keys.page_bound; the
newest page's bound is OPEN_PAGE): the page that holds a position is the one
with the smallest upper bound above it (one ``Query`` with ``Limit 1``), and a page's articles
are one ``Query`` of gsi1 between its bounds. Pages change only through :meth:`commit`, a
transaction conditioned on the versions read, so two renders of one page cannot both win.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from kabar.documents import ArticleSummary
from kabar.errors import Conflict
from kabar.paging import PageBound
from kabar.table import keys
from kabar.table.base import Table
from kabar.table.codec import to_item

TYPE_PAGE = "page"


PageOf = tuple[str | None, str]  # a list (its name: kabar.listnames.list_kind) and a page's upper bound


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

    def newest(self, limit: int, name: str | None = None) -> list[ArticleSummary]:
        """The newest summaries of the list ``name`` (``None``: every article's), newest first."""
        items = self.table.newest(keys.list_partition(name), limit)
        return [ArticleSummary.from_json(item["summary"]) for item in items]

    def since(self, lower: str, limit: int, *, before: str | None = None) -> list[ArticleSummary]:
        """The newest summaries (at most ``limit``) of every published article at or after the
        position ``lower`` (and before ``before``), newest first: one request."""
        condition, values = "gsi1pk = :pk AND gsi1sk >= :lower", {":pk": keys.LATEST, ":lower": lower}
        if before is not None:
            condition = "gsi1pk = :pk AND gsi1sk BETWEEN :lower AND :before"
            values[":before"] = before
        items, _ = self.table.query_page(
            IndexName=keys.GSI1, KeyConditionExpression=condition, ExpressionAttributeValues=to_item(values),
            ScanIndexForward=False, Limit=limit + (1 if before is not None else 0),
        )  # fmt: skip
        found = [item for item in items if item["gsi1sk"] != before][:limit]
        return [ArticleSummary.from_json(item["summary"]) for item in found]

    # pages -----------------------------------------------------------------------------

    def page_of(self, name: str | None, position: str) -> PageBound | None:
        """The page that holds ``position`` (None: the list has no pages yet)."""
        items, _ = self.table.query_page(
            KeyConditionExpression="pk = :pk AND sk > :position",
            ExpressionAttributeValues=to_item({":pk": keys.pages_of(keys.list_pages(name)),
                                               ":position": position}),
            Limit=1, ConsistentRead=True,
        )  # fmt: skip
        return _bound(items[0]) if items else None

    def newest_page(self, name: str | None) -> PageBound:
        """The list's newest page (version 0 when the list has none yet)."""
        item = self.table.get(keys.page_bound(keys.list_pages(name), keys.OPEN_PAGE))
        return _bound(item) if item else self.newest_page_of_nothing()

    @staticmethod
    def newest_page_of_nothing() -> PageBound:
        """The newest page of a list that has none stored yet."""
        return PageBound(upper=keys.OPEN_PAGE)

    def page(self, name: str | None, upper: str) -> PageBound | None:
        item = self.table.get(keys.page_bound(keys.list_pages(name), upper))
        return _bound(item) if item else None

    def entries(self, name: str | None, page: PageBound) -> list[tuple[str, ArticleSummary]]:
        """The page's articles, newest first, with their positions (every one: a page holds at
        most PageSize articles, plus those published since it was last rendered)."""
        values: dict[str, Any] = {":pk": keys.list_partition(name)}
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

    def commit(self, name: str | None, *, put: Iterable[PageBound] = (), delete: Iterable[PageBound] = (),
               seq: tuple[int, int] | None = None) -> None:  # fmt: skip
        """Write pages (each ``version`` is the new one: stored at ``version - 1`` before, or not at
        all when 1), delete pages (stored at their ``version``), and move the newest page's ``seq``
        from ``seq[0]`` to ``seq[1]`` when the newest page is not among ``put``; all or nothing.
        Conflict when any page is not as read."""
        partition = keys.list_pages(name)
        items: list[Any] = []
        written_at = datetime.now(UTC).isoformat(timespec="seconds")
        for bound in put:
            values = {**keys.page_bound(partition, bound.upper), "type": TYPE_PAGE, "lower": bound.lower,
                      "number": bound.number, "older": bound.older, "version": bound.version,
                      "seq": bound.seq, "written_at": written_at}  # fmt: skip
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

    def every_page(self, name: str | None) -> list[tuple[PageBound, datetime | None]]:
        """Every page of a list, oldest first (the newest last), with when each was last written
        (None: before pages carried it): what the sitemap index names. One Query per MB of
        page items, about 5,000 pages (1.2 million articles at SITEMAP_SIZE 500)."""
        items = self.table.query(
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues=to_item({":pk": keys.pages_of(keys.list_pages(name))}),
        )  # fmt: skip
        found = [(_bound(item), item.get("written_at")) for item in items]
        pages = [(bound, datetime.fromisoformat(str(at)) if at else None) for bound, at in found]
        return sorted(pages, key=lambda page: page[0].upper)

    def versions(self, name: str | None, uppers: Iterable[str]) -> dict[str, int]:
        """The stored version of each of these pages (absent: deleted)."""
        partition = keys.list_pages(name)
        found = self.table.batch_get(
            (keys.page_bound(partition, upper) for upper in uppers), ("sk", "version")
        )
        return {str(item["sk"]): int(item["version"]) for item in found}

    def versions_of(self, uppers: Mapping[str | None, Iterable[str]]) -> dict[PageOf, int]:
        """The stored version of pages of several lists, in one batch get (absent: deleted)."""
        by_partition = {keys.list_pages(name): name for name in uppers}
        wanted = [keys.page_bound(keys.list_pages(name), upper) for name in uppers for upper in uppers[name]]
        found = self.table.batch_get(wanted, ("pk", "sk", "version"))
        name_of = {item["pk"]: by_partition[keys.partition_of_pages(str(item["pk"]))] for item in found}
        return {(name_of[item["pk"]], str(item["sk"])): int(item["version"]) for item in found}


def _at_version(version: int) -> dict[str, Any]:
    return {"ConditionExpression": "version = :version",
            "ExpressionAttributeValues": {":version": {"N": str(version)}}}  # fmt: skip
