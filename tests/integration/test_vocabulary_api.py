"""The editors' tag vocabulary API: aliases, blocked tags, bulk loads, clear errors."""

from __future__ import annotations

from tests.conftest import App, article_file


def listed(app: App, tag: str) -> list[str]:
    doc = app.document(f"v1/tags/{tag}.json")
    return [] if doc is None else [a["slug"] for a in doc["articles"]]


def test_a_tag_with_aliases_gathers_its_spellings(app: App) -> None:
    status, tag = app.api("PUT", "/tags/lebanon", {"name": "Lebanon", "aliases": ["Libanon"]})
    assert status == 200
    assert tag == {"slug": "lebanon", "name": "Lebanon", "aliases": ["Libanon"], "status": "active",
                   "merged_into": None}  # fmt: skip
    app.upload("a.md", article_file(title="Pengungsi dari Libanon", tags=["Libanon"], body="Pulang.\n"))
    app.upload("b.md", article_file(title="Tentara Lebanon Siaga", tags=["LEBANON"], body="Siaga.\n"))
    assert sorted(listed(app, "lebanon")) == ["pengungsi-dari-libanon", "tentara-lebanon-siaga"]
    assert app.document("v1/tags/libanon.json") is None
    status, body = app.api("GET", "/tags")
    assert status == 200 and [t["slug"] for t in body["tags"]] == ["lebanon"]


def test_an_alias_of_another_tag_is_a_conflict_naming_it(app: App) -> None:
    app.api("PUT", "/tags/lebanon", {"name": "Lebanon", "aliases": ["Libanon"]})
    status, body = app.api("PUT", "/tags/libanon-lama", {"name": "Libanon Lama", "aliases": ["Libanon"]})
    assert status == 409
    assert "'libanon' belongs to tag 'lebanon'" in body["message"]
    status, body = app.api("GET", "/tags")
    assert [t["slug"] for t in body["tags"]] == ["lebanon"]  # nothing of the refused tag was stored


def test_dropping_an_alias_frees_it(app: App) -> None:
    app.api("PUT", "/tags/lebanon", {"name": "Lebanon", "aliases": ["Libanon"]})
    assert app.api("PUT", "/tags/lebanon", {"name": "Lebanon"})[0] == 200
    assert app.api("PUT", "/tags/libanon", {"name": "Libanon"})[0] == 200


def test_a_blocked_tag_is_never_given(app: App) -> None:
    app.api("PUT", "/tags/hama", {"name": "Hama", "status": "blocked"})
    app.upload("a.md", article_file(title="Operasi di Hama", tags=["Hama"],
                                    body="Pasukan bergerak ke Hama. Warga Hama mengungsi.\n"))  # fmt: skip
    doc = app.document("v1/articles/operasi-di-hama.json")
    assert doc is not None and "hama" not in {t["slug"] for t in doc["tags"]}
    assert listed(app, "hama") == []


def test_a_bulk_load_is_checked_whole_before_anything_is_stored(app: App) -> None:
    status, body = app.api("PUT", "/tags", {"tags": [
        {"name": "Suriah", "aliases": ["Syria"]}, {"name": ""}, {"name": "X", "status": "merged"},
    ]})  # fmt: skip
    assert status == 400
    assert {e["field"] for e in body["errors"]} == {"tags.1.name", "tags.2.status"}
    assert app.api("GET", "/tags")[1]["tags"] == []
    status, body = app.api("PUT", "/tags", {"tags": [{"name": "Suriah", "aliases": ["Syria"]},
                                                     {"name": "Rusia", "slug": "rusia"}]})  # fmt: skip
    assert status == 200 and [t["slug"] for t in body["tags"]] == ["suriah", "rusia"]


def test_bad_requests_name_what_is_wrong(app: App) -> None:
    status, body = app.api("PUT", "/tags/Bukan Slug", {"name": "X"})
    assert status == 400 and body["errors"][0]["field"] == "slug"
    status, body = app.api("PUT", "/tags/x", {"nama": "X"})
    assert status == 400 and {e["field"] for e in body["errors"]} == {"name", "nama"}
    status, body = app.api("PUT", "/tags/x", {"name": "<b>X</b>"})
    assert status == 400 and "plain text" in body["errors"][0]["message"]
    status, body = app.api("PUT", "/tags", {"tags": [{"name": "A"}, {"name": "a"}]})
    assert status == 400 and "'a' appears more than once" in body["errors"][0]["message"]


def test_only_editors_manage_the_vocabulary(app: App) -> None:
    status, body = app.api("PUT", "/tags/x", {"name": "X"}, groups="moderators")
    assert status == 403 and "editors" in body["message"]
    assert app.api("GET", "/tags", groups="")[0] == 403
