"""UploadsFunction: the editors' API (POST /uploads, GET /uploads/{upload_id})."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from kabar import aws
from kabar.deps import content_table
from kabar.errors import Forbidden, InvalidRequest, NotFound
from kabar.events import claim_groups
from kabar.logic.uploads import UploadRequest, request_upload, upload_status
from kabar.observability import logger
from kabar.settings import get_settings

app = APIGatewayRestResolver()


def presign(key: str, content_type: str, max_bytes: int, expires: int) -> dict[str, Any]:
    """A presigned POST for exactly this key, content type and size range."""
    return aws.s3().generate_presigned_post(
        Bucket=get_settings().incoming_bucket,
        Key=key,
        Fields={"Content-Type": content_type},
        Conditions=[
            {"Content-Type": content_type},
            ["content-length-range", 1, max_bytes],
        ],
        ExpiresIn=expires,
    )


def current_editor() -> str:
    """The caller's user name; Forbidden unless they are in the editors group."""
    claims = app.current_event.request_context.authorizer.claims or {}
    group = get_settings().editors_group
    if group not in claim_groups(claims):
        raise Forbidden(f"this API is for editors only: your account is not in the {group!r} group")
    return str(claims.get("cognito:username") or claims.get("sub") or "unknown")


@app.post("/uploads")
def create_upload() -> Response[str]:
    editor = current_editor()
    body = app.current_event.json_body
    if not isinstance(body, dict):
        raise InvalidRequest("the body must be a JSON object", [])
    settings = get_settings()
    ticket = request_upload(
        UploadRequest.model_validate(body),
        editor=editor,
        table=content_table(),
        presign=presign,
        max_bytes=settings.upload_max_bytes,
        expires_seconds=settings.upload_expires_seconds,
    )
    logger.info("upload requested", extra={"upload_id": ticket.upload_id, "editor": editor})
    return _json(201, ticket.model_dump(mode="json"))


@app.get("/uploads/<upload_id>")
def get_upload(upload_id: str) -> Response[str]:
    current_editor()
    status = upload_status(upload_id, table=content_table())
    return _json(200, status.model_dump(mode="json"))


def _json(status: int, body: dict[str, Any]) -> Response[str]:
    import json

    return Response(
        status_code=status,
        content_type="application/json",
        body=json.dumps(body, ensure_ascii=False),
        headers={"Cache-Control": "no-store"},
    )


@app.exception_handler(ValidationError)
def _invalid_model(exc: ValidationError) -> Response[str]:
    errors = [
        {"field": ".".join(str(p) for p in e["loc"]) or "body", "message": e["msg"]}
        for e in exc.errors(include_url=False)
    ]
    return _json(400, {"message": "the request is not valid", "errors": errors})


@app.exception_handler(InvalidRequest)
def _invalid_request(exc: InvalidRequest) -> Response[str]:
    return _json(400, {"message": exc.message, "errors": exc.errors})


@app.exception_handler(ValueError)
def _bad_json(exc: ValueError) -> Response[str]:
    # json_body raises JSONDecodeError (a ValueError) on a body that is not JSON.
    return _json(400, {"message": f"the body is not valid JSON: {exc}", "errors": []})


@app.exception_handler(Forbidden)
def _forbidden(exc: Forbidden) -> Response[str]:
    return _json(403, {"message": str(exc)})


@app.exception_handler(NotFound)
def _not_found(exc: NotFound) -> Response[str]:
    return _json(404, {"message": str(exc)})


@app.not_found
def _no_route(exc: NotFoundError) -> Response[str]:
    return _json(404, {"message": f"no route {app.current_event.http_method} {app.current_event.path}"})


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
