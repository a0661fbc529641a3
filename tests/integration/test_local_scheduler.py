"""The local stack's scheduler on moto, with its own clock: the template's rate schedule at start
and every period; one-time schedules once, at their time; a delivery its target refuses retried
by the schedule's retry policy and then sent to its dead-letter queue as Scheduler does."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import boto3

from kabar.releases import at_expression
from kabar_infra.local.schedules import LocalScheduler
from kabar_infra.provision import Stack
from kabar_infra.template import Template


def bodies(sqs: Any, url: str) -> list[tuple[str, dict[str, str]]]:
    found = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"])
    return [(m["Body"], {k: v["StringValue"] for k, v in (m.get("MessageAttributes") or {}).items()})
            for m in found.get("Messages", [])]  # fmt: skip


def test_schedules_fire_at_their_times_and_an_undeliverable_one_is_retried_then_set_aside(
    stack: Stack, template: Template
) -> None:
    session = boto3.Session(region_name=stack.region)
    sqs, client, group = session.client("sqs"), session.client("scheduler"), stack.ref("ReleaseScheduleGroup")
    clock = [time.time()]
    scheduler = LocalScheduler(template, stack, session, clock=lambda: clock[0])
    publish, dead = stack.attributes["PublishQueue"], stack.attributes["ReleaseDeadLetterQueue"]
    at = at_expression(datetime.fromtimestamp(clock[0] + 60, UTC))
    common = {"GroupName": group, "ScheduleExpression": at, "ScheduleExpressionTimezone": "UTC",
              "FlexibleTimeWindow": {"Mode": "OFF"}, "State": "ENABLED"}  # fmt: skip
    target = {"RoleArn": stack.attributes["ScheduleRole"]["Arn"], "DeadLetterConfig": {"Arn": dead["Arn"]}}
    client.create_schedule(Name="kept", ActionAfterCompletion="NONE", **common,
                           Target={**target, "Arn": publish["Arn"], "Input": "kept"})  # fmt: skip
    client.create_schedule(Name="refused", ActionAfterCompletion="DELETE", **common, Target={
        **target, "Arn": publish["Arn"] + "-gone", "Input": "refused",
        "RetryPolicy": {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 3600}})  # fmt: skip

    assert scheduler.tick() == [stack.ref("SitemapsSchedule")]  # a rate schedule fires at start
    assert scheduler.tick() == []
    clock[0] += 61
    assert sorted(scheduler.tick()) == ["kept", "refused"]
    assert [body for body, _ in bodies(sqs, publish["Ref"]) if "s3:TestEvent" not in body] == ["kept"]
    assert scheduler.tick() == [] and bodies(sqs, dead["Ref"]) == []  # kept: once; refused: retries wait
    clock[0] += 2.5
    scheduler.tick()  # the second attempt
    assert bodies(sqs, dead["Ref"]) == []
    clock[0] += 4.5
    scheduler.tick()  # the third: the policy's two retries are spent
    ((body, attributes),) = bodies(sqs, dead["Ref"])
    assert body == "refused" and attributes["ERROR_CODE"] == "AWS.SimpleQueueService.NonExistentQueue"
    assert attributes["SCHEDULE_ARN"].endswith(f"schedule/{group}/refused")
    assert attributes["TARGET_ARN"] == publish["Arn"] + "-gone"
    names = [s["Name"] for s in client.list_schedules(GroupName=group)["Schedules"]]
    assert names == ["kept"]  # ActionAfterCompletion: DELETE for the other, NONE for this one
    clock[0] += 3600
    assert scheduler.tick() == [stack.ref("SitemapsSchedule")]  # an hour on: the rate schedule again
    assert "kept" in scheduler.fired and scheduler.fired.count("kept") == 1
