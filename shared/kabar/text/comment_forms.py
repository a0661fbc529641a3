"""What commenters and moderators submit, as pydantic models: the bodies of
``POST /articles/{slug}/comments`` and ``PUT /comments/{id}``, checked as the intake checks them.

Imported when a body is read (pydantic costs a cold start its import): the rules that make the
text safe are :mod:`kabar.text.comment_rules`.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from kabar.text.comment_rules import EMAIL, MAX_CONTENT, plain
from kabar.text.plain import CONTROL as _CONTROL

PlainText = Annotated[str, StringConstraints(strip_whitespace=True)]
PARENT = "The id of the published comment this replies to"
HONEYPOT = "Map the form's hidden trap field here; people leave it empty"
LONGER = "Longer is 413"


class CommentSubmission(BaseModel):
    """The body of ``POST /articles/{slug}/comments``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)

    name: Annotated[PlainText, Field(min_length=1, max_length=80)]
    email: Annotated[PlainText, Field(min_length=3, max_length=254, description="Never published")]
    website: Annotated[PlainText | None, Field(max_length=200, description="http:// or https://")] = None
    content: Annotated[str, Field(min_length=1, max_length=MAX_CONTENT, description=LONGER)]
    parent: Annotated[
        str | None,
        Field(pattern=r"^[0-9A-Za-z]{8,40}$", description="The id of the published comment this replies to"),
    ] = None
    honeypot: Annotated[
        str | None,
        Field(max_length=500, description="Map the form's hidden trap field here; people leave it empty"),
    ] = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = _CONTROL.sub("", value)
        if not EMAIL.match(value):
            raise ValueError("is not an email address")
        return value

    _name = field_validator("name")(classmethod(lambda cls, value: _check_name(value)))
    _website = field_validator("website")(classmethod(lambda cls, value: _check_website(value)))
    _content = field_validator("content")(classmethod(lambda cls, value: _check_content(value)))


def _check_name(value: str | None) -> str | None:
    if value is None:
        return None
    value = plain(value).strip()
    if not value:
        raise ValueError("needs letters (markup is removed)")
    return value


def _check_website(value: str | None) -> str | None:
    value = _CONTROL.sub("", value or "")
    if not value:
        return None
    if not re.match(r"^https?://[^\s<>\"']+\.[^\s<>\"']+$", value, re.IGNORECASE):
        raise ValueError("must be an http:// or https:// address")
    return value


def _check_content(value: str | None) -> str | None:
    if value is None:
        return None
    value = plain(value).strip()
    if not value:
        raise ValueError("is empty once markup is removed")
    return value


class CommentEdit(BaseModel):
    """The body of a moderator's ``PUT /comments/{id}``: the fields to change, checked as at intake."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)

    name: Annotated[PlainText | None, Field(min_length=1, max_length=80)] = None
    website: Annotated[PlainText | None, Field(max_length=200, description="null removes it")] = None
    content: Annotated[
        str | None, Field(min_length=1, max_length=MAX_CONTENT, description="Longer is 413")
    ] = None

    _name = field_validator("name")(classmethod(lambda cls, value: _check_name(value)))
    _website = field_validator("website")(classmethod(lambda cls, value: _check_website(value)))
    _content = field_validator("content")(classmethod(lambda cls, value: _check_content(value)))
