"""The API's routes as data: each route's path, query and body parameters, and what it answers.

A route declares its parameters (:class:`Path`, :class:`Query`, :class:`Body`) and its answers
once. :meth:`kabar.api.Resolver.bind` reads a request by them (:meth:`Route.values`) and calls
the handler with the values; ``make openapi`` (:mod:`kabar_infra.openapi`) writes the OpenAPI
document from the same declarations (not Powertools' validation, which brought pydantic and its
OpenAPI models into every API function's cold start, some 70 ms, and built a validator per route
on its first request: docs/architecture.md, The API). Reading follows API Gateway:
``queryStringParameters`` holds the last of repeated values; an empty value is the default.

A body is read only by routes that take one, in this order: the caller's group (``guard``; a
caller outside it hears 403 whatever they sent), ``Content-Type: application/json`` (415: a
browser posts text/plain and forms cross-origin without a CORS preflight, which JSON needs),
base64 and UTF-8, JSON within :mod:`kabar.strictjson`'s limits (400 saying what and where), then
the route's ``parse`` (the JSON as sent, None for no body or ``null``). A pydantic
``ValidationError`` from ``parse`` is a 400 naming each field; a body checked by :mod:`kabar.checks`
raises the same 400 (:func:`invalid`). This module never imports pydantic.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kabar import strictjson
from kabar.errors import InvalidRequest, UnsupportedMediaType

if TYPE_CHECKING:
    from kabar.checks import Problem
    from kabar.rest import ApiEvent

NOT_VALID = "the request is not valid"
_PARAM = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Path:
    """A path parameter (always required); ``pattern`` is documented, the workflow checks it."""

    pattern: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Query:
    """An optional query parameter. ``read`` turns the text into the value (a ValueError's message
    names what is wrong); ``enum``, ``minimum`` and ``maximum`` are documented, the workflow checks
    them (after the values every parameter read)."""

    type: str = "string"  # its JSON Schema type: "string" or "integer"
    default: Any = None
    description: str | None = None
    enum: tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None
    read: Callable[[str], Any] = str


PAGE_LIMITS = "must be a whole number from 1 to 100"


def page_size(limit: str) -> int:
    """A page's ``limit`` query parameter: 1 to 100 (ValueError naming the rule otherwise)."""
    if limit.isdecimal() and 1 <= int(limit) <= 100:
        return int(limit)
    raise ValueError(PAGE_LIMITS)


@dataclass(frozen=True)
class Body:
    """The route's JSON body: ``parse`` makes the handler's value of it; ``model`` names the
    pydantic model that documents it ("module:Class", imported only by ``make openapi``)."""

    parse: Callable[[Any], Any]
    model: str


@dataclass(frozen=True)
class Route:
    """One route: method, path (OpenAPI's ``{name}`` form), parameters, summary, answers.

    ``path_params``, ``query`` and ``body`` map each handler argument to its declaration.
    """

    method: str
    path: str
    summary: str
    responses: dict[int, Any]
    security: list[dict[str, list[str]]] | None = None
    path_params: dict[str, Path] = field(default_factory=dict)
    query: dict[str, Query] = field(default_factory=dict)
    body: tuple[str, Body] | None = None

    def __post_init__(self) -> None:
        named = _PARAM.findall(self.path)
        if sorted(named) != sorted(self.path_params):
            raise ValueError(f"{self.path}: declare exactly the path parameters {named}")

    def values(self, event: ApiEvent, path: dict[str, str]) -> dict[str, Any]:
        """The handler's keyword arguments for ``event``: path parameters, query values, the body."""
        values: dict[str, Any] = {**path, **self._query_values(event)}
        if self.body is not None:
            name, body = self.body
            values[name] = _parsed(body, _json_body(event))
        return values

    def _query_values(self, event: ApiEvent) -> dict[str, Any]:
        given = event.query_string_parameters
        values, errors = {}, []
        for name, param in self.query.items():
            text = given.get(name)
            if not text:
                values[name] = param.default
                continue
            try:
                values[name] = param.read(text)
            except ValueError as exc:
                errors.append({"field": name, "message": str(exc)})
        if errors:
            raise InvalidRequest(NOT_VALID, errors)
        return values


def _json_body(event: ApiEvent) -> Any:
    """The body as JSON (None for none); 415 unless sent as JSON, 400 unless UTF-8 JSON in limits."""
    if not event.body:
        return None
    check_json_media(event.headers.get("content-type"))
    try:
        text = event.decoded_body
    except ValueError as exc:  # UnicodeDecodeError, binascii.Error
        raise InvalidRequest("the body is not UTF-8 text", [{"field": "body", "message": str(exc)}]) from exc
    try:
        return strictjson.loads(text)
    except strictjson.JSONError as exc:
        raise InvalidRequest("the body is not valid JSON", [{"field": "body", "message": str(exc)}]) from exc


def _parsed(body: Body, value: Any) -> Any:
    try:
        return body.parse(value)
    except ValueError as exc:  # a body that is not a pydantic model's: no pydantic to import for it
        pydantic_core = sys.modules.get("pydantic_core")
        if pydantic_core is not None and isinstance(exc, pydantic_core.ValidationError):
            raise InvalidRequest(NOT_VALID, field_errors(exc)) from exc
        raise


def invalid(problems: list[Problem]) -> InvalidRequest:
    """A 400 naming each field a body's :mod:`kabar.checks` found wrong, worded as pydantic's are."""
    return InvalidRequest(NOT_VALID, [{"field": problem.at or "body", "message": problem.message}
                                      for problem in problems])  # fmt: skip


def field_errors(exc: Any) -> list[dict[str, str]]:
    """A pydantic ValidationError's errors as this API answers them: each field's dotted path
    ("body" for the body itself) and the message without pydantic's "Value error, " in front."""
    return [
        {"field": ".".join(str(part) for part in error["loc"]) or "body",
         "message": str(error["msg"]).removeprefix("Value error, ")}
        for error in exc.errors()
    ]  # fmt: skip


def check_json_media(content_type: str | None) -> None:
    """UnsupportedMediaType unless ``content_type`` is application/json (parameters allowed)."""
    if (content_type or "").split(";")[0].strip().lower() != "application/json":
        sent = f"it was sent as {content_type!r}" if content_type else "it was sent without one"
        raise UnsupportedMediaType(f"the body must be JSON sent with Content-Type: application/json; {sent}")
