"""``kabar ops failures`` and ``kabar ops replay``: the failure queues, and getting past them.

``kabar ops failures`` lists each failure queue's messages with the uploads, articles and
comments they concern (:mod:`kabar_infra.cli.failures`).

``kabar ops replay publish`` moves the publish dead-letter queue's messages back to
PublishQueue, where PublishFunction takes them as new (an upload already processed stays as
it is); ``kabar ops replay invalidation`` moves the invalidation requests CloudFront refused
back to InvalidationQueue (invalidating a path again is harmless). On a deployed stack this
is SQS's own redrive (StartMessageMoveTask); moto 5.2.5 does not implement it, so on the
local stack the messages are moved one by one (receive, send, delete), which is what a
redrive does.

``kabar ops replay tagging|related|render`` moves the stage's dead-letter queue back to its
queue the same way (each message is a change; the stage handles it from the table's current
state). With ``--slug``, it invokes the stage's function with a replay event
(:mod:`kabar.table.replay`) for those articles instead, leaving the queue as it is.

``kabar ops replay dispatch`` invokes DispatchFunction with a replay event naming the items
of the stream batches it failed (DispatchFailureQueue), or the articles given with
``--slug``; they reach every stage that acts on them, from the table's current state, so this
works after the stream records expired (the items then come from the function's ERROR log
lines). Messages whose items were replayed are deleted; one whose items are known from
neither stays until replayed by ``--slug`` with ``--discard-expired``.

It works on the local stack (``.kabar/local.json``: moto, and the stack's Lambda Invoke
endpoint) or, with ``--stack NAME``, on a deployed stack with the caller's AWS credentials
(sqs:ReceiveMessage/DeleteMessage/GetQueueAttributes/StartMessageMoveTask,
dynamodbstreams:GetShardIterator/GetRecords, logs:FilterLogEvents, dynamodb:GetItem, lambda:InvokeFunction,
cloudformation:DescribeStackResources).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from kabar.table import Stores, keys
from kabar.table.base import Table
from kabar.table.replay import replay_event
from kabar_infra.cli.config import ConfigNotFound, find_local_config
from kabar_infra.cli.failures import (
    QUEUED_STAGES,
    STAGES,
    Failure,
    change_failure,
    describe,
    invalidation_failure,
    peek,
    publish_failure,
    release_failure,
    stream_failure,
    webhook_failure,
)

REPLAY_CHUNK = 25  # items per invocation: a stage's own batch sizes are 20-50 records


class ReplayFailed(Exception):
    """The function failed the replay (its logs say why): nothing was deleted."""


@dataclass
class Target:
    """Where a stack's resources are, and how to reach them."""

    resources: dict[str, str]  # logical id -> physical id (queue URL, table, function name)
    region: str
    endpoint_url: str | None = None  # moto, for the local stack
    lambda_url: str | None = None  # the local stack's Lambda Invoke endpoint
    local: bool = False
    invoker: Callable[[str, dict[str, Any]], Any] | None = None  # tests: the handlers in this process
    _clients: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def local_stack(cls, config: dict[str, Any]) -> Target:
        resources = {**config["resources"], **config.get("functions", {})}
        return cls(resources, config["region"], config["aws_endpoint_url"], config.get("lambda_url"), True)

    @classmethod
    def deployed(cls, stack: str, region: str) -> Target:
        import boto3

        cloudformation = boto3.client("cloudformation", region_name=region)
        found = cloudformation.describe_stack_resources(StackName=stack)["StackResources"]
        return cls({r["LogicalResourceId"]: r["PhysicalResourceId"] for r in found}, region)

    def client(self, service: str) -> Any:
        if service not in self._clients:
            import boto3

            url = self.lambda_url if service == "lambda" and self.local else self.endpoint_url
            options: dict[str, Any] = {"region_name": self.region, "endpoint_url": url}
            if self.local:  # moto takes any credentials
                options.update(aws_access_key_id="local", aws_secret_access_key="local")  # noqa: S106
            self._clients[service] = boto3.client(service, **options)  # type: ignore[call-overload]
        return self._clients[service]

    @cached_property
    def stores(self) -> Stores:
        return Stores.over(Table(self.resources["ContentTable"], self.client("dynamodb")))

    def log_group(self, stage: str) -> str | None:
        """The stage's function's log group (not on the local stack, whose functions log to stdout)."""
        return None if self.local else self.resources.get(STAGES[stage].log_group)

    def queue_arn(self, logical_id: str) -> str:
        attributes = self.client("sqs").get_queue_attributes(
            QueueUrl=self.resources[logical_id], AttributeNames=["QueueArn", "ApproximateNumberOfMessages"]
        )["Attributes"]  # fmt: skip
        return str(attributes["QueueArn"])

    def invoke(self, function: str, event: dict[str, Any]) -> dict[str, Any]:
        if self.invoker is not None:
            return self.invoker(function, event) or {}
        if self.local and not self.lambda_url:
            raise SystemExit("kabar: this local stack serves no Lambda endpoint: restart it with 'make run'")
        response = self.client("lambda").invoke(FunctionName=self.resources[function],
                                                Payload=json.dumps(event).encode())  # fmt: skip
        payload = json.loads(response["Payload"].read() or b"null")
        if response.get("FunctionError"):
            raise ReplayFailed(f"{function}: {payload.get('errorType')}: {payload.get('errorMessage')}")
        return payload if isinstance(payload, dict) else {}


