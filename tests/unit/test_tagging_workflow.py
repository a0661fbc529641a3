"""kabar.workflows.tagging against in-memory stores: tags per version, forced re-tags, merges in chunks."""

from __future__ import annotations

import copy
import html
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kabar.models import ArticleTags, ScoredTag, TagCount, VocabularyEntry
from kabar.table import keys
from kabar.text.relatedness import text_terms
from kabar.text.tag_suggestion import suggest_tags
from kabar.workflows.tagging import continue_merge
from kabar.workflows.vocabulary import merge_tag, store_entry
from kabar.workflows.vocabulary_forms import MergeRequest
from tests.support.memory import MemoryStores, MergeProgress, article, tag

SYRIA: dict[str, Any] = dict(
    title="Tentara Suriah Rebut Desa di Aleppo",
    lead="Pasukan Suriah dan Hizbullah maju di Aleppo.",
    body_html=(
        "<p>Tentara Suriah bersama pasukan Hizbullah merebut kembali lima desa di selatan Aleppo. "
        "Jet tempur Rusia menggempur posisi ISIS.</p>\n<p>Pasukan Hizbullah dan tentara Suriah bergerak "
        "ke Aleppo.</p>"
    ),
)


def editor(name: str, slug: str) -> ScoredTag:
    return ScoredTag(name=name, slug=slug, score=1.0, origin="editor")


def test_the_current_version_is_tagged_and_listed_under_each_tag_and_its_category() -> None:
    stores = MemoryStores.new()
    stored = stores.put_article(
        article("perang-aleppo", tags=["Perang", "Timur Tengah"], category="Dunia", **SYRIA)
    )
    tagged = tag(stores, "perang-aleppo")

    assert tagged == ArticleTags(
        slug="perang-aleppo",
        version=1,
        status="published",
        published_at=stored.published_at,
        category="dunia",
        tags=[editor("Perang", "perang"), editor("Timur Tengah", "timur-tengah")],
        pending=[
            ScoredTag(name=t.name, slug=t.slug, score=t.score, origin=t.origin)
            for t in suggest_tags(
                SYRIA["title"],
                SYRIA["lead"],
                html.unescape(SYRIA["body_html"]),
                editor_tags=["Perang", "Timur Tengah"],
            )[2:]
        ],
        terms=text_terms(SYRIA["title"], SYRIA["lead"], SYRIA["body_html"]),
    )
    assert {t.name for t in tagged.pending} == {"Aleppo", "Suriah", "Hizbullah", "ISIS", "Rusia"}
    assert stores.tags.get("perang-aleppo") == tagged
    assert stores.tags.counts() == [
        TagCount("perang", "Perang", 1),
        TagCount("timur-tengah", "Timur Tengah", 1),
    ]
    for slug in ("perang", "timur-tengah"):
        assert stores.lists.newest(10, slug) == [stored.summary()], slug
    in_category = stores.lists.members(keys.category_list("dunia"))
    assert [listed.summary for listed in in_category] == [stored.summary()]
    assert stores.lists.newest(10, "aleppo") == []  # waiting for an editor


def test_published_suggestions_are_tags_too() -> None:
    stores = MemoryStores.new()
    stores.put_article(article("perang-aleppo", tags=["Perang"], **SYRIA))
    tagged = tag(stores, "perang-aleppo", publish=True)
    assert tagged is not None and tagged.pending == []
    assert [t.slug for t in tagged.tags] == ["perang", "aleppo", "suriah", "hizbullah", "isis", "rusia"]
    assert stores.tags.member_slugs("isis", 10) == ["perang-aleppo"]


def test_no_article_no_tags() -> None:
    stores = MemoryStores.new()
    assert tag(stores, "tidak-ada") is None
    assert stores == MemoryStores.new()


def test_a_version_already_tagged_is_not_tagged_again() -> None:
    stores = MemoryStores.new()
    stores.put_article(article("gempa", tags=["Gempa"]))
    first = tag(stores, "gempa")
    before = copy.deepcopy(stores)
    assert tag(stores, "gempa") == first
    assert stores == before


