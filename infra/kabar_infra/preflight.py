"""What `make deploy` checks before `sam deploy --guided`: the account settings a first deploy needs.

Read-only: it changes nothing. It says which answers to the guided deploy's parameter prompts fit
this account and region (README "Deploying", docs/operations.md):

- API Gateway writes the API's access log through one CloudWatch Logs role per account and region.
  Without one, creating the stage fails ("CloudWatch Logs role ARN must be set in account settings").
  ``ManageApiGatewayAccount=true`` (the default) sets one; with a role already set, ``false`` leaves
  the account setting alone.
- ``CommentsReservedConcurrency`` reserves Lambda concurrency for the comment intake. Lambda keeps
  some concurrency unreserved (100, or all of it in a new account whose quota is still 10), so the
  reservation must fit in what is left.

Exits 1 only when no credentials or region are found (sam deploy would fail the same way).
"""

from __future__ import annotations

import sys
from typing import Any

from kabar_infra.template import Template

MIN_UNRESERVED = 100


def api_gateway_advice(role_arn: str | None) -> str:
    if role_arn:
        return (
            f"API Gateway's CloudWatch Logs role is set ({role_arn}): answer ManageApiGatewayAccount=false "
            "to leave it as it is, or true to point it at a role this stack creates (and keeps)."
        )
    return (
        "API Gateway has no CloudWatch Logs role in this region yet: keep ManageApiGatewayAccount=true "
        "(the default), or the API's stage cannot be created."
    )


def concurrency_advice(limit: int, unreserved: int, reserved: int) -> str:
    room = unreserved - min(MIN_UNRESERVED, limit)
    if reserved <= room:
        return (
            f"Lambda concurrency: quota {limit}, {unreserved} unreserved; "
            f"CommentsReservedConcurrency={reserved} fits."
        )
    most = max(room, 0)
    return (
        f"Lambda concurrency: quota {limit}, {unreserved} unreserved, so at most {most} can be reserved: "
        f"answer CommentsReservedConcurrency={most} (0 reserves none), or ask for a higher "
        "concurrency quota (Service Quotas, AWS Lambda, Concurrent executions) before deploying."
    )


def _account(session: Any) -> tuple[str, str | None, dict[str, int]]:
    identity = session.client("sts").get_caller_identity()
    role = session.client("apigateway").get_account().get("cloudwatchRoleArn")
    limits = session.client("lambda").get_account_settings()["AccountLimit"]
    return str(identity["Account"]), role, limits


def main() -> int:
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    session = boto3.Session()
    if not session.region_name:
        print("No AWS region: set AWS_REGION (or a profile's region) to the region to deploy to.")
        return 1
    try:
        account, role, limits = _account(session)
    except (BotoCoreError, ClientError) as exc:
        print(
            f"Cannot read the account's settings ({exc}): configure credentials (aws configure, AWS_PROFILE)."
        )
        return 1
    reserved = int(Template.load().parameter_defaults()["CommentsReservedConcurrency"])
    print(f"Deploying to account {account}, region {session.region_name}:")
    print(f"- {api_gateway_advice(role)}")
    concurrency = concurrency_advice(
        limits["ConcurrentExecutions"], limits["UnreservedConcurrentExecutions"], reserved
    )
    print(f"- {concurrency}")
    print("- A first deploy keeps TableDeletionProtection=false; deploy again with true once it succeeded.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
