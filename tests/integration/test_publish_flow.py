"""Upload -> PublishFunction -> table -> RenderFunction -> site bucket, on moto."""

from __future__ import annotations

import json

from kabar.table import Stores
from kabar.table.base import Table
from tests.support.app import CDN_URL, App, article_file
from tests.support.photos import jpeg


def test_a_valid_upload_is_published_and_rendered(app: App) -> None:
    upload_id = app.upload(
        "suriah.md",
        article_file(
            title="Tentara Suriah Rebut Kembali Jalur Aleppo",
            subtitle="Pasukan Gabungan Buka Jalan ke Utara",
            lead="Jalur utama Damaskus-Aleppo kembali dibuka.",
            category="Berita Suriah",
            dateline="DAMASKUS",
            author="Redaksi",
            editors="AL/RM",
            sources=["FNA"],
            tags=["Suriah", "Aleppo"],
            published_at="2026-11-20T09:30:00+07:00",
            body="Serangan darat **tentara Suriah** berhasil.\n\nParagraf kedua.\n",
        ),
    )
    status = app.status(upload_id)
    assert status["state"] == "published"
    assert status["errors"] == []
    slug = "tentara-suriah-rebut-kembali-jalur-aleppo"
    assert status["article"] == {
        "slug": slug,
        "version": 1,
        "status": "published",
        "path": f"v1/articles/{slug}.json",
        "url": f"{CDN_URL}/v1/articles/{slug}.json",
    }
    assert status["live"] is True

    doc = app.document(f"v1/articles/{slug}.json")
    assert doc is not None
    assert doc["title"] == "Tentara Suriah Rebut Kembali Jalur Aleppo"
    assert doc["subtitle"] == "Pasukan Gabungan Buka Jalan ke Utara"
    assert doc["lead"] == "Jalur utama Damaskus-Aleppo kembali dibuka."
    assert doc["category"] == {"name": "Berita Suriah", "slug": "berita-suriah"}
    assert doc["dateline"] == {"place": "DAMASKUS", "outlet": "Kabar"}
    assert doc["author"] == "Redaksi"
    assert doc["editors"] == ["AL", "RM"]
    assert doc["sources"] == ["FNA"]
    assert doc["credit_line"] == "(AL/RM/FNA)"
    # The editor's tags first, then suggestions from the text (TaggingFunction).
    assert doc["tags"][:2] == [
        {"name": "Suriah", "slug": "suriah", "path": "v1/tags/suriah.json"},
        {"name": "Aleppo", "slug": "aleppo", "path": "v1/tags/aleppo.json"},
    ]
    assert all(tag["path"] == f"v1/tags/{tag['slug']}.json" for tag in doc["tags"])
    assert doc["published_at"] == "2026-11-20T09:30:00+07:00"
    assert doc["body_html"] == (
        "<p>Serangan darat <strong>tentara Suriah</strong> berhasil.</p>\n<p>Paragraf kedua.</p>"
    )
    head = app.s3.head_object(Bucket=app.site_bucket, Key=f"v1/articles/{slug}.json")
    assert head["ContentType"] == "application/json; charset=utf-8"
    assert "s-maxage=86400" in head["CacheControl"]

    latest = app.document("v1/latest.json")
    assert latest is not None
    assert [a["slug"] for a in latest["articles"]] == [slug]
    assert latest["more"] is None  # one article: the newest page is the only one
    site = app.document("v1/site.json")
    assert site is not None and site["latest"] == "v1/latest.json"
    for kind, path in site["schemas"].items():
        schema = app.document(path)
        assert schema is not None and schema["$id"] == path, kind
    import jsonschema

    jsonschema.validate(doc, app.document(site["schemas"]["article"]))  # type: ignore[arg-type]
    jsonschema.validate(latest, app.document(site["schemas"]["latest"]))  # type: ignore[arg-type]
    assert app.document("v1/errors/404.json") == {
        "kind": "error",
        "status": 404,
        "message": "Halaman tidak ditemukan",
    }
    assert (
        "stale-while-revalidate"
        in app.s3.head_object(Bucket=app.site_bucket, Key="v1/latest.json")["CacheControl"]
    )


