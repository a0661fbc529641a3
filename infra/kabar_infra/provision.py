"""Create template.yaml's resources on moto (a moto server, or ``mock_aws`` in tests).

Only what the handlers and the local stack use is created: buckets (with
versioning, encryption and notifications), the table (keys, indexes,
stream), queues (with redrive), the Cognito pool, its client and groups, the Scheduler's
schedule groups and schedules (which kabar_infra.local.schedules fires).
IAM, Lambda, API Gateway, CloudFront and log groups have nothing to do on
moto; they get placeholder attributes so expressions naming them resolve.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from graphlib import TopologicalSorter
from typing import Any

import boto3

from kabar_infra.template import Resolver, Template, references

ACCOUNT_ID = "123456789012"
STACK_ID_UUID = "a1b2c3d4-0000-4000-8000-0123456789ab"


@dataclass
class Stack:
    """What was created: every resource's attributes, by logical id."""

    name: str
    region: str
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    parameters: dict[str, str] = field(default_factory=dict)

    @property
    def pseudo(self) -> dict[str, str]:
        return {
            "AWS::AccountId": ACCOUNT_ID,
            "AWS::Region": self.region,
            "AWS::StackName": self.name,
            "AWS::StackId": (
                f"arn:aws:cloudformation:{self.region}:{ACCOUNT_ID}:stack/{self.name}/{STACK_ID_UUID}"
            ),
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::NoValue": "",
        }

    def resolver(self) -> Resolver:
        return Resolver(self.parameters, self.pseudo, self.attributes)

    def ref(self, logical_id: str) -> str:
        return self.attributes[logical_id]["Ref"]


def provision(
    template: Template,
    *,
    stack_name: str = "kabar-local",
    region: str = "us-east-1",
    session: boto3.Session | None = None,
    parameters: dict[str, str] | None = None,
    local_attributes: dict[str, dict[str, str]] | None = None,
) -> Stack:
    """Create every supported resource of the template, in dependency order.

    ``local_attributes`` supplies attributes of resources moto does not run
    (the CloudFront distribution's domain, for example).
    """
    session = session or boto3.Session(region_name=region)
    stack = Stack(name=stack_name, region=region)
    stack.parameters = {**template.parameter_defaults(), **(parameters or {})}
    graph = {
        logical_id: {
            ref
            for ref in references(resource.get("Properties", {})) | set(_depends_on(resource))
            if ref in template.resources
        }
        for logical_id, resource in template.resources.items()
    }
    # A bucket policy naming a distribution that names the bucket is no cycle in
    # CloudFormation's eyes only because Ref/GetAtt of placeholders need no creation order.
    for logical_id in TopologicalSorter(_break_placeholder_edges(template, graph)).static_order():
        resource = template.resources[logical_id]
        creator = _CREATORS.get(resource["Type"])
        name = f"{stack_name}-{logical_id}".lower()
        if creator is None:
            stack.attributes[logical_id] = _placeholder(resource["Type"], name, stack)
        else:
            props = stack.resolver().resolve(resource.get("Properties", {}))
            stack.attributes[logical_id] = creator(session, name, props, stack)
        stack.attributes[logical_id].update((local_attributes or {}).get(logical_id, {}))
    return stack


def _depends_on(resource: dict[str, Any]) -> list[str]:
    depends = resource.get("DependsOn", [])
    return [depends] if isinstance(depends, str) else list(depends)


def _break_placeholder_edges(template: Template, graph: dict[str, set[str]]) -> dict[str, set[str]]:
    placeholders = {
        logical_id for logical_id, resource in template.resources.items() if resource["Type"] not in _CREATORS
    }
    # Placeholders have no properties to resolve, so nothing needs to precede them.
    return {logical_id: (set() if logical_id in placeholders else deps) for logical_id, deps in graph.items()}


def _placeholder(resource_type: str, name: str, stack: Stack) -> dict[str, str]:
    arn = f"arn:aws:local:{stack.region}:{ACCOUNT_ID}:{name}"
    attributes = {"Ref": name, "Arn": arn}
    if resource_type == "AWS::CloudFront::Distribution":
        # No distribution locally: an empty id turns invalidation off.
        attributes.update({"Ref": "", "DomainName": "127.0.0.1", "Id": ""})
    if resource_type == "AWS::CloudFront::OriginAccessControl":
        attributes["Id"] = name
    return attributes


