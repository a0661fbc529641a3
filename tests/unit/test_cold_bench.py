"""make bench-cold's accounting of the moto server's part of a sample (benchmarks.cold_stack.ServerTime)."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.cold_stack import ServerTime


def test_moto_answering_counts_only_inside_the_window_and_overlaps_once() -> None:
    timed = ServerTime(lambda environ, start_response: [b"ok"])
    timed.spans.extend([(0.5, 1.5), (2.0, 3.0), (2.5, 3.5), (9.0, 9.5)])  # two requests at once at 2.5-3.0
    assert timed.within(1.0, 4.0) == pytest.approx(2000.0)  # 0.5 s of the first, 1.5 s of the overlapping two
    assert timed.within(4.0, 8.0) == 0.0


def test_each_request_through_the_app_leaves_its_span() -> None:
    seen: list[Any] = []
    timed = ServerTime(lambda environ, start_response: seen.append(environ) or [b"ok"])
    assert timed({"PATH_INFO": "/"}, None) == [b"ok"] and seen == [{"PATH_INFO": "/"}]
    ((began, ended),) = timed.spans
    assert ended >= began and timed.within(began - 1, ended + 1) == pytest.approx((ended - began) * 1000)