def failures(target: Target, stage: str, limit: int = 100) -> list[Failure]:
    """The messages of one stage's failure queue, with what each concerns."""
    spec = STAGES[stage]
    messages = peek(target.client("sqs"), target.resources[spec.queue], limit)
    if stage in ("publish", "images"):
        return [publish_failure(message, target.stores.uploads, stage) for message in messages]
    if stage == "releases":
        return [release_failure(message, target.stores.articles) for message in messages]
    if stage == "webhooks":
        return [webhook_failure(message) for message in messages]
    if stage == "invalidation":
        return [invalidation_failure(message) for message in messages]
    if stage in QUEUED_STAGES:
        return [change_failure(stage, message) for message in messages]
    streams, logs, group = target.client("dynamodbstreams"), target.client("logs"), target.log_group(stage)
    return [stream_failure(stage, message, streams, logs, group) for message in messages]


def replay_dead_letters(target: Target, stage: str) -> str:
    """Move a dead-letter queue's messages back to the queue it redrives to (PublishQueue, a
    stage's queue, InvalidationQueue); what was done."""
    spec, sqs = STAGES[stage], target.client("sqs")
    if not target.local and stage != "releases":  # (no queue redrives to the releases': moved here)
        task = sqs.start_message_move_task(SourceArn=target.queue_arn(spec.queue),
                                           DestinationArn=target.queue_arn(str(spec.source)))  # fmt: skip
        return f"redrive started (task {task['TaskHandle'][:24]}...): messages return to {spec.source}"
    moved, url, destination = 0, target.resources[spec.queue], target.resources[str(spec.source)]
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=30,
                                          WaitTimeSeconds=0).get("Messages", []):  # fmt: skip
        for message in messages:
            sqs.send_message(QueueUrl=destination, MessageBody=message["Body"])
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            moved += 1
    why = "not a redrive queue" if stage == "releases" else "moto has no StartMessageMoveTask"
    return f"moved {moved} messages to {spec.source} ({why})"


