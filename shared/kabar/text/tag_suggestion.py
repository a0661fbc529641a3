"""Tag suggestion for Indonesian news text, and normalisation through the vocabulary.

Pure logic: no AWS, no environment. TaggingFunction and ``kabar tags suggest``
run this same code.

How it reads a text:

- The entity recogniser (:mod:`kabar.text.entities`) finds the people, places,
  organisations and events of the lead and body, without bylines, datelines,
  credits and "read also" lines (:mod:`kabar.text.mentions`).
- The forms of one name are one tag, ranked by salience: where and how often it
  is mentioned, and whether the headline repeats it (:mod:`kabar.text.salience`).
  A name mentioned once must be one the recogniser is sure of
  (:data:`MIN_CONFIDENCE`) or one the headline repeats; capitalised words it
  left out count when the headline repeats them, or when the article repeats
  them and cased news has never seen them. Any other name is a
  tag only when the vocabulary knows it (the vocabulary is the gazetteer).
- Key phrases (two content words) only when strong: in the headline and at least
  :data:`KEY_PHRASE_REPEATS` times in the lead and body.
- ``max_tags`` is a ceiling, not a quota: an article with three names has three tags.
- The vocabulary maps every candidate (each of its forms) through its aliases to a
  canonical tag, follows merges, and drops blocked tags; vocabulary terms in the
  headline or lead count even when no name was found there. Matching ignores case,
  accents, punctuation and the suffix "-nya".
- A tag the recogniser found carries its variants (an acronym the article defines,
  or the long form of one): what an editor may accept as the tag's aliases.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol

from kabar.models import VocabularyEntry
from kabar.slugs import slugify

Origin = Literal["editor", "vocabulary", "suggested"]

WEIGHT_BODY = 1.0
DEFAULT_MAX_TAGS = 8

# Function words and other words that never make a tag by themselves. Written for
# this project (common Indonesian grammar words, news verbs, days, months).
STOPWORDS = frozenset(
    """
    ada adalah adanya agar akan akankah akhir akhirnya aku akan amat anda antara apa apabila
    apakah atas atau bagai bagaimana bagi bahkan bahwa baik banyak baru bawah beberapa begitu
    belum benar berada berbagai berikut besar betapa bila bisa boleh buat bukan bukankah cukup
    dalam dan dapat dari daripada demi demikian dengan di dia diri dirinya dua dulu guna hal
    hampir hanya harus hingga ia ialah ini inilah itu itulah jadi jangan jika juga justru kala
    kalau kali kami kamu karena kata katanya ke kecil kembali kemudian kepada ketika kini kita
    lagi lain lalu lebih maka mana masih melalui memang mengenai menjadi menurut mereka
    merupakan meski meskipun misalnya mungkin namun nanti oleh pada padahal para pernah pula pun
    saat saja salah sama sambil sampai sana sangat satu saya sebab sebagai sebagian sebelum
    sebelumnya sebuah secara sedang sedangkan segera sehingga sejak sekali sekarang sekitar
    selain selalu selama seluruh semua semakin sementara sendiri seperti serta sesuai setelah
    setiap sini sudah supaya tadi tak tanpa tapi telah tengah tentang terhadap termasuk tersebut
    tetapi tiap tidak tiga turut untuk usai walau walaupun yaitu yakni yang baca juga simak
    lihat berita kabar tulis ujar ungkap kata jelas tutur sebut senin selasa rabu kamis jumat
    sabtu minggu pekan bulan tahun hari pagi siang sore malam januari februari maret april mei
    juni juli agustus september oktober november desember pukul wib wita wit the of and utara
    selatan timur barat tengah daya laut pusat raya provinsi kota kabupaten nol satu dua tiga
    empat lima enam tujuh delapan sembilan sepuluh sebelas belas puluh ratus seratus ribu seribu
    juta miliar triliun persen
    """.split()  # noqa: SIM905 (a word list reads best as words)
)
_WORD = r"[A-Za-zÀ-ÖØ-öø-ÿ0-9]+(?:[-'\u2019][A-Za-zÀ-ÖØ-öø-ÿ0-9]+)*"
_TOKEN = re.compile(_WORD)
_LOWER_WORD = re.compile(r"[a-zà-öø-ÿ]+")
_TWO_NAMES = re.compile(
    r"\b([A-Z][a-z]{2,})-([A-Z][a-z]{2,})\b"
)  # a route or pair (Damaskus-Aleppo): two names
_READ_ALSO = re.compile(r"^\s*(baca juga|simak juga|lihat juga)\s*:.*$", re.IGNORECASE | re.MULTILINE)
MIN_CONFIDENCE = 6.0
KEY_PHRASE_REPEATS = 3


class Vocabulary(Protocol):
    def lookup(self, keys: Iterable[str]) -> Mapping[str, VocabularyEntry]:
        """The entries whose name or alias has one of these match keys, by key."""
        ...

    def entries(self, slugs: Iterable[str]) -> Mapping[str, VocabularyEntry]:
        """The entries of these canonical slugs (to follow merges)."""
        ...


class EmptyVocabulary:
    def lookup(self, keys: Iterable[str]) -> Mapping[str, VocabularyEntry]:
        return {}

    def entries(self, slugs: Iterable[str]) -> Mapping[str, VocabularyEntry]:
        return {}


@dataclass
class MemoryVocabulary:
    """A vocabulary held in memory (the CLI, tests and benchmarks)."""

    by_slug: dict[str, VocabularyEntry] = field(default_factory=dict)
    by_key: dict[str, str] = field(default_factory=dict)

    def add(self, entry: VocabularyEntry, aliases: Iterable[str] = ()) -> None:
        self.by_slug[entry.slug] = entry
        for name in (entry.name, *aliases):
            self.by_key[match_key(name)] = entry.slug

    def lookup(self, keys: Iterable[str]) -> Mapping[str, VocabularyEntry]:
        return {key: self.by_slug[self.by_key[key]] for key in keys if key in self.by_key}

    def entries(self, slugs: Iterable[str]) -> Mapping[str, VocabularyEntry]:
        return {slug: self.by_slug[slug] for slug in slugs if slug in self.by_slug}


def match_key(name: str) -> str:
    """How names are compared: the slug, without a trailing possessive "-nya"."""
    key = slugify(name)
    if key.endswith("nya") and len(key) > 6 and "-" not in key[-4:]:
        key = key[:-3]
    return key


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str
    score: float
    origin: Origin
    kind: str | None = None  # PER, LOC, ORG or EVT when the recogniser found it
    variants: tuple[str, ...] = ()  # other forms of the name the article gives, unknown to the vocabulary


@dataclass
class _Candidate:
    name: str
    score: float
    keys: list[str]
    kind: str | None = None
    variants: tuple[str, ...] = ()
    known_only: bool = False  # a doubtful name: a tag only when the vocabulary knows it


def suggest_tags(
    title: str,
    lead: str | None,
    body: str,
    *,
    editor_tags: Iterable[str] = (),
    vocabulary: Vocabulary | None = None,
    max_tags: int = DEFAULT_MAX_TAGS,
    include_unreviewed: bool = True,
) -> list[Tag]:
    """The article's tags: the editor's (normalised), then the best suggestions, at most ``max_tags``.

    With ``include_unreviewed=False`` a suggested tag that the vocabulary does
    not know is left out (it waits for an editor).
    """
    vocabulary = vocabulary or EmptyVocabulary()
    candidates = _candidates(title, lead or "", _plain(body))
    editor = [name for name in editor_tags if slugify(name)]
    keys = {match_key(name) for name in editor} | {key for c in candidates for key in c.keys}
    keys |= _ngram_keys(f"{title}. {lead or ''}")
    found = _resolve(vocabulary, keys)

    chosen = {tag.slug: tag for tag in reversed(_editor_tags(editor, found))}
    chosen = dict(reversed(chosen.items()))
    for tag in _ranked(candidates, found, include_unreviewed):
        if len(chosen) >= max_tags:
            break
        chosen.setdefault(tag.slug, tag)
    return list(chosen.values())[:max_tags]


Resolved = dict[str, "VocabularyEntry | Literal[False]"]


def _editor_tags(editor: list[str], found: Resolved) -> list[Tag]:
    tags = []
    for name in editor:
        entry = found.get(match_key(name))
        if entry is False:
            continue  # blocked, even when an editor typed it
        if entry is None:
            tags.append(Tag(name=name, slug=slugify(name), score=1.0, origin="editor"))
        else:
            tags.append(Tag(name=entry.name, slug=entry.slug, score=1.0, origin="vocabulary"))
    return tags


def _ranked(candidates: list[_Candidate], found: Resolved, include_unreviewed: bool) -> list[Tag]:
    top = max((c.score for c in candidates), default=1.0) or 1.0
    ranked: list[Tag] = []
    for candidate in candidates:
        entries = [found[key] for key in candidate.keys if key in found]
        if any(entry is False for entry in entries):
            continue  # blocked, under one of its names
        score = round(candidate.score / top, 3)
        entry = next((e for e in entries if e), None)
        # Variants the vocabulary knows already (its aliases) are nothing to offer.
        variants = tuple(v for v in candidate.variants if match_key(v) not in found)
        if candidate.known_only and not entry:
            continue
        if entry:
            ranked.append(Tag(entry.name, entry.slug, score, "vocabulary", candidate.kind, variants))
        elif include_unreviewed:
            ranked.append(Tag(candidate.name, slugify(candidate.name), score, "suggested", candidate.kind,
                              variants))  # fmt: skip
    # Vocabulary terms in the headline or lead that the recogniser did not see.
    seen = {key for c in candidates for key in c.keys}
    for key, term in found.items():
        if term and key not in seen and all(t.slug != term.slug for t in ranked):
            ranked.append(Tag(name=term.name, slug=term.slug, score=0.5, origin="vocabulary"))
    ranked.sort(key=lambda tag: (-tag.score, tag.origin != "vocabulary", tag.slug))
    return ranked


def _resolve(vocabulary: Vocabulary, keys: set[str]) -> Resolved:
    """Each key's usable entry (merges followed), False when blocked; unknown keys absent."""
    direct = dict(vocabulary.lookup(sorted(keys)))
    resolved: dict[str, VocabularyEntry | Literal[False]] = {}
    for key, first in direct.items():
        entry, seen = first, set()
        while entry.status == "merged" and entry.merged_into and entry.slug not in seen:
            seen.add(entry.slug)
            target = vocabulary.entries([entry.merged_into]).get(entry.merged_into)
            if target is None:
                break
            entry = target
        resolved[key] = False if entry.status == "blocked" else entry
    return resolved


