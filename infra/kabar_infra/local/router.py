"""Deliver SQS messages and DynamoDB stream records to the handlers the template names.

This is what Lambda's event source mappings do in AWS, for the settings the
template uses: batch size, FilterCriteria, ReportBatchItemFailures, retries
and the on-failure destination of stream sources; an SQS queue's own
redrive policy moves messages that keep failing to its dead-letter queue.
``run`` polls each source in a thread of its own, as each mapping polls on
its own in AWS (``pump`` and ``drain``, for tests, poll them in turn).

``on_consumed(stream_arn, sequence_number)``, when given, hears how far every
consumer of a stream has read (the lowest next sequence number among them,
held back to the first record of any batch sent to an on-failure destination
in the last 24 hours, which ops tools may want to read): the local stack
drops the records before it from moto's stream.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import boto3

from kabar_infra.provision import Stack
from kabar_infra.template import EventSource, Template, filter_patterns

Invoke = Callable[[str, dict[str, Any]], Any]


def pattern_matches(pattern: dict[str, Any], record: dict[str, Any]) -> bool:
    """Whether a record matches an event filter pattern (Lambda FilterCriteria syntax).

    moto evaluates EventBridge patterns, the syntax FilterCriteria use; its
    class is not public API, so it is reached only here (and tested).
    """
    from moto.events.models import EventPattern

    event: Any = record
    return bool(EventPattern.load(json.dumps(pattern)).matches_event(event))


@dataclass
class _StreamSource:
    function: str
    event: EventSource
    props: dict[str, Any]  # the event's properties, intrinsic functions resolved
    arn: str
    patterns: list[dict[str, Any]]
    iterators: dict[str, str | None] = field(default_factory=dict)
    consumed: int = 0  # the sequence number after the last record read (one shard, as moto's)


@dataclass
class _QueueSource:
    function: str
    event: EventSource
    props: dict[str, Any]
    arn: str
    url: str


@dataclass
class Delivery:
    """One invocation the router made, for logs and tests."""

    function: str
    source: str
    records: int
    failures: int


class Router:
    """Polls the template's queues and streams on moto and invokes their handlers."""

    def __init__(
        self,
        template: Template,
        stack: Stack,
        invoke: Invoke,
        session: boto3.Session,
        on_consumed: Callable[[str, int], Any] | None = None,
    ) -> None:
        self.invoke = invoke
        self.on_consumed = on_consumed
        self._pins: dict[str, list[tuple[float, int]]] = {}  # stream ARN -> (when, first sequence number)
        self._pins_lock = threading.Lock()
        self.session = session
        self.region = stack.region
        self.deliveries: list[Delivery] = []
        self.log: Callable[[str], None] = lambda line: print(line, flush=True)
        self._streams: list[_StreamSource] = []
        self._queues: list[_QueueSource] = []
        resolver = stack.resolver()
        arn_to_url = {
            attrs["Arn"]: attrs["QueueUrl"] for attrs in stack.attributes.values() if "QueueUrl" in attrs
        }
        for spec in template.functions():
            for event in spec.events:
                props = resolver.resolve(event.properties)
                if event.type == "DynamoDB":
                    self._streams.append(
                        _StreamSource(spec.logical_id, event, props, props["Stream"], filter_patterns(event))
                    )
                elif event.type == "SQS":
                    self._queues.append(
                        _QueueSource(
                            spec.logical_id,
                            event,
                            props,
                            props["Queue"],
                            arn_to_url[props["Queue"]],
                        )
                    )
                elif event.type != "Api":
                    raise ValueError(f"{spec.logical_id}: event type {event.type} is not routed locally")
        self._sqs = session.client("sqs")
        self._streams_client = session.client("dynamodbstreams")

    # ------------------------------------------------------------------ running

    def pump(self) -> int:
        """Poll every source once and deliver what is there; the number of records delivered."""
        delivered = 0
        for queue in self._queues:
            delivered += self._pump_queue(queue)
        for stream in self._streams:
            delivered += self._pump_stream(stream)
        return delivered

    def drain(self, rounds: int = 50) -> int:
        """Pump until nothing is left (events cause events: publish -> stream -> render)."""
        total = 0
        for _ in range(rounds):
            delivered = self.pump()
            total += delivered
            if delivered == 0:
                return total
        raise RuntimeError(f"events still flowing after {rounds} rounds")

    def run(self, stop: threading.Event, idle_seconds: float = 0.2) -> None:
        """Poll every source, each in its own thread, until ``stop`` is set."""
        pumps: list[Callable[[], int]] = [lambda q=q: self._pump_queue(q) for q in self._queues]  # type: ignore[misc]
        pumps += [lambda s=s: self._pump_stream(s) for s in self._streams]  # type: ignore[misc]
        threads = [
            threading.Thread(target=self._poll, args=(pump, stop, idle_seconds), daemon=True, name="router")
            for pump in pumps
        ]
        for thread in threads:
            thread.start()
        stop.wait()

    def _poll(self, pump: Callable[[], int], stop: threading.Event, idle_seconds: float) -> None:
        while not stop.is_set():
            try:
                delivered = pump()
            except Exception as exc:  # keep routing; the handler's own logs say more
                self.log(f"[router] {type(exc).__name__}: {exc}")
                delivered = 0
            if delivered == 0:
                stop.wait(idle_seconds)

    def skip_to_latest(self) -> None:
        """Start every stream after its newest record (state loaded directly is not an event)."""
        for stream in self._streams:
            description = self._streams_client.describe_stream(StreamArn=stream.arn)["StreamDescription"]
            for shard in description["Shards"]:
                stream.iterators[shard["ShardId"]] = self._streams_client.get_shard_iterator(
                    StreamArn=stream.arn, ShardId=shard["ShardId"], ShardIteratorType="LATEST"
                )["ShardIterator"]

    # ------------------------------------------------------------------ SQS

    def _pump_queue(self, queue: _QueueSource) -> int:
        # Up to BatchSize messages, as many receives as that takes (SQS returns ten at most), as
        # the event source gathers them; the batching window is not waited for.
        batch_size = int(queue.props.get("BatchSize", 10))
        gathered: dict[str, Any] = {}  # by message id: with a visibility timeout of 0 a receive repeats
        while len(gathered) < batch_size:
            wanted = min(10, batch_size - len(gathered))
            try:
                response = self._sqs.receive_message(
                    QueueUrl=queue.url,
                    MaxNumberOfMessages=wanted,
                    AttributeNames=["All"],
                    WaitTimeSeconds=0,
                )
            except self._sqs.exceptions.QueueDoesNotExist:
                return 0  # deleted (a test breaking a stage): nothing to deliver until it is back
            received = response.get("Messages", [])
            new = [message for message in received if message["MessageId"] not in gathered]
            gathered.update((message["MessageId"], message) for message in received)
            if not new or len(received) < wanted:
                break  # the queue has no more to give now
        messages = list(gathered.values())
        if not messages:
            return 0
        event = {"Records": [self._sqs_record(queue, message) for message in messages]}
        failed = self._invoke(queue.function, "sqs", event)
        for message in messages:
            if failed is None or message["MessageId"] in failed:
                continue  # stays in the queue: visible again after the visibility timeout
            self._sqs.delete_message(QueueUrl=queue.url, ReceiptHandle=message["ReceiptHandle"])
        return len(messages)

    def _sqs_record(self, queue: _QueueSource, message: Any) -> dict[str, Any]:
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes", {}),
            "messageAttributes": message.get("MessageAttributes", {}),
            "md5OfBody": message.get("MD5OfBody", ""),
            "eventSource": "aws:sqs",
            "eventSourceARN": queue.arn,
            "awsRegion": self.region,
        }

    # ------------------------------------------------------------------ streams

    def _pump_stream(self, stream: _StreamSource) -> int:
        description = self._streams_client.describe_stream(StreamArn=stream.arn)["StreamDescription"]
        position = stream.props.get("StartingPosition", "TRIM_HORIZON")
        delivered = 0
        for shard in description["Shards"]:
            shard_id = shard["ShardId"]
            if shard_id not in stream.iterators:
                stream.iterators[shard_id] = self._streams_client.get_shard_iterator(
                    StreamArn=stream.arn, ShardId=shard_id, ShardIteratorType=position
                )["ShardIterator"]
            iterator = stream.iterators[shard_id]
            if iterator is None:
                continue
            response = self._streams_client.get_records(ShardIterator=iterator, Limit=1000)
            stream.iterators[shard_id] = response.get("NextShardIterator")
            records = [self._stream_record(stream, r) for r in response.get("Records", [])]
            read_to = int(records[-1]["dynamodb"]["SequenceNumber"]) + 1 if records else 0
            records = [r for r in records if self._passes_filter(stream, r)]
            batch_size = int(stream.props.get("BatchSize", 100))
            for start in range(0, len(records), batch_size):
                self._deliver_stream_batch(stream, shard_id, records[start : start + batch_size])
            delivered += len(records)
            if read_to:
                stream.consumed = read_to
                self._report_consumed(stream.arn)
        return delivered

    def _report_consumed(self, arn: str) -> None:
        if self.on_consumed is None:
            return
        readers = [s for s in self._streams if s.arn == arn]
        if any(s.consumed == 0 for s in readers):
            return  # one has read nothing yet
        horizon = time.monotonic() - 24 * 3600
        with self._pins_lock:
            pins = self._pins[arn] = [(at, n) for at, n in self._pins.get(arn, []) if at > horizon]
        self.on_consumed(arn, min([s.consumed for s in readers] + [n for _, n in pins]))

    def _passes_filter(self, stream: _StreamSource, record: dict[str, Any]) -> bool:
        return not stream.patterns or any(pattern_matches(p, record) for p in stream.patterns)

    def _stream_record(self, stream: _StreamSource, record: dict[str, Any]) -> dict[str, Any]:
        record = json.loads(json.dumps(record, default=_epoch))
        record["eventSourceARN"] = stream.arn  # moto leaves it out; Lambda always sets it
        return record

    def _deliver_stream_batch(
        self, stream: _StreamSource, shard_id: str, batch: list[dict[str, Any]]
    ) -> None:
        props = stream.props
        retries = int(props.get("MaximumRetryAttempts", 3))
        attempt = 0
        while batch:
            failed = self._invoke(stream.function, "dynamodb", {"Records": batch})
            if failed == set():
                return
            sequence_numbers = [r["dynamodb"]["SequenceNumber"] for r in batch]
            # Lambda resumes from the lowest failed sequence number (all of it on an error).
            first = (
                0
                if failed is None
                else min((sequence_numbers.index(s) for s in failed if s in sequence_numbers), default=0)
            )
            batch = batch[first:]
            attempt += 1
            if attempt > retries:
                self._on_failure(stream, shard_id, batch)
                return

    def _on_failure(self, stream: _StreamSource, shard_id: str, batch: list[dict[str, Any]]) -> None:
        destination = stream.props.get("DestinationConfig", {}).get("OnFailure")
        self.log(f"[router] {stream.function}: {len(batch)} records failed every retry")
        first = int(batch[0]["dynamodb"]["SequenceNumber"])
        with self._pins_lock:
            self._pins.setdefault(stream.arn, []).append((time.monotonic(), first))
        if not destination:
            return
        arn = str(destination["Destination"])
        url = self._sqs.get_queue_url(QueueName=arn.rsplit(":", 1)[-1])["QueueUrl"]
        # The same shape Lambda sends: where the records are, not the records.
        self._sqs.send_message(
            QueueUrl=url,
            MessageBody=json.dumps(
                {
                    "requestContext": {
                        "requestId": str(uuid.uuid4()),
                        "functionArn": stream.function,
                        "condition": "RetryAttemptsExhausted",
                        "approximateInvokeCount": int(stream.props.get("MaximumRetryAttempts", 3)) + 1,
                    },
                    "responseContext": {"statusCode": 200, "functionError": "Unhandled"},
                    "version": "1.0",
                    "timestamp": datetime.now().astimezone().isoformat(),
                    "DDBStreamBatchInfo": {
                        "shardId": shard_id,
                        "startSequenceNumber": batch[0]["dynamodb"]["SequenceNumber"],
                        "endSequenceNumber": batch[-1]["dynamodb"]["SequenceNumber"],
                        "approximateArrivalOfFirstRecord": batch[0]["dynamodb"].get(
                            "ApproximateCreationDateTime"
                        ),
                        "approximateArrivalOfLastRecord": batch[-1]["dynamodb"].get(
                            "ApproximateCreationDateTime"
                        ),
                        "batchSize": len(batch),
                        "streamArn": stream.arn,
                    },
                }
            ),
        )

    # ------------------------------------------------------------------ invoking

    def _invoke(self, function: str, source: str, event: dict[str, Any]) -> set[str] | None:
        """Invoke; the ids of failed records (empty: all succeeded; None: the invocation failed)."""
        try:
            response = self.invoke(function, event)
        except Exception as exc:
            self.log(f"[router] {function} failed: {type(exc).__name__}: {exc}")
            self.deliveries.append(Delivery(function, source, len(event["Records"]), len(event["Records"])))
            return None
        failures = {str(item["itemIdentifier"]) for item in (response or {}).get("batchItemFailures", [])}
        self.deliveries.append(Delivery(function, source, len(event["Records"]), len(failures)))
        return failures


def _epoch(value: Any) -> Any:
    if isinstance(value, datetime):
        return int(value.timestamp())
    raise TypeError(type(value))


def wait_for(condition: Callable[[], Any], timeout: float = 10.0, interval: float = 0.1) -> Any:
    """Poll until ``condition()`` is truthy; its value, or TimeoutError."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(interval)
