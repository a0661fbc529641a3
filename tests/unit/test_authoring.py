"""Reading article files: every reason at once, plain text stays plain, HTML is sanitized."""

from __future__ import annotations

import json

import pytest

from kabar.authoring import ArticleFileError, parse_article_file
from kabar.html import render_markdown, sanitize_html
from kabar.slugs import slugify


def errors_of(filename: str, data: bytes) -> dict[str, str]:
    with pytest.raises(ArticleFileError) as caught:
        parse_article_file(filename, data)
    return {error.field: error.message for error in caught.value.errors}


def test_front_matter_fields_are_read() -> None:
    article = parse_article_file(
        "a.md",
        b"---\ntitle: Judul\neditors: AL/ARN/RM\nsources: FNA\ntags: [Suriah]\n"
        b"published_at: 2026-11-21T10:00:00+07:00\nread_also: [lain]\n---\n\nIsi *berita*.\n",
    )
    assert article.title == "Judul"
    assert article.editors == ["AL", "ARN", "RM"]
    assert article.sources == ["FNA"]
    assert article.read_also == ["lain"]
    assert article.published_at is not None and article.published_at.utcoffset().total_seconds() == 7 * 3600  # type: ignore[union-attr]
    assert article.body == "Isi *berita*."
    assert article.status == "published"


def test_json_has_the_same_fields() -> None:
    data = json.dumps({"title": "Judul", "body": "Isi.", "status": "draft", "tags": ["A"]}).encode()
    article = parse_article_file("a.json", data)
    assert (article.title, article.status, article.tags) == ("Judul", "draft", ["A"])


def test_every_error_is_reported_at_once() -> None:
    errors = errors_of(
        "a.md",
        b"---\nsubtitle: <b>tebal</b>\nstatus: terbit\nslug: Bukan Slug\ntitel: x\n"
        b"published_at: 2026-11-24\neditors: [al]\n---\n",
    )
    assert set(errors) == {
        "title",
        "subtitle",
        "status",
        "slug",
        "titel",
        "published_at",
        "editors.0",
        "body",
    }
    assert errors["title"] == "is required"
    assert errors["titel"] == "is not a known field"
    assert "plain text" in errors["subtitle"]
    assert "+07:00" in errors["published_at"]
    assert errors["body"] == "must not be empty"


@pytest.mark.parametrize(
    ("filename", "data", "field", "fragment"),
    [
        ("a.md", b"title: x\n", "front_matter", "must start with YAML front matter"),
        ("a.md", b"---\ntitle: x\n", "front_matter", "no closing"),
        ("a.md", b"---\ntags: [a\n---\nx", "front_matter", "not valid YAML"),
        ("a.md", b"---\n- a\n---\nx", "front_matter", "mapping"),
        ("a.json", b"{nope", "file", "not valid JSON"),
        ("a.json", b"[1]", "file", "JSON object"),
        ("a.txt", b"x", "file", "Markdown (.md) or JSON"),
        ("a.md", b"\xff\xfe", "file", "UTF-8"),
    ],
)
def test_malformed_files_say_what_is_wrong(filename: str, data: bytes, field: str, fragment: str) -> None:
    errors = errors_of(filename, data)
    assert fragment in errors[field]


def test_markdown_becomes_safe_html() -> None:
    html = render_markdown(
        "Teks **tebal** dan [tautan](https://contoh.id).\n\n"
        "<script>alert(1)</script><p onclick='x()'>p</p>[x](javascript:alert(1))"
        "<iframe src='https://evil'></iframe><img src='a.jpg' onerror='x()' alt='foto'>\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    assert "<strong>tebal</strong>" in html
    assert '<a href="https://contoh.id" rel="noopener noreferrer">tautan</a>' in html
    assert "<table>" in html and "<td>1</td>" in html
    assert '<img src="a.jpg" alt="foto">' in html
    for bad in ("<script", "onclick", "javascript:", "<iframe", "onerror"):
        assert bad not in html


def test_data_urls_and_style_are_dropped() -> None:
    html = sanitize_html('<a href="data:text/html,x">a</a><style>p{}</style><p style="x">b</p>')
    assert "data:" not in html and "<style" not in html and "style=" not in html


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("ISIS Kocar-kacir Hadapi Serangan Suriah, Rusia, dan Hizbullah",
         "isis-kocar-kacir-hadapi-serangan-suriah-rusia-dan-hizbullah"),
        ("Gempa Magnitudo 5,1 Guncang Garut!", "gempa-magnitudo-5-1-guncang-garut"),
        ("Café Ümit — Ñandú", "cafe-umit-nandu"),
        ("!!!", ""),
    ],
)  # fmt: skip
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_long_slugs_are_cut_at_a_word() -> None:
    slug = slugify("kata " * 40)
    assert len(slug) <= 80 and not slug.endswith("-") and slug.endswith("kata")


