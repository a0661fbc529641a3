"""The template's EventBridge Scheduler schedules, fired locally as Scheduler fires them: moto
runs no schedule, so the local stack reads each ``AWS::Scheduler::Schedule`` from template.yaml
and sends its target queue the schedule's ``Input`` at its rate (and once at start, so a stack
started after a quiet spell does not wait an hour). Only what the template uses is read: a
``rate(...)`` expression and an SQS queue as the target."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from typing import Any

import boto3

from kabar_infra.provision import Stack
from kabar_infra.template import Template

_RATE = re.compile(r"rate\((\d+) (minute|minutes|hour|hours|day|days)\)")
_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


class UnsupportedSchedule(ValueError):
    """A schedule the local stack cannot fire (a cron expression, a target that is not a queue)."""


@dataclass(frozen=True)
class Schedule:
    logical_id: str
    every_seconds: int
    queue_url: str
    body: str


def rate_seconds(expression: str) -> int:
    """The period of a ``rate(N unit)`` schedule expression, in seconds."""
    match = _RATE.fullmatch(expression.strip())
    if not match:
        raise UnsupportedSchedule(f"{expression!r}: the local stack fires rate(...) schedules only")
    return int(match.group(1)) * _SECONDS[match.group(2).rstrip("s")]


def schedules(template: Template, stack: Stack, session: boto3.Session) -> list[Schedule]:
    """Every enabled schedule of the template, with the URL of the queue it sends to."""
    sqs = session.client("sqs")
    found = []
    for logical_id, resource in sorted(template.resources.items()):
        if resource["Type"] != "AWS::Scheduler::Schedule":
            continue
        props: dict[str, Any] = stack.resolver().resolve(resource["Properties"])
        if props.get("State", "ENABLED") != "ENABLED":
            continue
        target = props["Target"]
        arn = str(target["Arn"])
        if ":sqs:" not in arn:
            raise UnsupportedSchedule(f"{logical_id}: the local stack sends to SQS queues only, not {arn}")
        url = sqs.get_queue_url(QueueName=arn.rsplit(":", 1)[1])["QueueUrl"]
        found.append(
            Schedule(logical_id, rate_seconds(props["ScheduleExpression"]), url, str(target["Input"]))
        )
    return found


class LocalScheduler:
    """Sends each schedule's input to its queue, at start and then every period."""

    def __init__(self, template: Template, stack: Stack, session: boto3.Session) -> None:
        self.sqs = session.client("sqs")
        self.schedules = schedules(template, stack, session)

    def fire(self, logical_id: str | None = None) -> list[str]:
        """Send the input of one schedule (or of every one) now; the schedules fired."""
        fired = []
        for schedule in self.schedules:
            if logical_id in (None, schedule.logical_id):
                self.sqs.send_message(QueueUrl=schedule.queue_url, MessageBody=schedule.body)
                fired.append(schedule.logical_id)
        return fired

    def run(self, stop: threading.Event, clock: Any = time.monotonic) -> None:
        due = dict.fromkeys((s.logical_id for s in self.schedules), clock())
        periods = {s.logical_id: s.every_seconds for s in self.schedules}
        while not stop.is_set():
            now = clock()
            for logical_id, when in due.items():
                if now >= when:
                    self.fire(logical_id)
                    due[logical_id] = now + periods[logical_id]
            stop.wait(min(1.0, max(0.0, min(due.values(), default=now + 1.0) - clock())))
