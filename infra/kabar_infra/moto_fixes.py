"""Fixes to moto 5.2.5 that the local stack, the tests and the benchmarks install.

Transactions. moto's ``transact_write_items`` saves a deep copy of the whole
table (items, indexes and stream shard with every record it ever held) for
every item of every transaction, applies the writes one by one, and on a
failure puts the copies back. That costs time and memory in proportion to
the table for each write (gigabytes after a few dozen uploads on the local
stack), leaves the stream records of the writes made before the failing one
(changes that never happened), and gives the table a copied shard, so every
shard iterator handed out before keeps reading an old shard: the stream goes
silent after the first cancelled transaction. Here the transaction keeps
moto's own code (checks, conditions, errors), but its table "snapshot" is the
live table itself, and an undo log of just the items the transaction names
(a deep copy of each, or "absent"), taken before it runs, puts them back and
drops the stream records it added when it fails. A transaction touches at
most 100 items, so its cost no longer depends on the table.

Queries. moto answers a ``Query`` on the table by sorting every item of the
table and keeping those of the partition asked for; here it looks at that
partition only. An index query looks only at the items whose value of the
index's partition key is the one asked for (moto keeps no index: it walked
every item of the table, so each query cost more as the table grew); the
buckets are kept as items are put, updated, deleted or put back. Scan keeps
moto's sorted order, which its pagination relies on.

Streams. moto keeps every stream record and every shard iterator it ever
handed out (one per ``GetRecords``), forever. DynamoDB keeps records 24
hours and an iterator 15 minutes; so do these fixes (``RETENTION``,
``ITERATOR_LIFETIME``). ``trim_stream`` drops the records every consumer has
read, for the local stack, whose router is the only reader (see
kabar_infra.local.router).

S3 notifications. S3's event notifications name the version created in a
versioned bucket; moto's leave it out (the last section).

Routing. moto's server lists its package directory on every request to find the
service; the list is read once (about 8% of the stack process's CPU in a py-spy
profile of the local-memory bench, though the bench's wall time did not change).
"""

from __future__ import annotations

import copy
import threading
import time
from datetime import timedelta
from typing import Any

from kabar_infra.moto_index import index_of as _index

RETENTION = timedelta(hours=24)
ITERATOR_LIFETIME = 15 * 60.0  # seconds
_local = threading.local()
_state = {"installed": False}


def install() -> None:
    if _state["installed"]:
        return
    _install_untracked_models()
    _install_transactions()
    _install_queries()
    _install_streams()
    _s3_notifications_name_the_version()
    _list_moto_modules_once()
    _state["installed"] = True


def _list_moto_modules_once() -> None:
    """moto's server lists its own package directory (and stats every entry) to route each
    request; the list never changes while it runs, so it is read once."""
    from moto import backends

    modules = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: modules


# --------------------------------------------------------------------- tracked models

_TRACKED = {"FakeKey", "FakeMultipart"}  # moto's S3 reset disposes of these through the list


def _install_untracked_models() -> None:
    """moto appends every model object it ever creates (each item, each copy of an item a
    query returns, each stream record, each shard iterator) to a list on its class, for its
    dashboard, and never lets go: memory grows with every request, not with the data.
    Only S3's keys and multipart uploads stay tracked, because moto's reset closes their
    buffers through that list."""
    from moto.core.common_models import BaseModel

    def __new__(cls: Any, *args: Any, **kwargs: Any) -> Any:
        instance = object.__new__(cls)
        if cls.__name__ in _TRACKED:
            cls.instances_tracked.append(instance)
        return instance

    BaseModel.__new__ = __new__  # type: ignore[method-assign]


# --------------------------------------------------------------------- transactions


class _Copy:
    """The ``copy`` module as moto's DynamoDB backend sees it: inside a transaction on this
    thread, the deep copy of a table is the table itself (the undo log restores what changed)."""

    copy = staticmethod(copy.copy)

    @staticmethod
    def deepcopy(value: Any, memo: Any = None) -> Any:
        from moto.dynamodb.models.table import Table

        if getattr(_local, "transaction", False) and isinstance(value, Table):
            return value
        return copy.deepcopy(value, memo)


