"""Bad input as a hostile reader or a careless editor sends it, against the real handlers: each gets a
4xx naming the problem (API) or a rejection listing every reason (uploads), never a crash, a retry
or an upload left pending; the original file is kept."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from tests.support.app import App, article_file, call

BODY_ROUTES = [
    ("POST", "/articles/banjir/comments", None), ("POST", "/uploads", "editors"), ("PUT", "/tags", "editors"),
    ("PUT", "/tags/banjir", "editors"), ("POST", "/tags/banjir/merge", "editors"),
    ("PUT", "/comments/abcdefgh12", "moderators"),
]  # fmt: skip
NUMBER = "1" + "0" * 4999
BAD_JSON = [
    (b"[" * 5000, "nests deeper than 32 levels of arrays and objects (at line 1 column 33)"),
    (b'{"a":' * 3000, "nests deeper than 32 levels of arrays and objects (at line 1 column 161)"),
    (b'{"a": "[[[[", "b": [' + b"[" * 40,  # brackets in strings are text
     "nests deeper than 32 levels of arrays and objects (at line 1 column 51)"),
    (b'{"name": ' + NUMBER.encode() + b"}", "a number of 5000 characters (at most 40) (at line 1 column 10)"),
    (b'{"name": 1.5e99999999999999999999999999999999999999999}',
     "a number of 45 characters (at most 40) (at line 1 column 10)"),
    (b'{"name": NaN}', "NaN is not a JSON value (at line 1 column 10)"),
    (b"{not json", "Expecting property name enclosed in double quotes at line 1 column 2"),
    (b'{\n  "name": "a",\n  "name" "b"}', "Expecting ':' delimiter at line 3 column 10"),
    (b'{"name": "a", "name": "b"}', "the key 'name' appears twice in one object"),
]  # fmt: skip


def test_json_bodies_outside_the_limits_are_400_naming_the_problem_and_where(app: App) -> None:
    """Checked before json.loads would recurse or convert: the same answer on every route with a body."""
    wrong = []
    for method, path, group in BODY_ROUTES:
        for body, problem in BAD_JSON:
            answer = call(app, method, path, body, groups=group)
            expected = (
                400,
                {"message": "the body is not valid JSON", "errors": [{"field": "body", "message": problem}]},
            )
            if answer != expected:
                wrong.append((method, path, body[:20], answer))
    assert wrong == []
    assert app.table_items() == []


def test_a_crash_in_a_handler_is_logged_at_error_with_its_request(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kabar.observability import logger
    from kabar.workflows import uploads

    logged = io.StringIO()
    monkeypatch.setattr(logger.registered_handler, "stream", logged)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the store fell over")

    monkeypatch.setattr(uploads, "request_upload", broken)
    status, answer = call(app, "POST", "/uploads", b'{"filename": "rahasia-editor.md"}')
    assert (status, answer) == (500, {"message": "internal error: the request failed on our side"})
    lines = [json.loads(line) for line in logged.getvalue().splitlines() if line.startswith("{")]
    (error,) = [line for line in lines if line["level"] == "ERROR"]
    assert (
        error["message"] == "unexpected error" and "RuntimeError: the store fell over" in error["exception"]
    )
    assert {k: v for k, v in error["request"].items() if k != "request_id"} == {
        "method": "POST", "path": "/uploads", "error": "RuntimeError"}  # fmt: skip
    assert error["request"]["request_id"] and "rahasia-editor" not in json.dumps(error)  # never the body


def test_bulk_and_single_tags_judge_a_name_alike(app: App) -> None:
    """A name without Latin letters is a tag's when a slug is given, alone or in bulk; in bulk without
    one, the entry's ``slug`` is asked for by its index. Errors carry no "Value error," prefix."""
    assert call(app, "PUT", "/tags/jepang", json.dumps({"name": "日本"}).encode())[0] == 200
    status, answer = call(
        app, "PUT", "/tags", json.dumps({"tags": [{"name": "日本", "slug": "nihon"}]}).encode()
    )
    assert (status, answer["tags"][0]["slug"]) == (200, "nihon")
    status, answer = call(
        app, "PUT", "/tags", json.dumps({"tags": [{"name": "Banjir"}, {"name": "日本"}]}).encode()
    )
    assert (status, answer["errors"]) == (400, [{"field": "tags.1.slug", "message": (
        "is needed: the name '日本' has no letters or digits a-z, 0-9 to make one of")}])  # fmt: skip
    html = "HTML is not allowed here; this field is plain text"
    bidi = (
        "has the control or direction-changing character U+202E at character 2; "
        "this field is plain text: remove it"
    )
    for name, problem in (
        ("<b", html),
        ("a\u202eb", bidi),
        ("x" * 61, "String should have at most 60 characters"),
    ):
        assert call(app, "PUT", "/tags/x", json.dumps({"name": name}).encode()) == (
            400, {"message": "the request is not valid",
                  "errors": [{"field": "name", "message": problem}]})  # fmt: skip
        assert call(app, "PUT", "/tags", json.dumps({"tags": [{"name": name, "slug": "x"}]}).encode()) == (
            400, {"message": "the tags are not valid; nothing was stored",
                  "errors": [{"field": "tags.0.name", "message": problem}]})  # fmt: skip


