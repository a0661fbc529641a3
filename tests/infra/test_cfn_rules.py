"""infra/cfn_rules: each house rule fails a template that breaks it, and the real template passes all."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from cfnlint.api import lint

from kabar_infra.template import ROOT

RULES = str(ROOT / "infra" / "cfn_rules")


def kabar_matches(template: dict[str, Any]) -> list[tuple[str, str]]:
    matches = lint(json.dumps(template), config={"append_rules": [RULES], "regions": ["us-east-1"]})  # type: ignore[typeddict-unknown-key]
    return [(m.rule.id, m.message) for m in matches if m.rule.id.startswith("E91")]


def _alarm(metric: str, dimension: str, value: Any, actions: bool = True) -> dict[str, Any]:
    props = {
        "Namespace": "AWS/Lambda" if dimension == "FunctionName" else "AWS/SQS",
        "MetricName": metric,
        "Dimensions": [{"Name": dimension, "Value": value}],
        "Statistic": "Sum", "Period": 300, "EvaluationPeriods": 1, "Threshold": 1,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
    }  # fmt: skip
    if actions:
        props["AlarmActions"] = [{"Ref": "Topic"}]
    return {"Type": "AWS::CloudWatch::Alarm", "Properties": props}


def _name(queue: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [queue, "QueueName"]}


def good() -> dict[str, Any]:
    """A small template that keeps every house rule: a stream consumer, a queue consumer, a table."""
    function = {
        "Type": "AWS::Lambda::Function",
        "Properties": {
            "Role": "arn:aws:iam::123456789012:role/r", "Runtime": "python3.13", "Handler": "app.handler",
            "Code": {"S3Bucket": "b", "S3Key": "k"}, "LoggingConfig": {"LogGroup": {"Ref": "Logs"}},
        },
    }  # fmt: skip
    fn = {"Ref": "Fn"}
    return {
        "Resources": {
            "Topic": {"Type": "AWS::SNS::Topic"},
            "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 30}},
            "Fn": function,
            "Table": {
                "Type": "AWS::DynamoDB::Table", "DeletionPolicy": "RetainExceptOnCreate",
                "UpdateReplacePolicy": "Retain",
                "Properties": {
                    "BillingMode": "PAY_PER_REQUEST",
                    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                    "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"},
                },
            },
            "Dead": {"Type": "AWS::SQS::Queue"},
            "Work": {"Type": "AWS::SQS::Queue",
                     "Properties": {"RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["Dead", "Arn"]},
                                                      "maxReceiveCount": 5}}},
            "Stream": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {
                "FunctionName": fn, "EventSourceArn": {"Fn::GetAtt": ["Table", "StreamArn"]},
                "StartingPosition": "TRIM_HORIZON", "FunctionResponseTypes": ["ReportBatchItemFailures"],
                "DestinationConfig": {"OnFailure": {"Destination": {"Fn::GetAtt": ["Dead", "Arn"]}}}}},
            "FromQueue": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {
                "FunctionName": fn, "EventSourceArn": {"Fn::GetAtt": ["Work", "Arn"]},
                "FunctionResponseTypes": ["ReportBatchItemFailures"]}},
            "Errors": _alarm("Errors", "FunctionName", fn),
            "Throttles": _alarm("Throttles", "FunctionName", fn),
            "Age": _alarm("IteratorAge", "FunctionName", fn),
            "DeadDepth": _alarm("ApproximateNumberOfMessagesVisible", "QueueName", _name("Dead")),
            "WorkAge": _alarm("ApproximateAgeOfOldestMessage", "QueueName", _name("Work")),
            "Stage": {"Type": "AWS::ApiGateway::Stage", "Properties": {
                "RestApiId": "abc", "StageName": "v1", "TracingEnabled": False,
                "AccessLogSetting": {"DestinationArn": {"Fn::GetAtt": ["Logs", "Arn"]},
                                     "Format": '{"requestId":"$context.requestId"}'}}},
        }
    }  # fmt: skip


def broken(change: Any) -> dict[str, Any]:
    template = copy.deepcopy(good())
    change(template["Resources"])
    return template


def test_the_small_template_keeps_every_rule() -> None:
    assert kabar_matches(good()) == []


def _props(resources: dict[str, Any], name: str) -> dict[str, Any]:
    return resources[name]["Properties"]  # type: ignore[no-any-return]


RETAINED_ON_DELETE_ONLY = {
    "Type": "AWS::S3::Bucket", "DeletionPolicy": "RetainExceptOnCreate", "UpdateReplacePolicy": "Delete",
}  # fmt: skip
ADDRESS_LOG = '{"ip":"$context.identity.sourceIp"}'

BREAKS = {
    "a function without its log group": ("E9101", lambda r: _props(r, "Fn").pop("LoggingConfig")),
    "a log group without retention": ("E9101", lambda r: r["Logs"].pop("Properties")),
    "no Throttles alarm": ("E9102", lambda r: r.pop("Throttles")),
    "an Errors alarm that notifies no one": ("E9102", lambda r: _props(r, "Errors").pop("AlarmActions")),
    "a dead-letter queue nobody watches": ("E9103", lambda r: r.pop("DeadDepth")),
    "a table deleted with the stack": ("E9104", lambda r: r["Table"].pop("DeletionPolicy")),
    "a bucket lost on replacement": ("E9104", lambda r: r.update(Site=RETAINED_ON_DELETE_ONLY)),
    "a stream source without partial failures": (
        "E9105", lambda r: _props(r, "Stream").pop("FunctionResponseTypes")),
    "a stream source without an on-failure destination": (
        "E9105", lambda r: _props(r, "Stream").pop("DestinationConfig")),
    "a queue source without a dead-letter queue": ("E9105", lambda r: _props(r, "Work").pop("RedrivePolicy")),
    "a stream consumer without an IteratorAge alarm": ("E9106", lambda r: r.pop("Age")),
    "three readers of one stream": ("E9108", lambda r: r.update(Stream2=r["Stream"], Stream3=r["Stream"])),
    "a stage traced with X-Ray": ("E9107", lambda r: _props(r, "Stage").update(TracingEnabled=True)),
    "an access log with the source IP": (
        "E9107", lambda r: _props(r, "Stage")["AccessLogSetting"].update(Format=ADDRESS_LOG)),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BREAKS))
def test_each_rule_fails_what_breaks_it(case: str) -> None:
    rule, change = BREAKS[case]
    found = kabar_matches(broken(change))
    assert found, case
    assert {rule_id for rule_id, _ in found} == {rule}, found


def test_the_real_template_keeps_every_rule_and_cfn_lint_finds_nothing(transformed: dict[str, Any]) -> None:
    matches = lint(json.dumps(transformed), config={"append_rules": [RULES], "regions": ["us-east-1"]})  # type: ignore[typeddict-unknown-key]
    assert [(m.rule.id, m.message) for m in matches] == []
    # Every rule ran: a template without the resources a rule reads would pass it vacuously.
    types = {resource["Type"] for resource in transformed["Resources"].values()}
    assert {"AWS::Lambda::Function", "AWS::Lambda::EventSourceMapping", "AWS::SQS::Queue",
            "AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::ApiGateway::Stage"} <= types  # fmt: skip


def test_the_table_stream_has_one_reader_whatever_the_number_of_stages(transformed: dict[str, Any]) -> None:
    mappings = [r["Properties"] for r in transformed["Resources"].values()
                if r["Type"] == "AWS::Lambda::EventSourceMapping"]  # fmt: skip
    on_stream = [m for m in mappings if "StreamArn" in json.dumps(m["EventSourceArn"])]
    assert [m["FunctionName"] for m in on_stream] == [{"Ref": "DispatchFunction"}]
    # Each stage reads a queue of its own (tagging, related, render, and the invalidations).
    queued = {m["FunctionName"]["Ref"] for m in mappings if m not in on_stream}
    assert {"TaggingFunction", "RelatedFunction", "RenderFunction", "InvalidateFunction"} <= queued
