"""benchmarks/publish_seed.py: the part of a large table a publish can reach, numbered as the
whole table would be (what `make bench-publish` measures on)."""

from __future__ import annotations

from typing import Any

from benchmarks.publish_bench import _meter_call
from benchmarks.publish_seed import HOT, Corpus, items, tag_counts
from kabar.table import keys


def _pages(seed: list[dict[str, Any]], tag: str | None) -> list[dict[str, Any]]:
    partition = keys.pages_of(keys.tag_list(tag) if tag else keys.LATEST)
    return sorted((i for i in seed if i["pk"] == partition), key=lambda i: i["sk"])


def test_the_seed_is_the_newest_window_with_pages_numbered_as_the_whole_list() -> None:
    corpus = Corpus(articles=1_000_000, per_day=2_000, tags=1_000, window=400)
    seed = items(corpus)
    current = [i for i in seed if i["sk"] == "CURRENT"]
    assert len(current) == 400  # the window, not the million
    pages = _pages(seed, None)
    newest = pages[-1]
    assert newest["sk"] == keys.OPEN_PAGE and newest["number"] == 0
    # Walking "Show More" from the newest page goes through every seeded page, one number at a
    # time, and then points below the window: to the pages the other 999,600 articles fill.
    numbers = {page["number"]: page for page in pages if page["number"]}
    offset = (1_000_000 - 400) // 25
    step, seen = newest["older"], []
    while step in numbers:
        seen.append(step)
        step = numbers[step]["older"]
    assert sorted(seen) == sorted(numbers) and step == offset == min(numbers) - 1
    assert newest["seq"] == max(numbers)  # the last number given to a page


def test_every_tag_is_counted_and_the_hot_ones_lead() -> None:
    counts = tag_counts(Corpus(articles=10_000, per_day=50, tags=100_000))
    assert len(counts) == 100_000 and all(count >= 1 for count in counts.values())
    ranked = sorted(counts, key=counts.__getitem__, reverse=True)
    assert ranked[:2] == list(HOT)


def test_metering_counts_items_units_documents_and_transactions() -> None:
    meter: dict[str, Any] = {"read": 0, "written": 0, "rru": 0.0, "wru": 0, "documents": [], "paths": set()}
    big = {"pk": {"S": "A"}, "body": {"S": "x" * 3000}}
    _meter_call(meter, "PutItem", {"Item": big}, {})
    transaction = [{"Put": {"Item": {"pk": {"S": "B"}}}}, {"ConditionCheck": {"Key": {"pk": {"S": "C"}}}}]
    _meter_call(meter, "TransactWriteItems", {"TransactItems": transaction}, {})
    _meter_call(meter, "Query", {}, {"Items": [{"pk": {"S": "D"}}], "ScannedCount": 3})
    _meter_call(meter, "PutObject", {"Key": "v1/latest.json", "Body": b"{}"}, {})
    assert (meter["written"], meter["wru"]) == (2, 3 + 2)  # 3 KB: three units; transactional: twice
    assert meter["read"] == 1 + 3 and meter["documents"] == [("v1/latest.json", 2)]
