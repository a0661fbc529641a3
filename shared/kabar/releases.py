"""Scheduled articles' releases: the message a release is, and the EventBridge Scheduler one-time
schedule that sends it.

An article uploaded to go public later (``published_at`` or ``embargo_until`` in the future) is
stored ``scheduled``, and one schedule per article (named after its slug, in the stack's release
group) sends PublishQueue ``{"format": 1, "release": {"slug", "version", "at"}}`` at that time.
Storing another version of the article puts the schedule again with the new version and time,
so only the newest version fires; PublishFunction releases only the version that is still
current and still scheduled (kabar.workflows.releases), so a duplicate, late or outdated firing
changes nothing. Scheduler retries a delivery by the template's retry policy and then sends the
message to the release dead-letter queue (``kabar scheduled --failed``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kabar import aws

MESSAGE_FORMAT = 1
NAME_LENGTH = 64  # Scheduler's limit on a schedule's name


@dataclass(frozen=True)
class Release:
    """What a schedule sends: the article, the version it was scheduled as, and when it is due."""

    slug: str
    version: int
    at: datetime

    def body(self) -> str:
        release = {"slug": self.slug, "version": self.version, "at": self.at.astimezone(UTC).isoformat()}
        return json.dumps({"format": MESSAGE_FORMAT, "release": release}, sort_keys=True)


def parse_release(body: str) -> Release | None:
    """The release a message body holds; None when it holds none (an S3 notification)."""
    try:
        message = json.loads(body)
    except ValueError:
        return None
    release = message.get("release") if isinstance(message, dict) else None
    if not isinstance(release, dict):
        return None
    try:
        return Release(slug=str(release["slug"]), version=int(release["version"]),
                       at=datetime.fromisoformat(str(release["at"])))  # fmt: skip
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"a release message needs slug, version and at: {body[:200]}") from exc


def send_later(queue_url: str) -> Callable[[Release, int], None]:
    """``wait(release, seconds)``: send a release that came early back to ``queue_url``, delayed
    until it is due (at most SQS's 900 seconds; it waits again if that is not enough)."""

    def wait(due: Release, seconds: int) -> None:
        aws.sqs().send_message(QueueUrl=queue_url, MessageBody=due.body(), DelaySeconds=min(900, seconds))

    return wait


def schedule_name(slug: str) -> str:
    """The article's schedule name: its slug, or for a slug longer than Scheduler allows, its
    beginning and a hash of the whole (slugs are a-z, 0-9 and hyphens, which names allow)."""
    if len(slug) <= NAME_LENGTH:
        return slug
    digest = hashlib.sha256(slug.encode()).hexdigest()[:12]
    return f"{slug[: NAME_LENGTH - 13]}-{digest}"


def at_expression(moment: datetime) -> str:
    """Scheduler's one-time expression for a moment (evaluated in UTC, to the second; Scheduler
    fires within the minute, so a release that comes early waits: kabar.workflows.releases)."""
    return f"at({moment.astimezone(UTC):%Y-%m-%dT%H:%M:%S})"


@dataclass(frozen=True)
class Schedules:
    """The stack's release schedules (EventBridge Scheduler, through the lazy client)."""

    group: str
    target_arn: str
    role_arn: str
    dead_letter_arn: str
    retry_attempts: int = 185
    max_event_age: int = 86_400

    def put(self, release: Release) -> None:
        """Create the article's schedule, or replace it (another version, another time)."""
        request: dict[str, Any] = {
            "Name": schedule_name(release.slug), "GroupName": self.group,
            "ScheduleExpression": at_expression(release.at), "ScheduleExpressionTimezone": "UTC",
            "FlexibleTimeWindow": {"Mode": "OFF"}, "ActionAfterCompletion": "DELETE", "State": "ENABLED",
            "Description": f"Releases version {release.version} of {release.slug}"[:512],
            "Target": {
                "Arn": self.target_arn, "RoleArn": self.role_arn, "Input": release.body(),
                "RetryPolicy": {"MaximumRetryAttempts": self.retry_attempts,
                                "MaximumEventAgeInSeconds": self.max_event_age},
                "DeadLetterConfig": {"Arn": self.dead_letter_arn},
            },
        }  # fmt: skip
        client = aws.scheduler()
        try:
            client.create_schedule(**request)
        except client.exceptions.ConflictException:
            client.update_schedule(**request)

    def delete(self, slug: str) -> bool:
        """Delete the article's schedule; False when there was none (fired, or never made)."""
        client = aws.scheduler()
        try:
            client.delete_schedule(Name=schedule_name(slug), GroupName=self.group)
        except client.exceptions.ResourceNotFoundException:
            return False
        return True

    def get(self, slug: str) -> dict[str, Any] | None:
        """The article's schedule as Scheduler holds it; None when there is none."""
        client = aws.scheduler()
        try:
            return dict(client.get_schedule(Name=schedule_name(slug), GroupName=self.group))
        except client.exceptions.ResourceNotFoundException:
            return None
