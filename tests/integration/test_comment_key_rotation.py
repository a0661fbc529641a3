"""Rotating the comment secret on moto's Secrets Manager: the rotation window, and a warm
CommentsFunction that picks up the new version within a minute."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import boto3
import pytest

from kabar import aws, deps
from kabar.keyring import Keyring
from kabar_infra.cli import keys
from kabar_infra.cli.main import main
from kabar_infra.local.functions import environment, load_handler
from kabar_infra.provision import Stack
from kabar_infra.template import Template
from tests.support.app import App, article_file
from tests.support.comments import post, stored


def comment(name: str, content: str = "") -> dict[str, str]:
    return {"name": name, "email": f"{name.lower()}@example.id", "content": content or f"Dari {name}."}


@pytest.fixture
def app(stack: Stack, template: Template) -> App:
    app = App(template, stack, {"COMMENT_FLOOD_SECONDS": "0", "COMMENT_NETWORK_LIMIT": "1000"})
    app.upload("a.md", article_file(title="Banjir Rendam Kampung Melayu", body="Air naik.\n"))
    for name in ("Ani", "Dewi"):  # known commenters before any rotation (key k1)
        status, body, _ = post(app, comment(name))
        assert status == 201, body
        approved, _ = app.api("POST", f"/comments/{body['id']}/approve", groups="moderators", user="mod")
        assert approved == 200
    return app


@pytest.fixture
def warm(app: App) -> Iterator[SimpleNamespace]:
    """CommentsFunction kept warm: one execution environment for every request (no reset)."""
    spec = app.template.function("CommentsFunction")
    handler = load_handler(spec)

    def invoke(function: str, event: dict[str, Any]) -> Any:
        assert function == "CommentsFunction"
        with environment(app.environments[function]):
            return json.loads(json.dumps(handler(json.loads(json.dumps(event)), _context())))

    deps.reset()
    yield SimpleNamespace(template=app.template, invoke=invoke)
    deps.reset()


def _context() -> Any:
    from kabar_infra.local.functions import LambdaContext

    return LambdaContext("CommentsFunction", 512, 10)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[float], None]:
    """Moves kabar.aws's monotonic clock on, as minutes pass in a warm environment."""
    offset = [0.0]
    real = aws._clock
    monkeypatch.setattr(aws, "_clock", lambda: real() + offset[0])

    def advance(seconds: float) -> None:
        offset[0] += seconds

    return advance


def hashes_of(app: App, name: str) -> list[str]:
    return [c["email_hash"].split(".")[0] for c in stored(app) if c["name"] == name]


def commenter_approved(app: App, email_hash: str) -> int:
    from kabar.table import keys as table_keys
    from kabar.table.codec import to_item

    key = to_item(table_keys.commenter(email_hash))
    item = app.dynamodb.get_item(TableName=app.stack.ref("ContentTable"), Key=key)
    return int(item["Item"]["approved"]["N"])


def test_during_the_window_known_commenters_are_recognised_and_a_warm_function_takes_the_new_key(
    app: App, warm: SimpleNamespace, clock: Callable[[float], None]
) -> None:
    secrets = boto3.client("secretsmanager", region_name=app.stack.region)
    arn = app.stack.ref("CommentSecret")
    assert post(warm, comment("Eko"))[1]["status"] == "awaiting moderation"  # warm now, on key k1
    keys.rotate(secrets, arn, window=timedelta(days=30), now=datetime.now(UTC))
    post(warm, comment("Fajar"))
    assert hashes_of(app, "Fajar") == ["k1"]  # within its minute, the warm function keeps the version it read
    clock(61)
    status, body, _ = post(warm, comment("Ani", "Sesudah rotasi."))
    assert (status, body["status"]) == (201, "published")  # known under k1, recognised during the window
    assert hashes_of(app, "Ani") == ["k1", "k2"]
    (new_hash,) = [
        c["email_hash"] for c in stored(app) if c["name"] == "Ani" and c["email_hash"].startswith("k2.")
    ]
    assert commenter_approved(app, new_hash) == 2  # the approved comment came along, and this one counts


def test_after_the_window_only_the_new_key_counts(
    app: App, warm: SimpleNamespace, clock: Callable[[float], None]
) -> None:
    secrets = boto3.client("secretsmanager", region_name=app.stack.region)
    arn = app.stack.ref("CommentSecret")
    rotated = keys.rotate(secrets, arn, window=timedelta(days=30), now=datetime.now(UTC))
    assert post(warm, comment("Ani", "Di dalam jendela."))[1]["status"] == "published"
    # The window ends (its end written as a past time: the function compares it with its clock).
    ended = rotated._replace(previous_until=datetime.now(UTC) - timedelta(seconds=1))
    secrets.put_secret_value(SecretId=arn, SecretString=ended.to_json())
    clock(61)
    assert post(warm, comment("Ani", "Sesudah jendela."))[1]["status"] == "published"  # moved to k2 in time
    # Dewi was approved under k1 only and did not come back during the window: a stranger now.
    status, body, _ = post(warm, comment("Dewi", "Sesudah jendela."))
    assert (status, body["status"]) == (201, "awaiting moderation")
    assert hashes_of(app, "Dewi") == ["k1", "k2"]


def test_the_rotation_command_keeps_the_previous_key_and_refuses_a_second_rotation_in_the_window(
    stack: Stack, capsys: pytest.CaptureFixture[str]
) -> None:
    secrets = boto3.client("secretsmanager", region_name=stack.region)
    arn = stack.ref("CommentSecret")
    before = Keyring.parse(secrets.get_secret_value(SecretId=arn)["SecretString"])
    assert before.current.id == "k1" and len(before.current.secret) == 64  # as the template generates it
    assert main(["ops", "rotate-comment-key", "--secret-id", arn, "--window-days", "7"]) == 0
    said = capsys.readouterr().out
    assert said.startswith("comment key rotated: k2 is current; k1 is still tried until ")
    assert before.current.secret.decode() not in said
    after = Keyring.parse(secrets.get_secret_value(SecretId=arn)["SecretString"])
    assert after.previous == before.current and after.current.id == "k2"
    assert after.current.secret != before.current.secret
    versions = secrets.list_secret_version_ids(SecretId=arn)["Versions"]
    assert sorted(stage for v in versions for stage in v["VersionStages"]) == ["AWSCURRENT", "AWSPREVIOUS"]
    assert main(["ops", "rotate-comment-key", "--secret-id", arn]) == 2
    assert "k1 is still tried until" in capsys.readouterr().err
    assert main(["ops", "rotate-comment-key", "--secret-id", arn, "--force"]) == 0
    assert Keyring.parse(secrets.get_secret_value(SecretId=arn)["SecretString"]).current.id == "k3"
