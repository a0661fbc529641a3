"""AWS's sample events (tests/events/*.json): the shapes Lambda delivers, for tests to start from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EVENTS = Path(__file__).parents[1] / "events"


def sample(name: str) -> dict[str, Any]:
    """The sample event ``tests/events/<name>.json``, freshly parsed (tests may change it)."""
    return json.loads((EVENTS / f"{name}.json").read_text())  # type: ignore[no-any-return]
