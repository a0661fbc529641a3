"""Kabar's house rules as cfn-lint rules, run on the transformed template (make template-check).

cfn-lint loads every rule class here with ``--append-rules infra/cfn_rules``. Each rule reads
plain CloudFormation (what SAM generates): functions, event source mappings, queues, alarms and
stages. tests/infra/test_cfn_rules.py shows each rule failing a bad snippet and passing the real
template.
"""

from __future__ import annotations

from typing import Any, ClassVar

from cfnlint.rules import CloudFormationLintRule, RuleMatch

RETAINING = {"Retain", "RetainExceptOnCreate", "Snapshot"}
STATEFUL_TYPES = [
    "AWS::DynamoDB::Table",
    "AWS::S3::Bucket",
    "AWS::Cognito::UserPool",
    "AWS::SecretsManager::Secret",
]
ADDRESS_VARIABLES = ("sourceip", "x-forwarded-for")


def _target(value: Any) -> str | None:
    """The logical id a Ref or a GetAtt names (None for anything else)."""
    if not isinstance(value, dict):
        return None
    if isinstance(value.get("Ref"), str):
        return str(value["Ref"])
    target = value.get("Fn::GetAtt")
    if isinstance(target, list) and target:
        return str(target[0])
    if isinstance(target, str):
        return target.split(".")[0]
    return None


def _alarmed(cfn: Any, dimension: str) -> dict[str, set[str]]:
    """For each resource an alarm names in ``dimension``: the metrics alarmed (alarms with an action only)."""
    found: dict[str, set[str]] = {}
    for alarm in cfn.get_resources(["AWS::CloudWatch::Alarm"]).values():
        props = alarm.get("Properties", {})
        if not props.get("AlarmActions"):
            continue
        for item in props.get("Dimensions", []):
            name = _target(item.get("Value")) if item.get("Name") == dimension else None
            if name:
                found.setdefault(name, set()).add(str(props.get("MetricName")))
    return found


