"""Tag suggestion for Indonesian news text, and normalisation through the vocabulary.

Pure logic: no AWS, no environment. TaggingFunction and ``kabar tags suggest``
run this same code.

How it reads a text:

- Names are sequences of capitalised words found *inside* sentences. A word
  that only ever appears capitalised at the start of a sentence, or that also
  appears in lower case, is an ordinary word ("Serangan", "Tentara"). A
  headline is in title case, so it gives no evidence of names itself, but a
  name confirmed by the lead or body weighs more when the headline has it.
- Acronyms (ISIS, PBB, BMKG) are names. Names keep their own spelling.
- Key phrases are pairs of content words (no stopwords) that recur.
- Weights: headline 3, lead 2, body 1 per occurrence; names count 1.5 times.
- A shorter name inside a longer one ("Hizbullah" in "Hizbullah Libanon")
  stays the tag unless the longer one recurs on its own.
- The vocabulary maps every candidate through its aliases to a canonical tag,
  follows merges, and drops blocked tags. Matching ignores case, accents,
  punctuation and the suffix "-nya".
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol

from kabar.models import VocabularyEntry
from kabar.slugs import slugify

Origin = Literal["editor", "vocabulary", "suggested"]

WEIGHT_TITLE, WEIGHT_LEAD, WEIGHT_BODY = 3.0, 2.0, 1.0
NAME_BOOST = 1.5
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
_CONNECTORS = frozenset({"bin", "binti", "al", "van", "von", "der", "de", "la", "da"})
_WORD = r"[A-Za-zÀ-ÖØ-öø-ÿ0-9]+(?:[-'\u2019][A-Za-zÀ-ÖØ-öø-ÿ0-9]+)*"
_TOKEN = re.compile(_WORD)
# Words, and the punctuation inside a sentence that ends a name ("Garut, Jawa Barat").
_WORD_OR_BREAK = re.compile(_WORD + '|[,;:()\\[\\]"\u201c\u201d\u2018\u2013\u2014/]')
# Sentences end at . ! ? or a blank line; a single line break is only Markdown wrapping.
_TWO_NAMES = re.compile(r"[A-Z][a-z]{2,}-[A-Z][a-z]{2,}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n")
_READ_ALSO = re.compile(r"^\s*(baca juga|simak juga|lihat juga)\s*:.*$", re.IGNORECASE | re.MULTILINE)


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


@dataclass
class _Candidate:
    forms: Counter[str] = field(default_factory=Counter)
    score: float = 0.0
    is_name: bool = False
    first_seen: int = 10**9


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
    keys = {match_key(name) for name in editor} | set(candidates)
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


def _ranked(candidates: dict[str, _Candidate], found: Resolved, include_unreviewed: bool) -> list[Tag]:
    top = max((c.score for c in candidates.values()), default=1.0) or 1.0
    ranked: list[Tag] = []
    for key, candidate in candidates.items():
        entry = found.get(key)
        if entry is False:
            continue
        score = round(candidate.score / top, 3)
        if entry is None:
            if not include_unreviewed:
                continue
            name = candidate.forms.most_common(1)[0][0]
            ranked.append(Tag(name=name, slug=slugify(name), score=score, origin="suggested"))
        else:
            ranked.append(Tag(name=entry.name, slug=entry.slug, score=score, origin="vocabulary"))
    # Vocabulary terms in the headline or lead that the name finder did not see.
    for key, entry in found.items():
        if entry and key not in candidates and all(t.slug != entry.slug for t in ranked):
            ranked.append(Tag(name=entry.name, slug=entry.slug, score=0.5, origin="vocabulary"))
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


def _sentences(text: str) -> list[list[str]]:
    """Each sentence's words, with "" where punctuation breaks it."""
    sentences = []
    for sentence in _SENTENCE_END.split(text):
        if not sentence.strip():
            continue
        tokens: list[str] = []
        for token in _WORD_OR_BREAK.findall(sentence):
            if not _TOKEN.fullmatch(token):
                tokens.append("")
            elif _TWO_NAMES.fullmatch(token):
                first, second = token.split("-")
                tokens += [first, "", second]  # a route or pair (Damaskus-Aleppo): two names
            else:
                tokens.append(token)
        sentences.append(tokens)
    return sentences


