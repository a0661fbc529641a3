"""Upload tickets over the in-memory stores: a ticket that expires unused marks its upload
``expired``; a ticket used again after its upload was processed publishes nothing and says so."""

from __future__ import annotations

import copy
import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import yaml

from kabar.models import Upload, UploadState
from kabar.workflows.publish import IGNORED_FILES_KEPT, process_upload
from kabar.workflows.upload_forms import UploadRequest
from kabar.workflows.uploads import EXPIRY_GRACE, Limits, request_upload, upload_status
from tests.support.memory import MemoryStores

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
TICKET_SECONDS = 300
EXPIRED = NOW + timedelta(seconds=TICKET_SECONDS) + EXPIRY_GRACE


def markdown(**fields: Any) -> bytes:
    return f"---\n{yaml.safe_dump(fields, allow_unicode=True)}---\nIsi berita.\n".encode()


def ticket(stores: MemoryStores) -> str:
    def presign(key: str, content_type: str, max_bytes: int, expires: int) -> dict[str, Any]:
        return {"url": "https://incoming.example.test/", "fields": {"key": key}}

    limits = Limits(article_bytes=1000, image_bytes=5000, expires_seconds=TICKET_SECONDS)
    issued = request_upload(UploadRequest(filename="a.md"), editor="editor1", uploads=stores.uploads,
                            presign=presign, limits=limits, now=NOW)  # fmt: skip
    return issued.upload_id


def status(stores: MemoryStores, upload_id: str, now: datetime, **kwargs: Any) -> Any:
    return upload_status(upload_id, uploads=stores.uploads, articles=stores.articles, now=now, **kwargs)


def post(stores: MemoryStores, upload_id: str, data: bytes, now: datetime = NOW) -> Upload:
    key = f"uploads/{upload_id}/a.md"
    return process_upload(key, len(data), uploads=stores.uploads, articles=stores.articles,
                          read_object={key: data}.__getitem__, max_bytes=1000, now=now)  # fmt: skip


def test_a_ticket_never_used_expires_when_its_status_is_read_after_the_grace() -> None:
    stores = MemoryStores.new()
    upload_id = ticket(stores)
    assert stores.uploads.uploads[upload_id].expires_at == NOW + timedelta(seconds=TICKET_SECONDS)
    assert status(stores, upload_id, EXPIRED - timedelta(seconds=1)).state is UploadState.PENDING
    assert stores.uploads.uploads[upload_id].state is UploadState.PENDING
    assert status(stores, upload_id, EXPIRED).state is UploadState.EXPIRED
    assert stores.uploads.uploads[upload_id].state is UploadState.EXPIRED  # stored, not only answered
    before = copy.deepcopy(stores)
    assert status(stores, upload_id, EXPIRED + timedelta(days=1)).state is UploadState.EXPIRED
    assert stores == before


def test_an_upload_stored_without_an_expiry_expires_after_the_ticket_lifetime() -> None:
    stores = MemoryStores.new()
    upload_id = ticket(stores)
    stores.uploads.uploads[upload_id].expires_at = None  # as uploads requested before expires_at was kept
    assert status(stores, upload_id, EXPIRED).state is UploadState.PENDING  # no lifetime known
    later = status(stores, upload_id, EXPIRED, expires_seconds=TICKET_SECONDS)
    assert later.state is UploadState.EXPIRED


def test_a_file_posted_in_time_that_arrives_after_the_expiry_is_still_published() -> None:
    stores = MemoryStores.new()
    upload_id = ticket(stores)
    assert status(stores, upload_id, EXPIRED).state is UploadState.EXPIRED
    outcome = post(stores, upload_id, markdown(title="Terlambat Tiba"), now=EXPIRED)
    assert outcome.state is UploadState.PUBLISHED and stores.articles.get("terlambat-tiba") is not None
    assert status(stores, upload_id, EXPIRED).state is UploadState.PUBLISHED


def test_a_processed_upload_is_never_marked_expired() -> None:
    stores = MemoryStores.new()
    upload_id = ticket(stores)
    post(stores, upload_id, markdown(subtitle="Tanpa judul"))
    assert status(stores, upload_id, EXPIRED).state is UploadState.REJECTED


def test_a_ticket_used_again_after_publishing_publishes_nothing_and_the_status_says_so() -> None:
    stores = MemoryStores.new()
    upload_id = ticket(stores)
    first = markdown(title="Berita Pertama")
    post(stores, upload_id, first)
    second = markdown(title="Berita Lain", slug="berita-pertama")
    later = post(stores, upload_id, second, now=NOW + timedelta(minutes=1))
    assert later.state is UploadState.PUBLISHED and later.sha256 == hashlib.sha256(first).hexdigest()
    (ignored,) = later.ignored_files
    assert (ignored.key, ignored.size, ignored.sha256) == (
        f"uploads/{upload_id}/a.md", len(second), hashlib.sha256(second).hexdigest(),
    )  # fmt: skip
    assert "ticket was used again after the upload was published" in ignored.message
    assert "not published" in ignored.message and "kept in the incoming bucket" in ignored.message
    article = stores.articles.get("berita-pertama")
    assert article is not None and (article.version, article.title) == (1, "Berita Pertama")
    assert status(stores, upload_id, NOW).ignored_files == [ignored]

    # Its event again, or the first file's again: nothing more is noted.
    before = copy.deepcopy(stores)
    assert post(stores, upload_id, second, now=NOW + timedelta(hours=1)) == later
    assert post(stores, upload_id, first, now=NOW + timedelta(hours=1)) == later
    assert stores == before


def test_a_ticket_used_again_after_a_rejection_is_reported_too_and_the_notes_are_bounded() -> None:
    stores = MemoryStores.new()
    upload_id = ticket(stores)
    post(stores, upload_id, markdown(subtitle="Tanpa judul"))
    for number in range(IGNORED_FILES_KEPT + 2):
        outcome = post(stores, upload_id, markdown(title=f"Perbaikan {number}"))
    assert outcome.state is UploadState.REJECTED and stores.articles.get("perbaikan-0") is None
    assert len(outcome.ignored_files) == IGNORED_FILES_KEPT
    assert "after the upload was rejected" in outcome.ignored_files[0].message