def test_a_ticket_is_refused_for_a_name_that_is_only_an_extension(app: App) -> None:
    status, answer = call(app, "POST", "/uploads", b'{"filename": ".md"}')
    assert (status, answer["errors"]) == (400, [
        {"field": "filename", "message": "needs a name before the extension, e.g. 'berita.md'"}])  # fmt: skip
    status, answer = call(app, "POST", "/uploads", json.dumps({"filename": "日本.md"}).encode())
    assert status == 201 and answer["upload"]["fields"]["key"].endswith("/upload.md")
    assert [item["sk"]["S"] for item in app.table_items()] == ["UPLOAD"]


TIME = "must be an ISO 8601 time with a UTC offset, e.g. 2026-11-24T09:00:00+07:00, not a number"
PLAIN = "; this field is plain text: remove it"
YAML = "is not valid YAML"
BAD_FILES: list[tuple[str, bytes, list[tuple[str, str]]]] = [
    ("deep.md", b"---\ntitle: " + b"[" * 5000 + b"\n---\nx\n",
     [("front_matter", "is not valid YAML (line 2): nests deeper than 8 levels")]),
    ("deep.json", b"[" * 5000,
     [("file", "is not valid JSON: nests deeper than 8 levels of arrays and objects (at line 1 column 9)")]),
    ("number.json", b'{"title": "A", "body": "x", "lead": ' + NUMBER.encode() + b"}",
     [("file", "is not valid JSON: a number of 5000 characters (at most 40) (at line 1 column 37)")]),
    ("number.md", b"---\ntitle: " + NUMBER.encode() + b"\n---\nx\n",
     [("front_matter", f"{YAML} (line 2): a number of 5000 characters (at most 40); "
                       "quote it if it is text")]),
    ("alias.md", b"---\ntitle: &t Judul\nlead: *t\n---\nx\n",
     [("front_matter", f"{YAML} (line 3): an alias (*t) is not read in front matter: write the value out")]),
    ("twice.md", b"---\ntitle: A\nlead: x\ntitle: B\n---\nx\n",
     [("front_matter", "is not valid YAML (line 4): the key 'title' appears twice")]),
    ("twice.json", b'{"title": "A", "title": "B", "body": "x"}',
     [("file", "is not valid JSON: the key 'title' appears twice in one object")]),
    ("brackets.md", b"---\ntitle: Kurung\n---\n" + b"[" * 20000 + b"\n", [("body", (
        "has too many unclosed '[' or '](' to render (the paragraph at line 1 costs most): close them, "
        "write \\[ for a bracket that opens no link, or split the paragraph"))]),
    ("epoch.md", article_file(title="Jam", published_at=1700000000),
     [("published_at", f"{TIME} (a number is not read as seconds since 1970)")]),
    ("control.md", article_file(title="Kendali", author="Ani\u202eSiregar", dateline="JAKARTA\u0007"), [
        ("dateline", f"has the control or direction-changing character U+0007 at character 8{PLAIN}"),
        ("author", f"has the control or direction-changing character U+202E at character 4{PLAIN}")]),
    ("nul.md", "---\ntitle: A\nauthor: A\u0000\n---\nx\n".encode(),
     [("front_matter", "is not valid YAML (line 3): the control character U+0000 is not allowed")]),
    ("unclosed.md", article_file(title="Judul <img src=x onerror=alert(1)", author="<b"),
     [("title", "HTML is not allowed here; this field is plain text"),
      ("author", "HTML is not allowed here; this field is plain text")]),
    ("long.md", article_file(title="x" * 10000),
     [("title", "must be at most 300 characters (it has 10000)")]),
    ("japanese.md", article_file(title="日本の新聞"), [("slug", (
        "is needed: the title '日本の新聞' has no letters or digits a-z, 0-9 to make one of; add e.g. "
        "'slug: judul-berita' (lower-case a-z, 0-9 and hyphens)"))]),
    ("bad.json", b'{"title": "A",\n "body": }',
     [("file", "is not valid JSON: Expecting value at line 2 column 10")]),
]  # fmt: skip