def _plain(body: str) -> str:
    """Markdown or HTML as plain text, without "read also" lines (other articles' headlines)."""
    text = re.sub(r"<[^>]+>", " ", body)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_#>`|]", " ", text)
    return _READ_ALSO.sub(" ", text)


def _candidates(title: str, lead: str, body: str) -> list[_Candidate]:
    """The article's names (salient, and sure when mentioned once), then its strong key phrases."""
    from kabar.text.entities import recogniser
    from kabar.text.mentions import find_mentions, story_text
    from kabar.text.salience import names

    lead, body = _TWO_NAMES.sub(r"\1 - \2", lead), _TWO_NAMES.sub(r"\1 - \2", body)
    model = recogniser()
    found = names(find_mentions(title, lead, body, model), title=title,
                  texts=(story_text(lead), story_text(body)), casing=model.casing)  # fmt: skip
    candidates = []
    for name in found:
        sure = name.in_headline or (
            bool(name.kind) and (name.mentions > 1 or name.confidence >= MIN_CONFIDENCE)
        )
        novel = name.unrecognised > 1 and all(word.lower() not in model.casing for word in name.name.split())
        keys = [match_key(form) for form in (name.name, *name.forms)]
        candidates.append(_Candidate(name.name, name.score, keys, name.kind or None, tuple(name.aliases),
                                     known_only=not (sure or novel)))  # fmt: skip
    names_keys = {key for c in candidates for key in c.keys}
    for phrase, count in _key_phrases(title, f"{lead}\n{body}"):
        if match_key(phrase) not in names_keys:
            candidates.append(_Candidate(phrase, WEIGHT_BODY * count * 0.5, [match_key(phrase)]))
    return candidates


