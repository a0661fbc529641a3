"""The editors' tag vocabulary API: aliases, blocked tags, bulk loads, clear errors."""

from __future__ import annotations

from kabar.table import keys
from kabar.table.codec import to_item
from tests.support.app import App, article_file
from tests.support.events import queued


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


def article(title: str, tag: str) -> bytes:
    return article_file(title=title, tags=[tag], body="Berita singkat.\n")


def test_after_a_merge_the_old_tag_points_to_the_new_one_which_lists_both(app: App) -> None:
    app.api("PUT", "/tags/hizbullah", {"name": "Hizbullah"})
    app.upload("a.md", article("Pasukan Hizbulah Bergerak", "Hizbulah"))
    app.upload("b.md", article("Hizbullah Tarik Pasukan", "Hizbullah"))
    assert listed(app, "hizbulah") == ["pasukan-hizbulah-bergerak"]
    status, body = app.api("POST", "/tags/hizbulah/merge", {"into": "hizbullah"})
    assert status == 202 and body["status"] == "merged" and body["merged_into"] == "hizbullah"
    app.router.drain()
    assert app.document("v1/tags/hizbulah.json") == {
        "kind": "tag_merged",
        "slug": "hizbulah",
        "merged_into": {"name": "Hizbullah", "slug": "hizbullah", "path": "v1/tags/hizbullah.json"},
    }
    assert sorted(listed(app, "hizbullah")) == ["hizbullah-tarik-pasukan", "pasukan-hizbulah-bergerak"]
    assert app.document("v1/tags/hizbullah.json")["count"] == 2  # type: ignore[index]
    doc = app.document("v1/articles/pasukan-hizbulah-bergerak.json")
    assert doc is not None and [t["slug"] for t in doc["tags"]] == ["hizbullah"]
    counts = {t["slug"]: t["count"] for t in app.document("v1/tags.json")["tags"]}  # type: ignore[index]
    assert counts == {"hizbullah": 2}
    # From now on the old spelling leads to the new tag.
    app.upload("c.md", article("Hizbulah Siaga", "Hizbulah"))
    assert "hizbulah-siaga" in listed(app, "hizbullah")


def test_a_large_merge_moves_articles_in_bounded_chunks(app: App, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kabar.workflows import tagging as tags

    monkeypatch.setattr(tags, "MERGE_CHUNK", 2)
    app.api("PUT", "/tags/gaza", {"name": "Gaza"})
    for number in range(5):
        app.upload(f"{number}.md", article(f"Kabar Jalur Gaza {number}", "Jalur Gaza"))
    assert len(listed(app, "jalur-gaza")) == 5
    before = len(app.router.deliveries)
    app.api("POST", "/tags/jalur-gaza/merge", {"into": "gaza"})
    app.router.drain()
    assert len(listed(app, "gaza")) == 5
    assert app.document("v1/tags/jalur-gaza.json")["kind"] == "tag_merged"  # type: ignore[index]
    merging = [d for d in app.router.deliveries[before:] if d.function == "TaggingFunction"]
    assert len(merging) == 3  # 5 articles, at most 2 an invocation


def test_a_replayed_merge_changes_nothing(app: App) -> None:
    app.api("PUT", "/tags/gaza", {"name": "Gaza"})
    app.upload("a.md", article("Kabar Jalur Gaza", "Jalur Gaza"))
    app.api("POST", "/tags/jalur-gaza/merge", {"into": "gaza"})
    app.router.drain()
    before = app.table_items()
    key = to_item(keys.vocabulary("jalur-gaza"))
    merged = app.dynamodb.get_item(TableName=app.stack.ref("ContentTable"), Key=key)["Item"]
    record = {"eventID": "1", "eventName": "MODIFY",
              "dynamodb": {"Keys": key, "NewImage": merged, "SequenceNumber": "1"}}  # fmt: skip
    event = queued("tagging", [record])
    assert len(event["Records"]) == 1  # the merge, as DispatchFunction sends it
    assert app.invoke("TaggingFunction", event) == {"batchItemFailures": []}
    assert app.table_items() == before


def test_bad_merges_say_what_is_wrong(app: App) -> None:
    app.api("PUT", "/tags/gaza", {"name": "Gaza"})
    app.api("PUT", "/tags/natal", {"name": "Natal", "status": "blocked"})
    status, body = app.api("POST", "/tags/gaza/merge", {"into": "gaza"})
    assert status == 400 and body["errors"][0]["field"] == "into"
    status, body = app.api("POST", "/tags/gaza/merge", {"into": "natal"})
    assert status == 400 and "not an active tag" in body["errors"][0]["message"]
    status, body = app.api("POST", "/tags/tidak-ada/merge", {"into": "gaza"})
    assert status == 404
    status, body = app.api("POST", "/tags/gaza/merge", {})
    assert status == 400 and body["errors"][0]["field"] == "into"
