"""CloudFront invalidations, gathered: the paths many renders queued, in one request.

RenderFunction queues the long-cached paths it wrote or deleted (kabar.site); InvalidateFunction
reads the queue in batches (up to 100 messages, gathered for up to 15 seconds) and sends one
CreateInvalidation for the unique paths of the whole batch. Its CallerReference is derived from
the batch's message ids, so a retried batch that CloudFront already accepted is not invalidated
(nor billed) twice. A refused, throttled or failed request fails the whole batch, which SQS
delivers again later (and, after ten attempts, moves to the dead-letter queue).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# One queue message holds at most this many paths (a few dozen per render in practice).
PATHS_PER_MESSAGE = 500
# More unique paths than this in one batch become a single wildcard: CloudFront bills a
# wildcard as one path, and holds at most 3,000 individual paths in progress per distribution.
MAX_PATHS = 1000
EVERYTHING = "/v1/*"


def edge_path(path: str) -> str:
    """A site bucket key as CloudFront names it (from ``/``)."""
    return "/" + path.lstrip("/")


class BadMessage(ValueError):
    """A queue message that is not ``{"paths": ["/...", ...]}``."""


def message_paths(body: str) -> list[str]:
    """The paths one queue message asks to invalidate."""
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise BadMessage(f"not JSON: {exc}") from exc
    paths = payload.get("paths") if isinstance(payload, dict) else None
    if not isinstance(paths, list) or not all(isinstance(p, str) and p.startswith("/") for p in paths):
        raise BadMessage('expected {"paths": ["/...", ...]}')
    return paths


@dataclass
class Batch:
    """The readable messages of one batch, their unique paths, and the unreadable ones."""

    message_ids: list[str] = field(default_factory=list)
    paths: set[str] = field(default_factory=set)
    unreadable: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, records: Iterable[dict[str, Any]]) -> Batch:
        batch = cls()
        for record in records:
            try:
                batch.paths.update(message_paths(str(record.get("body", ""))))
            except BadMessage:
                batch.unreadable.append(str(record["messageId"]))
            else:
                batch.message_ids.append(str(record["messageId"]))
        return batch

    def request(self) -> list[str]:
        """The paths to send: each once, or one wildcard when there are too many."""
        return [EVERYTHING] if len(self.paths) > MAX_PATHS else sorted(self.paths)

    def caller_reference(self) -> str:
        """The same for the same messages: CloudFront answers a repeat with the first invalidation."""
        digest = hashlib.sha256("\n".join(sorted(self.message_ids)).encode()).hexdigest()
        return f"kabar-{digest[:40]}"


def invalidate(cloudfront: Any, distribution_id: str, batch: Batch) -> int:
    """One invalidation of the batch's paths; the number of paths sent (0: nothing to do)."""
    paths = batch.request()
    if not paths or not distribution_id:
        return 0
    cloudfront.create_invalidation(
        DistributionId=distribution_id,
        InvalidationBatch={"Paths": {"Quantity": len(paths), "Items": paths},
                           "CallerReference": batch.caller_reference()},
    )  # fmt: skip
    return len(paths)
