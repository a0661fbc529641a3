"""template.yaml: the wiring the local stack, the tests and `sam deploy` all read."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from kabar_infra.local.functions import load_handler
from kabar_infra.local.router import pattern_matches
from kabar_infra.template import Template, filter_patterns

CONSUMER_TYPES = {"SQS", "DynamoDB"}


def _ref(value: Any) -> str:
    """The logical id a Ref or GetAtt names."""
    if "Ref" in value:
        return str(value["Ref"])
    target = value["Fn::GetAtt"]
    return str(target[0] if isinstance(target, list) else target.split(".")[0])


# Every function the template defines (a new one must be added here, and so gets the lean-import check).
FUNCTIONS = [
    "UploadsFunction", "VocabularyFunction", "PublishFunction", "TaggingFunction", "RenderFunction",
    "RelatedFunction", "CommentsFunction", "ModerationFunction",
]  # fmt: skip


def test_every_function_handler_resolves(template: Template) -> None:
    specs = template.functions()
    assert {spec.logical_id for spec in specs} == set(FUNCTIONS)
    for spec in specs:
        assert spec.handler_file.is_file(), spec.handler_file
        assert callable(load_handler(spec, f"template_check_{spec.logical_id}"))
        assert (spec.code_uri / "Makefile").read_text().count(f"build-{spec.logical_id}:") == 1


def test_every_event_maps_to_a_handler_and_a_resource(template: Template) -> None:
    resources = template.resources
    for spec in template.functions():
        assert spec.events, f"{spec.logical_id} has no events"
        for event in spec.events:
            props = event.properties
            if event.type == "Api":
                assert resources[_ref(props["RestApiId"])]["Type"] == "AWS::Serverless::Api"
            elif event.type == "SQS":
                assert resources[_ref(props["Queue"])]["Type"] == "AWS::SQS::Queue"
            elif event.type == "DynamoDB":
                table = resources[_ref(props["Stream"])]
                assert table["Type"] == "AWS::DynamoDB::Table"
                assert table["Properties"]["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
            else:
                pytest.fail(f"{spec.logical_id}.{event.name}: unexpected event type {event.type}")


def test_every_consumer_reports_partial_failures_and_has_an_on_failure_destination(
    template: Template,
) -> None:
    consumers = [(s, e) for s in template.functions() for e in s.events if e.type in CONSUMER_TYPES]
    assert consumers
    for spec, event in consumers:
        props = event.properties
        assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"], spec.logical_id
        if event.type == "SQS":
            queue = template.resources[_ref(props["Queue"])]["Properties"]
            dead_letter = _ref(queue["RedrivePolicy"]["deadLetterTargetArn"])
            assert template.resources[dead_letter]["Type"] == "AWS::SQS::Queue"
            assert queue["VisibilityTimeout"] >= 6 * spec.timeout
        else:
            destination = props["DestinationConfig"]["OnFailure"]["Destination"]
            assert template.resources[_ref(destination)]["Type"] == "AWS::SQS::Queue"
            assert props["BisectBatchOnFunctionError"] is True
            assert 0 < props["MaximumRetryAttempts"] <= 10


def test_uploads_reach_the_publish_queue(template: Template) -> None:
    bucket = template.resources["IncomingBucket"]["Properties"]
    (notification,) = bucket["NotificationConfiguration"]["QueueConfigurations"]
    assert notification["Event"] == "s3:ObjectCreated:*"
    assert notification["Filter"]["S3Key"]["Rules"] == [{"Name": "prefix", "Value": "uploads/"}]
    publish_queue = template.function("PublishFunction").events[0].properties["Queue"]
    assert _ref(notification["Queue"]) == _ref(publish_queue)
    assert bucket["VersioningConfiguration"]["Status"] == "Enabled"


def test_every_function_logs_to_its_own_group_with_retention(template: Template) -> None:
    for logical_id, resource in template.of_type("AWS::Serverless::Function").items():
        group = _ref(resource["Properties"]["LoggingConfig"]["LogGroup"])
        assert template.resources[group]["Type"] == "AWS::Logs::LogGroup", logical_id
        assert "RetentionInDays" in template.resources[group]["Properties"]


def _stream_record(pk: str, sk: str) -> dict[str, Any]:
    keys = {"pk": {"S": pk}, "sk": {"S": sk}}
    return {"eventName": "MODIFY", "dynamodb": {"Keys": keys, "NewImage": keys}}


def _waker(template: Template, function: str) -> Any:
    (event,) = template.function(function).events
    patterns = filter_patterns(event)

    def wakes(pk: str, sk: str) -> bool:
        return any(pattern_matches(p, _stream_record(pk, sk)) for p in patterns)

    return wakes


def test_render_wakes_on_articles_and_tags_and_never_on_its_own_writes(template: Template) -> None:
    wakes = _waker(template, "RenderFunction")
    assert wakes("ARTICLE#gempa", "CURRENT")
    assert wakes("ARTICLE#gempa", "TAGS")
    assert wakes("ARTICLE#gempa", "RELATED")  # its related list changed
    assert not wakes("ARTICLE#gempa", "RENDERED")  # RenderFunction's own marker
    assert not wakes("ARTICLE#gempa", "LISTEDBY#banjir")
    assert not wakes("ARTICLE#gempa", "UNLIST")
    assert not wakes("ARTICLE#gempa", "VERSION#000001")
    assert not wakes("ARTICLE#gempa", "TAG#suriah")
    assert not wakes("TAG#suriah", "STATS")
    assert not wakes("UPLOAD#abc", "UPLOAD")


def test_tagging_wakes_on_content_and_never_on_its_own_writes(template: Template) -> None:
    wakes = _waker(template, "TaggingFunction")
    assert wakes("ARTICLE#gempa", "CURRENT")
    own_and_others = [
        ("ARTICLE#gempa", "TAGS"), ("ARTICLE#gempa", "TAG#suriah"), ("TAG#suriah", "STATS"),
        ("ARTICLE#gempa", "RENDERED"), ("TAG#suriah", "VOCAB"),
    ]  # fmt: skip
    for pk, sk in own_and_others:
        assert not wakes(pk, sk), (pk, sk)


def test_related_wakes_on_tags_and_its_unlisting_progress_only(template: Template) -> None:
    wakes = _waker(template, "RelatedFunction")
    assert wakes("ARTICLE#gempa", "TAGS")
    assert wakes("ARTICLE#gempa", "UNLIST")  # the next chunk of an unlisting
    for pk, sk in [
        ("ARTICLE#gempa", "CURRENT"),
        ("ARTICLE#gempa", "RELATED"),
        ("ARTICLE#gempa", "LISTEDBY#x"),
        ("ARTICLE#gempa", "TAG#suriah"),
        ("ARTICLE#gempa", "CATEGORY"),
        ("TAG#suriah", "STATS"),
    ]:
        assert not wakes(pk, sk), (pk, sk)
    (event,) = template.function("RelatedFunction").events
    removed = {
        "eventName": "REMOVE",
        "dynamodb": {"Keys": {"pk": {"S": "ARTICLE#gempa"}, "sk": {"S": "UNLIST"}}},
    }
    assert not any(pattern_matches(p, removed) for p in filter_patterns(event))


def _vocab_record(status: str) -> dict[str, Any]:
    keys = {"pk": {"S": "TAG#hizbulah"}, "sk": {"S": "VOCAB"}}
    return {"eventName": "MODIFY", "dynamodb": {"Keys": keys, "NewImage": {**keys, "status": {"S": status}}}}


def test_a_merge_wakes_tagging_and_render_and_other_vocabulary_changes_do_not(template: Template) -> None:
    for function in ("TaggingFunction", "RenderFunction"):
        (event,) = template.function(function).events
        patterns = filter_patterns(event)
        assert any(pattern_matches(p, _vocab_record("merged")) for p in patterns), function
        assert not any(pattern_matches(p, _vocab_record("active")) for p in patterns), function
    assert _waker(template, "TaggingFunction")("TAG#hizbulah", "MERGE")  # the next chunk of a merge
    assert not _waker(template, "RenderFunction")("TAG#hizbulah", "MERGE")


def _comment_record(old: str | None, new: str | None) -> dict[str, Any]:
    keys = {"pk": {"S": "COMMENT#20261125T000000000000Zabcdef01"}, "sk": {"S": "COMMENT"}}
    images = {name: {**keys, "status": {"S": status}}
              for name, status in (("OldImage", old), ("NewImage", new)) if status}  # fmt: skip
    return {"eventName": "MODIFY" if old and new else "INSERT", "dynamodb": {"Keys": keys, **images}}


def test_render_wakes_on_public_comments_only(template: Template) -> None:
    (event,) = template.function("RenderFunction").events
    patterns = filter_patterns(event)

    def wakes(old: str | None, new: str | None) -> bool:
        return any(pattern_matches(p, _comment_record(old, new)) for p in patterns)

    assert wakes(None, "approved")  # a returning commenter's comment
    assert wakes("pending", "approved") and wakes("approved", "spam") and wakes("approved", "approved")
    assert not wakes(None, "pending") and not wakes(None, "spam") and not wakes("pending", "trash")
    wake = _waker(template, "RenderFunction")
    for pk, sk in [("ARTICLE#gempa", "COMMENTS"), ("COMMENTER#ab", "COMMENTER"), ("NETWORK#cd", "NETWORK"),
                   ("DUPLICATE#ef", "DUPLICATE")]:  # fmt: skip
        assert not wake(pk, sk), (pk, sk)


def test_the_api_access_log_records_no_address(template: Template) -> None:
    """Commenters are promised their IP is stored only as a keyed hash."""
    (api,) = template.of_type("AWS::Serverless::Api").values()
    log_format = api["Properties"]["AccessLogSetting"]["Format"]
    assert "sourceIp" not in log_format and "$context.requestId" in log_format


def test_checkov_skips_all_give_a_reason(template: Template) -> None:
    for logical_id, resource in template.resources.items():
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
            assert len(skip.get("comment", "")) > 20, f"{logical_id} skips {skip['id']} without a reason"


@pytest.mark.parametrize("function", FUNCTIONS)
def test_handler_imports_stay_lean(template: Template, function: str) -> None:
    """Heavy libraries only where used; boto3 only when a client is first needed."""
    spec = template.function(function)
    code = (
        "import json, sys, importlib.util\n"
        f"sys.path.insert(0, {str(spec.code_uri)!r})\n"
        f"s = importlib.util.spec_from_file_location('app', {str(spec.handler_file)!r})\n"
        "m = importlib.util.module_from_spec(s); s.loader.exec_module(m)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules = set(json.loads(result.stdout))
    imported = {name.split(".")[0] for name in modules}
    # Powertools imports the bare botocore package (under 1 ms) for its user agent;
    # boto3 and botocore's client machinery (150-230 ms) wait for the first client.
    assert "boto3" not in imported
    assert not modules & {"botocore.session", "botocore.client", "botocore.endpoint"}
    publishing_only = {"markdown", "nh3", "yaml"}
    if function == "PublishFunction":
        assert {"markdown", "nh3"} <= imported  # yaml loads on the first Markdown file
    else:
        assert not imported & publishing_only