def test_bad_files_are_rejected_with_every_reason_and_kept(app: App) -> None:
    """Nothing is retried, nothing stays pending, nothing reaches a document; the file stays in S3."""
    wrong = []
    for filename, data, reasons in BAD_FILES:
        upload_id = app.upload(filename, data)
        status = app.status(upload_id)
        found = [(error["field"], error["message"]) for error in status["errors"]]
        if (status["state"], found) != ("rejected", reasons):
            wrong.append((filename, status["state"], found))
        key = f"uploads/{upload_id}/{filename}"
        assert app.s3.get_object(Bucket=app.incoming_bucket, Key=key)["Body"].read() == data
    assert wrong == []
    assert [key for key in app.site_keys() if "/articles/" in key] == []


def test_what_the_limits_allow_is_published(app: App) -> None:
    """The limits are far from real articles: a slug for a Japanese title, links and escaped brackets."""
    body = ("Lihat [laporan](https://a.id/x) dan \\[catatan\\]. " * 400 + "\n\n") * 5
    upload_id = app.upload("ok.md", article_file(title="日本の新聞", slug="koran-jepang", body=body,
                                                 published_at="2026-11-24T09:00:00+07:00"))  # fmt: skip
    status = app.status(upload_id)
    assert (status["state"], status["errors"]) == ("published", [])
    document = app.document("v1/articles/koran-jepang.json")
    assert document is not None and document["title"] == "日本の新聞"


def test_invisible_formatting_of_pasted_text_is_dropped_not_refused(app: App) -> None:
    """Copy from a word processor or a web page carries marks nobody sees (a left-to-right mark in a
    real IndoSum lead): the article is published without them; joiners that emoji need stay."""
    lead = "Presiden\u200e meninjau lokasi gem\u00adpa di\u200b Cianjur.\u009d\u2028Bantuan tiba."
    upload_id = app.upload("paste.md", article_file(title="\ufeffGempa Cianjur", lead=lead,
                                                    author="Ani \U0001f468\u200d\U0001f469"))  # fmt: skip
    status = app.status(upload_id)
    assert (status["state"], status["errors"]) == ("published", [])
    document = app.document(f"v1/articles/{status['article']['slug']}.json")
    assert document is not None
    assert (document["title"], document["lead"]) == (
        "Gempa Cianjur",
        "Presiden meninjau lokasi gempa di Cianjur. Bantuan tiba.",
    )
    assert document["author"] == "Ani \U0001f468\u200d\U0001f469"
