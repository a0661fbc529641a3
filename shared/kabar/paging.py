"""A list's page as the list store keeps it (kabar.table.lists) and rendering reshapes it
(kabar.workflows.render.pages)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageBound:
    """A list's page: positions from ``lower`` ("": the oldest) up to ``upper`` (exclusive)."""

    upper: str  # kabar.table.keys.OPEN_PAGE for the newest page
    lower: str = ""
    number: int = 0  # an older page's document; 0: the newest page (the list's own document)
    older: int = 0  # the next older page's number (0: none)
    version: int = 0  # renders of the page (0: not stored yet)
    seq: int = 0  # the newest page only: the last number given to a page

    @property
    def newest(self) -> bool:
        return self.number == 0
