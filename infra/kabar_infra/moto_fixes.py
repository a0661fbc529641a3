"""One fix to moto that the local stack and the tests install: cancelled transactions.

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
