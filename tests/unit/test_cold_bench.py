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


def test_the_own_part_leaves_out_moto_and_the_imaging_work_of_each_sample() -> None:
    from benchmarks.cold_start import Row, misses

    row = Row("ImagesFunction", "functions/images/app.py", imports=[100.0], memory=[20.0],
              first=[700.0, 600.0, 650.0], moto=[80.0, 60.0, 70.0], work=[50.0, 40.0, 45.0],
              baseline=[380.0, 360.0, 370.0])  # fmt: skip
    assert row.own_ms == pytest.approx(535.0)  # the median of 570, 500 and 535
    assert row.work_ms == pytest.approx(45.0)
    plain = Row("RelatedFunction", "functions/related/app.py", imports=[90.0], memory=[17.0], first=[400.0],
                moto=[20.0], work=[0.0], baseline=[300.0])  # fmt: skip
    assert plain.own_ms == pytest.approx(380.0) and plain.work_ms is None
    result = {"rows": [row, plain], "boto3_ms": 200.0}
    assert misses(result) == []  # 535 <= 1.5 x 370 and 380 <= 1.5 x 300
    row.work = [0.0, 0.0, 0.0]  # counted in, the imaging work takes it to 580: over 555
    assert misses(result) == ["ImagesFunction first invocation"]
