"""Canonical URLs (kabar.urls) and each article's JSON-LD (kabar.structured), checked against the
rules Google documents for Article and Breadcrumb rich results (tests.support.structured)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from kabar.models import Correction
from kabar.settings import Settings, SettingsError
from kabar.urls import SiteUrls, pattern_problem
from kabar.workflows.render.plan import plan
from kabar.workflows.render.renderer import Renderer
from kabar.workflows.render.sources import SiteSettings
from tests.support.memory import MemorySite, MemoryStores
from tests.support.rendering import published
from tests.support.structured import article_problems, breadcrumb_problems

WIB = timezone(timedelta(hours=7))
URLS = SiteUrls("https://www.kabar.example", article_pattern="/{category}/{yyyy}/{mm}/{dd}/{slug}")
SETTINGS = SiteSettings(site_name="Kabar Harian", language="id", urls=URLS, logo_url="https://www.kabar.example/logo.png",
                        media_url="https://cdn.kabar.example")  # fmt: skip


def test_an_article_url_follows_the_pattern_on_the_sites_clock() -> None:
    late = datetime(2026, 11, 24, 18, 30, tzinfo=UTC)  # 01:30 WIB on the 25th
    assert URLS.article("gempa", late, "nasional") == "https://www.kabar.example/nasional/2026/11/25/gempa"
    assert URLS.article("gempa", late, None) == "https://www.kabar.example/berita/2026/11/25/gempa"
    wita = SiteUrls("https://a.example/", offset=timedelta(hours=8))
    assert (
        wita.article("x", datetime(2026, 11, 24, 15, 59, tzinfo=UTC), None)
        == "https://a.example/2026/11/24/x/"
    )
    assert (
        wita.article("x", datetime(2026, 11, 24, 16, 0, tzinfo=UTC), None)
        == "https://a.example/2026/11/25/x/"
    )
    assert (URLS.category("berita-suriah"), URLS.tag("gaza"), URLS.home()) == (
        "https://www.kabar.example/category/berita-suriah/", "https://www.kabar.example/tag/gaza/",
        "https://www.kabar.example/",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "pattern", "says"),
    [("article", "/{category}/x", "must contain {slug}"),
     ("article", "/{id}/{slug}", "unknown placeholders {id}"),
     ("article", "{slug}", "must be a path"), ("article", "/{slug}?p=1", "must be a path"),
     ("tag", "/tag/{slug}", "unknown placeholders {slug}"), ("article", "/{slug}}", "unmatched")],
)  # fmt: skip
def test_a_bad_pattern_is_refused_saying_why(kind: str, pattern: str, says: str) -> None:
    assert says in (pattern_problem(kind, pattern) or "")
    with pytest.raises(SettingsError, match=f"{kind.upper()}_URL_PATTERN"):
        Settings.from_environment({f"{kind.upper()}_URL_PATTERN": pattern})


def test_every_bad_address_setting_is_named_at_once() -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_environment({"SITE_URL": "www.kabar.example", "SITE_UTC_OFFSET": "WIB",
                                   "SITE_LOGO_URL": "javascript:alert(1)"})  # fmt: skip
    assert all(name in str(raised.value) for name in ("SITE_URL=", "SITE_UTC_OFFSET=", "SITE_LOGO_URL="))
    plain = Settings.from_environment({"CDN_URL": "https://d1.cloudfront.net"})
    assert plain.urls.home() == "https://d1.cloudfront.net/"  # no SITE_URL: the CDN's address


def test_the_article_document_carries_its_url_corrections_and_valid_json_ld() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    title = ("Pemerintah Umumkan Paket Kebijakan Ekonomi Baru untuk Menahan Laju Inflasi dan Menjaga Daya "
             "Beli Masyarakat di Akhir Tahun")  # fmt: skip
    fixed = datetime(2026, 11, 25, 8, 0, tzinfo=WIB)
    changes = published(
        stores, "paket-kebijakan", title=title, subtitle="Subsidi energi diperpanjang", lead="Pemerintah...",
        category="Ekonomi", dateline="JAKARTA", author="Ani Siregar", tags=["Inflasi", "Subsidi"],
        published_at=datetime(2026, 11, 24, 9, 0, tzinfo=WIB),
        updated_at=datetime(2026, 11, 24, 9, 5, tzinfo=WIB),
        corrections=[Correction(at=fixed, text="Angka inflasi 2,1 persen, bukan 2,4 persen.")],
    )  # fmt: skip
    assert Renderer(stores.sources(), site, SETTINGS).apply(plan(changes)) == set()
    document = site.documents["v1/articles/paket-kebijakan.json"]
    url = "https://www.kabar.example/ekonomi/2026/11/24/paket-kebijakan"
    assert document["url"] == url
    assert document["corrections"] == [{"at": "2026-11-25T08:00:00+07:00",
                                        "text": "Angka inflasi 2,1 persen, bukan 2,4 persen."}]  # fmt: skip
    article, crumbs = document["structured_data"]["@graph"]
    assert article_problems(article, expect_image=False) == [] and breadcrumb_problems(crumbs) == []
    assert len(article["headline"]) <= 110 and article["headline"].endswith("…") and len(title) > 110
    assert title.startswith(article["headline"][:-1])  # cut at a word, not inside one
    assert article["dateModified"] == "2026-11-25T08:00:00+07:00"  # the correction, after the update
    noted = {"@type": "CorrectionComment", "datePublished": "2026-11-25T08:00:00+07:00",
             "text": document["corrections"][0]["text"]}  # fmt: skip
    assert article["correction"] == [noted]
    assert article["mainEntityOfPage"]["@id"] == url and article["inLanguage"] == "id"
    assert article["publisher"]["logo"]["url"] == "https://www.kabar.example/logo.png"
    assert (article["alternativeHeadline"], article["articleSection"], article["dateline"]) == (
        "Subsidi energi diperpanjang", "Ekonomi", "JAKARTA")  # fmt: skip
    assert article["keywords"] == ["Inflasi", "Subsidi"] and article["author"][0]["name"] == "Ani Siregar"
    assert [item["item"] for item in crumbs["itemListElement"]] == [
        "https://www.kabar.example/", "https://www.kabar.example/category/ekonomi/", url]  # fmt: skip
    listed = site.documents["v1/latest.json"]["articles"][0]
    assert listed["url"] == url  # lists carry it per entry


def test_the_checker_catches_what_google_would_not_take() -> None:
    bad = {"@type": "NewsArticle", "headline": "x" * 111, "datePublished": "2026-11-24T09:00:00",
           "dateModified": "2026-11-24T08:00:00Z", "author": [{"@type": "Person"}],
           "image": ["/v1/a.jpg"]}  # fmt: skip
    found = " ".join(article_problems(bad))
    for says in ("headline", "datePublished", "author", "image must be absolute"):
        assert says in found
    items = [{"@type": "ListItem", "position": 1, "name": "Kabar"},
             {"@type": "ListItem", "position": 2, "name": "x"}]  # fmt: skip
    assert breadcrumb_problems({"@type": "BreadcrumbList", "itemListElement": items}) == [
        "item 1 needs the URL of its page"
    ]
    good = {"@type": "NewsArticle", "headline": "Judul", "datePublished": "2026-11-24T09:00:00+07:00",
            "dateModified": "2026-11-24T10:00:00+07:00", "author": [{"@type": "Person", "name": "Ani"}],
            "image": ["https://cdn.example/a.jpg"]}  # fmt: skip
    assert article_problems(good) == []
