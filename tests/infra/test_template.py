"""template.yaml: the wiring the local stack, the tests and `sam deploy` all read."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from kabar.dispatch import RELATED, RENDER, TAGGING, routes
from kabar.events import table_change
from kabar.table import keys
from kabar.table.codec import to_item
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
    "RelatedFunction", "CommentsFunction", "ModerationFunction", "InvalidateFunction", "DispatchFunction",
    "ImagesFunction", "AnnounceFunction", "WebhooksFunction",
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


def test_uploads_reach_the_publish_queue_and_images_the_images_queue(template: Template) -> None:
    bucket = template.resources["IncomingBucket"]["Properties"]
    articles, images = bucket["NotificationConfiguration"]["QueueConfigurations"]
    for notification, prefix, function in ((articles, "uploads/", "PublishFunction"),
                                           (images, "images/", "ImagesFunction")):  # fmt: skip
        assert notification["Event"] == "s3:ObjectCreated:*"
        assert notification["Filter"]["S3Key"]["Rules"] == [{"Name": "prefix", "Value": prefix}]
        queue = template.function(function).events[0].properties["Queue"]
        assert _ref(notification["Queue"]) == _ref(queue)
    assert bucket["VersioningConfiguration"]["Status"] == "Enabled"


def test_every_function_logs_to_its_own_group_with_retention(template: Template) -> None:
    for logical_id, resource in template.of_type("AWS::Serverless::Function").items():
        group = _ref(resource["Properties"]["LoggingConfig"]["LogGroup"])
        assert template.resources[group]["Type"] == "AWS::Logs::LogGroup", logical_id
        assert "RetentionInDays" in template.resources[group]["Properties"]


def _stream_record(key: dict[str, str]) -> dict[str, Any]:
    item = to_item(key)
    return {"eventName": "MODIFY", "dynamodb": {"Keys": item, "NewImage": item}}


STAGE_OF = {"TaggingFunction": TAGGING, "RelatedFunction": RELATED, "RenderFunction": RENDER}


def _reaches(template: Template, function: str, record: dict[str, Any]) -> bool:
    """Whether a stream record reaches a stage: DispatchFunction's FilterCriteria let it through
    (the only reader of the stream), and its change is routed to the stage's queue."""
    (event,) = template.function("DispatchFunction").events
    if not any(pattern_matches(p, record) for p in filter_patterns(event)):
        return False
    return STAGE_OF[function] in routes(table_change(record))


def _waker(template: Template, function: str) -> Any:
    return lambda key: _reaches(template, function, _stream_record(key))


def test_render_wakes_on_articles_and_tags_and_never_on_its_own_writes(template: Template) -> None:
    wakes = _waker(template, "RenderFunction")
    assert wakes(keys.article("gempa"))
    assert wakes(keys.article_tags("gempa"))
    assert wakes(keys.related("gempa"))  # its related list changed
    assert not wakes(keys.rendered("gempa"))  # RenderFunction's own marker
    assert not wakes(keys.listed_by("gempa", "banjir"))
    assert not wakes(keys.unlist_progress("gempa"))
    assert not wakes(keys.version("gempa", 1))
    assert not wakes(keys.membership("gempa", "suriah"))
    assert not wakes(keys.tag_stats("suriah"))
    assert not wakes(keys.upload("abc"))


def test_tagging_wakes_on_content_and_never_on_its_own_writes(template: Template) -> None:
    wakes = _waker(template, "TaggingFunction")
    assert wakes(keys.article("gempa"))
    own_and_others = [
        (keys.article_tags("gempa")), (keys.membership("gempa", "suriah")), (keys.tag_stats("suriah")),
        (keys.rendered("gempa")), (keys.vocabulary("suriah")),
    ]  # fmt: skip
    for key in own_and_others:
        assert not wakes(key), key


def test_related_wakes_on_tags_and_its_unlisting_progress_only(template: Template) -> None:
    wakes = _waker(template, "RelatedFunction")
    assert wakes(keys.article_tags("gempa"))
    assert wakes(keys.unlist_progress("gempa"))  # the next chunk of an unlisting
    for key in [
        (keys.article("gempa")),
        (keys.related("gempa")),
        (keys.listed_by("gempa", "x")),
        (keys.membership("gempa", "suriah")),
        (keys.category_membership("gempa")),
        (keys.tag_stats("suriah")),
    ]:
        assert not wakes(key), key
    removed = {
        "eventName": "REMOVE",
        "dynamodb": {"Keys": to_item(keys.unlist_progress("gempa"))},
    }
    assert not _reaches(template, "RelatedFunction", removed)