class _UndoLog:
    """What a transaction can change, taken before it runs: the items it names and where
    each table's stream ended."""

    def __init__(self, backend: Any, transact_items: list[dict[str, Any]]) -> None:
        from moto.dynamodb.models.dynamo_type import DynamoType

        self.items: list[tuple[Any, Any, Any, Any]] = []
        self.streams: dict[int, tuple[Any, int]] = {}
        for entry in transact_items:
            try:
                (op,) = entry.values()
                table = backend.tables.get(op.get("TableName"))
                if table is None:
                    continue
                key = op.get("Key") or op.get("Item") or {}
                hash_value = DynamoType(key[table.hash_key_attr])
                range_attr = table.range_key_attr
                range_value = DynamoType(key[range_attr]) if range_attr else None
            except (AttributeError, KeyError, TypeError, ValueError):
                continue  # a malformed entry: moto rejects it before writing it
            current = table.get_item(hash_value, range_value)
            self.items.append((table, hash_value, range_value, copy.deepcopy(current)))
            shard = table.stream_shard
            if shard is not None and id(shard) not in self.streams:
                self.streams[id(shard)] = (shard, shard.starting_sequence_number + len(shard.items))

    def restore(self) -> None:
        for table, hash_value, range_value, saved in reversed(self.items):
            if range_value is None:
                if saved is None:
                    table.items.pop(hash_value, None)
                else:
                    table.items[hash_value] = saved
            else:
                partition = table.items[hash_value]
                if saved is None:
                    partition.pop(range_value, None)
                else:
                    partition[range_value] = saved
            _index(table).refresh(hash_value, range_value)
        for shard, end in self.streams.values():
            del shard.items[max(0, end - shard.starting_sequence_number) :]


def _install_transactions() -> None:
    from moto.dynamodb import models

    original = models.DynamoDBBackend.transact_write_items
    models.copy = _Copy()  # type: ignore[attr-defined,assignment]

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        undo = _UndoLog(self, transact_items)
        _local.transaction = True
        try:
            original(self, transact_items)
        except BaseException:
            undo.restore()
            raise
        finally:
            _local.transaction = False

    models.DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]


# --------------------------------------------------------------------- queries


