"""Plain values (JSON types) to DynamoDB attribute values and back."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any


@cache
def _serializer() -> Any:
    # boto3 loads on first use (a cold start that never touches the table never pays for it),
    # and once: these run for every item on every path.
    from boto3.dynamodb.types import TypeSerializer

    return TypeSerializer()


@cache
def _deserializer() -> Any:
    from boto3.dynamodb.types import TypeDeserializer

    return TypeDeserializer()


def to_item(values: dict[str, Any]) -> dict[str, Any]:
    """A plain dict (JSON types) as a DynamoDB item; ``None`` values are left out."""
    serializer = _serializer()
    return {k: serializer.serialize(_decimals(v)) for k, v in values.items() if v is not None}


def to_value(value: Any) -> dict[str, Any]:
    """One plain value as a DynamoDB attribute value."""
    return _serializer().serialize(_decimals(value))  # type: ignore[no-any-return]


def _decimals(value: Any) -> Any:
    """Floats as Decimals (DynamoDB's number type), through lists and maps."""
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: _decimals(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decimals(v) for v in value]
    return value


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    """A DynamoDB item (or stream image) as a plain dict, numbers as ``int`` or ``float``."""
    deserializer = _deserializer()
    plain: dict[str, Any] = _plain({k: deserializer.deserialize(v) for k, v in item.items()})
    return plain


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
