"""Scheduled articles: the list of what goes public later, and the two ends of a schedule (the
release that publishes the scheduled version, the cancellation that keeps it as a draft).

Both ends write the article's next version exactly as a publish does (the current item, its
history entry, the upload's outcome, in one transaction conditioned on the scheduled version
still being current), so every stage downstream sees an ordinary new version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kabar.errors import Stale
from kabar.models import Article, UploadState
from kabar.record import Record
from kabar.table import keys
from kabar.table.articles import article_items
from kabar.table.base import Table
from kabar.table.codec import decode_cursor, encode_cursor, to_item, to_value

LISTED = ("slug", "title", "version", "upload_id", "published_at", "embargo_until", "release_at", "status")


@dataclass(kw_only=True)
class ScheduledArticle(Record):
    """One entry of the scheduled list: the article, its version, and when it goes public."""

    slug: str
    title: str
    version: int
    upload_id: str
    release_at: datetime
    published_at: datetime
    embargo_until: datetime | None = None


class ReleaseStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def release(self, scheduled: Article, released: Article, now: datetime) -> None:
        """Store ``released`` (the next version, published) over the scheduled version
        ``scheduled``, and the upload as published; Stale when ``scheduled`` is no longer the
        current version (an edit, a cancellation, a release before this one)."""
        self._replace(scheduled, released, {
            "UpdateExpression": "SET #state = :state, released_at = :now, article.#version = :version, "
                                "article.#status = :status",
            "ExpressionAttributeValues": {":state": to_value(UploadState.PUBLISHED.value),
                                          ":now": to_value(now.isoformat()),
                                          ":version": to_value(released.version),
                                          ":status": to_value(released.status)},
        })  # fmt: skip

    def cancel(self, scheduled: Article, draft: Article, by: str) -> None:
        """Store ``draft`` (the next version, a draft) over the scheduled version, and the upload
        as cancelled by ``by``; Stale as for :meth:`release`."""
        self._replace(scheduled, draft, {
            "UpdateExpression": "SET #state = :state, superseded_by = :by, article.#version = :version, "
                                "article.#status = :status",
            "ExpressionAttributeValues": {":state": to_value(UploadState.CANCELLED.value),
                                          ":by": to_value(by), ":version": to_value(draft.version),
                                          ":status": to_value(draft.status)},
        })  # fmt: skip

    def _replace(self, scheduled: Article, following: Article, upload: dict[str, Any]) -> None:
        values, history = article_items(following)
        condition = {
            "ConditionExpression": "#version = :scheduled_version AND #status = :scheduled",
            "ExpressionAttributeNames": {"#version": "version", "#status": "status"},
            "ExpressionAttributeValues": to_item({":scheduled_version": scheduled.version,
                                                  ":scheduled": "scheduled"}),
        }  # fmt: skip
        upload_update = {
            **upload,
            "ConditionExpression": "attribute_exists(pk)",
            "ExpressionAttributeNames": {"#state": "state", "#version": "version", "#status": "status"},
        }

        def refused(reasons: list[str | None]) -> Exception:
            return Stale(f"{scheduled.slug} version {scheduled.version} is no longer scheduled: {reasons}")

        self.table.transact([
            self.table.put_op(values, **condition),
            self.table.put_op(history, ConditionExpression="attribute_not_exists(pk)"),
            self.table.update_op(keys.upload(scheduled.upload_id), **upload_update),
        ], refused)  # fmt: skip

    def page(self, *, limit: int, cursor: str | None) -> tuple[list[ScheduledArticle], str | None]:
        """One page of the scheduled articles, soonest first, and the cursor of the next (None: no
        more); BadCursor for a cursor this list did not give. Two requests: the list's page, and
        the articles' times and versions."""
        request: dict[str, Any] = {
            "IndexName": keys.GSI1, "Limit": limit, "KeyConditionExpression": "gsi1pk = :pk",
            "ExpressionAttributeValues": to_item({":pk": keys.SCHEDULED}), "ProjectionExpression": "pk",
        }  # fmt: skip
        if cursor:
            request["ExclusiveStartKey"] = to_item(decode_cursor(cursor, keys.SCHEDULED))
        items, last = self.table.query_page(**request)
        slugs = [keys.parse(item["pk"], "CURRENT").name for item in items]
        stored = {str(item["slug"]): item for item in self.table.batch_get(map(keys.article, slugs),
                                                                           projection=LISTED)}  # fmt: skip
        listed = [stored[slug] for slug in slugs if stored.get(slug, {}).get("status") == "scheduled"]
        return [ScheduledArticle.from_json({k: v for k, v in item.items() if k != "status"})
                for item in listed], encode_cursor(last)  # fmt: skip
