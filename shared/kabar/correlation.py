"""The correlation id of the work under way, which every item a function writes carries.

A tiny module with no dependencies, so the table's base can read it without
importing the logger: :func:`kabar.observability.correlate` sets both.
"""

from __future__ import annotations

from contextvars import ContextVar

ATTRIBUTE = "correlation_id"

_current: ContextVar[str | None] = ContextVar("kabar_correlation_id", default=None)


def current() -> str | None:
    """The id of the request or record being handled (None outside one)."""
    return _current.get()


def set_current(correlation_id: str | None) -> None:
    _current.set(correlation_id)
