"""The webhook routes' bodies as pydantic models: for the OpenAPI document only (the workflow,
kabar.workflows.webhooks, reads the bodies and names every problem)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Events = Literal["article.published", "article.updated", "article.unpublished", "comment.approved"]


class WebhookRequest(BaseModel):
    """``POST /webhooks``: where to send which events."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        max_length=2048,
        examples=["https://hooks.example.id/kabar"],
        description="https:// only; a host that resolves to a private, loopback or link-local "
        "address is refused, now and at every delivery",
    )
    events: list[Events] = Field(min_length=1)
    description: str = Field("", max_length=200, description="Plain text, for the admins' list")


class ReplayRequest(BaseModel):
    """``POST /webhooks/{id}/replay``: one delivery, or (without it) every dead one."""

    model_config = ConfigDict(extra="forbid")

    delivery: str | None = Field(None, description="A delivery's id (its webhook-id, msg_...)")