def test_an_invalid_upload_is_rejected_with_every_reason_and_kept(app: App) -> None:
    data = article_file(subtitle="Tanpa judul", status="maybe", titel="salah ketik")
    upload_id = app.upload("tanpa-judul.md", data)
    status = app.status(upload_id)
    assert status["state"] == "rejected"
    fields = {error["field"] for error in status["errors"]}
    assert fields == {"title", "status", "titel"}
    assert status["article"] is None
    original = app.s3.get_object(Bucket=app.incoming_bucket, Key=f"uploads/{upload_id}/tanpa-judul.md")
    assert original["Body"].read() == data
    assert app.site_keys() == []


def test_scripts_handlers_and_javascript_links_never_reach_a_document(app: App) -> None:
    body = (
        'Awal <script>alert("x")</script> teks.\n\n'
        '<p onclick="steal()">klik</p>\n\n'
        '[tautan](javascript:alert(1)) dan <a href="javascript:alert(2)">lain</a>\n\n'
        '<img src="foto.jpg" alt="Foto" onerror="alert(3)">\n'
    )
    # The image is one uploaded with the article (any other is refused): its handler goes, it stays.
    upload_id = app.upload_with(
        "xss.md", article_file(title="Uji Keamanan", body=body), {"foto.jpg": jpeg((400, 300))}
    )
    assert app.status(upload_id)["state"] == "published"
    for key in [key for key in app.site_keys() if key.endswith(".json")]:  # the documents, not the photo
        text = app.s3.get_object(Bucket=app.site_bucket, Key=key)["Body"].read().decode()
        lowered = text.lower()
        assert "<script" not in lowered and "onclick" not in lowered
        assert "javascript:" not in lowered and "onerror" not in lowered
    doc = app.document("v1/articles/uji-keamanan.json")
    assert doc is not None and "klik" in doc["body_html"] and 'alt="Foto" loading="lazy"' in doc["body_html"]


def test_a_replayed_s3_event_changes_nothing(app: App) -> None:
    upload_id = app.upload("satu.md", article_file(title="Satu Kali Saja"))
    key = f"uploads/{upload_id}/satu.md"
    message = {
        "Records": [
            {
                "eventName": "ObjectCreated:Post",
                "s3": {"bucket": {"name": app.incoming_bucket}, "object": {"key": key, "size": 10}},
            }
        ]
    }
    before = app.table_items()
    queue_url = app.stack.ref("PublishQueue")
    for _ in range(2):
        app.session.client("sqs").send_message(QueueUrl=queue_url, MessageBody=json.dumps(message))
    app.router.drain()
    assert app.table_items() == before
    stores = Stores.over(Table(app.stack.ref("ContentTable"), app.dynamodb))
    versions = stores.articles.versions("satu-kali-saja")
    assert versions == [1]


def test_an_update_with_the_slug_makes_a_new_version_and_replaces_the_document(app: App) -> None:
    app.upload("a.md", article_file(title="Harga Beras Naik", body="Versi pertama.\n"))
    upload_id = app.upload(
        "a.md",
        article_file(title="Harga Beras Naik Lagi", slug="harga-beras-naik", body="Versi kedua.\n"),
    )
    status = app.status(upload_id)
    assert status["state"] == "published" and status["article"]["version"] == 2
    doc = app.document("v1/articles/harga-beras-naik.json")
    assert doc is not None
    assert doc["version"] == 2 and doc["title"] == "Harga Beras Naik Lagi"
    assert "Versi kedua" in doc["body_html"]


