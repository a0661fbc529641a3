"""A list's fixed-size pages (kabar.workflows.render.pages) over the in-memory stores: "Show More"
walks every article exactly once, newest first; a change touches only its own pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from kabar.events import ArticleChanged, TableChange
from kabar.table import keys
from kabar.workflows.render.pages import paged
from kabar.workflows.render.plan import plan
from kabar.workflows.render.renderer import Renderer
from kabar.workflows.render.sources import SiteSettings
from tests.support.memory import MemorySite, MemoryStores
from tests.support.rendering import published, walk

START = datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
SIZE = 10


def render(stores: MemoryStores, site: MemorySite, changes: list[tuple[str, TableChange]]) -> Renderer:
    renderer = Renderer(
        stores.sources(), site, SiteSettings(site_name="Kabar", language="id", page_size=SIZE)
    )
    assert renderer.apply(plan(changes)) == set()
    return renderer


def publish_many(stores: MemoryStores, site: MemorySite, count: int, **fields: Any) -> list[str]:
    """``count`` articles an hour apart, each rendered as it is published; slugs oldest first."""
    slugs = []
    for number in range(count):
        slug = f"berita-{number:03d}"
        render(stores, site, published(stores, slug, published_at=START + timedelta(hours=number), **fields))
        slugs.append(slug)
    return slugs


def pages(site: MemorySite, start: str = "v1/latest.json") -> list[tuple[str, list[str]]]:
    return walk(site.documents.get, start)


def every(site: MemorySite, start: str = "v1/latest.json") -> list[str]:
    return [slug for _, slugs in pages(site, start) for slug in slugs]


def test_show_more_walks_every_article_once_newest_first_in_pages_of_at_most_the_size() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    slugs = publish_many(stores, site, 34, tags=["Banjir"])
    for start in ("v1/latest.json", "v1/tags/banjir.json"):
        assert every(site, start) == slugs[::-1]
        assert all(len(listed) <= SIZE for _, listed in pages(site, start))
    # The newest page keeps at least half a page: a front page is never nearly empty.
    assert len(site.documents["v1/latest.json"]["articles"]) > SIZE // 2
    older = site.documents[pages(site)[1][0]]
    assert older["kind"] == "page" and older["tag"] is None
    assert site.documents[pages(site, "v1/tags/banjir.json")[1][0]]["tag"]["slug"] == "banjir"


# With every change to the list of every article: the newest sitemap (34 articles fit in one) and the
# news sitemap (the sitemap index only when the set of sitemaps changes).
SEARCH = {"sitemap-newest.xml", "news-sitemap.xml"}


def test_a_new_article_rewrites_only_the_newest_pages() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    publish_many(stores, site, 30, tags=["Banjir"])
    later = START + timedelta(days=30)
    renderer = render(stores, site, published(stores, "terbaru", published_at=later, tags=["Banjir"]))
    lists = [path for path in renderer.out.written if not path.startswith("v1/articles/")]
    # Unless a newest page just filled up (then one new older page), only the newest pages.
    feeds = {"v1/feed.xml", "v1/feed.json", "v1/tags/banjir/feed.xml", "v1/tags/banjir/feed.json"}
    assert feeds | SEARCH <= set(lists)  # the feeds of the lists it joined, and no other
    assert set(lists) - {"v1/latest.json", "v1/tags/banjir.json", "v1/tags.json", *feeds, *SEARCH} <= {
        path for path in lists if "/pages/" in path
    }
    assert len([path for path in lists if "/pages/" in path]) <= 2


def test_unpublishing_an_old_article_rewrites_only_its_page_and_the_newest() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    slugs = publish_many(stores, site, 34)
    before = dict(site.documents)
    victim = slugs[3]  # on the oldest page
    renderer = render(stores, site, published(stores, victim, version=2, status="draft",
                                              published_at=START + timedelta(hours=3)))  # fmt: skip
    assert every(site) == [slug for slug in slugs[::-1] if slug != victim]
    holder = next(path for path, listed in walk(before.get, "v1/latest.json") if victim in listed)
    lists = {path for path in renderer.out.written if not path.startswith("v1/articles/")}
    assert lists == {holder, "v1/latest.json", "v1/feed.xml", "v1/feed.json", *SEARCH}


def test_a_backdated_article_splits_a_full_older_page_and_the_walk_stays_whole() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    slugs = publish_many(stores, site, 40)
    for number in range(12):  # between berita-002 and berita-003, a full older page's range
        moment = START + timedelta(hours=2, minutes=number + 1)
        slug = f"susulan-{number:02d}"
        render(stores, site, published(stores, slug, published_at=moment))
        slugs.insert(3 + number, slug)
    assert every(site) == slugs[::-1]
    assert all(len(listed) <= SIZE for _, listed in pages(site))


def test_a_page_emptied_merges_into_its_newer_neighbour() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    slugs = publish_many(stores, site, 30)
    oldest_page = pages(site)[-1]
    for slug in oldest_page[1]:
        number = int(slug.rsplit("-", 1)[1])
        render(stores, site, published(stores, slug, version=2, status="draft",
                                       published_at=START + timedelta(hours=number)))  # fmt: skip
    assert oldest_page[0] not in site.documents
    remaining = [slug for slug in slugs[::-1] if slug not in oldest_page[1]]
    assert every(site) == remaining
    # Taking every article down leaves an empty newest page and no older ones.
    for slug in remaining:
        number = int(slug.rsplit("-", 1)[1])
        render(stores, site, published(stores, slug, version=2, status="draft",
                                       published_at=START + timedelta(hours=number)))  # fmt: skip
    assert site.documents["v1/latest.json"] == {"kind": "latest", "articles": [], "more": None}
    assert not [path for path in site.documents if "/pages/" in path]


def test_a_replayed_record_changes_no_page() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    slugs = publish_many(stores, site, 25)
    before = (dict(site.documents), {k: dict(v) for k, v in stores.lists.pages.items()})
    position = keys.listing_position(START + timedelta(hours=4), slugs[4])
    render(stores, site, [("replayed", ArticleChanged(slugs[4], frozenset({position})))])
    assert site.documents == before[0]
    # Only the versions moved (each render counts), never a bound.
    after = stores.lists.pages
    assert {k: {u: (b.lower, b.number, b.older) for u, b in v.items()} for k, v in after.items()} == {
        k: {u: (b.lower, b.number, b.older) for u, b in v.items()} for k, v in before[1].items()
    }


def test_pages_built_in_one_go_are_pages_publishing_would_leave() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    slugs = publish_many(stores, site, 34)
    one_go = MemoryStores.new()
    positions = [keys.listing_position(START + timedelta(hours=n), slug) for n, slug in enumerate(slugs)]
    bounds = paged(positions, SIZE, one_go.lists.newest_page(None))
    one_go.lists.commit(None, put=bounds)
    built = {b.upper: (b.lower, b.number, b.older, b.seq) for b in bounds}
    stored = {b.upper: (b.lower, b.number, b.older, b.seq) for b in stores.lists.pages[keys.LATEST].values()}
    assert built == stored
