"""AWS's sample events (tests/events/*.json): the shapes Lambda delivers, for tests to start from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EVENTS = Path(__file__).parents[1] / "events"


def sample(name: str) -> dict[str, Any]:
    """The sample event ``tests/events/<name>.json``, freshly parsed (tests may change it)."""
    return json.loads((EVENTS / f"{name}.json").read_text())  # type: ignore[no-any-return]


def queued(stage: str, records: list[dict[str, Any]]) -> dict[str, Any]:
    """The SQS event a stage gets for these table stream records: DispatchFunction's own messages
    for the stage (kabar.dispatch), with message ids ``m1``, ``m2``, ... in the records' order."""
    from kabar.dispatch import dispatch

    bodies: list[str] = []

    def send(to: str, batch: list[str]) -> set[int]:
        bodies.extend(batch if to == stage else [])
        return set()

    dispatch(records, send)
    return {"Records": [{"messageId": f"m{n}", "body": body, "eventSource": "aws:sqs"}
                        for n, body in enumerate(bodies, 1)]}  # fmt: skip
