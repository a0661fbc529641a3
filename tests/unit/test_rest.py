"""kabar.rest: API Gateway's REST proxy event read as the routes read it, CORS, errors mapped."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from kabar.rest import ApiEvent, Cors, RestResolver, answer


def event(method: str, resource: str, *, origin: str | None = None, **extra: Any) -> dict[str, Any]:
    headers = {"Origin": origin} if origin else {}
    return {"httpMethod": method, "resource": resource, "path": resource, "headers": headers, **extra}


def test_the_event_is_read_as_api_gateway_sends_it() -> None:
    read = ApiEvent({
        "httpMethod": "post", "resource": "/articles/{slug}/comments", "path": "/articles/banjir/comments",
        "headers": {"Content-Type": "application/json"}, "multiValueHeaders": {"X-Seen": ["a", "b"]},
        "queryStringParameters": {"limit": "2"}, "pathParameters": {"slug": "banjir"},
        "body": base64.b64encode(b"Halo, dunia").decode(), "isBase64Encoded": True,
        "requestContext": {"requestId": "r-1", "identity": {"sourceIp": "198.51.100.7"},
                           "authorizer": {"claims": {"cognito:username": "ani"}}},
    })  # fmt: skip
    assert (read.method, read.resource, read.path_parameters) == (
        "POST",
        "/articles/{slug}/comments",
        {"slug": "banjir"},
    )
    assert read.headers == {"content-type": "application/json", "x-seen": "b"}  # names are case-insensitive
    assert (read.decoded_body, read.query_string_parameters) == ("Halo, dunia", {"limit": "2"})
    assert (read.request_id, read.source_ip, read.claims) == (
        "r-1",
        "198.51.100.7",
        {"cognito:username": "ani"},
    )
    with pytest.raises(ValueError):
        _ = ApiEvent({"body": "bukan base64!", "isBase64Encoded": True}).decoded_body


def test_cors_names_a_listed_origin_and_varies_on_it_or_allows_any() -> None:
    listed = Cors(("https://pembaca.example", "https://m.pembaca.example"), ("Retry-After",), 600)
    assert listed.headers("https://m.pembaca.example") == {
        "Access-Control-Allow-Origin": "https://m.pembaca.example", "Vary": "Origin",
        "Access-Control-Allow-Headers": ",".join(
            ["Authorization", "Content-Type", "X-Amz-Date", "X-Amz-Security-Token", "X-Api-Key"]),
        "Access-Control-Expose-Headers": "Retry-After", "Access-Control-Max-Age": "600",
    }  # fmt: skip
    assert listed.headers("https://judi.example") == {} and listed.headers(None) == {}
    assert Cors().headers("https://mana.saja")["Access-Control-Allow-Origin"] == "*"


def test_a_route_its_preflight_and_errors_get_the_cors_headers() -> None:
    app = RestResolver(Cors(("https://pembaca.example",)))
    calls: list[dict[str, str]] = []

    def post(request: ApiEvent, path: dict[str, str]) -> dict[str, Any]:
        calls.append(path)
        if path.get("slug") == "gagal":
            raise KeyError("boom")
        return answer(201, "{}", {"Content-Type": "application/json"})

    app.add("POST", "/articles/{slug}/comments", post)
    app.errors[LookupError] = lambda exc: answer(409, str(type(exc).__name__))
    origin = "https://pembaca.example"
    taken = app.resolve(
        event("POST", "/articles/{slug}/comments", origin=origin, pathParameters={"slug": "a"})
    )
    assert taken["statusCode"] == 201 and taken["headers"]["Access-Control-Allow-Origin"] == origin
    assert calls == [{"slug": "a"}]
    preflight = app.resolve(event("OPTIONS", "/articles/{slug}/comments", origin=origin))
    assert (
        preflight["statusCode"] == 204
        and preflight["headers"]["Access-Control-Allow-Methods"] == "OPTIONS,POST"
    )
    failed = app.resolve(
        event("POST", "/articles/{slug}/comments", origin=origin, pathParameters={"slug": "gagal"})
    )
    # the most specific handler of the exception's classes answers (KeyError is a LookupError)
    assert (failed["statusCode"], failed["body"]) == (409, "KeyError")
    assert failed["headers"]["Access-Control-Allow-Origin"] == origin
    assert app.resolve(event("GET", "/tidak-ada"))["statusCode"] == 404
    with pytest.raises(ValueError, match="bound twice"):
        app.add("post", "/articles/{slug}/comments", post)


def test_without_cors_there_is_no_preflight_and_no_cors_header() -> None:
    app = RestResolver()
    app.add("GET", "/tags", lambda request, path: answer(200, "[]"))
    assert (
        "Access-Control-Allow-Origin"
        not in app.resolve(event("GET", "/tags", origin="https://x.example"))["headers"]
    )
    assert app.resolve(event("OPTIONS", "/tags", origin="https://x.example"))["statusCode"] == 404


def test_an_error_no_handler_maps_is_raised() -> None:
    app = RestResolver()
    app.add("GET", "/tags", lambda request, path: 1 // 0)
    with pytest.raises(ZeroDivisionError):
        app.resolve(event("GET", "/tags"))
