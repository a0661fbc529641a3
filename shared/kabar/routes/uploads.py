"""UploadsFunction's routes: ``POST /uploads``, ``GET /uploads/{upload_id}``."""

from __future__ import annotations

from kabar.api import EDITORS, FORBIDDEN, INVALID, JSON_ONLY, answers
from kabar.routing import Body, Path, Route
from kabar.workflows.uploads import UPLOAD_ID_PATTERN, upload_request

STATUS = "The upload's state; `live` once the CDN serves the published version"

CREATE = Route(
    "POST", "/uploads", "Ask where to upload one article file", security=EDITORS,
    body=("request", Body(upload_request, "kabar.workflows.upload_forms:UploadRequest")),
    responses=answers(201, "UploadTicket", "Upload ticket", INVALID | FORBIDDEN | JSON_ONLY),
)  # fmt: skip
STATUS_OF = Route(
    "GET", "/uploads/{upload_id}", "What became of an upload", security=EDITORS,
    path_params={"upload_id": Path(UPLOAD_ID_PATTERN.pattern)},
    responses=answers(200, "UploadStatus", STATUS, FORBIDDEN | {404: "No such upload"}),
)  # fmt: skip
