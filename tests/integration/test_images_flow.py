"""Photos end to end on moto: POST /uploads with images -> ImagesFunction -> library and variants ->
PublishFunction (waiting for its images when it must) -> RenderFunction's documents."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from kabar.table import keys
from kabar.table.codec import to_item
from tests.support.app import CDN_URL, App, article_file
from tests.support.photos import SVG_WITH_SCRIPT, jpeg, metadata_of, png_claiming
from tests.support.structured import article_problems

STORY = {
    "title": "Banjir Rendam Kampung Melayu",
    "lead": "Air setinggi dua meter merendam ratusan rumah.",
    "image": {
        "src": "banjir.jpg",
        "alt": "Warga mengungsi dengan perahu karet",
        "caption": "Banjir di Kampung Melayu",
        "credit": "Foto: Redaksi",
    },
    "body": "Air naik sejak pagi.\n\n"
    '![Posko pengungsian di masjid](posko.jpg "Posko di Masjid Al-Ikhlas")\n\n'
    "Warga bertahan di lantai dua.\n",
}
SLUG = "banjir-rendam-kampung-melayu"


def photos() -> dict[str, bytes]:
    return {"banjir.jpg": jpeg((2400, 1600), gps=True), "posko.jpg": jpeg((1000, 750), orientation=6)}


def test_an_article_and_its_photos_are_published_as_one_upload_with_every_variant(app: App) -> None:
    images = photos()
    upload_id = app.upload_with("banjir.md", article_file(**STORY), images)
    status = app.status(upload_id)
    assert status["state"] == "published", status
    assert status["live"] is True
    featured = status["files"]["banjir.jpg"]
    assert featured["state"] == "stored"
    assert featured["image"]["id"] == hashlib.sha256(images["banjir.jpg"]).hexdigest()[:32]
    assert (featured["image"]["width"], featured["image"]["height"]) == (2400, 1600)
    assert status["files"]["posko.jpg"]["image"]["width"] == 750  # turned upright: 1000 x 750 on its side

    doc = app.document(f"v1/articles/{SLUG}.json")
    assert doc is not None
    image = doc["image"]
    assert (image["alt"], image["caption"], image["credit"]) == (
        "Warga mengungsi dengan perahu karet",
        "Banjir di Kampung Melayu",
        "Foto: Redaksi",
    )
    assert (image["width"], image["height"]) == (2400, 1600)
    assert sorted({(s["width"], s["type"]) for s in image["srcset"]}) == sorted(
        (w, t) for w in (320, 640, 960, 1280, 1920) for t in ("image/jpeg", "image/webp")
    )
    assert image["src"].endswith("/1280.jpg")
    assert [(c["ratio"], c["width"]) for c in image["crops"]] == [
        ("16x9", 1200),
        ("4x3", 1200),
        ("1x1", 1200),
    ]
    # The structured data names the three crops, at the CDN's address, as Google asks.
    news = doc["structured_data"]["@graph"][0]
    assert news["image"] == [f"{CDN_URL}/{crop['path']}" for crop in image["crops"]]
    assert article_problems(news) == []
    for source in [*image["srcset"], *image["crops"]]:
        head = app.s3.head_object(Bucket=app.site_bucket, Key=source["path"])
        assert head["ContentType"] == source.get("type", "image/jpeg")
        assert head["CacheControl"] == "public, max-age=31536000, immutable"
        data = app.s3.get_object(Bucket=app.site_bucket, Key=source["path"])["Body"].read()
        found = metadata_of(data)
        assert found["exif"] == {} and found["gps"] == {} and b"SN-0042" not in data, source["path"]

    # The body's image: a figure with its caption, <picture> with WebP and JPEG srcset.
    html = doc["body_html"]
    assert '<figure><picture><source type="image/webp" srcset="' in html
    img = re.search(r"<img [^>]*>", html)
    assert img is not None
    tag = img.group()
    for attribute in (
        'alt="Posko pengungsian di masjid"',
        'width="750"',
        'height="1000"',
        'loading="lazy"',
        "sizes=",
        f'src="{CDN_URL}/v1/images/',
    ):
        assert attribute in tag, (attribute, tag)
    assert re.search(r'srcset="[^"]+/320\.jpg 320w, [^"]+/640\.jpg 640w"', tag), tag
    assert "<figcaption>Posko di Masjid Al-Ikhlas</figcaption></figure>" in html

    latest = app.document("v1/latest.json")
    assert latest is not None
    thumbnail = latest["articles"][0]["image"]
    assert thumbnail["alt"] == "Warga mengungsi dengan perahu karet"
    assert {s["width"] for s in thumbnail["srcset"]} == {320, 640}
    import jsonschema

    site = app.document("v1/site.json")
    assert site is not None
    jsonschema.validate(doc, app.document(site["schemas"]["article"]))  # type: ignore[arg-type]
    jsonschema.validate(latest, app.document(site["schemas"]["latest"]))  # type: ignore[arg-type]


def test_an_article_read_before_its_photos_waits_then_is_published_when_the_last_one_is_stored(
    app: App,
) -> None:
    upload_id = app.upload_with("banjir.md", article_file(**STORY), photos(), article_first=True, post=())
    status = app.status(upload_id)
    assert status["state"] == "waiting"
    assert app.document(f"v1/articles/{SLUG}.json") is None
    # The photos come: the last one stored hands the article back to PublishFunction.
    upload = app.dynamodb.get_item(
        TableName=app.stack.ref("ContentTable"),
        Key=to_item(keys.upload(upload_id)),
    )["Item"]
    for name, data in photos().items():
        app.s3.put_object(
            Bucket=app.incoming_bucket, Key=upload["files"]["M"][name]["M"]["key"]["S"], Body=data
        )
        app.router.drain()
    assert app.status(upload_id)["state"] == "published"
    assert app.document(f"v1/articles/{SLUG}.json") is not None


def test_a_waiting_article_whose_photo_never_comes_is_rejected_naming_it(app: App) -> None:
    upload_id = app.upload_with("banjir.md", article_file(**STORY), photos(), post=("posko.jpg",))
    assert app.status(upload_id)["state"] == "waiting"
    app.dynamodb.update_item(
        TableName=app.stack.ref("ContentTable"),
        Key=to_item(keys.upload(upload_id)),
        UpdateExpression="SET waiting_until = :past",
        ExpressionAttributeValues={":past": {"S": "2026-01-01T00:00:00Z"}},
    )
    status = app.status(upload_id)
    assert status["state"] == "rejected"
    assert [e["field"] for e in status["errors"]] == ["files.banjir.jpg"]
    assert "banjir.jpg was not processed" in status["errors"][0]["message"]
    kept = app.s3.list_objects_v2(Bucket=app.incoming_bucket, Prefix="uploads/")["Contents"]
    assert [k["Key"] for k in kept] == [f"uploads/{upload_id}/banjir.md"]  # the original is kept


def test_missing_alt_text_an_unknown_file_and_a_refused_photo_are_every_reason(app: App) -> None:
    story = {
        **STORY,
        "image": {"src": "hilang.jpg", "alt": "Warga"},
        "body": "Air naik.\n\n![](posko.jpg)\n\n![Logo](logo.svg)\n",
    }
    upload_id = app.upload_with(
        "banjir.md", article_file(**story), {"posko.jpg": jpeg((800, 600)), "logo.svg": SVG_WITH_SCRIPT}
    )
    status = app.status(upload_id)
    assert status["state"] == "rejected"
    reasons = [(e["field"], e["message"]) for e in status["errors"]]
    assert reasons[0][0] == "image.src" and "'hilang.jpg' was not uploaded with the article" in reasons[0][1]
    assert any("image 1 (posko.jpg) in the body: needs alt text" in message for _, message in reasons)
    assert any("logo.svg was refused: logo.svg is an SVG drawing" in message for _, message in reasons), (
        reasons
    )
    assert status["files"]["logo.svg"]["state"] == "rejected"
    assert app.document(f"v1/articles/{SLUG}.json") is None

    _, missing_alt = app.api("POST", "/uploads", {"filename": "b.md"})
    assert missing_alt  # the featured image's alt is checked with the front matter
    no_alt = app.upload_with(
        "b.md", article_file(title="Tanpa Alt", image={"src": "posko.jpg"}), {"posko.jpg": jpeg((800, 600))}
    )
    assert [e["field"] for e in app.status(no_alt)["errors"]] == ["image.alt"]


def test_an_image_alone_goes_to_the_library_once_and_any_article_can_name_it(app: App) -> None:
    data = jpeg((1600, 1200))
    first = app.upload_with("pasar.jpg", data, {})
    status = app.status(first)
    assert status["state"] == "stored", status
    image_id = status["image"]["id"]
    assert image_id == hashlib.sha256(data).hexdigest()[:32]
    written = {key: head(app, key) for key in app.site_keys() if key.startswith("v1/images/")}
    assert len(written) == 4 * 2 + 3  # 320..1280 (narrower than 1600) in two kinds, three crops

    again = app.status(app.upload_with("pasar-lagi.jpg", data, {}))
    assert again["state"] == "stored" and again["image"]["id"] == image_id
    assert {key: head(app, key) for key in app.site_keys() if key.startswith("v1/images/")} == written

    article = app.upload_with(
        "pasar.md",
        article_file(
            title="Harga Cabai Naik", image={"src": image_id, "alt": "Pedagang cabai di Pasar Induk"}
        ),
        {},
    )
    assert app.status(article)["state"] == "published"
    doc = app.document("v1/articles/harga-cabai-naik.json")
    assert doc is not None and doc["image"]["id"] == image_id

    unknown = app.upload_with(
        "x.md", article_file(title="Tanpa Foto", image={"src": "0" * 32, "alt": "X"}), {}
    )
    assert "no image 000" in app.status(unknown)["errors"][0]["message"]


def test_a_bomb_is_refused_with_its_reason_and_kept(app: App) -> None:
    upload_id = app.upload_with("besar.png", png_claiming(10_000, 10_000), {})
    status = app.status(upload_id)
    assert status["state"] == "rejected"
    assert "10000 x 10000 pixels, over the limit" in status["errors"][0]["message"]
    kept = app.s3.list_objects_v2(Bucket=app.incoming_bucket, Prefix=f"images/{upload_id}/")["Contents"]
    assert [k["Key"] for k in kept] == [f"images/{upload_id}/besar.png"]
    assert not [key for key in app.site_keys() if key.startswith("v1/images/")]


def test_a_replayed_image_event_changes_nothing(app: App) -> None:
    upload_id = app.upload_with("pasar.jpg", jpeg((800, 600)), {})
    before, site = app.table_items(), app.site_keys()
    key = f"images/{upload_id}/pasar.jpg"
    event = {
        "Records": [
            {
                "eventName": "ObjectCreated:Post",
                "s3": {"bucket": {"name": app.incoming_bucket}, "object": {"key": key, "size": 1}},
            }
        ]
    }
    app.session.client("sqs").send_message(
        QueueUrl=app.stack.ref("ImagesQueue"), MessageBody=json.dumps(event)
    )
    app.router.drain()
    assert app.table_items() == before and app.site_keys() == site


def head(app: App, key: str) -> Any:
    return app.s3.head_object(Bucket=app.site_bucket, Key=key)["LastModified"]