def test_a_correction_noted_in_an_update_reaches_the_document_and_its_json_ld(app: App) -> None:
    first = {"title": "Inflasi November 2,4 Persen", "slug": "inflasi-november", "category": "Ekonomi",
             "published_at": "2026-11-20T09:00:00+07:00",
             "body": "Inflasi tahunan 2,4 persen.\n"}  # fmt: skip
    app.upload("inflasi.md", article_file(**first))
    noted = [{"at": "2026-11-20T14:00:00+07:00", "text": "Angka inflasi 2,1 persen."}]
    fixed = {**first, "title": "Inflasi November 2,1 Persen", "body": "Inflasi tahunan 2,1 persen.\n",
             "corrections": noted}  # fmt: skip
    status = app.status(app.upload("inflasi.md", article_file(**fixed)))
    assert status["state"] == "published" and status["article"]["version"] == 2
    doc = app.document("v1/articles/inflasi-november.json")
    assert doc is not None
    assert doc["url"] == f"{CDN_URL}/2026/11/20/inflasi-november/"
    assert doc["corrections"] == [{"at": "2026-11-20T14:00:00+07:00", "text": "Angka inflasi 2,1 persen."}]
    news = doc["structured_data"]["@graph"][0]
    assert news["correction"][0]["text"] == "Angka inflasi 2,1 persen." and news["headline"] == fixed["title"]
    assert news["dateModified"] >= doc["updated_at"] and news["datePublished"] == "2026-11-20T09:00:00+07:00"
    bad = {**first, "corrections": [{"text": "Tanpa waktu"}, "Ralat"]}
    status = app.status(app.upload("inflasi.md", article_file(**bad)))
    assert status["state"] == "rejected"
    assert {(e["field"], e["message"]) for e in status["errors"]} >= {
        ("corrections.0.at", "is required"),
        ("corrections.1", "must be a mapping: at (when, with a UTC offset) and text (what was corrected)"),
    }


def test_a_slug_clash_is_rejected_not_overwritten(app: App) -> None:
    app.upload("a.md", article_file(title="Gempa di Cianjur", body="Asli.\n"))
    upload_id = app.upload("b.md", article_file(title="Gempa di Cianjur", body="Lain.\n"))
    status = app.status(upload_id)
    assert status["state"] == "rejected"
    assert [e["field"] for e in status["errors"]] == ["slug"]
    assert "slug: gempa-di-cianjur" in status["errors"][0]["message"]
    doc = app.document("v1/articles/gempa-di-cianjur.json")
    assert doc is not None and "Asli" in doc["body_html"]


def test_unpublishing_removes_the_document_and_the_listing(app: App) -> None:
    app.upload("a.md", article_file(title="Berita Sementara", published_at="2026-10-05T08:00:00+07:00"))
    app.upload("b.md", article_file(title="Berita Tetap", published_at="2026-11-05T08:00:00+07:00"))
    assert app.document("v1/articles/berita-sementara.json") is not None
    listed = app.document("v1/latest.json")
    assert listed is not None
    assert [a["slug"] for a in listed["articles"]] == ["berita-tetap", "berita-sementara"]
    app.upload("a.md", article_file(title="Berita Sementara", slug="berita-sementara", status="draft"))
    assert app.document("v1/articles/berita-sementara.json") is None
    latest = app.document("v1/latest.json")
    assert latest is not None and [a["slug"] for a in latest["articles"]] == ["berita-tetap"]


def test_drafts_never_appear(app: App) -> None:
    upload_id = app.upload("d.md", article_file(title="Masih Draf", status="draft"))
    status = app.status(upload_id)
    assert status["state"] == "published" and status["article"]["status"] == "draft"
    assert app.document("v1/articles/masih-draf.json") is None
    latest = app.document("v1/latest.json")
    assert latest is None or latest["articles"] == []


def test_a_backdated_article_takes_its_place_in_the_list(app: App) -> None:
    app.upload("new.md", article_file(title="Berita November", published_at="2026-11-05T08:00:00+07:00"))
    app.upload("old.md", article_file(title="Berita Agustus", published_at="2026-08-05T08:00:00+07:00"))
    app.upload("mid.md", article_file(title="Berita Oktober", published_at="2026-10-05T08:00:00+07:00"))
    latest = app.document("v1/latest.json")
    assert latest is not None and latest["more"] is None
    assert [a["slug"] for a in latest["articles"]] == ["berita-november", "berita-oktober", "berita-agustus"]
