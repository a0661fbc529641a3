"""Issue 11, point 2: public routes that hold, proved on the transformed template."""

from __future__ import annotations

import json
from typing import Any

import yaml

from kabar_infra.template import ROOT, Template

COMMENT_PATH = "/articles/{slug}/comments"


def _of_type(transformed: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in transformed["Resources"].items() if v["Type"] == resource_type}


def _web_acl(transformed: dict[str, Any]) -> dict[str, Any]:
    (acl,) = _of_type(transformed, "AWS::WAFv2::WebACL").values()
    return acl["Properties"]  # type: ignore[no-any-return]


def _rules(transformed: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {rule["Name"]: rule for rule in _web_acl(transformed)["Rules"]}


def _body(transformed: dict[str, Any]) -> dict[str, Any]:
    (api,) = _of_type(transformed, "AWS::ApiGateway::RestApi").values()
    return api["Properties"]["Body"]  # type: ignore[no-any-return]


def test_a_regional_web_acl_with_the_managed_rule_groups_guards_the_api_stage(
    transformed: dict[str, Any],
) -> None:
    acl = _web_acl(transformed)
    assert acl["Scope"] == "REGIONAL" and acl["DefaultAction"] == {"Allow": {}}
    groups = {rule["Statement"]["ManagedRuleGroupStatement"]["Name"]: rule for rule in acl["Rules"]
              if "ManagedRuleGroupStatement" in rule["Statement"]}  # fmt: skip
    assert set(groups) == {
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesAmazonIpReputationList",
    }
    for rule in groups.values():
        assert rule["OverrideAction"] == {"None": {}}, rule["Name"]  # the groups' own actions block
    (association,) = _of_type(transformed, "AWS::WAFv2::WebACLAssociation").values()
    (stage,) = _of_type(transformed, "AWS::ApiGateway::Stage")
    arn = association["Properties"]["ResourceArn"]["Fn::Sub"]
    assert arn.endswith("::/restapis/${EditorApi}/stages/${" + stage + "}")
    assert association["Properties"]["WebACLArn"] == {"Fn::GetAtt": ["ApiWebAcl", "Arn"]}


def test_each_client_ip_has_a_comment_budget_and_is_told_429_with_cors(
    transformed: dict[str, Any], template: Template
) -> None:
    rule = _rules(transformed)["CommentsPerClient"]
    rate = rule["Statement"]["RateBasedStatement"]
    assert rate["AggregateKeyType"] == "IP" and rate["Limit"] == {"Ref": "CommentRateLimit"}
    assert int(transformed["Parameters"]["CommentRateLimit"]["Default"]) >= 10
    scope = [s["ByteMatchStatement"] for s in rate["ScopeDownStatement"]["AndStatement"]["Statements"]]
    method = next(s for s in scope if "Method" in s["FieldToMatch"])
    path = next(s for s in scope if "UriPath" in s["FieldToMatch"])
    assert (method["PositionalConstraint"], method["SearchString"]) == ("EXACTLY", "POST")
    assert path["PositionalConstraint"] == "ENDS_WITH"
    # The scope holds the comment route and no other POST route of the API.
    posts = [e.properties["Path"] for s in template.functions() for e in s.events
             if e.type == "Api" and e.properties["Method"].upper() == "POST"]  # fmt: skip
    assert [p for p in posts if p.endswith(path["SearchString"])] == [COMMENT_PATH]
    response = rule["Action"]["Block"]["CustomResponse"]
    assert response["ResponseCode"] == 429
    headers = {h["Name"]: h["Value"] for h in response["ResponseHeaders"]}
    assert headers["Access-Control-Allow-Origin"] == "*" and int(headers["Retry-After"]) > 0
    body = _web_acl(transformed)["CustomResponseBodies"][response["CustomResponseBodyKey"]]
    assert json.loads(body["Content"])["message"]


def test_body_size_rules_count_rather_than_block(transformed: dict[str, Any]) -> None:
    """A 5,000-character comment, JSON-escaped, is over the common rule set's 8 KB."""
    common = _rules(transformed)["Common"]["Statement"]["ManagedRuleGroupStatement"]
    overrides = {o["Name"]: o["ActionToUse"] for o in common["RuleActionOverrides"]}
    assert overrides == {"SizeRestrictions_BODY": {"Count": {}}}
    comment = {"name": "Budi", "email": "budi@example.id", "content": "\u00e9\U0001f600" * 2500}
    assert len(json.dumps(comment).encode()) > 8 * 1024


def test_the_comment_intake_has_reserved_concurrency(transformed: dict[str, Any]) -> None:
    function = transformed["Resources"]["CommentsFunction"]["Properties"]
    reserved = function["ReservedConcurrentExecutions"]["Fn::If"]
    assert reserved == [
        "ReserveCommentsConcurrency",
        {"Ref": "CommentsReservedConcurrency"},
        {"Ref": "AWS::NoValue"},
    ]
    assert int(transformed["Parameters"]["CommentsReservedConcurrency"]["Default"]) > 0


def test_gateway_answers_carry_cors_headers_and_json(transformed: dict[str, Any]) -> None:
    responses = _body(transformed)["x-amazon-apigateway-gateway-responses"]
    assert {"DEFAULT_4XX", "DEFAULT_5XX", "THROTTLED", "WAF_FILTERED", "BAD_REQUEST_BODY"} <= set(responses)
    for kind, response in responses.items():
        assert (
            response["responseParameters"]["gatewayresponse.header.Access-Control-Allow-Origin"] == "'*'"
        ), kind
        # $context.error.messageString is already a quoted JSON string.
        text = response["responseTemplates"]["application/json"].replace(
            "$context.error.messageString", '"x"'
        )
        assert json.loads(text)["message"], kind
    assert responses["THROTTLED"]["responseParameters"]["gatewayresponse.header.Retry-After"] == "'1'"


def test_no_client_ip_in_traces_logs_or_firewall_samples(transformed: dict[str, Any]) -> None:
    (stage,) = _of_type(transformed, "AWS::ApiGateway::Stage").values()
    assert stage["Properties"]["TracingEnabled"] is False
    log_format = stage["Properties"]["AccessLogSetting"]["Format"]
    assert "sourceIp" not in log_format and "X-Forwarded-For" not in log_format
    assert json.loads(log_format)["requestId"] == "$context.requestId"
    acl = _web_acl(transformed)
    for config in [acl["VisibilityConfig"], *(rule["VisibilityConfig"] for rule in acl["Rules"])]:
        assert config["SampledRequestsEnabled"] is False and config["CloudWatchMetricsEnabled"] is True
    assert not _of_type(transformed, "AWS::WAFv2::LoggingConfiguration")


def test_the_gateway_refuses_a_comment_body_the_function_would_refuse(transformed: dict[str, Any]) -> None:
    body = _body(transformed)
    operation = body["paths"][COMMENT_PATH]["post"]
    validator = body["x-amazon-apigateway-request-validators"][
        operation["x-amazon-apigateway-request-validator"]
    ]
    assert validator == {"validateRequestBody": True, "validateRequestParameters": False}
    assert operation["requestBody"]["required"] is True
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    model = body["components"]["schemas"][ref.rsplit("/", 1)[1]]
    # The model asks no more than the function's own schema (docs/openapi.yaml), so the gateway never
    # refuses a comment the function would take.
    documented = yaml.safe_load((ROOT / "docs" / "openapi.yaml").read_text())["components"]["schemas"][
        "CommentSubmission"
    ]
    assert model["type"] == documented["type"] == "object"
    assert set(model["required"]) == set(documented["required"])
    for name, schema in model["properties"].items():
        assert schema["type"] == documented["properties"][name]["type"], name
    refusal = json.loads(
        body["x-amazon-apigateway-gateway-responses"]["BAD_REQUEST_BODY"]["responseTemplates"][
            "application/json"
        ]
    )
    assert all(field in refusal["errors"][0]["message"] for field in model["required"])