def _vocab_record(status: str) -> dict[str, Any]:
    key = to_item(keys.vocabulary("hizbulah"))
    return {"eventName": "MODIFY", "dynamodb": {"Keys": key, "NewImage": {**key, "status": {"S": status}}}}


def test_a_merge_wakes_tagging_and_render_and_other_vocabulary_changes_do_not(template: Template) -> None:
    for function in ("TaggingFunction", "RenderFunction"):
        assert _reaches(template, function, _vocab_record("merged")), function
        assert not _reaches(template, function, _vocab_record("active")), function
    assert _waker(template, "TaggingFunction")(keys.merge_progress("hizbulah"))  # the next chunk of a merge
    assert not _waker(template, "RenderFunction")(keys.merge_progress("hizbulah"))


def _comment_record(old: str | None, new: str | None) -> dict[str, Any]:
    key = to_item(keys.comment("20261125T000000000000Zabcdef01"))
    images = {name: {**key, "status": {"S": status}, "slug": {"S": "gempa"}, "seq": {"N": "3"}}
              for name, status in (("OldImage", old), ("NewImage", new)) if status}  # fmt: skip
    return {"eventName": "MODIFY" if old and new else "INSERT", "dynamodb": {"Keys": key, **images}}


def test_render_wakes_on_public_comments_only(template: Template) -> None:
    def wakes(old: str | None, new: str | None) -> bool:
        return _reaches(template, "RenderFunction", _comment_record(old, new))

    assert wakes(None, "approved")  # a returning commenter's comment
    assert wakes("pending", "approved") and wakes("approved", "spam") and wakes("approved", "approved")
    assert not wakes(None, "pending") and not wakes(None, "spam") and not wakes("pending", "trash")
    wake = _waker(template, "RenderFunction")
    for key in [(keys.comment_counter("gempa")), (keys.commenter("ab")), (keys.network("cd")),
                   (keys.duplicate("ef"))]:  # fmt: skip
        assert not wake(key), key


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
    """Heavy libraries only where used; botocore's client machinery only when a client is first needed
    (boto3 never: kabar.aws makes botocore's clients itself). benchmarks/cold_start.py measures it."""
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
    # botocore's client machinery (about 100 ms with a client) waits for the first client.
    assert "boto3" not in imported
    assert not modules & {"botocore.session", "botocore.client", "botocore.endpoint"}
    assert "PIL" not in imported  # Pillow is for the photos' variants only (kabar.images.variants)
    publishing_only = {"markdown", "nh3", "yaml"}
    if function == "PublishFunction":
        assert {"markdown", "nh3"} <= imported  # yaml loads on the first Markdown file
    else:
        assert not imported & publishing_only
    # Powertools' batch utility brings asyncio and every event data class (kabar.batch does its work).
    assert "aws_lambda_powertools.utilities.batch" not in modules
    # No function imports Powertools' event handlers (every resolver, asyncio through the AppSync one):
    # API Gateway routes, and kabar.rest calls the handler bound to the event's route.
    assert not modules & {"asyncio", "aws_lambda_powertools.event_handler"}
    if any(event.type == "Api" for event in spec.events):
        # the stream's typed changes and the public documents' models are not the API's
        assert not modules & {"kabar.events", "kabar.documents"}
    # pydantic validates the API's bodies, imported when one is read (the API functions' routes are
    # kabar.routing declarations); kabar.submissions checks editors' files itself. Kabar's own records
    # and documents (kabar.models, kabar.documents) are plain dataclasses.
    assert "pydantic" not in imported and "pydantic_core" not in imported
    # The promotion rules load with the first comment the intake (or the CLI) reads, not with a handler.
    assert not modules & {"kabar.text.promotion", "kabar.text.disguise"}
    # Stores and the site bucket are imported when first used (kabar.deps, kabar.table).
    assert not modules & {"kabar.site", "kabar.table.lists", "kabar.table.comments", "kabar.table.related"}
