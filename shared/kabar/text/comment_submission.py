"""A reader's comment as the intake reads it: the body of ``POST /articles/{slug}/comments``.

The contract is :class:`kabar.text.comment_forms.CommentSubmission`, a pydantic model, which the
OpenAPI document's schema is made from. This module enforces the same contract on every comment
with :mod:`kabar.checks`, without importing pydantic: pydantic's import and the model's validator
were most of what CommentsFunction's first invocation spent beyond its clients
(docs/architecture.md, "Cold starts"). ``tests/unit/test_comment_submission.py`` holds the two to
the same answers (the comment, or the same errors in the same words) on generated bodies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kabar.checks import REQUIRED, Check, Problem, check_fields, nullable, text, then
from kabar.record import Record
from kabar.text.comment_rules import EMAIL, MAX_CONTENT, plain
from kabar.text.plain import CONTROL

PARENT_PATTERN = r"^[0-9A-Za-z]{8,40}$"
WEBSITE = re.compile(r"^https?://[^\s<>\"']+\.[^\s<>\"']+$", re.IGNORECASE)


@dataclass(kw_only=True)
class CommentSubmission(Record):
    """A reader's comment as checked: names and contents without markup, an address or none."""

    name: str
    email: str
    website: str | None = None
    content: str
    parent: str | None = None  # the published comment this replies to
    honeypot: str | None = None  # the form's hidden trap field; people leave it empty


def check_name(value: str | None) -> str | None:
    if value is None:
        return None
    value = plain(value).strip()
    if not value:
        raise ValueError("needs letters (markup is removed)")
    return value


def check_email(value: str) -> str:
    value = CONTROL.sub("", value)
    if not EMAIL.match(value):
        raise ValueError("is not an email address")
    return value


def check_website(value: str | None) -> str | None:
    value = CONTROL.sub("", value or "")
    if not value:
        return None
    if not WEBSITE.match(value):
        raise ValueError("must be an http:// or https:// address")
    return value


def check_content(value: str | None) -> str | None:
    if value is None:
        return None
    value = plain(value).strip()
    if not value:
        raise ValueError("is empty once markup is removed")
    return value


RULES: dict[str, tuple[Check, Any]] = {
    "name": (then(text(min_length=1, max_length=80), check_name), REQUIRED),
    "email": (then(text(min_length=3, max_length=254), check_email), REQUIRED),
    "website": (then(nullable(text(max_length=200)), check_website), None),
    "content": (then(text(min_length=1, max_length=MAX_CONTENT), check_content), REQUIRED),
    "parent": (nullable(text(pattern=PARENT_PATTERN)), None),
    "honeypot": (nullable(text(max_length=500)), None),
}


def check_comment(body: Mapping[str, Any]) -> tuple[CommentSubmission | None, list[Problem]]:
    """The comment ``body`` holds, or ``None`` and every problem (an object: the intake checked)."""
    values, problems = check_fields(RULES, body)
    if problems:
        return None, problems
    return CommentSubmission(**values), []
