"""Let moto hold 100,000 articles: a cheaper transaction snapshot, and unsorted item walks.

moto 5.2.5's ``transact_write_items`` deep-copies the whole table once for every
item of a transaction, to restore it if the transaction fails: with the ~900,000
items of a 100,000-article table, one ten-item transaction copies nine million
items and several gigabytes. This bench-only patch keeps moto's own transaction
code and semantics (all or nothing) and changes only the snapshot: one shallow
copy of the table's index of items per table per transaction, holding deep
copies of just the items the transaction names (the only ones it can change).

moto also answers every index query by sorting the whole table (``all_items``)
before filtering it, and then sorts the matches by the index's keys again: with
1.6 million items each query spends most of a minute sorting. The second sort
is the one that orders results, so the patch walks the items unsorted. Only a
Scan's order depends on the first sort, and the benchmark never scans.

Tests never install it.
"""

from __future__ import annotations

import copy
import os
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_state = {"installed": False}


def install() -> None:
    if _state["installed"]:
        return
    from moto.dynamodb import models
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    original = models.DynamoDBBackend.transact_write_items

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        touched: dict[str, list[tuple[Any, Any]]] = {}
        for entry in transact_items:
            _, op = next(iter(entry.items()))
            table = self.tables.get(op.get("TableName"))
            if table is None:
                continue
            key = op.get("Key") or op.get("Item") or {}
            hash_value = DynamoType(key[table.hash_key_attr]) if table.hash_key_attr in key else None
            range_attr = table.range_key_attr
            range_value = DynamoType(key[range_attr]) if range_attr and range_attr in key else None
            touched.setdefault(table.name, []).append((hash_value, range_value))
        snapshots: dict[int, Table] = {}

        def snapshot(value: Any, memo: Any = None) -> Any:
            if not isinstance(value, Table):
                return copy.deepcopy(value, memo)
            if id(value) not in snapshots:
                backup = copy.copy(value)
                backup.items = type(value.items)(value.items.default_factory)  # type: ignore[attr-defined]
                backup.items.update({h: dict(r) for h, r in value.items.items()})
                for hash_value, range_value in touched.get(value.name, []):
                    item = value.items.get(hash_value, {}).get(range_value)
                    if item is not None:
                        backup.items[hash_value][range_value] = copy.deepcopy(item)
                snapshots[id(value)] = backup
            return snapshots[id(value)]

        models.copy = types.SimpleNamespace(deepcopy=snapshot, copy=copy.copy)  # type: ignore[attr-defined]
        try:
            return original(self, transact_items)  # type: ignore[no-any-return]
        finally:
            models.copy = copy  # type: ignore[attr-defined]

    models.DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]

    def all_items(self: Any) -> list[Any]:
        if not self.range_key_attr:
            return list(self.items.values())
        return [item for by_range in self.items.values() for item in by_range.values()]

    Table.all_items = all_items  # type: ignore[method-assign]
    _state["installed"] = True


@contextmanager
def stack_on_moto() -> Iterator[Any]:
    """The whole stack on moto in this process (tests' ``App``), for a benchmark's run."""
    from moto import mock_aws

    from kabar_infra.provision import provision
    from kabar_infra.template import Template
    from tests.support.app import App

    os.environ.update(
        AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1",
        AWS_ACCOUNT_ID_ENDPOINT_MODE="disabled",
    )  # fmt: skip
    os.environ.pop("AWS_ENDPOINT_URL", None)
    from kabar_infra.moto_fixes import install as install_moto_fixes

    install_moto_fixes()
    with mock_aws():
        template = Template.load()
        yield App(template, provision(template), {"CDN_URL": "https://cdn.example"})
