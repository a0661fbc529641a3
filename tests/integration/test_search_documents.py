"""On moto, through the template's handlers: categories, sitemaps, the news sitemap and robots.txt
as a publish, an unpublish and the template's hourly schedule leave them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import boto3
import feedparser

from kabar_infra.local.schedules import LocalScheduler, rate_seconds
from kabar_infra.provision import Stack
from kabar_infra.template import Template
from tests.support.app import CDN_URL, App, article_file
from tests.support.sitemaps import index_sitemaps, news_entries, sitemap_urls


def wib(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def body(app: App, key: str) -> tuple[bytes, str]:
    found = app.s3.get_object(Bucket=app.site_bucket, Key=key)
    return found["Body"].read(), found["ContentType"]


def sitemap_locs(app: App) -> set[str]:
    index, kind = body(app, "sitemap.xml")
    assert kind == "application/xml; charset=utf-8"
    found: set[str] = set()
    for loc in index_sitemaps(index):
        found |= set(sitemap_urls(body(app, loc.removeprefix(f"{CDN_URL}/"))[0]))
    return found


def test_an_article_reaches_its_category_the_sitemaps_and_the_news_sitemap_and_leaves_them(app: App) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    app.upload("a.md", article_file(title="Banjir Bandang di Garut", category="Berita Daerah",
                                    published_at=wib(now - timedelta(hours=2))))  # fmt: skip
    app.upload("b.md", article_file(title="Arsip Tiga Hari Lalu", category="Berita Daerah",
                                    published_at=wib(now - timedelta(days=3))))  # fmt: skip
    fresh = app.document("v1/articles/banjir-bandang-di-garut.json")
    old = app.document("v1/articles/arsip-tiga-hari-lalu.json")
    assert fresh is not None and old is not None
    assert sitemap_locs(app) == {fresh["url"], old["url"]}
    news = news_entries(body(app, "news-sitemap.xml")[0])
    assert list(news) == [fresh["url"]]  # three days old: in a sitemap, not in the news sitemap
    category = app.document("v1/categories/berita-daerah.json")
    assert category is not None and [a["slug"] for a in category["articles"]] == [
        "banjir-bandang-di-garut",
        "arsip-tiga-hari-lalu",
    ]
    assert category["count"] == 2
    listed = app.document("v1/categories.json")
    assert listed is not None and [(c["slug"], c["count"]) for c in listed["categories"]] == [
        ("berita-daerah", 2)
    ]
    feed, kind = body(app, "v1/categories/berita-daerah/feed.xml")
    assert kind == "application/rss+xml; charset=utf-8"
    assert [e.link for e in feedparser.parse(feed).entries] == [fresh["url"], old["url"]]
    robots, kind = body(app, "robots.txt")
    assert kind == "text/plain; charset=utf-8" and f"Sitemap: {CDN_URL}/sitemap.xml" in robots.decode()

    app.upload("a.md", article_file(title="Banjir Bandang di Garut", slug="banjir-bandang-di-garut",
                                    status="draft"))  # fmt: skip
    assert sitemap_locs(app) == {old["url"]}
    assert news_entries(body(app, "news-sitemap.xml")[0]) == {old["url"]: None}  # valid, no news tags
    category = app.document("v1/categories/berita-daerah.json")
    assert category is not None and [a["slug"] for a in category["articles"]] == ["arsip-tiga-hari-lalu"]
    assert [
        e.link for e in feedparser.parse(body(app, "v1/categories/berita-daerah/feed.xml")[0]).entries
    ] == [old["url"]]


def test_the_templates_schedule_rewrites_the_news_sitemap_through_render_queue(app: App) -> None:
    session = boto3.Session(region_name=app.stack.region)
    scheduler = LocalScheduler(app.template, app.stack, session)
    (schedule,) = scheduler.schedules  # as the provisioner made it on moto from the template
    assert schedule.name == app.stack.ref("SitemapsSchedule") and schedule.every_seconds == rate_seconds(
        "rate(1 hour)"
    )
    app.upload(
        "a.md", article_file(title="Berita Pagi", published_at=wib(datetime.now(UTC) - timedelta(hours=1)))
    )
    app.s3.delete_object(Bucket=app.site_bucket, Key="news-sitemap.xml")
    assert scheduler.fire() == [schedule.name]
    app.router.drain()
    document = app.document("v1/articles/berita-pagi.json")
    assert document is not None
    assert list(news_entries(body(app, "news-sitemap.xml")[0])) == [document["url"]]


def test_full_text_feeds_keep_every_body_from_their_previous_version(
    stack: Stack, template: Template
) -> None:
    app = App(template, stack, {"CDN_URL": CDN_URL, "FEED_FULL_TEXT": "true"})  # FeedFullText: "true"
    app.upload("a.md", article_file(title="Banjir Bandang di Garut", body="Air **naik** & <em>deras</em>.\n"))
    app.upload("b.md", article_file(title="Gempa Guncang Cianjur", body="Warga mengungsi.\n"))
    feed = feedparser.parse(body(app, "v1/feed.xml")[0])
    assert not feed.bozo and [e.content[0].value for e in feed.entries] == [
        "<p>Warga mengungsi.</p>",
        "<p>Air <strong>naik</strong> &amp; <em>deras</em>.</p>",  # the first, from the feed before
    ]
    items = json.loads(body(app, "v1/feed.json")[0])["items"]
    assert [item["content_html"] for item in items] == [e.content[0].value for e in feed.entries]
