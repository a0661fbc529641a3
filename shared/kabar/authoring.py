"""Reading an uploaded article file: Markdown with YAML front matter, or JSON.

The result is either an :class:`ArticleSubmission` or the complete list of
reasons the file cannot be one, so an editor fixes everything in one go.
PublishFunction parses (with PyYAML, markdown and nh3, imported when a file is read); which
file names may be uploaded is :func:`kabar.workflows.uploads.content_type_for`.

Work per file is bounded before the parsers run: the front matter is at most
:data:`MAX_FRONT_MATTER` characters and nests at most :data:`MAX_DEPTH` deep,
with no anchors or aliases, no key twice and no number longer than
``strictjson.MAX_NUMBER`` characters; JSON files are read by :mod:`kabar.strictjson`;
the body's Markdown must render within :mod:`kabar.html`'s budgets.
"""

from __future__ import annotations

from typing import Any

from kabar import strictjson
from kabar.models import FieldError
from kabar.submissions import ArticleSubmission, check_article

MARKDOWN_SUFFIXES = (".md", ".markdown")
JSON_SUFFIXES = (".json",)
MAX_FRONT_MATTER = 65_536  # characters; every field at its longest fits in a fifth of it
MAX_DEPTH = 8  # lists and mappings inside each other (an article's fields need 2)


class ArticleFileError(Exception):
    """The file is not a valid article; ``errors`` lists every reason."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors


def parse_article_file(filename: str, data: bytes) -> ArticleSubmission:
    """Parse and validate one uploaded file, or raise :class:`ArticleFileError`."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleFileError(
            [FieldError(field="file", message=f"is not UTF-8 text (byte {exc.start})")]
        ) from exc
    lowered = filename.lower()
    try:
        if lowered.endswith(MARKDOWN_SUFFIXES):
            fields = _markdown_fields(text)
        elif lowered.endswith(JSON_SUFFIXES):
            fields = _json_fields(text)
        else:
            raise ArticleFileError(
                [FieldError(field="file", message="must be Markdown (.md) or JSON (.json)")]
            )
        return validate_fields(fields)
    except RecursionError as exc:  # every parser is bounded first: this is a net under them
        raise ArticleFileError([FieldError(field="file", message="nests too deeply to be read")]) from exc


def validate_fields(fields: dict[str, Any]) -> ArticleSubmission:
    """Validate article fields, collecting every error (the body's Markdown work included)."""
    from kabar.html import TooMuchWork, render_markdown  # PublishFunction's (UploadsFunction imports us)

    body = fields.get("body")
    body_errors = _body_errors(body) if isinstance(body, str) else []
    submission, errors = check_article(fields)
    if submission is None:
        raise ArticleFileError(errors + body_errors)
    if not body_errors:
        try:
            render_markdown(submission.body)  # kept for the publish that follows (rendered once)
        except TooMuchWork as exc:
            body_errors = [FieldError(field="body", message=f"{exc}; it may not be Markdown")]
    if body_errors:
        raise ArticleFileError(body_errors)
    return submission


def _body_errors(body: str) -> list[FieldError]:
    """The body refused before it is rendered: brackets that would make Markdown scan too long."""
    from kabar.html import MAX_LINK_WORK, link_work

    work, line = link_work(body)
    if work <= MAX_LINK_WORK:
        return []
    message = (
        f"has too many unclosed '[' or '](' to render (the paragraph at line {line} costs most): "
        "close them, write \\[ for a bracket that opens no link, or split the paragraph"
    )
    return [FieldError(field="body", message=message)]


def _markdown_fields(text: str) -> dict[str, Any]:
    import yaml

    from kabar.frontmatter import load

    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ArticleFileError(
            [
                FieldError(
                    field="front_matter",
                    message="the file must start with YAML front matter between '---' lines",
                )
            ]
        )
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            head, body = "".join(lines[1:index]), "".join(lines[index + 1 :])
            break
    else:
        raise ArticleFileError([FieldError(field="front_matter", message="has no closing '---' line")])
    if len(head) > MAX_FRONT_MATTER:
        message = f"is longer than {MAX_FRONT_MATTER} characters: the body goes after the closing '---'"
        raise ArticleFileError([FieldError(field="front_matter", message=message)])
    try:
        meta = load(head, max_depth=MAX_DEPTH) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        if isinstance(exc, yaml.reader.ReaderError):  # a character YAML refuses: where it is
            where = f" (line {head.count(chr(10), 0, exc.position) + 2})"
            problem = f"the control character U+{exc.character:04X} is not allowed"
        raise ArticleFileError(
            [FieldError(field="front_matter", message=f"is not valid YAML{where}: {problem}")]
        ) from exc
    if not isinstance(meta, dict):
        raise ArticleFileError(
            [FieldError(field="front_matter", message="must be a mapping of field: value")]
        )
    if "body" in meta:
        raise ArticleFileError(
            [FieldError(field="body", message="goes after the front matter, not inside it")]
        )
    return {**{str(key): value for key, value in meta.items()}, "body": body.strip()}


def _json_fields(text: str) -> dict[str, Any]:
    try:
        fields = strictjson.loads(text, max_depth=MAX_DEPTH)
    except strictjson.JSONError as exc:
        raise ArticleFileError([FieldError(field="file", message=f"is not valid JSON: {exc}")]) from exc
    if not isinstance(fields, dict):
        raise ArticleFileError([FieldError(field="file", message="must be a JSON object")])
    return fields
