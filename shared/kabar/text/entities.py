"""An Indonesian entity recogniser: people, places, organisations and events in a text.

An averaged perceptron over word, shape, affix and context features, decoded left to right with
the two tags before each word (an ``I-`` tag only after its own ``B-`` or ``I-``). ``make
train-tagger`` (``infra/kabar_infra/train_tagger.py``) trains it on IndoNLU's NERGrit (cased) and
NER-P (news, lower-cased) sets; the weights are ``shared/kabar/text/data/entities.json.gz`` (MIT:
IndoNLU's notice is in that folder's README). Pure Python; the model loads once per process, on
first use. Not yet used by the tag suggestions (issue 14).
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MODEL = Path(__file__).parent / "data" / "entities.json.gz"
TAGS = ("O", *(f"{place}-{kind}" for kind in ("PER", "LOC", "ORG", "EVT") for place in ("B", "I")))
TOKEN = re.compile(r"\w+(?:[-'.]\w+)*|[^\w\s]")


@dataclass(frozen=True)
class Entity:
    kind: str  # PER, LOC, ORG or EVT
    start: int  # token positions, end exclusive
    end: int


def shape(word: str) -> str:
    """A word's shape: ``Xx`` (Jokowi), ``X`` (KPK), ``x``, ``d`` (2026), ``XdX`` (G30S)."""
    kinds = re.sub(r"[A-Z]+", "X", re.sub(r"[a-z]+", "x", re.sub(r"[0-9]+", "d", word)))
    return re.sub(r"[^Xxd]+", "-", kinds)[:4]


def features(words: Sequence[str], index: int, previous: str, before: str) -> list[str]:
    """The features of the word at ``index``, given the two tags before it."""
    word = words[index]
    low = word.lower()
    left = words[index - 1] if index else "<s>"
    right = words[index + 1] if index + 1 < len(words) else "</s>"
    found = [
        "b", f"w={low}", f"s={shape(word)}", f"ws={low}|{shape(word)}", f"p3={low[:3]}",
        f"x2={low[-2:]}", f"x3={low[-3:]}", f"l={left.lower()}", f"r={right.lower()}", f"ls={shape(left)}",
        f"rs={shape(right)}",
        f"t={previous}", f"tt={before}|{previous}", f"tw={previous}|{low}",
    ]  # fmt: skip
    if index == 0:
        found.append(f"first={shape(word)}")
    return found


def allowed(previous: str, tag: str) -> bool:
    return not tag.startswith("I-") or previous[2:] == tag[2:]


class Recogniser:
    """Tags from ``weights``: a feature's weight for each of :data:`TAGS`."""

    def __init__(self, weights: Mapping[str, Sequence[float]]) -> None:
        self.weights = weights

    def tag(self, words: Sequence[str]) -> list[str]:
        out: list[str] = []
        for index in range(len(words)):
            previous = out[-1] if out else "<s>"
            before = out[-2] if len(out) > 1 else "<s>"
            scores = [0.0] * len(TAGS)
            for feature in features(words, index, previous, before):
                row = self.weights.get(feature)
                if row is not None:
                    scores = [score + weight for score, weight in zip(scores, row, strict=True)]
            best = max((t for t in range(len(TAGS)) if allowed(previous, TAGS[t])), key=scores.__getitem__)
            out.append(TAGS[best])
        return out

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


@cache
def recogniser() -> Recogniser:
    """The shipped model (loaded once)."""
    with gzip.open(MODEL, "rt", encoding="utf-8") as handle:
        return Recogniser(json.load(handle)["weights"])