def _bucket(session: boto3.Session, name: str, props: dict[str, Any], stack: Stack) -> dict[str, str]:
    s3 = session.client("s3")
    bucket = props.get("BucketName") or name
    if stack.region == "us-east-1":
        s3.create_bucket(Bucket=bucket)
    else:
        s3.create_bucket(
            Bucket=bucket,
            CreateBucketConfiguration={"LocationConstraint": stack.region},  # type: ignore[typeddict-item]
        )
    if props.get("VersioningConfiguration", {}).get("Status") == "Enabled":
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    if "BucketEncryption" in props:
        s3.put_bucket_encryption(
            Bucket=bucket,
            ServerSideEncryptionConfiguration={
                # CloudFormation names it ServerSideEncryptionByDefault, the S3 API Apply...
                "Rules": [
                    {"ApplyServerSideEncryptionByDefault": rule["ServerSideEncryptionByDefault"]}
                    for rule in props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
                ]
            },
        )
    if "PublicAccessBlockConfiguration" in props:
        s3.put_public_access_block(
            Bucket=bucket, PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"]
        )
    queues = props.get("NotificationConfiguration", {}).get("QueueConfigurations", [])
    if queues:
        s3.put_bucket_notification_configuration(
            Bucket=bucket,
            NotificationConfiguration={
                "QueueConfigurations": [
                    {
                        "QueueArn": queue["Queue"],
                        "Events": [queue["Event"]],
                        "Filter": {
                            "Key": {"FilterRules": queue.get("Filter", {}).get("S3Key", {}).get("Rules", [])}
                        },
                    }
                    for queue in queues
                ]
            },
        )
    return {
        "Ref": bucket,
        "Arn": f"arn:aws:s3:::{bucket}",
        "DomainName": f"{bucket}.s3.amazonaws.com",
        "RegionalDomainName": f"{bucket}.s3.{stack.region}.amazonaws.com",
    }


def _queue(session: boto3.Session, name: str, props: dict[str, Any], stack: Stack) -> dict[str, str]:
    sqs = session.client("sqs")
    attributes: dict[Any, str] = {}
    for key in ("VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds"):
        if key in props:
            attributes[key] = str(props[key])
    if "RedrivePolicy" in props:
        attributes["RedrivePolicy"] = json.dumps(props["RedrivePolicy"])
    url = sqs.create_queue(QueueName=props.get("QueueName") or name, Attributes=attributes)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return {"Ref": url, "Arn": arn, "QueueUrl": url, "QueueName": url.rsplit("/", 1)[-1]}


