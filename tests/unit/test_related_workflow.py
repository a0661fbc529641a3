"""kabar.workflows.related against in-memory stores: lists in both directions, pins, unlisting, replays."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import pytest

from kabar.errors import Conflict
from kabar.html import render_markdown
from kabar.models import RelatedList, list_terms
from kabar.table import keys
from kabar.text.relatedness import DEFAULT_K, DEFAULT_MIN_SCORE
from kabar.workflows import related
from kabar.workflows.related import RelateReport, continue_unlist, relate
from tests.support.memory import MemoryStores, UnlistProgress, article, tag

FLOOD_TAGS = ["Banjir", "Kali Ciliwung", "Kampung Melayu"]
FLOOD = {
    "banjir-rendam-rumah": dict(
        title="Banjir Rendam Ribuan Rumah di Jakarta Timur",
        lead="Hujan deras semalaman membuat Kali Ciliwung meluap dan merendam permukiman warga.",
        published_at=datetime(2026, 11, 10, 0, 0, tzinfo=UTC),
        body="Banjir merendam ribuan rumah di Kampung Melayu setelah Kali Ciliwung meluap.\n\n"
        "Petugas BPBD DKI Jakarta mengevakuasi warga dengan perahu karet.\n",
    ),
    "pengungsi-banjir-sakit": dict(
        title="Pengungsi Banjir Ciliwung Mulai Terserang Penyakit",
        lead="Ribuan pengungsi banjir di Kampung Melayu mengeluhkan gatal dan diare.",
        published_at=datetime(2026, 11, 11, 2, 0, tzinfo=UTC),
        body="Posko kesehatan di Kampung Melayu menerima ratusan pengungsi banjir yang sakit.\n\n"
        "Air Kali Ciliwung yang kotor menyebabkan penyakit kulit, kata petugas BPBD DKI Jakarta.\n",
    ),
    "air-ciliwung-surut": dict(
        title="Air Ciliwung Surut, Warga Kampung Melayu Bersihkan Rumah",
        lead="Banjir mulai surut dan warga kembali dari pengungsian.",
        published_at=datetime(2026, 11, 12, 9, 0, tzinfo=UTC),
        body="Setelah tiga hari banjir, air Kali Ciliwung surut dari permukiman Kampung Melayu.\n\n"
        "Warga kembali dari pengungsian dan membersihkan lumpur dari rumah mereka.\n",
    ),
}
STORY = list(FLOOD)
LATER = "banjir-kiriman-ancam"
LATER_FLOOD: dict[str, Any] = dict(
    title="Banjir Kiriman Kembali Ancam Kampung Melayu",
    lead="BPBD DKI Jakarta minta warga Kali Ciliwung waspada banjir kiriman.",
    published_at=datetime(2026, 11, 19, 23, 0, tzinfo=UTC),
    body="BPBD DKI Jakarta memperingatkan warga bantaran Kali Ciliwung akan banjir kiriman dari Bogor.\n\n"
    "Warga Kampung Melayu yang pekan lalu mengungsi karena banjir mulai mengemasi barang.\n",
)
PINS = "banjir-kiriman-pekan-depan"  # pins LATER
FOOTBALL = "timnas-kalahkan-vietnam"
FOOTBALL_FIELDS = dict(
    title="Timnas Indonesia Kalahkan Vietnam di Stadion Gelora Bung Karno",
    lead="Gol tunggal Marselino Ferdinan membawa Timnas Indonesia ke semifinal Piala AFF.",
    published_at=datetime(2026, 11, 11, 14, 0, tzinfo=UTC),
    body="Timnas Indonesia menang 1-0 atas Vietnam dalam laga Piala AFF.\n\n"
    "Marselino Ferdinan mencetak gol pada menit ke-70.\n",
    tags=["Timnas Indonesia", "Piala AFF"],
    category="Olahraga",
)


def publish(
    stores: MemoryStores,
    slug: str,
    fields: dict[str, Any],
    *,
    version: int = 1,
    k: int = DEFAULT_K,
    per_list: int = related.PER_LIST,
    **changes: Any,
) -> RelateReport:
    """What happens when an article version is published: it is stored, tagged, then related."""
    values = {"tags": FLOOD_TAGS, "category": "Nasional", **fields, **changes}
    values["body_html"] = render_markdown(values.pop("body"))
    stores.put_article(article(slug, version=version, **values))
    tag(stores, slug)
    return relate(
        slug, articles=stores.articles, tags=stores.tags, lists=stores.related, k=k, per_list=per_list
    )


def listed(stores: MemoryStores, slug: str) -> list[str]:
    stored = stores.related.get(slug)
    assert stored is not None, slug
    return [*stored.pinned, *(entry.slug for entry in stored.auto)]


def the_story(stores: MemoryStores) -> None:
    for slug, fields in FLOOD.items():
        publish(stores, slug, fields)
    publish(stores, FOOTBALL, FOOTBALL_FIELDS)


def test_an_article_gets_its_list_and_joins_the_lists_of_the_older_ones() -> None:
    stores = MemoryStores.new()
    first = publish(stores, STORY[0], FLOOD[STORY[0]])
    assert (first.related, first.updated) == ([], [])
    assert stores.related.get(STORY[0]) == RelatedList(slug=STORY[0], version=1, revision=1)
    second = publish(stores, STORY[1], FLOOD[STORY[1]])
    assert (second.related, second.updated) == ([STORY[0]], [STORY[0]])
    assert listed(stores, STORY[0]) == [STORY[1]]
    assert stores.related.get(STORY[0]).revision == 2  # type: ignore[union-attr]

    publish(stores, STORY[2], FLOOD[STORY[2]])
    publish(stores, FOOTBALL, FOOTBALL_FIELDS)
    later = publish(stores, LATER, LATER_FLOOD)
    assert set(later.related) == set(STORY) and set(later.updated) == set(STORY)
    assert later.candidates == 4  # the story and itself: the football match is in none of its lists
    for slug in STORY:
        assert set(listed(stores, slug)) == {*STORY, LATER} - {slug}, slug
        stored = stores.related.get(slug)
        assert stored is not None
        scores = [entry.score for entry in stored.auto]
        assert scores == sorted(scores, reverse=True) and min(scores) >= DEFAULT_MIN_SCORE
    assert listed(stores, FOOTBALL) == []
    assert stores.related.listed_by(LATER, after=None, limit=10) == sorted(STORY)  # the reverse index
    assert stores.related.listed_by(STORY[0], after=None, limit=10) == sorted([*STORY[1:], LATER])


def test_pinned_articles_come_first_and_an_excluded_one_is_in_neither_list() -> None:
    stores = MemoryStores.new()
    the_story(stores)
    report = publish(stores, LATER, LATER_FLOOD, related=[FOOTBALL], exclude_related=[STORY[1]])
    stored = stores.related.get(LATER)
    assert stored is not None and (stored.pinned, stored.excluded) == ([FOOTBALL], [STORY[1]])
    assert report.related[0] == FOOTBALL and set(report.related[1:]) == {STORY[0], STORY[2]}
    assert STORY[1] not in report.updated and LATER not in listed(stores, STORY[1])
    assert LATER in listed(stores, STORY[0]) and LATER in listed(stores, STORY[2])
    assert stores.related.listed_by(FOOTBALL, after=None, limit=10) == [LATER]  # pins are listed too


def test_a_list_holds_at_most_k_articles_its_pins_included() -> None:
    stores = MemoryStores.new()
    the_story(stores)
    report = publish(stores, LATER, LATER_FLOOD, related=[FOOTBALL], k=2)
    stored = stores.related.get(LATER)
    assert stored is not None and stored.pinned == [FOOTBALL] and len(stored.auto) == 1
    assert report.related == [FOOTBALL, stored.auto[0].slug] and stored.auto[0].slug in STORY


def test_candidates_are_the_newest_few_of_each_list() -> None:
    stores = MemoryStores.new()
    the_story(stores)
    report = publish(stores, LATER, LATER_FLOOD, per_list=2)  # itself, and the newest of each list
    tagged = stores.tags.get(LATER)
    assert tagged is not None
    lists = [keys.tag_list(t.slug) for t in tagged.tags] + [
        keys.term_list(t) for t in list_terms(tagged.terms)
    ]
    newest = {keys.parse_listing_position(m.position)[1] for p in lists for m in stores.lists.members(p)[-2:]}
    assert report.candidates == len(newest) <= 2 * len(lists)
    assert STORY[2] in report.related and set(report.related) <= newest


def test_a_replayed_record_changes_nothing() -> None:
    stores = MemoryStores.new()
    the_story(stores)
    publish(stores, LATER, LATER_FLOOD)
    before = copy.deepcopy(stores)
    for slug in [*STORY, FOOTBALL, LATER]:
        report = relate(slug, articles=stores.articles, tags=stores.tags, lists=stores.related)
        assert (report.related, report.updated) == ([], []), slug
    assert stores == before


def test_a_version_not_tagged_yet_waits_for_its_own_record() -> None:
    stores = MemoryStores.new()
    the_story(stores)
    publish(stores, LATER, LATER_FLOOD)
    stores.put_article(article(LATER, version=2, status="draft", body_html="<p>x</p>"))
    before = copy.deepcopy(stores)
    assert relate(LATER, articles=stores.articles, tags=stores.tags, lists=stores.related) == RelateReport(
        LATER
    )
    assert stores == before


def unpublish(stores: MemoryStores, slug: str, fields: dict[str, Any]) -> RelateReport:
    return publish(stores, slug, fields, version=2, status="draft")


def test_an_unpublished_article_leaves_every_list_a_chunk_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(related, "UNLIST_CHUNK", 1)
    stores = MemoryStores.new()
    the_story(stores)
    publish(stores, LATER, LATER_FLOOD)
    publish(stores, PINS, LATER_FLOOD, related=[LATER], published_at=datetime(2026, 11, 20, 1, 0, tzinfo=UTC))
    first, pins, second, third = sorted([*STORY, PINS])
    assert pins == PINS

    unpublish(stores, LATER, LATER_FLOOD)
    assert stores.related.get(LATER) is None
    assert LATER not in listed(stores, first) and LATER in listed(stores, second)
    assert stores.related.unlisting == {LATER: UnlistProgress(after=first, rounds=1)}
    assert stores.related.listed_by(LATER, after=None, limit=10) == [pins, second, third]

    assert continue_unlist(LATER, articles=stores.articles, lists=stores.related) == [pins]
    assert stores.related.unlisting == {LATER: UnlistProgress(after=pins, rounds=2)}
    assert continue_unlist(LATER, articles=stores.articles, lists=stores.related) == [second]
    assert stores.related.unlisting == {LATER: UnlistProgress(after=second, rounds=3)}
    assert continue_unlist(LATER, articles=stores.articles, lists=stores.related) == [third]
    assert stores.related.unlisting == {LATER: UnlistProgress(after=second, rounds=3)}  # nothing left
    # The pin stays (the editor's choice; the document leaves out what is not published).
    assert stores.related.listed_by(LATER, after=None, limit=10) == [pins]
    assert all(LATER not in listed(stores, slug) for slug in STORY)
    before = copy.deepcopy(stores)
    assert continue_unlist(LATER, articles=stores.articles, lists=stores.related) == []  # a replay
    assert stores == before


def test_a_list_that_pinned_the_article_is_rewritten_to_be_rendered_again() -> None:
    stores = MemoryStores.new()
    the_story(stores)
    publish(stores, LATER, LATER_FLOOD)
    pinned_by = publish(
        stores,
        PINS,
        LATER_FLOOD,
        related=[LATER],
        published_at=datetime(2026, 11, 20, 1, 0, tzinfo=UTC),
    )
    assert pinned_by.related[0] == LATER
    before = stores.related.get(PINS)
    assert before is not None

    unpublish(stores, LATER, LATER_FLOOD)
    after = stores.related.get(PINS)
    assert after == before.replace(revision=before.revision + 1)  # still pinned: only rendered again
    assert all(LATER not in listed(stores, slug) for slug in STORY)


def test_unlisting_stops_once_the_article_is_published_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(related, "UNLIST_CHUNK", 1)
    stores = MemoryStores.new()
    the_story(stores)
    publish(stores, LATER, LATER_FLOOD)
    unpublish(stores, LATER, LATER_FLOOD)
    publish(stores, LATER, LATER_FLOOD, version=3)
    before = copy.deepcopy(stores)
    assert continue_unlist(LATER, articles=stores.articles, lists=stores.related) == []
    assert stores == before


def test_a_list_changed_meanwhile_is_a_conflict_and_the_retry_succeeds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stores = MemoryStores.new()
    the_story(stores)
    stores.put_article(
        article(
            LATER,
            **{k: v for k, v in LATER_FLOOD.items() if k != "body"},
            body_html=render_markdown(LATER_FLOOD["body"]),
            tags=FLOOD_TAGS,
            category="Nasional",
        )
    )
    tag(stores, LATER)
    get_many = stores.related.get_many

    def another_writer_meanwhile(slugs: Iterable[str]) -> dict[str, RelatedList]:
        read = get_many(slugs)
        monkeypatch.setattr(stores.related, "get_many", get_many)
        other = stores.related.get(STORY[0])
        assert other is not None
        stores.related.store(other.replace(revision=other.revision + 1), other)
        return read

    monkeypatch.setattr(stores.related, "get_many", another_writer_meanwhile)
    with pytest.raises(Conflict, match=f"related list of {STORY[0]} changed meanwhile"):
        relate(LATER, articles=stores.articles, tags=stores.tags, lists=stores.related)
    # All or none: the lists it joins and its own are one transaction, so nothing was written
    # (not even the better candidates' lists), and the retry computes everything again.
    assert stores.related.get(LATER) is None
    assert [LATER in listed(stores, slug) for slug in STORY] == [False, False, False]
    report = relate(LATER, articles=stores.articles, tags=stores.tags, lists=stores.related)
    assert set(report.updated) == set(STORY) and set(report.related) == set(STORY)
    assert all(LATER in listed(stores, slug) for slug in STORY)
