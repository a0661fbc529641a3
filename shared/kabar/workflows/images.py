"""ImagesFunction's work: an image file of an upload becomes a library image (its variants in the
site bucket), or is refused with every reason; either way the outcome is recorded on its upload,
and the original stays in the incoming bucket.

An image's id is its original's SHA-256 (32 hex digits): the same photo uploaded twice is one
image, and only the variants it lacks are made (a new width in the setting, crops around another
focus). A file's outcome is recorded once (the file still ``pending``), so a replayed event
changes nothing. When the article uploaded with the images was read first and is ``waiting``,
the last image processed hands it back to PublishFunction (:data:`Resume`), which publishes it
as the article file's own event (idempotent like a replay).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from kabar.images.records import ImageVariant, LibraryImage, UploadFile, image_id
from kabar.models import FieldError, Upload, UploadState
from kabar.observability import logger, metric

if TYPE_CHECKING:
    from kabar.images.variants import Made

KINDS = {"image/webp": "webp", "image/jpeg": "jpeg"}
CENTRE = (0.5, 0.5)
Resume = Callable[[str, int, str | None], None]  # (the article's key, its size, its version id)
WriteFile = Callable[[str, bytes, str], None]  # (path in the site bucket, bytes, content type)


class Uploads(Protocol):
    def get(self, upload_id: str) -> Upload | None: ...
    def record_file(
        self, upload_id: str, file: UploadFile, finish: Upload | None = None
    ) -> Upload | None: ...


class Images(Protocol):
    def get(self, image_id: str) -> LibraryImage | None: ...
    def put(self, image: LibraryImage) -> None: ...


class NotAnImageFile(Exception):
    """The object is not under ``images/<upload id>/<file>``: nothing of ours to process."""


def parse_image_key(key: str) -> tuple[str, str]:
    """``images/<id>/<filename>`` as (id, filename)."""
    parts = key.split("/")
    if len(parts) != 3 or parts[0] != "images" or not parts[1] or not parts[2]:
        raise NotAnImageFile(key)
    return parts[1], parts[2]


def expected_variants(width: int, widths: Iterable[int], focus: tuple[float, float]) -> set[str]:
    """The variants (``<name>.<kind>``) an image ``width`` wide gets: the widths narrower than it
    (its own width when every one is wider), in WebP and JPEG, and the crops around ``focus``."""
    from kabar.images.variants import crop_names  # no imaging library: names only

    sizes = sorted(w for w in set(widths) if 0 < w < width) or [width]
    return {f"{size}.{kind}" for size in sizes for kind in KINDS.values()} | {
        f"{name}.jpeg" for name in crop_names(focus)
    }


def process_image(
    key: str,
    size: int,
    *,
    version_id: str | None = None,
    uploads: Uploads,
    images: Images,
    read_object: Callable[[str], bytes],
    write_file: WriteFile,
    resume: Resume,
    max_bytes: int,
    widths: Iterable[int],
    now: datetime | None = None,
) -> UploadFile | None:
    """Check one image file, store its variants and record the outcome on its upload (None: a
    file nobody asked to upload there, which is kept and logged)."""
    from kabar.images.variants import Refused

    upload_id, filename = parse_image_key(key)
    upload = uploads.get(upload_id)
    file = upload.files.get(filename) if upload else None
    if upload is None or file is None or file.key != key:
        logger.warning("image file not asked for: kept, not processed", extra={"key": key})
        return None
    if file.state != "pending":
        logger.info("image file already processed", extra={"upload_id": upload_id, "file": filename})
        _resume_when_ready(upload, resume)  # a crash between recording and resuming, retried
        return file
    now = now or datetime.now(UTC)
    stored: LibraryImage | None = None
    sha256 = None
    try:
        if size > max_bytes:
            raise Refused([f"{filename} is {size:,} bytes, over the limit of {max_bytes:,} for an image"])
        data = read_object(key)
        sha256 = hashlib.sha256(data).hexdigest()
        stored = store_image(data, file, upload, images=images, write_file=write_file, widths=widths,
                             version_id=version_id, now=now)  # fmt: skip
        outcome = file.replace(state="stored", image=stored.info(), processed_at=now)
    except Refused as exc:
        outcome = file.replace(state="rejected", reasons=exc.reasons, processed_at=now)
    finish = _finish_alone(upload, outcome, sha256, now) if upload.kind == "image" else None
    updated = uploads.record_file(upload_id, outcome, finish)
    about = {"upload_id": upload_id, "file": filename, "state": outcome.state, "reasons": outcome.reasons}
    logger.info("image file processed", extra={**about, "recorded": updated is not None})
    metric("ImagesStored" if stored else "ImagesRejected")
    _resume_when_ready(updated or uploads.get(upload_id) or upload, resume)
    return outcome


def store_image(
    data: bytes,
    file: UploadFile,
    upload: Upload,
    *,
    images: Images,
    write_file: WriteFile,
    widths: Iterable[int],
    version_id: str | None,
    now: datetime,
) -> LibraryImage:
    """The library image of ``data``: the one stored already when it has every variant wanted,
    else with the missing ones made and written (Refused when the bytes are no photo Kabar takes)."""
    sha256 = hashlib.sha256(data).hexdigest()
    found, widths = images.get(image_id(sha256)), sorted(set(widths))
    focus = file.focus or CENTRE
    if found is not None:
        return complete(found, data, focus, images=images, write_file=write_file, widths=widths)
    made, new = make_variants(data, file.filename, sha256, focus=focus, have=(), write_file=write_file,
                              widths=widths)  # fmt: skip
    image = LibraryImage(
        id=image_id(sha256), width=made.width, height=made.height, format=made.kind, credit=made.credit,
        variants=new, sha256=sha256, original_key=file.key, original_version=version_id,
        original_bytes=len(data), widths=widths, rendered_widths=widths, created_at=now,
        created_by=upload.created_by, upload_id=upload.upload_id,
    )  # fmt: skip
    images.put(image)
    return image


def complete(
    found: LibraryImage,
    data: bytes | Callable[[], bytes],
    focus: tuple[float, float],
    *,
    images: Images,
    write_file: WriteFile,
    widths: Iterable[int],
) -> LibraryImage:
    """A stored image with every variant of ``widths`` and the crops around ``focus``: as it is
    when it has them (``data``, or the function that reads it, is then not needed), else with the
    missing ones made from the original and appended (the others stay: pages may name them)."""
    widths = sorted(set(widths))
    have = {f"{v.name}.{KINDS[v.type]}" for v in found.variants}
    if expected_variants(found.width, widths, focus) <= have:
        return found
    original = data if isinstance(data, bytes) else data()
    _, new = make_variants(original, found.original_key, found.sha256, focus=focus, have=have,
                           write_file=write_file, widths=widths)  # fmt: skip
    image = found.replace(variants=[*found.variants, *new], widths=sorted({*found.widths, *widths}))
    images.put(image)
    return image


def make_variants(
    data: bytes,
    filename: str,
    sha256: str,
    *,
    focus: tuple[float, float],
    have: Iterable[str],
    write_file: WriteFile,
    widths: list[int],
) -> tuple[Made, list[ImageVariant]]:
    """The variants ``data`` lacks (``have``: ``<name>.<kind>``), written to the site bucket."""
    from kabar.images.variants import make

    made = make(data, filename.rsplit("/", 1)[-1], wanted=widths, focus=focus, have=have)
    new = []
    for variant in made.variants:
        path = variant.path(sha256)
        write_file(path, variant.data, variant.content_type)
        crop = variant.name.split("-", 1)[0] if "x" in variant.name else None
        new.append(ImageVariant(name=variant.name, path=path, width=variant.width, height=variant.height,
                                type=variant.content_type, bytes=len(variant.data), crop=crop,
                                focus=focus if crop else None))  # fmt: skip
    return made, new


def _finish_alone(upload: Upload, outcome: UploadFile, sha256: str | None, now: datetime) -> Upload:
    """The outcome of an upload of one image alone: stored in the library, or rejected."""
    if outcome.state == "stored":
        return upload.replace(state=UploadState.STORED, processed_at=now, image=outcome.image, sha256=sha256)
    errors = [FieldError(field="file", message=reason) for reason in outcome.reasons]
    return upload.replace(state=UploadState.REJECTED, processed_at=now, errors=errors, sha256=sha256)


def _resume_when_ready(upload: Upload, resume: Resume) -> None:
    """Hand a waiting article back to PublishFunction once none of its images is pending."""
    if upload.state is not UploadState.WAITING or upload.file_size is None:
        return
    if any(file.state == "pending" for file in upload.files.values()):
        return
    logger.info("images processed: article publish resumed", extra={"upload_id": upload.upload_id})
    resume(upload.key, upload.file_size, upload.file_version)
