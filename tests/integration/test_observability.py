"""What ops see: the version an event names is the one published, logs that follow one upload from
request to documents (its correlation id), ERROR lines that name the record, and the metrics (EMF)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest

from kabar.table import keys
from tests.support.app import App, article_file
from tests.support.failures import break_rendering, captured_logs, failed_publish


@pytest.fixture
def logs() -> Iterator[io.StringIO]:
    with captured_logs() as out:
        yield out


def _lines(captured: str) -> list[dict[str, Any]]:
    lines = []
    for line in captured.splitlines():
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            lines.append(value)
    return lines


def _metrics(lines: list[dict[str, Any]]) -> list[tuple[str, str, float, dict[str, str]]]:
    """Every metric in the EMF documents: (namespace, name, value, dimensions)."""
    found = []
    for line in lines:
        for directive in line.get("_aws", {}).get("CloudWatchMetrics", []):
            dimensions = {name: line[name] for group in directive["Dimensions"] for name in group}
            for definition in directive["Metrics"]:
                value = line[definition["Name"]]
                for one in value if isinstance(value, list) else [value]:
                    found.append((directive["Namespace"], definition["Name"], float(one), dimensions))
    return found


def test_publish_reads_the_version_its_event_names(app: App) -> None:
    _, ticket = app.api("POST", "/uploads", {"filename": "a.md"})
    key = ticket["upload"]["fields"]["key"]
    first = app.s3.put_object(Bucket=app.incoming_bucket, Key=key, Body=article_file(title="Versi Pertama"))
    # The same ticket used again at once: by the time the first event is handled, the key holds this.
    app.s3.put_object(Bucket=app.incoming_bucket, Key=key, Body=article_file(title="Versi Kedua Menimpa"))
    app.router.drain()
    status = app.status(ticket["upload_id"])
    assert status["state"] == "published" and status["article"]["slug"] == "versi-pertama"
    assert app.document("v1/articles/versi-pertama.json") is not None
    assert app.document("v1/articles/versi-kedua-menimpa.json") is None
    versions = app.s3.list_object_versions(Bucket=app.incoming_bucket, Prefix=key)["Versions"]
    assert len(versions) == 2 and first["VersionId"] in {v["VersionId"] for v in versions}  # both kept


def test_one_upload_is_followed_by_its_correlation_id_from_request_to_render(
    app: App, logs: io.StringIO
) -> None:
    upload_id = app.upload("a.md", article_file(title="Banjir Rendam Kampung Melayu", tags=["Banjir"]))
    lines = _lines(logs.getvalue())
    requested = [line for line in lines if line["message"] == "upload requested"]
    # The request's line has API Gateway's request id and the upload id, which the rest carry.
    assert requested and requested[0]["upload_id"] == upload_id and requested[0]["correlation_id"]
    chain = {line["function_name"] for line in lines if line.get("correlation_id") == upload_id}
    assert {"PublishFunction", "TaggingFunction", "RelatedFunction", "RenderFunction"} <= chain, chain
    rendered = [line for line in lines if line["function_name"] == "RenderFunction"
                and line["message"] == "rendered"]  # fmt: skip
    assert any(upload_id in line["correlation_ids"] for line in rendered)
    # Every item written on the way carries it, so the next stage can log it.
    items = {(i["pk"]["S"], i["sk"]["S"]): i.get("correlation_id", {}).get("S") for i in app.table_items()}
    slug = "banjir-rendam-kampung-melayu"
    for key in (keys.article(slug), keys.article_tags(slug), keys.related(slug), keys.rendered(slug)):
        assert items.get((key["pk"], key["sk"])) == upload_id, key


def test_metrics_for_what_ops_watch(app: App, capfd: pytest.CaptureFixture[str]) -> None:
    capfd.readouterr()
    app.upload("a.md", article_file(title="Gempa Guncang Garut"))
    app.upload("b.md", b"---\ntitle: ''\nwarna: merah\n---\nIsi.\n")
    found = _metrics(_lines(capfd.readouterr().out))
    namespaces = {namespace for namespace, *_ in found}
    assert namespaces == {f"Kabar/{app.stack.name}"}
    by_name = {(name, tuple(sorted(dims.items()))): value for _, name, value, dims in found}
    assert by_name[("ArticlesPublished", (("service", "publish"),))] == 1
    assert by_name[("UploadsRejected", (("service", "publish"),))] == 1
    reasons = {dims["Reason"] for _, name, _, dims in found if name == "RejectionReasons"}
    assert reasons == {"title", "other"}  # an empty title, and a field the editor made up
    renders = [(value, dims) for _, name, value, dims in found if name == "RenderTime"]
    assert renders and all(value > 0 and dims == {"service": "render"} for value, dims in renders)
    assert sum(value for _, name, value, _ in found if name == "DocumentsWritten") >= 3


def test_comment_verdicts_are_counted(stack: Any, template: Any, capfd: pytest.CaptureFixture[str]) -> None:
    app = App(template, stack, {"COMMENT_FLOOD_SECONDS": "0", "COMMENT_NETWORK_LIMIT": "1000"})
    app.upload("a.md", article_file(title="Banjir Rendam Kampung Melayu"))
    slug = "banjir-rendam-kampung-melayu"
    capfd.readouterr()
    ani = {"name": "Ani", "email": "ani@example.id", "content": "Semoga lekas surut."}
    assert app.api("POST", f"/articles/{slug}/comments", ani, groups=None)[0] == 201
    spam = {"name": "Budi", "email": "b@example.id", "content": "Judi online, slot gacor!", "honeypot": "x"}
    app.api("POST", f"/articles/{slug}/comments", spam, groups=None)
    assert app.api("POST", f"/articles/{slug}/comments", ani, groups=None)[0] == 409
    found = _metrics(_lines(capfd.readouterr().out))
    verdicts = sorted(dims["Verdict"] for _, name, _, dims in found if name == "Comments")
    assert verdicts == ["pending", "spam"]
    refused = [dims["Reason"] for _, name, _, dims in found if name == "CommentsRefused"]
    assert refused == ["duplicate"]


def test_a_crash_logs_at_error_with_the_record_it_concerns(
    app: App, logs: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    import sys

    from kabar_infra.local.functions import load_handler

    handler = load_handler(app.template.function("TaggingFunction"))
    monkeypatch.setattr(sys.modules[handler.__module__], "tag_article", broken)
    upload_id = app.upload("a.md", article_file(title="Akan Gagal Ditandai"))
    errors = [line for line in _lines(logs.getvalue()) if line.get("level") == "ERROR"]
    tagging_errors = [line for line in errors if line["function_name"] == "TaggingFunction"]
    assert tagging_errors, errors
    line = tagging_errors[0]
    assert line["message"] == "tagging failed" and "RecursionError" in line["exception"]
    assert {"pk": line["pk"], "sk": line["sk"]} == keys.article("akan-gagal-ditandai")
    assert line["sequence_number"] and line["correlation_id"] == upload_id


def test_render_and_publish_failures_log_each_record_at_error(app: App, logs: io.StringIO) -> None:
    break_rendering(app)
    upload_id = app.upload("a.md", article_file(title="Gempa Guncang Garut"))
    errors = [line for line in _lines(logs.getvalue()) if line["level"] == "ERROR"]
    records = [line for line in errors if line["message"] == "rendering failed for a record"]
    named = {(line["pk"], line["sk"], line["correlation_id"]) for line in records}
    slug = "gempa-guncang-garut"
    for key in (keys.article(slug), keys.article_tags(slug), keys.related(slug)):
        assert (key["pk"], key["sk"], upload_id) in named, key
    assert all(line["sequence_number"] and line["event_name"] for line in records)
    assert any(line["message"] == "render failed" and "exception" in line for line in errors)  # the cause

    failed = failed_publish(app)
    publish = [line for line in _lines(logs.getvalue()) if line["message"] == "publishing an upload failed"]
    assert len(publish) == 5  # each receive before the dead-letter queue
    assert {line["correlation_id"] for line in publish} == {failed}
    assert all(line["key"] == f"uploads/{failed}/a.md" and line["version_id"] for line in publish)
    # the cause: the stored upload's state is not one an upload has
    assert all("'lost' is not a valid UploadState" in line["exception"] for line in publish)
