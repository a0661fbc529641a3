"""Related articles: how two articles are scored, and how top-k lists change.

Pure logic: no AWS, no environment. RelatedFunction and ``kabar related
compute`` run this same code; only where candidates come from differs (the
table's tag lists, or the same lists held in memory).

An article is summed up by a :class:`Profile`, computed once when it is tagged:
its tags, category, publish time and a small text vector (the stems of its
headline, lead and body, weighted by field and by rarity in Indonesian news,
top :data:`PROFILE_TERMS`, unit length). The
score of two profiles is symmetric, so "A belongs in B's list" follows from
"B belongs in A's list" without reading B's text again:

- shared tags, each weighted by rarity (a tag on few articles says more), over
  the geometric mean of both tag counts;
- cosine of the text vectors;
- the same category, and closeness in time, count only once the two are
  related by tags or text (:data:`MIN_RELEVANCE`): on their own they would
  pair every two articles of a busy week.

Lists hold at most ``k`` entries scoring at least ``min_score``; with too few
good candidates a list is shorter rather than padded.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path

from kabar.text.lexicon import Lexicon
from kabar.text.tag_suggestion import STOPWORDS

PROFILE_TERMS = 30
DEFAULT_K = 5
DEFAULT_MIN_SCORE = 0.06
MIN_RELEVANCE = 0.04
WEIGHT_TAGS, WEIGHT_TEXT, WEIGHT_CATEGORY, WEIGHT_RECENCY = 0.3, 0.5, 0.05, 0.1
RECENCY_DAYS = 30.0
FIELD_WEIGHTS = (3.0, 2.0, 1.0)  # headline, lead, body

_WORD = re.compile(r"[a-zà-öø-ÿ]+(?:-[a-zà-öø-ÿ]+)*")
_READ_ALSO_LINE = re.compile(r"^\s*(baca juga|simak juga|lihat juga)\s*:.*$", re.IGNORECASE | re.MULTILINE)
_TAGS = re.compile(r"<[^>]+>")
# Words too common in news to say what a story is about (beyond the tagger's stopwords).
_COMMON = frozenset(
    """
    akan orang warga pihak hasil kata jelas ujar sebut tutur ungkap bilang lanjut tambah
    kemarin hari ini sudah belum masih bisa dapat harus juga lebih paling sangat banyak
    pemerintah indonesia jakarta tahun baru lalu kali akhir awal mulai terus tetap kemudian
    """.split()  # noqa: SIM905 (a word list reads best as words)
)
_PARTICLES = ("lah", "kah", "tah", "pun")
_POSSESSIVES = ("nya", "ku", "mu")
_SUFFIXES = ("kan", "an")  # not "-i": too many roots end in i (pengungsi, beli)
_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light Indonesian stem: one prefix, then a particle or possessive, then one suffix.

    Not a dictionary stemmer: it only has to map the forms of one word to one key
    ("pengungsi", "mengungsi", "diungsikan" -> "ungsi") more often than it joins
    two different words. Short words are left alone.
    """
    base = _strip_prefix(word)
    for ending in (*_PARTICLES, *_POSSESSIVES):
        if len(base) > len(ending) + 4 and base.endswith(ending):
            base = base[: -len(ending)]
            break
    for ending in _SUFFIXES:
        if len(base) > len(ending) + 3 and base.endswith(ending):
            return base[: -len(ending)]
    return base