def test_a_new_version_replaces_the_tags_and_moves_the_memberships() -> None:
    stores = MemoryStores.new()
    stores.put_article(article("gempa", tags=["Gempa", "Garut"]))
    tag(stores, "gempa")
    stores.put_article(article("gempa", version=2, tags=["Gempa", "Cianjur"]))
    tagged = tag(stores, "gempa")
    assert tagged is not None and (tagged.version, tagged.revision) == (2, 0)
    assert tagged.tags == [editor("Gempa", "gempa"), editor("Cianjur", "cianjur")]
    assert stores.tags.counts() == [
        TagCount("cianjur", "Cianjur", 1),
        TagCount("garut", "Garut", 0),
        TagCount("gempa", "Gempa", 1),
    ]
    assert stores.tags.member_slugs("garut", 10) == []
    assert stores.tags.member_slugs("cianjur", 10) == ["gempa"]


def test_an_unpublished_version_leaves_every_list_but_keeps_its_tags() -> None:
    stores = MemoryStores.new()
    stores.put_article(article("gempa", tags=["Gempa"], category="Nasional"))
    tag(stores, "gempa")
    stores.put_article(article("gempa", version=2, status="draft", tags=["Gempa"], category="Nasional"))
    tagged = tag(stores, "gempa")
    assert tagged == ArticleTags(
        slug="gempa", version=2, status="draft", tags=[editor("Gempa", "gempa")], terms={}
    )
    assert stores.tags.counts() == [TagCount("gempa", "Gempa", 0)]
    assert stores.lists.items == {}  # no tag, category or latest list names it


def reads_once(monkeypatch: pytest.MonkeyPatch, store: Any, method: str, value: Any) -> None:
    """The next call of ``store.method`` answers ``value`` (what it read before another writer)."""
    original = getattr(store, method)

    def stale(*args: Any) -> Any:
        monkeypatch.setattr(store, method, original)
        return value

    monkeypatch.setattr(store, method, stale)


def test_tags_of_an_older_version_never_replace_newer_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    stores = MemoryStores.new()
    old = stores.put_article(article("gempa", tags=["Garut"]))
    stores.put_article(article("gempa", version=2, tags=["Cianjur"]))
    newer = tag(stores, "gempa")
    before = copy.deepcopy(stores)
    # A late record for version 1 read the article and the tags before version 2 was tagged.
    reads_once(monkeypatch, stores.articles, "get", old)
    reads_once(monkeypatch, stores.tags, "get", None)
    assert tag(stores, "gempa") == newer  # the store refused it (Stale): the tags stored are the answer
    assert stores == before
    reads_once(monkeypatch, stores.articles, "get", old)
    assert tag(stores, "gempa") == newer  # read after: dropped before writing
    assert stores == before


def test_a_forced_re_tag_follows_the_vocabulary_and_counts_its_revision() -> None:
    stores = MemoryStores.new()
    stores.put_article(article("pengungsi", tags=["Libanon"]))
    tag(stores, "pengungsi")
    store_entry(VocabularyEntry("lebanon", "Lebanon", aliases=("Libanon",)), vocabulary=stores.vocabulary)
    assert tag(stores, "pengungsi") is not None and stores.tags.member_slugs("libanon", 10) == ["pengungsi"]

    retagged = tag(stores, "pengungsi", force=True)
    assert retagged is not None and (retagged.version, retagged.revision) == (1, 1)
    assert retagged.tags == [ScoredTag(name="Lebanon", slug="lebanon", score=1.0, origin="vocabulary")]
    assert stores.tags.member_slugs("libanon", 10) == [] and stores.tags.member_slugs("lebanon", 10) == [
        "pengungsi"
    ]
    assert stores.tags.counts() == [TagCount("lebanon", "Lebanon", 1), TagCount("libanon", "Libanon", 0)]
    before = copy.deepcopy(stores)
    assert tag(stores, "pengungsi", force=True) == retagged  # the same tags again: nothing written
    assert stores == before


