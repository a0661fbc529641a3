"""Online-gambling ("judol") promotion in a comment: the evidence, and how strong it is.

Read through :func:`kabar.text.disguise.unmask`, a comment gives evidence of several kinds, each
worth points and each a reason a moderator understands:

- a disguise: styled letters, look-alike letters, combining marks or keycap digits in the
  comment (3; in the commenter's name 1: people style their names; styled words that are all
  words the rules know, a reader's bold "𝐁𝐚𝐠𝐮𝐬 𝐬𝐞𝐤𝐚𝐥𝐢", with no other evidence, 1: a site's name
  is not one of them);
- a gambling site's name: a word and digits (``aero88``, ``raja303``, ``dewi4d``: 3 when the
  digits are a repeated digit, 4D or three digits that are not an engine size, 2 otherwise; a
  word of letters and two or three digits is rare in ordinary comments, ``covid19``, ``nmax155``
  and ``ps5`` aside), or a word made with a gambling word (``kotawin``, ``hokijp``, ``slotmania``:
  3; with "bet", which ends English words too, 2 unless in capitals or disguised);
- words only promotions use (``maxwin``, ``scatter``, ``anti rungkad``, ``link di bio``,
  "depo 50rb wd 2jt": 3 each), and words of gambling as a subject (``judi``, ``slot``, ``togel``,
  ``gacor``, ``cuan``, ``wd``: 1 each; a comment against gambling names them too);
- a name the site learned from its moderators (3 each: :mod:`kabar.workflows.spam_names`).

Three points hold a comment for moderation ("pending"); six mark it spam. One strong piece of
evidence is never spam on its own, so a false "spam" needs two.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kabar.text.disguise import (
    INVISIBLE,
    KEYCAPS,
    LEETSPEAK,
    LOOK_ALIKE,
    MARKS,
    SEPARATED,
    STYLED,
    Unmasked,
    squeeze,
    unmask,
)

MIN_LEARNED = 5
PENDING_POINTS = 3
SPAM_POINTS = 6

# Words and phrases only a promotion uses (squeezed: "gacoor" is "gacor"): 3 points each.
PROMOTION_TERMS = (
    "maxwin", "jepe", "jekpot", "rungkad", "anti rungkad", "pola gacor", "situs gacor", "link gacor",
    "info gacor", "rtp live", "rtp slot", "bocoran rtp", "bocoran slot", "bocoran pola", "bonus new member",
    "freebet", "free bet", "free spin", "mahjong ways", "gates of olympus", "kakek zeus", "sweet bonanza",
    "starlight princess", "pgsoft", "pg soft", "winrate", "auto sultan", "wede", "akun pro",
    "link alternatif", "anti blokir", "deposit pulsa", "depo pulsa", "tanpa potongan", "situs terpercaya",
    "judi online terpercaya", "jp terus", "wd terus", "wd lancar", "wd cepat", "auto jp", "auto maxwin",
    "maxwin terus", "pasti tembus",
)  # fmt: skip
# Words a promotion uses that also have an ordinary use ("scatter plot", "link di bio" of a shop,
# a comment against "slot gacor" ads): 2 points each.
SUGGESTIVE_TERMS = (
    "scatter", "pragmatic", "slot gacor", "jam gacor", "situs slot", "slot online", "new member", "parlay",
    "gampang menang", "pasti menang", "menang terus", "cek bio", "di bio", "link di bio", "di profil",
    "cari di google", "ketik di google", "search di google",
)  # fmt: skip
# Gambling as a subject (or a word that also means something else): 1 point each.
GAMBLING_WORDS = (
    "judi", "judol", "slot", "togel", "toto", "kasino", "casino", "poker", "bandar", "taruhan", "gacor",
    "jackpot", "jp", "wd", "depo", "deposit", "withdraw", "cuan", "hoki", "receh", "zeus", "olympus",
    "mahjong", "rtp", "4d",
)  # fmt: skip
# What a gambling site's name is made with, after a word or before one: "kotawin", "hokijp".
NAME_PARTS = (
    "win", "jp", "bet", "slot", "toto", "togel", "casino", "poker", "gacor", "maxwin", "hoki", "qq", "4d",
    "wd", "cuan",
)  # fmt: skip
# Indonesian endings and clitics: "gacornya" is "gacor" and "its", not a site.
_ENDINGS = ("nya", "ku", "mu", "lah", "kah", "pun", "an", "in")
_SQUEEZED = {term: squeeze(term) for term in PROMOTION_TERMS + SUGGESTIVE_TERMS + GAMBLING_WORDS}
_GAMBLING_SINGLE_WORDS = frozenset(squeezed for squeezed in _SQUEEZED.values() if " " not in squeezed)
_JOINED_PHRASES = {term: _SQUEEZED[term].replace(" ", "") for term in PROMOTION_TERMS if " " in term}
_AMOUNT = re.compile(r"\b\d+(?:[.,]\d+)?\s?(?:rb|ribu|k|jt|juta)\b")
_DEPOSIT_TO_WITHDRAWAL = re.compile(r"\b(?:depo|deposit|modal)\b.{0,40}\b(?:wd|wede|withdraw|jadi|cair)\b")
_HANDLE = re.compile(r"@([a-z0-9]+)")
_SITE_NAME = re.compile(r"^([a-z]{3,})([0-9]{2,3}|4d)$")
# Each disguise, and how many characters of it make one: a word's single Cyrillic letter, keycap
# digits glued into a word, three styled letters (an emphasised word), marks on three letters.
_DISGUISES = {STYLED: ("styled letters", 3), LOOK_ALIKE: ("look-alike letters", 1),
              MARKS: ("combining marks", 3), KEYCAPS: ("keycap digits", 1),
              INVISIBLE: ("invisible characters", 2)}  # fmt: skip
_AS_WRITTEN = {**_DISGUISES, SEPARATED: ("separated letters", 1), LEETSPEAK: ("leetspeak", 1)}


@dataclass(frozen=True)
class Evidence:
    """How much a comment looks like a promotion, and why (reasons in a moderator's words)."""

    points: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str | None:
        if self.points >= SPAM_POINTS:
            return "spam"
        if self.points >= PENDING_POINTS:
            return "pending"
        return None


def promotion_evidence(content: str, name: str = "", learned: Iterable[str] = ()) -> Evidence:
    """The evidence that a comment (its content, its commenter's name) promotes gambling."""
    text = unmask(content)
    points, reasons = 0, []
    disguised = _disguised(text)
    if disguised:
        points += 3
        reasons.append(", ".join(disguised))
    elif name and _disguised(unmask(name)):
        points += 1
        reasons.append("styled letters in the name")
    sites = site_names(text, content)
    points += sum(sites.values())
    if sites:
        reasons.append("gambling site name: " + ", ".join(sorted(sites)))
    words = [squeeze(word) for word in text.unleet]
    promotion = _found(words, PROMOTION_TERMS) | _joined_terms(text)
    suggestive = _found(words, SUGGESTIVE_TERMS) - promotion
    wording = _found(words, GAMBLING_WORDS) - {
        word for term in promotion | suggestive for word in term.split()
    }
    if wording and _AMOUNT.search(text.text):
        wording.add("an amount of money")
    if _DEPOSIT_TO_WITHDRAWAL.search(" ".join(words)) and _AMOUNT.search(text.text):
        promotion.add("a deposit turned into a withdrawal")
    points += 3 * len(promotion) + 2 * len(suggestive) + len(wording)
    if promotion or suggestive or wording:
        reasons.append("gambling words: " + ", ".join(sorted(promotion | suggestive) + sorted(wording)))
    hidden = _disguised_gambling_words(text, set(sites))
    if hidden:
        points += 3
        reasons.append("disguised: " + ", ".join(hidden))
    written = set(text.words) | set(text.unleet) | set(sites)
    compact = "".join(text.unleet)  # "dewadora 88" names "dewadora88" too
    known = sorted(name for name in set(learned) if name in written or (len(name) >= 6 and name in compact))
    if known:
        points += 3 * len(known)
        reasons.append("learned spam name: " + ", ".join(known))
    if points == 3 and disguised == [_DISGUISES[STYLED][0]] and _emphasis(text):
        return Evidence(1, ["styled letters (words)"])  # a reader's bold or script font, nothing else
    return Evidence(points, reasons)


@cache
def known_words() -> frozenset[str]:
    """The Indonesian words the rules know (shared/kabar/text/data/indonesian_words.txt, from
    IndoSum; read the first time a comment has styled letters)."""
    lines = (Path(__file__).parent / "data" / "indonesian_words.txt").read_text(encoding="utf-8").split("\n")
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _emphasis(text: Unmasked) -> bool:
    """Are the styled words all words the rules know (with an ending: "videonya")? A site's name
    is not one."""
    words = known_words()

    def known(word: str) -> bool:
        return word.isalpha() and (word in words or any(
            word.endswith(ending) and word[: -len(ending)] in words for ending in _ENDINGS))  # fmt: skip

    return bool(text.disguised_words) and all(known(word) for word in text.disguised_words)


def _disguised(text: Unmasked) -> list[str]:
    return [label for kind, (label, least) in _DISGUISES.items() if text.disguises[kind] >= least]


def site_names(text: Unmasked, original: str = "") -> dict[str, int]:
    """The words that look like a gambling site's name, and the points each is worth. A handle a
    reply names (``@budi88``) is a reader, not a site."""
    found: dict[str, int] = {}
    disguised = set(text.disguised_words)
    capitals = {word.lower() for word in re.findall(r"\b[A-Z][A-Z0-9]{4,}\b", _visible(original))}
    handles = set(_HANDLE.findall(text.text))
    for word in (set(text.words) | set(text.unleet)) - handles:
        named = _SITE_NAME.match(word)
        if named:
            digits = named.group(2)
            repeated = len(set(digits)) == 1 or digits == "4d"
            engine = len(digits) == 3 and digits[-1] in "05" and not repeated
            found[word] = 3 if repeated or (len(digits) == 3 and not engine) or word in disguised else 2
        elif len(word) >= 6 and (part := _name_part(squeeze(word))):
            found[word] = 3 if word in disguised or word in capitals or part != "bet" else 2
    return found


def names_in(content: str) -> list[str]:
    """The names a moderator's "spam" teaches: the gambling site names in the comment that look
    most like one (a word and a repeated digit, 4D or three digits; a word made with a gambling word,
    in capitals or disguised), of at least :data:`MIN_LEARNED` characters. A weaker one (``covid19``)
    would hold every comment that names it."""
    return sorted(name for name, worth in site_names(unmask(content), content).items()
                  if worth >= 3 and len(name) >= MIN_LEARNED)  # fmt: skip


def _name_part(word: str) -> str | None:
    """The gambling word ``word`` is made with ("win" in "kotawin"), if it is made with one."""
    for part in NAME_PARTS:
        if word.endswith(part) and len(word) - len(part) >= 4 and word[: -len(part)].isalpha():
            return part
        rest = word[len(part) :]
        if (
            word.startswith(part)
            and len(rest) >= 2
            and rest not in _ENDINGS
            and part not in ("win", "bet", "jp", "wd")
        ):
            return part
    return None


def _visible(text: str) -> str:
    return re.sub("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]", "", text)


def _disguised_gambling_words(text: Unmasked, sites: set[str]) -> list[str]:
    """Gambling words and site names that were written disguised: styled, look-alike, marked,
    spaced out or in leetspeak ("j4ckp0t"). Nobody disguises a word by chance."""
    written = set(text.disguised_words) | {
        read for word, read in zip(text.words, text.unleet, strict=True) if read != word
    }
    return sorted(word for word in written if squeeze(word) in _GAMBLING_SINGLE_WORDS or word in sites)


def _found(words: list[str], terms: Iterable[str]) -> set[str]:
    """The terms (single words or phrases, squeezed) that ``words`` hold, as whole words; a term
    inside a longer one found ("di bio" in "link di bio") is that one."""
    joined = f" {' '.join(words)} "
    found = {term for term in terms if f" {_SQUEEZED[term]} " in joined}
    return {term for term in found if not any(f" {term} " in f" {other} " for other in found - {term})}


def _joined_terms(text: Unmasked) -> set[str]:
    """Promotion terms inside a word spaced out letter by letter ("slotgacor" from "s l o t g a c o r")."""
    runs = [squeeze(word) for word in text.disguised_words if len(word) >= 8]
    return {term for term, joined in _JOINED_PHRASES.items() if any(joined in run for run in runs)}
