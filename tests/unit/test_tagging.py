"""Tag suggestion on Indonesian text, and the vocabulary's aliases, merges and blocks."""

from __future__ import annotations

from kabar.models import VocabularyEntry
from kabar.text.tag_suggestion import MemoryVocabulary, match_key, suggest_tags

TITLE = "Tentara Suriah Pukul Mundur ISIS di Pedesaan Aleppo"
LEAD = "Kelompok ISIS meninggalkan sejumlah desa di selatan Aleppo setelah serangan tiga hari."
BODY = """Tentara Suriah bersama pasukan Hizbullah merebut kembali lima desa di pedesaan
selatan Aleppo. Jet tempur Rusia menggempur posisi ISIS sebelum pasukan darat
bergerak masuk, menurut sumber militer.

BACA JUGA: Pengungsi Palestina Kembali ke Yarmouk

Sumber yang sama menyebut ratusan anggota ISIS melarikan diri. Operasi ini
mengamankan jalan raya dari Damaskus ke Aleppo. Pasukan Hizbullah dan tentara
Suriah akan bergerak ke Hama, kata komandan yang didukung Rusia.
"""


def names(tags: list) -> list[str]:  # type: ignore[type-arg]
    return [tag.name for tag in tags]


def test_an_article_like_the_seed_is_tagged_with_its_main_entities() -> None:
    tags = suggest_tags(TITLE, LEAD, BODY)
    assert {"ISIS", "Suriah", "Rusia", "Hizbullah", "Aleppo"} <= set(names(tags))
    assert all(tag.origin == "suggested" for tag in tags)
    assert names(tags)[:2] == ["ISIS", "Aleppo"] or set(names(tags)[:2]) == {"ISIS", "Aleppo"}


def test_title_case_and_sentence_starts_make_no_tags() -> None:
    found = {tag.slug for tag in suggest_tags(TITLE, LEAD, BODY)}
    for ordinary in ("pukul", "mundur", "pedesaan", "tentara", "kelompok", "sumber", "operasi", "jet"):
        assert ordinary not in found


def test_read_also_lines_are_other_articles_not_this_one() -> None:
    found = {tag.slug for tag in suggest_tags(TITLE, LEAD, BODY)}
    assert "palestina" not in found and "yarmouk" not in found


def test_the_number_of_tags_is_bounded() -> None:
    assert len(suggest_tags(TITLE, LEAD, BODY, max_tags=3)) == 3
    assert len(suggest_tags(TITLE, LEAD, BODY)) <= 8


def test_scores_are_between_zero_and_one_and_ordered() -> None:
    tags = suggest_tags(TITLE, LEAD, BODY)
    scores = [tag.score for tag in tags]
    assert all(0 < score <= 1 for score in scores)
    assert scores == sorted(scores, reverse=True)


def test_names_stay_whole_and_punctuation_ends_them() -> None:
    tags = suggest_tags(
        "Gempa Guncang Garut",
        "Gempa terasa hingga Bandung, Jawa Barat, pada Senin pagi.",
        "Warga Garut berhamburan. Tim dari Stadion Utama Gelora Bung Karno dan Stadion Utama "
        "Gelora Bung Karno lagi membantu warga Garut.",
    )
    assert {"Garut", "Bandung", "Jawa Barat", "Stadion Utama Gelora Bung Karno"} <= set(names(tags))
    assert "Bandung Jawa" not in names(tags)


def test_a_hyphen_between_two_names_is_two_names() -> None:
    tags = suggest_tags("Jalur Dibuka", "Jalur Damaskus-Aleppo dibuka lagi.", "Truk dari Damaskus tiba.")
    assert {"Damaskus", "Aleppo"} <= set(names(tags))
    assert "damaskus-aleppo" not in {tag.slug for tag in tags}


def vocabulary() -> MemoryVocabulary:
    vocab = MemoryVocabulary()
    vocab.add(VocabularyEntry("lebanon", "Lebanon"), aliases=["Libanon"])
    vocab.add(VocabularyEntry("hizbullah", "Hizbullah"), aliases=["Hezbollah", "Hizbulah"])
    vocab.add(VocabularyEntry("negara-islam", "ISIS", status="merged", merged_into="isis-daesh"))
    vocab.add(VocabularyEntry("isis-daesh", "ISIS (Daesh)"))
    vocab.add(VocabularyEntry("hama", "Hama", status="blocked"))
    return vocab


def test_the_vocabulary_maps_aliases_follows_merges_and_drops_blocked_tags() -> None:
    tags = suggest_tags(TITLE, LEAD, BODY, vocabulary=vocabulary())
    by_slug = {tag.slug: tag for tag in tags}
    assert by_slug["isis-daesh"].name == "ISIS (Daesh)" and by_slug["isis-daesh"].origin == "vocabulary"
    assert by_slug["hizbullah"].origin == "vocabulary"
    assert "hama" not in by_slug and "isis" not in by_slug


def test_editor_tags_come_first_normalised_through_the_vocabulary() -> None:
    tags = suggest_tags(TITLE, LEAD, BODY, editor_tags=["Libanon", "Perang Suriah", "Hama"],
                        vocabulary=vocabulary())  # fmt: skip
    assert [(t.name, t.origin, t.score) for t in tags[:2]] == [
        ("Lebanon", "vocabulary", 1.0),
        ("Perang Suriah", "editor", 1.0),
    ]
    assert "hama" not in {tag.slug for tag in tags}  # blocked, even when an editor typed it


def test_unreviewed_suggestions_can_wait_for_an_editor() -> None:
    tags = suggest_tags(TITLE, LEAD, BODY, vocabulary=vocabulary(), include_unreviewed=False)
    assert tags and all(tag.origin == "vocabulary" for tag in tags)


def test_vocabulary_terms_in_the_headline_are_found_in_lower_case_too() -> None:
    vocab = MemoryVocabulary()
    vocab.add(VocabularyEntry("harga-pangan", "Harga Pangan"))
    tags = suggest_tags("Harga Pangan Turun", "harga pangan di pasar turun.", "Pedagang senang.",
                        vocabulary=vocab)  # fmt: skip
    assert ("Harga Pangan", "vocabulary") in [(t.name, t.origin) for t in tags]


def test_match_keys_ignore_case_accents_punctuation_and_nya() -> None:
    assert match_key("Hizbullah") == match_key("HIZBULLAH") == "hizbullah"
    assert match_key("Suriahnya") == "suriah"
    assert match_key("Ñandú") == "nandu"
