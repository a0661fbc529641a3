"""kabar.text.promotion: each family of gambling promotion is held or marked spam with the reason a
moderator reads, and the ordinary comments that look like one (money, scores, "wd 40", "slot waktu",
a Toto, a comment against gambling, a styled "Masya Allah") are not."""

from __future__ import annotations

import pytest

from kabar.text.promotion import names_in, promotion_evidence
from tests.support.styles import hidden, keycaps, look_alike, marked, styled


def reasons(content: str, name: str = "Ani", learned: tuple[str, ...] = ()) -> tuple[str | None, list[str]]:
    found = promotion_evidence(content, name, learned)
    return found.verdict, found.reasons


def test_a_styled_site_name_with_gambling_words_is_spam() -> None:
    verdict, why = reasons(f"Kontennya keren! btw {styled('bold', 'BADAK88')} dijamin gacor")
    assert verdict == "spam"
    assert why == [
        "styled letters",
        "gambling site name: badak88",
        "gambling words: gacor",
        "disguised: badak88",
    ]


@pytest.mark.parametrize("style", ["bold italic", "script bold", "double-struck", "fullwidth", "circled",
                                   "negative squared", "small capitals", "monospace"])  # fmt: skip
def test_a_styled_name_alone_is_at_least_held(style: str) -> None:
    verdict, why = reasons(f"Semangat terus bang, mampir ke {styled(style, 'KOTAWIN')}")
    assert verdict in ("pending", "spam") and why[0] == "styled letters"


def test_keycap_digits_in_a_name() -> None:
    verdict, why = reasons(f"BADAK{keycaps('88')} paling mantap, wd cepat")
    assert verdict == "spam" and why[0] == "keycap digits" and "gambling site name: badak88" in why


def test_look_alike_letters() -> None:
    verdict, why = reasons(f"Cari situs {look_alike('gacor')}? {look_alike('KOTAWIN')} jawabannya")
    assert verdict == "spam" and why[0] == "look-alike letters" and "disguised: gacor, kotawin" in why


def test_combining_marks() -> None:
    verdict, why = reasons(f"Yang mau cuan ke {marked('RAJA303', chr(0x336))} aja")
    assert verdict == "spam" and why[0] == "combining marks" and "gambling site name: raja303" in why


def test_invisible_characters() -> None:
    verdict, why = reasons(f"Berkat {hidden('NUSAWIN')} sekarang punya motor")
    assert verdict == "spam" and why[0] == "invisible characters"


def test_separated_letters() -> None:
    verdict, why = reasons("s l o t   g a c o r hari ini, M A X W I N terus")
    assert verdict == "spam" and "disguised: maxwin, slotgacor" in why  # three spaces join the words too


def test_leetspeak() -> None:
    verdict, why = reasons("d3p0 10rb w3d3 2jt, situs t3rp3rc4y4")
    assert verdict == "spam" and why[-1] == "disguised: depo, wede"
    assert why[0].startswith("gambling words: a deposit turned into a withdrawal, situs terpercaya, wede")


def test_repeated_letters() -> None:
    verdict, why = reasons("GACORRRR PARAHHH maxwiiiin terusss")
    assert verdict == "pending" and why == ["gambling words: maxwin terus, gacor"]


@pytest.mark.parametrize(
    ("content", "site"),
    [("Gara gara RAJA303 aku bisa beli HP baru", "raja303"),
     ("Makasih bang. Btw BADAK88 emang terbaik", "badak88"), ("DEWI4D tembus lagi hari ini", "dewi4d"),
     ("KOTAWIN emang the best sih", "kotawin"),
     ("Semangat terus min 🙏 HOKIJP", "hokijp"), ("Prediksi jitu cuma di candutogel", "candutogel")],
)  # fmt: skip
def test_a_plain_site_name_is_held(content: str, site: str) -> None:
    verdict, why = reasons(content)
    assert verdict in ("pending", "spam") and f"gambling site name: {site}" in why[0]


@pytest.mark.parametrize(
    "content",
    ["Yang mau maxwin cek bio ya bang", "Rtp live hari ini tinggi banget, pola gacor ada di profil",
     "Kakek zeus lagi baik hati malam ini, gas", "Depo 25rb wd 1,5jt, situsnya ketik aja di google",
     "Situs slot terpercaya bonus new member 100"],
)  # fmt: skip
def test_gambling_slang_without_a_name_is_held(content: str) -> None:
    assert reasons(content)[0] in ("pending", "spam")


