"""Reading an uploaded article file: Markdown with YAML front matter, or JSON.

The result is either an :class:`ArticleSubmission` or the complete list of
reasons the file cannot be one, so an editor fixes everything in one go.
Imported by PublishFunction only (it needs PyYAML).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from kabar.models import ArticleSubmission, FieldError

MARKDOWN_SUFFIXES = (".md", ".markdown")
JSON_SUFFIXES = (".json",)
CONTENT_TYPES = {".md": "text/markdown", ".markdown": "text/markdown", ".json": "application/json"}

_ISO_TIME = "must be an ISO 8601 time with a UTC offset, e.g. 2026-11-24T09:00:00+07:00"
_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a known field",
    "timezone_aware": "needs a time and a UTC offset, e.g. 2026-11-24T09:00:00+07:00",
    "datetime_type": _ISO_TIME,
    "datetime_parsing": _ISO_TIME,
    "datetime_from_date_parsing": _ISO_TIME,
}


def content_type_for(filename: str) -> str | None:
    """The content type an article file of this name must be uploaded with, if any."""
    lowered = filename.lower()
    for suffix, content_type in CONTENT_TYPES.items():
        if lowered.endswith(suffix):
            return content_type
    return None


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
    if lowered.endswith(MARKDOWN_SUFFIXES):
        fields = _markdown_fields(text)
    elif lowered.endswith(JSON_SUFFIXES):
        fields = _json_fields(text)
    else:
        raise ArticleFileError([FieldError(field="file", message="must be Markdown (.md) or JSON (.json)")])
    return validate_fields(fields)


def validate_fields(fields: dict[str, Any]) -> ArticleSubmission:
    """Validate article fields, collecting every error."""
    try:
        return ArticleSubmission.model_validate(fields)
    except ValidationError as exc:
        raise ArticleFileError(_field_errors(exc)) from exc


def _markdown_fields(text: str) -> dict[str, Any]:
    import yaml

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
    try:
        meta = yaml.safe_load(head) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
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
        fields = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArticleFileError(
            [FieldError(field="file", message=f"is not valid JSON: {exc.msg} at line {exc.lineno}")]
        ) from exc
    if not isinstance(fields, dict):
        raise ArticleFileError([FieldError(field="file", message="must be a JSON object")])
    return fields


def _field_errors(exc: ValidationError) -> list[FieldError]:
    errors = []
    for error in exc.errors(include_url=False):
        field = ".".join(str(part) for part in error["loc"]) or "file"
        message = _MESSAGES.get(error["type"], error["msg"])
        if error["type"] == "string_too_short" and error.get("ctx", {}).get("min_length") == 1:
            message = "must not be empty"
        if message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        errors.append(FieldError(field=field, message=message))
    return errors
