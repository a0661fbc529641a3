"""Authors as lists: each author's document with its pages, feeds and profile, an article of
several authors in each of their lists, and an article that loses an author or is taken down
leaving them; the profile's stream record as the change that re-renders the author's document."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser

from kabar.dispatch import RENDER, decode, encode, routes
from kabar.documents import AuthorProfile
from kabar.events import AuthorChanged, table_change
from kabar.models import AuthorRef, byline_text
from kabar.table import keys
from kabar.urls import SiteUrls
from kabar.workflows.render.plan import plan
from kabar.workflows.render.renderer import Renderer
from kabar.workflows.render.sources import SiteSettings
from tests.support.memory import MemorySite, MemoryStores
from tests.support.rendering import published, walk
from tests.support.structured import article_problems

START = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)
SETTINGS = SiteSettings(site_name="Kabar", language="id", page_size=4, urls=SiteUrls("https://www.kabar.example"),
                        media_url="https://cdn.kabar.example")  # fmt: skip
ANI, BUDI = (
    AuthorRef(name="Ani Siregar", slug="ani-siregar"),
    AuthorRef(name="Budi Santoso", slug="budi-santoso"),
)


def render(stores: MemoryStores, site: MemorySite, changes: Any) -> Renderer:
    renderer = Renderer(stores.sources(), site, SETTINGS)
    assert renderer.apply(plan(changes)) == set()
    return renderer


def by(*authors: AuthorRef) -> dict[str, Any]:
    """An article's byline fields, as PublishFunction stores them."""
    return {"author": byline_text([a.name for a in authors]), "authors": list(authors)}


def test_an_article_of_two_authors_is_in_both_lists_with_their_pages_feeds_and_counts() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    for number in range(7):
        authors = (ANI, BUDI) if number % 2 else (ANI,)
        moment = START + timedelta(hours=number)
        render(stores, site, published(stores, f"berita-{number}", published_at=moment, **by(*authors)))
    ani = site.documents["v1/authors/ani-siregar.json"]
    assert (ani["kind"], ani["name"], ani["count"], ani["profile"]) == ("author", "Ani Siregar", 7, None)
    assert ani["url"] == "https://www.kabar.example/author/ani-siregar/"
    walked = walk(site.documents.get, "v1/authors/ani-siregar.json")
    assert [slug for _, listed in walked for slug in listed] == [f"berita-{n}" for n in range(6, -1, -1)]
    assert all(len(listed) <= 4 for _, listed in walked) and len(walked) >= 2
    older = site.documents[walked[1][0]]
    ani_link = {"name": "Ani Siregar", "slug": "ani-siregar", "path": "v1/authors/ani-siregar.json"}
    assert older["kind"] == "page" and older["author"] == ani_link
    budi = site.documents["v1/authors/budi-santoso.json"]
    assert budi["count"] == 3 and [a["slug"] for a in budi["articles"]] == [
        "berita-5",
        "berita-3",
        "berita-1",
    ]

    article = site.documents["v1/articles/berita-5.json"]
    assert article["author"] == "Ani Siregar dan Budi Santoso"
    assert [a["path"] for a in article["authors"]] == [
        "v1/authors/ani-siregar.json",
        "v1/authors/budi-santoso.json",
    ]
    news = article["structured_data"]["@graph"][0]
    assert news["author"] == [
        {"@type": "Person", "name": "Ani Siregar", "url": "https://www.kabar.example/author/ani-siregar/"},
        {"@type": "Person", "name": "Budi Santoso", "url": "https://www.kabar.example/author/budi-santoso/"},
    ]
    assert article_problems(news, expect_image=False) == []

    assert budi["feeds"] == {
        "rss": "v1/authors/budi-santoso/feed.xml",
        "json": "v1/authors/budi-santoso/feed.json",
    }
    feed = feedparser.parse(site.files["v1/authors/budi-santoso/feed.xml"][0])
    assert not feed.bozo and feed.feed.title == "Budi Santoso - Kabar"
    assert [e.link for e in feed.entries] == [a["url"] for a in budi["articles"]]
    assert [a["name"] for a in feed.entries[0].authors] == ["Ani Siregar", "Budi Santoso"]  # two dc:creator
    item = json.loads(site.files["v1/authors/budi-santoso/feed.json"][0])["items"][0]
    assert item["authors"][1] == {
        "name": "Budi Santoso",
        "url": "https://www.kabar.example/author/budi-santoso/",
    }
    site_json = site.documents["v1/site.json"]
    assert site_json["authors"] == "v1/authors/{author}.json"
    assert site_json["author_feeds"]["rss"] == "v1/authors/{author}/feed.xml"


