"""``make train-tagger``: train the entity recogniser (:mod:`kabar.text.entities`) on IndoNLU.

Reads NERGrit (cased: PERSON, PLACE, ORGANISATION) and NER-P (news, lower-cased: PPL, PLC, IND, EVT,
FNB) from ``../shared/data/indonlu``, maps their labels to PER, LOC, ORG and EVT (NER-P's food and
drink are not tags), trains an averaged perceptron for :data:`EPOCHS` passes over both train
splits in a fixed order (the same data gives the same weights), keeps the weights that matter
(:data:`PRUNE`, rounded), writes ``shared/kabar/text/data/entities.json.gz`` and prints the entity
F1 (exact spans and kinds) on each test split.
"""

from __future__ import annotations

import gzip
import json
import random
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from kabar.text.entities import MODEL, TAGS, Recogniser, features, spans

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "indonlu"
SETS = {"NERGrit": "nergrit_ner-grit", "NER-P": "nerp_ner-prosa"}
LABELS = {"PERSON": "PER", "PLACE": "LOC", "ORGANISATION": "ORG", "PPL": "PER", "PLC": "LOC", "IND": "ORG",
          "EVT": "EVT"}  # fmt: skip
EPOCHS = 5
PRUNE = 0.02
Sentence = tuple[list[str], list[str]]


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


def train(sentences: Sequence[Sentence], epochs: int = EPOCHS) -> dict[str, list[float]]:
    """Averaged perceptron weights. Each update is on the features the decoder saw (its own tags
    before the word), so that it learns to recover from its mistakes."""
    index = {tag: n for n, tag in enumerate(TAGS)}
    weights: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(TAGS))
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(TAGS))
    stamps: dict[str, list[int]] = defaultdict(lambda: [0] * len(TAGS))
    decoder = Recogniser(weights)
    step = 0
    order = list(range(len(sentences)))
    for epoch in range(epochs):
        random.Random(epoch).shuffle(order)  # noqa: S311 (an order of training sentences, not a secret)
        for n in order:
            words, gold = sentences[n]
            guess = decoder.tag(words)
            step += 1
            for position, (got, want) in enumerate(zip(guess, gold, strict=True)):
                if got == want:
                    continue
                previous = guess[position - 1] if position else "<s>"
                before = guess[position - 2] if position > 1 else "<s>"
                for feature in features(words, position, previous, before):
                    for tag, delta in ((want, 1.0), (got, -1.0)):
                        t = index[tag]
                        totals[feature][t] += (step - stamps[feature][t]) * weights[feature][t]
                        stamps[feature][t] = step
                        weights[feature][t] += delta
    averaged = {}
    for feature, row in weights.items():
        mean = [(totals[feature][t] + (step - stamps[feature][t]) * row[t]) / step for t in range(len(TAGS))]
        if max(abs(weight) for weight in mean) >= PRUNE:
            averaged[feature] = [round(weight, 3) for weight in mean]
    return dict(sorted(averaged.items()))


def f1(model: Recogniser, sentences: Sequence[Sentence]) -> float:
    """Entity F1: a found entity counts when its span and kind are the annotated one's."""
    found = wanted = right = 0
    for words, gold in sentences:
        got, want = set(spans(model.tag(words))), set(spans(gold))
        found, wanted, right = found + len(got), wanted + len(want), right + len(got & want)
    return 2 * right / max(1, found + wanted)


def main() -> int:
    if not DATA.exists():
        print(f"train-tagger: {DATA} is not there; the committed model stays", file=sys.stderr)
        return 1
    weights = train([s for folder in SETS.values() for s in read(DATA / folder / "train_preprocess.txt")])
    with MODEL.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed:
        packed.write(json.dumps({"tags": list(TAGS), "weights": weights}, separators=(",", ":")).encode())
    print(f"wrote {len(weights)} features to {MODEL.relative_to(ROOT)} ({MODEL.stat().st_size // 1024} KiB)")
    model = Recogniser(weights)
    for name, folder in SETS.items():
        score = f1(model, read(DATA / folder / "test_preprocess.txt"))
        print(f"entity F1 on the {name} test split: {score:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
