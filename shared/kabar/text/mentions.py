"""Where an article names people, places, organisations and events: its entity mentions.

Pure logic. The text is read as a reader reads it, without what is not the story:

- the byline and dateline that open a wire copy ("Jakarta, CNN Indonesia - -", "Suara.com -",
  "BANGKALAN, JUARA.net -"), and the credits that close it ("(Antara / The Guardian)",
  "(gir / bir)", "Sumber: The Verge"), an outlet's closing blurb (a paragraph naming its own web
  address), and "Baca juga", "Simak video", "ADVERTISEMENT" lines (other stories and page
  furniture);
- a name only given as a source ("dikutip dari Antara", "seperti dilansir BBC") is a credit, not
  a subject: it is kept as a mention marked ``credit``;
- a name written as a web address (Kompas.com) is the outlet, never a tag.

The recogniser (:mod:`kabar.text.entities`) reads each sentence; a mention needs a capital or an
acronym (lower-case words the recogniser took for a name are dropped), and lower-case words at
its edges are trimmed ("pedesaan selatan Aleppo" -> "Aleppo").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from kabar.text.entities import TOKEN, Entity, Recogniser, recogniser, spans
from kabar.text.tag_suggestion import STOPWORDS

Field = Literal["title", "lead", "body"]

_BYLINE = re.compile(
    r"\A\s*(?P<line>[A-Z][\w.]*(?:[ ,]+[A-Z][\w.]*){0,4}\s*(?:\([^()\n]{2,40}\))?)\s*"
    r"(?P<dash>-\s*-|--|-|\u2013|\u2014)\s+"
)
_CLOSING_CREDIT = re.compile(r"\s*\((?:[^()\n]{1,80})\)\s*\Z")
_FURNITURE = re.compile(
    r"^\s*\[?\s*(?:baca juga|baca pula|simak juga|lihat juga|simak video|tonton juga|advertisement"
    r"|scroll to continue|sumber(?: berita)?\b)[^\n]*$",
    re.IGNORECASE | re.MULTILINE,
)
_ADDRESS = re.compile(r"\b[\w-]+\.(?:com|co\.id|id|net|org|tv|news)\b", re.IGNORECASE)
_CREDITED = re.compile(
    r"(?:dikutip dari|mengutip|dilansir dari|dilansir|melansir dari|melansir|diberitakan|dikutip"
    r"|menurut laporan|dari laman|dari situs|seperti dilaporkan)\s*$",
    re.IGNORECASE,
)
# Sentences end at . ! ? before a capital, or at a blank line; a single line break is Markdown wrapping.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'\u201c\u201d(]*[A-Z0-9])|\n\s*\n")
_AMOUNT = re.compile(r"(?:rp|us\$|\$|usd|idr)?[\d.,]+(?:rb|ribu|jt|juta|m|k)?", re.IGNORECASE)
# Abbreviations a full stop does not end a sentence after (and any single capital: "Miryam S. Haryani").
_ABBREVIATIONS = frozenset(
    [
        "pt",
        "cv",
        "tbk",
        "dr",
        "drs",
        "dra",
        "ir",
        "prof",
        "h",
        "hj",
        "kh",
        "rep",
        "st",
        "no",
        "jl",
        "jln",
        "kec",
        "kab",
        "kel",
        "bpk",
        "sdr",
        "dkk",
        "a.n",
        "u.p",
        "mr",
        "mrs",
        "ms",
        "jr",
        "sr",
        "vs",
    ]
)
# Units, standards and trade marks of measure: capitalised, never a subject (written for this project).
NOT_NAMES = frozenset(
    """
    wib wita wit rp usd idr ghz mhz gb mb kb tb mah ram rom gps usb lte hd hdr fps cpu gpu ram ssd hdd sim nfc
    wifi wi-fi ok tv hp pc am pm ceo cfo coo cto vs dll dsb dkk pt cv tbk ltd inc co rt rw no
    """.split()  # noqa: SIM905 (a word list reads best as words)
)
_PARTICLES = ("kah", "lah", "pun")  # "Mampukah", "Bagaimanakah": a question or emphasis, not a name
_YEAR = re.compile(r"\s+(?:19|20)\d\d$")


@dataclass(frozen=True)
class Mention:
    text: str
    kind: str
    field: Field
    sentence: int  # the sentence's position in the article (the lead's first is 0)
    initial: bool  # it opens its sentence
    credit: bool = False  # only given as a source
    confidence: float = 0.0  # the recogniser's least margin over the mention's words


def story_text(text: str) -> str:
    """``text`` without the byline, closing credits, "read also" lines and the outlet's blurb."""
    byline = _BYLINE.match(text)
    if byline and _is_byline(byline.group("line"), byline.group("dash")):
        text = text[byline.end() :]
    text = _FURNITURE.sub("", text)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    while paragraphs and len(paragraphs) > 1 and _ADDRESS.search(paragraphs[-1]):
        paragraphs.pop()  # "DailySocial.id adalah portal berita ...", a trailing "Suara.com -"
    if paragraphs:
        paragraphs[-1] = _CLOSING_CREDIT.sub("", paragraphs[-1])
    return "\n\n".join(paragraphs)


def _is_byline(line: str, dash: str) -> bool:
    """Whether the words before an opening dash are a byline: an outlet (a web address, a bracket,
    "City, Outlet"), a capitalised dateline (BANGKALAN), a double dash, or one word (Rimanews)."""
    words = line.replace(",", " ").split()
    return (
        "," in line or "(" in line or "." in line or len(dash) > 1 or len(words) == 1
        or any(len(w) >= 3 and w.isupper() for w in words)
    )  # fmt: skip


