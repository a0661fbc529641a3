"""For kabar_infra.moto_fixes: a moto table's items by the value of each global index's
partition key, so that an index query reads its own partition, not every item."""

from __future__ import annotations

from typing import Any


class GlobalIndexBuckets:
    """A table's items by the value of each global index's partition key, kept as items are
    put, updated, deleted or put back (a cancelled transaction): an index query looks at the
    items with its key value only, as DynamoDB does, instead of at every item of the table."""

    def __init__(self, table: Any) -> None:
        self.table = table
        self.attributes = sorted({key["AttributeName"] for index in table.global_indexes
                                  for key in index.schema if key["KeyType"] == "HASH"})  # fmt: skip
        self.buckets: dict[tuple[str, str, str], dict[Any, Any]] = {}
        self.placed: dict[Any, list[tuple[str, str, str]]] = {}  # item key -> its buckets
        for partition in list(table.items.values()):
            for item in partition.values() if table.range_key_attr else [partition]:
                self.refresh(item.hash_key, item.range_key)

    def scope(self, index_name: str, hash_key: Any, kwargs: dict[str, Any]) -> tuple[str, Any] | None:
        """What an index query's all_items() should answer from: (attribute, value), or None."""
        index = next((i for i in self.table.global_indexes if i.name == index_name), None)
        if index is None:
            return None
        attribute = next(k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH")
        for name, value in kwargs.get("hash_key_conditions") or []:
            if name == attribute:
                return (attribute, value)
        return (attribute, hash_key) if hash_key is not None else None

    def bucket(self, attribute: str, value: Any) -> list[Any]:
        return list(self.buckets.get((attribute, value.type, str(value.value)), {}).values())

    def refresh(self, hash_value: Any, range_value: Any) -> None:
        """Put the item at this key (or its absence) into the buckets it belongs to now."""
        key = (str(hash_value.value), str(range_value.value) if range_value is not None else None)
        for bucket in self.placed.pop(key, []):
            self.buckets.get(bucket, {}).pop(key, None)
        item = self.table.get_item(hash_value, range_value)
        if item is None:
            return
        for attribute in self.attributes:
            value = item.attrs.get(attribute)
            if value is not None:
                bucket = (attribute, value.type, str(value.value))
                self.buckets.setdefault(bucket, {})[key] = item
                self.placed.setdefault(key, []).append(bucket)


def index_of(table: Any) -> GlobalIndexBuckets:
    index = table.__dict__.get("_kabar_index")
    if index is None:
        index = table.__dict__["_kabar_index"] = GlobalIndexBuckets(table)
    return index  # type: ignore[no-any-return]
