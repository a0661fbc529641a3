"""Partial batch responses for SQS and DynamoDB stream events (ReportBatchItemFailures).

What Powertools' ``process_partial_response`` with a ``BatchProcessor`` did for these handlers,
without its import: the batch utility brings asyncio (for its async processor) and every event
data class, about 25 ms of each cold start, for what is a loop. Each record is handled on its
own; those whose handler raised are reported in ``batchItemFailures`` (an SQS record by its
message id, a stream record by its sequence number); when every record of the batch failed, the
invocation fails (:class:`BatchFailed`, as Powertools' ``BatchProcessingError``), so the batch
is retried whole and the function's Errors metric counts it. Handlers get the records as Lambda
delivers them (plain dicts).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

Record = dict[str, Any]
T = TypeVar("T")


class BatchFailed(Exception):
    """Every record of the batch failed; ``errors`` are their exceptions, in order."""

    def __init__(self, errors: list[Exception]) -> None:
        super().__init__(f"All records failed processing. {len(errors)} individual errors logged separately.")
        self.errors = errors


def sqs_message_id(record: Record) -> str:
    return str(record["messageId"])


def stream_sequence_number(record: Record) -> str:
    return str(record["dynamodb"]["SequenceNumber"])


def process_batch(
    event: dict[str, Any], handle: Callable[[Record], Any], identify: Callable[[Record], str]
) -> dict[str, Any]:
    """Handle each of ``event``'s records; the partial batch response naming the failed ones."""
    records = event.get("Records")
    if not isinstance(records, list):
        raise ValueError("not a batch event: it has no list of Records")
    return process_records(records, handle, identify)


def process_records(
    records: list[T], handle: Callable[[T], Any], identify: Callable[[T], str]
) -> dict[str, Any]:
    """Handle each record (a Lambda record, or what a handler read from one); the partial batch
    response naming those whose handler raised."""
    failed: list[str] = []
    errors: list[Exception] = []
    for record in records:
        try:
            handle(record)
        except Exception as exc:  # the handler logged it; the record is retried
            failed.append(identify(record))
            errors.append(exc)
    if records and len(errors) == len(records):
        raise BatchFailed(errors)
    return {"batchItemFailures": [{"itemIdentifier": identifier} for identifier in failed]}
