"""JSON Lines input for the commands that run the functions' code on files."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any


class InputError(ValueError):
    """A file or line a command cannot use; the message says which and why."""


def read_jsonl(handle: IO[str], text_field: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each non-empty line as an object with an ``id`` and a string ``text_field``, with its number."""
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"line {number}: not JSON: {exc.msg}") from exc
        if not isinstance(item, dict) or "id" not in item or not isinstance(item.get(text_field), str):
            raise InputError(f"line {number}: needs at least an id and a {text_field}")
        yield number, item


@contextmanager
def opened(name: str) -> Iterator[IO[str]]:
    """A file by name, or standard input for ``-``."""
    if name == "-":
        yield sys.stdin
        return
    with open(name, encoding="utf-8") as handle:
        yield handle
