"""Plain values (JSON types) to DynamoDB attribute values and back."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Clamped, Context, Decimal, Inexact, Overflow, Rounded, Underflow
from typing import Any

# DynamoDB's numbers: 38 significant digits, exponents from -130 to 125; anything that would be
# rounded or out of range is an error, not a silent change.
_NUMBERS = Context(Emin=-128, Emax=126, prec=38, traps=[Clamped, Overflow, Inexact, Rounded, Underflow])


def _number(value: int | Decimal) -> str:
    number = str(_NUMBERS.create_decimal(value))
    if number in {"Infinity", "-Infinity", "NaN", "sNaN"}:
        raise TypeError(f"{number} is not a DynamoDB number")
    return number


def _serialize(value: Any) -> dict[str, Any]:
    """One value as an attribute value (boto3's TypeSerializer's types, without importing boto3:
    its import is most of a cold start, and the clients need only botocore)."""
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int | Decimal):
        return {"N": _number(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, bytes | bytearray):
        return {"B": bytes(value)}
    if isinstance(value, set | frozenset):
        return _serialize_set(value)
    if isinstance(value, Mapping):
        return {"M": {str(k): _serialize(v) for k, v in value.items()}}
    if isinstance(value, list | tuple):
        return {"L": [_serialize(v) for v in value]}
    raise TypeError(f"unsupported type for DynamoDB: {type(value).__name__} ({value!r})")


def _serialize_set(values: set[Any] | frozenset[Any]) -> dict[str, Any]:
    # An empty set is a number set, as boto3 has it (DynamoDB refuses it either way).
    if all(isinstance(v, int | Decimal) and not isinstance(v, bool) for v in values):
        return {"NS": [_number(v) for v in values]}
    if all(isinstance(v, str) for v in values):
        return {"SS": list(values)}
    if all(isinstance(v, bytes | bytearray) for v in values):
        return {"BS": [bytes(v) for v in values]}
    raise TypeError(f"a DynamoDB set holds strings, numbers or bytes alone: {values!r}")


def _deserialize(value: dict[str, Any]) -> Any:
    """An attribute value as Python (numbers as Decimal, as boto3's TypeDeserializer gives them)."""
    ((kind, inner),) = value.items()
    if kind in {"S", "BOOL"}:
        return inner
    if kind == "N":
        return _NUMBERS.create_decimal(inner)
    if kind == "NULL":
        return None
    if kind == "M":
        return {k: _deserialize(v) for k, v in inner.items()}
    if kind == "L":
        return [_deserialize(v) for v in inner]
    if kind == "B":
        return bytes(inner)
    if kind == "SS":
        return set(inner)
    if kind == "NS":
        return {_NUMBERS.create_decimal(v) for v in inner}
    if kind == "BS":
        return {bytes(v) for v in inner}
    raise TypeError(f"unknown DynamoDB type {kind!r}")


def to_item(values: dict[str, Any]) -> dict[str, Any]:
    """A plain dict (JSON types) as a DynamoDB item; ``None`` values are left out."""
    return {k: _serialize(_decimals(v)) for k, v in values.items() if v is not None}


def to_value(value: Any) -> dict[str, Any]:
    """One plain value as a DynamoDB attribute value."""
    return _serialize(_decimals(value))


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
    plain: dict[str, Any] = _plain({k: _deserialize(v) for k, v in item.items()})
    return plain


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def encode_cursor(key: Mapping[str, Any] | None) -> str | None:
    """A gsi1 query's last evaluated key as an opaque cursor for the next page (None: no more)."""
    if not key:
        return None
    import base64
    import json

    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, partition: str) -> dict[str, Any]:
    """A cursor :func:`encode_cursor` gave for a page of the gsi1 list ``partition``, as the key to
    start after; BadCursor for anything else."""
    import base64
    import binascii
    import json

    from kabar.errors import BadCursor

    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        key = None
    attributes = {"pk", "sk", "gsi1pk", "gsi1sk"}
    if not (isinstance(key, dict) and set(key) == attributes and all(isinstance(v, str) for v in key.values())
            and key["gsi1pk"] == partition):  # fmt: skip
        raise BadCursor(cursor)
    return key
