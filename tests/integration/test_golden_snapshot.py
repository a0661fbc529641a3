"""Publishing examples/ on moto stores exactly what it stored before: the refactoring safety net.

One scenario (:mod:`tests.support.golden`: the vocabulary, every example file, comments and
their moderation, a tag merge, an unpublish) runs through the API and the router, and every
site object (body and headers), table item, incoming object and API answer is compared with
``tests/golden/examples.json``, volatile values (ids, clock readings, keyed hashes) masked.

A difference fails with a unified diff of the leaves that differ. When a change of behaviour
is deliberate, regenerate the snapshot and review its diff::

    python -m tests.support.golden --write
    KABAR_GOLDEN_WRITE=1 python -m pytest tests/integration/test_golden_snapshot.py
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.support import golden
from tests.support.app import App


@pytest.fixture
def app(stack: Any, template: Any) -> App:
    """The stack's handlers with the flood rule off: the same commenter comes back at once."""
    return App(template, stack, golden.OVERRIDES)


def test_publishing_the_examples_stores_what_the_golden_snapshot_holds(app: App) -> None:
    snapshot = golden.run(app)
    if os.environ.get("KABAR_GOLDEN_WRITE") == "1":
        golden.write(snapshot)
        print(f"wrote {golden.GOLDEN}")
        return
    assert golden.GOLDEN.exists(), "no golden snapshot: python -m tests.support.golden --write"
    expected = golden.load()
    if snapshot != expected:
        pytest.fail(
            "publishing examples/ no longer stores what tests/golden/examples.json holds\n"
            + golden.diff(expected, snapshot)
            + "\n(a deliberate change? python -m tests.support.golden --write, and review the diff)",
            pytrace=False,
        )
