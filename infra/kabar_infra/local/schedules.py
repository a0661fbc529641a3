"""EventBridge Scheduler's schedules, fired locally as Scheduler fires them: moto keeps schedules
but runs none. The provisioner creates the template's schedules on moto (and its schedule
groups, where PublishFunction puts each scheduled article's one-time schedule); this scheduler
reads them back from moto's Scheduler API every second and sends each due schedule's ``Input``
to its target queue: a ``rate(...)`` schedule at start (so a stack started after a quiet spell
does not wait an hour) and then every period, an ``at(...)`` schedule once at its time, deleted
afterwards when its ``ActionAfterCompletion`` says so. A delivery that fails is retried with
backoff within the schedule's ``RetryPolicy`` and then sent to its ``DeadLetterConfig`` queue
with Scheduler's message attributes. Only SQS targets are supported (all the template uses)."""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.exceptions import ClientError

from kabar_infra.provision import Stack
from kabar_infra.template import Template

_RATE = re.compile(r"rate\((\d+) (minute|minutes|hour|hours|day|days)\)")
_AT = re.compile(r"at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)")
_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
BACKOFF_CAP = 60.0  # seconds between local retries at most (Scheduler's own backoff is longer)


class UnsupportedSchedule(ValueError):
    """A schedule the local stack cannot fire (a cron expression, a target that is not a queue)."""


def rate_seconds(expression: str) -> int:
    """The period of a ``rate(N unit)`` schedule expression, in seconds."""
    match = _RATE.fullmatch(expression.strip())
    if not match:
        raise UnsupportedSchedule(f"{expression!r}: not a rate(...) expression")
    return int(match.group(1)) * _SECONDS[match.group(2).rstrip("s")]


def at_moment(expression: str, zone: str = "UTC") -> datetime:
    """The moment of an ``at(yyyy-mm-ddThh:mm:ss)`` expression (the local stack reads UTC only)."""
    match = _AT.fullmatch(expression.strip())
    if not match or zone != "UTC":
        raise UnsupportedSchedule(f"{expression!r} in {zone}: the local stack fires at(...) in UTC only")
    return datetime.fromisoformat(match.group(1)).replace(tzinfo=UTC)


@dataclass(frozen=True)
class Schedule:
    """A schedule as moto holds it: when it fires, and what it sends where."""

    name: str
    group: str
    arn: str
    every_seconds: int | None  # a rate schedule's period
    at: datetime | None  # a one-time schedule's moment
    target_arn: str
    body: str
    retry_attempts: int
    max_event_age: int
    dead_letter_arn: str | None
    delete_after: bool
    modified: str

    @classmethod
    def read(cls, found: dict[str, Any]) -> Schedule:
        expression, target = str(found["ScheduleExpression"]), found["Target"]
        if ":sqs:" not in str(target["Arn"]):
            raise UnsupportedSchedule(f"{found['Name']}: the local stack sends to SQS queues only")
        rate = expression.startswith("rate(")
        retry = target.get("RetryPolicy") or {}
        return cls(
            name=str(found["Name"]), group=str(found.get("GroupName") or "default"), arn=str(found["Arn"]),
            every_seconds=rate_seconds(expression) if rate else None,
            at=None if rate else at_moment(expression, str(found.get("ScheduleExpressionTimezone") or "UTC")),
            target_arn=str(target["Arn"]), body=str(target.get("Input", "")),
            retry_attempts=int(retry.get("MaximumRetryAttempts", 185)),
            max_event_age=int(retry.get("MaximumEventAgeInSeconds", 86400)),
            dead_letter_arn=(target.get("DeadLetterConfig") or {}).get("Arn"),
            delete_after=found.get("ActionAfterCompletion") == "DELETE",
            modified=str(found.get("LastModificationDate", "")),
        )  # fmt: skip


@dataclass
class _Delivery:
    schedule: Schedule
    first_at: float
    attempts: int = 0
    next_at: float = 0.0


