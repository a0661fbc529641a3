"""UploadsFunction's routes: ``POST /uploads``, ``GET /uploads/{upload_id}``."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body, Path

from kabar.api import EDITORS, FORBIDDEN, INVALID, JSON_ONLY, answers, parsed_by
from kabar.workflows.uploads import UPLOAD_ID_PATTERN, UploadRequest, upload_request

Request = Annotated[UploadRequest, Body(), parsed_by(upload_request)]
UploadId = Annotated[str, Path(json_schema_extra={"pattern": UPLOAD_ID_PATTERN.pattern})]
STATUS = "The upload's state; `live` once the CDN serves the published version"

CREATE: dict[str, Any] = {
    "summary": "Ask where to upload one article file", "security": EDITORS,
    "responses": answers(201, "UploadTicket", "Upload ticket", INVALID | FORBIDDEN | JSON_ONLY),
}  # fmt: skip
STATUS_OF: dict[str, Any] = {
    "summary": "What became of an upload", "security": EDITORS,
    "responses": answers(200, "UploadStatus", STATUS, FORBIDDEN | {404: "No such upload"}),
}  # fmt: skip
