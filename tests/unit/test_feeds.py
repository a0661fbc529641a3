"""The site's and each tag's feeds (kabar.feeds, kabar.workflows.render.feeds), read back with a
real feed parser (feedparser) and checked against the JSON Feed 1.1 specification's rules."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser

from kabar.feeds import FEED_SIZE, JSON_FEED_CONTENT_TYPE, RSS_CONTENT_TYPE
from kabar.urls import SiteUrls
from kabar.workflows.render.plan import plan
from kabar.workflows.render.renderer import Renderer
from kabar.workflows.render.sources import SiteSettings
from tests.support.memory import MemorySite, MemoryStores
from tests.support.rendering import published

START = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)
SETTINGS = SiteSettings(site_name="Kabar & Co", language="id", page_size=10, urls=SiteUrls("https://www.kabar.example"),
                        media_url="https://cdn.kabar.example")  # fmt: skip


def render(stores: MemoryStores, site: MemorySite, changes: Any) -> Renderer:
    renderer = Renderer(stores.sources(), site, SETTINGS)
    assert renderer.apply(plan(changes)) == set()
    return renderer


def json_feed_problems(feed: dict[str, Any]) -> list[str]:
    """What breaks JSON Feed 1.1 (jsonfeed.org/version/1.1): version, title, items; each item an id
    and content_html or content_text; dates RFC 3339; URLs absolute."""
    problems = []
    if feed.get("version") != "https://jsonfeed.org/version/1.1" or not feed.get("title"):
        problems.append("version 1.1 and a title are required")
    for item in feed.get("items", []):
        if not isinstance(item.get("id"), str) or not item["id"]:
            problems.append(f"item without an id: {item}")
        if not (item.get("content_html") or item.get("content_text")):
            problems.append(f"item {item.get('id')} has neither content_html nor content_text")
        for name in ("date_published", "date_modified"):
            if name in item and datetime.fromisoformat(item[name].replace("Z", "+00:00")).utcoffset() is None:
                problems.append(f"{name} of {item['id']} has no offset")
        for name in ("url", "image"):
            if name in item and not item[name].startswith("https://"):
                problems.append(f"{name} of {item['id']} is not absolute")
    return problems


def test_the_site_feed_holds_the_newest_articles_and_parses_cleanly() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    for number in range(FEED_SIZE + 3):
        fields = {"title": f'Berita {number} <penting> & "baru"', "lead": f"Ringkasan {number}.",
                  "category": "Nasional", "author": "Ani Siregar", "tags": ["Banjir"]}  # fmt: skip
        moment = START + timedelta(hours=number)
        render(stores, site, published(stores, f"berita-{number:02d}", published_at=moment, **fields))
    body, content_type = site.files["v1/feed.xml"]
    assert content_type == RSS_CONTENT_TYPE == "application/rss+xml; charset=utf-8"
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20" and parsed.feed.title == "Kabar & Co" and parsed.feed.language == "id"
    assert parsed.feed.link == "https://www.kabar.example/"
    self_link = next(link for link in parsed.feed.links if link.rel == "self")
    assert self_link.href == "https://cdn.kabar.example/v1/feed.xml"
    assert len(parsed.entries) == FEED_SIZE  # the newest 50, newest first
    newest = parsed.entries[0]
    assert newest.title == 'Berita 52 <penting> & "baru"'  # escaped in the XML, whole once parsed
    assert newest.link == newest.id == "https://www.kabar.example/2026/11/03/berita-52/"
    assert newest.published_parsed[:4] == (2026, 11, 3, 5) and newest.author == "Ani Siregar"
    assert newest.summary == "Ringkasan 52." and [t.term for t in newest.tags] == ["Nasional"]
    assert [e.title.split()[1] for e in parsed.entries[:3]] == ["52", "51", "50"]

    data, kind = site.files["v1/feed.json"]
    assert kind == JSON_FEED_CONTENT_TYPE
    feed = json.loads(data)
    assert json_feed_problems(feed) == [] and feed["feed_url"] == "https://cdn.kabar.example/v1/feed.json"
    assert [item["id"] for item in feed["items"]] == [entry.id for entry in parsed.entries]
    author_page = "https://www.kabar.example/author/ani-siregar/"  # AuthorUrlPattern's default
    assert feed["items"][0]["authors"] == [{"name": "Ani Siregar", "url": author_page}]
    assert feed["items"][0]["tags"] == ["Nasional"]
    tag_feed = feedparser.parse(site.files["v1/tags/banjir/feed.xml"][0])
    assert not tag_feed.bozo and tag_feed.feed.link == "https://www.kabar.example/tag/banjir/"
    assert len(tag_feed.entries) == FEED_SIZE and tag_feed.feed.title == "Banjir - Kabar & Co"


def test_an_unpublished_article_leaves_its_feeds_and_an_emptied_tag_has_none() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    render(stores, site, published(stores, "gempa", published_at=START, tags=["Gempa"]))
    render(
        stores, site, published(stores, "banjir", published_at=START + timedelta(hours=1), tags=["Banjir"])
    )
    assert "v1/tags/gempa/feed.json" in site.files
    renderer = render(stores, site, published(stores, "gempa", version=2, status="draft", published_at=START))
    site_feed = feedparser.parse(site.files["v1/feed.xml"][0])
    assert [entry.id for entry in site_feed.entries] == ["https://www.kabar.example/2026/11/01/banjir/"]
    assert "v1/tags/gempa/feed.xml" not in site.files and "v1/tags/gempa/feed.json" not in site.files
    assert "v1/tags/banjir/feed.xml" not in renderer.out.written  # a feed it never was in: untouched


def test_the_site_document_says_where_the_feeds_are() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    render(stores, site, published(stores, "gempa", published_at=START, tags=["Gempa"]))
    found = site.documents["v1/site.json"]
    assert found["url"] == "https://www.kabar.example/"
    assert found["feeds"] == {"rss": "v1/feed.xml", "json": "v1/feed.json"}
    assert found["tag_feeds"] == {"rss": "v1/tags/{tag}/feed.xml", "json": "v1/tags/{tag}/feed.json"}


FULL = replace(SETTINGS, feed_full_text=True)


def render_full(stores: MemoryStores, site: MemorySite, changes: Any) -> Renderer:
    renderer = Renderer(stores.sources(), site, FULL)
    assert renderer.apply(plan(changes)) == set()
    return renderer


def test_full_text_feeds_carry_each_body_without_reading_the_other_articles() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    for number in range(3):
        body, moment = f"<p>Isi berita {number} &amp; <b>lengkap</b>.</p>", START + timedelta(hours=number)
        render_full(stores, site, published(stores, f"berita-{number}", published_at=moment, body_html=body,
                                            tags=["Banjir"]))  # fmt: skip
    rss = feedparser.parse(site.files["v1/feed.xml"][0])
    assert not rss.bozo and [e.content[0].value for e in rss.entries] == [
        f"<p>Isi berita {n} &amp; <b>lengkap</b>.</p>" for n in (2, 1, 0)
    ]  # the HTML whole once the XML is parsed
    items = json.loads(site.files["v1/tags/banjir/feed.json"][0])["items"]
    assert (
        json_feed_problems({"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": items})
        == []
    )
    assert items[0]["content_html"] == "<p>Isi berita 2 &amp; <b>lengkap</b>.</p>"
    # Each publish read only its feeds' previous JSON Feeds: no other article's document.
    assert not [path for path in site.reads if path.startswith("v1/articles/")]

    # The first render with full text on (or an entry new to a feed, not just rendered) reads the
    # article's document; one whose document is older than its summary keeps only its lead.
    plain = MemorySite()
    for number in range(2):
        render(
            stores,
            plain,
            published(stores, f"lama-{number}", published_at=START - timedelta(days=1 + number)),
        )
    site.documents.update({k: v for k, v in plain.documents.items() if k.startswith("v1/articles/lama-")})
    site.documents["v1/articles/lama-1.json"]["updated_at"] = "2020-01-01T00:00:00Z"  # stale
    site.reads.clear()
    render_full(stores, site, published(stores, "berita-3", published_at=START + timedelta(hours=3)))
    assert "v1/articles/lama-0.json" in site.reads and "v1/articles/berita-2.json" not in site.reads
    contents = {e.link.rsplit("/", 2)[-2]: getattr(e, "content", None) for e in
                feedparser.parse(site.files["v1/feed.xml"][0]).entries}  # fmt: skip
    assert contents["lama-0"] is not None and contents["lama-1"] is None and contents["berita-0"] is not None


def test_feeds_without_full_text_carry_the_lead_only() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    render(stores, site, published(stores, "berita", published_at=START, body_html="<p>Isi lengkap.</p>"))
    assert b"content:encoded" not in site.files["v1/feed.xml"][0] and site.reads == []
    assert "content_html" not in json.loads(site.files["v1/feed.json"][0])["items"][0]