class LocalScheduler:
    """Fires the schedules moto holds in the template's schedule groups (and the default one)."""

    def __init__(
        self, template: Template, stack: Stack, session: boto3.Session, clock: Any = time.time
    ) -> None:
        self.scheduler, self.sqs, self.clock = session.client("scheduler"), session.client("sqs"), clock
        self.groups = ["default", *(stack.ref(logical_id) for logical_id, resource
                                    in sorted(template.resources.items())
                                    if resource["Type"] == "AWS::Scheduler::ScheduleGroup")]  # fmt: skip
        self._read: dict[str, tuple[str, Schedule]] = {}  # by ARN: (modified, schedule)
        self._last: dict[str, float] = {}  # by ARN: when a rate schedule last fired
        self._done: set[tuple[str, str]] = set()  # one-time schedules fired and kept: (ARN, modified)
        self._retrying: list[_Delivery] = []
        self.fired: list[str] = []  # every schedule fired (names), for tests and logs

    @property
    def schedules(self) -> list[Schedule]:
        """Every enabled schedule moto holds in the groups."""
        found = []
        for group in self.groups:
            pages = self.scheduler.get_paginator("list_schedules").paginate(GroupName=group)
            for summary in (item for page in pages for item in page["Schedules"]):
                if summary.get("State", "ENABLED") != "ENABLED":
                    continue
                arn, modified = str(summary["Arn"]), str(summary.get("LastModificationDate", ""))
                if arn not in self._read or self._read[arn][0] != modified:
                    full = self.scheduler.get_schedule(Name=summary["Name"], GroupName=group)
                    self._read[arn] = (modified, Schedule.read(dict(full)))
                found.append(self._read[arn][1])
        return found

    def fire(self, name: str | None = None) -> list[str]:
        """Deliver one schedule (by name) or every one now, whatever its time; the names fired."""
        fired = [schedule for schedule in self.schedules if name in (None, schedule.name)]
        for schedule in fired:
            self._deliver(_Delivery(schedule, self.clock()))
        return [schedule.name for schedule in fired]

    def tick(self) -> list[str]:
        """Deliver what is due now (and the retries whose time came); the names delivered."""
        now, due = self.clock(), []
        for schedule in self.schedules:
            if schedule.every_seconds is not None:
                if now >= self._last.get(schedule.arn, float("-inf")) + schedule.every_seconds:
                    self._last[schedule.arn] = now
                    due.append(schedule)
            elif schedule.at is not None and schedule.at.timestamp() <= now \
                    and (schedule.arn, schedule.modified) not in self._done:  # fmt: skip
                self._done.add((schedule.arn, schedule.modified))
                due.append(schedule)
        retries, self._retrying = (
            [d for d in self._retrying if d.next_at <= now],
            [d for d in self._retrying if d.next_at > now],
        )
        for delivery in [*(_Delivery(schedule, now) for schedule in due), *retries]:
            self._deliver(delivery)
        return [schedule.name for schedule in due]

    def _deliver(self, delivery: _Delivery) -> None:
        schedule, now = delivery.schedule, self.clock()
        try:
            self.sqs.send_message(QueueUrl=self._queue_url(schedule.target_arn), MessageBody=schedule.body)
        except ClientError as exc:
            delivery.attempts += 1
            aged = now - delivery.first_at >= schedule.max_event_age
            if delivery.attempts > schedule.retry_attempts or aged:
                self._dead_letter(schedule, exc)
            else:
                delivery.next_at = now + min(BACKOFF_CAP, 2.0**delivery.attempts)
                self._retrying.append(delivery)
                return
        self.fired.append(schedule.name)
        if schedule.at is not None and schedule.delete_after:
            with contextlib.suppress(ClientError):  # replaced or deleted meanwhile
                self.scheduler.delete_schedule(Name=schedule.name, GroupName=schedule.group)

    def _dead_letter(self, schedule: Schedule, error: ClientError) -> None:
        """Scheduler's dead-letter event: the input, with what failed as message attributes."""
        if not schedule.dead_letter_arn:
            return
        code, message = error.response["Error"].get("Code", ""), error.response["Error"].get("Message", "")
        attributes = {"ERROR_CODE": code, "ERROR_MESSAGE": message or code, "SCHEDULE_ARN": schedule.arn,
                      "TARGET_ARN": schedule.target_arn,
                      "EXECUTION_ID": f"local-{int(self.clock())}"}  # fmt: skip
        self.sqs.send_message(
            QueueUrl=self._queue_url(schedule.dead_letter_arn), MessageBody=schedule.body,
            MessageAttributes={k: {"DataType": "String", "StringValue": v} for k, v in attributes.items()},
        )  # fmt: skip

    def _queue_url(self, arn: str) -> str:
        return str(self.sqs.get_queue_url(QueueName=arn.rsplit(":", 1)[1])["QueueUrl"])

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.tick()
            except Exception:  # a schedule it cannot read: said, and the others still fire
                logging.getLogger(__name__).exception("local scheduler: a tick failed")
            stop.wait(1.0)
