"""The alarms and the dashboard of template.yaml, generated from its functions, queues and API.

``make alarms`` (``python -m kabar_infra.alarms``) rewrites the section between the two marker lines;
tests/infra/test_template_alarms.py fails when it is stale, and the cfn-lint rules in infra/cfn_rules
fail when a function or a queue has no alarm. What is alarmed, and why each threshold:

- every function: Errors and Throttles, at least one in 5 minutes (an error is a 5xx, a retry or a
  record on its way to a failure queue; a throttle is work delayed);
- every stream consumer: IteratorAge over 10 minutes (documents lag the table; records expire
  after 24 hours);
- every failure queue (a dead-letter queue or an on-failure destination): one message (someone must
  look, then `kabar ops failures` / `kabar ops replay`); any other queue: its oldest message waiting
  15 minutes;
- the API stage: 5 or more 5xx answers in 5 minutes, p99 latency over 5 s for 15 minutes;
- CloudFront's 5xx rate over 5 % for 10 minutes: its metrics exist in us-east-1 only, so the alarm
  exists only when the stack is there (docs/operations.md says what to do elsewhere).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from kabar_infra.template import TEMPLATE_PATH, Template

RULE = "  # " + "-" * 64
BEGIN = f"{RULE} alarms (generated: make alarms)\n"
END = f"{RULE} end of generated alarms\n"
TOPIC = "AlarmTopic"
STAGE = "v1"
ITERATOR_AGE_MS = 600_000
QUEUE_AGE_SECONDS = 900


def failure_queues(template: Template) -> list[str]:
    """Queues that receive what failed: a redrive target, an event source's on-failure destination,
    or a dead-letter queue by name that nothing redrives to (EventBridge Scheduler's, which the
    schedules PublishFunction makes name)."""
    found = {name for name in template.of_type("AWS::SQS::Queue") if name.endswith("DeadLetterQueue")}
    for queue in template.of_type("AWS::SQS::Queue").values():
        target = queue.get("Properties", {}).get("RedrivePolicy", {}).get("deadLetterTargetArn")
        if target:
            found.add(target["Fn::GetAtt"][0])
    for spec in template.functions():
        for event in spec.events:
            destination = event.properties.get("DestinationConfig", {}).get("OnFailure", {})
            if "Destination" in destination:
                found.add(destination["Destination"]["Fn::GetAtt"][0])
    return sorted(found)


def stream_consumers(template: Template) -> list[str]:
    return [
        spec.logical_id for spec in template.functions() if any(e.type == "DynamoDB" for e in spec.events)
    ]


def _alarm(logical_id: str, description: str, metric: dict[str, Any], condition: str | None = None) -> str:
    dimensions = "".join(
        f"        - Name: {name}\n          Value: {value}\n" for name, value in metric["dimensions"]
    )
    statistic = metric.get("statistic", "Sum")
    statistic_line = (
        f"ExtendedStatistic: {statistic}" if statistic.startswith("p") else f"Statistic: {statistic}"
    )
    return (
        f"  {logical_id}:\n"
        "    Type: AWS::CloudWatch::Alarm\n"
        + (f"    Condition: {condition}\n" if condition else "")
        + "    Properties:\n"
        f"      AlarmDescription: {json.dumps(description)}\n"
        f"      Namespace: {metric['namespace']}\n"
        f"      MetricName: {metric['name']}\n"
        "      Dimensions:\n"
        f"{dimensions}"
        f"      {statistic_line}\n"
        f"      Period: {metric.get('period', 300)}\n"
        f"      EvaluationPeriods: {metric.get('periods', 1)}\n"
        f"      Threshold: {metric['threshold']}\n"
        "      ComparisonOperator: GreaterThanOrEqualToThreshold\n"
        "      TreatMissingData: notBreaching\n"
        f"      AlarmActions: [!Ref {TOPIC}]\n"
        f"      OKActions: [!Ref {TOPIC}]\n"
        "\n"
    )


def function_alarms(template: Template) -> list[str]:
    blocks = []
    consumers = stream_consumers(template)
    for spec in template.functions():
        name = spec.logical_id
        dimension = [("FunctionName", f"!Ref {name}")]
        for metric, what in (("Errors", "failed (see its log group)"), ("Throttles", "was throttled")):
            blocks.append(
                _alarm(
                    f"{name}{metric}Alarm",
                    f"{name} {what} in the last 5 minutes.",
                    {"namespace": "AWS/Lambda", "name": metric, "dimensions": dimension, "threshold": 1},
                )
            )
        if name in consumers:
            blocks.append(
                _alarm(
                    f"{name}IteratorAgeAlarm",
                    f"{name} is over 10 minutes behind the table's stream (records expire after 24 hours).",
                    {
                        "namespace": "AWS/Lambda",
                        "name": "IteratorAge",
                        "dimensions": dimension,
                        "statistic": "Maximum",
                        "threshold": ITERATOR_AGE_MS,
                    },
                )
            )
    return blocks


def queue_alarms(template: Template) -> list[str]:
    blocks = []
    failures = failure_queues(template)
    for name in sorted(template.of_type("AWS::SQS::Queue")):
        dimension = [("QueueName", f"!GetAtt {name}.QueueName")]
        if name in failures:
            description = (
                f"{name} holds a failure: list it with `kabar ops failures`, replay with `kabar ops replay`."
            )
            metric = {
                "namespace": "AWS/SQS",
                "name": "ApproximateNumberOfMessagesVisible",
                "dimensions": dimension,
                "statistic": "Maximum",
                "threshold": 1,
            }
            blocks.append(_alarm(f"{name}DepthAlarm", description, metric))
        else:
            description = f"{name}'s oldest message has waited 15 minutes: its consumer is not keeping up."
            metric = {
                "namespace": "AWS/SQS",
                "name": "ApproximateAgeOfOldestMessage",
                "dimensions": dimension,
                "statistic": "Maximum",
                "threshold": QUEUE_AGE_SECONDS,
            }
            blocks.append(_alarm(f"{name}AgeAlarm", description, metric))
    return blocks


def edge_alarms(api: str) -> list[str]:
    api_dimensions = [("ApiName", "!Ref AWS::StackName"), ("Stage", STAGE)]
    return [
        _alarm(
            "ApiServerErrorsAlarm",
            f"{api} answered 5 or more 5xx in 5 minutes.",
            {"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": api_dimensions, "threshold": 5},
        ),
        _alarm(
            "ApiLatencyAlarm",
            f"{api}'s p99 latency was over 5 seconds for 15 minutes.",
            {
                "namespace": "AWS/ApiGateway",
                "name": "Latency",
                "dimensions": api_dimensions,
                "statistic": "p99",
                "periods": 3,
                "threshold": 5000,
            },
        ),
        _alarm(
            "CdnServerErrorRateAlarm",
            "CloudFront answered over 5 % of requests with 5xx for 10 minutes.",
            {
                "namespace": "AWS/CloudFront",
                "name": "5xxErrorRate",
                "dimensions": [("DistributionId", "!Ref Distribution"), ("Region", "Global")],
                "statistic": "Average",
                "periods": 2,
                "threshold": 5,
            },
            condition="InUsEast1",
        ),
    ]


def _widget(title: str, metrics: list[list[str]], stat: str = "Sum", region: str = "${AWS::Region}") -> Any:
    return {
        "type": "metric",
        "width": 12,
        "height": 6,
        "properties": {
            "title": title,
            "region": region,
            "stat": stat,
            "period": 300,
            "view": "timeSeries",
            "metrics": metrics,
        },
    }


def widgets(template: Template) -> list[Any]:
    functions = [spec.logical_id for spec in template.functions()]
    queues = sorted(template.of_type("AWS::SQS::Queue"))
    api = ["ApiName", "${AWS::StackName}", "Stage", STAGE]
    waf = ["WebACL", "${AWS::StackName}-api", "Region", "${AWS::Region}"]  # the web ACL's MetricName
    return [
        _widget(
            "API requests and errors",
            [["AWS/ApiGateway", m, *api] for m in ("Count", "4XXError", "5XXError")],
        ),
        _widget("API latency (p99)", [["AWS/ApiGateway", "Latency", *api]], stat="p99"),
        _widget(
            "Function errors", [["AWS/Lambda", "Errors", "FunctionName", f"${{{f}}}"] for f in functions]
        ),
        _widget(
            "Function throttles",
            [["AWS/Lambda", "Throttles", "FunctionName", f"${{{f}}}"] for f in functions],
        ),
        _widget(
            "Stream consumers' iterator age (ms)",
            [["AWS/Lambda", "IteratorAge", "FunctionName", f"${{{f}}}"] for f in stream_consumers(template)],
            stat="Maximum",
        ),
        _widget(
            "Messages waiting per queue",
            [
                ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", f"${{{q}.QueueName}}"]
                for q in queues
            ],
            stat="Maximum",
        ),
        _widget(
            "Web ACL blocked requests",
            [
                ["AWS/WAFV2", "BlockedRequests", *waf, "Rule", rule]
                for rule in ("ALL", "kabar-api-comments-per-client")
            ],
        ),
        _widget(
            "CloudFront 5xx rate (%)",
            [["AWS/CloudFront", "5xxErrorRate", "Region", "Global", "DistributionId", "${Distribution}"]],
            stat="Average",
            region="us-east-1",
        ),
    ]


def dashboard(template: Template) -> str:
    # One widget a line: a readable body whose diff shows which widget changed.
    lines = ",\n".join(f"    {json.dumps(widget)}" for widget in widgets(template))
    body = '{"widgets": [\n' + lines + "\n]}"
    indented = "".join(f"        {line}\n" for line in body.splitlines())
    return (
        "  Dashboard:\n"
        "    Type: AWS::CloudWatch::Dashboard\n"
        "    Properties:\n"
        "      DashboardBody: !Sub |\n"
        f"{indented}"
        "\n"
    )


def section(template: Template) -> str:
    """The generated text, markers included."""
    blocks = (
        function_alarms(template) + queue_alarms(template) + edge_alarms("The API") + [dashboard(template)]
    )
    return BEGIN + "\n" + "".join(blocks).rstrip("\n") + "\n\n" + END


def render(text: str, template: Template) -> str:
    """template.yaml's text with the generated section replaced (or added at the end of Resources)."""
    generated = section(template)
    if BEGIN in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        return head + generated + tail
    head, tail = text.split("\nOutputs:", 1)
    return head.rstrip("\n") + "\n\n" + generated + "\nOutputs:" + tail


def main(path: Path = TEMPLATE_PATH) -> None:
    text = path.read_text(encoding="utf-8")
    updated = render(text, Template.load(path))
    if updated != text:
        path.write_text(updated, encoding="utf-8")
        print(f"{path}: alarms and dashboard regenerated")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATE_PATH)
