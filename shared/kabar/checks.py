"""Checking what comes from outside, field by field, without pydantic.

A function that reads one editor's file or one reader's comment per invocation paid more for
importing pydantic and building a model's validator than for all its other work on a cold start
(docs/architecture.md, "Cold starts"). These checks do what pydantic's did for such fields, with
its error kinds and wording (``string_too_long``: "String should have at most 80 characters"), so
each caller words them as it did: an upload's status in Kabar's own words
(:mod:`kabar.submissions`), the API as pydantic said them (:mod:`kabar.text.comment_forms`).

A check takes the value as parsed from JSON or YAML and returns it converted (text stripped of
white space) or raises :class:`Invalid` with every problem found (each item of a list).
:func:`check_fields` runs a table of them over a mapping: missing and unknown fields, every
problem at its path (``tags.2``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# pydantic's (Rust's) white space, which it strips from every text field (Python's str.strip also
# takes the separators U+001C-U+001F, which are not white space).
WHITE_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
)
REQUIRED: Any = object()  # a field's default when it has none


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a value: where below the field (``""`` for the field, ``"2"`` for an
    item), pydantic's kind for it, its message, and the bound it broke (``{"max_length": 80}``)."""

    at: str
    kind: str
    message: str
    context: dict[str, Any] = field(default_factory=dict)

    def under(self, name: str) -> Problem:
        return Problem(f"{name}.{self.at}".rstrip("."), self.kind, self.message, self.context)


class Invalid(ValueError):
    """Why a value cannot be a field's: every problem, at its path below the field."""

    def __init__(
        self, kind: str, message: str, problems: list[Problem] | None = None, **context: Any
    ) -> None:
        super().__init__(message)
        self.problems = problems if problems is not None else [Problem("", kind, message, context)]


Check = Callable[[Any], Any]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def text(*, min_length: int = 0, max_length: int | None = None, pattern: str | None = None,
         before: Callable[[str], str] | None = None) -> Check:  # fmt: skip
    """Text stripped of white space, then its length and its pattern. ``before`` (an editor's plain
    text rule) sees the text first and raises ValueError for what it refuses."""
    matches = re.compile(pattern.removeprefix("^").removesuffix("$")).fullmatch if pattern else None

    def check(value: Any) -> str:
        if before is not None and isinstance(value, str):
            value = value_error(before)(value)
        if not isinstance(value, str):  # bytes (YAML's !!binary) are not text
            raise Invalid("string_type", "Input should be a valid string")
        stripped: str = value.strip(WHITE_SPACE)
        if len(stripped) < min_length:
            message = f"String should have at least {_count(min_length, 'character')}"
            raise Invalid("string_too_short", message, min_length=min_length)
        if max_length is not None and len(stripped) > max_length:
            message = f"String should have at most {_count(max_length, 'character')}"
            raise Invalid("string_too_long", message, max_length=max_length, length=len(stripped))
        if matches is not None and not matches(stripped):
            raise Invalid("string_pattern_mismatch", f"String should match pattern '{pattern}'")
        return stripped

    return check


def items(item: Check, *, max_length: int | None = None) -> Check:
    """A list (a YAML sequence or set, a JSON array) of at most ``max_length`` items, each checked:
    the problems of every item that is wrong."""

    def check(value: Any) -> list[Any]:
        if not isinstance(value, list | tuple | set | frozenset):
            raise Invalid("list_type", "Input should be a valid list")
        if max_length is not None and len(value) > max_length:
            message = (
                f"List should have at most {_count(max_length, 'item')} after validation, not {len(value)}"
            )
            raise Invalid("too_long", message, max_length=max_length)
        out, problems = [], []
        for index, entry in enumerate(value):
            try:
                out.append(item(entry))
            except Invalid as exc:
                problems += [problem.under(str(index)) for problem in exc.problems]
        if problems:
            raise Invalid("", "", problems)
        return out

    return check


def nullable(check: Check) -> Check:
    return lambda value: None if value is None else check(value)


def one_of(values: tuple[str, ...]) -> Check:
    quoted = [f"'{value}'" for value in values]
    message = "Input should be " + (
        f"{', '.join(quoted[:-1])} or {quoted[-1]}" if len(quoted) > 1 else quoted[0]
    )

    def check(value: Any) -> str:
        if not isinstance(value, str) or value not in values:
            raise Invalid("literal_error", message)
        return value

    return check


def value_error(rule: Callable[[Any], Any]) -> Check:
    """A rule that raises ValueError with its reason, as a check."""

    def check(value: Any) -> Any:
        try:
            return rule(value)
        except Invalid:
            raise
        except ValueError as exc:
            raise Invalid("value_error", str(exc)) from None

    return check


def then(first: Check, *rules: Callable[[Any], Any]) -> Check:
    """``first``, then each rule on what it gave (a ValueError is the field's problem)."""
    checks = [value_error(rule) for rule in rules]

    def check(value: Any) -> Any:
        value = first(value)
        for rule in checks:
            value = rule(value)
        return value

    return check


def record(rules: Mapping[str, tuple[Check, Any]]) -> Check:
    """A mapping (a YAML mapping, a JSON object) whose fields are checked by ``rules``: every
    problem at its path below the field (``image.alt``)."""

    def check(value: Any) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise Invalid("dict_type", "Input should be a valid dictionary")
        values, problems = check_fields(rules, value)
        if problems:
            raise Invalid("", "", problems)
        return values

    return check


def check_fields(
    rules: Mapping[str, tuple[Check, Any]], given: Mapping[str, Any]
) -> tuple[dict[str, Any], list[Problem]]:
    """Each field's value (its default when absent) and every problem, in the rules' order, then
    each unknown field."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, (check, default) in rules.items():
        if name not in given:
            if default is REQUIRED:
                problems.append(Problem(name, "missing", "Field required"))
            else:
                values[name] = list(default) if isinstance(default, list) else default
            continue
        try:
            values[name] = check(given[name])
        except Invalid as exc:
            problems += [problem.under(name) for problem in exc.problems]
    problems += [Problem(str(name), "extra_forbidden", "Extra inputs are not permitted")
                 for name in given if name not in rules]  # fmt: skip
    return values, problems
