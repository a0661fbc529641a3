"""Publish -> TaggingFunction -> RelatedFunction -> RenderFunction: related lists, both directions."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kabar.table import Stores, keys
from kabar.table.base import Table
from kabar.table.codec import to_item
from kabar.text.relatedness import DEFAULT_MIN_SCORE
from tests.support.app import App, article_file
from tests.support.events import queued

FLOOD = [
    dict(
        title="Banjir Rendam Ribuan Rumah di Jakarta Timur",
        lead="Hujan deras semalaman membuat Kali Ciliwung meluap dan merendam permukiman warga.",
        category="Nasional",
        published_at="2026-11-10T07:00:00+07:00",
        body=(
            "Banjir merendam ribuan rumah di Kampung Melayu dan Bidara Cina setelah Kali Ciliwung meluap.\n\n"
            "Ketinggian air mencapai dua meter. Petugas BPBD DKI Jakarta mengevakuasi warga "
            "dengan perahu karet.\n\n"
            "Pengungsi ditampung di masjid dan sekolah terdekat. BPBD menyiapkan dapur umum.\n"
        ),
    ),
    dict(
        title="Pengungsi Banjir Ciliwung Mulai Terserang Penyakit",
        lead="Ribuan pengungsi banjir di Kampung Melayu mengeluhkan gatal dan diare.",
        category="Nasional",
        published_at="2026-11-11T09:00:00+07:00",
        body=(
            "Posko kesehatan di Kampung Melayu menerima ratusan pengungsi banjir yang sakit.\n\n"
            "Air Kali Ciliwung yang kotor menyebabkan penyakit kulit, kata petugas BPBD DKI Jakarta.\n\n"
            "Dinas Kesehatan mengirim obat dan tenaga medis ke tempat pengungsian banjir.\n"
        ),
    ),
    dict(
        title="Air Ciliwung Surut, Warga Kampung Melayu Bersihkan Rumah",
        lead="Banjir mulai surut dan warga kembali dari pengungsian.",
        category="Nasional",
        published_at="2026-11-12T16:00:00+07:00",
        body=(
            "Setelah tiga hari banjir, air Kali Ciliwung surut dari permukiman Kampung Melayu.\n\n"
            "Warga kembali dari pengungsian dan membersihkan lumpur dari rumah mereka.\n\n"
            "BPBD DKI Jakarta mengerahkan mobil pemadam untuk menyemprot lumpur di jalan.\n"
        ),
    ),
]
LATER_FLOOD = dict(
    title="Banjir Kiriman Kembali Ancam Kampung Melayu",
    lead="Tinggi muka air di Bendung Katulampa naik, BPBD DKI Jakarta minta warga Ciliwung waspada banjir.",
    category="Nasional",
    published_at="2026-11-20T06:00:00+07:00",
    body=(
        "BPBD DKI Jakarta memperingatkan warga bantaran Kali Ciliwung akan banjir kiriman dari Bogor.\n\n"
        "Warga Kampung Melayu yang pekan lalu mengungsi karena banjir mulai mengemasi barang.\n\n"
        "Petugas menyiagakan perahu karet dan posko pengungsian.\n"
    ),
)
FOOTBALL = dict(
    title="Timnas Indonesia Kalahkan Vietnam di Stadion Gelora Bung Karno",
    lead="Gol tunggal Marselino Ferdinan membawa Timnas Indonesia ke semifinal Piala AFF.",
    category="Olahraga",
    published_at="2026-11-11T21:00:00+07:00",
    body=(
        "Timnas Indonesia menang 1-0 atas Vietnam dalam laga Piala AFF di Stadion Gelora Bung Karno.\n\n"
        "Marselino Ferdinan mencetak gol pada menit ke-70 setelah menerima umpan dari Pratama Arhan.\n\n"
        "Pelatih Timnas Indonesia memuji disiplin pemain bertahan menghadapi serangan Vietnam.\n"
    ),
)


def slug_of(fields: dict[str, Any]) -> str:
    from kabar.slugs import slugify

    return slugify(str(fields["title"]))


def related_of(app: App, slug: str) -> list[str]:
    document = app.document(f"v1/articles/{slug}.json")
    assert document is not None, slug
    return [link["slug"] for link in document["related"]]


def publish(app: App, *articles: dict[str, Any]) -> list[str]:
    for number, fields in enumerate(articles):
        upload_id = app.upload(f"{number}.md", article_file(**fields))
        assert app.status(upload_id)["state"] == "published", app.status(upload_id)
    return [slug_of(fields) for fields in articles]


def table(app: App) -> Stores:
    return Stores.over(Table(app.stack.ref("ContentTable"), app.dynamodb))


def test_a_story_lists_its_other_articles_and_a_later_one_joins_the_older_lists(app: App) -> None:
    story = publish(app, *FLOOD)
    (other,) = publish(app, FOOTBALL)
    for slug in story:
        assert set(related_of(app, slug)) == set(story) - {slug}, slug
    assert other not in {s for slug in story for s in related_of(app, slug)}
    assert not set(related_of(app, other)) & set(story)

    (later,) = publish(app, LATER_FLOOD)
    assert set(related_of(app, later)) == set(story)
    for slug in story:
        # The older documents were rewritten: the newcomer is in each, best first by score.
        assert later in related_of(app, slug), slug
        stored = table(app).related.get(slug)
        assert stored is not None
        scores = [entry.score for entry in stored.auto]
        assert scores == sorted(scores, reverse=True) and all(score >= DEFAULT_MIN_SCORE for score in scores)
    document = app.document(f"v1/articles/{later}.json")
    assert document is not None
    first = document["related"][0]
    assert first["title"] and first["path"] == f"v1/articles/{first['slug']}.json" and not first["pinned"]


def test_too_few_good_candidates_give_a_shorter_list_not_noise(app: App) -> None:
    (flood,) = publish(app, FLOOD[0])
    (football,) = publish(app, FOOTBALL)
    assert related_of(app, flood) == [] and related_of(app, football) == []
    document = app.document(f"v1/articles/{flood}.json")
    assert document is not None and document["read_also"] == []


def test_pinned_articles_come_first_and_excluded_ones_never_appear(app: App) -> None:
    first, second, third = publish(app, *FLOOD)
    (football,) = publish(app, FOOTBALL)
    (later,) = publish(app, {**LATER_FLOOD, "related": [football], "exclude_related": [second]})
    assert related_of(app, later)[0] == football
    assert second not in related_of(app, later) and first in related_of(app, later)
    document = app.document(f"v1/articles/{later}.json")
    assert document is not None and document["related"][0]["pinned"] is True
    # Exclusion works both ways round: the later article does not enter the excluded one's list.
    assert later not in related_of(app, second)
    assert later in related_of(app, third)


def test_unpublishing_removes_an_article_from_every_list_it_is_in(app: App) -> None:
    story = publish(app, *FLOOD)
    (later,) = publish(app, LATER_FLOOD)
    assert all(later in related_of(app, slug) for slug in story)
    listed_by = table(app).related.listed_by(later, after=None, limit=10)
    assert set(listed_by) == set(story)  # the reverse index
    publish(app, {**LATER_FLOOD, "slug": later, "status": "draft"})
    for slug in story:
        assert later not in related_of(app, slug), slug
    assert table(app).related.listed_by(later, after=None, limit=10) == []
    assert table(app).related.get(later) is None
    assert app.document(f"v1/articles/{later}.json") is None


def test_unlisting_goes_through_the_reverse_index_in_bounded_chunks(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kabar.workflows import related

    story = publish(app, *FLOOD)
    (later,) = publish(app, LATER_FLOOD)
    monkeypatch.setattr(related, "UNLIST_CHUNK", 1)
    publish(app, {**LATER_FLOOD, "slug": later, "status": "draft"})
    assert all(later not in related_of(app, slug) for slug in story)
    progress = [item for item in app.table_items() if item["sk"]["S"] == "UNLIST"]
    # Three lists, one per invocation: two progress writes handed on the rest.
    assert len(progress) == 1 and progress[0]["rounds"]["N"] == str(len(story) - 1)


def stream_record(app: App, slug: str) -> dict[str, Any]:
    """A replay of the record of ``slug``'s tags (keys only, as the function needs)."""
    key = to_item(keys.article_tags(slug))
    return {
        "eventID": "replay", "eventName": "MODIFY", "eventSource": "aws:dynamodb",
        "eventSourceARN": app.stack.attributes["ContentTable"]["StreamArn"],
        "dynamodb": {"Keys": key, "NewImage": key, "SequenceNumber": "1",
                     "StreamViewType": "NEW_AND_OLD_IMAGES"},
    }  # fmt: skip


