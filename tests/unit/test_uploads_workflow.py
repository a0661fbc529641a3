"""kabar.workflows.uploads against in-memory stores: upload requests and what became of them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kabar.errors import InvalidRequest, NotFound
from kabar.models import ArticleRef, Upload, UploadState
from kabar.workflows.upload_forms import PresignedPost, UploadRequest
from kabar.workflows.uploads import ARTICLE_OR_IMAGE, Limits, UploadStatus, request_upload, upload_status
from tests.support.memory import MemoryStores

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


class Presigner:
    """Records what it was asked to sign, and answers as S3's generate_presigned_post does."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, int, int]] = []

    def __call__(self, key: str, content_type: str, max_bytes: int, expires: int) -> dict[str, Any]:
        self.calls.append((key, content_type, max_bytes, expires))
        return {"url": "https://incoming.example.test/", "fields": {"key": key, "Content-Type": content_type}}


def ask(stores: MemoryStores, filename: str, content_type: str | None = None) -> Any:
    presign = Presigner()
    ticket = request_upload(
        UploadRequest(filename=filename, content_type=content_type),
        editor="editor1",
        uploads=stores.uploads,
        presign=presign,
        limits=Limits(article_bytes=1000, image_bytes=5000, expires_seconds=600),
        now=NOW,
    )
    return ticket, presign


def test_a_request_records_a_pending_upload_and_presigns_exactly_its_key() -> None:
    stores = MemoryStores.new()
    ticket, presign = ask(stores, "C:\\berita\\Gempa Garut (1).md")
    key = f"uploads/{ticket.upload_id}/Gempa-Garut-1.md"
    assert len(ticket.upload_id) == 32 and int(ticket.upload_id, 16) >= 0
    assert presign.calls == [(key, "text/markdown", 1000, 600)]
    assert ticket.status_path == f"/uploads/{ticket.upload_id}"
    assert ticket.upload == PresignedPost(
        url="https://incoming.example.test/", fields={"key": key, "Content-Type": "text/markdown"}
    )
    assert (ticket.content_type, ticket.max_bytes, ticket.expires_at) == (
        "text/markdown",
        1000,
        NOW + timedelta(seconds=600),
    )
    assert stores.uploads.get(ticket.upload_id) == Upload(
        upload_id=ticket.upload_id,
        state=UploadState.PENDING,
        filename="Gempa-Garut-1.md",
        content_type="text/markdown",
        key=key,
        created_at=NOW,
        created_by="editor1",
        expires_at=NOW + timedelta(seconds=600),
    )


def test_each_request_is_a_new_upload() -> None:
    stores = MemoryStores.new()
    first, _ = ask(stores, "a.json", "application/json")
    second, _ = ask(stores, "a.json")
    assert first.upload_id != second.upload_id
    assert sorted(stores.uploads.uploads) == sorted([first.upload_id, second.upload_id])


NO_NAME = "needs a name before the extension, e.g."


@pytest.mark.parametrize(
    ("filename", "content_type", "error"),
    [
        ("berita.exe", None, {"field": "filename", "message": ARTICLE_OR_IMAGE}),
        (
            "berita.md",
            "text/html",
            {"field": "content_type", "message": "must be text/markdown for this file name"},
        ),
        # a name that is only an extension would get a key its upload is then rejected for
        (".md", None, {"field": "filename", "message": f"{NO_NAME} 'berita.md'"}),
        ("x/..json", None, {"field": "filename", "message": f"{NO_NAME} 'berita.json'"}),
        ("- .markdown", None, {"field": "filename", "message": f"{NO_NAME} 'berita.markdown'"}),
    ],
)  # fmt: skip
def test_a_file_type_it_cannot_publish_is_refused_before_anything_is_stored(
    filename: str, content_type: str | None, error: dict[str, str]
) -> None:
    stores = MemoryStores.new()
    with pytest.raises(InvalidRequest) as refused:
        ask(stores, filename, content_type)
    assert refused.value.errors == [error]
    assert stores.uploads.uploads == {}


def published(stores: MemoryStores, upload_id: str, version: int) -> None:
    """What PublishFunction records on an upload whose file became ``version`` of an article."""
    stored = stores.uploads.get(upload_id)
    assert stored is not None
    ref = ArticleRef(slug="gempa", version=version, status="published", path="v1/articles/gempa.json")
    stores.uploads.finish(stored.replace(state=UploadState.PUBLISHED, processed_at=NOW, article=ref))


def test_the_status_is_the_upload_and_live_once_the_cdn_serves_its_version() -> None:
    stores = MemoryStores.new()
    ticket, _ = ask(stores, "gempa.md")
    pending = upload_status(ticket.upload_id, uploads=stores.uploads, articles=stores.articles, now=NOW)
    assert pending.state is UploadState.PENDING
    assert pending == UploadStatus(**vars(stores.uploads.uploads[ticket.upload_id]), live=False)

    published(stores, ticket.upload_id, 2)
    status = upload_status(ticket.upload_id, uploads=stores.uploads, articles=stores.articles)
    assert status.state is UploadState.PUBLISHED and status.live is False  # not rendered yet
    stores.articles.mark_rendered("gempa", 1, "published")
    assert upload_status(ticket.upload_id, uploads=stores.uploads, articles=stores.articles).live is False
    stores.articles.mark_rendered("gempa", 2, "published")
    assert upload_status(ticket.upload_id, uploads=stores.uploads, articles=stores.articles).live is True
    stores.articles.mark_rendered("gempa", 3, "published")  # a later version is live: so is this one
    stores.articles.mark_rendered("gempa", 2, "published")  # (marks never go backwards)
    assert stores.articles.rendered_version("gempa") == (3, "published")
    assert upload_status(ticket.upload_id, uploads=stores.uploads, articles=stores.articles).live is True


@pytest.mark.parametrize("upload_id", ["0" * 32, "not-an-id", "A" * 32, "0" * 31])
def test_an_unknown_or_malformed_upload_is_not_found(upload_id: str) -> None:
    stores = MemoryStores.new()
    with pytest.raises(NotFound, match="no upload"):
        upload_status(upload_id, uploads=stores.uploads, articles=stores.articles)
