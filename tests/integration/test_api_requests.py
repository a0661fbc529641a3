"""How the API functions read requests (Powertools' validation, answering as the API always has)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.app import App, article_file

Query = dict[str, list[str]]


def call(
    app: App, method: str, path: str, body: bytes | None, *, groups: str | None = "editors",
    headers: dict[str, str] | None = None, query: Query | None = None,
) -> tuple[int, Any]:  # fmt: skip
    """One request as API Gateway sends it, with the headers and query given (the App's adds JSON's)."""
    from kabar_infra.local.api import match, proxy_event, routes

    route, params, _ = match(routes(app.template), method, path)
    assert route is not None
    claims = None if groups is None else {"cognito:username": "u", "cognito:groups": groups}
    event = proxy_event(route, method=method, path=path, path_parameters=params, headers=headers or {},
                        query=query or {}, body=body or b"", claims=claims)  # fmt: skip
    if body is None:
        event["body"] = None
    response = app.invoke(route.function, event)
    return response["statusCode"], json.loads(response["body"]) if response["body"] else None


@pytest.mark.parametrize(
    "content_type", ["text/plain;charset=UTF-8", "application/x-www-form-urlencoded", None]
)
def test_a_body_is_json_whatever_its_content_type(app: App, content_type: str) -> None:
    """Browsers post comments as text/plain (no CORS preflight); curl -d says form-urlencoded."""
    headers = {"Content-Type": content_type} if content_type else {}
    status, answer = call(app, "POST", "/uploads", b'{"filename": "a.md"}', headers=headers)
    assert status == 201 and answer["content_type"] == "text/markdown"
    app.upload("a.md", article_file(title="Banjir", body="Air naik.\n"))
    comment = json.dumps({"name": "Ani", "email": "ani@example.id", "content": "Halo."}).encode()
    status, answer = call(app, "POST", "/articles/banjir/comments", comment, groups=None, headers=headers)
    assert status == 201 and answer["status"] == "awaiting moderation"


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
         {"field": "", "message": "Input should be a valid dictionary or instance of BulkRequest"}]}),
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
