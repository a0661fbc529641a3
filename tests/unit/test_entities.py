"""kabar.text.entities: BIO decoding, reproducible training, the model file, and the shipped model on
sentences written for this test."""

from __future__ import annotations

from kabar.text.entities import MODEL, TAGS, Entity, Recogniser, allowed, dump, load, recogniser, shape, spans


def test_bio_tags_mark_entities_and_an_inside_tag_needs_its_beginning() -> None:
    assert spans(["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-LOC"]) == [
        Entity("PER", 0, 2), Entity("LOC", 3, 4), Entity("LOC", 4, 6)]  # fmt: skip
    assert allowed("B-PER", "I-PER") and allowed("I-PER", "I-PER") and allowed("O", "B-ORG")
    assert not allowed("O", "I-PER") and not allowed("B-LOC", "I-PER") and not allowed("<s>", "I-ORG")


def test_word_shapes() -> None:
    assert [shape(w) for w in ("Jokowi", "KPK", "pasar", "2026", "G30S", "e-KTP")] == [
        "Xx",
        "X",
        "x",
        "d",
        "XdX",
        "x-X",
    ]


SENTENCES = [
    (["Jokowi", "ke", "Bandung", "."], ["B-PER", "O", "B-LOC", "O"]),
    (["Warga", "Bandung", "menyambut", "Jokowi"], ["O", "B-LOC", "O", "B-PER"]),
    (["Komisi", "Pemberantasan", "Korupsi", "memeriksa", "saksi"], ["B-ORG", "I-ORG", "I-ORG", "O", "O"]),
]
CASING = {"bandung": "always", "warga": "rarely", "komisi": "mostly"}


def test_training_is_reproducible_and_learns_what_it_is_shown() -> None:
    from kabar_infra.train_tagger import train

    model = train(SENTENCES, CASING, epochs=5, prune=0)
    again = train(SENTENCES, CASING, epochs=5, prune=0)
    assert (model.index, list(model.weights)) == (again.index, list(again.weights))
    assert [model.tag(words) for words, _ in SENTENCES] == [tags for _, tags in SENTENCES]


def test_a_kind_a_set_does_not_annotate_is_not_taught_as_o() -> None:
    from kabar_infra.train_tagger import train

    # The second set calls KPK "O" only because it never marks organisations.
    taught = [(["KPK", "memeriksa", "saksi"], ["B-ORG", "O", "O"])] * 3 + [
        (["KPK", "datang"], ["O", "O"])
    ] * 6
    plain = train(taught, {}, epochs=5, prune=0)
    partial = train(taught, {}, epochs=5, unannotated=[frozenset()] * 3 + [frozenset({"ORG"})] * 6, prune=0)
    assert plain.tag(["KPK", "datang"]) == ["O", "O"]
    assert partial.tag(["KPK", "datang"]) == ["B-ORG", "O"]


def test_the_model_file_keeps_what_was_trained() -> None:
    from kabar_infra.train_tagger import train

    model = train(SENTENCES, CASING, epochs=5, prune=0)
    data = dump(model.index, model.weights, model.casing)
    assert data == dump(
        model.index, model.weights, model.casing
    )  # no timestamp: the same model, the same file
    loaded = load(data)
    assert {word: loaded.casing.get(word) for word in CASING} == CASING and set(loaded.index) == set(
        model.index
    )
    assert (
        loaded.casing.get("jakarta") is None and "warga" in loaded.casing and "jakarta" not in loaded.casing
    )
    assert [loaded.tag(words) for words, _ in SENTENCES] == [model.tag(words) for words, _ in SENTENCES]


def test_the_shipped_model_finds_people_places_and_organisations_in_news_sentences() -> None:
    model = recogniser()
    assert isinstance(model, Recogniser) and MODEL.stat().st_size < 3_000_000
    found = model.entities("Presiden Joko Widodo meresmikan jalan tol baru di Jawa Barat, Senin.")
    assert ("PER", "Joko Widodo") in found and ("LOC", "Jawa Barat") in found
    found = model.entities("Pasukan Suriah dan Rusia menyerang ISIS di dekat Aleppo.")
    assert {"Suriah", "Rusia", "Aleppo", "ISIS"} <= {text for _, text in found}
    assert model.entities("Kemarin hujan deras mengguyur kota itu.") == []
    assert model.entities("Serangan itu terjadi pada Kamis pagi di pasar.") == []
    assert TAGS[0] == "O"