class FunctionLogRetention(CloudFormationLintRule):
    id = "E9101"
    shortdesc = "Function log group with retention"
    description = "Every Lambda function logs to a log group of the template that sets RetentionInDays"
    tags: ClassVar[list[str]] = ["kabar", "lambda", "logs"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        matches = []
        groups = cfn.get_resources(["AWS::Logs::LogGroup"])
        for name, function in cfn.get_resources(["AWS::Lambda::Function"]).items():
            group = _target(function.get("Properties", {}).get("LoggingConfig", {}).get("LogGroup"))
            if group not in groups or "RetentionInDays" not in groups[group].get("Properties", {}):
                message = f"Function {name} does not log to a log group of this template with RetentionInDays"
                matches.append(RuleMatch(["Resources", name], message))
        return matches


class FunctionAlarms(CloudFormationLintRule):
    id = "E9102"
    shortdesc = "Function alarms"
    description = "Every Lambda function has alarms (with an action) on Errors and Throttles"
    tags: ClassVar[list[str]] = ["kabar", "lambda", "alarms"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        alarmed = _alarmed(cfn, "FunctionName")
        matches = []
        for name in cfn.get_resources(["AWS::Lambda::Function"]):
            missing = {"Errors", "Throttles"} - alarmed.get(name, set())
            if missing:
                message = f"Function {name} has no alarm on {', '.join(sorted(missing))}"
                matches.append(RuleMatch(["Resources", name], message))
        return matches


class QueueAlarm(CloudFormationLintRule):
    id = "E9103"
    shortdesc = "Queue alarm"
    description = "Every SQS queue (dead-letter and failure queues included) has an alarm with an action"
    tags: ClassVar[list[str]] = ["kabar", "sqs", "alarms"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        alarmed = _alarmed(cfn, "QueueName")
        return [
            RuleMatch(["Resources", name], f"Queue {name} has no alarm")
            for name in cfn.get_resources(["AWS::SQS::Queue"])
            if name not in alarmed
        ]


class StatefulRetained(CloudFormationLintRule):
    id = "E9104"
    shortdesc = "Stateful resources retained"
    description = "Tables and buckets keep their data when deleted or replaced by a stack operation"
    tags: ClassVar[list[str]] = ["kabar", "retention"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        matches = []
        for name, resource in cfn.get_resources(STATEFUL_TYPES).items():
            deletion, replace = resource.get("DeletionPolicy"), resource.get("UpdateReplacePolicy")
            if deletion not in RETAINING or replace not in RETAINING:
                message = (
                    f"{name} ({resource['Type']}) needs DeletionPolicy RetainExceptOnCreate (or Retain) and "
                    f"UpdateReplacePolicy Retain; it has {deletion} and {replace}"
                )
                matches.append(RuleMatch(["Resources", name], message))
        return matches


class EventSourceFailures(CloudFormationLintRule):
    id = "E9105"
    shortdesc = "Event sources report partial failures and keep what fails"
    description = (
        "Every event source mapping reports batch item failures; a stream source has an on-failure "
        "destination, a queue source a redrive policy to a dead-letter queue"
    )
    tags: ClassVar[list[str]] = ["kabar", "lambda", "events"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        matches = []
        queues = cfn.get_resources(["AWS::SQS::Queue"])
        for name, mapping in cfn.get_resources(["AWS::Lambda::EventSourceMapping"]).items():
            props = mapping.get("Properties", {})
            path = ["Resources", name]
            if "ReportBatchItemFailures" not in props.get("FunctionResponseTypes", []):
                matches.append(RuleMatch(path, f"{name} does not report batch item failures"))
            source = _target(props.get("EventSourceArn"))
            if source in queues:
                if "RedrivePolicy" not in queues[source].get("Properties", {}):
                    matches.append(RuleMatch(path, f"{name} reads {source}, which has no dead-letter queue"))
            elif not props.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination"):
                matches.append(RuleMatch(path, f"{name} has no on-failure destination"))
        return matches


class StreamConsumerIteratorAge(CloudFormationLintRule):
    id = "E9106"
    shortdesc = "Stream consumers' iterator age alarmed"
    description = "A function reading a stream has an IteratorAge alarm (stream records expire)"
    tags: ClassVar[list[str]] = ["kabar", "lambda", "alarms"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        alarmed = _alarmed(cfn, "FunctionName")
        matches = []
        for name, mapping in cfn.get_resources(["AWS::Lambda::EventSourceMapping"]).items():
            props = mapping.get("Properties", {})
            function = _target(props.get("FunctionName"))
            if "StartingPosition" in props and "IteratorAge" not in alarmed.get(function or "", set()):
                message = f"{function}, which {name} feeds from a stream, has no IteratorAge alarm"
                matches.append(RuleMatch(["Resources", name], message))
        return matches


class StreamReaders(CloudFormationLintRule):
    id = "E9108"
    shortdesc = "At most two readers per stream"
    description = (
        "At most two event source mappings read one DynamoDB stream: more processes reading a shard "
        "are throttled (DispatchFunction is the table stream's reader; stages get queues)"
    )
    tags: ClassVar[list[str]] = ["kabar", "lambda", "dynamodb"]
    READERS = 2

    def match(self, cfn: Any) -> list[RuleMatch]:
        readers: dict[str, list[str]] = {}
        for name, mapping in cfn.get_resources(["AWS::Lambda::EventSourceMapping"]).items():
            source = mapping.get("Properties", {}).get("EventSourceArn")
            target = source.get("Fn::GetAtt") if isinstance(source, dict) else None
            attribute = target[1] if isinstance(target, list) and len(target) > 1 else ""
            if attribute == "StreamArn" or (isinstance(target, str) and target.endswith(".StreamArn")):
                readers.setdefault(str(_target(source)), []).append(name)
        matches = []
        for table, names in sorted(readers.items()):
            if len(names) > self.READERS:
                message = f"{table}'s stream has {len(names)} readers ({', '.join(sorted(names))})"
                matches.append(
                    RuleMatch(["Resources", names[self.READERS]], f"{message}; at most {self.READERS}")
                )
        return matches


class NoClientAddress(CloudFormationLintRule):
    id = "E9107"
    shortdesc = "No client address in API traces or logs"
    description = (
        "API stages neither trace with X-Ray (its segments record the client IP) nor write the "
        "source IP or X-Forwarded-For to the access log: commenters' addresses are kept only as keyed hashes"
    )
    tags: ClassVar[list[str]] = ["kabar", "apigateway", "privacy"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        matches = []
        for name, stage in cfn.get_resources(["AWS::ApiGateway::Stage"]).items():
            props = stage.get("Properties", {})
            if props.get("TracingEnabled") not in (None, False, "false"):
                matches.append(RuleMatch(["Resources", name, "Properties", "TracingEnabled"],
                                         f"{name} traces with X-Ray, which records client IPs"))  # fmt: skip
            log_format = str(props.get("AccessLogSetting", {}).get("Format", "")).lower()
            for variable in ADDRESS_VARIABLES:
                if variable in log_format:
                    matches.append(RuleMatch(["Resources", name, "Properties", "AccessLogSetting"],
                                             f"{name}'s access log records {variable}"))  # fmt: skip
        return matches
