"""Event shapes Kabar consumes, parsed leniently into what the logic needs."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote_plus

from pydantic import BaseModel


class S3ObjectCreated(BaseModel):
    bucket: str
    key: str
    size: int


def s3_objects(body: str) -> list[S3ObjectCreated]:
    """The created objects an S3 notification (an SQS message body) announces.

    S3's own ``s3:TestEvent`` (sent when notifications are configured) yields
    nothing. Keys arrive URL-encoded, spaces as ``+``.
    """
    message: dict[str, Any] = json.loads(body)
    objects = []
    for record in message.get("Records", []):
        if not str(record.get("eventName", "")).startswith("ObjectCreated"):
            continue
        s3 = record["s3"]
        objects.append(
            S3ObjectCreated(
                bucket=s3["bucket"]["name"],
                key=unquote_plus(s3["object"]["key"]),
                size=int(s3["object"].get("size", 0)),
            )
        )
    return objects


def claim_groups(claims: dict[str, Any]) -> set[str]:
    """The Cognito groups in authorizer claims.

    REST API authorizers pass every claim as a string ("editors" or
    "editors,moderators"); HTTP API JWT authorizers as "[editors moderators]";
    a direct invocation may pass a list.
    """
    groups = claims.get("cognito:groups")
    if groups is None:
        return set()
    if isinstance(groups, list):
        return {str(group) for group in groups}
    return {part for part in re.split(r"[\s,]+", str(groups).strip("[]")) if part}
