"""Comment text as the spam rules read it: the disguises of promoted names undone, the original kept.

Bots that promote online gambling ("judol") write a site's name so that word lists miss it:
styled Unicode (mathematical bold, script or double-struck letters, fullwidth forms, circled or
squared letters, keycap digits, small capitals), Cyrillic or Greek look-alikes among Latin letters,
combining marks stacked on each letter, invisible characters inside a word, letters spaced out or
separated by dots, leetspeak ("m4xw1n"), and repeated letters ("gacooor"). :func:`unmask` reads
a comment as a reader sees it: lower-case Latin letters and digits, each word once without its
disguise, and which disguises it carried (:class:`Unmasked`). Pure and bounded: one pass over the
text, each distinct character looked up once (``unicodedata`` names, cached).

Folding is by Unicode's own data (a character's compatibility decomposition and its name:
"MATHEMATICAL BOLD CAPITAL A", "NEGATIVE SQUARED LATIN CAPITAL LETTER B", "LATIN LETTER SMALL
CAPITAL R", "DINGBAT NEGATIVE CIRCLED DIGIT ONE"), not by a list of disguised names; the
look-alikes are the Cyrillic and Greek letters Unicode's confusables table gives for a-z.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

STYLED = "styled letters"
LOOK_ALIKE = "look-alike letters"
MARKS = "combining marks"
INVISIBLE = "invisible characters"
KEYCAPS = "keycap digits"
SEPARATED = "separated letters"
LEETSPEAK = "leetspeak"

# Cyrillic and Greek letters drawn as Latin ones (Unicode's confusables for a-z).
_PAIRS = (
    "аa Аa вb Вb еe Еe ёe Ёe һh Һh іi Іi їi Їi јj Јj кk Кk мm Мm нh Нh оo Оo рp Рp сc Сc тt Тt уy Уy хx Хx "
    "ѕs Ѕs ԁd ԛq ԝw Ԝw ɡg ıi αa Αa βb Βb γy εe Εe Ζz ηn Ηh ιi Ιi κk Κk μu Μm νv Νn οo Οo ρp Ρp τt Τt υu Υy "
    "χx Χx ωw"
)
LOOK_ALIKES = {pair[0]: pair[1] for pair in _PAIRS.split(" ")}
_LOOK_ALIKE_SET = frozenset(LOOK_ALIKES)
_DIGITS = {name: str(value) for value, name in enumerate(
    ["ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE"])}  # fmt: skip
_LETTER_NAME = re.compile(
    r"\b(?:CAPITAL|SMALL)(?: LETTER)?(?: SMALL CAPITAL)? ([A-Z])$|\bLETTER (?:SMALL CAPITAL )?([A-Z])$"
)
_DIGIT_NAME = re.compile(r"\b(?:DIGIT|NUMBER) (ZERO|ONE|TWO|THREE|FOUR|FIVE|SIX|SEVEN|EIGHT|NINE|TEN)$")
_STYLED_NAME = re.compile(
    r"^(?:MATHEMATICAL|FULLWIDTH|CIRCLED|NEGATIVE|SQUARED|PARENTHESIZED|DOUBLE CIRCLED|DINGBAT|"
    r"REGIONAL INDICATOR|SCRIPT|BLACK-LETTER|DOUBLE-STRUCK|MODIFIER LETTER|SUPERSCRIPT|SUBSCRIPT|"
    r"LATIN LETTER SMALL CAPITAL|LATIN SUBSCRIPT|KEYCAP)"
)
# Emoji joiners and presentation selectors: part of ordinary emoji, not a disguise.
_EMOJI_PARTS = {"\u200d", "\ufe0e", "\ufe0f"} | {chr(c) for c in range(0x1F3FB, 0x1F400)}
_KEYCAP = re.compile("([0-9#*])\ufe0f?\u20e3")
_SEPARATORS = r"[\s._/\\|*+~,:;'\"`^-]"
# Three or more single letters or digits with one separator run between each: "s l o t", "g.a.c.o.r".
_SPACED = re.compile(rf"(?<![a-z0-9])(?:[a-z0-9]{_SEPARATORS}{{1,3}}){{2,}}[a-z0-9](?![a-z0-9])")
_WORD = re.compile(r"[a-z0-9]+")
_REPEATS = re.compile(r"([a-z])\1+")
_LEET = str.maketrans("4310579862", "aeiostggbz")
_BETWEEN_LETTERS = re.compile(r"(?<=[a-z])[0-9](?=[a-z])")  # one digit: "g30s" is G30S
_LEET_ENDS = re.compile(r"^[0-9](?=[a-z]{2})|(?<=[a-z]{2})[0-9]$")
_FLAG = re.compile("[\U0001f1e6-\U0001f1ff]{2}")  # two regional indicators: a flag (🇮🇩), not letters
MIN_MARKS = 3  # combining marks left on Latin letters after NFC (which composes accents): a disguise


@lru_cache(maxsize=8192)
def fold(char: str) -> tuple[str, str | None]:
    """A character as plain lower-case Latin (or itself, or nothing) and the disguise it is, if any.
    Look-alikes are not folded here: only among Latin letters (:func:`unmask`)."""
    if char < "\x80":
        return char.lower(), None
    if char in _EMOJI_PARTS:
        return "", None
    category = unicodedata.category(char)
    if category in ("Mn", "Me"):
        return "", MARKS
    if category == "Cf" or char in "\u200b\u2060\u180e":
        return "", INVISIBLE
    name = unicodedata.name(char, "")
    styled = STYLED if _STYLED_NAME.match(name) else None
    decomposed = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if decomposed.isascii() and decomposed.isalnum():
        return decomposed.lower(), styled
    found = _LETTER_NAME.search(name)
    if found and ("LATIN" in name or styled):
        return (found.group(1) or found.group(2)).lower(), styled
    digit = _DIGIT_NAME.search(name)
    if digit:
        return ("10" if digit.group(1) == "TEN" else _DIGITS[digit.group(1)]), styled
    if category.startswith("Z"):
        return " ", None
    return char.lower(), None


@dataclass(frozen=True)
class Unmasked:
    """A comment read through its disguises.

    ``text``: lower-case Latin letters, digits and the rest as they were, each character folded
    (``𝐀𝐄𝐑𝐎𝟖𝟖`` is ``aero88``), marks and invisible characters gone, separated letters joined.
    ``words``: its words. ``unleet``: each word that mixes letters and digits with the digits
    between letters read as letters (``m4xw1n`` is ``maxwin``; ``aero88`` stays). ``disguises``:
    how many characters (or runs) of each kind of disguise the original had.
    """

    original: str
    text: str
    words: tuple[str, ...]
    unleet: tuple[str, ...]
    disguises: Counter[str] = field(default_factory=Counter)
    disguised_words: tuple[str, ...] = ()  # the words a disguise was in, folded


def unmask(original: str) -> Unmasked:
    """``original`` as the spam rules read it (see :class:`Unmasked`)."""
    disguises: Counter[str] = Counter()
    text = unicodedata.normalize("NFC", original)
    if "\u20e3" in text:
        keycaps = sum(_glued(text, found) for found in _KEYCAP.finditer(text))
        if keycaps:
            disguises[KEYCAPS] += keycaps
        text = _KEYCAP.sub(r"\1", text)
    text = _FLAG.sub(" ", text)
    folded, kinds, marks = _fold_text(text)
    if marks >= MIN_MARKS:
        disguises[MARKS] += marks
    disguised = _disguised_words(folded, kinds, marks >= MIN_MARKS, disguises)
    joined, runs = _join_separated(folded)
    if runs:
        disguises[SEPARATED] += len(runs)
        disguised |= set(runs)
    words = tuple(_WORD.findall(joined))
    unleet = tuple(_unleet(word) for word in words)
    leet = sum(a != b for a, b in zip(words, unleet, strict=True))
    if leet:
        disguises[LEETSPEAK] += leet
    return Unmasked(original, joined, words, unleet, disguises, tuple(sorted(disguised)))


def _fold_text(text: str) -> tuple[str, list[str | None], int]:
    """``text`` folded character by character, each output character's disguise, and the number
    of combining marks on Latin letters and digits."""
    out: list[str] = []
    kinds: list[str | None] = []  # per output character: the disguise it came from
    marks = 0
    latin = _latin_tokens(text) if not _LOOK_ALIKE_SET.isdisjoint(text) else None
    hidden = False  # an invisible character right after a letter or digit
    for index, char in enumerate(text):
        plain: str
        kind: str | None
        if latin is not None and char in LOOK_ALIKES and latin[index]:
            plain, kind = LOOK_ALIKES[char], LOOK_ALIKE
        else:
            plain, kind = fold(char)
        after_latin = bool(out) and out[-1][-1:].isascii() and out[-1][-1:].isalnum()
        if kind == MARKS:  # a mark on a Latin letter or digit (Arabic vowel marks are text)
            if after_latin:
                marks += 1
                kinds[-1] = MARKS
            continue
        if kind == INVISIBLE:
            hidden = hidden or after_latin
            continue
        if hidden and plain[:1].isascii() and plain[:1].isalnum():
            kind = kind or INVISIBLE  # inside a word: "N", U+200B, "U"...
        hidden = False
        out.append(plain)
        kinds.extend([kind] * len(plain))
    return "".join(out), kinds, marks


@lru_cache(maxsize=16384)
def squeeze(word: str) -> str:
    """A word with each run of one letter as one letter ("gacoorrr" is "gacor")."""
    return _REPEATS.sub(r"\1", word)


def _glued(text: str, keycap: re.Match[str]) -> bool:
    """Is this keycap digit glued to a letter or another keycap ("8️⃣8️⃣", "4️⃣D"), a disguise, rather
    than one of a list's "1️⃣ 2️⃣ 3️⃣"?"""
    before, after = text[keycap.start() - 1 : keycap.start()], text[keycap.end() : keycap.end() + 1]
    glued_before = (before.isascii() and before.isalpha()) or before == "\u20e3"
    glued_after = (after.isascii() and after.isalpha()) or _KEYCAP.match(text, keycap.end()) is not None
    return glued_before or glued_after


