"""kabar.text.entities: BIO decoding, reproducible training, and the shipped model on sentences
written for this test."""

from __future__ import annotations

import gzip
import json

from kabar.text.entities import MODEL, TAGS, Entity, Recogniser, allowed, recogniser, spans


def test_bio_tags_mark_entities_and_an_inside_tag_needs_its_beginning() -> None:
    assert spans(["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-LOC"]) == [
        Entity("PER", 0, 2), Entity("LOC", 3, 4), Entity("LOC", 4, 6)]  # fmt: skip
    assert allowed("B-PER", "I-PER") and allowed("I-PER", "I-PER") and allowed("O", "B-ORG")
    assert not allowed("O", "I-PER") and not allowed("B-LOC", "I-PER") and not allowed("<s>", "I-ORG")


def test_training_is_reproducible_and_learns_what_it_is_shown() -> None:
    from kabar_infra.train_tagger import train

    sentences = [
        (["Jokowi", "ke", "Bandung", "."], ["B-PER", "O", "B-LOC", "O"]),
        (["Warga", "Bandung", "menyambut", "Jokowi"], ["O", "B-LOC", "O", "B-PER"]),
        (["Komisi", "Pemberantasan", "Korupsi", "memeriksa", "saksi"], ["B-ORG", "I-ORG", "I-ORG", "O", "O"]),
    ]
    weights = train(sentences, epochs=5)
    assert weights == train(sentences, epochs=5)
    model = Recogniser(weights)
    assert [model.tag(words) for words, _ in sentences] == [tags for _, tags in sentences]


def test_the_shipped_model_finds_people_and_places_in_news_sentences() -> None:
    with gzip.open(MODEL, "rt", encoding="utf-8") as handle:
        assert tuple(json.load(handle)["tags"]) == TAGS
    found = recogniser().entities("Presiden Joko Widodo meresmikan jalan tol baru di Jawa Barat, Senin.")
    assert ("PER", "Joko Widodo") in found and ("LOC", "Jawa Barat") in found
    found = recogniser().entities("Pasukan Suriah dan Rusia menyerang ISIS di dekat Aleppo.")
    assert {("LOC", "Suriah"), ("LOC", "Rusia"), ("LOC", "Aleppo")} <= set(found)
    assert recogniser().entities("Kemarin hujan deras mengguyur kota itu.") == []
