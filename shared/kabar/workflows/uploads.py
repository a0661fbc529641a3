"""Upload requests: where an editor may put one file, and what became of it."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, Protocol

from kabar.errors import InvalidRequest, NotFound
from kabar.images.records import UploadFile
from kabar.models import FieldError, Upload, UploadState

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
    def give_up(self, upload: Upload) -> Upload | None: ...


class Rendered(Protocol):
    def rendered_version(self, slug: str) -> tuple[int, str] | None: ...


@dataclass(kw_only=True)
class UploadStatus(Upload):
    """``GET /uploads/{id}`` response: the upload, and whether the CDN serves its result yet."""

    live: bool = False


CONTENT_TYPES = {".md": "text/markdown", ".markdown": "text/markdown", ".json": "application/json"}
# Image files taken for upload. ImagesFunction decides from the bytes: JPEG, PNG and WebP are stored;
# the others are uploaded so that the editor gets the reason (and the file is kept), not a bare 400.
IMAGE_TYPES = {
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".jpe": "image/jpeg", ".png": "image/png",
    ".webp": "image/webp", ".gif": "image/gif", ".svg": "image/svg+xml", ".heic": "image/heic",
    ".heif": "image/heif", ".avif": "image/avif", ".tif": "image/tiff", ".tiff": "image/tiff",
}  # fmt: skip


ARTICLE_OR_IMAGE = (
    "must end in .md, .markdown or .json (an article), or .jpg, .jpeg, .png or .webp (an image)"
)


def image_type_for(filename: str) -> str | None:
    """The content type an image file of this name is uploaded with, if it names an image."""
    dot = filename.rfind(".")
    return IMAGE_TYPES.get(filename[dot:].lower()) if dot >= 0 else None


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


@dataclass(frozen=True)
class Limits:
    """What one upload may hold: the largest article and image, and how long its tickets last."""

    article_bytes: int
    image_bytes: int
    expires_seconds: int


def request_upload(
    request: UploadRequest,
    *,
    editor: str,
    uploads: Uploads,
    presign: Any,
    limits: Limits,
    now: datetime | None = None,
) -> UploadTicket:
    """Record a pending upload and return a presigned POST for exactly its key (and one for each
    image uploaded with the article). An image file alone is an upload for the library.

    ``presign(key, content_type, max_bytes, expires_seconds)`` returns
    ``{"url": ..., "fields": {...}}``.
    """
    from kabar.workflows.upload_forms import ImageTicket, PresignedPost, UploadTicket

    alone = image_type_for(request.filename)
    expected = _check_request(request, alone)
    now = now or datetime.now(UTC)
    upload_id = uuid.uuid4().hex
    filename = safe_filename(request.filename)
    key = f"{'images' if alone else 'uploads'}/{upload_id}/{filename}"
    files = _image_files(request, upload_id, alone=key if alone else None)
    expires_at = now + timedelta(seconds=limits.expires_seconds)
    kind: Literal["article", "image"] = "image" if alone else "article"
    uploads.create(Upload(upload_id=upload_id, state=UploadState.PENDING, filename=filename,
                          content_type=expected, key=key, created_at=now, created_by=editor,
                          expires_at=expires_at, kind=kind, files=files))  # fmt: skip

    def post(key: str, content_type: str, max_bytes: int) -> PresignedPost:
        return PresignedPost.model_validate(presign(key, content_type, max_bytes, limits.expires_seconds))

    images = [
        ImageTicket(filename=file.filename, content_type=file.content_type, max_bytes=limits.image_bytes,
                    upload=post(file.key, file.content_type, limits.image_bytes))
        for file in files.values() if not alone
    ]  # fmt: skip
    max_bytes = limits.image_bytes if alone else limits.article_bytes
    return UploadTicket(
        upload_id=upload_id, kind=kind, status_path=f"/uploads/{upload_id}",
        upload=post(key, expected, max_bytes), content_type=expected, max_bytes=max_bytes,
        expires_at=expires_at, images=images,
    )  # fmt: skip


def _check_request(request: UploadRequest, alone: str | None) -> str:
    """The content type the file is uploaded with (InvalidRequest naming what is wrong)."""
    expected = alone or _article_type(request.filename)
    _check_name(request.filename, "filename")
    if request.content_type is not None and request.content_type != expected:
        raise InvalidRequest(
            "content type does not match the file name",
            [{"field": "content_type", "message": f"must be {expected} for this file name"}],
        )
    if alone and request.images:
        message = "only an article has images uploaded with it; upload each image alone, or with its article"
        raise InvalidRequest("an image is uploaded alone", [{"field": "images", "message": message}])
    return expected


def _article_type(filename: str) -> str:
    expected = content_type_for(filename)
    if expected is None:
        raise InvalidRequest(
            "unsupported file type",
            [
                {
                    "field": "filename",
                    "message": (ARTICLE_OR_IMAGE),
                }
            ],
        )
    return expected


def _check_name(filename: str, field_name: str) -> None:
    stem = filename.replace("\\", "/").rsplit("/", 1)[-1].rpartition(".")[0]
    if not stem.strip(" .-_"):
        example = ("foto" if image_type_for(filename) else "berita") + filename[filename.rfind(".") :]
        message = f"needs a name before the extension, e.g. {example!r}"
        raise InvalidRequest("the file name is not usable", [{"field": field_name, "message": message}])


def _image_files(request: UploadRequest, upload_id: str, *, alone: str | None) -> dict[str, UploadFile]:
    """The upload's image files by their (safe) names: the one image uploaded alone, or the article's."""
    if alone is not None:
        name = safe_filename(request.filename)
        return {
            name: UploadFile(
                filename=name, key=alone, content_type=str(image_type_for(name)), focus=request.focus
            )
        }
    files: dict[str, UploadFile] = {}
    errors = []
    for index, image in enumerate(request.images):
        name, content_type = safe_filename(image.filename), image_type_for(image.filename)
        if content_type is None:
            errors.append(
                {"field": f"images.{index}.filename", "message": "must end in .jpg, .jpeg, .png or .webp"}
            )
        elif name in files:
            errors.append({"field": f"images.{index}.filename", "message": f"{name!r} is named twice"})
        else:
            _check_name(image.filename, f"images.{index}.filename")
            files[name] = UploadFile(
                filename=name, key=f"images/{upload_id}/{name}", content_type=content_type, focus=image.focus
            )
    if errors:
        raise InvalidRequest("an image cannot be uploaded", errors)
    return files


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
    if upload.state is UploadState.WAITING and upload.waiting_until and now >= upload.waiting_until:
        upload = uploads.give_up(_gave_up(upload, now)) or uploads.get(upload_id) or upload
    status = UploadStatus(**{spec.name: getattr(upload, spec.name) for spec in fields(upload)})
    if upload.article is not None:
        rendered = articles.rendered_version(upload.article.slug)
        status.live = rendered is not None and rendered[0] >= upload.article.version
    return status


def _gave_up(upload: Upload, now: datetime) -> Upload:
    """A waiting upload rejected: every image file still not processed, named."""
    errors = [
        FieldError(
            field=f"files.{name}",
            message=(
                f"{name} was not processed by {upload.waiting_until:%H:%M:%S} UTC: it was never posted (its "
                "ticket expired), or it could not be read; the article was not published. Upload them again"
            ),
        )
        for name, file in sorted(upload.files.items())
        if file.state == "pending"
    ]
    return upload.replace(state=UploadState.REJECTED, processed_at=now, errors=errors)
