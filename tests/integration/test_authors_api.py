"""On moto, through the template's handlers: a byline of several authors publishes each author's
document and feeds; editors set an author's profile (``PUT /authors/{slug}``), which the author's
document shows once the profile's stream record reaches RenderFunction; bad profiles are 400s."""

from __future__ import annotations

import feedparser

from tests.support.app import App, article_file


def test_each_author_of_a_byline_gets_a_document_and_feeds(app: App) -> None:
    app.upload("a.md", article_file(title="Harga Cabai Turun", author=["Dewi Lestari", "Bagus Pratama"]))
    article = app.document("v1/articles/harga-cabai-turun.json")
    assert article is not None and article["author"] == "Dewi Lestari dan Bagus Pratama"
    assert [a["slug"] for a in article["authors"]] == ["dewi-lestari", "bagus-pratama"]
    for slug in ("dewi-lestari", "bagus-pratama"):
        author = app.document(f"v1/authors/{slug}.json")
        assert author is not None and author["count"] == 1
        assert [a["url"] for a in author["articles"]] == [article["url"]]
        feed = feedparser.parse(app.document(f"v1/authors/{slug}/feed.xml")["text"])  # type: ignore[index]
        assert not feed.bozo and [e.link for e in feed.entries] == [article["url"]]
    app.upload(
        "b.md", article_file(title="Harga Cabai Turun", slug="harga-cabai-turun", author="Dewi Lestari")
    )
    assert app.document("v1/authors/bagus-pratama.json") is None  # no article left, no profile
    assert app.document("v1/authors/bagus-pratama/feed.xml") is None


def test_an_editor_sets_a_profile_and_the_authors_document_shows_it(app: App) -> None:
    profile = {"name": "Dewi Lestari", "bio": "Wartawan ekonomi sejak 2015.", "url": "https://x.example/dewi"}
    status, stored = app.api("PUT", "/authors/dewi-lestari", profile)
    assert status == 200 and stored == profile | {"image": None}
    app.router.drain()  # the profile's stream record: RenderFunction writes the author's document
    author = app.document("v1/authors/dewi-lestari.json")
    assert author is not None and author["profile"] == stored and author["articles"] == []
    app.upload("a.md", article_file(title="Harga Cabai Turun", author="DEWI LESTARI"))
    author = app.document("v1/authors/dewi-lestari.json")
    assert author is not None and author["name"] == "Dewi Lestari" and author["count"] == 1
    assert app.api("GET", "/authors/dewi-lestari") == (200, stored)


def test_a_profile_that_is_not_one_is_refused_naming_each_field(app: App) -> None:
    bad = {"name": "<b>Dewi</b>", "url": "http://x.example", "image": "javascript:alert(1)", "twitter": "@d"}
    status, body = app.api("PUT", "/authors/dewi-lestari", bad)
    assert status == 400
    assert {e["field"] for e in body["errors"]} == {"name", "url", "image", "twitter"}
    assert app.api("PUT", "/authors/Dewi_Lestari", {"name": "Dewi"})[0] == 400
    assert app.api("GET", "/authors/dewi-lestari")[0] == 404  # nothing stored
    assert app.api("PUT", "/authors/dewi-lestari", {"name": "Dewi"}, groups="moderators")[0] == 403
