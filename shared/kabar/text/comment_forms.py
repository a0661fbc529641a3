"""What commenters and moderators submit, as pydantic models: the bodies of
``POST /articles/{slug}/comments`` and ``PUT /comments/{id}``.

:class:`CommentSubmission` is the intake's contract as the OpenAPI document shows it; the intake
enforces it with :mod:`kabar.text.comment_submission`, which needs no pydantic (a test holds the two
to the same answers). :class:`CommentEdit` is read by this model when a moderator's edit is read.
The rules that make the text safe are :mod:`kabar.text.comment_rules`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from kabar.text.comment_rules import MAX_CONTENT
from kabar.text.comment_submission import (
    PARENT_PATTERN,
    check_content,
    check_email,
    check_name,
    check_website,
)

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
        Field(pattern=PARENT_PATTERN, description="The id of the published comment this replies to"),
    ] = None
    honeypot: Annotated[
        str | None,
        Field(max_length=500, description="Map the form's hidden trap field here; people leave it empty"),
    ] = None

    _name = field_validator("name")(classmethod(lambda cls, value: check_name(value)))
    _email = field_validator("email")(classmethod(lambda cls, value: check_email(value)))
    _website = field_validator("website")(classmethod(lambda cls, value: check_website(value)))
    _content = field_validator("content")(classmethod(lambda cls, value: check_content(value)))


class CommentEdit(BaseModel):
    """The body of a moderator's ``PUT /comments/{id}``: the fields to change, checked as at intake."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)

    name: Annotated[PlainText | None, Field(min_length=1, max_length=80)] = None
    website: Annotated[PlainText | None, Field(max_length=200, description="null removes it")] = None
    content: Annotated[
        str | None, Field(min_length=1, max_length=MAX_CONTENT, description="Longer is 413")
    ] = None

    _name = field_validator("name")(classmethod(lambda cls, value: check_name(value)))
    _website = field_validator("website")(classmethod(lambda cls, value: check_website(value)))
    _content = field_validator("content")(classmethod(lambda cls, value: check_content(value)))
