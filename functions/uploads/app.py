"""UploadsFunction: the editors' upload API (POST /uploads, GET /uploads/{upload_id})."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar import aws
from kabar.api import caller_in_group, json_body, json_response, resolver
from kabar.deps import stores
from kabar.errors import InvalidRequest
from kabar.observability import logger
from kabar.settings import get_settings
from kabar.workflows.uploads import UploadRequest, request_upload, upload_status

app = resolver()


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
    return caller_in_group(app, get_settings().editors_group, "this API")


@app.post("/uploads")
def create_upload() -> Response[str]:
    editor = current_editor()
    body = json_body(app)
    if not isinstance(body, dict):
        raise InvalidRequest("the body must be a JSON object", [])
    settings = get_settings()
    ticket = request_upload(
        UploadRequest.model_validate(body),
        editor=editor,
        uploads=stores().uploads,
        presign=presign,
        max_bytes=settings.upload_max_bytes,
        expires_seconds=settings.upload_expires_seconds,
    )
    logger.info("upload requested", extra={"upload_id": ticket.upload_id, "editor": editor})
    return json_response(201, ticket.model_dump(mode="json"))


@app.get("/uploads/<upload_id>")
def get_upload(upload_id: str) -> Response[str]:
    current_editor()
    status = upload_status(upload_id, uploads=stores().uploads, articles=stores().articles)
    return json_response(200, status.model_dump(mode="json"))


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