def _table(session: boto3.Session, name: str, props: dict[str, Any], stack: Stack) -> dict[str, str]:
    dynamodb = session.client("dynamodb")
    request: dict[str, Any] = {
        "TableName": props.get("TableName") or name,
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
    }
    if "GlobalSecondaryIndexes" in props:
        request["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
    if "StreamSpecification" in props:
        request["StreamSpecification"] = {
            "StreamEnabled": True,
            "StreamViewType": props["StreamSpecification"]["StreamViewType"],
        }
    table = dynamodb.create_table(**request)["TableDescription"]
    if props.get("TimeToLiveSpecification", {}).get("Enabled"):
        dynamodb.update_time_to_live(TableName=table["TableName"], TimeToLiveSpecification={
            "Enabled": True, "AttributeName": props["TimeToLiveSpecification"]["AttributeName"]})  # fmt: skip
    return {
        "Ref": table["TableName"],
        "Arn": table["TableArn"],
        "StreamArn": table.get("LatestStreamArn", ""),
    }


def _user_pool(session: boto3.Session, name: str, props: dict[str, Any], stack: Stack) -> dict[str, str]:
    cognito = session.client("cognito-idp")
    request: dict[str, Any] = {"PoolName": props.get("UserPoolName") or name}
    if "Policies" in props:
        request["Policies"] = props["Policies"]
    if "AdminCreateUserConfig" in props:
        request["AdminCreateUserConfig"] = props["AdminCreateUserConfig"]
    pool = cognito.create_user_pool(**request)["UserPool"]
    if "MfaConfiguration" in props:
        # CreateUserPool cannot name the MFA types; CloudFormation sets them as this does.
        cognito.set_user_pool_mfa_config(
            UserPoolId=pool["Id"], MfaConfiguration=props["MfaConfiguration"],
            SoftwareTokenMfaConfiguration={"Enabled": "SOFTWARE_TOKEN_MFA" in props.get("EnabledMfas", [])},
        )  # fmt: skip
    return {
        "Ref": pool["Id"],
        "Arn": pool["Arn"],
        "ProviderName": f"cognito-idp.{stack.region}.amazonaws.com/{pool['Id']}",
    }


def _user_pool_client(
    session: boto3.Session, name: str, props: dict[str, Any], stack: Stack
) -> dict[str, str]:
    client = session.client("cognito-idp").create_user_pool_client(
        UserPoolId=props["UserPoolId"],
        ClientName=props.get("ClientName") or name,
        GenerateSecret=bool(props.get("GenerateSecret", False)),
        ExplicitAuthFlows=props.get("ExplicitAuthFlows", []),
    )["UserPoolClient"]
    return {"Ref": client["ClientId"]}


def _user_pool_group(
    session: boto3.Session, name: str, props: dict[str, Any], stack: Stack
) -> dict[str, str]:
    group = props.get("GroupName") or name
    session.client("cognito-idp").create_group(UserPoolId=props["UserPoolId"], GroupName=group)
    return {"Ref": group}


def _secret(session: boto3.Session, name: str, props: dict[str, Any], stack: Stack) -> dict[str, str]:
    """A secret with a generated value, as GenerateSecretString asks (moto makes the value; with
    SecretStringTemplate and GenerateStringKey, the template's JSON with the value under that key)."""
    client = session.client("secretsmanager")
    if "SecretString" in props:  # a value given (the social tokens' empty placeholders)
        made = client.create_secret(Name=f"{stack.name}-{name}", SecretString=str(props["SecretString"]))
        return {"Ref": made["ARN"], "Id": made["ARN"]}
    generate = props.get("GenerateSecretString", {})
    value = client.get_random_password(
        PasswordLength=int(generate.get("PasswordLength", 32)),
        ExcludePunctuation=bool(generate.get("ExcludePunctuation", False)),
    )["RandomPassword"]
    if "GenerateStringKey" in generate:
        value = json.dumps(
            {**json.loads(generate["SecretStringTemplate"]), generate["GenerateStringKey"]: value}
        )
    secret = client.create_secret(Name=f"{stack.name}-{name}", SecretString=value)
    return {"Ref": secret["ARN"], "Id": secret["ARN"]}


def _schedule_group(session: boto3.Session, name: str, props: dict[str, Any], stack: Stack) -> dict[str, str]:
    group = props.get("Name") or name
    arn = session.client("scheduler").create_schedule_group(Name=group)["ScheduleGroupArn"]
    return {"Ref": group, "Arn": arn}


def _schedule(session: boto3.Session, name: str, props: dict[str, Any], stack: Stack) -> dict[str, str]:
    wanted = ("ScheduleExpression", "ScheduleExpressionTimezone", "Description", "FlexibleTimeWindow",
              "Target", "State", "GroupName")  # fmt: skip
    request = {key: props[key] for key in wanted if key in props}
    request["Name"] = props.get("Name") or name
    arn = session.client("scheduler").create_schedule(**request)["ScheduleArn"]
    return {"Ref": request["Name"], "Arn": arn}


_CREATORS = {
    "AWS::SecretsManager::Secret": _secret,
    "AWS::S3::Bucket": _bucket,
    "AWS::SQS::Queue": _queue,
    "AWS::DynamoDB::Table": _table,
    "AWS::Cognito::UserPool": _user_pool,
    "AWS::Cognito::UserPoolClient": _user_pool_client,
    "AWS::Cognito::UserPoolGroup": _user_pool_group,
    "AWS::Scheduler::ScheduleGroup": _schedule_group,
    "AWS::Scheduler::Schedule": _schedule,
}


def function_environment(
    template: Template, stack: Stack, logical_id: str, overrides: dict[str, str] | None = None
) -> dict[str, str]:
    """A function's environment variables as they would be deployed, then ``overrides``."""
    spec = template.function(logical_id)
    resolved = stack.resolver().resolve(spec.environment)
    return {**{k: str(v) for k, v in resolved.items()}, **(overrides or {})}
