"""``make train-tagger``: train the entity recogniser (:mod:`kabar.text.entities`) on IndoNLU.

1. The casing lexicon, from IndoSum's cased news (``../shared/data/indosum``, leaving out the
   articles the benchmarks score): for each word seen at least :data:`MIN_SEEN` times inside a
   sentence, how often it is capitalised there (:data:`kabar.text.entities.CASINGS`).
2. The sentences: NERGrit (cased: PERSON, PLACE, ORGANISATION) as it is, and NER-P (news,
   lower-cased: PPL, PLC, IND, EVT, FNB) re-cased: each word takes its usual written form in
   IndoSum (``kpk`` -> ``KPK``, ``presiden`` -> ``Presiden``), a word of a name that IndoSum does
   not know is capitalised, and each sentence starts with a capital. Labels are mapped to PER,
   LOC, ORG and EVT (NER-P's food and drink are not tags).
3. An averaged perceptron, :data:`EPOCHS` passes over both train splits in a fixed order (the
   same data gives the same weights), the weights that matter kept (:data:`PRUNE`).

It writes ``shared/kabar/text/data/entities.bin`` and prints the entity F1 (exact spans and
kinds) on each validation and test split.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from kabar.text.entities import MODEL, TAGS, WIDTH, Casing, Recogniser, dump, feature_key, features, spans

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
INDONLU = DATA / "indonlu"
INDOSUM = DATA / "indosum" / "articles.jsonl"
SCORED = [ROOT / "benchmarks" / "data" / name for name in ("tagging_labels.json", "entity_labels.json")]
SETS = {"NERGrit": "nergrit_ner-grit", "NER-P": "nerp_ner-prosa"}
LABELS = {"PERSON": "PER", "PLACE": "LOC", "ORGANISATION": "ORG", "PPL": "PER", "PLC": "LOC", "IND": "ORG",
          "EVT": "EVT"}  # fmt: skip
# The kinds a set does not annotate: its "O" there only means "not one of mine". NERGrit has no
# events; NER-P's organisations are companies and brands ("kpk", "polri" are O).
UNANNOTATED = {"NERGrit": frozenset({"EVT"}), "NER-P": frozenset({"ORG"})}
EPOCHS = 6
PRUNE = 2.0
MIN_SEEN = 2
Sentence = tuple[list[str], list[str]]
_WORDS = re.compile(r"\w+(?:[-'.]\w+)*|[^\w\s]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def read(path: Path) -> list[Sentence]:
    """Sentences of a token-and-label file (a blank line between sentences), labels mapped."""
    sentences: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if words:
                sentences.append((words, tags))
            words, tags = [], []
            continue
        word, label = line.rsplit("\t", 1)
        kind = LABELS.get(label[2:]) if label != "O" else None
        words.append(word)
        tags.append(f"{label[:2]}{kind}" if kind else "O")
    return sentences


def written_forms(texts: Iterable[str]) -> dict[str, Counter[str]]:
    """Each lower-case word's written forms inside sentences (a sentence's first word says nothing)."""
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        for sentence in _SENTENCE_END.split(text):
            for word in _WORDS.findall(sentence)[1:]:
                if word[0].isalpha():
                    forms[word.lower()][word] += 1
    return forms


def casing_lexicon(forms: Mapping[str, Counter[str]]) -> dict[str, str]:
    """The casing bucket of each word seen often enough."""
    lexicon = {}
    for low, counts in forms.items():
        seen = sum(counts.values())
        if seen < MIN_SEEN:
            continue
        share = sum(n for form, n in counts.items() if form[0].isupper()) / seen
        lexicon[low] = (
            "always"
            if share >= 0.9
            else "mostly"
            if share >= 0.5
            else "sometimes"
            if share >= 0.1
            else "rarely"
        )
    return lexicon


def recase(sentence: Sentence, forms: Mapping[str, Counter[str]]) -> Sentence:
    """A lower-cased sentence written as cased news writes it."""
    words, tags = sentence
    out = []
    for position, (low, tag) in enumerate(zip(words, tags, strict=True)):
        known = forms.get(low)
        word = low
        if known:
            usual = known.most_common(1)[0][0]
            if (
                sum(n for f, n in known.items() if f[0].isupper()) * 2 >= sum(known.values())
                and usual.lower() == low
            ):
                word = usual
        elif tag != "O":
            word = low[:1].upper() + low[1:]
        if position == 0:
            word = word[:1].upper() + word[1:]
        out.append(word)
    return out, tags


class _Learning(Recogniser):
    """The recogniser while it learns: a growing row of weights per feature."""

    def __init__(self, casing: Mapping[str, str]) -> None:
        super().__init__({}, [], Casing.of(casing))
        self.rows: dict[str, list[float]] = defaultdict(lambda: [0.0] * WIDTH)

    def scores(
        self, words: Sequence[str], position: int, previous: str, before: str, casing: Mapping[str, str]
    ) -> list[float]:
        rows = self.rows
        found = [rows[f] for f in features(words, position, previous, before, casing) if f in rows]
        return [sum(row[t] for row in found) for t in range(WIDTH)]


def train(
    sentences: Sequence[Sentence], casing: Mapping[str, str], epochs: int = EPOCHS,
    unannotated: Sequence[frozenset[str]] = (), prune: float = PRUNE,
) -> Recogniser:  # fmt: skip
    """An averaged perceptron. Each update is on the features the decoder saw (its own tags before
    the word), so that it learns to recover from its mistakes. ``unannotated[n]``: the kinds
    sentence ``n`` does not annotate; guessing one of them where it says "O" is not a mistake."""
    position_of = {tag: n for n, tag in enumerate(TAGS)}
    learner = _Learning(casing)
    weights = learner.rows
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0] * WIDTH)
    stamps: dict[str, list[int]] = defaultdict(lambda: [0] * WIDTH)
    step = 0
    order = list(range(len(sentences)))
    for epoch in range(epochs):
        random.Random(epoch).shuffle(order)  # noqa: S311 (an order of training sentences, not a secret)
        for n in order:
            words, gold = sentences[n]
            guess = learner.tag(words)
            cased = learner.casing.of_words(words)  # what tagging saw of the lexicon
            step += 1
            unknown = unannotated[n] if n < len(unannotated) else frozenset()
            for position, (got, want) in enumerate(zip(guess, gold, strict=True)):
                if got == want or (want == "O" and got[2:] in unknown):
                    continue
                previous = guess[position - 1] if position else "<s>"
                before = guess[position - 2] if position > 1 else "<s>"
                for feature in features(words, position, previous, before, cased):
                    row, total, stamp = weights[feature], totals[feature], stamps[feature]
                    for tag, delta in ((want, 1.0), (got, -1.0)):
                        t = position_of[tag]
                        total[t] += (step - stamp[t]) * row[t]
                        stamp[t] = step
                        row[t] += delta
    index: dict[int, int] = {}
    flat: list[float] = []
    for feature in sorted(weights):
        row = weights[feature]
        mean = [(totals[feature][t] + (step - stamps[feature][t]) * row[t]) / step for t in range(WIDTH)]
        if max(abs(weight) for weight in mean) < prune:
            continue
        key = feature_key(feature)
        if key in index:  # two features, one key: they share a row (the sum)
            start = index[key]
            row_now = flat[start : start + WIDTH]
            flat[start : start + WIDTH] = [a + b for a, b in zip(row_now, mean, strict=True)]
            continue
        index[key] = len(flat)
        flat += mean
    return Recogniser(index, flat, learner.casing)


def f1(model: Recogniser, sentences: Sequence[Sentence]) -> float:
    """Entity F1: a found entity counts when its span and kind are the annotated one's."""
    found = wanted = right = 0
    for words, gold in sentences:
        got, want = set(spans(model.tag(words))), set(spans(gold))
        found, wanted, right = found + len(got), wanted + len(want), right + len(got & want)
    return 2 * right / max(1, found + wanted)