def _key_phrases(title: str, text: str) -> list[tuple[str, int]]:
    """Pairs of lower-case content words the headline has and the text repeats
    :data:`KEY_PHRASE_REPEATS` times or more (a capitalised word belongs to a name)."""
    counts: Counter[str] = Counter()
    for sentence in re.split(r"[.!?,;:()\n]+", text):
        words = _TOKEN.findall(sentence)
        for first, second in itertools.pairwise(words):
            if _content(first) and _content(second):
                counts[f"{first} {second}"] += 1
    headline = f" {' '.join(_TOKEN.findall(title.lower()))} "
    return [(p, n) for p, n in counts.most_common() if n >= KEY_PHRASE_REPEATS and f" {p} " in headline]


def _content(word: str) -> bool:
    return word.islower() and len(word) >= 4 and word not in STOPWORDS and bool(_LOWER_WORD.fullmatch(word))


def _ngram_keys(text: str, longest: int = 3) -> set[str]:
    tokens = _TOKEN.findall(text)
    keys = set()
    for size in range(1, longest + 1):
        for start in range(len(tokens) - size + 1):
            words = tokens[start : start + size]
            if words[0].lower() in STOPWORDS or words[-1].lower() in STOPWORDS:
                continue
            keys.add(match_key(" ".join(words)))
    keys.discard("")
    return keys
