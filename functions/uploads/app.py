"""UploadsFunction: the editors' upload API (POST /uploads, GET /uploads/{upload_id})."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar import aws
from kabar.api import (
    EDITORS,
    FORBIDDEN,
    INVALID,
    answers,
    caller_in_group,
    json_response,
    parsed_by,
    resolver,
)
from kabar.deps import stores
from kabar.observability import logger
from kabar.settings import get_settings
from kabar.workflows import uploads
from kabar.workflows.uploads import UploadRequest

Request = Annotated[UploadRequest, Body(), parsed_by(uploads.upload_request)]
UploadId = Annotated[str, Path(json_schema_extra={"pattern": uploads.UPLOAD_ID_PATTERN.pattern})]
STATUS = "The upload's state; `live` once the CDN serves the published version"


def presign(key: str, content_type: str, max_bytes: int, expires: int) -> dict[str, Any]:
    """A presigned POST for exactly this key, content type and size range."""
    return aws.s3().generate_presigned_post(
        Bucket=get_settings().incoming_bucket, Key=key, Fields={"Content-Type": content_type},
        Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
        ExpiresIn=expires,
    )  # fmt: skip


def current_editor() -> str:
    return caller_in_group(app, get_settings().editors_group, "this API")


app = resolver(guard=current_editor)


@app.post("/uploads", summary="Ask where to upload one article file", security=EDITORS,
          responses=answers(201, "UploadTicket", "Upload ticket", INVALID | FORBIDDEN))  # fmt: skip
def create_upload(request: Request) -> Response[str]:
    editor, settings = current_editor(), get_settings()
    ticket = uploads.request_upload(
        request, editor=editor, uploads=stores().uploads, presign=presign,
        max_bytes=settings.upload_max_bytes, expires_seconds=settings.upload_expires_seconds,
    )  # fmt: skip
    logger.info("upload requested", extra={"upload_id": ticket.upload_id, "editor": editor})
    return json_response(201, ticket.model_dump(mode="json"))


@app.get("/uploads/<upload_id>", summary="What became of an upload", security=EDITORS,
         responses=answers(200, "UploadStatus", STATUS, FORBIDDEN | {404: "No such upload"}))  # fmt: skip
def get_upload(upload_id: UploadId) -> Response[str]:
    current_editor()
    status = uploads.upload_status(upload_id, uploads=stores().uploads, articles=stores().articles)
    return json_response(200, status.model_dump(mode="json"))


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
