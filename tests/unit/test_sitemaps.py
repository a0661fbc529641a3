"""Sitemaps, the sitemap index, the Google News sitemap and robots.txt (kabar.sitemaps,
kabar.workflows.render.search), each validated against the sitemap protocol's and the news
sitemap's XML Schemas (tests/support/sitemaps.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kabar.dispatch import BadMessage, decode, encode
from kabar.documents import ArticleSummary
from kabar.events import Scheduled
from kabar.sitemaps import NEWS_SIZE, Publication, news_urlset, robots, urlset
from kabar.urls import SiteUrls
from kabar.workflows.render.plan import plan
from kabar.workflows.render.renderer import Renderer
from kabar.workflows.render.search import SearchRenderer
from kabar.workflows.render.sources import Output, SiteSettings
from tests.support.memory import MemorySite, MemoryStores
from tests.support.rendering import published
from tests.support.sitemaps import index_sitemaps, news_entries, sitemap_urls

NOW = datetime.now(UTC).replace(microsecond=0)
SETTINGS = SiteSettings(site_name="Kabar & Co", language="id", page_size=10, sitemap_size=10,
                        urls=SiteUrls("https://www.kabar.example"),
                        media_url="https://cdn.kabar.example")  # fmt: skip


def render(stores: MemoryStores, site: MemorySite, changes: Any) -> Renderer:
    renderer = Renderer(stores.sources(), site, SETTINGS)
    assert renderer.apply(plan(changes)) == set()
    return renderer


def url(slug: str, moment: datetime) -> str:
    return SETTINGS.urls.article(slug, moment, None)


def every_sitemap(site: MemorySite) -> dict[str, dict[str, str]]:
    """Each sitemap the index names (by path), with its URLs: every one valid."""
    named = index_sitemaps(site.files["sitemap.xml"][0])
    found = {}
    for loc in named:
        path = loc.removeprefix("https://cdn.kabar.example/")
        assert path in site.files, f"the index names {path}, which is missing"
        found[path] = sitemap_urls(site.files[path][0])
    return found


def test_every_article_is_in_one_sitemap_and_a_publish_rewrites_only_the_newest() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    # 23 articles in sitemaps of at most 10: halves of 5 split off as the newest fills (8 left in it).
    moments = {f"berita-{n:02d}": NOW - timedelta(days=30) + timedelta(hours=n) for n in range(23)}
    for slug, moment in moments.items():
        render(stores, site, published(stores, slug, published_at=moment))
    # The first split named its sitemap at once; the later ones wait for the hourly rewrite.
    assert set(every_sitemap(site)) == {"sitemap-newest.xml", "sitemap-1.xml"}
    render(stores, site, [("schedule-1", Scheduled("sitemaps"))])
    sitemaps = every_sitemap(site)
    assert len(sitemaps) >= 3 and all(len(urls) <= 10 for urls in sitemaps.values())
    listed = [loc for urls in sitemaps.values() for loc in urls]
    assert sorted(listed) == sorted(url(slug, moment) for slug, moment in moments.items())  # each once
    lastmod = sitemaps["sitemap-newest.xml"][url("berita-22", moments["berita-22"])]
    assert datetime.fromisoformat(lastmod) == moments["berita-22"]
    assert site.files["sitemap.xml"][1] == "application/xml; charset=utf-8"
    assert all(written for written in index_sitemaps(site.files["sitemap.xml"][0]).values())

    index_before = site.files["sitemap.xml"]
    renderer = render(stores, site, published(stores, "terbaru", published_at=NOW - timedelta(days=5)))
    xml = {path for path in renderer.out.written if path.endswith(".xml") and "feed" not in path}
    # The newest sitemap had room: it and the news sitemap, never another sitemap nor the index.
    assert xml == {"sitemap-newest.xml", "news-sitemap.xml"} and site.files["sitemap.xml"] == index_before
    for number in range(10):  # until the newest splits: no publish reads every sitemap's page
        render(
            stores,
            site,
            published(stores, f"baru-{number}", published_at=NOW - timedelta(days=4, hours=number)),
        )
    assert site.files["sitemap.xml"] == index_before
    render(stores, site, [("schedule-2", Scheduled("sitemaps"))])  # the hour names the new one
    assert len(every_sitemap(site)) > len(sitemaps)
    assert sum(len(urls) for urls in every_sitemap(site).values()) == 23 + 1 + 10


def test_unpublishing_an_old_article_rewrites_its_sitemap_and_it_leaves_every_one() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    moments = {f"berita-{n:02d}": NOW - timedelta(days=10, hours=n) for n in range(20)}
    for slug, moment in moments.items():
        render(stores, site, published(stores, slug, published_at=moment))
    victim = "berita-19"  # the oldest: in the oldest sitemap
    holder = next(path for path, urls in every_sitemap(site).items() if url(victim, moments[victim]) in urls)
    assert holder != "sitemap-newest.xml"
    renderer = render(stores, site, published(stores, victim, version=2, status="draft",
                                              published_at=moments[victim]))  # fmt: skip
    assert holder in renderer.out.written
    assert not any(url(victim, moments[victim]) in urls for urls in every_sitemap(site).values())


def test_a_sitemap_emptied_by_unpublishing_leaves_the_index_at_once() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    moments = {f"berita-{n:02d}": NOW - timedelta(days=10, hours=n) for n in range(20)}
    for slug, moment in moments.items():
        render(stores, site, published(stores, slug, published_at=moment))
    render(stores, site, [("schedule-1", Scheduled("sitemaps"))])
    oldest = next(iter(every_sitemap(site)))  # oldest first: the index's order
    assert oldest != "sitemap-newest.xml"
    gone = [slug for slug, moment in moments.items() if url(slug, moment) in every_sitemap(site)[oldest]]
    for slug in gone:
        render(stores, site, published(stores, slug, version=2, status="draft", published_at=moments[slug]))
    assert oldest not in site.files and oldest not in every_sitemap(site)  # every named one exists
    listed = sorted(loc for urls in every_sitemap(site).values() for loc in urls)
    assert listed == sorted(url(slug, moment) for slug, moment in moments.items() if slug not in gone)


def test_the_news_sitemap_holds_the_last_two_days_and_slides_on_schedule() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    ages = {"tiga-hari-lalu": timedelta(days=3), "kemarin": timedelta(days=1), "barusan": timedelta(hours=1)}
    for slug, age in ages.items():
        render(stores, site, published(stores, slug, published_at=NOW - age, title=f"Judul {slug} & <b>"))
    body, kind = site.files["news-sitemap.xml"]
    news = news_entries(body)
    assert kind == "application/xml; charset=utf-8"
    assert list(news) == [url("barusan", NOW - ages["barusan"]), url("kemarin", NOW - ages["kemarin"])]
    entry = news[url("barusan", NOW - ages["barusan"])]
    assert entry is not None and entry["title"] == "Judul barusan & <b>"  # escaped, whole once read
    assert (entry["name"], entry["language"]) == ("Kabar & Co", "id")
    assert datetime.fromisoformat(entry["publication_date"]) == NOW - ages["barusan"]
    # The article of three days ago is in a sitemap all the same.
    assert any(
        url("tiga-hari-lalu", NOW - ages["tiga-hari-lalu"]) in urls for urls in every_sitemap(site).values()
    )

    # A quiet weekend: two days on and nothing published. The hourly run leaves a valid sitemap
    # naming the newest article without news tags.
    out = Output(site)
    SearchRenderer(stores.sources(), SETTINGS, out).render_news_sitemap(now=NOW + timedelta(days=2))
    assert news_entries(site.files["news-sitemap.xml"][0]) == {url("barusan", NOW - ages["barusan"]): None}


def test_the_schedule_rewrites_the_news_sitemap_through_the_render_queue() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    render(stores, site, published(stores, "barusan", published_at=NOW - timedelta(hours=1)))
    del site.files["news-sitemap.xml"]
    body = '{"format": 1, "change": "scheduled", "task": "sitemaps"}'  # the template's Input
    change, _, _ = decode(body)
    assert change == Scheduled("sitemaps") and decode(encode(change, None, {}))[0] == change
    renderer = render(stores, site, [("schedule-1", change)])
    assert renderer.out.written == ["news-sitemap.xml", "sitemap.xml"]  # and the index's lastmod dates
    assert list(news_entries(site.files["news-sitemap.xml"][0])) == [url("barusan", NOW - timedelta(hours=1))]
    with pytest.raises(BadMessage, match="unknown scheduled task"):
        decode('{"format": 1, "change": "scheduled", "task": "everything"}')


def test_unpublishing_the_only_article_leaves_no_empty_sitemap() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    render(stores, site, published(stores, "satu", published_at=NOW - timedelta(hours=2)))
    assert "sitemap.xml" in site.files and "news-sitemap.xml" in site.files
    render(
        stores,
        site,
        published(stores, "satu", version=2, status="draft", published_at=NOW - timedelta(hours=2)),
    )
    assert not {"sitemap.xml", "sitemap-newest.xml", "news-sitemap.xml"} & set(site.files)


def test_robots_names_the_index_and_the_news_sitemap_and_site_json_names_them_all() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    render(stores, site, published(stores, "satu", published_at=NOW))
    body, kind = site.files["robots.txt"]
    assert kind == "text/plain; charset=utf-8"
    lines = body.decode().splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    assert [line for line in lines if line.startswith("Sitemap: ")] == [
        "Sitemap: https://cdn.kabar.example/sitemap.xml",
        "Sitemap: https://cdn.kabar.example/news-sitemap.xml",
    ]
    document = site.documents["v1/site.json"]
    assert (document["sitemap"], document["news_sitemap"], document["robots"]) == (
        "sitemap.xml",
        "news-sitemap.xml",
        "robots.txt",
    )
    assert document["categories"] == "v1/categories.json"


def summary(number: int, title: str = "") -> ArticleSummary:
    moment = NOW - timedelta(minutes=number)
    return ArticleSummary(slug=f"s-{number}", path=f"v1/articles/s-{number}.json",
                          title=title or f"Judul {number}", published_at=moment, updated_at=moment,
                          url=f"https://www.kabar.example/s-{number}/")  # fmt: skip


def test_the_documents_are_valid_at_their_limits() -> None:
    many = [summary(n) for n in range(NEWS_SIZE + 5)]
    assert len(news_entries(news_urlset(many, Publication("Kabar", "id")))) == NEWS_SIZE
    assert len(sitemap_urls(urlset(many))) == NEWS_SIZE + 5
    odd = summary(1, title='Tanda "kutip" & <tag> \x0b')  # a character XML cannot hold is dropped
    (entry,) = news_entries(news_urlset([odd], Publication("A & B", "id"))).values()
    assert entry is not None and entry["title"] == 'Tanda "kutip" & <tag> ' and entry["name"] == "A & B"
    with pytest.raises(ValueError, match="no canonical URL"):
        urlset(
            [ArticleSummary(slug="x", path="v1/articles/x.json", title="X", published_at=NOW, updated_at=NOW)]
        )
    assert robots([]) == b"User-agent: *\nAllow: /\n\n"


def test_a_busy_day_reaches_past_the_newest_sitemap_and_lists_each_article_once() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    moments = {f"berita-{n:02d}": NOW - timedelta(hours=30) + timedelta(hours=n) for n in range(24)}
    for slug, moment in moments.items():  # 24 in two days, in sitemaps of at most 10
        render(stores, site, published(stores, slug, published_at=moment))
    news = news_entries(site.files["news-sitemap.xml"][0])
    assert list(news) == [url(slug, moments[slug]) for slug in reversed(moments)]
    assert all(entry is not None for entry in news.values())
