"""Publishing: one uploaded file becomes a new article version, or a rejection.

Every outcome is recorded on the upload, and the original file is never
touched. Replays are harmless: an upload leaves ``pending`` (or ``expired``)
exactly once, in the same transaction that writes the article. A different
file under an upload already processed (its ticket used again) is not
published: it is noted on the upload, once per content.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from kabar.authoring import ArticleFileError, parse_article_file
from kabar.documents import article_path
from kabar.errors import AlreadyProcessed
from kabar.html import render_markdown
from kabar.images.records import ImageInfo
from kabar.models import (
    Article,
    FieldError,
    IgnoredFile,
    Upload,
    UploadState,
)
from kabar.observability import logger, metric
from kabar.releases import Release
from kabar.slugs import slugify
from kabar.submissions import FIELDS, ArticleSubmission
from kabar.workflows.article_images import Library, Resolution, resolve
from kabar.workflows.releases import ReleaseSchedules, release_time, too_far_ahead
from kabar.workflows.versions import article_ref, build_article

IGNORED_FILES_KEPT = 10  # files noted on an upload whose ticket was used again; more are only logged


class Uploads(Protocol):
    def get(self, upload_id: str) -> Upload | None: ...
    def finish(self, upload: Upload) -> None: ...
    def wait(self, upload: Upload, awaited: list[str]) -> bool: ...
    def ignore(self, upload_id: str, file: IgnoredFile, keep: int) -> Upload | None: ...


class Articles(Protocol):
    def get(self, slug: str) -> Article | None: ...
    def states(self, slugs: Iterable[str]) -> dict[str, str]: ...
    def publish(self, upload: Upload, article: Article, previous: Article | None = None) -> None: ...


class NotAnUpload(Exception):
    """The object is not under ``uploads/<id>/<file>``: nothing of ours to process."""


def parse_upload_key(key: str) -> tuple[str, str]:
    """``uploads/<id>/<filename>`` as (id, filename)."""
    parts = key.split("/")
    if len(parts) != 3 or parts[0] != "uploads" or not parts[1] or not parts[2]:
        raise NotAnUpload(key)
    return parts[1], parts[2]


def no_library(image_ids: Iterable[str]) -> dict[str, ImageInfo]:
    """No library (tests and tools that publish without one): no image id is known."""
    return {}


def process_upload(
    key: str,
    size: int,
    *,
    uploads: Uploads,
    articles: Articles,
    read_object: Callable[[str], bytes],
    max_bytes: int,
    cdn_url: str = "",
    library: Library = no_library,
    version_id: str | None = None,
    wait_seconds: int = 600,
    schedules: ReleaseSchedules | None = None,
    now: datetime | None = None,
) -> Upload:
    """Publish or reject the file at ``key`` and record the outcome on its upload; or, while images
    uploaded with it are still being processed, mark it ``waiting`` (for ``wait_seconds`` at most:
    ImagesFunction resumes it, and a status read past then rejects it naming them). An article
    whose time is still ahead is stored ``scheduled`` and its release put on ``schedules``
    (without them, it is refused: this deployment cannot schedule).

    Returns the upload as recorded; a replayed event, the recorded outcome, writing nothing.
    """
    upload_id, filename = parse_upload_key(key)
    now = now or datetime.now(UTC)
    upload = uploads.get(upload_id)
    if upload is not None and not upload.state.awaits_file:
        return _later_file(upload, key, size, uploads=uploads, read_object=read_object, max_bytes=max_bytes,
                           now=now)  # fmt: skip
    if upload is None:
        # A file put straight into the bucket, not through POST /uploads: record it anyway.
        upload = Upload(upload_id=upload_id, state=UploadState.PENDING, filename=filename, content_type="",
                        key=key, created_at=now, created_by="unknown")  # fmt: skip
    read: dict[str, str] = {}
    try:
        submission, slug, existing = _read(upload, key, size, articles=articles, read_object=read_object,
                                           max_bytes=max_bytes, read=read, now=now,
                                           can_schedule=schedules is not None)  # fmt: skip
        waiting = _waiting(upload, read["sha256"], size=size, version_id=version_id,
                           until=upload.waiting_until or now + timedelta(seconds=wait_seconds))  # fmt: skip
        images = _resolve_images(submission, upload, uploads=uploads, library=library, waiting=waiting)
        if isinstance(images, Upload):
            return images
    except ArticleFileError as exc:
        rejected = {"state": UploadState.REJECTED, "processed_at": now, "errors": exc.errors, **read}
        return _finish(uploads, upload.replace(**rejected))
    warnings = [*_link_warnings(submission, articles), *images.warnings]
    article = build_article(submission, slug, existing, upload_id, now, images=images)
    return _store(upload, submission, article, existing, warnings=warnings, read=read, articles=articles,
                  uploads=uploads, schedules=schedules, cdn_url=cdn_url, now=now)  # fmt: skip


def _store(
    upload: Upload,
    submission: ArticleSubmission,
    article: Article,
    existing: Article | None,
    *,
    warnings: list[FieldError],
    read: dict[str, str],
    articles: Articles,
    uploads: Uploads,
    schedules: ReleaseSchedules | None,
    cdn_url: str,
    now: datetime,
) -> Upload:
    """Store the article's new version with the upload's outcome (``scheduled`` with its time, when
    it goes public later, its release put first), or note it unchanged."""
    upload_id, slug, path = upload.upload_id, article.slug, article_path(article.slug)
    due = release_time(submission.published_at, submission.embargo_until, now)
    state = UploadState.SCHEDULED if article.status == "scheduled" else UploadState.PUBLISHED
    outcome = {"state": state, "processed_at": now, "warnings": warnings, **read}
    if article.status == "scheduled" and due is not None:
        outcome |= {"release_at": due[0], "release_at_given": due[1].isoformat()}
    if existing is not None and existing.content_hash == article.content_hash \
            and existing.status == article.status != "scheduled":  # fmt: skip
        unchanged = {**outcome, "unchanged": True, "article": article_ref(existing, path, cdn_url)}
        return _finish(uploads, upload.replace(**unchanged))
    published = upload.replace(**outcome, article=article_ref(article, path, cdn_url))
    if schedules is not None and article.status == "scheduled" and article.release_at is not None:
        # Before the version is stored: a retry after a crash puts it again; a schedule whose
        # version never got stored fires, finds another version and changes nothing.
        schedules.put(Release(slug=slug, version=article.version, at=article.release_at))
    try:
        articles.publish(published, article, previous=existing)
    except AlreadyProcessed:
        logger.info("upload already processed", extra={"upload_id": upload_id})
        return uploads.get(upload_id) or published
    if schedules is not None and existing is not None and existing.status == "scheduled" != article.status:
        _unschedule(schedules, slug)
    logger.info("article stored", extra={"upload_id": upload_id, "slug": slug, "version": article.version,
                                         "status": article.status})  # fmt: skip
    metric(
        {"published": "ArticlesPublished", "scheduled": "ArticlesScheduled"}.get(
            article.status, "DraftsStored"
        )
    )
    return published


def _unschedule(schedules: ReleaseSchedules, slug: str) -> None:
    """Delete the schedule of a version no longer current (best effort: if it stays, it fires,
    finds the version gone and changes nothing)."""
    try:
        schedules.delete(slug)
    except Exception:
        logger.exception("schedule of a replaced version not deleted", extra={"slug": slug})


def _waiting(upload: Upload, sha256: str, *, size: int, version_id: str | None, until: datetime) -> Upload:
    """The upload as it waits for its images: the article file read (to resume with), and until when."""
    return upload.replace(state=UploadState.WAITING, sha256=sha256, file_size=size,
                          file_version=version_id, waiting_until=until)  # fmt: skip


def _resolve_images(
    submission: ArticleSubmission, upload: Upload, *, uploads: Uploads, library: Library, waiting: Upload
) -> Resolution | Upload:
    """The article's images resolved (ArticleFileError with every reason one cannot be); or, while
    some uploaded with it are still being processed, the upload marked waiting for them."""
    for _ in range(3):  # an image processed just as the upload is marked waiting: read it again
        images = resolve(submission, render_markdown(submission.body), upload, library)
        if not images.waiting:  # (with files still pending, it waits for them to give every reason)
            if images.errors:
                raise ArticleFileError(images.errors)
            return images
        if uploads.wait(waiting, images.waiting):
            logger.info("article waits for its images", extra={"upload_id": upload.upload_id,
                                                                "files": images.waiting})  # fmt: skip
            return waiting
        upload = uploads.get(upload.upload_id) or upload
        waiting = waiting.replace(files=upload.files)
    message = "its images were being processed while it was read, three times: upload it again"
    raise ArticleFileError([FieldError(field="files", message=message)])


def _read(
    upload: Upload,
    key: str,
    size: int,
    *,
    articles: Articles,
    read_object: Callable[[str], bytes],
    max_bytes: int,
    read: dict[str, str],
    now: datetime,
    can_schedule: bool,
) -> tuple[ArticleSubmission, str, Article | None]:
    """The submission in the file, its slug and the article it updates; ArticleFileError with
    every reason when the file cannot be published. ``read`` gets the file's ``sha256`` once
    it is read."""

    def refuse(field: str, message: str) -> ArticleFileError:
        return ArticleFileError([FieldError(field=field, message=message)])

    if upload.key != key:
        raise refuse("file", f"expected at {upload.key}, got {key}")
    if size > max_bytes:
        raise refuse("file", f"is larger than {max_bytes} bytes")
    data = read_object(key)
    read["sha256"] = hashlib.sha256(data).hexdigest()
    submission = parse_article_file(parse_upload_key(key)[1], data)
    slug = submission.slug or slugify(submission.title)
    if not slug:
        raise refuse("title", "needs letters or digits for a slug")
    existing = articles.get(slug)
    errors = _check_references(submission, slug, existing)
    errors += too_far_ahead(submission.published_at, submission.embargo_until, now)
    if not can_schedule and submission.status == "published" and not errors \
            and release_time(submission.published_at, submission.embargo_until, now):  # fmt: skip
        message = "is ahead, and this deployment cannot schedule articles (no release schedule group)"
        errors.append(FieldError(field="published_at", message=message))
    if errors:
        raise ArticleFileError(errors)
    return submission, slug, existing


def _later_file(
    upload: Upload,
    key: str,
    size: int,
    *,
    uploads: Uploads,
    read_object: Callable[[str], bytes],
    max_bytes: int,
    now: datetime,
) -> Upload:
    """A file under an upload already processed: its own event again (a replay: nothing to do),
    or another file posted with the same ticket, which is not published but noted on the
    upload (and kept in the bucket, as every file is)."""
    upload_id = upload.upload_id
    if upload.sha256 is None or size > max_bytes:
        # Nothing to tell files apart by (the processed one was never read), or too large to read.
        logger.info("upload already processed", extra={"upload_id": upload_id, "key": key, "size": size})
        return upload
    digest = hashlib.sha256(read_object(key)).hexdigest()
    if digest == upload.sha256 or digest in {file.sha256 for file in upload.ignored_files}:
        logger.info("upload already processed", extra={"upload_id": upload_id})
        return upload
    message = (
        f"the upload's ticket was used again after the upload was {upload.state.value}: this file was "
        f"not published and is kept in the incoming bucket at {key}; ask for a new upload to publish it"
    )
    file = IgnoredFile(key=key, size=size, sha256=digest, received_at=now, message=message)
    noted = uploads.ignore(upload_id, file, IGNORED_FILES_KEPT)
    noting = {"upload_id": upload_id, "key": key, "sha256": digest, "noted": noted is not None}
    logger.warning("upload ticket used again: file not published", extra=noting)
    return noted or uploads.get(upload_id) or upload


def _link_warnings(submission: ArticleSubmission, articles: Articles) -> list[FieldError]:
    """A warning for each read-also or pinned link to an article not published (yet)."""
    links = {"read_also": submission.read_also, "related": submission.related}
    linked = articles.states([slug for targets in links.values() for slug in targets])
    return [
        FieldError(
            field=f"{name}.{index}",
            message=f"no article {target!r} is published yet; the link appears once it is",
        )
        for name, targets in links.items()
        for index, target in enumerate(targets)
        if linked.get(target) != "published"
    ]


def _finish(uploads: Uploads, upload: Upload) -> Upload:
    try:
        uploads.finish(upload)
    except AlreadyProcessed:
        return uploads.get(upload.upload_id) or upload
    logger.info(
        "upload processed",
        extra={"upload_id": upload.upload_id, "state": upload.state.value,
               "errors": [e.to_json() for e in upload.errors]},
    )  # fmt: skip
    if upload.state is UploadState.REJECTED:
        metric("UploadsRejected")
        for kind in sorted({reason_kind(error.field) for error in upload.errors}):
            metric("RejectionReasons", Reason=kind)
    return upload


def reason_kind(field: str) -> str:
    """What a rejection's reason is about, for metrics: the field (``tags`` for ``tags.2``), the
    file or its front matter; ``other`` for a name the editor made up (it is bounded)."""
    name = field.split(".", 1)[0]
    return name if name in FIELDS or name in ("file", "front_matter") else "other"


def _check_references(submission: ArticleSubmission, slug: str, existing: Article | None) -> list[FieldError]:
    errors = []
    if existing is not None and submission.slug is None:
        errors.append(
            FieldError(
                field="slug",
                message=(
                    f"{slug!r}, derived from the title, already belongs to the article "
                    f"{existing.title!r}; to update that article add 'slug: {slug}' to the "
                    "front matter, to publish a new one choose another title or slug"
                ),
            )
        )
    for name in ("read_also", "related", "exclude_related"):
        for index, target in enumerate(getattr(submission, name)):
            if target == slug:
                errors.append(FieldError(field=f"{name}.{index}", message="an article cannot link to itself"))
    for index, target in enumerate(submission.related):
        if target in submission.exclude_related:
            errors.append(FieldError(field=f"related.{index}",
                                     message=f"{target!r} is both pinned and excluded"))  # fmt: skip
    return errors
