"""Entity mentions, their grouping into names (variants as one), and salience, on sentences written
for this test: names with titles, acronyms, multi-word places, sentence-initial names and words."""

from __future__ import annotations

import pytest

from kabar.text.entities import recogniser
from kabar.text.mentions import Mention, find_mentions, sentences, story_text
from kabar.text.salience import acronym_fits, definitions, names, split_joined, without_title
from kabar.text.tag_suggestion import suggest_tags


def tag_names(title: str, lead: str, body: str, **options: object) -> list[str]:
    return [tag.name for tag in suggest_tags(title, lead, body, **options)]  # type: ignore[arg-type]


def mention(text: str, kind: str = "PER", sentence: int = 1, **fields: object) -> Mention:
    return Mention(text=text, kind=kind, field="body", sentence=sentence, initial=False, confidence=20.0,
                   **fields)  # type: ignore[arg-type]  # fmt: skip


# --- what is the story: bylines, credits, furniture -------------------------------------------


@pytest.mark.parametrize(
    ("text", "story"),
    [
        ("Jakarta, CNN Indonesia - - Marc Marquez menang.", "Marc Marquez menang."),
        ("Suara.com - Tentara Nasional Indonesia siaga.", "Tentara Nasional Indonesia siaga."),
        ("BANGKALAN, JUARA.net - Putaran pertama usai.", "Putaran pertama usai."),
        ("Jakarta (ANTARA News) - Sapardi menulis.", "Sapardi menulis."),
        ("Jalur Damaskus - Aleppo dibuka lagi.", "Jalur Damaskus - Aleppo dibuka lagi."),  # not a byline
        (
            "Harga turun.\n\nBaca juga: Jokowi ke Bandung\n\nPedagang senang.",
            "Harga turun.\n\nPedagang senang.",
        ),
        ("Harga turun. (Antara / The Guardian)", "Harga turun."),
        ("Harga turun.\n\nDetik.com adalah portal berita.", "Harga turun."),
        ("Harga turun.\n\nSumber: The Verge\n\nADVERTISEMENT", "Harga turun."),
    ],
)
def test_the_story_text_leaves_out_bylines_credits_and_page_furniture(text: str, story: str) -> None:
    assert story_text(text) == story


def test_a_full_stop_after_an_initial_or_abbreviation_does_not_end_a_sentence() -> None:
    assert sentences("Miryam S. Haryani hadir. Ia diam.") == ["Miryam S. Haryani hadir.", "Ia diam."]
    assert sentences("PT. Matahari naik. Saham turun.") == ["PT. Matahari naik.", "Saham turun."]
    assert sentences("Tim di Stadion Utama Gelora\nBung Karno menang.") == [
        "Tim di Stadion Utama Gelora\nBung Karno menang."
    ]


def test_a_source_credit_is_marked_and_a_web_address_is_never_a_name() -> None:
    found = find_mentions(
        "", None, "Harga minyak naik, seperti dilansir dari Reuters. Kompas.com menulis bahwa Pertamina diam."
    )
    by_text = {m.text: m for m in found}
    assert by_text["Reuters"].credit
    assert "Pertamina" in by_text and not by_text["Pertamina"].credit
    assert not any("Kompas" in m.text for m in found)


# --- the recogniser's mentions: trimmed to the name ------------------------------------------


def test_names_with_titles_acronyms_and_multi_word_places() -> None:
    found = {m.text for m in find_mentions("", None, (
        "Presiden Joko Widodo meninjau banjir di Kabupaten Bandung Barat, Jawa Barat, Senin. "
        "Badan Nasional Penanggulangan Bencana (BNPB) mencatat ribuan warga mengungsi."
    ))}  # fmt: skip
    assert "Joko Widodo" in found
    assert {"Jawa Barat", "BNPB"} <= found
    assert not {"Senin", "Presiden"} & found


def test_sentence_initial_common_words_are_not_names_but_sentence_initial_names_are() -> None:
    found = {m.text for m in find_mentions("", None, (
        "Serangan itu terjadi di Aleppo. Kemarin warga berkumpul. Jokowi tiba di Bandung pada sore hari. "
        "Mampukah Mukri bertahan? Warga Aleppo menyambut bantuan."
    ))}  # fmt: skip
    assert {"Aleppo", "Jokowi", "Bandung", "Mukri"} <= found
    assert not {"Serangan", "Kemarin", "Warga", "Mampukah Mukri"} & found


def test_a_phrase_the_article_also_writes_in_lower_case_is_not_a_name() -> None:
    found = {m.text for m in find_mentions("", None, (
        "Ketua Majelis Hakim Budi Santoso membacakan putusan. "
        "Putusan itu dibacakan majelis hakim dengan tenang."
    ))}  # fmt: skip
    assert "Majelis Hakim" not in found


# --- variants: one entity, one name -----------------------------------------------------------


