"""``kabar related compute``: lines in, related lists out, with RelatedFunction's code and no AWS."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kabar.text.relatedness import DEFAULT_MIN_SCORE
from kabar_infra.cli.main import main

STORY = "Banjir Kali Ciliwung merendam rumah warga Kampung Melayu, BPBD DKI Jakarta mengevakuasi pengungsi."
FOOTBALL = "Timnas Indonesia menang atas Vietnam di Gelora Bung Karno."
LINES = [
    {"id": "a", "title": "Banjir Rendam Kampung Melayu", "body": STORY,
     "published_at": "2026-11-10T07:00:00+07:00"},
    {"id": "b", "title": "Pengungsi Banjir Kampung Melayu Sakit", "body": STORY,
     "published_at": "2026-11-11T07:00:00Z"},
    {"id": "c", "title": "Timnas Kalahkan Vietnam", "body": FOOTBALL, "category": "Olahraga"},
    {"id": "d", "title": "Banjir Kiriman Ancam Kampung Melayu", "body": STORY,
     "tags": ["Banjir", "Kampung Melayu"]},
]  # fmt: skip


def run(
    tmp_path: Path, lines: list[dict[str, object]], capsys: pytest.CaptureFixture[str], *extra: str
) -> int:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return main(["related", "compute", str(source), *extra])


def test_each_line_gets_its_related_ids_and_scores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path, LINES, capsys) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in out] == ["a", "b", "c", "d"]  # input order
    related = {line["id"]: [r["id"] for r in line["related"]] for line in out}
    assert set(related["a"]) == {"b", "d"} and set(related["b"]) == {"a", "d"}
    assert related["c"] == []
    assert all(r["score"] >= DEFAULT_MIN_SCORE for line in out for r in line["related"])
    assert run(tmp_path, LINES, capsys, "-k", "1") == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert all(len(line["related"]) <= 1 for line in out)


def test_bad_lines_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, [{"id": "x"}], capsys) == 2
    assert "line 1: needs at least an id and a title" in capsys.readouterr().err
    assert run(tmp_path, [{"id": "x", "title": "A", "published_at": "kemarin"}], capsys) == 2
    assert "line 1: published_at 'kemarin' is not an ISO 8601 time" in capsys.readouterr().err
