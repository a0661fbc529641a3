"""The site bucket: the only place public documents are written (by RenderFunction)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from kabar import aws
from kabar.documents import CACHE_IMAGE, JSON_CONTENT_TYPE
from kabar.invalidation import PATHS_PER_MESSAGE, edge_path

if TYPE_CHECKING:
    from kabar.record import Record


def document_bytes(document: Record) -> bytes:
    """A document as the CDN serves it: compact UTF-8 JSON, no nulls dropped."""
    payload = document.to_json()
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


class SiteBucket:
    """Writes documents to the private site bucket; asks InvalidateFunction (through its queue)
    to invalidate the long-cached ones on CloudFront."""

    def __init__(self, bucket: str, invalidation_queue_url: str = "") -> None:
        self.bucket = bucket
        self.invalidation_queue_url = invalidation_queue_url

    def get(self, path: str) -> bytes | None:
        """A document as written (None: there is none)."""
        s3 = aws.s3()
        try:
            body: bytes = s3.get_object(Bucket=self.bucket, Key=path)["Body"].read()
        except s3.exceptions.NoSuchKey:
            return None
        return body

    def put(self, path: str, document: Record, cache_control: str) -> None:
        aws.s3().put_object(
            Bucket=self.bucket,
            Key=path,
            Body=document_bytes(document),
            ContentType=JSON_CONTENT_TYPE,
            CacheControl=cache_control,
        )

    def put_bytes(self, path: str, body: bytes, content_type: str, cache_control: str) -> None:
        """A document that is not JSON (a feed, a sitemap, robots.txt)."""
        aws.s3().put_object(Bucket=self.bucket, Key=path, Body=body, ContentType=content_type,
                            CacheControl=cache_control)  # fmt: skip

    def put_image(self, path: str, data: bytes, content_type: str) -> None:
        """An image variant: under its content-addressed path, cached for a year, immutable."""
        aws.s3().put_object(Bucket=self.bucket, Key=path, Body=data, ContentType=content_type,
                            CacheControl=CACHE_IMAGE)  # fmt: skip

    def delete(self, path: str) -> None:
        aws.s3().delete_object(Bucket=self.bucket, Key=path)

    def request_invalidation(self, paths: Iterable[str]) -> int:
        """Queue the paths for invalidation (each once); the number queued, 0 without a queue.

        The CloudFront call happens in InvalidateFunction, which gathers the paths of many
        renders into one invalidation and retries on its own: a refused or throttled
        invalidation never fails the records whose documents were written.
        """
        unique = sorted({edge_path(path) for path in paths})
        if not unique or not self.invalidation_queue_url:
            return 0
        for start in range(0, len(unique), PATHS_PER_MESSAGE):
            body = json.dumps({"paths": unique[start : start + PATHS_PER_MESSAGE]})
            aws.sqs().send_message(QueueUrl=self.invalidation_queue_url, MessageBody=body)
        return len(unique)