def _latin_tokens(text: str) -> list[bool]:
    """For each character: are look-alikes disguises where it is? In a run of non-space characters
    with a Latin letter or digit, yes (a Cyrillic "о" in "gacоr"); in a run of look-alikes only
    ("ОМВАК"), when the text is mostly Latin; in a Russian word (with "и", "д"), no."""
    latin_letters = sum(1 for c in text if c.isascii() and c.isalpha())
    foreign = sum(1 for c in text if c.isalpha() and not c.isascii() and c not in LOOK_ALIKES)
    flags: list[bool] = []
    for token in re.split(r"(\s+)", text):
        latin = any(_is_latin(c) for c in token) or (
            latin_letters > 2 * foreign and all(c in LOOK_ALIKES for c in token if c.isalpha()) and
            any(c in LOOK_ALIKES for c in token))  # fmt: skip
        flags.extend([latin] * len(token))
    return flags


def _is_latin(char: str) -> bool:
    if char in LOOK_ALIKES:
        return False
    folded = fold(char)[0][:1]
    return folded.isascii() and folded.isalnum()


def _disguised_words(folded: str, kinds: list[str | None], marked: bool, disguises: Counter[str]) -> set[str]:
    """The words of at least three characters of ``folded`` that a disguise is in; counts each
    word's disguised characters into ``disguises`` (marks are counted apart)."""
    words = set()
    for found in _WORD.finditer(folded):
        within = [kind for kind in kinds[found.start() : found.end()] if kind is not None]
        disguises.update(kind for kind in within if kind != MARKS)
        here = set(within)
        if len(found.group()) >= 3 and here and (marked or here != {MARKS}):
            words.add(found.group())
    return words


def _join_separated(text: str) -> tuple[str, list[str]]:
    """``text`` with each run of spaced or separated single letters joined, and the joined words
    that have a letter (``s l o t`` is ``slot``; ``1 2 3`` stays as it is)."""
    runs: list[str] = []

    def join(found: re.Match[str]) -> str:
        word = re.sub(_SEPARATORS, "", found.group())
        if not re.search("[a-z]", word) or len(word) < 3:
            return found.group()
        runs.append(word)
        return word

    return _SPACED.sub(join, text), runs


def _unleet(word: str) -> str:
    """A digit between letters read as a letter (``s1tus``, ``g4c0r``, ``m4xw1n``), and then a single
    digit at either end of such a word too (``d3p0``, ``4m4n``); otherwise digits before or after
    letters stay: ``aero88``, ``4d``, ``10k``, ``2jt`` are what they say."""
    read = _BETWEEN_LETTERS.sub(lambda found: found.group().translate(_LEET), word)
    if read != word:
        read = _LEET_ENDS.sub(lambda found: found.group().translate(_LEET), read)
    return read