def _is_capitalised(token: str) -> bool:
    return token[0].isupper()


def _is_acronym(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _candidates(title: str, lead: str, body: str) -> dict[str, _Candidate]:
    lead_and_body = [(s, WEIGHT_LEAD) for s in _sentences(lead)] + [
        (s, WEIGHT_BODY) for s in _sentences(body)
    ]
    lower_seen = {t for s, _ in lead_and_body for t in s if t.islower()}
    inner_caps = {t for s, _ in lead_and_body for t in s[1:] if t and _is_capitalised(t)}

    def name_word(token: str, initial: bool) -> bool:
        if not token or any(c.isdigit() for c in token):
            return False  # amounts and codes (Rp42, 5,1), not names
        if token.lower() in STOPWORDS and not _is_acronym(token):
            return False
        if _is_acronym(token):
            return True
        if not _is_capitalised(token) or token.lower() in lower_seen:
            return False
        return not initial or token in inner_caps

    candidates: dict[str, _Candidate] = defaultdict(_Candidate)
    position = 0
    names: Counter[str] = Counter()
    for sentence, weight in lead_and_body:
        for phrase in _name_phrases(sentence, name_word):
            key = match_key(phrase)
            if not key or key in STOPWORDS:
                continue
            candidate = candidates[key]
            candidate.forms[phrase] += 1
            candidate.score += weight * NAME_BOOST
            candidate.is_name = True
            candidate.first_seen = min(candidate.first_seen, position)
            names[key] += 1
        for phrase in _key_phrases(sentence):
            candidates[match_key(phrase)].forms[phrase] += 1
            candidates[match_key(phrase)].score += weight * 0.5
        position += 1
    # The headline: credit names and phrases the lead and body confirmed.
    title_keys = _ngram_keys(title)
    for key in list(candidates):
        if key in title_keys:
            candidates[key].score += WEIGHT_TITLE * (NAME_BOOST if candidates[key].is_name else 0.5)
    _fold_subphrases(candidates, names)
    # Key phrases must recur in the lead and body; the headline only adds weight.
    return {key: c for key, c in candidates.items() if c.is_name or sum(c.forms.values()) >= 2}


def _name_phrases(sentence: list[str], is_name: Callable[[str, bool], bool]) -> list[str]:
    """Runs of name words (``is_name(token, sentence_initial)``), joined by connectors."""
    phrases: list[list[str]] = []
    current: list[str] = []
    for index, token in enumerate(sentence):
        if is_name(token, index == 0) or (
            current and token and token.lower() in _CONNECTORS and index + 1 < len(sentence)
        ):
            current.append(token)
        else:
            if current:
                phrases.append(current)
            current = []
    if current:
        phrases.append(current)
    result = []
    for words in phrases:
        while words and words[-1].lower() in _CONNECTORS:
            words.pop()
        if words and len("".join(words)) >= 2 and not words[0].isdigit():
            result.append(" ".join(words))
    return result


def _key_phrases(sentence: list[str]) -> list[str]:
    """Pairs of lower-case content words (a capitalised word belongs to a name)."""
    phrases = []
    for first, second in itertools.pairwise(sentence):
        if (
            first and second and first.islower() and second.islower()
            and first not in STOPWORDS and second not in STOPWORDS
            and len(first) >= 4 and len(second) >= 4
            and first.isalpha() and second.isalpha()
        ):  # fmt: skip
            phrases.append(f"{first} {second}")
    return phrases


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


def _fold_subphrases(candidates: dict[str, _Candidate], names: Counter[str]) -> None:
    """A longer name seen once folds into the shorter name inside it."""
    keys = sorted((k for k in candidates if candidates[k].is_name), key=len)
    for long_key in reversed(keys):
        if names[long_key] >= 2:
            continue
        for short_key in keys:
            if short_key != long_key and f"-{short_key}-" in f"-{long_key}-":
                candidates[short_key].score += candidates[long_key].score
                del candidates[long_key]
                break
