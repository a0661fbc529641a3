"""kabar.submissions checks an article's fields as the pydantic model did (tests.support.pydantic_article):
the same article or the same reasons, on thousands of generated files; and it closes that model's holes."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from kabar.models import FieldError
from kabar.submissions import FOCUS, ISO_TIME, check_article
from tests.support.pydantic_article import pydantic_answer

WIB = timezone(timedelta(hours=7))
ODD = [None, 5, 1.5, True, [], {}, ["a"], {"a": 1}, date(2026, 11, 24), datetime(2026, 11, 24, 9, tzinfo=WIB)]
TEXTS = ["", " ", "Judul", "  Judul Berita  ", "Café Ümit", "!!!", "a < b", "Skor 3<5", "<b>tebal</b>",
         "x <img src=x", "a\u200bb", "\u200b", "\u00ad", "a\x01b", "Ani\u202eSiregar", "\x1cJudul\x1c",
         "\u3000Judul\u3000", "baris\u2028dua", "\u00a0 ", "Judul\n", "&lt;b&gt;", "👍🏽 Berita",
         "\u2009Judul\u200a", "\x85x\u205f"]  # fmt: skip
CODES = ["AL", "ARN", "al", "A1", "1A", "AL/ARN/RM", "AL, RM", " AL ", "A" * 10, "A" * 11, "", "AL / rm", "Ä"]
GOOD_CODES = ["AL", "ARN", "A1", " AL ", "A" * 10]
SLUGS = ["a", "gempa-garut", "A", "-a", "a-", "a--b", " ab ", "ab\n", "", "a" * 80, "a" * 81, "é", "a_b"]
TIMES = [
    "2026-11-24T09:00:00+07:00", "2026-11-24T09:00:00Z", "2026-11-24t09:00:00z", "2026-11-24 09:00:00+0700",
    "2026-11-24_09:00Z", "2026-11-24T09:00", "2026-11-24T09:00:00", "2026-11-24", "2026-02-29",
    "2024-02-29T10:00Z", "2026-11-24T09:00:00.5+07:00", "2026-11-24T09:00:00,25Z",
    "2026-11-24T09:00:00.1234567Z", "2026-11-24T09:00:00.Z", "2026-11-24T24:00:00Z", "2026-11-24T09:60:00Z",
    "2026-11-24T09:00:60Z", "2026-11-24T09:00:00+24:00", "2026-11-24T09:00:00+23:59",
    "2026-11-24T09:00:00+07:60", "2026-11-24T09:00:00-00:00", "2026-11-24T09:00:00+07", "2026-11-24T09Z",
    "20261124T090000Z", "2026-1-4T09:00:00Z", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z",
    " 2026-11-24T09:00:00Z", "2026-11-24T09:00:00Z\n", "1700000000", " 12 ", "-1", "1.5",
    "\uff11\uff12", "kemarin", "", "2026-11-24T09:00:00.000Z",  # fullwidth digits are not a number
    datetime(2026, 11, 24, 9, 0), datetime(2026, 11, 24, 9, 0, 0, 500, tzinfo=WIB),
    datetime(2026, 1, 1, tzinfo=UTC), date(2026, 11, 24), 1700000000, 1.5, True, None, [],
]  # fmt: skip
CHOICES = ["draft", "published", "open", "closed", "OPEN", " draft", "", None, 1, ["draft"]]


def pick(rng: random.Random, pool: list[Any]) -> Any:
    return rng.choice(pool + ODD) if rng.random() < 0.15 else rng.choice(pool)


def text_value(rng: random.Random) -> Any:
    if rng.random() < 0.2:  # about a limit: tags 60, titles 300, datelines 100, authors 200, leads 2,000
        return rng.choice("xé ") * rng.choice([59, 60, 61, 99, 100, 101, 199, 200, 201, 299, 300, 301, 2001])
    return pick(rng, TEXTS)


def one_name(rng: random.Random) -> Any:
    """A byline's value as pydantic's rules knew it: not a list (a list of names is Kabar's alone,
    test_the_byline_is_one_name_or_a_list)."""
    value = text_value(rng)
    return "Ani Siregar" if isinstance(value, list | tuple) else value


def a_list(rng: random.Random, item: Any, good: list[str]) -> Any:
    """A list about its limit, of generated items or (a third of the time) of good ones only."""
    if rng.random() < 0.1:
        return pick(rng, ["AL/RM", "a", ""])
    size = rng.choice([0, 1, 2, 3, 9, 10, 11, 20, 21, 30, 31, 50, 51])
    only_good = rng.random() < 0.3
    values = [rng.choice(good) if only_good else item(rng) for _ in range(size)]
    return rng.choice(
        [values, values, values, tuple(values), set(v for v in values if not isinstance(v, list | dict))]
    )


def a_code(rng: random.Random) -> Any:
    return pick(rng, CODES)


def an_image(rng: random.Random) -> Any:
    """Front matter ``image``: each field present or not, good or bad (a focus only when good: its
    messages are Kabar's own, tested below)."""
    if rng.random() < 0.1:
        return rng.choice([None, []])
    image: dict[str, Any] = {}
    for name in ("src", "alt", "caption", "credit"):
        if rng.random() < 0.8:
            image[name] = text_value(rng)
    if rng.random() < 0.3:
        image["focus"] = rng.choice([[0.5, 0.5], (0, 1), [0.25, 0.75]])
    if rng.random() < 0.05:
        image["title"] = "?"
    return image


GOOD_CORRECTION = {"at": "2026-11-24T10:00:00+07:00", "text": "Nama narasumber diperbaiki."}


def a_correction(rng: random.Random) -> Any:
    """One entry of ``corrections``: each field present or not, good or bad."""
    if rng.random() < 0.1:
        return rng.choice([None, "Ralat", []])
    found: dict[str, Any] = {}
    if rng.random() < 0.85:
        found["at"] = pick(rng, TIMES)
    if rng.random() < 0.85:
        found["text"] = text_value(rng)
    if rng.random() < 0.05:
        found["oleh"] = "?"
    return found


def article_fields(rng: random.Random) -> dict[str, Any]:
    makers: dict[str, Any] = {
        "title": text_value, "subtitle": text_value, "lead": text_value, "category": text_value,
        "dateline": text_value, "author": one_name, "body": text_value,
        "editors": lambda r: pick(r, CODES) if r.random() < 0.3 else a_list(r, a_code, GOOD_CODES),
        "sources": lambda r: a_list(r, a_code, GOOD_CODES),
        "tags": lambda r: a_list(r, text_value, ["Gempa", "Café Ümit", " Garut "]),
        "published_at": lambda r: pick(r, TIMES),
        "slug": lambda r: pick(r, SLUGS),
        "status": lambda r: pick(r, CHOICES), "comments": lambda r: pick(r, CHOICES),
        "read_also": lambda r: a_list(r, lambda q: pick(q, SLUGS), SLUGS[:2]),
        "related": lambda r: a_list(r, lambda q: pick(q, SLUGS), SLUGS[:2]),
        "exclude_related": lambda r: a_list(r, lambda q: pick(q, SLUGS), SLUGS[:2]),
        "image": an_image,
        "corrections": lambda r: a_list(r, a_correction, [GOOD_CORRECTION]),
    }  # fmt: skip
    fields = {"title": "Judul", "body": "Isi."}
    for name in rng.sample(sorted(makers), rng.randint(1, 5)):
        fields[name] = makers[name](rng)
    for name in ("title", "body"):
        if rng.random() < 0.05:
            del fields[name]
    if rng.random() < 0.05:
        fields[rng.choice(["titel", "judul", "x"])] = "?"
    return fields


def kabar_answer(fields: dict[str, Any]) -> dict[str, Any] | list[FieldError]:
    submission, errors = check_article(fields)
    if submission is None:
        return [error.replace(message=re.sub(r" \(it has \d+\)$", "", error.message)) for error in errors]
    found = submission.to_json()
    if isinstance(fields.get("author"), str) or fields.get("author") is None:  # one name: as pydantic's
        found["author"] = found["author"][0] if found["author"] else None
    return found


def test_every_generated_file_gets_the_answer_pydantic_gave() -> None:
    rng = random.Random(20261202)
    accepted = rejected = 0
    for _ in range(10_000):
        fields = article_fields(rng)
        assert kabar_answer(fields) == pydantic_answer(fields), fields
        accepted, rejected = (
            (accepted + 1, rejected) if not check_article(fields)[1] else (accepted, rejected + 1)
        )
    assert accepted > 500 and rejected > 5000  # both answers are compared, many times


@pytest.mark.parametrize("name", ["title", "tags", "published_at"])
def test_bytes_are_not_text_nor_a_time(name: str) -> None:
    """YAML's !!binary gives bytes: pydantic decoded them past the plain text rules (a title of
    "<script>") and read a time from them as seconds since 1970."""
    value: Any = [b"<script>"] if name == "tags" else b"<script>" if name == "title" else b"1700000000"
    _, errors = check_article({"title": "Judul", "body": "Isi.", name: value})
    field = "tags.0" if name == "tags" else name
    assert errors == [
        FieldError(
            field=field, message=ISO_TIME if name == "published_at" else "Input should be a valid string"
        )
    ]


@pytest.mark.parametrize(
    "value", [[0.5], [0.5, 1.5], [-0.1, 0.5], ["0.5", 0.5], [True, 0.5], 0.5, [0.1, 0.2, 0.3]]
)
def test_a_focus_point_is_two_fractions(value: Any) -> None:
    _, errors = check_article(
        {"title": "Judul", "body": "Isi.", "image": {"src": "a.jpg", "alt": "A", "focus": value}}
    )
    assert errors == [FieldError(field="image.focus", message=FOCUS)]


def test_an_image_names_every_missing_field() -> None:
    _, errors = check_article({"title": "Judul", "body": "Isi.", "image": {"caption": "Banjir"}})
    assert errors == [FieldError(field="image.src", message="is required"),
                      FieldError(field="image.alt", message="is required")]  # fmt: skip
    submission, errors = check_article(
        {"title": "Judul", "body": "Isi.", "image": {"src": "a.jpg", "alt": " Banjir ", "focus": [0, 1]}}
    )
    assert errors == [] and submission is not None and submission.image is not None
    assert (submission.image.alt, submission.image.focus) == ("Banjir", (0.0, 1.0))


@pytest.mark.parametrize(
    ("value", "names"),
    [("Ani Siregar", ["Ani Siregar"]), (["Ani Siregar", " Budi "], ["Ani Siregar", "Budi"]), ("  ", []),
     (None, []), ([], [])],
)  # fmt: skip
def test_the_byline_is_one_name_or_a_list(value: Any, names: list[str]) -> None:
    submission, errors = check_article({"title": "Judul", "body": "Isi.", "author": value})
    assert errors == [] and submission is not None and submission.author == names


@pytest.mark.parametrize(
    ("value", "field", "message"),
    [
        (
            ["A", "B", "C", "D", "E", "F"],
            "author",
            "List should have at most 5 items after validation, not 6",
        ),
        (["Ani Siregar", "ANI  siregar"], "author", "authors 'Ani Siregar' and 'ANI  siregar' are the same"),
        (["Ani", "日本"], "author", "author '日本' has no letters or digits a-z, 0-9"),
        (["Ani", "<b>Budi</b>"], "author.1", "HTML is not allowed here"),
        (["Ani", ""], "author.1", "must not be empty"),
        ({"name": "Ani"}, "author", "Input should be a valid string"),
    ],
)
def test_a_byline_that_cannot_make_its_authors_lists_is_refused(value: Any, field: str, message: str) -> None:
    _, errors = check_article({"title": "Judul", "body": "Isi.", "author": value})
    assert [error.field for error in errors] == [field] and message in errors[0].message, errors


def test_a_long_text_reports_the_length_that_counts() -> None:
    _, errors = check_article({"title": "  " + "x" * 301 + "\n", "body": "Isi."})
    assert errors == [FieldError(field="title", message="must be at most 300 characters (it has 301)")]


def test_publishing_a_file_imports_no_pydantic() -> None:
    """PublishFunction's first invocation: every file read, accepted or rejected, without pydantic."""
    code = (
        "import sys\n"
        "from kabar.authoring import ArticleFileError, parse_article_file\n"
        "front = b'---\\ntitle: Judul\\npublished_at: 2026-11-24T09:00:00+07:00\\n---\\n'\n"
        "parse_article_file('a.md', front + b'Isi.')\n"
        'try:\n    parse_article_file(\'b.json\', b\'{"title": 5, "tags": [""], "x": 1}\')\n'
        "except ArticleFileError as exc:\n    assert len(exc.errors) == 4, exc.errors\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_core')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
