"""Records: plain dataclasses read from, and written as, JSON-shaped dicts.

What Kabar stores (:mod:`kabar.models`) and what it publishes (:mod:`kabar.documents`) is
written by Kabar itself, so reading it back is a conversion, not a validation: a time from
its ISO text, a nested record from its dict, a float from a stored integer. pydantic stays
where data comes from outside (the API's bodies; an article file is checked by
:mod:`kabar.submissions`), and builds the documents' JSON Schemas from these classes
(:mod:`kabar.schemas`). Importing pydantic and
building its validators cost a function's cold start more than all of Kabar's own code
(docs/benchmarks.md, "Cold start"); the stages that only move records never pay it.

:meth:`Record.to_json` writes what pydantic's ``model_dump(mode="json")`` wrote: times in
ISO 8601 with ``Z`` for UTC, nested records as dicts, every field (``None`` included unless
``exclude_none``).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any, Self

Convert = Callable[[Any], Any]


class Record:
    """A dataclass that reads itself from a JSON-shaped dict and writes itself as one."""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        """The record ``data`` holds (keys that are not fields are ignored, as items carry keys)."""
        plan = _plan(typing.cast(type, cls))
        values = {}
        for name, convert in plan.items():
            if name in data:
                values[name] = convert(data[name])
        try:
            return cls(**values)
        except TypeError as exc:  # a required field missing
            raise ValueError(f"{cls.__name__}: {exc}") from None

    def to_json(self, *, exclude_none: bool = False) -> dict[str, Any]:
        """The record as JSON types (times as ISO 8601 text)."""
        out = {}
        for spec in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, spec.name)
            if value is None and exclude_none:
                continue
            out[spec.name] = _json(value, exclude_none)
        return out

    def replace(self, **changes: Any) -> Self:
        """A copy with ``changes``."""
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]


def described(description: str | None = None, *, default: Any = dataclasses.MISSING,
              default_factory: Any = dataclasses.MISSING,
              **bounds: Any) -> Any:  # fmt: skip
    """A record field's description and bounds (``ge=1``), for its JSON Schema (:mod:`kabar.schemas`)."""
    return dataclasses.field(
        default=default, default_factory=default_factory, metadata={"description": description, **bounds}
    )


def iso(moment: datetime) -> str:
    """A time as Kabar writes it: ISO 8601, ``Z`` for UTC (as pydantic writes times)."""
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _json(value: Any, exclude_none: bool) -> Any:
    if isinstance(value, Record):
        return value.to_json(exclude_none=exclude_none)
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_json(v, exclude_none) for v in value]
    if isinstance(value, dict):
        return {k: _json(v, exclude_none) for k, v in value.items()}
    return value


@cache
def _plan(cls: type) -> dict[str, Convert]:
    """Each field's conversion, from its annotation (resolved once per class)."""
    hints = typing.get_type_hints(cls)
    return {spec.name: _converter(hints[spec.name]) for spec in dataclasses.fields(cls)}


def _same(value: Any) -> Any:
    return value


def _time(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _converter(hint: Any) -> Convert:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Annotated:
        return _converter(args[0])
    if origin in (typing.Union, types.UnionType):
        inner = [_converter(a) for a in args if a is not type(None)]
        assert len(inner) == 1, f"a record field is one type or None: {hint}"
        convert = inner[0]
        return lambda value: None if value is None else convert(value)
    if origin in (list, tuple):
        item = _converter(args[0]) if args else _same
        return (
            (lambda value: [item(v) for v in value])
            if origin is list
            else (lambda value: tuple(map(item, value)))
        )
    if origin is dict:
        entry = _converter(args[1])
        return lambda value: {k: entry(v) for k, v in value.items()}
    if origin is typing.Literal or hint is str or hint is bool or hint is Any:
        return _same
    if hint is datetime:
        return _time
    if hint is float:
        return float
    if hint is int:
        return int
    if isinstance(hint, type) and issubclass(hint, Record):
        return lambda value: value if isinstance(value, hint) else hint.from_json(value)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint
    raise TypeError(f"no conversion for a record field of type {hint!r}")
