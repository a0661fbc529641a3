"""Issue 11, point 1: a first `sam deploy` that works, proved on the transformed template."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kabar_infra import preflight
from kabar_infra.template import ROOT, references

# Types whose explicit names must be unique beyond one stack (bucket names are global; CloudFront,
# IAM and dashboard names are per account across regions; the rest per account and region).
NAMED = {
    "AWS::S3::Bucket": ["BucketName"],
    "AWS::CloudFront::OriginAccessControl": ["OriginAccessControlConfig", "Name"],
    "AWS::WAFv2::WebACL": ["Name"],
    "AWS::IAM::Role": ["RoleName"],
    "AWS::CloudWatch::Dashboard": ["DashboardName"],
    "AWS::CloudWatch::Alarm": ["AlarmName"],
    "AWS::SQS::Queue": ["QueueName"],
    "AWS::DynamoDB::Table": ["TableName"],
    "AWS::SNS::Topic": ["TopicName"],
    "AWS::Logs::LogGroup": ["LogGroupName"],
    "AWS::Lambda::Function": ["FunctionName"],
    "AWS::SecretsManager::Secret": ["Name"],
}


def _resources(transformed: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return transformed["Resources"]  # type: ignore[no-any-return]


def _depends(resource: dict[str, Any]) -> set[str]:
    depends = resource.get("DependsOn", [])
    return {depends} if isinstance(depends, str) else set(depends)


def _upstream(resources: dict[str, dict[str, Any]], logical_id: str) -> set[str]:
    """Everything CloudFormation must create before ``logical_id`` (DependsOn and references)."""
    seen: set[str] = set()
    todo = [logical_id]
    while todo:
        resource = resources[todo.pop()]
        for name in (references(resource) | _depends(resource)) & set(resources):
            if name not in seen:
                seen.add(name)
                todo.append(name)
    return seen


def test_the_api_waits_for_the_account_cloudwatch_role_the_stack_sets(transformed: dict[str, Any]) -> None:
    resources = _resources(transformed)
    parameter = transformed["Parameters"]["ManageApiGatewayAccount"]
    assert parameter["Default"] == "true" and set(parameter["AllowedValues"]) == {"true", "false"}
    assert transformed["Conditions"]["ManageAccount"] == {
        "Fn::Equals": [{"Ref": "ManageApiGatewayAccount"}, "true"]
    }
    account = resources["ApiGatewayAccount"]
    assert account["Type"] == "AWS::ApiGateway::Account" and account["Condition"] == "ManageAccount"
    assert account["Properties"]["CloudWatchRoleArn"] == {"Fn::GetAtt": ["ApiGatewayCloudWatchRole", "Arn"]}
    role = resources["ApiGatewayCloudWatchRole"]
    assert role["Condition"] == "ManageAccount"
    (statement,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "apigateway.amazonaws.com"}
    assert "AmazonAPIGatewayPushToCloudWatchLogs" in str(role["Properties"]["ManagedPolicyArns"])
    # The account setting outlives the stack: the role it names must too.
    assert role["DeletionPolicy"] == role["UpdateReplacePolicy"] == "Retain"
    (stage,) = [k for k, v in resources.items() if v["Type"] == "AWS::ApiGateway::Stage"]
    assert "AccessLogSetting" in resources[stage]["Properties"]
    assert {"ApiGatewayAccountReady", "ApiGatewayAccount"} <= _upstream(resources, stage)
    # The handle refers to the account only when the stack creates it (no DependsOn on a
    # resource whose condition may be false).
    ready = resources["ApiGatewayAccountReady"]
    assert ready["Metadata"]["Account"]["Fn::If"][0] == "ManageAccount" and "Condition" not in ready


def test_stateful_resources_are_kept_except_when_their_first_deploy_rolls_back(
    transformed: dict[str, Any],
) -> None:
    stateful = {k: v for k, v in _resources(transformed).items()
                if v["Type"] in ("AWS::DynamoDB::Table", "AWS::S3::Bucket")}  # fmt: skip
    assert set(stateful) == {"ContentTable", "IncomingBucket", "SiteBucket"}
    for logical_id, resource in stateful.items():
        assert resource["DeletionPolicy"] == "RetainExceptOnCreate", logical_id
        assert resource["UpdateReplacePolicy"] == "Retain", logical_id
    # A rollback cannot delete a protected table: protection is a parameter, off for the first deploy.
    table = stateful["ContentTable"]["Properties"]
    assert table["DeletionProtectionEnabled"] == {"Ref": "TableDeletionProtection"}
    assert transformed["Parameters"]["TableDeletionProtection"]["Default"] == "false"
    assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True


def _name(resource: dict[str, Any]) -> Any:
    value: Any = resource.get("Properties", {})
    for key in NAMED[resource["Type"]]:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def test_every_explicit_name_is_unique_per_account_and_region(transformed: dict[str, Any]) -> None:
    named = {k: _name(v) for k, v in _resources(transformed).items() if v["Type"] in NAMED and _name(v)}
    assert {"IncomingBucket", "SiteOriginAccessControl", "ApiWebAcl"} <= set(named)
    for logical_id, name in named.items():
        # The stack id (region, account and a UUID) is the only pseudo parameter unique to one stack.
        assert "AWS::StackId" in str(name), f"{logical_id} is named {name}, which another stack could take"
        assert "AWS::StackName" not in str(name), logical_id


def test_sam_creates_no_stage_but_v1(transformed: dict[str, Any]) -> None:
    resources = _resources(transformed)
    stages = [
        v["Properties"]["StageName"] for v in resources.values() if v["Type"] == "AWS::ApiGateway::Stage"
    ]
    assert stages == ["v1"]
    for logical_id, resource in resources.items():
        if resource["Type"] == "AWS::ApiGateway::Deployment":
            # A deployment with a StageName creates that stage, without the v1 stage's settings.
            assert "StageName" not in resource["Properties"], logical_id
    assert "Transform" not in transformed  # SAM's output, not the source


def test_the_teardown_guide_names_everything_sam_delete_keeps(transformed: dict[str, Any]) -> None:
    """docs/operations.md says what `sam delete` leaves behind and how to remove it on purpose."""
    kept = {
        k
        for k, v in _resources(transformed).items()
        if v.get("DeletionPolicy") in ("Retain", "RetainExceptOnCreate")
    }
    assert {
        "ContentTable",
        "IncomingBucket",
        "SiteBucket",
        "ApiGatewayCloudWatchRole",
        "ApiGatewayAccount",
    } <= kept
    guide = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    teardown = guide.split("## Tearing down", 1)[1].split("\n## ", 1)[0]
    for logical_id in kept:
        assert f"`{logical_id}`" in teardown, (
            f"the teardown section does not say what happens to {logical_id}"
        )
    assert "sam delete" in teardown and "list-object-versions" in teardown
    assert re.search(r"delete-table", teardown)


def test_make_deploy_says_whether_the_account_needs_the_role(aws_env: None) -> None:
    """kabar_infra.preflight reads the account setting (moto's API Gateway) and says what to answer."""
    import boto3
    from moto import mock_aws

    with mock_aws():
        client = boto3.client("apigateway")
        unset = preflight.api_gateway_advice(client.get_account().get("cloudwatchRoleArn"))
        assert "keep ManageApiGatewayAccount=true" in unset
        role = "arn:aws:iam::123456789012:role/apigw-logs"
        client.update_account(
            patchOperations=[{"op": "replace", "path": "/cloudwatchRoleArn", "value": role}]
        )
        set_already = preflight.api_gateway_advice(client.get_account().get("cloudwatchRoleArn"))
        assert role in set_already and "ManageApiGatewayAccount=false" in set_already


def test_make_deploy_says_how_much_concurrency_the_account_can_reserve() -> None:
    assert "fits" in preflight.concurrency_advice(limit=1000, unreserved=1000, reserved=10)
    # A new account's quota of 10 leaves nothing to reserve.
    assert "CommentsReservedConcurrency=0" in preflight.concurrency_advice(
        limit=10, unreserved=10, reserved=10
    )
    assert "CommentsReservedConcurrency=5" in preflight.concurrency_advice(
        limit=1000, unreserved=105, reserved=10
    )


def test_make_deploy_stops_without_a_region(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for key in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    assert preflight.main() == 1
    assert "No AWS region" in capsys.readouterr().out