def test_a_learned_name_is_held_with_its_reason() -> None:
    verdict, why = reasons("Makasih infonya, mampir ke dewadora ya", learned=("dewadora",))
    assert verdict == "pending" and why == ["learned spam name: dewadora"]
    assert reasons("Makasih infonya, mampir ke dewadora ya")[0] is None


@pytest.mark.parametrize(
    "content",
    ["Semprot pake wd 40 aja bang, langsung lancar", "Slot waktu praktek dokter penuh sampai minggu depan",
     "Toto Wolff bilang Mercedes bakal bangkit", "Pak Toto tetangga saya jualan bakso paling enak",
     "MU menang 3-0 tadi malam, skor 2-1 kemarin", "Harga cabai 80rb sekilo, gaji UMR 5jt",
     "Berantas judol sampai ke akar-akarnya!", "Judi online dan togel merusak keluarga",
     "Orang main slot itu pasti kalah, yang menang cuma bandar", "Kolom komentar penuh iklan judol, ganggu",
     "Harga NMAX155 bekas sekarang berapa ya?", "Covid19 dulu bikin semua orang di rumah",
     "Burung kenari saya lagi gacor-gacornya", "Mesin motor habis servis jadi gacor lagi",
     "Pulau Komodo cantik banget", "Garuda Indonesia delay 3 jam", "Erwin Gutawa konser orkestra megah",
     "Darwin Nunez main jelek lagi", "Lagu Win Win Solution enak banget", "Link di bio tokonya dong kak",
     "Cari di google aja resep rendangnya", "Saham BBCA naik terus, cuan yang hold dari lama",
     "Lagi hoki nih, dapet doorprize kulkas", "Scatter plot di tugas statistik saya salah",
     "Indonesia 🇮🇩 vs Malaysia 🇲🇾 selalu panas", "ما شاء الله تبارك الله", "Привет из Москвы",
     "Kamar 303 hotel itu katanya angker", "Nomor 88 itu angka hoki buat orang Tionghoa",
     "Film 4D di bioskop itu seru", "Nice video bro, keep it up", "@dimas88 setuju banget bang"],
)  # fmt: skip
def test_ordinary_comments_that_look_like_promotions_are_not(content: str) -> None:
    assert reasons(content) == (None, reasons(content)[1]), reasons(content)


def test_a_styled_commenter_name_is_weak_evidence() -> None:
    assert reasons("Semoga sehat selalu", name=styled("script bold", "Rizky"))[0] is None
    verdict, why = reasons("Semoga sehat selalu, wd", name=styled("script bold", "Rizky"))
    assert verdict is None and why == ["styled letters in the name", "gambling words: wd"]


def test_names_a_spam_teaches_are_the_site_names() -> None:
    assert names_in(f"Berkat {styled('bold', 'BADAK88')} dan KOTAWIN, wd 2jt") == ["badak88", "kotawin"]
    assert names_in("Harga cabai naik lagi") == []


def test_a_readers_styled_words_are_emphasis_a_styled_unknown_word_is_a_name() -> None:
    """Words the rules know (IndoSum's), in a bold or script font, are a reader's emphasis; a word
    they do not know is what a site's name looks like; styled known words with gambling words are
    a promotion still."""
    assert reasons(styled("script bold", "Terima kasih untuk infonya")) == (None, ["styled letters (words)"])
    assert reasons(f"{styled('bold', 'Bagus sekali videonya')} (lagi nyoba font)")[0] is None
    assert reasons(f"Mantap, {styled('bold', 'DEWADORA')} emang beda") == ("pending", ["styled letters"])
    assert reasons(f"{styled('negative circled', 'NAGA SAKTI')} gacor terus")[0] == "pending"


def test_the_word_list_is_built_reproducibly(tmp_path: pytest.TempPathFactory) -> None:
    import json
    from pathlib import Path

    from kabar.text.promotion import known_words
    from kabar_infra.wordlist import TARGET, build

    articles = Path(str(tmp_path)) / "articles.jsonl"
    texts = ["Harga cabai naik, harga beras naik.", "Cabai dan beras: harga naik lagi!", "x Harga 2026 naik"]
    articles.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    assert build(articles) == ["harga", "naik"] == build(articles)  # three times or more, a-z, sorted
    lines = TARGET.read_text(encoding="utf-8").splitlines()
    words = [line for line in lines if not line.startswith("#")]
    assert words == sorted(set(words)) and len(words) > 10_000
    assert {"terima", "kasih", "selamat", "pemerintah"} <= known_words() and "gacor" not in known_words()
