"""JSON from outside (API bodies, uploaded article files), read within limits.

``json.loads`` recurses once per nesting level (a few KB of ``[`` raise RecursionError), converts
numbers of any length (Python refuses past 4,300 digits with a ValueError, after the work) and keeps
the last of two equal keys. :func:`loads` checks the nesting with a scan of the text before it
parses, bounds every number, refuses NaN and Infinity (not JSON) and a key given twice in one
object. Every refusal is a :class:`JSONError` whose message names the problem and where it is.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 32  # objects and arrays inside each other; the API's deepest body needs 3
MAX_NUMBER = 40  # characters of one number (digits, sign, point, exponent)

# A string (skipped whole, its brackets are text; an unterminated one runs to the end) or a bracket.
_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.DOTALL)


class JSONError(ValueError):
    """Text that is not JSON this project reads; the message says what and where."""


def where(text: str, position: int) -> str:
    """``line L column C`` (both from 1) of ``position`` in ``text``."""
    line = text.count("\n", 0, position) + 1
    return f"line {line} column {position - (text.rfind(chr(10), 0, position) + 1) + 1}"


def check_depth(text: str, max_depth: int = MAX_DEPTH) -> None:
    """JSONError when arrays and objects nest deeper than ``max_depth`` (strings are skipped)."""
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > max_depth:
                raise JSONError(
                    f"nests deeper than {max_depth} levels of arrays and objects "
                    f"(at {where(text, match.start())})"
                )
        elif token in ("]", "}"):
            depth = max(depth - 1, 0)


class _Refused(Exception):
    def __init__(self, message: str, found: str) -> None:
        super().__init__(message)
        self.message, self.found = message, found


def _number(convert: type[int] | type[float]) -> Any:
    def parse(text: str) -> int | float:
        if len(text) > MAX_NUMBER:
            raise _Refused(f"a number of {len(text)} characters (at most {MAX_NUMBER})", text)
        return convert(text)

    return parse


def _constant(name: str) -> Any:
    raise _Refused(f"{name} is not a JSON value", name)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _Refused(f"the key {key!r} appears twice in one object", "")
        found[key] = value
    return found


def loads(text: str, max_depth: int = MAX_DEPTH) -> Any:
    """The JSON value in ``text``, or JSONError naming what is wrong and where."""
    check_depth(text, max_depth)
    try:
        return json.loads(
            text, parse_int=_number(int), parse_float=_number(float), parse_constant=_constant,
            object_pairs_hook=_no_duplicates,
        )  # fmt: skip
    except json.JSONDecodeError as exc:
        raise JSONError(f"{exc.msg} at {where(text, exc.pos)}") from exc
    except _Refused as exc:
        found = text.find(exc.found) if exc.found else -1
        at = f" (at {where(text, found)})" if found >= 0 else ""
        raise JSONError(f"{exc.message}{at}") from exc
