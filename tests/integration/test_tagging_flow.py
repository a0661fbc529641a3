"""Publish -> TaggingFunction -> memberships and counts -> RenderFunction -> tag documents."""

from __future__ import annotations

from kabar.models import VocabularyEntry
from kabar.table import Stores, keys
from kabar.table.base import Table
from kabar.table.codec import to_item
from kabar.workflows.vocabulary import store_entry
from tests.support.app import App, article_file
from tests.support.events import queued

ALEPPO = dict(
    title="ISIS Kocar-kacir Hadapi Serangan Gabungan di Aleppo",
    lead="Ratusan anggota ISIS melarikan diri dari Aleppo utara setelah serangan tentara Suriah.",
    published_at="2026-11-20T10:00:00+07:00",
    body=(
        "Serangan darat tentara Suriah didukung jet tempur Rusia dan pasukan Hizbullah.\n\n"
        "Menurut sumber intelijen, kelompok ISIS kehilangan banyak posisi di sekitar Aleppo. "
        "Pasukan Hizbullah bergerak bersama tentara Suriah, sementara jet Rusia menyerang dari udara.\n\n"
        "Komandan lapangan mengatakan operasi akan berlanjut ke Idlib.\n"
    ),
)
SEED_TAGS = {"isis", "suriah", "rusia", "hizbullah", "aleppo"}
# The recogniser misses "pasukan Hizbullah" in this text; a newsroom's vocabulary (the local stack's
# examples/vocabulary.yaml) knows the name, and a name the vocabulary knows is a tag wherever it stands.
HIZBULLAH = VocabularyEntry("hizbullah", "Hizbullah", aliases=("Hezbollah",))


def table(app: App) -> Stores:
    return Stores.over(Table(app.stack.ref("ContentTable"), app.dynamodb))


def tag_slugs(app: App, slug: str) -> set[str]:
    doc = app.document(f"v1/articles/{slug}.json")
    assert doc is not None
    return {tag["slug"] for tag in doc["tags"]}


def listed(app: App, tag: str) -> list[str]:
    doc = app.document(f"v1/tags/{tag}.json")
    return [] if doc is None else [a["slug"] for a in doc["articles"]]


def test_an_article_without_tags_gets_its_main_entities_and_each_tag_lists_it(app: App) -> None:
    store_entry(HIZBULLAH, vocabulary=table(app).vocabulary)
    app.upload("aleppo.md", article_file(**ALEPPO))
    slug = "isis-kocar-kacir-hadapi-serangan-gabungan-di-aleppo"
    assert tag_slugs(app, slug) >= SEED_TAGS
    stored = table(app).tags.get(slug)
    assert stored is not None and stored.version == 1
    assert all(0 < tag.score <= 1 for tag in stored.tags)
    assert {t.slug: t.origin for t in stored.tags if t.slug in SEED_TAGS} == {
        "isis": "suggested", "suriah": "suggested", "rusia": "suggested", "aleppo": "suggested",
        "hizbullah": "vocabulary"}  # fmt: skip
    assert len(stored.tags) <= 8
    for tag in SEED_TAGS:
        doc = app.document(f"v1/tags/{tag}.json")
        assert doc is not None, tag
        assert doc["kind"] == "tag" and doc["count"] == 1
        assert [a["slug"] for a in doc["articles"]] == [slug]
        assert doc["more"] is None  # one article: no older page
    tags = app.document("v1/tags.json")
    assert tags is not None
    counts = {t["slug"]: t["count"] for t in tags["tags"]}
    assert all(counts[tag] == 1 for tag in SEED_TAGS)
    assert app.document("v1/site.json")["tags"] == "v1/tags.json"  # type: ignore[index]


def test_tags_count_every_article_and_list_newest_first(app: App) -> None:
    app.upload("a.md", article_file(**ALEPPO))
    second = {**ALEPPO, "title": "Jet Rusia Kembali Serang Posisi ISIS",
              "published_at": "2026-11-22T10:00:00+07:00"}  # fmt: skip
    app.upload("b.md", article_file(**second))
    assert listed(app, "isis") == [
        "jet-rusia-kembali-serang-posisi-isis",
        "isis-kocar-kacir-hadapi-serangan-gabungan-di-aleppo",
    ]
    assert app.document("v1/tags/isis.json")["count"] == 2  # type: ignore[index]


