"""Issue 11, point 5 (template side): alarms that wake someone, and a dashboard."""

from __future__ import annotations

import json
import re
from typing import Any

from kabar_infra import alarms
from kabar_infra.template import TEMPLATE_PATH, Template

TOPIC = {"Ref": "AlarmTopic"}


def _alarms(transformed: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in transformed["Resources"].items() if v["Type"] == "AWS::CloudWatch::Alarm"}


def _by_target(transformed: dict[str, Any], dimension: str) -> dict[tuple[str, str], dict[str, Any]]:
    """(logical id named in ``dimension``, metric) -> the alarm's properties."""
    found = {}
    for alarm in _alarms(transformed).values():
        props = alarm["Properties"]
        for item in props["Dimensions"]:
            if item["Name"] == dimension:
                value = item["Value"]
                target = value["Ref"] if "Ref" in value else value["Fn::GetAtt"][0]
                found[(target, props["MetricName"])] = props
    return found


def test_the_generated_alarms_and_dashboard_are_current(template: Template) -> None:
    """`make alarms` regenerates them from the functions and queues; run it after adding either."""
    text = TEMPLATE_PATH.read_text(encoding="utf-8")
    assert alarms.BEGIN in text and alarms.END in text
    assert alarms.render(text, template) == text, "template.yaml's alarms are stale: run `make alarms`"


def test_every_alarm_notifies_the_topic_which_may_have_an_email(transformed: dict[str, Any]) -> None:
    resources = transformed["Resources"]
    assert resources["AlarmTopic"]["Type"] == "AWS::SNS::Topic"
    subscription = resources["AlarmEmailSubscription"]
    assert subscription["Condition"] == "HasAlarmEmail"
    assert subscription["Properties"] == {
        "TopicArn": TOPIC,
        "Protocol": "email",
        "Endpoint": {"Ref": "AlarmEmail"},
    }
    assert transformed["Parameters"]["AlarmEmail"]["Default"] == ""
    assert transformed["Conditions"]["HasAlarmEmail"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "AlarmEmail"}, ""]}]
    }
    found = _alarms(transformed)
    assert len(found) >= 25
    for logical_id, alarm in found.items():
        props = alarm["Properties"]
        assert props["AlarmActions"] == [TOPIC] and props["OKActions"] == [TOPIC], logical_id
        assert props["TreatMissingData"] == "notBreaching", logical_id


def test_every_failure_queue_alarms_on_its_first_message(
    transformed: dict[str, Any], template: Template
) -> None:
    failures = alarms.failure_queues(template)
    assert failures == [
        "AnnounceDeadLetterQueue",
        "DispatchFailureQueue",
        "ImagesDeadLetterQueue",
        "InvalidationDeadLetterQueue",
        "PublishDeadLetterQueue",
        "RelatedDeadLetterQueue",
        "ReleaseDeadLetterQueue",  # Scheduler's: no queue redrives to it
        "RenderDeadLetterQueue",
        "TaggingDeadLetterQueue",
        "WebhookDeadLetterQueue",
    ]
    alarmed = _by_target(transformed, "QueueName")
    for queue in failures:
        props = alarmed[(queue, "ApproximateNumberOfMessagesVisible")]
        assert (props["Statistic"], props["Threshold"]) == ("Maximum", 1), queue
        assert "kabar ops replay" in props["AlarmDescription"], queue
    # The work queues themselves: the oldest message waiting says the consumer is stuck.
    for queue in (
        "PublishQueue",
        "ImagesQueue",
        "TaggingQueue",
        "RelatedQueue",
        "RenderQueue",
        "InvalidationQueue",
    ):
        assert (queue, "ApproximateAgeOfOldestMessage") in alarmed, queue
    queues = {k for k, v in transformed["Resources"].items() if v["Type"] == "AWS::SQS::Queue"}
    assert {queue for queue, _ in alarmed} == queues


def test_every_function_alarms_on_errors_and_throttles(transformed: dict[str, Any]) -> None:
    functions = {k for k, v in transformed["Resources"].items() if v["Type"] == "AWS::Lambda::Function"}
    assert len(functions) == 13
    alarmed = _by_target(transformed, "FunctionName")
    for function in functions:
        for metric in ("Errors", "Throttles"):
            props = alarmed[(function, metric)]
            assert props["Namespace"] == "AWS/Lambda" and props["Threshold"] == 1, (function, metric)


