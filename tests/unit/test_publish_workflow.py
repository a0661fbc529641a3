"""kabar.workflows.publish.process_upload against in-memory stores: every outcome, recorded once."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import pytest
import yaml

from kabar.models import ArticleRef, Category, FieldError, TagRef, Upload, UploadState
from kabar.workflows.publish import process_upload
from tests.support.memory import MemoryStores, MemoryUploads

CREATED = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
CDN = "https://cdn.example.test"
MAX_BYTES = 1_048_576


def markdown(**fields: Any) -> bytes:
    body = fields.pop("body", "Isi berita.\n")
    front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n{body}".encode()


def upload_id(number: int) -> str:
    return f"{number:032x}"


def requested(stores: MemoryStores, number: int, filename: str = "a.md") -> str:
    """A pending upload, as POST /uploads records it; its key."""
    key = f"uploads/{upload_id(number)}/{filename}"
    stores.uploads.create(
        Upload(
            upload_id=upload_id(number),
            state=UploadState.PENDING,
            filename=filename,
            content_type="text/markdown",
            key=key,
            created_at=CREATED,
            created_by="editor1",
        )
    )
    return key


def process(
    stores: MemoryStores,
    key: str,
    data: bytes,
    *,
    now: datetime = NOW,
    size: int | None = None,
    uploads: MemoryUploads | None = None,
) -> Upload:
    files = {key: data}
    return process_upload(
        key,
        len(data) if size is None else size,
        uploads=uploads or stores.uploads,
        articles=stores.articles,
        read_object=files.__getitem__,
        max_bytes=MAX_BYTES,
        cdn_url=CDN,
        now=now,
    )


def publish(stores: MemoryStores, number: int, data: bytes, now: datetime = NOW) -> Upload:
    return process(stores, requested(stores, number), data, now=now)


def test_a_new_article_is_published_and_its_upload_says_where_it_went() -> None:
    stores = MemoryStores.new()
    file = markdown(
        title="Harga Beras Naik",
        lead="Harga beras naik lagi.",
        category="Ekonomi Rakyat",
        editors="AL/RM",
        tags=["Beras", "beras", "Harga Pangan"],
        published_at="2026-11-20T09:30:00+07:00",
        body="Harga **beras** naik.\n",
    )
    upload = publish(stores, 1, file)

    slug = "harga-beras-naik"
    assert upload == Upload(
        upload_id=upload_id(1),
        state=UploadState.PUBLISHED,
        filename="a.md",
        content_type="text/markdown",
        key=f"uploads/{upload_id(1)}/a.md",
        created_at=CREATED,
        created_by="editor1",
        processed_at=NOW,
        article=ArticleRef(
            slug=slug,
            version=1,
            status="published",
            path=f"v1/articles/{slug}.json",
            url=f"{CDN}/v1/articles/{slug}.json",
        ),
        sha256=hashlib.sha256(file).hexdigest(),
    )
    assert stores.uploads.get(upload_id(1)) == upload
    article = stores.articles.get(slug)
    assert article is not None
    assert (article.version, article.status, article.upload_id) == (1, "published", upload_id(1))
    assert article.tags == [
        TagRef(name="Beras", slug="beras"),
        TagRef(name="Harga Pangan", slug="harga-pangan"),
    ]
    assert article.category == Category(name="Ekonomi Rakyat", slug="ekonomi-rakyat")
    assert article.editors == ["AL", "RM"]
    assert article.published_at == datetime(2026, 11, 20, 2, 30, tzinfo=UTC)
    assert article.created_at == article.updated_at == NOW
    assert article.body_html == "<p>Harga <strong>beras</strong> naik.</p>"
    assert stores.articles.versions(slug) == [1]
    assert stores.lists.newest(10) == [article.summary()]


def test_an_upload_with_the_slug_makes_the_next_version() -> None:
    stores = MemoryStores.new()
    publish(stores, 1, markdown(title="Harga Beras Naik", published_at="2026-11-20T09:30:00+07:00"))
    upload = publish(
        stores,
        2,
        markdown(title="Harga Beras Naik Lagi", slug="harga-beras-naik", body="Versi kedua.\n"),
        now=LATER,
    )

    assert upload.state is UploadState.PUBLISHED and upload.article is not None
    assert (upload.article.slug, upload.article.version) == ("harga-beras-naik", 2)
    article = stores.articles.get("harga-beras-naik")
    assert article is not None
    assert (article.version, article.title, article.upload_id) == (2, "Harga Beras Naik Lagi", upload_id(2))
    # Kept from the first version: when it was published and created.
    assert article.published_at == datetime(2026, 11, 20, 2, 30, tzinfo=UTC)
    assert (article.created_at, article.updated_at) == (NOW, LATER)
    assert stores.articles.versions("harga-beras-naik") == [1, 2]
    assert [s.title for s in stores.lists.newest(10)] == ["Harga Beras Naik Lagi"]


def test_a_draft_version_leaves_the_list_of_published_articles() -> None:
    stores = MemoryStores.new()
    publish(stores, 1, markdown(title="Berita Sementara"))
    upload = publish(stores, 2, markdown(title="Berita Sementara", slug="berita-sementara", status="draft"))
    assert upload.article is not None and (upload.article.version, upload.article.status) == (2, "draft")
    assert stores.lists.newest(10) == []
    assert stores.articles.states(["berita-sementara"]) == {"berita-sementara": "draft"}


def test_a_title_that_names_another_article_is_rejected_not_overwritten() -> None:
    stores = MemoryStores.new()
    publish(stores, 1, markdown(title="Gempa di Cianjur", body="Asli.\n"))
    upload = publish(stores, 2, markdown(title="Gempa di Cianjur", body="Lain.\n"))
    assert upload.state is UploadState.REJECTED and upload.article is None
    assert upload.errors == [
        FieldError(
            field="slug",
            message=(
                "'gempa-di-cianjur', derived from the title, already belongs to the article "
                "'Gempa di Cianjur'; to update that article add 'slug: gempa-di-cianjur' to the front "
                "matter, to publish a new one choose another title or slug"
            ),
        )
    ]
    article = stores.articles.get("gempa-di-cianjur")
    assert article is not None and (article.version, article.body_html) == (1, "<p>Asli.</p>")


def test_an_invalid_file_is_rejected_with_every_reason_and_nothing_is_stored() -> None:
    stores = MemoryStores.new()
    upload = publish(stores, 1, markdown(subtitle="Tanpa judul", status="maybe", titel="salah ketik"))
    assert upload.state is UploadState.REJECTED and upload.processed_at == NOW and upload.article is None
    assert upload.errors == [
        FieldError(field="title", message="is required"),
        FieldError(field="status", message="Input should be 'draft' or 'published'"),
        FieldError(field="titel", message="is not a known field"),
    ]
    assert stores.uploads.get(upload_id(1)) == upload
    assert stores.articles.current == {} and stores.lists.items == {}


def test_links_an_article_cannot_have_are_each_a_reason() -> None:
    stores = MemoryStores.new()
    file = markdown(
        title="Banjir",
        slug="banjir",
        read_also=["banjir"],
        related=["gempa", "banjir"],
        exclude_related=["gempa"],
    )
    upload = publish(stores, 1, file)
    assert upload.state is UploadState.REJECTED
    assert upload.errors == [
        FieldError(field="read_also.0", message="an article cannot link to itself"),
        FieldError(field="related.1", message="an article cannot link to itself"),
        FieldError(field="related.0", message="'gempa' is both pinned and excluded"),
    ]
    assert stores.articles.current == {}


def test_a_file_too_large_or_not_where_its_upload_said_is_rejected() -> None:
    stores = MemoryStores.new()
    key = requested(stores, 1)
    assert process(stores, key, markdown(title="Besar"), size=MAX_BYTES + 1).errors == [
        FieldError(field="file", message=f"is larger than {MAX_BYTES} bytes")
    ]
    other = requested(stores, 2)
    elsewhere = f"uploads/{upload_id(2)}/b.md"
    assert other != elsewhere
    upload = process(stores, elsewhere, markdown(title="Salah Tempat"))
    assert upload.state is UploadState.REJECTED
    assert upload.errors == [FieldError(field="file", message=f"expected at {other}, got {elsewhere}")]


def test_an_unchanged_upload_records_the_version_it_matches_and_stores_no_new_one() -> None:
    stores = MemoryStores.new()
    publish(stores, 1, markdown(title="Harga Beras Naik"))
    upload = publish(stores, 2, markdown(title="Harga Beras Naik", slug="harga-beras-naik"), now=LATER)
    assert upload.state is UploadState.PUBLISHED and upload.unchanged is True
    assert upload.article is not None and upload.article.version == 1
    assert stores.uploads.get(upload_id(2)) == upload
    assert stores.articles.versions("harga-beras-naik") == [1]
    article = stores.articles.get("harga-beras-naik")
    assert article is not None and (article.upload_id, article.updated_at) == (upload_id(1), NOW)


def test_a_replayed_event_returns_the_recorded_outcome_and_writes_nothing() -> None:
    stores = MemoryStores.new()
    key = requested(stores, 1)
    file = markdown(title="Satu Kali Saja")
    first = process(stores, key, file)
    before = copy.deepcopy(stores)
    assert process(stores, key, file, now=LATER) == first  # not processed again at LATER
    assert stores == before
    rejected_key = requested(stores, 2)
    rejected = process(stores, rejected_key, markdown(subtitle="Tanpa judul"))
    before = copy.deepcopy(stores)
    assert process(stores, rejected_key, markdown(subtitle="Tanpa judul"), now=LATER) == rejected
    assert stores == before  # another file with the same ticket: tests/unit/test_upload_tickets.py


class StaleUploads(MemoryUploads):
    """Reads an upload as still pending once more: a replay racing the first delivery."""

    def __init__(self, stores: MemoryStores, upload_id: str) -> None:
        super().__init__(uploads=stores.uploads.uploads)  # the same uploads, read through here
        self.stale: Upload | None = stores.uploads.get(upload_id)

    def get(self, upload_id: str) -> Upload | None:
        stale, self.stale = self.stale, None
        return stale or super().get(upload_id)


def test_a_replay_that_read_the_upload_as_pending_returns_the_recorded_outcome_not_its_own() -> None:
    stores = MemoryStores.new()
    key = requested(stores, 1)
    racing = StaleUploads(stores, upload_id(1))
    first = process(stores, key, markdown(title="Satu Kali Saja"))
    before = copy.deepcopy(stores)
    # The replay sees the article the first delivery wrote, and would reject its own file (slug clash).
    again = process(stores, key, markdown(title="Satu Kali Saja"), now=LATER, uploads=racing)
    assert again == first and again.state is UploadState.PUBLISHED and again.processed_at == NOW
    assert stores == before


def test_two_deliveries_racing_to_publish_store_one_version(monkeypatch: pytest.MonkeyPatch) -> None:
    stores = MemoryStores.new()
    key = requested(stores, 1)
    file = markdown(title="Satu Kali Saja")
    states, first = stores.articles.states, []

    def first_delivery_meanwhile(slugs: Iterable[str]) -> dict[str, str]:
        """Between the second delivery's reads and its write, the first one publishes."""
        monkeypatch.setattr(stores.articles, "states", states)
        first.append(process(stores, key, file))
        return states(slugs)

    monkeypatch.setattr(stores.articles, "states", first_delivery_meanwhile)
    again = process(stores, key, file, now=LATER)
    assert first and again == first[0] and again.processed_at == NOW
    assert stores.articles.versions("satu-kali-saja") == [1]
    article = stores.articles.get("satu-kali-saja")
    assert article is not None and article.updated_at == NOW