def test_an_author_dropped_from_the_byline_or_a_taken_down_article_leaves_the_lists() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    render(stores, site, published(stores, "gempa", published_at=START, **by(ANI, BUDI)))
    render(stores, site, published(stores, "banjir", published_at=START + timedelta(hours=1), **by(ANI)))
    renderer = render(stores, site, published(stores, "gempa", version=2, published_at=START, **by(ANI)))
    # Budi's last article: his document and feeds go (nothing was said of him); Ani's stay.
    assert "v1/authors/budi-santoso.json" in renderer.out.deleted
    assert not {"v1/authors/budi-santoso.json", "v1/authors/budi-santoso/feed.xml"} & set(site.files)
    assert stores.tags.author_count("budi-santoso").count == 0  # type: ignore[union-attr]
    ani = site.documents["v1/authors/ani-siregar.json"]
    assert ani["count"] == 2 and [a["slug"] for a in ani["articles"]] == ["banjir", "gempa"]
    later = START + timedelta(hours=1)
    render(
        stores, site, published(stores, "banjir", version=2, status="draft", published_at=later, **by(ANI))
    )
    ani = site.documents["v1/authors/ani-siregar.json"]
    assert ani["count"] == 1 and [a["slug"] for a in ani["articles"]] == ["gempa"]


def test_a_profile_shows_on_the_authors_document_even_before_their_first_article() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    profile = AuthorProfile(
        name="Dewi Lestari", bio="Wartawan ekonomi.", url="https://x.example/dewi", image=None
    )
    stores.authors.put_profile("dewi-lestari", profile, "editor1")
    render(stores, site, [("profile-1", AuthorChanged("dewi-lestari"))])
    dewi = site.documents["v1/authors/dewi-lestari.json"]
    assert (dewi["name"], dewi["count"], dewi["articles"], dewi["more"]) == ("Dewi Lestari", 0, [], None)
    assert dewi["profile"] == {"name": "Dewi Lestari", "bio": "Wartawan ekonomi.", "url": "https://x.example/dewi",
                               "image": None}  # fmt: skip
    assert "v1/authors/dewi-lestari/feed.xml" not in site.files  # no article, no feed
    dewi_ref = AuthorRef(name="DEWI LESTARI", slug="dewi-lestari")  # another spelling of the byline
    render(stores, site, published(stores, "harga-cabai", published_at=START, **by(dewi_ref)))
    dewi = site.documents["v1/authors/dewi-lestari.json"]
    assert dewi["name"] == "Dewi Lestari" and dewi["count"] == 1  # the profile's name, not the byline's
    assert dewi["profile"]["bio"] == "Wartawan ekonomi."


def test_an_article_stored_before_authors_gets_its_bylines_authors() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    render(
        stores, site, published(stores, "lama", published_at=START, author="Tim Redaksi")
    )  # no authors kept
    article = site.documents["v1/articles/lama.json"]
    assert article["authors"] == [
        {"name": "Tim Redaksi", "slug": "tim-redaksi", "path": "v1/authors/tim-redaksi.json"}
    ]
    assert site.documents["v1/authors/tim-redaksi.json"]["count"] == 1


def test_a_profiles_stream_record_asks_render_for_the_authors_document() -> None:
    key = {name: {"S": value} for name, value in keys.author_profile("ani").items()}
    record = {"eventName": "MODIFY", "dynamodb": {"Keys": key, "NewImage": {"name": {"S": "Ani"}}}}
    change = table_change(record)
    assert change == AuthorChanged("ani") and routes(change) == (RENDER,)
    assert decode(encode(change, "c-1", {}))[0] == change
    assert plan([("r", change)]).list_positions == {"author/ani": set()}


def test_a_failed_profile_render_says_which_author_it_concerns() -> None:
    from kabar_infra.cli.failures import change_failure

    body = encode(AuthorChanged("ani-siregar"), "c-1", {"event_name": "MODIFY", "pk": "x", "sk": "PROFILE"})
    failure = change_failure("render", {"MessageId": "m-1", "ReceiptHandle": "r-1", "Body": body})
    assert failure.concerns == ["author ani-siregar (profile changed) [correlation c-1]"]