def replay_stage(target: Target, stage: str, slugs: list[str], discard_expired: bool = False) -> list[str]:
    """Re-run a stage for the items its failures (or ``slugs``) name; lines of what was done.

    A message is deleted once its items were replayed without failure; one whose items are not
    known (its records expired, and no log line names them) stays, unless ``slugs`` name them
    and ``discard_expired`` says so."""
    spec = STAGES[stage]
    listed = [] if spec.source else failures(target, stage)  # a queued stage's messages stay where they are
    unknown = [failure for failure in listed if failure.expired and not failure.keys]
    if slugs:
        wanted = [keys.article(slug) for slug in slugs]
        wanted += (
            [keys.article_tags(slug) for slug in slugs] if stage in ("related", "render", "dispatch") else []
        )
        done = unknown if discard_expired else []
    else:
        wanted = [key for failure in listed for key in failure.keys]
        done = [failure for failure in listed if failure not in unknown]
    unique = list({(key["pk"], key["sk"]): key for key in wanted}.values())
    for start in range(0, len(unique), REPLAY_CHUNK):
        chunk = unique[start : start + REPLAY_CHUNK]
        answer = target.invoke(spec.function, replay_event(chunk))
        if answer.get("batchItemFailures"):
            failed = len(answer["batchItemFailures"])
            raise ReplayFailed(f"{spec.function} failed {failed} of {len(chunk)} items again: see its "
                               "ERROR log lines; the queue is left as it was")  # fmt: skip
    lines = [f"{stage}: replayed {len(unique)} items with {spec.function}"]
    for failure in done:
        target.client("sqs").delete_message(
            QueueUrl=target.resources[spec.queue], ReceiptHandle=failure.receipt
        )
        lines.append(f"  done message {failure.message_id}")
    lines += [f"  left message {failure.message_id}: its records expired (name them with --slug)"
              for failure in unknown if failure not in done]  # fmt: skip
    return lines


# ---------------------------------------------------------------------------------- command line


def add_commands(commands: Any) -> Any:
    """The ``ops`` command; returns its subcommands, for others to add theirs."""
    ops = commands.add_parser("ops", help="operations: the failure queues (list, replay), the comment key")
    ops.add_argument("--stack", help="a deployed stack's name (default: the local stack)")
    ops_commands = ops.add_subparsers(dest="ops_command", required=True)
    listing = ops_commands.add_parser("failures", help="each failure queue's messages and what they concern")
    listing.add_argument("--stage", choices=sorted(STAGES), action="append", help="only these queues")
    replay = ops_commands.add_parser(
        "replay", help="re-drive a dead-letter queue, or re-run a stage (--slug) or the stream's dispatch"
    )
    replay.add_argument("stage", choices=sorted(STAGES))
    replay.add_argument(
        "--slug", action="append", default=[], help="articles to replay (not publish, invalidation)"
    )
    replay.add_argument("--discard-expired", action="store_true",
                        help="with --slug: delete the messages whose records expired")  # fmt: skip
    return ops_commands


def target_of(args: Any) -> Target:
    if args.stack:
        return Target.deployed(args.stack, args.region)
    try:
        path = find_local_config(args.config)
    except ConfigNotFound as exc:
        raise SystemExit(f"kabar: {exc} (or give --stack)") from None
    return Target.local_stack(json.loads(path.read_text(encoding="utf-8")))


def run(args: Any, target: Target | None = None) -> int:
    target = target or target_of(args)
    if args.ops_command == "failures":
        for stage in args.stage or list(STAGES):
            found = failures(target, stage)
            if args.json:
                listed = {"stage": stage, "failures": [_as_json(failure) for failure in found]}
                print(json.dumps(listed, ensure_ascii=False))
                continue
            print(f"{stage} ({STAGES[stage].queue}): {len(found) or 'no'} messages")
            for failure in found:
                print("\n".join(describe(failure)))
        return 0
    if args.stage in ("publish", "images", "invalidation", "releases", "announce", "webhooks") and args.slug:
        raise SystemExit(f"kabar: --slug replays articles; {args.stage} replays its dead-letter queue only")
    if STAGES[args.stage].source and not args.slug:
        print(replay_dead_letters(target, args.stage))
        return 0
    try:
        print("\n".join(replay_stage(target, args.stage, args.slug, args.discard_expired)))
    except ReplayFailed as exc:
        print(f"kabar: {exc}", file=sys.stderr)
        return 2
    return 0


def _as_json(failure: Failure) -> dict[str, Any]:
    return {"message_id": failure.message_id, "sent_at": failure.sent_at, "names": failure.names,
            "expired": failure.expired, "concerns": failure.concerns, "keys": failure.keys}  # fmt: skip


def main(args: Any, command: Callable[[Any], int] = run) -> int:
    """``kabar ops`` (or another ``command`` on AWS itself), with AWS's refusals as one line rather
    than a traceback."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return command(args)
    except (BotoCoreError, ClientError) as exc:
        print(f"kabar: {exc}", file=sys.stderr)
        return 2