def test_links_to_articles_not_published_are_warnings_not_errors() -> None:
    stores = MemoryStores.new()
    publish(stores, 1, markdown(title="Terbit"))
    publish(stores, 2, markdown(title="Masih Draf", status="draft"))
    file = markdown(title="Dengan Tautan", read_also=["terbit", "tidak-ada"], related=["masih-draf"])
    upload = publish(stores, 3, file)
    assert upload.state is UploadState.PUBLISHED and upload.errors == []
    assert upload.warnings == [
        FieldError(
            field="read_also.1",
            message="no article 'tidak-ada' is published yet; the link appears once it is",
        ),
        FieldError(
            field="related.0", message="no article 'masih-draf' is published yet; the link appears once it is"
        ),
    ]
    article = stores.articles.get("dengan-tautan")
    assert article is not None and (article.read_also, article.related) == (
        ["terbit", "tidak-ada"],
        ["masih-draf"],
    )


def test_a_file_put_straight_into_the_bucket_is_recorded_anyway() -> None:
    stores = MemoryStores.new()
    key = f"uploads/{upload_id(9)}/langsung.md"
    upload = process(stores, key, markdown(title="Langsung ke Bucket"))
    assert upload.state is UploadState.PUBLISHED
    assert (upload.created_by, upload.content_type, upload.created_at, upload.filename) == (
        "unknown",
        "",
        NOW,
        "langsung.md",
    )
    assert stores.uploads.get(upload_id(9)) == upload
