"""Upload requests: where an editor may put one file, and what became of it."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from kabar.errors import InvalidRequest, NotFound
from kabar.models import Upload, UploadState

if TYPE_CHECKING:
    from kabar.workflows.upload_forms import UploadRequest, UploadTicket

UPLOAD_ID_PATTERN = re.compile(r"^[0-9a-f]{32}$")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


# How long after its ticket's expiry a pending upload is taken as expired: a file posted just in
# time may still be on its way (S3 notification, then the queue).
EXPIRY_GRACE = timedelta(minutes=2)


class Uploads(Protocol):
    def create(self, upload: Upload) -> None: ...
    def get(self, upload_id: str) -> Upload | None: ...
    def expire(self, upload_id: str) -> Upload | None: ...


class Rendered(Protocol):
    def rendered_version(self, slug: str) -> tuple[int, str] | None: ...


@dataclass(kw_only=True)
class UploadStatus(Upload):
    """``GET /uploads/{id}`` response: the upload, and whether the CDN serves its result yet."""

    live: bool = False


CONTENT_TYPES = {".md": "text/markdown", ".markdown": "text/markdown", ".json": "application/json"}


def content_type_for(filename: str) -> str | None:
    """The content type an article file of this name must be uploaded with, if any."""
    lowered = filename.lower()
    for suffix, content_type in CONTENT_TYPES.items():
        if lowered.endswith(suffix):
            return content_type
    return None


def upload_request(body: Any) -> UploadRequest:
    """The ``POST /uploads`` body, validated (InvalidRequest when it is not a JSON object)."""
    if not isinstance(body, dict):
        raise InvalidRequest("the body must be a JSON object", [])
    from kabar.workflows.upload_forms import UploadRequest  # pydantic: only when a body is read

    return UploadRequest.model_validate(body)


def safe_filename(filename: str) -> str:
    """The file's base name with anything unusual replaced, so S3 keys stay simple; its extension is
    kept ("日本.md" is "upload.md")."""
    stem, dot, suffix = filename.replace("\\", "/").rsplit("/", 1)[-1].rpartition(".")
    if not dot:
        stem, suffix = suffix, ""
    cleaned, suffix = _UNSAFE.sub("-", stem).strip("-.") or "upload", _UNSAFE.sub("-", suffix).strip("-.")
    return f"{cleaned}.{suffix}" if suffix else cleaned


def request_upload(
    request: UploadRequest,
    *,
    editor: str,
    uploads: Uploads,
    presign: Any,
    max_bytes: int,
    expires_seconds: int,
    now: datetime | None = None,
) -> UploadTicket:
    """Record a pending upload and return a presigned POST for exactly its key.

    ``presign(key, content_type, max_bytes, expires_seconds)`` returns
    ``{"url": ..., "fields": {...}}``.
    """
    expected = content_type_for(request.filename)
    if expected is None:
        raise InvalidRequest(
            "unsupported file type",
            [{"field": "filename", "message": "must end in .md, .markdown or .json"}],
        )
    stem = request.filename.replace("\\", "/").rsplit("/", 1)[-1].rpartition(".")[0]
    if not stem.strip(" .-_"):
        example = "berita" + request.filename[request.filename.rfind(".") :]
        message = f"needs a name before the extension, e.g. {example!r}"
        raise InvalidRequest("the file name is not usable", [{"field": "filename", "message": message}])
    if request.content_type is not None and request.content_type != expected:
        raise InvalidRequest(
            "content type does not match the file name",
            [{"field": "content_type", "message": f"must be {expected} for this file name"}],
        )
    from kabar.workflows.upload_forms import PresignedPost, UploadTicket

    now = now or datetime.now(UTC)
    upload_id = uuid.uuid4().hex
    filename = safe_filename(request.filename)
    key = f"uploads/{upload_id}/{filename}"
    expires_at = now + timedelta(seconds=expires_seconds)
    uploads.create(
        Upload(
            upload_id=upload_id,
            state=UploadState.PENDING,
            filename=filename,
            content_type=expected,
            key=key,
            created_at=now,
            created_by=editor,
            expires_at=expires_at,
        )
    )
    post = presign(key, expected, max_bytes, expires_seconds)
    return UploadTicket(
        upload_id=upload_id,
        status_path=f"/uploads/{upload_id}",
        upload=PresignedPost.model_validate(post),
        content_type=expected,
        max_bytes=max_bytes,
        expires_at=expires_at,
    )


def upload_status(
    upload_id: str,
    *,
    uploads: Uploads,
    articles: Rendered,
    expires_seconds: int | None = None,
    now: datetime | None = None,
) -> UploadStatus:
    """What became of an upload; ``live`` once the CDN serves the published version.

    A pending upload whose ticket expired (:data:`EXPIRY_GRACE` ago) with no file is marked
    ``expired`` here, by a conditional update: this read is the only place anyone waits on it.
    An upload stored without ``expires_at`` expires ``expires_seconds`` after its creation.
    """
    if not UPLOAD_ID_PATTERN.match(upload_id):
        raise NotFound(f"no upload {upload_id!r}")
    upload = uploads.get(upload_id)
    if upload is None:
        raise NotFound(f"no upload {upload_id!r}")
    expires_at = upload.expires_at or (
        upload.created_at + timedelta(seconds=expires_seconds) if expires_seconds is not None else None
    )
    now = now or datetime.now(UTC)
    if upload.state is UploadState.PENDING and expires_at and now >= expires_at + EXPIRY_GRACE:
        upload = uploads.expire(upload_id) or uploads.get(upload_id) or upload
    status = UploadStatus(**{spec.name: getattr(upload, spec.name) for spec in fields(upload)})
    if upload.article is not None:
        rendered = articles.rendered_version(upload.article.slug)
        status.live = rendered is not None and rendered[0] >= upload.article.version
    return status