def test_two_forced_re_tags_of_one_version_store_one_revision(monkeypatch: pytest.MonkeyPatch) -> None:
    stores = MemoryStores.new()
    stores.put_article(article("pengungsi", tags=["Libanon"]))
    first = tag(stores, "pengungsi")
    store_entry(VocabularyEntry("lebanon", "Lebanon", aliases=("Libanon",)), vocabulary=stores.vocabulary)
    winner = tag(stores, "pengungsi", force=True)
    before = copy.deepcopy(stores)
    reads_once(monkeypatch, stores.tags, "get", first)  # the loser read revision 0
    assert tag(stores, "pengungsi", force=True) == winner
    assert stores == before


def merged_gaza(stores: MemoryStores, articles: int) -> list[str]:
    """``articles`` articles tagged "Jalur Gaza" (newest last), then the tag merged into "gaza"."""
    store_entry(VocabularyEntry("gaza", "Gaza"), vocabulary=stores.vocabulary)
    slugs = []
    for number in range(articles):
        moment = datetime(2026, 11, 1, tzinfo=UTC) + timedelta(days=number)
        slugs.append(f"kabar-gaza-{number}")
        stores.put_article(
            article(slugs[-1], title=f"Berita Nomor {number}", tags=["Jalur Gaza"], published_at=moment)
        )
        tag(stores, slugs[-1])
    merge_tag("jalur-gaza", MergeRequest(into="gaza"), vocabulary=stores.vocabulary, tags=stores.tags)
    return slugs


def merge(stores: MemoryStores, tag: str, chunk: int) -> int:
    return continue_merge(
        tag,
        articles=stores.articles,
        tags=stores.tags,
        vocabulary=stores.vocabulary,
        max_tags=8,
        publish_suggestions=False,
        chunk=chunk,
    )


def test_a_merge_moves_the_newest_articles_a_chunk_at_a_time_and_notes_its_progress() -> None:
    stores = MemoryStores.new()
    slugs = merged_gaza(stores, 5)

    assert merge(stores, "jalur-gaza", 2) == 2
    assert stores.tags.member_slugs("gaza", 10) == [slugs[4], slugs[3]]
    assert stores.tags.member_slugs("jalur-gaza", 10) == [slugs[2], slugs[1], slugs[0]]
    assert stores.tags.merges == {"jalur-gaza": MergeProgress(moved=2, rounds=1)}
    assert merge(stores, "jalur-gaza", 2) == 2
    assert stores.tags.merges == {"jalur-gaza": MergeProgress(moved=4, rounds=2)}
    assert merge(stores, "jalur-gaza", 2) == 1  # the last one: no progress to hand on
    assert stores.tags.merges == {"jalur-gaza": MergeProgress(moved=4, rounds=2)}
    assert stores.tags.member_slugs("gaza", 10) == slugs[::-1]
    assert stores.tags.counts() == [TagCount("gaza", "Gaza", 5), TagCount("jalur-gaza", "Jalur Gaza", 0)]
    moved = stores.tags.get(slugs[0])
    assert moved is not None and (moved.revision, moved.tags) == (
        1,
        [ScoredTag(name="Gaza", slug="gaza", score=1.0, origin="vocabulary")],
    )
    before = copy.deepcopy(stores)
    assert merge(stores, "jalur-gaza", 2) == 0  # a replayed progress record
    assert stores == before


def test_a_tag_not_merged_moves_nothing() -> None:
    stores = MemoryStores.new()
    store_entry(VocabularyEntry("gaza", "Gaza"), vocabulary=stores.vocabulary)
    stores.put_article(article("kabar-gaza", tags=["Gaza"]))
    tag(stores, "kabar-gaza")
    before = copy.deepcopy(stores)
    assert merge(stores, "gaza", 2) == 0
    assert merge(stores, "tidak-ada", 2) == 0
    assert stores == before