def test_a_replayed_record_changes_nothing(app: App) -> None:
    story = publish(app, *FLOOD)
    (later,) = publish(app, LATER_FLOOD)
    before = json.dumps(app.table_items(), sort_keys=True)
    documents = {key: app.document(key) for key in app.site_keys()}
    response = app.invoke(
        "RelatedFunction", queued("related", [stream_record(app, s) for s in [*story, later]])
    )
    assert response == {"batchItemFailures": []}
    assert json.dumps(app.table_items(), sort_keys=True) == before
    assert {key: app.document(key) for key in app.site_keys()} == documents


def test_read_also_links_are_spread_through_the_body(app: App) -> None:
    story = publish(app, *FLOOD)
    long_body = "".join(
        f"Paragraf {n} tentang banjir Kali Ciliwung di Kampung Melayu.\n\n" for n in range(1, 7)
    )
    (later,) = publish(app, {**LATER_FLOOD, "body": LATER_FLOOD["body"] + "\n" + long_body})
    document = app.document(f"v1/articles/{later}.json")
    assert document is not None
    paragraphs = document["body_html"].count("</p>")
    links = document["read_also"]
    assert len(links) == 2 and all(link["origin"] == "related" for link in links)
    assert [link["slug"] for link in links] == [link["slug"] for link in document["related"][:2]]
    positions = [link["after_paragraph"] for link in links]
    assert positions == sorted(set(positions)) and positions[0] >= 1 and positions[-1] < paragraphs
    # The editor's own read_also replaces the automatic ones.
    publish(
        app, {**LATER_FLOOD, "slug": later, "read_also": [story[2]], "body": LATER_FLOOD["body"] + long_body}
    )
    document = app.document(f"v1/articles/{later}.json")
    assert document is not None
    assert [(link["slug"], link["origin"]) for link in document["read_also"]] == [(story[2], "editor")]


