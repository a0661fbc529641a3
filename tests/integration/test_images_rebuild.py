"""``kabar images rebuild`` on moto: the widths setting changes, the command queues the library,
ImagesFunction makes the new variants from the kept originals, and RenderFunction renders the
articles that use them again."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from kabar.table import keys
from kabar.table.codec import from_item, to_item
from kabar_infra.cli import images as cli
from tests.support.app import CDN_URL, App, article_file
from tests.support.photos import jpeg

NEW_WIDTHS = "320,480,640,960,1280,1920"
STORY = {
    "title": "Banjir Rendam Kampung Melayu",
    "image": {"src": "banjir.jpg", "alt": "Warga mengungsi dengan perahu karet"},
    "body": "Air naik sejak pagi.\n\n![Posko pengungsian di masjid](posko.jpg)\n\nWarga bertahan.\n",
}
SLUG = "banjir-rendam-kampung-melayu"


@pytest.fixture
def wider(app: App) -> App:
    """The same stack deployed again with a 480 px width in the setting."""
    return App(app.template, app.stack, {"CDN_URL": CDN_URL, "IMAGE_WIDTHS": NEW_WIDTHS})


def image_item(app: App, image_id: str) -> dict[str, Any]:
    item = app.dynamodb.get_item(TableName=app.stack.ref("ContentTable"), Key=to_item(keys.image(image_id)))
    return from_item(item["Item"])


def rebuild(app: App, state: Path, **options: Any) -> tuple[int, bool]:
    found = cli.rebuild(app.ops_target(), state, say=lambda line: None, **options)
    app.router.drain()
    return found


def test_a_new_width_reaches_every_image_and_the_documents_that_use_them(
    app: App, wider: App, tmp_path: Path
) -> None:
    photos = {"banjir.jpg": jpeg((2400, 1600)), "posko.jpg": jpeg((1000, 750))}
    upload_id = app.upload_with("banjir.md", article_file(**STORY), photos)
    assert app.status(upload_id)["state"] == "published"
    before = app.document(f"v1/articles/{SLUG}.json")
    assert before is not None and 480 not in {s["width"] for s in before["image"]["srcset"]}

    queued, finished = rebuild(wider, tmp_path / "state.json")
    assert (queued, finished) == (2, True)
    doc = wider.document(f"v1/articles/{SLUG}.json")
    assert doc is not None
    assert sorted({(s["width"], s["type"]) for s in doc["image"]["srcset"]}) == sorted(
        (w, t) for w in (320, 480, 640, 960, 1280, 1920) for t in ("image/jpeg", "image/webp")
    )
    new = [s["path"] for s in doc["image"]["srcset"] if s["width"] == 480]
    for path in new:
        head = wider.s3.head_object(Bucket=wider.site_bucket, Key=path)
        assert head["ContentType"] in ("image/webp", "image/jpeg")
        assert head["CacheControl"] == "public, max-age=31536000, immutable"
    body_image = re.search(r"<img [^>]*>", doc["body_html"])
    assert body_image is not None and "/480.jpg 480w" in body_image.group(), body_image.group()
    featured = image_item(wider, doc["image"]["id"])
    assert featured["rendered_widths"] == [320, 480, 640, 960, 1280, 1920]
    assert [v["width"] for v in featured["variants"] if v["width"] == 1200 and v.get("crop")]  # crops kept

    # A second run finds every variant made and every document rendered for these widths.
    items, site = wider.table_items(), wider.site_keys()
    assert rebuild(wider, tmp_path / "state.json") == (2, True)
    assert wider.table_items() == items and wider.site_keys() == site


def test_a_rebuild_stopped_part_way_goes_on_where_it_stopped(app: App, wider: App, tmp_path: Path) -> None:
    ids = [
        app.status(app.upload_with(f"foto-{n}.jpg", jpeg((800 + n, 600)), {}))["image"]["id"]
        for n in range(3)
    ]
    state = tmp_path / "state.json"
    assert rebuild(wider, state, limit=1, page=1) == (1, False)
    assert state.exists()
    done = [image_id for image_id in ids if 480 in image_item(wider, image_id)["widths"]]
    assert len(done) == 1
    assert rebuild(wider, state, page=1) == (2, True)
    assert not state.exists()
    assert all(480 in image_item(wider, image_id)["widths"] for image_id in ids)
    assert rebuild(wider, state, restart=True) == (3, True)


def test_every_article_using_an_image_is_rendered_again_step_by_step(
    app: App, wider: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kabar.workflows import image_rebuild

    monkeypatch.setattr(image_rebuild, "USERS_PER_MESSAGE", 1)  # a continuation message per article
    image_id = app.status(app.upload_with("pasar.jpg", jpeg((1600, 1200)), {}))["image"]["id"]
    titles = ["Harga Cabai Naik", "Harga Bawang Turun", "Pasar Induk Ramai"]
    for title in titles:
        upload = app.upload_with(
            "a.md", article_file(title=title, image={"src": image_id, "alt": "Pasar"}), {}
        )
        assert app.status(upload)["state"] == "published"
    users = wider.ops_target().stores.images.users(image_id, None, 10)[0]
    assert sorted(users) == ["harga-bawang-turun", "harga-cabai-naik", "pasar-induk-ramai"]
    rebuild(wider, tmp_path / "state.json")
    for slug in users:
        doc = wider.document(f"v1/articles/{slug}.json")
        assert doc is not None and 480 in {s["width"] for s in doc["image"]["srcset"]}, slug


def test_an_article_that_drops_an_image_leaves_its_users(app: App) -> None:
    image_id = app.status(app.upload_with("pasar.jpg", jpeg((1600, 1200)), {}))["image"]["id"]
    story = {"title": "Harga Cabai Naik", "image": {"src": image_id, "alt": "Pasar"}}
    app.upload_with("a.md", article_file(**story), {})
    images = app.ops_target().stores.images
    assert images.users(image_id, None, 10)[0] == ["harga-cabai-naik"]
    again = app.upload_with("a.md", article_file(title="Harga Cabai Naik", slug="harga-cabai-naik"), {})
    assert app.status(again)["state"] == "published"
    assert images.users(image_id, None, 10)[0] == []


def test_a_rebuild_that_stopped_before_rendering_renders_on_the_next_run(
    app: App, wider: App, tmp_path: Path
) -> None:
    """Variants stored, then a crash before the articles' render was queued: the image is behind
    (``rendered_widths``), and the next run renders them though it makes no variant."""
    from kabar.workflows import image_rebuild

    image_id = app.status(app.upload_with("pasar.jpg", jpeg((1600, 1200)), {}))["image"]["id"]
    app.upload_with(
        "a.md", article_file(title="Harga Cabai Naik", image={"src": image_id, "alt": "Pasar"}), {}
    )
    target = wider.ops_target()

    def crash(body: str) -> None:
        raise RuntimeError("the connection dropped")

    original = target.stores.images.get(image_id)
    assert original is not None

    def read(image: Any) -> bytes:
        return wider.s3.get_object(Bucket=wider.incoming_bucket, Key=image.original_key)["Body"].read()  # type: ignore[no-any-return]

    with pytest.raises(RuntimeError):
        image_rebuild.rebuild([image_id], library=target.stores.images, read_original=read,
                              write_file=lambda path, data, kind: wider.s3.put_object(
                                  Bucket=wider.site_bucket, Key=path, Body=data, ContentType=kind),
                              widths=(320, 480, 640, 960, 1280, 1920), rerender_later=crash)  # fmt: skip
    stored = image_item(wider, image_id)
    assert 480 in stored["widths"] and 480 not in stored["rendered_widths"]
    doc = wider.document("v1/articles/harga-cabai-naik.json")
    assert doc is not None and 480 not in {s["width"] for s in doc["image"]["srcset"]}

    rebuild(wider, tmp_path / "state.json")
    doc = wider.document("v1/articles/harga-cabai-naik.json")
    assert doc is not None and 480 in {s["width"] for s in doc["image"]["srcset"]}
    assert image_item(wider, image_id)["rendered_widths"] == [320, 480, 640, 960, 1280, 1920]


def test_an_article_with_more_images_than_its_index_holds_is_rejected_saying_so(app: App) -> None:
    body = "".join(f"![Foto {n}]({n:032x})\n\n" for n in range(26))
    upload_id = app.upload_with("galeri.md", article_file(title="Galeri Banjir", body=body), {})
    status = app.status(upload_id)
    assert status["state"] == "rejected"
    assert status["errors"] == [
        {
            "field": "body",
            "message": "the article uses 26 different images; at most 25 (the featured one and the body's): "
            "make a gallery of several articles",
        }
    ]


def test_a_step_that_keeps_failing_waits_in_the_dead_letter_queue_named(
    app: App, wider: App, tmp_path: Path
) -> None:
    from kabar_infra.cli import ops
    from tests.support.failures import queue_size, retry_at_once

    image_id = app.status(app.upload_with("pasar.jpg", jpeg((1600, 1200)), {}))["image"]["id"]
    table, key = app.stack.ref("ContentTable"), to_item(keys.image(image_id))
    gone = {":gone": {"S": "images/hilang/pasar.jpg"}}  # its original lost
    app.dynamodb.update_item(TableName=table, Key=key, ExpressionAttributeValues=gone,
                             UpdateExpression="SET original_key = :gone REMOVE original_version")  # fmt: skip
    retry_at_once(wider, "ImagesQueue")
    rebuild(wider, tmp_path / "state.json")
    assert queue_size(wider, "ImagesDeadLetterQueue") == 1
    [failure] = ops.failures(wider.ops_target(), "images")
    assert failure.names == "images rebuild: 1 images"
    assert failure.concerns == [f"image {image_id}"]
