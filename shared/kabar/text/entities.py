"""An Indonesian entity recogniser: people, places, organisations and events in a text.

An averaged perceptron over word, shape, affix, context and casing features, decoded left to
right with the two tags before each word (an ``I-`` tag only after its own ``B-`` or ``I-``).
The casing features come from a lexicon of how often each word is capitalised inside a sentence
in cased Indonesian news (IndoSum): "Presiden" and "Kamis" are capitalised nearly always,
"Serangan" almost never, so a sentence-initial capital says little and a capital elsewhere says
much. ``make train-tagger`` (``infra/kabar_infra/train_tagger.py``) trains it on IndoNLU's
NERGrit (cased) and NER-P (news, lower-cased, re-cased with that lexicon) sets.

The model is one file, ``data/entities.bin`` (about 1 MB): a JSON header line, the features'
keys (CRC-32, little-endian uint32), their weights (little-endian int16, scaled by the header's
``scale``), then the casing lexicon (:class:`kabar.text.lexicon.Lexicon`: its words' CRC-32 and
bucket numbers). Loading it is four ``array.frombytes`` and one dict of integers, not a parse of
names or floats (about 6 ms). Pure Python; it loads once per process, on first use, and only in
the code that tags.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import zlib
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from kabar.text.lexicon import Lexicon

MODEL = Path(__file__).parent / "data" / "entities.bin"
TAGS = ("O", *(f"{place}-{kind}" for kind in ("PER", "LOC", "ORG", "EVT") for place in ("B", "I")))
WIDTH = len(TAGS)
TOKEN = re.compile(r"\w+(?:[-'.]\w+)*|[^\w\s]")
# How often a word is capitalised inside a sentence: the lexicon's buckets.
CASINGS = ("always", "mostly", "sometimes", "rarely")
_LETTERS, _DIGITS = re.compile(r"[^\W\d_]+"), re.compile(r"[0-9]+")


class CasingLookup(Protocol):
    """A casing lexicon as its users ask it: a word's bucket (None: unseen)."""

    def get(self, word: str, /) -> str | None: ...
    def __contains__(self, word: object, /) -> bool: ...


class Casing:
    """The casing lexicon: each lower-case word's bucket of :data:`CASINGS`, as a :class:`Lexicon`."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    @classmethod
    def of(cls, buckets: Mapping[str, str]) -> Casing:
        return cls(Lexicon.of({word: CASINGS.index(bucket) for word, bucket in buckets.items()}))

    def get(self, word: str, /) -> str | None:
        found = self.lexicon.find(word)
        return None if found is None else CASINGS[found]

    def __contains__(self, word: object, /) -> bool:
        return word in self.lexicon

    def of_words(self, words: Iterable[str]) -> dict[str, str]:
        """The buckets of these words (lower-cased) that the lexicon has: what tagging one text asks."""
        found = self.lexicon.lookups(word.lower() for word in words)
        return {word: CASINGS[n] for word, n in found.items() if n is not None}


@dataclass(frozen=True)
class Entity:
    kind: str  # PER, LOC, ORG or EVT
    start: int  # token positions, end exclusive
    end: int


def shape(word: str) -> str:
    """A word's shape: ``Xx`` (Jokowi), ``X`` (KPK), ``x``, ``d`` (2026), ``XdX`` (G30S)."""
    out: list[str] = []
    for char in word:
        kind = "X" if char.isupper() else "x" if char.isalpha() else "d" if char.isdigit() else "-"
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out)[:4]


def features(
    words: Sequence[str], index: int, previous: str, before: str, casing: Mapping[str, str]
) -> list[str]:
    """The features of the word at ``index``, given the two tags before it and the casing lexicon."""
    word = words[index]
    low = word.lower()
    left = words[index - 1] if index else "<s>"
    right = words[index + 1] if index + 1 < len(words) else "</s>"
    left2 = words[index - 2] if index > 1 else "<s>"
    right2 = words[index + 2] if index + 2 < len(words) else "</s>"
    form, cased = shape(word), casing.get(low, "unseen")
    found = [
        "b", f"w={low}", f"s={form}", f"ws={low}|{form}", f"p3={low[:3]}", f"x2={low[-2:]}", f"x3={low[-3:]}",
        f"l={left.lower()}", f"r={right.lower()}", f"ls={shape(left)}", f"rs={shape(right)}",
        f"l2={left2.lower()}", f"r2={right2.lower()}", f"c={cased}|{form}", f"cf={cased}|{form}|{index == 0}",
        f"lc={casing.get(left.lower(), 'unseen')}|{shape(left)}",
        f"rc={casing.get(right.lower(), 'unseen')}|{shape(right)}",
        f"t={previous}", f"tt={before}|{previous}", f"tw={previous}|{low}", f"tc={previous}|{cased}|{form}",
    ]  # fmt: skip
    return found


def allowed(previous: str, tag: str) -> bool:
    return not tag.startswith("I-") or previous[2:] == tag[2:]