def _strip_prefix(word: str) -> str:
    if len(word) < 6:
        return word
    for prefix, replacement in (("meny", "s"), ("peny", "s")):
        if word.startswith(prefix) and word[len(prefix)] in _VOWELS:
            return replacement + word[len(prefix) :]
    for prefix in ("meng", "peng"):
        if word.startswith(prefix):
            return word[len(prefix) :]
    for prefix in ("mem", "pem", "men", "pen"):
        if word.startswith(prefix):
            rest = word[3:]
            if rest[0] in _VOWELS:  # the nasal replaced a dropped p- or t-: memukul, menulis
                return ("p" if prefix[-1] == "m" else "t") + rest
            return rest
    for prefix in ("ber", "ter", "per", "me", "di", "ke"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 4:
            return word[len(prefix) :]
    return word


def words(text: str) -> list[str]:
    """The content words of a text, lower case, stemmed (stopwords and numbers dropped)."""
    found = []
    for word in _WORD.findall(text.lower()):
        if len(word) < 3 or word in STOPWORDS or word in _COMMON:
            continue
        found.append(stem(word))
    return found


@cache
def _frequencies() -> tuple[int, Lexicon]:
    """IndoSum's article count and the articles with each stem (``make wordlist``): a JSON line,
    then a :class:`~kabar.text.lexicon.Lexicon` of uint16 counts, read as it is."""
    data = (Path(__file__).parent / "data" / "stem_frequencies.bin").read_bytes()
    first = data.index(b"\n")
    header = json.loads(data[:first])
    return int(header["articles"]), Lexicon.frombytes(memoryview(data)[first + 1 :], header["stems"], "H")


def rarity(stem: str) -> float:
    """A stem's inverse document frequency in IndoSum's news (smoothed: an unseen stem is as rare as
    a stem in one article)."""
    articles, counts = _frequencies()
    return math.log((articles + 1) / ((counts.find(stem) or 1) + 1)) + 1.0


def text_terms(title: str, lead: str | None, body: str, limit: int = PROFILE_TERMS) -> dict[str, float]:
    """The weighted stems of an article (headline 3, lead 2, body 1; log tf times rarity), unit length."""
    counts: dict[str, float] = defaultdict(float)
    body = _READ_ALSO_LINE.sub(" ", _TAGS.sub(" ", body))
    for text, weight in zip((title, lead or "", body), FIELD_WEIGHTS, strict=True):
        for word in words(text):
            counts[word] += weight
    weighted = sorted(
        (((1.0 + math.log(n)) * rarity(term), term) for term, n in counts.items()),
        key=lambda p: (-p[0], p[1]),
    )
    top = weighted[:limit]
    norm = math.sqrt(sum(w * w for w, _ in top)) or 1.0
    return {term: round(w / norm, 4) for w, term in top}


@dataclass(frozen=True)
class Profile:
    """What scoring needs of one article."""

    id: str
    terms: Mapping[str, float]
    tags: tuple[str, ...] = ()
    category: str | None = None
    published_at: float = 0.0  # POSIX seconds

    @classmethod
    def of(
        cls,
        id: str,
        terms: Mapping[str, float],
        tags: Iterable[str] = (),
        category: str | None = None,
        published_at: datetime | None = None,
    ) -> Profile:
        return cls(id=id, terms=terms, tags=tuple(tags), category=category,
                   published_at=published_at.timestamp() if published_at else 0.0)  # fmt: skip


def tag_weight(count: int) -> float:
    """How much sharing a tag says: 1 for a tag on one article, 0.5 at ten, 0.25 at a thousand."""
    return 1.0 / (1.0 + math.log10(max(count, 1)))


def score(a: Profile, b: Profile, weights: Mapping[str, float]) -> float:
    """How related two articles are (symmetric; 0 when unrelated).

    ``weights``: rarity weight of each of ``a``'s tags (shared tags are among them).
    """
    shared = set(a.tags).intersection(b.tags)
    tags = sum(weights.get(t, 1.0) for t in shared) / math.sqrt(len(a.tags) * len(b.tags)) if shared else 0.0
    small, large = (a.terms, b.terms) if len(a.terms) <= len(b.terms) else (b.terms, a.terms)
    text = sum(w * large[t] for t, w in small.items() if t in large)
    relevance = WEIGHT_TAGS * tags + WEIGHT_TEXT * text
    if relevance < MIN_RELEVANCE:
        return 0.0
    same_category = 1.0 if a.category and a.category == b.category else 0.0
    days = abs(a.published_at - b.published_at) / 86400.0
    return round(
        relevance + WEIGHT_CATEGORY * same_category + WEIGHT_RECENCY * math.exp(-days / RECENCY_DAYS), 4
    )


@dataclass(frozen=True, order=True)
class Scored:
    """One related article and its score (orders best first: higher score, then id)."""

    sort_key: tuple[float, str] = field(init=False, repr=False, compare=True)
    id: str = field(compare=False)
    score: float = field(compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sort_key", (-self.score, self.id))


def rank(
    source: Profile,
    candidates: Iterable[Profile],
    weights: Mapping[str, float],
    *,
    k: int = DEFAULT_K,
    min_score: float = DEFAULT_MIN_SCORE,
    exclude: Iterable[str] = (),
) -> list[Scored]:
    """The best ``k`` candidates scoring at least ``min_score``, best first."""
    skip = {source.id, *exclude}
    best: dict[str, Scored] = {}
    for candidate in candidates:
        if candidate.id in skip or candidate.id in best:
            continue
        value = score(source, candidate, weights)
        if value >= min_score:
            best[candidate.id] = Scored(id=candidate.id, score=value)
    return sorted(best.values())[:k]


def admit(
    entries: Sequence[Scored],
    newcomer: Scored,
    *,
    room: int,
    min_score: float = DEFAULT_MIN_SCORE,
    blocked: Iterable[str] = (),
) -> list[Scored] | None:
    """Another article's list once ``newcomer`` (re)scored against it; None when unchanged.

    ``room``: how many automatic entries the list holds (k less the editor's pins);
    ``blocked``: the list's own article, its pins and its exclusions. A newcomer that
    no longer scores enough leaves the list it was in.
    """
    if newcomer.id in set(blocked):
        return None
    others = [entry for entry in entries if entry.id != newcomer.id]
    candidates = [*others, newcomer] if newcomer.score >= min_score else others
    updated = sorted(candidates)[: max(room, 0)]
    if [(e.id, e.score) for e in updated] == [(e.id, e.score) for e in entries]:
        return None
    return updated


def spread(count: int, paragraphs: int, *, keep_all: bool = False) -> list[int]:
    """Where ``count`` inline links stand in a body of ``paragraphs``: after which paragraphs.

    Evenly through the body, at most one link per gap between two paragraphs, never
    after the last paragraph (the body's end is where the related list begins).
    ``keep_all`` (the editor's own links) places the links that find no gap after
    the last one used, or after the only paragraph.
    """
    gaps = max(paragraphs - 1, 0)
    placed = min(count, gaps)
    positions = [(i + 1) * (gaps + 1) // (placed + 1) for i in range(placed)]
    if keep_all and count > placed:
        positions += [positions[-1] if positions else max(paragraphs, 1)] * (count - placed)
    return positions
