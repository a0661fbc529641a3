"""Editors' links (read-also, pinned related) follow their targets: they appear when a target is
published later, go when it is taken down, and come back when it is published again; through the
reverse index PublishFunction writes and RenderFunction reads (moto, the stack's handlers)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kabar.table import Stores, keys
from kabar.table.base import Table
from tests.support.app import App, article_file

BODY = "".join(f"Paragraf {n} tentang gempa di Garut.\n\n" for n in range(1, 5))


def publish(app: App, slug: str, **fields: Any) -> dict[str, Any]:
    fields = {"title": f"Berita {slug}", "slug": slug, "body": BODY, **fields}
    status = app.status(app.upload(f"{slug}.md", article_file(**fields)))
    assert status["state"] == "published", status
    return status


def document(app: App, slug: str) -> dict[str, Any]:
    found = app.document(f"v1/articles/{slug}.json")
    assert found is not None, slug
    return found


def read_also(app: App, slug: str) -> list[str]:
    return [link["slug"] for link in document(app, slug)["read_also"]]


def pinned(app: App, slug: str) -> list[str]:
    return [link["slug"] for link in document(app, slug)["related"] if link["pinned"]]


def named_by(app: App, slug: str) -> list[str]:
    return Stores.over(Table(app.stack.ref("ContentTable"), app.dynamodb)).links.named_by(slug, 100)


def test_links_to_articles_published_later_appear_when_they_are(app: App) -> None:
    status = publish(app, "kabar-awal", read_also=["susulan"], related=["latar"])
    assert [w["field"] for w in status["warnings"]] == ["read_also.0", "related.0"]
    assert read_also(app, "kabar-awal") == [] and pinned(app, "kabar-awal") == []
    assert named_by(app, "susulan") == ["kabar-awal"] and named_by(app, "latar") == ["kabar-awal"]

    publish(app, "susulan")
    assert read_also(app, "kabar-awal") == ["susulan"]  # the warning's promise kept
    publish(app, "latar")
    assert pinned(app, "kabar-awal") == ["latar"] and read_also(app, "kabar-awal") == ["susulan"]
    link = document(app, "kabar-awal")["read_also"][0]
    assert (link["title"], link["origin"]) == ("Berita susulan", "editor")


def test_a_target_taken_down_and_published_again_leaves_and_rejoins_the_links(app: App) -> None:
    publish(app, "latar")
    publish(app, "kabar-awal", read_also=["latar"], related=["latar"])
    assert read_also(app, "kabar-awal") == ["latar"] and pinned(app, "kabar-awal") == ["latar"]

    publish(app, "latar", status="draft")
    assert read_also(app, "kabar-awal") == [] and pinned(app, "kabar-awal") == []
    assert named_by(app, "latar") == ["kabar-awal"]  # the referrer still names it

    publish(app, "latar", title="Latar Kembali")
    assert read_also(app, "kabar-awal") == ["latar"] and pinned(app, "kabar-awal") == ["latar"]
    assert document(app, "kabar-awal")["read_also"][0]["title"] == "Latar Kembali"


def test_the_index_follows_the_referrers_current_version(app: App) -> None:
    publish(app, "kabar-awal", read_also=["satu", "dua"])
    assert named_by(app, "satu") == named_by(app, "dua") == ["kabar-awal"]
    publish(app, "kabar-awal", read_also=["dua", "tiga"])
    assert named_by(app, "satu") == [] and named_by(app, "dua") == named_by(app, "tiga") == ["kabar-awal"]
    publish(app, "kabar-awal", read_also=["dua", "tiga"], status="draft")  # a draft links nowhere
    assert named_by(app, "dua") == named_by(app, "tiga") == []
    publish(app, "kabar-awal", read_also=["tiga"])
    assert named_by(app, "tiga") == ["kabar-awal"]
    entries = [item for item in app.table_items() if item["sk"]["S"].startswith(keys.NAMED_BY)]
    assert len(entries) == 1


def test_at_most_a_bounded_number_of_referrers_are_rendered_per_change_newest_first(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kabar.workflows.render import renderer

    monkeypatch.setattr(renderer, "REFERRERS_PER_CHANGE", 2)
    moments = iter(datetime(2026, 11, 20, 3, 0, tzinfo=UTC) + timedelta(minutes=n) for n in range(10))
    with monkeypatch.context() as clock:  # created a minute apart, in this order
        clock.setattr("kabar.workflows.publish.datetime", _Clock(moments))
        for slug in ("pertama", "kedua", "ketiga"):
            publish(app, slug, read_also=["latar"])
    assert named_by(app, "latar") == ["ketiga", "kedua", "pertama"]
    # Nothing in common with the referrers, so no related list brings them back here.
    publish(app, "latar", body="Harga cabai di Pasar Kramat Jati turun tajam.\n\nPedagang senang.\n")
    assert read_also(app, "ketiga") == read_also(app, "kedua") == ["latar"]
    assert read_also(app, "pertama") == []  # over the bound: linked when it is next rendered


class _Clock:
    """``datetime`` for kabar.workflows.publish whose ``now`` gives the next of ``moments``."""

    def __init__(self, moments: Any) -> None:
        self.moments = moments

    def now(self, tz: Any = None) -> datetime:
        return next(self.moments)  # type: ignore[no-any-return]
