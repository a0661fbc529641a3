"""`kabar ops failures` and `kabar ops replay` on moto, with the real handlers: a publish that
failed five times, a render that failed six times, and stream records DispatchFunction could not
hand on, listed with what they concern, then replayed (from the table's current state)."""

from __future__ import annotations

import argparse
import json

import pytest
from botocore.stub import Stubber

from kabar.table import keys
from kabar_infra.cli import ops
from kabar_infra.cli.failures import describe, stream_failure
from tests.support.app import App, article_file
from tests.support.failures import (
    break_rendering,
    break_stage_queue,
    captured_logs,
    distribution,
    failed_publish,
    invalidated,
    queue_size,
    retry_at_once,
)


def target(app: App) -> ops.Target:
    return app.ops_target()  # type: ignore[no-any-return]


def run(app: App, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    ops.add_commands(parser.add_subparsers(dest="command"))
    capsys.readouterr()
    code = ops.run(parser.parse_args(["ops", *argv]), target(app))
    # What the command printed, without the log lines of the functions it invoked in this process.
    printed = [line for line in capsys.readouterr().out.splitlines(keepends=True) if not line.startswith("{")]
    return code, "".join(printed)


def test_a_failed_publish_is_listed_then_redriven(app: App, capsys: pytest.CaptureFixture[str]) -> None:
    upload_id = failed_publish(app)
    code, out = run(app, capsys, "failures", "--stage", "publish")
    assert code == 0
    assert out.splitlines()[0] == "publish (PublishDeadLetterQueue): 1 messages"
    assert (
        f"- upload {upload_id} (uploads/{upload_id}/a.md, version " in out and "): pending, by editor1" in out
    )
    assert app.status(upload_id)["state"] == "pending"

    code, out = run(app, capsys, "replay", "publish")
    assert code == 0 and out.startswith("moved 1 messages to PublishQueue")
    app.router.drain()
    assert app.status(upload_id)["state"] == "published"
    assert app.document("v1/articles/terbit-setelah-diulang.json") is not None
    assert queue_size(app, "PublishDeadLetterQueue") == 0
    # Replaying again finds nothing and changes nothing.
    before = app.table_items()
    assert run(app, capsys, "replay", "publish")[1].startswith("moved 0 messages")
    assert app.table_items() == before


def test_a_failed_render_is_listed_then_redriven(app: App, capsys: pytest.CaptureFixture[str]) -> None:
    app.upload("a.md", article_file(title="Banjir Rendam Kampung Melayu", tags=["Banjir"]))
    retry_at_once(app, "RenderQueue")
    restore = break_rendering(app)
    upload_id = app.upload("b.md", article_file(title="Gempa Guncang Garut", tags=["Gempa"]))
    depth = queue_size(app, "RenderDeadLetterQueue")
    assert depth >= 2  # the article's change and its tags' change, each tried six times
    code, out = run(app, capsys, "failures", "--stage", "render")
    assert code == 0 and out.startswith(f"render (RenderDeadLetterQueue): {depth} messages")
    slug = "gempa-guncang-garut"
    assert f"- article {slug} (article changed) [correlation {upload_id}]" in out
    assert f"- article {slug} (tags changed) [correlation {upload_id}]" in out
    key = keys.article(slug)
    assert f"a change from the stream (INSERT of {key['pk']} / {key['sk']}, sequence " in out

    # Still broken: the messages go back, fail six times more, and are set aside again.
    assert run(app, capsys, "replay", "render")[1].startswith(f"moved {depth} messages to RenderQueue")
    app.router.drain()
    assert queue_size(app, "RenderDeadLetterQueue") == depth

    app.s3.create_bucket(**restore)
    code, out = run(app, capsys, "replay", "render")
    assert code == 0 and out.startswith(f"moved {depth} messages to RenderQueue")
    app.router.drain()
    assert queue_size(app, "RenderDeadLetterQueue") == 0
    document = app.document(f"v1/articles/{slug}.json")
    assert document is not None and document["title"] == "Gempa Guncang Garut"
    assert slug in [a["slug"] for a in app.document("v1/latest.json")["articles"]]  # type: ignore[index]
    assert slug in [a["slug"] for a in app.document("v1/tags/gempa.json")["articles"]]  # type: ignore[index]
    assert app.status(upload_id)["live"] is True


def test_records_the_dispatch_could_not_hand_on_are_listed_then_replayed_from_current_state(
    app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    app.upload("a.md", article_file(title="Banjir Rendam Kampung Melayu", tags=["Banjir"]))
    restore = break_stage_queue(app, "RenderQueue")
    upload_id = app.upload("b.md", article_file(title="Gempa Guncang Garut", tags=["Gempa"]))
    assert queue_size(app, "DispatchFailureQueue") >= 1
    code, out = run(app, capsys, "failures", "--stage", "dispatch")
    assert code == 0 and out.startswith("dispatch (DispatchFailureQueue): ")
    slug = "gempa-guncang-garut"
    assert f"- article {slug} (CURRENT, INSERT) [correlation {upload_id}]" in out
    assert f"- article {slug} (TAGS, INSERT) [correlation {upload_id}]" in out
    assert "expired" not in out

    # Still broken: the replay fails, says so, and leaves the queue as it was.
    depth = queue_size(app, "DispatchFailureQueue")
    assert run(app, capsys, "replay", "dispatch")[0] == 2
    assert queue_size(app, "DispatchFailureQueue") == depth

    restore()
    code, out = run(app, capsys, "replay", "dispatch")
    assert code == 0 and out.startswith("dispatch: replayed ")
    app.router.drain()
    assert queue_size(app, "DispatchFailureQueue") == 0
    document = app.document(f"v1/articles/{slug}.json")
    assert document is not None and document["title"] == "Gempa Guncang Garut"
    assert slug in [a["slug"] for a in app.document("v1/tags/gempa.json")["articles"]]  # type: ignore[index]
    assert app.status(upload_id)["live"] is True


def test_refused_invalidations_are_set_aside_listed_then_redriven(
    app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    queue = app.stack.ref("InvalidationQueue")
    app.session.client("sqs").set_queue_attributes(QueueUrl=queue, Attributes={"VisibilityTimeout": "0"})
    app.environments["InvalidateFunction"]["DISTRIBUTION_ID"] = "ENOSUCHDISTRIBUTION"
    app.upload("a.md", article_file(title="Harga Cabai Naik", slug="harga-cabai-naik"))
    refused = [d for d in app.router.deliveries if d.function == "InvalidateFunction"]
    assert refused and all(d.failures == d.records for d in refused)
    # Each render of the article queued its path; each message was tried ten times (maxReceiveCount).
    queued = queue_size(app, "InvalidationDeadLetterQueue")
    assert queued >= 1 and sum(d.records for d in refused) == 10 * queued
    assert app.document("v1/articles/harga-cabai-naik.json") is not None  # the render itself succeeded

    code, out = run(app, capsys, "failures", "--stage", "invalidation")
    assert code == 0
    assert out.splitlines()[0] == f"invalidation (InvalidationDeadLetterQueue): {queued} messages"
    assert "- path /v1/articles/harga-cabai-naik.json" in out

    distribution_id = distribution(app.session)
    app.environments["InvalidateFunction"]["DISTRIBUTION_ID"] = distribution_id
    code, out = run(app, capsys, "replay", "invalidation")
    assert code == 0 and out.startswith(f"moved {queued} messages to InvalidationQueue")
    app.router.drain()
    done = invalidated(app.session, distribution_id)
    assert done and all(paths == ["/v1/articles/harga-cabai-naik.json"] for paths in done)
    assert queue_size(app, "InvalidationDeadLetterQueue") == 0


def test_a_replay_by_slug_needs_no_stream_records(app: App, capsys: pytest.CaptureFixture[str]) -> None:
    app.upload("a.md", article_file(title="Gempa Guncang Garut"))
    path = "v1/articles/gempa-guncang-garut.json"
    app.s3.delete_object(Bucket=app.site_bucket, Key=path)
    code, out = run(app, capsys, "replay", "render", "--slug", "gempa-guncang-garut")
    assert code == 0 and out.splitlines()[0] == "render: replayed 2 items with RenderFunction"
    assert app.document(path) is not None
    before = app.table_items()
    run(app, capsys, "replay", "tagging", "--slug", "gempa-guncang-garut")  # idempotent: nothing changes
    assert app.table_items() == before


def test_a_failure_whose_records_expired_says_what_its_message_names(app: App) -> None:
    """moto never trims a stream; DynamoDB Streams answers TrimmedDataAccessException after 24 hours."""
    streams = app.session.client("dynamodbstreams")
    first, last = "4421584500000000017450439091", "4421584500000000017450439093"
    info = {"shardId": "shardId-00000001700000000000-abcdef12", "startSequenceNumber": first,
            "endSequenceNumber": last, "batchSize": 3, "streamArn": "arn:aws:dynamodb:x:1:table/t/stream/s",
            "approximateArrivalOfFirstRecord": "2026-11-29T08:00:00Z",
            "approximateArrivalOfLastRecord": "2026-11-29T08:00:01Z"}  # fmt: skip
    message = {"MessageId": "m1", "ReceiptHandle": "r", "Body": json.dumps({"DDBStreamBatchInfo": info})}
    with Stubber(streams) as stub:
        stub.add_client_error("get_shard_iterator", "TrimmedDataAccessException")
        failure = stream_failure("dispatch", message, streams)
    assert failure.expired and failure.keys == []
    assert failure.names == (f"shard shardId-00000001700000000000-abcdef12, sequence {first}..{last} "
                             "(3 records, arrived 2026-11-29T08:00:00Z..2026-11-29T08:00:01Z)")  # fmt: skip
    assert "kabar ops replay dispatch --slug" in "\n".join(describe(failure))


def test_on_a_deployed_stack_the_publish_dlq_is_redriven_by_sqs(app: App) -> None:
    """StartMessageMoveTask (moto 5.2.5 does not implement it: the request is checked instead)."""
    deployed = target(app)
    deployed.local = False
    sqs = deployed.client("sqs")
    arn = "arn:aws:sqs:us-east-1:123456789012:"
    with Stubber(sqs) as stub:
        for name in ("dlq", "queue"):
            stub.add_response("get_queue_attributes", {"Attributes": {"QueueArn": arn + name}})
        stub.add_response("start_message_move_task", {"TaskHandle": "h" * 40},
                          {"SourceArn": arn + "dlq", "DestinationArn": arn + "queue"})  # fmt: skip
        assert ops.replay_dead_letters(deployed, "publish").startswith("redrive started")
        stub.assert_no_pending_responses()


def test_after_the_stream_dropped_the_records_the_functions_error_lines_name_them(
    app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    """On AWS after 24 hours: Streams answers TrimmedDataAccessException (moto never trims), and
    DispatchFunction's ERROR lines (the real ones, put in its log group as Lambda would) name the items."""
    import time

    restore = break_stage_queue(app, "RenderQueue")
    with captured_logs() as logs:
        upload_id = app.upload("b.md", article_file(title="Gempa Guncang Garut", tags=["Gempa"]))
    deployed = target(app)
    deployed.local = False
    group = deployed.resources["DispatchLogGroup"]
    cloudwatch = deployed.client("logs")
    cloudwatch.create_log_group(logGroupName=group)
    cloudwatch.create_log_stream(logGroupName=group, logStreamName="2026/12/01/[$LATEST]abc")
    now = int(time.time() * 1000)
    cloudwatch.put_log_events(logGroupName=group, logStreamName="2026/12/01/[$LATEST]abc", logEvents=[
        {"timestamp": now, "message": line} for line in logs.getvalue().splitlines()])  # fmt: skip
    streams = deployed.client("dynamodbstreams")
    restore()
    with Stubber(streams) as stub:
        for _ in range(2 * queue_size(app, "DispatchFailureQueue")):  # listed, then listed again to replay
            stub.add_client_error("get_shard_iterator", "TrimmedDataAccessException")
        capsys.readouterr()
        ops.run(argparse.Namespace(ops_command="failures", stage=["dispatch"], json=False), deployed)
        out = capsys.readouterr().out
        assert "ERROR log lines name them" in out
        slug = "gempa-guncang-garut"
        assert f"- article {slug} (CURRENT, INSERT, from the function's log) [correlation {upload_id}]" in out
        lines = ops.replay_stage(deployed, "dispatch", [])
    assert lines[0].startswith("dispatch: replayed ") and not [line for line in lines if "left" in line]
    app.router.drain()
    assert queue_size(app, "DispatchFailureQueue") == 0
    assert app.document(f"v1/articles/{slug}.json") is not None
    assert slug in [a["slug"] for a in app.document("v1/tags/gempa.json")["articles"]]  # type: ignore[index]
