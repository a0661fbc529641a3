"""AWS clients, created on first use and cached per execution environment.

The clients are botocore's, made by one botocore session: boto3 would only wrap
the same session, and its import (s3transfer, its resource machinery, none of
which Kabar uses) costs about 10 ms of a first invocation more than botocore's
own. botocore's client machinery is imported here, inside the functions, never
at module level of a handler. Endpoints come from the standard
``AWS_ENDPOINT_URL`` variables, which is how the local stack points the very
same code at moto: there is no local-mode branch.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_cloudfront import CloudFrontClient
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sqs import SQSClient


@cache
def _loader() -> Any:
    """botocore's service models, read once per process however many sessions are made (tests
    and the local stack's in-process functions make one per environment switch)."""
    from botocore.loaders import create_loader

    return create_loader()


@cache
def _session() -> Any:
    """One botocore session per execution environment (credentials and region from the environment)."""
    from botocore.session import Session

    session = Session()
    session.register_component("data_loader", _loader())
    return session


@cache
def _client(service: str, signature_version: str | None = None) -> Any:
    """A client; botocore's own check of every request's parameters is off (its documented
    performance option): the service checks them anyway, the typed stubs and the tests on moto
    catch a wrong shape before it ships, and the check costs a function CPU on every request
    (about 2 ms for a tags transaction of 17 items)."""
    from botocore.config import Config

    config = Config(
        retries={"max_attempts": 4, "mode": "standard"},
        signature_version=signature_version,
        parameter_validation=False,
    )
    return _session().create_client(service, config=config)


def dynamodb() -> DynamoDBClient:
    """The DynamoDB client."""
    return _client("dynamodb")  # type: ignore[no-any-return]


def s3() -> S3Client:
    """The S3 client (SigV4, which presigned POST policies need)."""
    return _client("s3", "s3v4")  # type: ignore[no-any-return]


def object_bytes(bucket: str, key: str, version_id: str | None = None) -> bytes:
    """An object's bytes (the version named, in a versioned bucket)."""
    if version_id:
        return s3().get_object(Bucket=bucket, Key=key, VersionId=version_id)["Body"].read()
    return s3().get_object(Bucket=bucket, Key=key)["Body"].read()


def cloudfront() -> CloudFrontClient:
    """The CloudFront client."""
    return _client("cloudfront")  # type: ignore[no-any-return]


def sqs() -> SQSClient:
    """The SQS client."""
    return _client("sqs")  # type: ignore[no-any-return]


def scheduler() -> Any:
    """The EventBridge Scheduler client (one-time release schedules)."""
    return _client("scheduler")


def send_messages(queue_url: str, bodies: list[str], client: Any = None) -> None:
    """Send these message bodies (SendMessageBatch, ten at a time, with ``client`` or this
    module's); raises when SQS did not take every one, so that the caller's message is retried
    (the receivers are idempotent)."""
    sender: Any = client or sqs()
    for start in range(0, len(bodies), 10):
        entries = [{"Id": str(i), "MessageBody": body} for i, body in enumerate(bodies[start : start + 10])]
        failed = sender.send_message_batch(QueueUrl=queue_url, Entries=entries).get("Failed", [])
        if failed:
            raise RuntimeError(f"{queue_url} refused {len(failed)} of {len(entries)}: {failed[0]}")


def presigned_post(bucket: str) -> Callable[[str, str, int, int], dict[str, Any]]:
    """``presign(key, content_type, max_bytes, expires)``: a presigned POST into ``bucket`` for
    exactly this key, content type and size range."""

    def presign(key: str, content_type: str, max_bytes: int, expires: int) -> dict[str, Any]:
        return s3().generate_presigned_post(
            Bucket=bucket, Key=key, Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
            ExpiresIn=expires,
        )  # fmt: skip

    return presign


SECRET_MAX_AGE = 60.0  # seconds a warm environment uses a secret before reading it again
_clock = time.monotonic
_secrets: dict[str, tuple[float, str, str]] = {}  # arn -> (read at, version id, value)


def secret(arn: str, max_age: float = SECRET_MAX_AGE) -> tuple[str, str]:
    """A Secrets Manager secret's current version id and value, read again once ``max_age``
    seconds have passed (one request a minute per warm environment): a new version reaches
    warm functions within a minute, and callers parse again only when the version id changes."""
    now = _clock()
    cached = _secrets.get(arn)
    if cached is None or now - cached[0] >= max_age:
        answer = _client("secretsmanager").get_secret_value(SecretId=arn)
        cached = _secrets[arn] = (now, str(answer["VersionId"]), str(answer["SecretString"]))
    return cached[1], cached[2]


def reset_clients() -> None:
    """Forget every cached client and secret (tests switch endpoints and credentials)."""
    _client.cache_clear()
    _session.cache_clear()
    _secrets.clear()
