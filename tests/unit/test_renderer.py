"""kabar.workflows.render.renderer.Renderer.apply against in-memory stores and a MemorySite."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from kabar.documents import CACHE_ARTICLE, CACHE_LIST, CACHE_SITE, DOCUMENT_MODELS, EDGE_INVALIDATED
from kabar.events import ArticleChanged, CommentChanged, RelatedChanged, TableChange, TagMerged, TagsChanged
from kabar.keyring import Keyring
from kabar.models import RelatedEntry, RelatedList
from kabar.urls import SiteUrls
from kabar.workflows.comments import IntakeRules, read_submission, submit
from kabar.workflows.moderation import moderate
from kabar.workflows.render.plan import plan
from kabar.workflows.render.renderer import Renderer
from kabar.workflows.render.sources import SiteSettings
from kabar.workflows.tagging import continue_merge
from kabar.workflows.vocabulary import merge_tag, put_tag
from kabar.workflows.vocabulary_forms import MergeRequest, TagRequest
from tests.support.memory import PUBLISHED_AT, MemorySite, MemoryStores
from tests.support.rendering import publish, published

SETTINGS = SiteSettings(
    site_name="Kabar", language="id", page_size=50, urls=SiteUrls("https://kabar.example")
)
URL = "https://kabar.example/2026/11/20/gempa/"  # published at 03:00 UTC, 10:00 WIB
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
GEMPA: dict[str, Any] = dict(
    title="Gempa Guncang Garut",
    lead="Gempa magnitudo 5 mengguncang Garut.",
    category="Nasional",
    dateline="GARUT",
    author="Redaksi",
    editors=["AL"],
    sources=["FNA"],
    tags=["Gempa", "Garut"],
    body_html="<p>Satu.</p>\n<p>Dua.</p>",
)
REDAKSI = {"name": "Redaksi", "slug": "redaksi", "path": "v1/authors/redaksi.json"}
SUMMARY = {
    "slug": "gempa",
    "path": "v1/articles/gempa.json",
    "url": URL,
    "title": "Gempa Guncang Garut",
    "subtitle": None,
    "lead": "Gempa magnitudo 5 mengguncang Garut.",
    "category": {"name": "Nasional", "slug": "nasional"},
    "author": "Redaksi",
    "authors": [REDAKSI],
    "published_at": "2026-11-20T03:00:00Z",
    "updated_at": "2026-11-20T03:00:00Z",
    "image": None,
}


def render(stores: MemoryStores, site: MemorySite, *changes: tuple[str, TableChange]) -> set[str]:
    return Renderer(stores.sources(), site, SETTINGS).apply(plan(changes))


def test_a_published_article_gets_its_document_its_lists_and_its_tags_pages() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    assert render(stores, site, *published(stores, "gempa", **GEMPA)) == set()

    document = dict(site.documents["v1/articles/gempa.json"])
    ld = document.pop("structured_data")
    assert [part["@type"] for part in ld["@graph"]] == ["NewsArticle", "BreadcrumbList"]
    assert ld["@graph"][0]["url"] == URL and ld["@graph"][0]["articleSection"] == "Nasional"
    assert document == {
        "kind": "article",
        "slug": "gempa",
        "path": "v1/articles/gempa.json",
        "url": URL,
        "version": 1,
        "title": "Gempa Guncang Garut",
        "subtitle": None,
        "lead": "Gempa magnitudo 5 mengguncang Garut.",
        "category": {"name": "Nasional", "slug": "nasional"},
        "dateline": {"place": "GARUT", "outlet": "Kabar"},
        "author": "Redaksi",
        "authors": [REDAKSI],
        "editors": ["AL"],
        "sources": ["FNA"],
        "credit_line": "(AL/FNA)",
        "tags": [
            {"name": "Gempa", "slug": "gempa", "path": "v1/tags/gempa.json"},
            {"name": "Garut", "slug": "garut", "path": "v1/tags/garut.json"},
        ],
        "published_at": "2026-11-20T03:00:00Z",
        "updated_at": "2026-11-20T03:00:00Z",
        "body_html": "<p>Satu.</p>\n<p>Dua.</p>",
        "image": None,
        "read_also": [],
        "related": [],
        "comments": {"count": 0, "path": None, "open": True, "closes_at": None},
        "corrections": [],
    }
    assert site.cache_control["v1/articles/gempa.json"] == CACHE_ARTICLE
    assert stores.articles.rendered_version("gempa") == (1, "published")
    assert site.documents["v1/latest.json"] == {"kind": "latest", "articles": [SUMMARY], "more": None}
    garut = {"name": "Garut", "slug": "garut", "path": "v1/tags/garut.json"}
    assert site.documents["v1/tags/garut.json"] == {
        "kind": "tag",
        **garut,
        "count": 1,
        "articles": [SUMMARY],
        "more": None,
    }
    assert site.documents["v1/tags.json"] == {
        "kind": "tags",
        "tags": [
            {**garut, "count": 1},
            {"name": "Gempa", "slug": "gempa", "path": "v1/tags/gempa.json", "count": 1},
        ],
    }
    assert site.cache_control["v1/tags.json"] == CACHE_LIST
    # The site's first article: site.json, the error page and the schemas too.
    assert site.documents["v1/site.json"]["latest"] == "v1/latest.json"
    assert site.documents["v1/errors/404.json"] == {
        "kind": "error",
        "status": 404,
        "message": "Halaman tidak ditemukan",
    }
    assert all(f"v1/schemas/{kind}.json" in site.documents for kind in DOCUMENT_MODELS)
    assert site.cache_control["v1/site.json"] == CACHE_SITE
    # One invalidation: every path written that the edge keeps long (not the lists), once.
    long_cached = [path for path in site.documents if site.cache_control[path] in EDGE_INVALIDATED]
    assert "v1/articles/gempa.json" in long_cached and "v1/latest.json" not in long_cached
    assert site.invalidations == [sorted("/" + path for path in long_cached)]


def test_tags_json_lists_only_the_most_used_tags() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    changes = [*published(stores, "gempa", **GEMPA)]
    changes += published(stores, "susulan", **{**GEMPA, "tags": ["Gempa", "BMKG"]})
    changes += published(stores, "longsor", **{**GEMPA, "tags": ["Gempa", "Garut", "Longsor"]})
    settings = SiteSettings(site_name="Kabar", language="id", page_size=50, tags_listed=2)
    assert Renderer(stores.sources(), site, settings).apply(plan(changes)) == set()
    listed = [(t["slug"], t["count"]) for t in site.documents["v1/tags.json"]["tags"]]
    assert listed == [("gempa", 3), ("garut", 2)]
    # A tag left out of tags.json still has its page.
    assert [a["slug"] for a in site.documents["v1/tags/longsor.json"]["articles"]] == ["longsor"]


def test_an_older_article_joins_the_newest_page_while_it_has_room() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    render(stores, site, *published(stores, "gempa", **GEMPA))
    october = datetime(2026, 10, 5, 1, 0, tzinfo=UTC)
    render(stores, site, *published(stores, "banjir", published_at=october, tags=["Garut"]))
    assert [a["slug"] for a in site.documents["v1/latest.json"]["articles"]] == ["gempa", "banjir"]
    assert site.documents["v1/latest.json"]["more"] is None
    assert site.documents["v1/tags/garut.json"]["count"] == 2
    assert not [path for path in site.documents if "/pages/" in path]
    assert len(site.invalidations) == 2


def test_related_articles_and_read_also_links_name_only_published_articles() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    for slug in ("banjir", "longsor", "draf"):
        publish(stores, slug, lead=f"Tentang {slug}.")
    publish(stores, "draf", version=2, status="draft")
    body = "".join(f"<p>Paragraf {n}.</p>\n" for n in range(1, 7))
    publish(stores, "gempa", **{**GEMPA, "related": ["longsor"], "body_html": body})
    entries = [RelatedEntry(slug="draf", score=0.9), RelatedEntry(slug="banjir", score=0.5)]
    stores.related.store(
        RelatedList(slug="gempa", version=1, revision=1, pinned=["longsor"], auto=entries), None
    )

    assert render(stores, site, ("1", RelatedChanged("gempa"))) == set()
    document = site.documents["v1/articles/gempa.json"]
    assert document["related"] == [
        {
            "slug": "longsor",
            "title": "Longsor",
            "path": "v1/articles/longsor.json",
            "url": "https://kabar.example/2026/11/20/longsor/",
            "lead": "Tentang longsor.",
            "category": None,
            "published_at": "2026-11-20T03:00:00Z",
            "pinned": True,
        },
        {
            "slug": "banjir",
            "title": "Banjir",
            "path": "v1/articles/banjir.json",
            "url": "https://kabar.example/2026/11/20/banjir/",
            "lead": "Tentang banjir.",
            "category": None,
            "published_at": "2026-11-20T03:00:00Z",
            "pinned": False,
        },
    ]
    assert document["read_also"] == [
        {
            "slug": "longsor",
            "title": "Longsor",
            "path": "v1/articles/longsor.json",
            "url": "https://kabar.example/2026/11/20/longsor/",
            "after_paragraph": 2,
            "origin": "related",
        },
        {
            "slug": "banjir",
            "title": "Banjir",
            "path": "v1/articles/banjir.json",
            "url": "https://kabar.example/2026/11/20/banjir/",
            "after_paragraph": 4,
            "origin": "related",
        },
    ]
    # The editor's read_also replaces the related ones (a link not published is left out).
    publish(stores, "gempa", version=2, **{**GEMPA, "read_also": ["banjir", "draf"], "body_html": body})
    render(stores, site, ("2", RelatedChanged("gempa")))
    assert [
        (link["slug"], link["origin"]) for link in site.documents["v1/articles/gempa.json"]["read_also"]
    ] == [("banjir", "editor")]


def comment(stores: MemoryStores, number: int, approve: bool = True, **fields: Any) -> str:
    """A comment taken, and approved by a moderator; its id."""
    body = {
        "name": f"Pembaca {number}",
        "email": f"{number}@example.id",
        "content": f"Komentar {number}.",
        **fields,
    }
    taken = submit(
        "gempa",
        read_submission(body, raw_size=100),
        source_ip="203.0.113.7",
        articles=stores.articles,
        comments=stores.comments,
        keys=Keyring.single(b"k"),
        rules=IntakeRules(flood_seconds=0),
        now=NOW + timedelta(minutes=number),
    )
    if approve:
        moderate(stores.comments, taken["id"], "approve", by="mod", now=NOW + timedelta(minutes=number))
    return str(taken["id"])


def test_approved_comments_are_threaded_on_their_pages_and_counted_on_the_article() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    render(stores, site, *published(stores, "gempa", **GEMPA))
    first = comment(stores, 1, website="https://pembaca.example.id")
    reply = comment(stores, 2, parent=first)
    comment(stores, 3, approve=False)
    assert render(stores, site, ("c", CommentChanged("gempa", frozenset({1}), count_changed=True))) == set()

    def shown(number: int, comment_id: str, **fields: Any) -> dict[str, Any]:
        return {
            "id": comment_id,
            "name": f"Pembaca {number}",
            "website": None,
            "content_html": f"<p>Komentar {number}.</p>",
            "depth": 0,
            "parent": None,
            "reply_to": None,
            "created_at": f"2026-11-24T09:0{number}:00Z",
            "replies": [],
            **fields,
        }

    threads = [
        shown(
            1, first, website="https://pembaca.example.id", replies=[shown(2, reply, depth=1, parent=first)]
        )
    ]
    page = {
        "kind": "comments",
        "slug": "gempa",
        "article": "v1/articles/gempa.json",
        "page": 1,
        "comments": threads,
        "older": None,
    }
    assert site.documents["v1/articles/gempa/comments.json"] == {**page, "pages": 1, "count": 2}
    assert site.documents["v1/articles/gempa/comments/1.json"] == {**page, "pages": None, "count": None}
    assert site.documents["v1/articles/gempa.json"]["comments"] == {
        "count": 2,
        "path": "v1/articles/gempa/comments.json",
        "open": True,
        "closes_at": None,
    }


def test_comments_close_by_age_when_the_site_says_so() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    settings = SiteSettings(site_name="Kabar", language="id", page_size=50, comments_close_days=30)
    publish(stores, "gempa", **GEMPA)
    Renderer(stores.sources(), site, settings).apply(plan([("1", RelatedChanged("gempa"))]))
    closes = (PUBLISHED_AT + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert site.documents["v1/articles/gempa.json"]["comments"]["closes_at"] == closes


def test_a_new_comment_rewrites_only_the_newest_page() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    publish(stores, "gempa", **GEMPA)
    for number in range(1, 52):
        comment(stores, number)
    assert render(stores, site, ("c", CommentChanged("gempa", frozenset({2}), count_changed=True))) == set()
    newest = site.documents["v1/articles/gempa/comments.json"]
    assert (newest["page"], newest["pages"], newest["count"], newest["older"]) == (
        2,
        2,
        51,
        "v1/articles/gempa/comments/1.json",
    )
    assert [c["name"] for c in newest["comments"]] == ["Pembaca 51"]
    assert "v1/articles/gempa/comments/2.json" in site.documents
    assert "v1/articles/gempa/comments/1.json" not in site.documents


def test_unpublishing_removes_the_documents_and_publishing_again_brings_back_every_comment_page() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    render(stores, site, *published(stores, "gempa", **GEMPA))
    for number in range(1, 52):
        comment(stores, number)
    render(stores, site, ("c", CommentChanged("gempa", frozenset({1, 2}), count_changed=True)))
    assert {"v1/articles/gempa/comments/1.json", "v1/articles/gempa/comments/2.json"} <= set(site.documents)

    assert (
        render(stores, site, *published(stores, "gempa", version=2, **{**GEMPA, "status": "draft"})) == set()
    )
    gone = [
        "v1/articles/gempa.json",
        "v1/articles/gempa/comments.json",
        "v1/articles/gempa/comments/1.json",
        "v1/articles/gempa/comments/2.json",
        "v1/latest/2026-11.json",
        "v1/tags/gempa.json",
        "v1/tags/garut.json",
        "v1/tags/gempa/2026-11.json",
        "v1/tags/garut/2026-11.json",
    ]
    assert [path for path in gone if path in site.documents] == []
    # Only the article was cached long at the edge; the lists and comment pages refresh in a minute.
    assert site.invalidations[-1] == ["/v1/articles/gempa.json"]
    assert site.documents["v1/latest.json"] == {"kind": "latest", "articles": [], "more": None}
    assert site.documents["v1/tags.json"] == {"kind": "tags", "tags": []}
    assert stores.articles.rendered_version("gempa") == (2, "draft")
    assert stores.comments.counters("gempa") == (51, 51)  # the comments stay

    republished = published(stores, "gempa", version=3, **GEMPA)
    republished[0] = (republished[0][0], ArticleChanged("gempa", frozenset({"2026-11"}), republished=True))
    assert render(stores, site, *republished) == set()
    assert {"v1/articles/gempa/comments/1.json", "v1/articles/gempa/comments/2.json"} <= set(site.documents)
    assert site.documents["v1/articles/gempa.json"]["comments"]["count"] == 51


def test_a_merged_tag_page_points_to_the_tag_that_took_its_articles() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    render(stores, site, *published(stores, "gempa", **{**GEMPA, "tags": ["Jalur Gaza"]}))
    put_tag("gaza", TagRequest(name="Gaza"), vocabulary=stores.vocabulary)
    merge_tag("jalur-gaza", MergeRequest(into="gaza"), vocabulary=stores.vocabulary, tags=stores.tags)
    previous = stores.tags.get("gempa")
    continue_merge(
        "jalur-gaza",
        articles=stores.articles,
        tags=stores.tags,
        vocabulary=stores.vocabulary,
        max_tags=8,
        publish_suggestions=False,
    )
    images = tuple(t.to_json() for t in (previous, stores.tags.get("gempa")) if t)
    assert render(stores, site, ("m", TagMerged("jalur-gaza")), ("t", TagsChanged("gempa", images))) == set()
    assert site.documents["v1/tags/jalur-gaza.json"] == {
        "kind": "tag_merged",
        "slug": "jalur-gaza",
        "merged_into": {"name": "Gaza", "slug": "gaza", "path": "v1/tags/gaza.json"},
    }
    assert [a["slug"] for a in site.documents["v1/tags/gaza.json"]["articles"]] == ["gempa"]
    assert "v1/tags/jalur-gaza/2026-11.json" not in site.documents
    assert [t["slug"] for t in site.documents["v1/articles/gempa.json"]["tags"]] == ["gaza"]


# Failures: exactly the records whose work failed come back -----------------------------


def three_articles(stores: MemoryStores) -> list[tuple[str, TableChange]]:
    for slug in ("a", "b", "c"):
        publish(stores, slug)
    return [
        ("1", ArticleChanged("a", frozenset({"2026-11"}))),
        ("2", ArticleChanged("b", frozenset({"2026-11"}))),
        ("3", RelatedChanged("c")),
    ]


def test_an_article_that_fails_fails_only_the_records_that_asked_for_it() -> None:
    stores, site = MemoryStores.new(), MemorySite(failing={"v1/articles/b.json"})
    assert render(stores, site, *three_articles(stores)) == {"2"}
    assert {"v1/articles/a.json", "v1/articles/c.json", "v1/latest.json"} <= set(site.documents)
    assert "v1/articles/b.json" not in site.documents
    assert stores.articles.rendered_version("b") is None  # its upload is not live yet
    assert stores.articles.rendered_version("a") == (1, "published")
    assert site.invalidations and "/v1/articles/a.json" in site.invalidations[0]


def test_lists_that_fail_fail_the_records_that_asked_for_lists() -> None:
    stores, site = MemoryStores.new(), MemorySite(failing={"v1/latest.json"})
    changes = three_articles(stores)
    publish(stores, "d", status="draft")
    # An article's own change asks for its list; its related list changing (3) changes nothing a
    # list shows of it, and a draft's record asks for no list either.
    assert render(stores, site, *changes, ("4", RelatedChanged("d"))) == {"1", "2"}
    assert {"v1/articles/a.json", "v1/articles/b.json", "v1/articles/c.json"} <= set(site.documents)
    assert stores.articles.rendered_version("d") == (1, "draft")


def test_comment_pages_that_fail_fail_only_their_records() -> None:
    stores, site = MemoryStores.new(), MemorySite(failing={"v1/articles/gempa/comments.json"})
    publish(stores, "gempa", **GEMPA)
    comment(stores, 1)
    changes: list[tuple[str, TableChange]] = [
        ("1", CommentChanged("gempa", frozenset({1}), count_changed=False)),
        ("2", RelatedChanged("gempa")),
    ]
    assert render(stores, site, *changes) == {"1"}
    assert site.documents["v1/articles/gempa.json"]["comments"]["count"] == 1


def test_a_render_that_writes_only_lists_and_comment_pages_invalidates_nothing() -> None:
    stores, site = MemoryStores.new(), MemorySite()
    publish(stores, "gempa", **GEMPA)
    comment(stores, 1)
    render(stores, site, ("1", RelatedChanged("gempa")))
    before = list(site.invalidations)
    assert render(stores, site, ("2", CommentChanged("gempa", frozenset({1}), count_changed=False))) == set()
    assert "v1/articles/gempa/comments.json" in site.documents
    assert site.invalidations == before


def test_an_invalidation_that_cannot_be_queued_fails_every_record() -> None:
    stores, site = MemoryStores.new(), MemorySite(invalidation_fails=True)
    assert render(stores, site, *three_articles(stores), ("4", TagMerged("x", progress=True))) == {
        "1",
        "2",
        "3",
    }
    assert {"v1/articles/a.json", "v1/articles/b.json", "v1/articles/c.json"} <= set(site.documents)
    assert site.invalidations == []
