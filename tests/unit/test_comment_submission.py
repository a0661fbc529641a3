"""The intake checks a comment (kabar.text.comment_submission) as its documented contract says (the
pydantic CommentSubmission the OpenAPI schema is made of): the same comment, or the same 400 errors in
the same words, on thousands of generated bodies."""

from __future__ import annotations

import random
from typing import Any

from kabar.routing import field_errors, invalid
from kabar.text.comment_forms import CommentSubmission as Contract
from kabar.text.comment_rules import MAX_CONTENT
from kabar.text.comment_submission import check_comment

ODD = [None, 5, 1.5, True, [], {}, ["a"], b"Ani"]
NAMES = ["Ani", " Ani ", "", " ", "<b>Ani</b>", "<script>x</script>", "Ani\u202eSiregar", "\u200b",
         "Budi & Co", "a < b", "\u3000Ani\u3000", "Ani\x1c", "👍🏽"]  # fmt: skip
EMAILS = ["ani@example.co.id", " ani@example.co.id ", "a@b", "ab", "bukan-email", "ani@\u200bexample.co.id",
          "ani@example", "<a>@example.co.id", "ani@exa_mple.co.id", "x" * 64 + "@example.co.id",
          "x" * 65 + "@example.co.id", "ani@" + "a" * 250 + ".id"]  # fmt: skip
WEBSITES = ["https://contoh.id", "http://contoh.id/x?a=1", " https://contoh.id ", "", " ",
            "javascript:alert(1)", "https://contoh", "ftp://contoh.id", "HTTPS://CONTOH.ID",
            "https://con\u200btoh.id", "https://<x>.id", "https://" + "a" * 190 + ".id",
            "https://" + "a" * 195 + ".id"]  # fmt: skip
CONTENTS = ["Terima kasih beritanya.", "  Isi  ", "", " ", "<b></b>", "<p>Halo</p> semua", "&lt;b&gt;",
            "Baris\r\n\r\nDua", "x" * MAX_CONTENT, " " + "x" * MAX_CONTENT + " ", "\u202e\u200b"]  # fmt: skip
PARENTS = [
    "20261125T032700123456Z1a2b3c4d",
    "abcdefgh",
    "abcdefg",
    "a" * 40,
    "a" * 41,
    " abcdefgh ",
    "abc-defgh",
    "",
]
HONEYPOTS = ["", " ", "x", "x" * 500, "x" * 501, "https://spam.example"]
POOLS = {"name": NAMES, "email": EMAILS, "website": WEBSITES, "content": CONTENTS, "parent": PARENTS,
         "honeypot": HONEYPOTS}  # fmt: skip


def a_body(rng: random.Random) -> dict[str, Any]:
    body: dict[str, Any] = {"name": "Ani", "email": "ani@example.co.id", "content": "Halo."}
    for name in rng.sample(sorted(POOLS), rng.randint(1, 4)):
        body[name] = rng.choice(POOLS[name] + ODD) if rng.random() < 0.15 else rng.choice(POOLS[name])
    for name in ("name", "email", "content"):
        if rng.random() < 0.05:
            del body[name]
    if rng.random() < 0.05:
        body[rng.choice(["nama", "extra"])] = "?"
    return body


def contract_answer(body: dict[str, Any]) -> Any:
    from pydantic import ValidationError

    try:
        return Contract.model_validate(body).model_dump(mode="json")
    except ValidationError as exc:
        return field_errors(exc)


def intake_answer(body: dict[str, Any]) -> Any:
    submission, problems = check_comment(body)
    return submission.to_json() if submission is not None else invalid(problems).errors


def test_every_generated_body_gets_the_contracts_answer() -> None:
    rng = random.Random(20261202)
    taken = 0
    for _ in range(5000):
        body = a_body(rng)
        if any(isinstance(value, bytes) for value in body.values()):
            continue  # pydantic decodes bytes; JSON has none
        assert intake_answer(body) == contract_answer(body), body
        taken += check_comment(body)[0] is not None
    assert 1000 < taken < 4000  # both answers are compared, many times


def test_reading_a_comment_imports_no_pydantic() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from kabar.workflows.comments import read_submission\n"
        "read_submission({'name': 'Ani', 'email': 'ani@example.co.id', 'content': 'Halo.'}, raw_size=60)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_core')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
