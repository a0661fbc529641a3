"""Categories as lists: each category's document with its pages and feeds, categories.json with
the counts, and an article that changes category or is taken down moving out of them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser

from kabar.urls import SiteUrls
from kabar.workflows.render.plan import plan
from kabar.workflows.render.renderer import Renderer
from kabar.workflows.render.sources import SiteSettings
from tests.support.memory import MemorySite, MemoryStores
from tests.support.rendering import published, walk

START = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)
SETTINGS = SiteSettings(site_name="Kabar", language="id", page_size=4, urls=SiteUrls("https://www.kabar.example"),
                        media_url="https://cdn.kabar.example")  # fmt: skip


def render(stores: MemoryStores, site: MemorySite, changes: Any) -> Renderer:
    renderer = Renderer(stores.sources(), site, SETTINGS)
    assert renderer.apply(plan(changes)) == set()
    return renderer


def test_a_category_lists_its_articles_in_pages_with_its_feeds_and_is_counted() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    for number in range(9):
        category = "Berita Suriah" if number % 3 else "Nasional"
        render(stores, site, published(stores, f"berita-{number}", category=category,
                                       published_at=START + timedelta(hours=number)))  # fmt: skip
    document = site.documents["v1/categories/berita-suriah.json"]
    assert (document["kind"], document["name"], document["count"]) == ("category", "Berita Suriah", 6)
    assert document["url"] == "https://www.kabar.example/category/berita-suriah/"
    walked = walk(site.documents.get, "v1/categories/berita-suriah.json")
    slugs = [slug for _, listed in walked for slug in listed]
    assert slugs == ["berita-8", "berita-7", "berita-5", "berita-4", "berita-2", "berita-1"]  # each once
    assert all(len(listed) <= 4 for _, listed in walked) and len(walked) >= 2
    older = site.documents[walked[1][0]]
    assert older["kind"] == "page" and older["category"] == {"name": "Berita Suriah", "slug": "berita-suriah"}
    assert document["articles"][0]["url"] == "https://www.kabar.example/2026/11/01/berita-8/"

    assert document["feeds"] == {"rss": "v1/categories/berita-suriah/feed.xml",
                                 "json": "v1/categories/berita-suriah/feed.json"}  # fmt: skip
    feed = feedparser.parse(site.files["v1/categories/berita-suriah/feed.xml"][0])
    assert not feed.bozo and feed.feed.title == "Berita Suriah - Kabar"
    assert [e.link for e in feed.entries][:2] == [a["url"] for a in document["articles"][:2]]
    assert len(feed.entries) == 6  # the feed is the newest 50, not the newest page

    listed = site.documents["v1/categories.json"]["categories"]
    assert [(c["slug"], c["count"], c["path"]) for c in listed] == [
        ("berita-suriah", 6, "v1/categories/berita-suriah.json"),
        ("nasional", 3, "v1/categories/nasional.json"),
    ]


def test_an_article_that_changes_category_or_is_taken_down_leaves_its_lists_and_counts() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    render(stores, site, published(stores, "satu", category="Nasional", published_at=START))
    render(
        stores, site, published(stores, "dua", category="Nasional", published_at=START + timedelta(hours=1))
    )
    render(stores, site, published(stores, "satu", version=2, category="Dunia", published_at=START))
    assert [a["slug"] for a in site.documents["v1/categories/nasional.json"]["articles"]] == ["dua"]
    assert [a["slug"] for a in site.documents["v1/categories/dunia.json"]["articles"]] == ["satu"]
    counts = {c["slug"]: c["count"] for c in site.documents["v1/categories.json"]["categories"]}
    assert counts == {"dunia": 1, "nasional": 1}

    render(
        stores,
        site,
        published(stores, "satu", version=3, status="draft", category="Dunia", published_at=START),
    )
    assert "v1/categories/dunia.json" not in site.documents
    assert not {"v1/categories/dunia/feed.xml", "v1/categories/dunia/feed.json"} & set(site.files)
    assert [c["slug"] for c in site.documents["v1/categories.json"]["categories"]] == ["nasional"]
    # Published again: back in its category, counted once.
    render(stores, site, published(stores, "satu", version=4, category="Dunia", published_at=START))
    counts = {c["slug"]: c["count"] for c in site.documents["v1/categories.json"]["categories"]}
    assert counts == {"dunia": 1, "nasional": 1}


def test_a_publish_rewrites_only_its_own_categorys_documents() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    render(stores, site, published(stores, "satu", category="Nasional", published_at=START))
    render(stores, site, published(stores, "dua", category="Dunia", published_at=START + timedelta(hours=1)))
    renderer = render(stores, site, published(stores, "tiga", category="Dunia",
                                              published_at=START + timedelta(hours=2)))  # fmt: skip
    touched = {path for path in renderer.out.written if "categor" in path}
    assert touched == {"v1/categories/dunia.json", "v1/categories/dunia/feed.xml",
                       "v1/categories/dunia/feed.json", "v1/categories.json"}  # fmt: skip
