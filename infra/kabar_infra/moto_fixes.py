"""Fixes to moto that the local stack and the tests install: cancelled transactions, and the
version S3 notifications name (the last section).

moto 5.2.5's ``transact_write_items`` applies the writes one by one and, when
any condition fails, puts back deep copies of the tables it saved first. Two
things go wrong for a table with a stream:

- the writes made before the failing one have already added stream records,
  which stay: a consumer sees changes that never happened;
- the copies carry copies of the stream shard, so every shard iterator handed
  out before (the router's) keeps reading the old shard, which gets nothing
  more: the stream goes silent after the first cancelled transaction.

DynamoDB cancels a transaction without a trace. The fix keeps moto's own
transaction code and, on cancellation, drops the stream records it added and
hands the original shard to the restored table. The comment intake cancels
transactions by design (a duplicate, a flood), so without it the local stack
stops rendering after the first refused comment.
"""

from __future__ import annotations

from typing import Any

_FIXED = "_kabar_cancelled_transactions_leave_no_trace"


def install() -> None:
    _s3_notifications_name_the_version()
    from moto.dynamodb import models

    original = models.DynamoDBBackend.transact_write_items
    if getattr(original, _FIXED, False):
        return

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        named = {next(iter(item.values())).get("TableName") for item in transact_items}
        shards = {
            name: (table, table.stream_shard, len(table.stream_shard.items))
            for name, table in self.tables.items()
            if name in named and table.stream_shard is not None
        }
        try:
            original(self, transact_items)
        except Exception:
            for name, (table, shard, count) in shards.items():
                del shard.items[count:]
                restored = self.tables.get(name)
                if restored is not None and restored is not table:
                    restored.stream_shard = shard
                    shard.table = restored
            raise

    setattr(transact_write_items, _FIXED, True)
    models.DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]


def _s3_notifications_name_the_version() -> None:
    """S3's event notifications name the version created in a versioned bucket
    (``s3.object.versionId``); moto 5.2.5's leave it out, so PublishFunction could not be shown
    to read the version its event names rather than whatever the key holds by then."""
    from moto.s3 import notifications

    original = notifications._get_s3_event
    if getattr(original, _FIXED, False):
        return

    def _get_s3_event(event_name: str, bucket: Any, key: Any, notification_id: str) -> dict[str, Any]:
        event = original(event_name, bucket, key, notification_id)
        version = getattr(key, "version_id", None)
        if version and version != "null" and getattr(bucket, "is_versioned", False):
            for record in event["Records"]:
                record["s3"]["object"]["versionId"] = version
        return event

    setattr(_get_s3_event, _FIXED, True)
    notifications._get_s3_event = _get_s3_event