def test_markdown_work_is_estimated_before_rendering() -> None:
    """Each "[" costs the characters to its "]" (to its paragraph's end when unclosed), each "](" to
    its ")"; escaped brackets cost nothing, and the costliest paragraph's line is named."""
    from kabar.html import link_work

    assert link_work("[a](b) dan [c]") == (2 + 2 + 2, 1)
    assert link_work("\\[" * 1000) == (0, 1)
    assert link_work("Satu.\n\nDua [x\n\nTiga.") == (2, 3)  # "[x" to the end of its paragraph
    assert link_work("[" * 2000)[0] == 2000 * 2001 // 2


def test_a_body_over_a_budget_is_refused_not_rendered_forever(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the bracket estimate misses is stopped by CPU time; what recurses, by its recursion."""
    from kabar import html

    html.render_markdown.cache_clear()
    monkeypatch.setattr(html, "MAX_RENDER_SECONDS", 0.05)
    slow = b"---\ntitle: Lambat\n---\n" + b"<a " * 4000  # unclosed tags: seconds, no bracket at all
    assert errors_of("a.md", slow) == {"body": "takes more than 0.05 s to render; it may not be Markdown"}
    monkeypatch.setattr(html, "MAX_RENDER_SECONDS", 5.0)
    nested = "".join("\t" * depth + "- a\n" for depth in range(400))
    deep = "nests too deeply (lists, quotes or tags) to be rendered; it may not be Markdown"
    assert errors_of("b.md", ("---\ntitle: Dalam\n---\n" + nested).encode()) == {"body": deep}


def test_a_body_is_rendered_once_for_its_check_and_its_publish() -> None:
    from kabar import html

    html.render_markdown.cache_clear()
    article = parse_article_file("a.md", b"---\ntitle: Sekali\n---\nIsi *penting*.\n")
    assert html.render_markdown.cache_info().misses == 1
    assert render_markdown(article.body) == "<p>Isi <em>penting</em>.</p>"
    assert html.render_markdown.cache_info().hits == 1


@pytest.mark.parametrize(
    ("title", "refused"),
    [("Harga Cabai < Rp10.000", False), ("Skor 3<5", False), ("Judul <img src=x onerror=alert(1)", True),
     ("a </p", True), ("<!-- x", True), ("&lt;b&gt; tetap teks", False)],
)  # fmt: skip
def test_plain_text_refuses_what_a_browser_would_take_for_a_tag(title: str, refused: bool) -> None:
    data = json.dumps({"title": title, "slug": "judul", "body": "Isi."}).encode()
    if refused:
        assert errors_of("a.json", data) == {"title": "HTML is not allowed here; this field is plain text"}
    else:
        assert parse_article_file("a.json", data).title == title


@pytest.mark.parametrize(
    ("line", "problem"),
    [("published_at: 2026-02-31", "'2026-02-31' is not a valid timestamp: day is out of range for month"),
     ("published_at: 2026-11-24T25:00:00Z",
      "'2026-11-24T25:00:00Z' is not a valid timestamp: hour must be in 0..23"),
     ("title: !!timestamp 2026", "'2026' is not a valid timestamp"),
     ("tags: [!!int x]", "'x' is not a valid int: invalid literal for int() with base 10: 'x'"),
     ("lead: &a x\ntitle: *a", "an alias (*a) is not read in front matter: write the value out"),
     ("? [a]\n: b", "found unhashable key"),
     ("title: !!python/object:os.system x", "could not determine a constructor for the tag "
      "'tag:yaml.org,2002:python/object:os.system'")],
)  # fmt: skip
def test_values_yaml_cannot_construct_are_reasons_not_crashes(line: str, problem: str) -> None:
    """PyYAML raises Python errors for some values (a 31st of February): each is a rejection, on its line."""
    at = 3 if line.startswith("lead") else 2
    errors = errors_of("a.md", f"---\n{line}\n---\nIsi.\n".encode())
    assert errors == {"front_matter": f"is not valid YAML (line {at}): {problem}"}
