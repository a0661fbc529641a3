"""How the API functions read requests (kabar.routing: the group first, JSON only, the last query value)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.app import App, Query, article_file, call

NOT_JSON = "the body must be JSON sent with Content-Type: application/json"


@pytest.mark.parametrize(
    ("content_type", "sent"),
    [("text/plain;charset=UTF-8", "it was sent as 'text/plain;charset=UTF-8'"),
     ("application/x-www-form-urlencoded", "it was sent as 'application/x-www-form-urlencoded'"),
     ("multipart/form-data; boundary=x", "it was sent as 'multipart/form-data; boundary=x'"),
     (None, "it was sent without one")],
)  # fmt: skip
def test_a_body_not_sent_as_json_is_415(app: App, content_type: str | None, sent: str) -> None:
    """Browsers post text/plain and forms cross-origin without a CORS preflight; JSON needs one, so
    the intake's origins decide. Every route with a body is JSON-only, and nothing is stored."""
    headers = {"Content-Type": content_type} if content_type else {}
    app.upload("a.md", article_file(title="Banjir", body="Air naik.\n"))
    comment = json.dumps({"name": "Ani", "email": "ani@example.id", "content": "Halo."}).encode()
    message = f"{NOT_JSON}; {sent}"
    refused = (415, {"message": message, "errors": [{"field": "Content-Type", "message": message}]})
    before = app.table_items()
    assert call(app, "POST", "/articles/banjir/comments", comment, groups=None, headers=headers) == refused
    assert call(app, "POST", "/uploads", b'{"filename": "a.md"}', headers=headers) == refused
    assert call(app, "PUT", "/tags/banjir", b'{"name": "Banjir"}', headers=headers) == refused
    assert app.table_items() == before
    for json_type in ("application/json", "Application/JSON; charset=utf-8"):
        assert (
            call(app, "POST", "/uploads", b'{"filename": "a.md"}', headers={"content-type": json_type})[0]
            == 201
        )


@pytest.mark.parametrize(
    "asked",
    [("POST", "/uploads", b"{not json", None, "editors"), ("PUT", "/tags", b"[]", None, "editors"),
     ("PUT", "/tags/x", b'{"nama": 1}', None, "editors"),
     ("PUT", "/comments/abcdefgh12", b"null", None, "moderators"),
     ("GET", "/comments", None, {"limit": ["abc"]}, "moderators")],
)  # fmt: skip
def test_a_caller_outside_the_group_hears_403_whatever_they_sent(
    app: App, asked: tuple[str, str, bytes | None, Query | None, str]
) -> None:
    method, path, body, query, group = asked
    status, answer = call(app, method, path, body, query=query, groups="readers")
    assert status == 403 and group in answer["message"]
    assert call(app, method, path, body, query=query, groups=group)[0] == 400


@pytest.mark.parametrize(
    ("method", "path", "answer"),
    [("POST", "/uploads", {"message": "the body must be a JSON object", "errors": []}),
     ("PUT", "/tags/x", {"message": "the request is not valid", "errors": [
         {"field": "body", "message": "Input should be a valid dictionary or instance of TagRequest"}]}),
     ("PUT", "/tags", {"message": "the tags are not valid; nothing was stored", "errors": [
         {"field": "body", "message": "Input should be a valid dictionary or instance of BulkRequest"}]}),
     ("PUT", "/comments/abcdefgh12", {"message": "the body must be a JSON object", "errors": [
         {"field": "body", "message": "not an object"}]})],
)  # fmt: skip
def test_no_body_and_null_are_refused_as_any_body_that_is_not_an_object(
    app: App, method: str, path: str, answer: dict[str, Any]
) -> None:
    """Powertools takes both for a missing body ("Field required"); the routes answer as they always did."""
    group = "moderators" if path.startswith("/comments") else "editors"
    for body in (None, b"null", b"[1]", b'"x"'):
        assert call(app, method, path, body, groups=group) == (400, answer), body


def test_query_values_are_read_as_api_gateway_gives_them(app: App) -> None:
    """The last of repeated values (Powertools would validate the list); an empty one is the default."""

    def queue(query: Query) -> tuple[int, Any]:
        return call(app, "GET", "/comments", None, query=query, groups="moderators")

    assert queue({"limit": ["x", "2"], "status": ["trash", "spam"]}) == (
        200, {"status": "spam", "comments": [], "next": None})  # fmt: skip
    assert queue({"status": [""], "limit": [""], "cursor": [""]}) == (
        200, {"status": "pending", "comments": [], "next": None})  # fmt: skip
    status, answer = queue({"limit": ["2", "x"]})
    assert status == 400 and answer["errors"] == [{"field": "limit", "message": "must be 1 to 100"}]
