"""Lists of articles in gsi1: every published article (``latest``), a tag's, a category's.

Each is newest first by publish time; a month's page is a ``begins_with`` query on
the sort key, and no request path scans.
"""

from __future__ import annotations

from kabar.documents import ArticleSummary
from kabar.table import keys
from kabar.table.base import Table


def _partition(tag: str | None) -> str:
    """The gsi1 partition of a tag's list, or of every published article's (``None``)."""
    return keys.tag_list(tag) if tag else keys.LATEST


def next_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


class ListStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def newest(self, limit: int, tag: str | None = None) -> list[ArticleSummary]:
        """The newest summaries of a tag's list (``None``: every article's), newest first."""
        items = self.table.newest(_partition(tag), limit)
        return [ArticleSummary.model_validate(item["summary"]) for item in items]

    def month(self, month: str, tag: str | None = None) -> list[ArticleSummary]:
        """Every summary of one month (UTC) of a tag's list (``None``: every article's), newest first."""
        items = self.table.query(
            IndexName=keys.GSI1,
            KeyConditionExpression="gsi1pk = :pk AND begins_with(gsi1sk, :month)",
            ExpressionAttributeValues={":pk": {"S": _partition(tag)}, ":month": {"S": month}},
            ScanIndexForward=False,
        )
        return [ArticleSummary.model_validate(item["summary"]) for item in items]

    def neighbour_month(self, month: str, *, older: bool, tag: str | None = None) -> str | None:
        """The nearest month before (or after) ``month`` in which the list has an article."""
        if older:
            condition, bound, forward = "gsi1sk < :bound", month, False
        else:
            condition, bound, forward = "gsi1sk >= :bound", next_month(month), True
        items, _ = self.table.query_page(
            IndexName=keys.GSI1,
            KeyConditionExpression=f"gsi1pk = :pk AND {condition}",
            ExpressionAttributeValues={":pk": {"S": _partition(tag)}, ":bound": {"S": bound}},
            ScanIndexForward=forward,
            Limit=1,
            ProjectionExpression="gsi1sk",
        )
        return keys.month_of_position(str(items[0]["gsi1sk"])) if items else None