def test_read_also_can_be_turned_off(stack: Any, template: Any) -> None:
    app = App(template, stack, {"READ_ALSO_AUTO": "0"})
    publish(app, *FLOOD)
    (later,) = publish(app, LATER_FLOOD)
    document = app.document(f"v1/articles/{later}.json")
    assert document is not None and document["related"] and document["read_also"] == []


def test_the_cli_computes_the_same_lists_as_the_function(
    app: App, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from kabar_infra.cli.main import main

    articles = [*FLOOD, FOOTBALL, LATER_FLOOD]
    slugs = publish(app, *articles)
    lines = []
    for slug, fields in zip(slugs, articles, strict=True):
        stored = table(app).tags.get(slug)
        assert stored is not None
        lines.append({"id": slug, "title": fields["title"], "lead": fields["lead"], "body": fields["body"],
                      "category": fields["category"], "published_at": fields["published_at"],
                      "tags": [tag.slug for tag in stored.tags]})  # fmt: skip
    source = tmp_path / "articles.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in reversed(lines)), encoding="utf-8")
    capsys.readouterr()
    assert main(["related", "compute", str(source)]) == 0
    computed = {line["id"]: line["related"] for line in map(json.loads, capsys.readouterr().out.splitlines())}
    assert set(computed) == set(slugs)
    for slug in slugs:
        stored_list = table(app).related.get(slug)
        assert stored_list is not None
        assert computed[slug] == [{"id": e.slug, "score": e.score} for e in stored_list.auto], slug
