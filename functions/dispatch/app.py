"""DispatchFunction: the table stream's only reader -> each change to the queues of the stages
that act on it (kabar.dispatch). Also takes a replay event (kabar.table.replay): the named items
as they are now, sent to every stage that acts on them.

A record that cannot be read, or that a stage's queue refused, is reported failed (the stream
retries from it, then sends the batch's position to DispatchFailureQueue) and logged at ERROR
with its keys and correlation id.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar import aws
from kabar.dispatch import batch_response, dispatch
from kabar.observability import (
    flush_metrics,
    handling_batch,
    log_failed_records,
    logger,
    metric,
    stream_facts,
)
from kabar.settings import get_settings
from kabar.table.base import Table
from kabar.table.replay import stream_event


def send(stage: str, bodies: list[str]) -> set[int]:
    """One SendMessageBatch to the stage's queue; the indexes SQS did not take."""
    entries = [{"Id": str(index), "MessageBody": body} for index, body in enumerate(bodies)]
    try:
        response = aws.sqs().send_message_batch(QueueUrl=get_settings().stage_queue(stage), Entries=entries)
    except Exception:
        logger.exception("a stage queue refused a batch", extra={"stage": stage, "messages": len(bodies)})
        return set(range(len(bodies)))
    refused = {int(entry["Id"]) for entry in response.get("Failed", [])}
    if refused:
        logger.error("a stage queue refused messages", extra={"stage": stage, "refused": len(refused)})
    return refused


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    records = stream_event(event, Table(get_settings().table_name))["Records"]
    with handling_batch(stream_facts(records)) as facts:
        result = dispatch(records, send, facts)
        log_failed_records("dispatching", result.failed, facts)
    for stage, count in sorted(result.sent.items()):
        metric(f"Dispatched{stage.capitalize()}", count)
    flush_metrics()
    order = [str(record["dynamodb"]["SequenceNumber"]) for record in records]
    return batch_response([sequence for sequence in order if sequence in result.failed])