def test_acronyms_fit_their_long_forms() -> None:
    assert acronym_fits("KPK", "Komisi Pemberantasan Korupsi")
    assert acronym_fits("Kopassus", "Komando Pasukan Khusus")
    assert acronym_fits("AS", "Amerika Serikat")
    assert not acronym_fits("LPPF", "Matahari Department Store Tbk")
    assert not acronym_fits("BP", "Badan Pusat Statistik")  # the last word gives no letter
    assert definitions(["Ketua Federasi Olahraga Rekreasi Masyarakat Indonesia (FORMI) datang."]) == {
        "FORMI": "Federasi Olahraga Rekreasi Masyarakat Indonesia"
    }
    assert definitions(["Data BPS (Badan Pusat Statistik) dan Iwa Kusuma alias Iwa K."]) == {
        "BPS": "Badan Pusat Statistik", "Iwa K": "Iwa Kusuma"}  # fmt: skip


def test_a_defined_acronym_and_its_long_form_are_one_tag_with_the_other_as_a_variant() -> None:
    body = (
        "Komisi Pemberantasan Korupsi (KPK) memeriksa Bupati Garut. Penyidik KPK menyita dokumen. "
        "Juru bicara KPK mengatakan pemeriksaan berlanjut."
    )
    tags = suggest_tags("Bupati Diperiksa", None, body)
    kpk = [t for t in tags if "KPK" in (t.name, *t.variants) or t.name == "Komisi Pemberantasan Korupsi"]
    assert len(kpk) == 1
    assert kpk[0].name == "KPK" and kpk[0].variants == ("Komisi Pemberantasan Korupsi",)


def test_a_person_named_in_part_is_the_person_named_in_full_and_titles_are_not_names() -> None:
    found = names(
        [mention("Presiden Joko Widodo", sentence=0), mention("Widodo"), mention("Widodo", sentence=2)]
    )
    assert [(n.name, n.mentions) for n in found] == [("Joko Widodo", 3)]
    assert (
        without_title("Menteri Luar Negeri Retno Marsudi")
        == "Luar Negeri Retno Marsudi"[:0] + "Luar Negeri Retno Marsudi"
    )
    assert without_title("Presiden") == "Presiden"  # a title alone stays what it is


def test_two_people_sharing_a_word_keep_it_apart_and_places_are_never_joined() -> None:
    found = names([mention("Venus Williams"), mention("Serena Williams"), mention("Williams"),
                   mention("Jakarta", "LOC"), mention("Jakarta Selatan", "LOC")],
                  casing={"jakarta": "always", "selatan": "mostly"})  # fmt: skip
    assert {n.name for n in found} == {
        "Venus Williams",
        "Serena Williams",
        "Williams",
        "Jakarta",
        "Jakarta Selatan",
    }


def test_a_fragment_of_a_longer_name_joins_it_and_run_together_names_come_apart() -> None:
    found = names(
        [mention("Golden Gate Bridge", "LOC"), mention("Bridge", "LOC")], casing={"bridge": "mostly"}
    )
    assert [n.name for n in found] == ["Golden Gate Bridge"]
    apart = split_joined([mention("Jawa Tengah", "LOC"), mention("Jawa Tengah Ganjar Pranowo"),
                          mention("New York Chef Dominique Ansel")])  # fmt: skip
    assert [m.text for m in apart] == [
        "Jawa Tengah",
        "Jawa Tengah",
        "Ganjar Pranowo",
        "New York",
        "Dominique Ansel",
    ]
    kept = split_joined([mention("Sapardi"), mention("Sapardi Djoko Damono")])
    assert [m.text for m in kept] == ["Sapardi", "Sapardi Djoko Damono"]


# --- salience ----------------------------------------------------------------------------------


def test_salience_favours_the_lead_the_headline_and_repeats_and_credits_count_nothing() -> None:
    found = names(
        [Mention("Aleppo", "LOC", "lead", 0, False, confidence=20.0), mention("Hama", "LOC", sentence=1),
         mention("Reuters", "ORG", sentence=2, credit=True), mention("Aleppo", "LOC", sentence=8)],
        title="Serangan di Aleppo",
    )  # fmt: skip
    assert [(n.name, n.score) for n in found] == [("Aleppo", 2.0 + 1.0 + 3.0), ("Hama", 1.5)]


def test_tags_are_fewer_when_the_article_names_fewer_entities() -> None:
    body = "Pedagang di Pasar Induk Kramat Jati menyebut pasokan dari Kediri melimpah. Pembeli senang."
    tags = tag_names("Harga Cabai Turun", "Harga cabai di pasar turun pekan ini.", body)
    assert set(tags) == {"Pasar Induk Kramat Jati", "Kediri"}


def test_datelines_bylines_and_credits_make_no_tags() -> None:
    body = (
        "Jakarta, CNN Indonesia - - Tentara Nasional Indonesia (TNI) menangguhkan kerja sama dengan "
        "Australia, seperti dikutip dari Antara. Panglima TNI Gatot Nurmantyo menjelaskan alasannya "
        "kepada wartawan.\n\n"
        "Baca juga: Presiden Jokowi Bertemu Raja Salman\n\n(gir / bir)"
    )
    tags = tag_names("TNI Tangguhkan Kerja Sama", None, body)
    assert {"TNI", "Australia", "Gatot Nurmantyo"} <= set(tags)
    assert not {"Jakarta", "CNN Indonesia", "Antara", "Jokowi", "Raja Salman", "Salman"} & set(tags)


def test_the_model_loads_once() -> None:
    assert recogniser() is recogniser()
