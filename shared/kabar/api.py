"""What every editors' API function shares: JSON responses, errors mapped to HTTP, the group check.

Imported only by API functions (it brings Powertools' REST resolver).
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from pydantic import ValidationError

from kabar.errors import Conflict, Forbidden, InvalidRequest, NotFound, PayloadTooLarge, TooManyRequests
from kabar.events import claim_groups
from kabar.observability import logger


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response[str]:
    return Response(
        status_code=status,
        content_type="application/json",
        body=json.dumps(body, ensure_ascii=False),
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


def caller_in_group(app: APIGatewayRestResolver, group: str, what: str) -> str:
    """The caller's user name; Forbidden unless they are in ``group``."""
    claims = app.current_event.request_context.authorizer.claims or {}
    if group not in claim_groups(claims):
        raise Forbidden(f"{what} is for {group} only: your account is not in the {group!r} group")
    return str(claims.get("cognito:username") or claims.get("sub") or "unknown")


def json_body(app: APIGatewayRestResolver) -> Any:
    """The request body as JSON; InvalidRequest (400) when it is not: not base64, UTF-8 or JSON."""
    try:
        return app.current_event.json_body
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, binascii.Error: the body only
        raise InvalidRequest(f"the body is not valid JSON: {exc}", []) from exc


def _invalid_model(exc: ValidationError) -> Response[str]:
    errors = [
        {"field": ".".join(str(p) for p in e["loc"]) or "body", "message": e["msg"]}
        for e in exc.errors(include_url=False)
    ]
    return json_response(400, {"message": "the request is not valid", "errors": errors})


def _invalid_request(exc: InvalidRequest) -> Response[str]:
    return json_response(400, {"message": exc.message, "errors": exc.errors})


def _forbidden(exc: Forbidden) -> Response[str]:
    return json_response(403, {"message": str(exc)})


def _not_found(exc: NotFound) -> Response[str]:
    return json_response(404, {"message": str(exc)})


def _conflict(exc: Conflict) -> Response[str]:
    return json_response(409, {"message": str(exc)})


def _too_many(exc: TooManyRequests) -> Response[str]:
    return json_response(429, {"message": str(exc)}, {"Retry-After": str(exc.retry_after)})


def _too_large(exc: PayloadTooLarge) -> Response[str]:
    message = "the request is too large"
    return json_response(413, {"message": message, "errors": [{"field": exc.field, "message": exc.message}]})


def _unexpected(exc: Exception) -> Response[str]:
    """Anything else is a fault of ours: logged with its traceback, answered without its text."""
    logger.exception("unexpected error")
    return json_response(500, {"message": "internal error: the request failed on our side"})


_ERROR_HANDLERS: list[tuple[type[Exception], Any]] = [
    (TooManyRequests, _too_many),
    (PayloadTooLarge, _too_large),
    (ValidationError, _invalid_model),
    (InvalidRequest, _invalid_request),
    (Forbidden, _forbidden),
    (NotFound, _not_found),
    (Conflict, _conflict),
    (Exception, _unexpected),  # the most specific handler wins: this one only for the rest
]


def cors(origins: str) -> CORSConfig:
    """CORS for a public route: ``origins`` comma-separated, or ``*`` for any site.

    Preflight (OPTIONS) is answered by the resolver; Retry-After is readable by scripts.
    """
    allowed = [origin.strip().rstrip("/") for origin in origins.split(",") if origin.strip()] or ["*"]
    return CORSConfig(allow_origin=allowed[0], extra_origins=allowed[1:], expose_headers=["Retry-After"],
                      max_age=600)  # fmt: skip


def resolver(cors: CORSConfig | None = None) -> APIGatewayRestResolver:
    """A REST resolver whose errors are JSON with a message that says what is wrong."""
    app = APIGatewayRestResolver(cors=cors)
    for exception, handle in _ERROR_HANDLERS:
        app.exception_handler(exception)(handle)

    @app.not_found
    def _no_route(exc: NotFoundError) -> Response[str]:
        event = app.current_event
        return json_response(404, {"message": f"no route {event.http_method} {event.path}"})

    return app