def _install_queries() -> None:
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table

    sorted_items = Table.all_items
    original_query = Table.query

    def all_items(self: Any) -> list[Any]:
        scope = getattr(_local, "query", None)
        if scope is None or scope[0] is not self:
            return sorted_items(self)
        hash_key = scope[1]
        if isinstance(hash_key, tuple):  # an index query: the items with that index key
            return list(_index(self).bucket(*hash_key))
        if hash_key is None:  # an index query by a key it keeps no bucket for: every item
            if not self.range_key_attr:
                return list(self.items.values())
            return [item for partition in self.items.values() for item in partition.values()]
        if hash_key not in self.items:
            return []
        partition = self.items[hash_key]
        return list(partition.values()) if self.range_key_attr else [partition]

    def query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
        saved = getattr(_local, "query", None)
        _local.query = (self, _index(self).scope(index_name, hash_key, kwargs) if index_name else hash_key)
        try:
            return original_query(self, hash_key, *args, **kwargs)
        finally:
            _local.query = saved

    original_put, original_delete = Table.put_item, Table.delete_item
    original_update = DynamoDBBackend.update_item

    def put_item(self: Any, item_attrs: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        item = original_put(self, item_attrs, *args, **kwargs)
        _index(self).refresh(item.hash_key, item.range_key)
        return item

    def delete_item(self: Any, hash_key: Any, range_key: Any = None) -> Any:
        item = original_delete(self, hash_key, range_key)
        _index(self).refresh(hash_key, range_key)
        return item

    def update_item(self: Any, table_name: str, key: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        from moto.dynamodb.models.dynamo_type import DynamoType

        item = original_update(self, table_name, key, *args, **kwargs)
        table = self.get_table(table_name)
        range_attr = table.range_key_attr
        hash_value = DynamoType(key[table.hash_key_attr])
        _index(table).refresh(hash_value, DynamoType(key[range_attr]) if range_attr else None)
        return item

    Table.all_items = all_items  # type: ignore[method-assign]
    Table.query = query  # type: ignore[method-assign]
    Table.put_item = put_item  # type: ignore[method-assign]
    Table.delete_item = delete_item  # type: ignore[method-assign]
    DynamoDBBackend.update_item = update_item  # type: ignore[method-assign]


# --------------------------------------------------------------------- streams


def _install_streams() -> None:
    from moto.core.exceptions import JsonRESTError
    from moto.dynamodb.models.table import StreamShard
    from moto.dynamodbstreams import models as streams

    original_add = StreamShard.add
    original_get = StreamShard.get

    def add(self: Any, old: Any, new: Any) -> None:
        original_add(self, old, new)
        horizon = _utcnow() - RETENTION
        expired = 0
        for record in self.items:
            if record.record["dynamodb"]["ApproximateCreationDateTime"] >= horizon:
                break
            expired += 1
        _drop(self, expired)

    def get(self: Any, start: int, quantity: int) -> list[dict[str, Any]]:
        if start < self.starting_sequence_number:
            raise JsonRESTError(
                "TrimmedDataAccessException",
                f"Sequence number {start} is beyond the stream's trim horizon "
                f"({self.starting_sequence_number})",
            )
        return original_get(self, start, quantity)

    StreamShard.add = add  # type: ignore[method-assign]
    StreamShard.get = get  # type: ignore[method-assign]

    original_records = streams.DynamoDBStreamsBackend.get_records
    original_iterator = streams.DynamoDBStreamsBackend.get_shard_iterator

    def get_records(self: Any, iterator_arn: str, limit: int) -> dict[str, Any]:
        _expire_iterators(self)
        if iterator_arn not in self.shard_iterators:
            raise JsonRESTError("ExpiredIteratorException", "Iterator expired or unknown")
        return original_records(self, iterator_arn, limit)

    def get_shard_iterator(self: Any, *args: Any, **kwargs: Any) -> Any:
        _expire_iterators(self)
        return original_iterator(self, *args, **kwargs)

    original_init = streams.ShardIterator.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self._kabar_handed_out = time.monotonic()

    streams.ShardIterator.__init__ = init  # type: ignore[method-assign]
    streams.DynamoDBStreamsBackend.get_records = get_records  # type: ignore[method-assign]
    streams.DynamoDBStreamsBackend.get_shard_iterator = get_shard_iterator  # type: ignore[method-assign]


def _utcnow() -> Any:
    from moto.core.utils import utcnow

    return utcnow()


def _drop(shard: Any, count: int) -> None:
    """Drop a shard's oldest ``count`` records; sequence numbers stay what they were."""
    if count > 0:
        del shard.items[:count]
        shard.starting_sequence_number += count


def _expire_iterators(backend: Any) -> None:
    """Forget shard iterators handed out more than ITERATOR_LIFETIME ago (checked once a minute)."""
    now = time.monotonic()
    if now - backend.__dict__.get("_kabar_expired_at", now - 61) < 60:
        return
    backend._kabar_expired_at = now
    for arn, iterator in list(backend.shard_iterators.items()):
        if now - iterator.__dict__.setdefault("_kabar_handed_out", now) > ITERATOR_LIFETIME:
            del backend.shard_iterators[arn]


def trim_stream(
    stream_arn: str, before: int, account_id: str = "123456789012", region: str = "us-east-1"
) -> int:
    """Drop a stream's records with a sequence number below ``before`` (every reader is past
    them); the number dropped. For a moto running in this process (the local stack)."""
    from moto.dynamodb.models import dynamodb_backends

    table_name = stream_arn.split(":", 5)[5].split("/")[1]
    table = dynamodb_backends[account_id][region].tables.get(table_name)
    shard = table.stream_shard if table is not None else None
    if shard is None:
        return 0
    count = min(max(0, before - shard.starting_sequence_number), len(shard.items))
    _drop(shard, count)
    return count


# --------------------------------------------------------------------- S3 notifications


def _s3_notifications_name_the_version() -> None:
    """S3's event notifications name the version created in a versioned bucket
    (``s3.object.versionId``); moto 5.2.5's leave it out, so PublishFunction could not be shown
    to read the version its event names rather than whatever the key holds by then."""
    from moto.s3 import notifications

    original = notifications._get_s3_event

    def _get_s3_event(event_name: str, bucket: Any, key: Any, notification_id: str) -> dict[str, Any]:
        event = original(event_name, bucket, key, notification_id)
        version = getattr(key, "version_id", None)
        if version and version != "null" and getattr(bucket, "is_versioned", False):
            for record in event["Records"]:
                record["s3"]["object"]["versionId"] = version
        return event

    notifications._get_s3_event = _get_s3_event
