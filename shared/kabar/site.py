"""The site bucket: the only place public documents are written (by RenderFunction)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable

from pydantic import BaseModel

from kabar import aws
from kabar.documents import JSON_CONTENT_TYPE


def document_bytes(document: BaseModel) -> bytes:
    """A document as the CDN serves it: compact UTF-8 JSON, no nulls dropped."""
    payload = document.model_dump(mode="json")
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


class SiteBucket:
    """Writes documents to the private site bucket and invalidates them on CloudFront."""

    def __init__(self, bucket: str, distribution_id: str = "") -> None:
        self.bucket = bucket
        self.distribution_id = distribution_id

    def put(self, path: str, document: BaseModel, cache_control: str) -> None:
        aws.s3().put_object(
            Bucket=self.bucket,
            Key=path,
            Body=document_bytes(document),
            ContentType=JSON_CONTENT_TYPE,
            CacheControl=cache_control,
        )

    def delete(self, path: str) -> None:
        aws.s3().delete_object(Bucket=self.bucket, Key=path)

    def invalidate(self, paths: Iterable[str]) -> int:
        """One CloudFront invalidation for every changed path; none without a distribution.

        Returns the number of paths sent.
        """
        unique = sorted({"/" + path.lstrip("/") for path in paths})
        if not unique or not self.distribution_id:
            return 0
        aws.cloudfront().create_invalidation(
            DistributionId=self.distribution_id,
            InvalidationBatch={
                "Paths": {"Quantity": len(unique), "Items": unique},
                "CallerReference": uuid.uuid4().hex,
            },
        )
        return len(unique)