def _news_texts() -> list[str]:
    scored: set[str] = set()
    for path in SCORED:
        if path.exists():
            scored |= set(json.loads(path.read_text(encoding="utf-8"))["articles"])
    articles = [json.loads(line) for line in INDOSUM.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [a["text"] for a in articles if a["id"] not in scored]


def main() -> int:
    if not INDONLU.exists() or not INDOSUM.exists():
        print(
            f"train-tagger: {INDONLU} or {INDOSUM} is not there; the committed model stays", file=sys.stderr
        )
        return 1
    forms = written_forms(_news_texts())
    casing = casing_lexicon(forms)

    def split(name: str, part: str) -> list[Sentence]:
        sentences = read(INDONLU / SETS[name] / f"{part}_preprocess.txt")
        return [recase(s, forms) for s in sentences] if name == "NER-P" else sentences

    sentences = {name: split(name, "train") for name in SETS}
    model = train([s for name in SETS for s in sentences[name]], casing,
                  unannotated=[UNANNOTATED[name] for name in SETS for _ in sentences[name]])  # fmt: skip
    MODEL.write_bytes(dump(model.index, model.weights, model.casing))
    print(f"wrote {len(model.index)} features and {len(casing)} words to {MODEL.relative_to(ROOT)} "
          f"({MODEL.stat().st_size // 1024} KiB)")  # fmt: skip
    for name in SETS:
        for part in ("valid", "test"):
            print(f"entity F1 on the {name} {part} split: {f1(model, split(name, part)):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
