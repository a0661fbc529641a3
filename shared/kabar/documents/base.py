"""The base of every public document."""

from __future__ import annotations

from kabar.record import Record


class PublicDocument(Record):
    """A public document: its JSON Schema allows no other properties (kabar.schemas)."""
