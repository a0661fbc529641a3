"""The articles that name an article, rendered again when it appears or goes (Renderer.apply over
the in-memory stores): bounded per change, and a failure comes back on the records that asked."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kabar.events import ArticleChanged, TableChange
from kabar.workflows.render import renderer
from kabar.workflows.render.plan import plan
from kabar.workflows.render.renderer import Renderer
from kabar.workflows.render.sources import SiteSettings
from tests.support.memory import PUBLISHED_AT, MemorySite, MemoryStores, article

SETTINGS = SiteSettings(site_name="Kabar", language="id", page_size=50)
APPEARED = ("9", ArticleChanged("latar", frozenset({"2026-11"}), relink=True))


def render(stores: MemoryStores, site: MemorySite, *changes: tuple[str, TableChange]) -> set[str]:
    return Renderer(stores.sources(), site, SETTINGS).apply(plan(changes))


def referrers(stores: MemoryStores, *slugs: str) -> None:
    """Articles that link to "latar" (read-also), created a minute apart in this order."""
    for minute, slug in enumerate(slugs):
        stores.put_article(
            article(slug, read_also=["latar"], created_at=PUBLISHED_AT + timedelta(minutes=minute))
        )


def links(site: MemorySite, slug: str) -> list[str]:
    return [link["slug"] for link in site.documents[f"v1/articles/{slug}.json"]["read_also"]]


def test_the_articles_naming_an_article_that_appears_show_the_link() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    referrers(stores, "satu", "dua")
    render(
        stores, site, ("1", ArticleChanged("satu", frozenset())), ("2", ArticleChanged("dua", frozenset()))
    )
    assert links(site, "satu") == links(site, "dua") == []
    stores.put_article(article("latar"))
    assert render(stores, site, APPEARED) == set()
    assert links(site, "satu") == links(site, "dua") == ["latar"]
    # Taken down: the link goes from every referrer, as the renderer shows only published targets.
    stores.put_article(article("latar", version=2, status="draft"))
    assert render(stores, site, ("10", ArticleChanged("latar", frozenset({"2026-11"}), relink=True))) == set()
    assert links(site, "satu") == links(site, "dua") == []
    assert "v1/articles/latar.json" not in site.documents


def test_a_change_renders_at_most_the_bound_newest_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(renderer, "REFERRERS_PER_CHANGE", 2)
    stores, site = MemoryStores.new(), MemorySite()
    referrers(stores, "satu", "dua", "tiga")
    stores.put_article(article("latar"))
    render(stores, site, APPEARED)
    assert {"v1/articles/dua.json", "v1/articles/tiga.json"} <= set(site.documents)
    assert "v1/articles/satu.json" not in site.documents


def test_a_referrer_that_fails_fails_the_record_of_the_article_it_names() -> None:
    stores, site = MemoryStores.new(), MemorySite(failing={"v1/articles/dua.json"})
    referrers(stores, "satu", "dua")
    stores.put_article(article("lain"))
    stores.put_article(article("latar"))
    other = ("3", ArticleChanged("lain", frozenset({"2026-11"})))
    assert render(stores, site, APPEARED, other) == {"9"}
    assert links(site, "satu") == ["latar"] and "v1/articles/lain.json" in site.documents
    # The record comes back; rendering again from the table's state converges.
    site.failing.clear()
    assert render(stores, site, APPEARED) == set() and links(site, "dua") == ["latar"]


def test_an_index_that_cannot_be_read_fails_the_record_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    stores, site = MemoryStores.new(), MemorySite()
    stores.put_article(article("latar"))
    stores.put_article(article("lain"))

    def unreadable(slug: str, limit: int) -> list[str]:
        raise OSError("the table is not answering")

    monkeypatch.setattr(stores.links, "named_by", unreadable)
    other = ("3", ArticleChanged("lain", frozenset({"2026-11"})))
    assert render(stores, site, APPEARED, other) == {"9"}
    assert "v1/articles/lain.json" in site.documents
