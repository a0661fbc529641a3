"""What the API answers, as models: the schemas its routes name (``kabar.api.answers``), for the
OpenAPI document only.

The handlers answer with dicts or workflow models; they never import this module (each model
would cost a cold start its creation).
``tests/infra/test_openapi.py`` checks real answers against the document, so these cannot drift
from what the workflows return.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kabar.models import ArticleStatus, UploadState
from kabar.workflows.upload_forms import UploadTicket


class FieldError(BaseModel):
    """One reason an upload was rejected (or a warning): which field, and what is wrong."""

    field: str
    message: str


class Message(BaseModel):
    """Every error answer: what is wrong and, for a request that is not valid, each bad field."""

    message: str
    errors: list[FieldError] = Field(default_factory=list)


class IgnoredFile(BaseModel):
    """A file that arrived under an upload already processed (its ticket used again): it was not
    published, and is kept in the incoming bucket."""

    key: str
    size: int
    sha256: str
    received_at: datetime
    message: str


class ArticleRef(BaseModel):
    """Where a published upload went."""

    slug: str
    version: int
    status: ArticleStatus
    path: str
    url: str | None = None


class UploadStatus(BaseModel):
    """``GET /uploads/{id}`` response: the upload, and whether the CDN serves its result yet."""

    # kabar.workflows.uploads.UploadStatus (a kabar.models.Upload), which answers every field
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    upload_id: str
    state: UploadState
    filename: str
    content_type: str
    key: str
    created_at: datetime
    created_by: str
    expires_at: datetime | None = Field(default=None, description="When the ticket expires")
    processed_at: datetime | None = None
    article: ArticleRef | None = None
    unchanged: bool = False
    errors: list[FieldError] = []
    warnings: list[FieldError] = []
    sha256: str | None = Field(default=None, description="SHA-256 of the file processed (once read)")
    ignored_files: list[IgnoredFile] = Field(
        default=[], description="Files posted with the ticket after the upload was processed: "
        "not published, kept in the incoming bucket (the first 10)",
    )  # fmt: skip
    live: bool = False


class TagEntry(BaseModel):
    """A vocabulary tag as stored."""

    # kabar.workflows.vocabulary.TagEntry, which answers every field
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    slug: str
    name: str
    aliases: list[str]
    status: Literal["active", "blocked", "merged"]
    merged_into: str | None = None


class TagList(BaseModel):
    """``GET /tags`` and ``PUT /tags``: vocabulary tags."""

    tags: list[TagEntry]


class Taken(BaseModel):
    """``POST /articles/{slug}/comments``: the comment was taken."""

    id: str
    status: Literal["published", "awaiting moderation"]
    message: str = Field(description="For the reader, in the site's language")


class ModeratedComment(BaseModel):
    """What moderators see; never the email or IP, which are stored only as keyed hashes."""

    id: str
    slug: str = Field(description="The article")
    status: Literal["approved", "pending", "spam", "trash"]
    reasons: list[str] = Field(description='Why the intake put it there, e.g. "2 links"')
    name: str
    website: str | None
    content: str = Field(description="As stored (markup removed)")
    content_html: str = Field(description="As readers see it")
    created_at: datetime
    parent: str | None
    parent_name: str | None
    depth: int
    seq: int | None = Field(description="Its place among the article's approved comments")
    moderated_by: str | None
    moderated_at: datetime | None
    edited_by: str | None
    edited_at: datetime | None


class Moderated(BaseModel):
    """A moderation: the comment as it is now, and whether this request changed it."""

    comment: ModeratedComment
    changed: bool = Field(description="False: it already was so (a repeated request)")


class Queue(BaseModel):
    """``GET /comments``: one page of a moderation queue, oldest first."""

    status: Literal["pending", "spam", "trash"]
    comments: list[ModeratedComment]
    next: str | None = Field(description="The cursor of the next page; null on the last")


ANSWERS: dict[str, type[BaseModel]] = {
    model.__name__: model
    for model in (Message, UploadTicket, UploadStatus, TagEntry, TagList, Taken, Moderated, Queue)
}
