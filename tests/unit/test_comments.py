"""kabar.text.comment_rules: the submission contract, safe text, and the content rules."""

from __future__ import annotations

import pytest

from kabar.text.comment_rules import classify_content, links, plain, to_html
from kabar.text.comment_submission import check_comment


def test_a_valid_comment_keeps_its_text() -> None:
    comment, _ = check_comment(
        {"name": " Ani ", "email": "ani@example.co.id", "content": "Terima kasih beritanya."}
    )
    assert comment is not None
    assert (comment.name, comment.content, comment.website, comment.parent) == (
        "Ani", "Terima kasih beritanya.", None, None)  # fmt: skip


def test_every_bad_field_is_named() -> None:
    _, problems = check_comment(
        {"name": "", "email": "bukan-email", "content": "", "website": "javascript:alert(1)", "extra": 1}
    )
    assert [problem.at for problem in problems] == ["name", "email", "website", "content", "extra"]
    _, problems = check_comment({"content": "x"})
    assert {problem.at for problem in problems} == {"name", "email"}


def test_markup_is_removed_and_the_html_is_escaped_minimal_formatting() -> None:
    text = plain(
        '<script>alert("x")</script>Halo <b>semua</b>\u202e\r\n\r\n\r\n\r\nBaris <img src=x onerror=alert(1)>'
    )
    assert "<" not in text and "\u202e" not in text and "script" not in text.replace('alert("x")', "")
    rendered = to_html('Kata "a" & <b>\n\nLihat https://contoh.id/x?a=1&b=2 juga')
    assert rendered.startswith("<p>Kata &quot;a&quot; &amp; &lt;b&gt;</p><p>")
    assert '<a href="https://contoh.id/x?a=1&amp;b=2" rel="nofollow ugc noopener"' in rendered
    assert "<script" not in to_html("<script>alert(1)</script>")


def test_links_count_addresses_and_bare_domains_once() -> None:
    assert links("lihat http://a.com dan www.b.net serta cc.xyz, lagi http://a.com") == 3
    assert links("Rp1.000 dan pukul 10.30 bukan tautan") == 0


def test_rules_in_order_with_every_reason() -> None:
    spam = classify_content(name="x", content="Beli viagra di http://a.com http://b.com", honeypot="isi")
    assert spam.verdict == "spam" and spam.reasons == ["honeypot filled", "disallowed word: viagra"]
    held = classify_content(name="x", content="Lihat http://a.com dan http://b.com, check out my channel")
    assert held.verdict == "pending"
    assert held.reasons == ["2 links", "moderation word: check out", "moderation word: my channel"]
    judol = classify_content(name="x", content="Main di RAJA303 maxwin terus, wd lancar", honeypot="isi")
    assert judol.reasons == ["honeypot filled", "gambling site name: raja303",
                             "gambling words: maxwin terus, wd lancar"]  # fmt: skip
    promoted = classify_content(name="x", content="Main di RAJA303, wd lancar http://a.com http://b.com")
    assert promoted.verdict == "spam"  # the gambling evidence decides before the links
    against = classify_content(name="Ani", content="Judi online dan togel merusak keluarga, berantas!")
    assert against.verdict is None  # gambling as a subject is not a promotion
    assert classify_content(name="Ani", content="Semoga pengungsi cepat pulang.").verdict is None
    assert classify_content(name="Ani", content="Satu tautan: http://a.com").verdict is None
    custom = classify_content(name="Ani", content="kata terlarang", disallowed=["terlarang"], moderation=[])
    assert custom.verdict == "spam"


def test_the_cli_classifies_lines_with_the_intake_rules(
    tmp_path: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    import json
    from pathlib import Path

    from kabar_infra.cli.main import main

    source = Path(str(tmp_path)) / "in.jsonl"
    lines = [
        {"id": 1, "name": "Ani", "email": "ani@example.id", "content": "Semoga cepat pulih."},
        {"id": 2, "name": "x", "email": "x@example.id", "content": "slot gacor maxwin di raja303"},
        {"id": 3, "name": "y", "email": "y@example.id", "content": "http://a.com http://b.com"},
    ]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    assert main(["comments", "classify", str(source)]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(o["id"], o["verdict"]) for o in out] == [(1, "approved"), (2, "spam"), (3, "pending")]
    assert out[2]["reasons"] == ["2 links"]
    words = Path(str(tmp_path)) / "words.txt"
    words.write_text("pulih\n", encoding="utf-8")
    assert main(["comments", "classify", str(source), "--disallowed", str(words)]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[0])["verdict"] == "spam"
    names = Path(str(tmp_path)) / "names.txt"
    names.write_text("Pulih\n", encoding="utf-8")  # a learned name holds the comment, with its reason
    assert main(["comments", "classify", str(source), "--names", str(names)]) == 0
    first = json.loads(capsys.readouterr().out.splitlines()[0])
    assert (first["verdict"], first["reasons"]) == ("pending", ["learned spam name: pulih"])
    source.write_text('{"id": 1}\n', encoding="utf-8")
    assert main(["comments", "classify", str(source)]) == 2
    assert "line 1: needs at least an id and a content" in capsys.readouterr().err
