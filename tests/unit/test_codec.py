"""kabar.table.codec writes and reads attribute values as boto3's TypeSerializer / TypeDeserializer
do (the codec no longer imports boto3: its import is most of a cold start)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from kabar.table.codec import from_item, to_item, to_value

VALUES: list[Any] = [
    "Berita", "", 0, -7, 10**37, Decimal("3.25"), Decimal("1E+2"), True, False, None, b"\x00\xff",
    ["a", 1, None, [True, {"b": Decimal("0.5")}]], {"nested": {"list": [], "map": {}}},
    {"only", "strings"}, {1, 2, Decimal("2.5")}, {b"x", b"y"}, ("tuple", 1),
]  # fmt: skip


def _id(value: Any) -> str:
    """A stable test id: a set's repr follows string hashing, which differs between processes."""
    if isinstance(value, set | frozenset):
        return "{" + ", ".join(sorted(map(repr, value))) + "}"
    return repr(value)


@pytest.mark.parametrize("value", VALUES, ids=_id)
def test_values_are_written_as_boto3_writes_them(value: Any) -> None:
    expected = TypeSerializer().serialize(value)
    found = to_value(value)
    if "SS" in expected or "NS" in expected or "BS" in expected:  # sets: any order
        ((kind, items),) = expected.items()
        assert set(found) == {kind} and sorted(found[kind]) == sorted(items)
    else:
        assert found == expected


@pytest.mark.parametrize("value", VALUES, ids=_id)
def test_items_read_back_as_boto3_reads_them(value: Any) -> None:
    attribute = TypeSerializer().serialize(value)
    expected = TypeDeserializer().deserialize(attribute)
    found = from_item({"a": attribute})["a"]
    if isinstance(expected, Decimal):
        assert found == expected and isinstance(found, int if expected == int(expected) else float)
    elif isinstance(value, bytes):
        assert found == value
    elif isinstance(expected, set) and expected and isinstance(next(iter(expected)), bytes | bytearray):
        assert found == {bytes(v) for v in expected}
    elif isinstance(expected, set) and expected and isinstance(next(iter(expected)), Decimal):
        assert found == expected
    else:
        assert found == TypeDeserializer().deserialize(attribute) or found == _plain(expected)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == int(value) else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def test_floats_are_decimals_and_none_is_left_out() -> None:
    assert to_item({"score": 0.15, "gone": None, "n": 2}) == {"score": {"N": "0.15"}, "n": {"N": "2"}}
    assert from_item({"score": {"N": "0.15"}, "n": {"N": "2"}}) == {"score": 0.15, "n": 2}


@pytest.mark.parametrize(
    "value", [Decimal("1" * 39), Decimal("NaN"), Decimal("Infinity"), {1, "a"}, object()]
)
def test_what_dynamodb_cannot_hold_is_refused_as_boto3_refuses_it(value: Any) -> None:
    with pytest.raises(Exception) as boto3_error:
        TypeSerializer().serialize(value)
    with pytest.raises(type(boto3_error.value)):
        to_value(value)
