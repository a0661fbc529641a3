"""Event parsing and key helpers."""

from __future__ import annotations

import json

import pytest

from kabar.claims import claim_groups
from kabar.documents import month_of
from kabar.events import s3_objects
from kabar.table.keys import utc_stamp
from kabar.workflows.publish import NotAnUpload, parse_upload_key
from kabar.workflows.uploads import safe_filename
from tests.support.events import sample


def test_s3_notification_keys_are_url_decoded() -> None:
    event = sample("s3")
    event["Records"][0]["s3"]["object"]["key"] = "uploads%2Fabc%2Fberita+baru%21.md"
    (created,) = s3_objects(json.dumps(event))
    assert created.key == "uploads/abc/berita baru!.md"
    assert created.bucket == event["Records"][0]["s3"]["bucket"]["name"]


def test_s3_test_events_announce_nothing() -> None:
    assert s3_objects(json.dumps({"Service": "Amazon S3", "Event": "s3:TestEvent"})) == []


@pytest.mark.parametrize(
    ("claims", "groups"),
    [
        ({"cognito:groups": "editors"}, {"editors"}),
        ({"cognito:groups": "editors,moderators"}, {"editors", "moderators"}),
        ({"cognito:groups": "[editors moderators]"}, {"editors", "moderators"}),
        ({"cognito:groups": ["editors"]}, {"editors"}),
        ({}, set()),
    ],
)
def test_claim_groups_in_every_shape_api_gateway_sends(claims: dict[str, object], groups: set[str]) -> None:
    assert claim_groups(claims) == groups


def test_upload_keys() -> None:
    assert parse_upload_key("uploads/abc/x.md") == ("abc", "x.md")
    for key in ("uploads/x.md", "other/abc/x.md", "uploads/abc/d/x.md", "uploads//x.md"):
        with pytest.raises(NotAnUpload):
            parse_upload_key(key)


def test_safe_filenames() -> None:
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("C:\\berita\\Gempa Garut (1).md") == "Gempa-Garut-1.md"
    assert safe_filename("...") == "upload"
    assert safe_filename("日本.md") == "upload.md"  # the extension is kept, whatever the name
    assert safe_filename("laporan") == "laporan"


def test_months_and_stamps_are_utc() -> None:
    from datetime import datetime, timedelta, timezone

    wib = timezone(timedelta(hours=7))
    moment = datetime(2026, 12, 1, 5, 0, tzinfo=wib)  # still November in UTC
    assert month_of(moment) == "2026-11"
    assert utc_stamp(moment) == "2026-11-30T22:00:00Z"
