"""kabar.text.disguise: each way promotions disguise a name is read through, and ordinary text
(accents, emoji, flags, Arabic, Russian, lists) is read as it is, with no disguise found."""

from __future__ import annotations

import pytest

from kabar.text.disguise import (
    INVISIBLE,
    KEYCAPS,
    LEETSPEAK,
    LOOK_ALIKE,
    MARKS,
    SEPARATED,
    STYLED,
    squeeze,
    unmask,
)
from tests.support.styles import hidden, keycaps, look_alike, marked, styled

STYLES = ["bold", "bold italic", "script bold", "sans bold", "sans bold italic", "fraktur bold", "monospace",
          "fullwidth", "circled", "negative squared", "negative circled", "squared", "double-struck",
          "small capitals"]  # fmt: skip


@pytest.mark.parametrize("style", STYLES)
def test_styled_letters_are_read_as_letters(style: str) -> None:
    text = unmask(f"main di {styled(style, 'RAJAWIN')} yuk")
    assert text.words == ("main", "di", "rajawin", "yuk")
    assert text.disguises[STYLED] == 7
    assert text.disguised_words == ("rajawin",)


@pytest.mark.parametrize("style", ["bold", "sans bold", "monospace", "fullwidth", "double-struck"])
def test_styled_digits_are_digits(style: str) -> None:
    assert unmask(styled(style, "MAWAR99")).words == ("mawar99",)


def test_circled_and_dingbat_digits_are_digits() -> None:
    assert unmask("RAJA ③⓪③ dan ❶❷").words == ("raja", "303", "dan", "12")


def test_keycap_digits_in_a_name_are_a_disguise_a_list_is_not() -> None:
    name = unmask(f"BADAK{keycaps('88')} mantap")
    assert name.words == ("badak88", "mantap") and name.disguises[KEYCAPS] == 2
    listed = unmask(f"{keycaps('1')} beli beras {keycaps('2')} bayar listrik")
    assert listed.words == ("1", "beli", "beras", "2", "bayar", "listrik") and not listed.disguises


def test_look_alike_letters_among_latin_ones_are_latin() -> None:
    text = unmask(f"{look_alike('GACOR')} di {look_alike('PETIR77')}")
    assert text.words == ("gacor", "di", "petir77")
    assert text.disguises[LOOK_ALIKE] > 0 and text.disguised_words == ("gacor", "petir77")


def test_a_word_of_look_alikes_only_in_latin_text_is_latin() -> None:
    assert unmask("ОМВАК 88 gacor malam ini").words[:2] == ("ombak", "88")  # Cyrillic О, М, В, А, К


def test_russian_and_greek_text_is_not_a_disguise() -> None:
    text = unmask("Привет друг, как дела? Καλημέρα")
    assert not text.disguises and "bet" not in text.words


def test_combining_marks_on_every_letter_are_a_disguise_accents_are_not() -> None:
    underlined = unmask(f"{marked('SLOT')} {marked('GACOR', chr(0x336))}")
    assert underlined.words == ("slot", "gacor") and underlined.disguises[MARKS] == 9
    accents = unmask("Café di Ñandú, naïve")  # precomposed, and decomposed below
    assert accents.words == ("cafe", "di", "nandu", "naive") and not accents.disguises
    assert not unmask("Cafe\u0301 di Na\u0303ndu").disguises


def test_arabic_vowel_marks_are_text() -> None:
    text = unmask("ما شاء الله تَبَارَكَ اللهُ Masya Allah")
    assert not text.disguises and text.words == ("masya", "allah")


def test_invisible_characters_inside_a_word_are_a_disguise() -> None:
    text = unmask(f"Berkat {hidden('NUSAWIN')} wd")
    assert text.words == ("berkat", "nusawin", "wd") and text.disguises[INVISIBLE] == 6


@pytest.mark.parametrize(
    ("written", "read"),
    [("s l o t", "slot"), ("g.a.c.o.r", "gacor"), ("M   A   X   W   I   N", "maxwin"), ("k_o_t_a", "kota"),
     ("S/L/O/T", "slot"), ("m-a-x-w-i-n", "maxwin")],
)  # fmt: skip
def test_separated_letters_are_joined(written: str, read: str) -> None:
    text = unmask(f"cari {written} sekarang")
    assert read in text.words and text.disguises[SEPARATED] == 1


def test_ordinary_separations_stay() -> None:
    for ordinary in ("Skor 2-1 untuk MU", "s.d. tanggal 30", "a.n. Budi", "1 2 3 4 5", "Y T"):
        assert not unmask(ordinary).disguises, ordinary


@pytest.mark.parametrize(
    ("written", "read"),
    [("m4xw1n", "maxwin"), ("s1tus", "situs"), ("g4c0r", "gacor"), ("d3p0", "depo"), ("j4ckp0t", "jackpot"),
     ("t3rp3rc4y4", "terpercaya")],
)  # fmt: skip
def test_leetspeak_is_read_as_letters(written: str, read: str) -> None:
    text = unmask(written)
    assert text.unleet == (read,) and text.words == (written,) and text.disguises[LEETSPEAK] == 1


def test_numbers_with_letters_stay_what_they_say() -> None:
    text = unmask("wd 40, 10k, 2jt, 4d, aero88, ps5, covid19, g30s, 1,5jt")
    assert text.unleet == text.words and not text.disguises


def test_repeated_letters_squeeze() -> None:
    assert [squeeze(word) for word in unmask("GACORRRR parahhh maxwiiin").words] == [
        "gacor",
        "parah",
        "maxwin",
    ]


def test_emoji_flags_and_skin_tones_are_not_disguises() -> None:
    text = unmask("Indonesia 🇮🇩🇮🇩 bisa! 👍🏽❤️ 😂")
    assert not text.disguises and text.words == ("indonesia", "bisa")