def test_editing_an_article_retags_it(app: App) -> None:
    store_entry(HIZBULLAH, vocabulary=table(app).vocabulary)
    app.upload("a.md", article_file(**ALEPPO))
    slug = "isis-kocar-kacir-hadapi-serangan-gabungan-di-aleppo"
    assert slug in listed(app, "hizbullah")
    body = "Warga Aleppo menyambut bantuan dari Damaskus. Truk dari Damaskus tiba pagi ini.\n"
    edited = {**ALEPPO, "slug": slug, "body": body}
    app.upload("a.md", article_file(**edited))
    now = tag_slugs(app, slug)
    assert "damaskus" in now and "hizbullah" not in now
    assert listed(app, "hizbullah") == []  # its only article left: the tag page is gone
    assert slug in listed(app, "damaskus")
    counts = {t["slug"]: t["count"] for t in app.document("v1/tags.json")["tags"]}  # type: ignore[index]
    assert "hizbullah" not in counts and counts["damaskus"] == 1


def test_unpublishing_removes_the_article_from_its_tags(app: App) -> None:
    store_entry(HIZBULLAH, vocabulary=table(app).vocabulary)
    app.upload("a.md", article_file(**ALEPPO))
    slug = "isis-kocar-kacir-hadapi-serangan-gabungan-di-aleppo"
    app.upload("a.md", article_file(**ALEPPO, slug=slug, status="draft"))
    for tag in SEED_TAGS:
        assert listed(app, tag) == [], tag
    assert app.document("v1/tags.json")["tags"] == []  # type: ignore[index]


def test_an_alias_is_listed_under_its_canonical_tag(app: App) -> None:
    store_entry(VocabularyEntry("lebanon", "Lebanon", aliases=("Libanon",)), vocabulary=table(app).vocabulary)
    app.upload("l.md", article_file(title="Pengungsi Pulang dari Perbatasan", tags=["Libanon"],
                                     body="Warga kembali ke rumah.\n"))  # fmt: skip
    slug = "pengungsi-pulang-dari-perbatasan"
    doc = app.document(f"v1/articles/{slug}.json")
    assert doc is not None
    assert doc["tags"][0] == {"name": "Lebanon", "slug": "lebanon", "path": "v1/tags/lebanon.json"}
    assert listed(app, "lebanon") == [slug]
    assert app.document("v1/tags/libanon.json") is None


def test_a_replayed_stream_record_changes_nothing(app: App) -> None:
    app.upload("a.md", article_file(**ALEPPO))
    before = app.table_items()
    slug = "isis-kocar-kacir-hadapi-serangan-gabungan-di-aleppo"
    change = {
        "Keys": to_item(keys.article(slug)),
        "SequenceNumber": "1",
        "StreamViewType": "NEW_AND_OLD_IMAGES",
    }
    record = {"eventID": "1", "eventName": "MODIFY", "eventSource": "aws:dynamodb", "dynamodb": change}
    response = app.invoke("TaggingFunction", queued("tagging", [record, record]))
    assert response == {"batchItemFailures": []}
    assert app.table_items() == before


def test_suggestions_can_wait_for_an_editor(app: App) -> None:
    app.invoke.environments["TaggingFunction"]["SUGGESTED_TAGS"] = "review"
    store_entry(VocabularyEntry("suriah", "Suriah"), vocabulary=table(app).vocabulary)
    app.upload("a.md", article_file(**ALEPPO, tags=["Perang"]))
    slug = "isis-kocar-kacir-hadapi-serangan-gabungan-di-aleppo"
    assert tag_slugs(app, slug) == {"perang", "suriah"}  # the editor's, and the vocabulary's
    stored = table(app).tags.get(slug)
    assert stored is not None and {"isis", "rusia", "aleppo"} <= {t.slug for t in stored.pending}
    assert listed(app, "isis") == []
