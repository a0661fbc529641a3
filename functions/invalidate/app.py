"""InvalidateFunction: paths RenderFunction queued (SQS) -> one CloudFront invalidation per batch.

The batch is one request, so it succeeds or fails as a whole: on a refusal or a throttle every
readable message is reported failed and SQS delivers them again after the visibility timeout
(ten times, then InvalidationDeadLetterQueue). An unreadable message is reported alone and ends
in the dead-letter queue, where ``kabar ops failures`` shows it. Replayed messages are harmless:
invalidating a path twice only refreshes it twice, and a retried batch keeps its CallerReference.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar import aws
from kabar.invalidation import Batch, invalidate
from kabar.observability import flush_metrics, logger, metric
from kabar.settings import get_settings


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    records = event.get("Records", [])
    batch = Batch.of(records)
    failed = list(batch.unreadable)
    for message_id in batch.unreadable:
        logger.error("unreadable invalidation message", extra={"message_id": message_id})
    distribution = get_settings().distribution_id
    try:
        sent = invalidate(aws.cloudfront(), distribution, batch) if batch.message_ids else 0
    except Exception:
        logger.exception("invalidation failed", extra={"messages": len(batch.message_ids),
                                                       "paths": len(batch.paths)})  # fmt: skip
        failed += batch.message_ids
        sent = 0
    else:
        if not distribution:
            logger.info("no distribution: nothing invalidated", extra={"paths": len(batch.paths)})
        logger.info("invalidated", extra={"messages": len(batch.message_ids), "paths": sent})
    metric("PathsInvalidated", sent)
    flush_metrics()
    return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in failed]}
