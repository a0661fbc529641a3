"""kabar.text.relatedness: stems, text vectors, scores and how lists change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kabar.text.relatedness import Profile, Scored, admit, rank, score, spread, stem, tag_weight, text_terms

NOW = datetime(2026, 11, 20, tzinfo=UTC)


@pytest.mark.parametrize(
    ("forms", "root"),
    [
        (["pengungsi", "mengungsi", "diungsikan", "pengungsian"], "ungsi"),
        (["serangan", "menyerang", "diserang"], "serang"),
        (["memukul", "pemukulan"], "pukul"),
        (["menulis", "penulis"], "tulis"),
        (["pembangunan", "dibangun", "membangunkan"], "bangun"),
    ],
)
def test_forms_of_one_word_share_a_stem(forms: list[str], root: str) -> None:
    assert {stem(form) for form in forms} == {root}


def test_short_words_and_names_are_left_alone() -> None:
    assert [stem(w) for w in ("banjir", "homs", "suriah", "jalan")] == ["banjir", "homs", "suriah", "jalan"]


def test_text_terms_weigh_the_headline_drop_stopwords_and_have_unit_length() -> None:
    terms = text_terms(
        "Pengungsi Suriah Kembali ke Homs",
        "Ribuan pengungsi pulang.",
        "<p>Para pengungsi yang mengungsi ke Lebanon kembali ke rumah mereka.</p>\n<p>Baca juga: Lain</p>",
    )
    assert set(sorted(terms, key=terms.__getitem__)[-2:]) == {"ungsi", "homs"}  # repeated, in the headline
    assert terms["homs"] > terms["lebanon"]  # headline beats body
    assert (
        terms["lebanon"] > terms["rumah"]
    )  # a rare stem says more than a common one (both once, in the body)
    assert not {"yang", "para", "mereka", "baca", "lain"} & set(terms)
    assert sum(w * w for w in terms.values()) == pytest.approx(1.0, abs=1e-3)


def profile(
    id: str, text: str, tags: tuple[str, ...] = (), category: str | None = None, days: int = 0
) -> Profile:
    return Profile.of(id, text_terms(text, None, text), tags, category, NOW - timedelta(days=days))


FLOOD_A = profile(
    "a", "Banjir Ciliwung rendam rumah warga Kampung Melayu", ("banjir", "ciliwung"), "nasional"
)
FLOOD_B = profile(
    "b", "Pengungsi banjir Ciliwung di Kampung Melayu sakit", ("banjir", "ciliwung"), "nasional", 1
)
FOOTBALL = profile(
    "c", "Timnas menang atas Vietnam di Gelora Bung Karno", ("timnas", "vietnam"), "nasional", 0
)


def test_scores_are_symmetric_and_separate_stories() -> None:
    weights = {"banjir": 0.5, "ciliwung": 1.0, "timnas": 1.0, "vietnam": 1.0}
    assert score(FLOOD_A, FLOOD_B, weights) == score(FLOOD_B, FLOOD_A, weights) > 0.5
    # Same category, same day: neither counts without shared tags or words.
    assert score(FLOOD_A, FOOTBALL, weights) == 0.0


def test_rarer_shared_tags_and_nearer_dates_score_higher() -> None:
    common = {"banjir": tag_weight(5000), "ciliwung": tag_weight(5000)}
    rare = {"banjir": tag_weight(3), "ciliwung": tag_weight(3)}
    assert score(FLOOD_A, FLOOD_B, rare) > score(FLOOD_A, FLOOD_B, common)
    far = profile(
        "d", "Pengungsi banjir Ciliwung di Kampung Melayu sakit", ("banjir", "ciliwung"), "nasional", 400
    )
    assert score(FLOOD_A, FLOOD_B, rare) > score(FLOOD_A, far, rare)
    assert tag_weight(1) == 1.0 and tag_weight(10) == 0.5


def test_rank_keeps_the_best_k_above_the_threshold_and_skips_itself_and_exclusions() -> None:
    weights = {"banjir": 0.5, "ciliwung": 1.0}
    twin = profile(
        "e", "Banjir Ciliwung rendam rumah warga Kampung Melayu", ("banjir", "ciliwung"), "nasional"
    )
    ranked = rank(FLOOD_A, [FLOOD_A, FLOOD_B, FOOTBALL, twin, FLOOD_B], weights, k=5)
    assert [s.id for s in ranked] == ["e", "b"]  # no padding with the unrelated one
    assert ranked[0].score > ranked[1].score
    assert [s.id for s in rank(FLOOD_A, [FLOOD_B, twin], weights, k=1)] == ["e"]
    assert [s.id for s in rank(FLOOD_A, [FLOOD_B, twin], weights, exclude=["e"])] == ["b"]
    assert rank(FLOOD_A, [FLOOD_B, twin], weights, min_score=5.0) == []


def entries(*pairs: tuple[str, float]) -> list[Scored]:
    return [Scored(id=i, score=s) for i, s in pairs]


def test_admit_inserts_a_better_newcomer_and_drops_the_worst() -> None:
    current = entries(("x", 0.9), ("y", 0.5))
    assert admit(current, Scored(id="n", score=0.7), room=2) == entries(("x", 0.9), ("n", 0.7))
    assert admit(current, Scored(id="n", score=0.3), room=2) is None  # not good enough
    assert admit(current, Scored(id="n", score=0.3), room=3) == entries(("x", 0.9), ("y", 0.5), ("n", 0.3))


def test_admit_changes_nothing_twice_and_respects_blocks_and_threshold() -> None:
    current = entries(("x", 0.9), ("n", 0.7))
    assert admit(current, Scored(id="n", score=0.7), room=2) is None  # already there: a replay
    assert admit(current, Scored(id="n", score=0.1), room=2, min_score=0.2) == entries(("x", 0.9))
    assert admit([], Scored(id="n", score=0.9), room=2, blocked=["n"]) is None
    assert admit([], Scored(id="n", score=0.9), room=0) is None


@pytest.mark.parametrize("paragraphs", range(0, 9))
@pytest.mark.parametrize("count", range(0, 5))
def test_spread_places_links_in_distinct_gaps_inside_the_body(count: int, paragraphs: int) -> None:
    positions = spread(count, paragraphs)
    assert len(positions) == min(count, max(paragraphs - 1, 0))
    assert positions == sorted(set(positions))
    assert all(1 <= p < paragraphs for p in positions)


def test_spread_keeps_every_editor_link() -> None:
    assert spread(2, 6) == [2, 4]
    assert spread(3, 2, keep_all=True) == [1, 1, 1]
    assert spread(2, 1, keep_all=True) == [1, 1]