def test_stream_consumers_alarm_when_they_fall_behind(transformed: dict[str, Any]) -> None:
    mappings = [
        v["Properties"]
        for v in transformed["Resources"].values()
        if v["Type"] == "AWS::Lambda::EventSourceMapping"
    ]
    consumers = {m["FunctionName"]["Ref"] for m in mappings if "StartingPosition" in m}
    assert consumers == {"DispatchFunction"}
    alarmed = _by_target(transformed, "FunctionName")
    for function in consumers:
        props = alarmed[(function, "IteratorAge")]
        # Well inside the stream's 24 hours, and the consumers' MaximumRecordAgeInSeconds.
        assert props["Statistic"] == "Maximum" and props["Threshold"] <= 3_600_000, function


def test_the_api_alarms_name_the_stage_that_exists(transformed: dict[str, Any]) -> None:
    resources = transformed["Resources"]
    (api,) = [v for v in resources.values() if v["Type"] == "AWS::ApiGateway::RestApi"]
    (stage,) = [v for v in resources.values() if v["Type"] == "AWS::ApiGateway::Stage"]
    dimensions = [{"Name": "ApiName", "Value": api["Properties"]["Name"]},
                  {"Name": "Stage", "Value": stage["Properties"]["StageName"]}]  # fmt: skip
    errors, latency = (
        resources["ApiServerErrorsAlarm"]["Properties"],
        resources["ApiLatencyAlarm"]["Properties"],
    )
    assert (errors["Namespace"], errors["MetricName"]) == ("AWS/ApiGateway", "5XXError")
    assert (latency["MetricName"], latency["ExtendedStatistic"]) == ("Latency", "p99")
    assert errors["Dimensions"] == latency["Dimensions"] == dimensions


def test_the_cdn_alarm_lives_where_cloudfront_metrics_are(transformed: dict[str, Any]) -> None:
    alarm = transformed["Resources"]["CdnServerErrorRateAlarm"]
    assert alarm["Condition"] == "InUsEast1"
    assert transformed["Conditions"]["InUsEast1"] == {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}
    props = alarm["Properties"]
    assert (props["Namespace"], props["MetricName"]) == ("AWS/CloudFront", "5xxErrorRate")
    assert {"Name": "Region", "Value": "Global"} in props["Dimensions"]
    assert {"Name": "DistributionId", "Value": {"Ref": "Distribution"}} in props["Dimensions"]


def test_the_dashboard_shows_every_function_and_queue(transformed: dict[str, Any]) -> None:
    resources = transformed["Resources"]
    (dashboard,) = [v for v in resources.values() if v["Type"] == "AWS::CloudWatch::Dashboard"]
    text = dashboard["Properties"]["DashboardBody"]["Fn::Sub"]
    names = set(re.findall(r"\$\{([^}]+)\}", text))
    for name in names:
        assert name.startswith("AWS::") or name.split(".")[0] in resources, name
    body = json.loads(re.sub(r"\$\{[^}]+\}", "x", text))
    shown = {
        metric[0] + "/" + metric[1]
        for widget in body["widgets"]
        for metric in widget["properties"]["metrics"]
    }
    assert {"AWS/CloudFront/5xxErrorRate", "AWS/ApiGateway/5XXError", "AWS/Lambda/IteratorAge"} <= shown
    cdn = next(w for w in body["widgets"] if w["properties"]["metrics"][0][0] == "AWS/CloudFront")
    assert cdn["properties"]["region"] == "us-east-1"
    for logical_id, resource in resources.items():
        if resource["Type"] == "AWS::Lambda::Function":
            assert "${" + logical_id + "}" in text, logical_id
        if resource["Type"] == "AWS::SQS::Queue":
            assert "${" + logical_id + ".QueueName}" in text, logical_id


def test_the_dashboard_reads_this_stacks_web_acl(transformed: dict[str, Any]) -> None:
    """WAF's metrics are dimensioned by the web ACL's MetricName: a fixed one would mix the
    blocked requests of every stack in the region into each stack's dashboard."""
    resources = transformed["Resources"]
    (acl,) = [v for v in resources.values() if v["Type"] == "AWS::WAFv2::WebACL"]
    metric_name = acl["Properties"]["VisibilityConfig"]["MetricName"]
    assert metric_name == {"Fn::Sub": "${AWS::StackName}-api"}
    (dashboard,) = [v for v in resources.values() if v["Type"] == "AWS::CloudWatch::Dashboard"]
    body = json.loads(dashboard["Properties"]["DashboardBody"]["Fn::Sub"])
    waf = [m for w in body["widgets"] for m in w["properties"]["metrics"] if m[0] == "AWS/WAFV2"]
    assert waf and all(m[m.index("WebACL") + 1] == metric_name["Fn::Sub"] for m in waf)