_ALLOWED = {
    previous: [t for t, tag in enumerate(TAGS) if allowed(previous, tag)] for previous in ("<s>", *TAGS)
}


class Recogniser:
    """Tags from ``weights``: a flat row of :data:`WIDTH` numbers per feature, at
    ``index[feature_key(feature)]``."""

    def __init__(
        self,
        index: Mapping[int, int],
        weights: Sequence[float],
        casing: Casing,
        scale: float = 1.0,
    ) -> None:
        self.index, self.weights, self.casing, self.scale = index, weights, casing, scale

    def scores(
        self, words: Sequence[str], position: int, previous: str, before: str, casing: Mapping[str, str]
    ) -> list[float]:
        """Each tag's score for the word at ``position``; ``casing``: the text's words' buckets."""
        index, weights = self.index, self.weights
        offsets = [
            o
            for f in features(words, position, previous, before, casing)
            if (o := index.get(feature_key(f))) is not None
        ]
        return [sum(weights[o + t] for o in offsets) for t in range(WIDTH)]

    def tag(self, words: Sequence[str]) -> list[str]:
        return self.tag_with_margins(words)[0]

    def tag_with_margins(self, words: Sequence[str]) -> tuple[list[str], list[float]]:
        """Each word's tag, and by how much its score beat the best allowed tag of the other side of
        "entity or not" (in weight units): how sure the recogniser is that the word is in a name."""
        out: list[str] = []
        margins: list[float] = []
        previous = before = "<s>"
        casing = self.casing.of_words(words)
        for position in range(len(words)):
            scores = self.scores(words, position, previous, before, casing)
            best = max(_ALLOWED[previous], key=scores.__getitem__)
            other = max(scores[t] for t in _ALLOWED[previous][1:]) if best == 0 else scores[0]
            margins.append((scores[best] - other) / self.scale)
            before, previous = previous, TAGS[best]
            out.append(previous)
        return out, margins

    def entities(self, text: str) -> list[tuple[str, str]]:
        """The (kind, text) of each entity in ``text``."""
        words = TOKEN.findall(text)
        return [(e.kind, " ".join(words[e.start : e.end])) for e in spans(self.tag(words))]


def spans(tags: Sequence[str]) -> list[Entity]:
    """The entities BIO tags mark."""
    found: list[Entity] = []
    start, kind = 0, None
    for index, tag in enumerate([*tags, "O"]):
        if kind is not None and not tag.startswith("I-"):
            found.append(Entity(kind, start, index))
            kind = None
        if tag.startswith("B-"):
            start, kind = index, tag[2:]
    return found


def feature_key(feature: str) -> int:
    """A feature's key in a model: its CRC-32 (stable across processes, unlike ``hash``; two of a
    model's features sharing one would share their weights: with 95,000 features, about one pair)."""
    return zlib.crc32(feature.encode())


def dump(index: Mapping[int, int], weights: Sequence[float], casing: Casing) -> bytes:
    """The model file's bytes (the same model gives the same file). Not compressed: unpacking would
    cost every cold start more than the file's size costs the layer."""
    keys = sorted(index)
    largest = max((abs(w) for w in weights), default=1.0) or 1.0
    scale = 32000 / largest
    packed = array("h", (round(weights[index[k] + t] * scale) for k in keys for t in range(WIDTH)))
    crcs = array("I", keys)
    for part in (packed, crcs):
        if sys.byteorder != "little":
            part.byteswap()
    header = {"tags": list(TAGS), "features": len(keys), "scale": scale, "casings": list(CASINGS),
              "words": len(casing.lexicon)}  # fmt: skip
    return json.dumps(header).encode() + b"\n" + crcs.tobytes() + packed.tobytes() + casing.lexicon.tobytes()


def load(data: bytes) -> Recogniser:
    """A model from its file: arrays read as they are, one dict of the features' keys."""
    first = data.index(b"\n")
    header = json.loads(data[:first])
    if tuple(header["tags"]) != TAGS or tuple(header["casings"]) != CASINGS:
        raise ValueError(f"the model's tags {header['tags']} or casings {header['casings']} are not these")
    count = header["features"]
    crcs, weights = array("I"), array("h")
    keys_end = first + 1 + count * crcs.itemsize
    weights_end = keys_end + count * WIDTH * weights.itemsize
    crcs.frombytes(data[first + 1 : keys_end])
    weights.frombytes(data[keys_end:weights_end])
    for part in (crcs, weights):
        if sys.byteorder != "little":
            part.byteswap()
    index = dict(zip(crcs, range(0, count * WIDTH, WIDTH), strict=True))
    casing = Casing(Lexicon.frombytes(memoryview(data)[weights_end:], header["words"]))
    return Recogniser(index, weights, casing, header["scale"])


_LOADING = threading.Lock()
_loaded: list[Recogniser] = []


def recogniser() -> Recogniser:
    """The shipped model, loaded once per process (a second caller waits for the first's load)."""
    if not _loaded:
        with _LOADING:
            if not _loaded:
                _loaded.append(load(MODEL.read_bytes()))
    return _loaded[0]