def sentences(text: str) -> list[str]:
    """The sentences of ``text``: a full stop after an abbreviation or an initial does not end one."""
    found: list[str] = []
    start = 0
    for boundary in _SENTENCE_END.finditer(text):
        before = text[start : boundary.start()].rstrip(".!?").rsplit(None, 1)
        last = before[-1] if before else ""
        if (
            boundary.group().strip() == ""
            and text[boundary.start() - 1] == "."
            and (last.lower() in _ABBREVIATIONS or (len(last) == 1 and last.isupper()))
        ):
            continue
        found.append(text[start : boundary.start()])
        start = boundary.end()
    found.append(text[start:])
    return [s.strip() for s in found if s.strip()]


def _has_name(words: list[str]) -> bool:
    return any(w[0].isupper() or (w[0].isdigit() and any(c.isupper() for c in w)) for w in words)


def _trim(words: list[str], initial: bool, common: Callable[[str], bool]) -> tuple[int, int]:
    """The name inside a mention: no lower-case words at its edges, no common word opening a sentence
    ("Mampukah Mukri" -> "Mukri"), no unit ("GHz")."""
    start, end = 0, len(words)
    while start < end and (
        not words[start][0].isupper() or (initial and start == 0 and common(words[start]))
        or words[start].lower() in NOT_NAMES or _AMOUNT.fullmatch(words[start])
    ):  # fmt: skip
        start += 1
    while end > start and (
        not (words[end - 1][0].isupper() or words[end - 1][0].isdigit())
        or words[end - 1].lower() in NOT_NAMES or (end - 1 == start and _AMOUNT.fullmatch(words[end - 1]))
    ):  # fmt: skip
        end -= 1
    return start, end


def sentence_mentions(
    model: Recogniser,
    sentence: str,
    field: Field,
    position: int,
    *,
    common: Callable[[str], bool] = lambda w: False,
    lowered: Callable[[str], bool] = lambda w: False,
) -> list[Mention]:
    """The mentions of one sentence. ``common(word)``: whether a capitalised word is an ordinary
    word (the article also writes it in lower case, or cased news rarely capitalises it)."""
    words = TOKEN.findall(sentence)
    found = []
    tags, margins = model.tag_with_margins(words)
    for entity in [*spans(tags), *_unrecognised(words, tags, lowered)]:
        part = words[entity.start : entity.end]
        if not _has_name(part):
            continue
        start, end = _trim(part, entity.start == 0, common)
        if start >= end:
            continue
        text = " ".join(part[start:end]).replace(" - ", "-").replace(" .", ".")
        if entity.kind != "EVT":
            text = _YEAR.sub("", text)
        if _ADDRESS.search(text) or len(text) < 2 or text.lower() in NOT_NAMES:
            continue
        before = " ".join(words[max(0, entity.start + start - 3) : entity.start + start])
        sure = _confidence(entity.kind, margins[entity.start + start : entity.start + end])
        found.append(Mention(text=text, kind=entity.kind, field=field, sentence=position,
                             initial=entity.start + start == 0, credit=bool(_CREDITED.search(before)),
                             confidence=sure))  # fmt: skip
    return found


def _confidence(kind: str, margins: list[float]) -> float:
    """How sure the recogniser is of a name it found (its least margin), or, for words it left out,
    how unsure it was that they are no name (minus its greatest margin for "O")."""
    return min(margins) if kind else -max(margins)


def _unrecognised(words: list[str], tags: list[str], lowered: Callable[[str], bool]) -> list[Entity]:
    """Runs of capitalised words inside the sentence that the recogniser left out ("pasukan
    Hizbullah", "Komisi Pemberantasan Korupsi"): mentions of no kind. A word the article also
    writes in lower case (``lowered``) may stand inside a run, not at its edges."""
    found: list[Entity] = []
    start = None
    for index, (word, tag) in enumerate([*zip(words, tags, strict=True), ("", "O")]):
        capitalised = (
            index > 0 and tag == "O" and word[:1].isupper() and word.isalpha()
            and word.lower() not in STOPWORDS and word.lower() not in NOT_NAMES
        )  # fmt: skip
        if capitalised and start is None:
            start = index
        elif not capitalised and start is not None:
            first, end = start, index
            while first < end and lowered(words[first]):
                first += 1
            while end > first and lowered(words[end - 1]):
                end -= 1
            if first < end:
                found.append(Entity("", first, end))
            start = None
    return found


def find_mentions(title: str, lead: str | None, body: str, model: Recogniser | None = None) -> list[Mention]:
    """The entity mentions of an article's lead and body, in reading order.

    The headline is not read for names (headlines are title case: every word is capitalised);
    salience gives a name the headline repeats its weight.
    """
    model = model or recogniser()
    texts = {"lead": story_text(lead or ""), "body": story_text(body)}
    lower = {w for text in texts.values() for w in TOKEN.findall(text) if w.islower()}

    def common(word: str) -> bool:
        low = word.lower()
        ordinary = ("rarely", "sometimes")
        if low in lower or model.casing.get(low) in ordinary:
            return True
        # "Mampukah" is "mampu" asking; "Hizbullah" is no "hizbul" emphasised
        return any(low.endswith(p) and model.casing.get(low[: -len(p)]) in ordinary for p in _PARTICLES)

    found: list[Mention] = []
    position = 0
    for field, text in texts.items():
        for sentence in sentences(text):
            found += sentence_mentions(
                model, sentence, field, position,  # type: ignore[arg-type]
                common=common, lowered=lambda word: word.lower() in lower,
            )  # fmt: skip
            position += 1
    # A phrase the article also writes in lower case is an ordinary one ("Majelis Hakim" / "majelis hakim").
    written = " " + " ".join(TOKEN.findall(" ".join(texts.values()))) + " "
    return [m for m in found if f" {m.text.lower()} " not in written or m.text.isupper()]
