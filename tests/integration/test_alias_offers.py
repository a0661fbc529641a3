"""Alias offers: the forms articles give a tag's name reach editors (GET /tags/aliases), and apply
only once accepted (POST /tags/{slug}/aliases); a rejected one is never offered again."""

from __future__ import annotations

from tests.support.app import App, article_file

KPK = dict(
    title="Bupati Garut Diperiksa",
    published_at="2026-11-20T10:00:00+07:00",
    body=(
        "Komisi Pemberantasan Korupsi (KPK) memeriksa Bupati Garut pada Senin. Penyidik KPK menyita "
        "dokumen anggaran.\n\nJuru bicara KPK mengatakan pemeriksaan berlanjut pekan depan.\n"
    ),
)
LONG = "Komisi Pemberantasan Korupsi"


def offers(app: App) -> list[dict[str, object]]:
    status, body = app.api("GET", "/tags/aliases")
    assert status == 200, body
    return body["aliases"]  # type: ignore[no-any-return]


def tags_of(app: App, slug: str) -> list[str]:
    doc = app.document(f"v1/articles/{slug}.json")
    assert doc is not None
    return [tag["slug"] for tag in doc["tags"]]


def test_a_defined_acronym_is_one_tag_and_its_long_form_is_offered_not_applied(app: App) -> None:
    app.upload("kpk.md", article_file(**KPK))
    assert "kpk" in tags_of(app, "bupati-garut-diperiksa")
    assert "komisi-pemberantasan-korupsi" not in tags_of(app, "bupati-garut-diperiksa")
    assert offers(app) == [{"tag": "kpk", "name": "KPK", "alias": LONG, "key": "komisi-pemberantasan-korupsi",
                            "articles": ["bupati-garut-diperiksa"], "status": "waiting"}]  # fmt: skip
    assert app.api("GET", "/tags")[1]["tags"] == []  # nothing learned on its own

    again = {**KPK, "title": "KPK Periksa Saksi Lain", "published_at": "2026-11-21T10:00:00+07:00"}
    app.upload("kpk2.md", article_file(**again))
    app.upload("kpk2.md", article_file(**again))  # the same file again: unchanged, nothing offered twice
    assert offers(app)[0]["articles"] == ["bupati-garut-diperiksa", "kpk-periksa-saksi-lain"]


def test_an_accepted_alias_is_the_vocabulary_tags_and_is_not_offered_again(app: App) -> None:
    app.upload("kpk.md", article_file(**KPK))
    status, body = app.api("POST", "/tags/kpk/aliases", {"alias": LONG, "decision": "accept"})
    assert status == 200 and body["status"] == "accepted", body
    assert offers(app) == []
    assert app.api("GET", "/tags")[1]["tags"] == [
        {"slug": "kpk", "name": "KPK", "aliases": [LONG], "status": "active", "merged_into": None}
    ]
    # An article that only writes the long form is now tagged KPK, through the vocabulary.
    body = f"Pimpinan {LONG} bertemu Presiden di Istana Negara.\n"
    app.upload("long.md", article_file(title="Komisi Antirasuah Bertemu Presiden", body=body))
    assert "kpk" in tags_of(app, "komisi-antirasuah-bertemu-presiden")
    app.upload("kpk3.md", article_file(**{**KPK, "title": "KPK Lagi"}))
    assert offers(app) == []


def test_a_rejected_alias_is_never_offered_again(app: App) -> None:
    app.upload("kpk.md", article_file(**KPK))
    status, body = app.api("POST", "/tags/kpk/aliases", {"alias": LONG, "decision": "reject"})
    assert status == 200 and body["status"] == "rejected"
    app.upload("kpk2.md", article_file(**{**KPK, "title": "KPK Periksa Saksi Lain"}))
    assert offers(app) == []
    assert app.api("GET", "/tags")[1]["tags"] == []


def test_deciding_needs_an_offer_an_editor_and_a_valid_body(app: App) -> None:
    app.upload("kpk.md", article_file(**KPK))
    status, body = app.api("POST", "/tags/kpk/aliases", {"alias": "Lembaga Antirasuah", "decision": "accept"})
    assert status == 404 and "Lembaga Antirasuah" in body["message"]
    status, body = app.api("POST", "/tags/kpk/aliases", {"alias": LONG, "decision": "maybe"})
    assert status == 400 and body["errors"][0]["field"] == "decision"
    assert (
        app.api("POST", "/tags/kpk/aliases", {"alias": LONG, "decision": "accept"}, groups="moderators")[0]
        == 403
    )
    assert app.api("GET", "/tags/aliases", groups="")[0] == 403
    assert offers(app)[0]["status"] == "waiting"  # none of those decided it
