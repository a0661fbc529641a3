"""The content table's requests, written once: get, batch get, queries, writes, transactions.

Stores (one per aggregate, beside this module) build items and keys; this base
sends them. A cancelled transaction becomes a domain error in one place,
:meth:`Table.transact`, through the mapping each store gives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from kabar import aws, correlation
from kabar.table.codec import from_item, to_item
from kabar.table.keys import GSI1, Key

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

CONDITION_FAILED = "ConditionalCheckFailed"


class ConditionFailed(Exception):
    """A single conditional write found the item not as required."""


def _correlated(values: dict[str, Any]) -> dict[str, Any]:
    """An item as written: with the correlation id of the work writing it, when there is one
    (stream consumers log it from the record's image; see kabar.observability)."""
    current = correlation.current()
    return {**values, correlation.ATTRIBUTE: current} if current else values


def names(*attributes: str) -> dict[str, str]:
    """ExpressionAttributeNames for these attributes, as ``#name``."""
    return {f"#{name}": name for name in attributes}


class Table:
    """One DynamoDB table; the client is created on first use."""

    def __init__(self, name: str, client: DynamoDBClient | None = None) -> None:
        self.name = name
        self._client = client
        # Items read ahead (reading_ahead), each for the next get of its key only.
        self._ahead: dict[tuple[str, str], dict[str, Any] | None] = {}

    @property
    def client(self) -> DynamoDBClient:
        if self._client is None:
            self._client = aws.dynamodb()
        return self._client

    # reads -----------------------------------------------------------------------------

    @contextmanager
    def reading_ahead(self, keys: Iterable[Key]) -> Iterator[dict[tuple[str, str], dict[str, Any] | None]]:
        """Read these items now, in one batch get (100 keys a request); inside the block the
        first ``get`` of each key is answered from what was read (a later one reads again);
        the block gets what was read, by (pk, sk), None for an item that does not exist.
        Nothing read ahead outlives the block (a warm function's next invocation reads anew).
        A failed batch get only means the gets read one by one."""
        wanted = list({(key["pk"], key["sk"]): key for key in keys}.values())
        try:
            found = {(item["pk"], item["sk"]): item for item in self.batch_get(wanted)}
        except Exception:  # each get then reads on its own, and fails on its own
            wanted, found = [], {}
        self._ahead = {(key["pk"], key["sk"]): found.get((key["pk"], key["sk"])) for key in wanted}
        try:
            yield dict(self._ahead)  # what was read, for a caller that reads on from it
        finally:
            self._ahead = {}

    def read_ahead(self, key: Key) -> tuple[bool, dict[str, Any] | None]:
        """Whether ``key`` was read ahead (and not taken by a ``get`` yet), and its item if so."""
        position = (key["pk"], key["sk"])
        return (True, self._ahead[position]) if position in self._ahead else (False, None)

    def get(self, key: Key, projection: Iterable[str] = ()) -> dict[str, Any] | None:
        """The item at ``key`` (strongly consistent), or None."""
        if (key["pk"], key["sk"]) in self._ahead:
            item, wanted = self._ahead.pop((key["pk"], key["sk"])), set(projection)
            return {k: v for k, v in item.items() if k in wanted} if item and wanted else item
        request: dict[str, Any] = {"TableName": self.name, "Key": to_item(key), "ConsistentRead": True}
        attributes = names(*projection)
        if attributes:
            request["ProjectionExpression"] = ", ".join(attributes)
            request["ExpressionAttributeNames"] = attributes
        response = self.client.get_item(**request)
        return from_item(response["Item"]) if "Item" in response else None

    def batch_get(self, keys: Iterable[Key], projection: Iterable[str] = ()) -> list[dict[str, Any]]:
        """The items that exist among these keys (any order), 100 keys a request."""
        unique = list({(key["pk"], key["sk"]): key for key in keys}.values())
        found: list[dict[str, Any]] = []
        attributes = names(*projection)
        while unique:
            batch, unique = unique[:100], unique[100:]
            request: dict[str, Any] = {
                self.name: {"Keys": [to_item(key) for key in batch], "ConsistentRead": True}
            }
            if attributes:
                request[self.name]["ProjectionExpression"] = ", ".join(attributes)
                request[self.name]["ExpressionAttributeNames"] = attributes
            while request:
                response = self.client.batch_get_item(RequestItems=request)
                found.extend(from_item(item) for item in response["Responses"].get(self.name, []))
                request = response.get("UnprocessedKeys") or {}
        return found

    def query(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        """Every item a query finds, page after page."""
        request = {"TableName": self.name, **kwargs}
        while True:
            response = self.client.query(**request)
            yield from map(from_item, response["Items"])
            if "LastEvaluatedKey" not in response:
                return
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def query_page(self, **kwargs: Any) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """One request's items, and the key the next page starts after (None: no more)."""
        response = self.client.query(TableName=self.name, **kwargs)
        last = response.get("LastEvaluatedKey")
        return [from_item(item) for item in response["Items"]], from_item(last) if last else None

    def newest(self, partition: str, limit: int, projection: str | None = None) -> list[dict[str, Any]]:
        """Up to ``limit`` items of a gsi1 list, newest (highest sort key) first: one request."""
        request: dict[str, Any] = {
            "IndexName": GSI1, "KeyConditionExpression": "gsi1pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": partition}}, "ScanIndexForward": False,
            "Limit": limit,
        }  # fmt: skip
        if projection:
            request["ProjectionExpression"] = projection
        return self.query_page(**request)[0]

    def in_list(self, partition: str) -> Iterator[dict[str, Any]]:
        """Every item of a gsi1 list, in sort-key order."""
        return self.query(
            IndexName=GSI1,
            KeyConditionExpression="gsi1pk = :pk",
            ExpressionAttributeValues={":pk": {"S": partition}},
        )

    # writes ----------------------------------------------------------------------------

    def put(self, values: dict[str, Any], **condition: Any) -> None:
        """Write an item; ConditionFailed when its condition does not hold."""
        try:
            self.client.put_item(TableName=self.name, Item=to_item(_correlated(values)), **condition)
        except self.client.exceptions.ConditionalCheckFailedException as exc:
            raise ConditionFailed(values.get("pk")) from exc

    def update(self, key: Key, **request: Any) -> dict[str, Any]:
        """Update an item; its new attributes when asked for; ConditionFailed as for put."""
        try:
            response = self.client.update_item(TableName=self.name, Key=to_item(key), **request)
        except self.client.exceptions.ConditionalCheckFailedException as exc:
            raise ConditionFailed(key["pk"]) from exc
        return from_item(response.get("Attributes", {}))

    def delete(self, key: Key) -> None:
        """Delete an item (nothing when there is none)."""
        self.client.delete_item(TableName=self.name, Key=to_item(key))

    def put_op(self, values: dict[str, Any], **condition: Any) -> dict[str, Any]:
        """A transaction's Put."""
        return {"Put": {"TableName": self.name, "Item": to_item(_correlated(values)), **condition}}

    def update_op(self, key: Key, **request: Any) -> dict[str, Any]:
        """A transaction's Update."""
        return {"Update": {"TableName": self.name, "Key": to_item(key), **request}}

    def delete_op(self, key: Key, **condition: Any) -> dict[str, Any]:
        """A transaction's Delete."""
        return {"Delete": {"TableName": self.name, "Key": to_item(key), **condition}}

    def check_op(self, key: Key, **condition: Any) -> dict[str, Any]:
        """A transaction's ConditionCheck: the item must meet ``condition``; nothing is written."""
        return {"ConditionCheck": {"TableName": self.name, "Key": to_item(key), **condition}}

    def transact(self, items: list[Any], refused: Callable[[list[str | None]], Exception]) -> None:
        """Write all of ``items`` or none; a cancellation raises ``refused(codes)``, with one
        code per item (``ConditionalCheckFailed``, ``None`` for the items that were fine, ...)."""
        try:
            self.client.transact_write_items(TransactItems=items)
        except self.client.exceptions.TransactionCanceledException as exc:
            reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
            raise refused(reasons) from exc
