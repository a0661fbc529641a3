"""What the API answers, as models: the schemas its routes name (``kabar.api.answers``), for the
OpenAPI document only.

The handlers answer with dicts or records; they never import this module (each model would cost
a cold start its creation). The records' models are made from their dataclasses
(:func:`kabar.schemas.models_of`); ``tests/infra/test_openapi.py`` checks real answers against
the document, so these cannot drift from what the workflows return.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kabar import documents, models
from kabar.schemas import models_of
from kabar.workflows import uploads, vocabulary
from kabar.workflows.upload_forms import UploadTicket

# The records the API answers with, as the models that document them (kabar.schemas makes them
# from the dataclasses): every field is answered, so a default does not make one optional.
_RECORDS = models_of(
    [models.FieldError, models.IgnoredFile, models.ArticleRef, uploads.UploadStatus, vocabulary.TagEntry,
     models.AliasOffer, documents.AuthorProfile],
    ConfigDict(json_schema_serialization_defaults_required=True),
)  # fmt: skip
FieldError, UploadStatus, TagEntry = _RECORDS["FieldError"], _RECORDS["UploadStatus"], _RECORDS["TagEntry"]
AliasOffer, AuthorProfile = _RECORDS["AliasOffer"], _RECORDS["AuthorProfile"]
# (mypy sees the generated models as variables; pydantic reads the annotations below at run time)


class Message(BaseModel):
    """Every error answer: what is wrong and, for a request that is not valid, each bad field."""

    message: str
    errors: list[FieldError] = Field(default_factory=list)  # type: ignore[valid-type]


class TagList(BaseModel):
    """``GET /tags`` and ``PUT /tags``: vocabulary tags."""

    tags: list[TagEntry]  # type: ignore[valid-type]


class AliasOffers(BaseModel):
    """``GET /tags/aliases``: the forms articles gave tags' names, waiting for an editor's decision."""

    aliases: list[AliasOffer]  # type: ignore[valid-type]


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
    learned: list[str] | None = Field(
        None, description="Marking spam: the gambling site names in it the site learned now (each holds "
        "every later comment that names it); absent for other actions",
    )  # fmt: skip


class Queue(BaseModel):
    """``GET /comments``: one page of a moderation queue, oldest first."""

    status: Literal["pending", "spam", "trash"]
    comments: list[ModeratedComment]
    next: str | None = Field(description="The cursor of the next page; null on the last")


class SpamName(BaseModel):
    """A learned spam name, and where it was learned."""

    name: str = Field(description="As the rules read it: lower case, disguises undone (badak88)")
    comment: str | None = Field(description="The comment marked spam it was learned from")
    by: str | None = Field(description="The moderator who marked it")
    learned_at: datetime | None


class SpamNames(BaseModel):
    """``GET /spam-names``: one page of the learned spam names, in order."""

    names: list[SpamName]
    next: str | None = Field(description="The cursor of the next page; null on the last")


class SpamNameForgotten(BaseModel):
    """``DELETE /spam-names/{name}``: comments that name it are no longer held for it."""

    name: str
    removed: bool = Field(description="False: it was not a learned name (a repeated request)")


class ScheduledEntry(BaseModel):
    """An article that goes public later."""

    slug: str
    title: str
    version: int = Field(description="The scheduled version (the one its schedule releases)")
    upload_id: str
    kind: Literal["scheduled", "embargoed"] = Field(
        description="embargoed: held by embargo_until (its byline keeps published_at); "
        "scheduled: by published_at"
    )
    release_at: datetime = Field(description="When it goes public, UTC")
    release_at_local: str = Field(description="That time in the site's zone, with its offset")
    zone: str = Field(description="The site's zone (SITE_UTC_OFFSET): WIB, WITA or WIT")
    published_at: datetime
    embargo_until: datetime | None
    overdue: bool = Field(
        description="Its time passed five minutes ago and it is still scheduled: its schedule failed "
        "(kabar scheduled --failed)"
    )


class ScheduledPage(BaseModel):
    """``GET /scheduled``: scheduled and embargoed articles, soonest first."""

    articles: list[ScheduledEntry]
    next: str | None = Field(description="The cursor of the next page; null on the last")


class ScheduleCancelled(BaseModel):
    """``DELETE /scheduled/{slug}``: the article's schedule is cancelled and it is kept as a draft."""

    slug: str
    version: int = Field(description="The draft's version")
    status: Literal["draft"]
    cancelled_by: str = Field(description="The editor who cancelled it")


class Webhook(BaseModel):
    """A webhook subscription (never its secret)."""

    id: str
    kind: Literal["webhook", "facebook", "telegram"] = Field(
        description="A social target's is made from the settings"
    )
    url: str
    events: list[Literal["article.published", "article.updated", "article.unpublished", "comment.approved"]]
    description: str
    status: Literal["active", "disabled"]
    disabled_reason: str | None = Field(description="Why it is off (after a run of dead deliveries)")
    failures: int = Field(description="Deliveries in a row that failed every retry")
    created_at: datetime
    created_by: str


class WebhookCreated(Webhook):
    """``POST /webhooks``: the subscription and its signing secret, shown this once."""

    secret: str = Field(description="whsec_ and base64: the Standard Webhooks signing secret")


class WebhookList(BaseModel):
    webhooks: list[Webhook]


class WebhookRemoved(BaseModel):
    id: str
    removed: bool


class WebhookAttempt(BaseModel):
    delivery: str = Field(description="The delivery's id, its webhook-id")
    type: str
    attempt: int
    at: datetime
    status: int | None = Field(description="The receiver's HTTP status; null when none came")
    latency_ms: int
    error: str | None


class WebhookLog(BaseModel):
    """``GET /webhooks/{id}/log``: its latest attempts, newest first, and its dead letters."""

    webhook: Webhook
    attempts: list[WebhookAttempt]
    dead: list[str] = Field(description="The deliveries that failed every retry, oldest first")


class WebhookReplayed(BaseModel):
    subscription: Webhook
    replayed: list[str] = Field(description="The deliveries queued again (their webhook-ids)")


class SocialTarget(BaseModel):
    id: str = Field(description="social_facebook or social_telegram (its log: GET /webhooks/{id}/log)")
    kind: Literal["facebook", "telegram"]
    status: Literal["active", "disabled"]
    queued: bool = Field(description="False: the target is off (its token was refused); nothing is sent")


class SocialReposted(BaseModel):
    """``POST /social/{slug}/repost``: the article queued for each social target."""

    slug: str
    targets: list[SocialTarget]


ANSWERS: dict[str, type[BaseModel]] = {
    model.__name__: model
    for model in (Message, UploadTicket, UploadStatus, TagEntry, TagList, AliasOffer, AliasOffers, Taken,
                  Moderated, Queue, SpamNames, SpamNameForgotten, AuthorProfile, ScheduledPage,
                  ScheduleCancelled, WebhookCreated, WebhookList, WebhookRemoved, WebhookLog, WebhookReplayed,
                  SocialReposted)
}  # fmt: skip
