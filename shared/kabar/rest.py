"""API Gateway's REST proxy integration (payload 1.0), as the API functions need it: the event,
the answer, CORS, and a resolver that calls the handler bound to the event's route.

API Gateway has already matched the route (its ``resource``, e.g. ``/articles/{slug}/comments``,
and its decoded ``pathParameters``), so resolving is one dictionary lookup. Powertools' REST
resolver did this before; its import (every resolver of the package, asyncio through the AppSync
one, every event data class) took about 58 ms of each API function's cold start, some 0.4x of a
bare ``import boto3``, for routing that API Gateway does. Powertools' Logger and Metrics stay.

CORS follows the Fetch standard as Powertools' ``CORSConfig`` did: for a request with an
``Origin`` that is allowed, ``Access-Control-Allow-Origin`` is that origin (with ``Vary:
Origin``) or ``*`` when any is allowed, with the allowed and exposed headers and the max age; a
preflight (OPTIONS) is answered 204 with ``Access-Control-Allow-Methods``.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

Answer = dict[str, Any]  # statusCode, headers, body, isBase64Encoded
# What a browser may send on a CORS request: those API Gateway and Cognito clients use.
ALLOW_HEADERS = ("Authorization", "Content-Type", "X-Amz-Date", "X-Amz-Security-Token", "X-Api-Key")


class ApiEvent:
    """One API Gateway REST proxy event, read as the routes read it."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        context = raw.get("requestContext") or {}
        self.method: str = str(raw.get("httpMethod") or context.get("httpMethod") or "").upper()
        self.path: str = str(raw.get("path") or "")
        self.resource: str = str(raw.get("resource") or context.get("resourcePath") or "")
        self.body: str | None = raw.get("body")
        self.request_id: str = str(context.get("requestId") or "")
        self.source_ip: str = str((context.get("identity") or {}).get("sourceIp") or "")
        self.claims: dict[str, Any] = dict((context.get("authorizer") or {}).get("claims") or {})
        self.path_parameters: dict[str, str] = dict(raw.get("pathParameters") or {})
        # API Gateway's single-valued map holds the last of repeated values
        self.query_string_parameters: dict[str, str] = dict(raw.get("queryStringParameters") or {})

    @cached_property
    def headers(self) -> dict[str, str]:
        """The request's headers by lower-case name (HTTP header names are case-insensitive)."""
        found = {key.lower(): values[-1] for key, values in (self.raw.get("multiValueHeaders") or {}).items()
                 if values}  # fmt: skip
        found.update({key.lower(): value for key, value in (self.raw.get("headers") or {}).items()})
        return found

    @property
    def decoded_body(self) -> str:
        """The body as text; ValueError when it is not base64 (if so marked) or not UTF-8."""
        if self.raw.get("isBase64Encoded"):
            return base64.b64decode(self.body or "", validate=True).decode("utf-8")
        return self.body or ""


def answer(status: int, body: str = "", headers: dict[str, str] | None = None) -> Answer:
    return {"statusCode": status, "headers": dict(headers or {}), "body": body, "isBase64Encoded": False}


@dataclass(frozen=True)
class Cors:
    """Which sites' pages may call the routes: ``origins`` (``*`` for any), the response headers
    their scripts may read, and how long a browser keeps a preflight's answer."""

    origins: tuple[str, ...] = ("*",)
    expose_headers: tuple[str, ...] = ()
    max_age: int | None = None

    def headers(self, origin: str | None) -> dict[str, str]:
        if not origin:
            return {}
        if origin in self.origins:
            found = {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
        elif "*" in self.origins:
            found = {"Access-Control-Allow-Origin": "*"}
        else:
            return {}
        found["Access-Control-Allow-Headers"] = ",".join(ALLOW_HEADERS)
        if self.expose_headers:
            found["Access-Control-Expose-Headers"] = ",".join(self.expose_headers)
        if self.max_age is not None:
            found["Access-Control-Max-Age"] = str(self.max_age)
        return found


Handler = Callable[[ApiEvent, dict[str, str]], Answer]


class RestResolver:
    """Calls the handler bound to the event's method and route; maps exceptions to answers.

    ``errors`` maps an exception class to its answer (the most specific class wins, ``Exception``
    catching the rest); ``not_found`` answers an event no route is bound to.
    """

    def __init__(self, cors: Cors | None = None) -> None:
        self.cors = cors
        self.current_event = ApiEvent({})
        self._handlers: dict[tuple[str, str], Handler] = {}
        self.errors: dict[type[Exception], Callable[[Any], Answer]] = {}
        self.not_found: Callable[[ApiEvent], Answer] = lambda event: answer(404)

    def add(self, method: str, resource: str, handler: Handler) -> None:
        key = (method.upper(), resource)
        if key in self._handlers:
            raise ValueError(f"{method} {resource} is bound twice")
        self._handlers[key] = handler

    def resolve(self, raw: dict[str, Any], context: Any = None) -> Answer:
        event = self.current_event = ApiEvent(raw)
        handler = self._handlers.get((event.method, event.resource))
        try:
            if handler is not None:
                result = handler(event, event.path_parameters)
            elif self.cors is not None and event.method == "OPTIONS":
                result = self._preflight()
            else:
                result = self.not_found(event)
        except Exception as exc:
            result = self._error(exc)
        if self.cors is not None:
            result["headers"] = {**self.cors.headers(event.headers.get("origin")), **result["headers"]}
        return result

    def _preflight(self) -> Answer:
        methods = sorted({"OPTIONS", *(method for method, _ in self._handlers)})
        return answer(204, headers={"Access-Control-Allow-Methods": ",".join(methods)})

    def _error(self, exc: Exception) -> Answer:
        for cls in type(exc).__mro__:
            if cls in self.errors:
                return self.errors[cls](exc)
        raise exc
