"""The upload API's request and ticket as pydantic models (``POST /uploads``). Imported when one
is read or made (:mod:`kabar.workflows.uploads`), not by a cold start that needs none.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class UploadRequest(BaseModel):
    """``POST /uploads`` body."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)

    filename: Annotated[
        str, Field(min_length=1, max_length=200, description="An article (.md, .markdown or .json), or "
                   "an image alone for the library (.jpg, .jpeg, .png or .webp)",
                   examples=["02-serangan-aleppo.md"]),
    ]  # fmt: skip
    content_type: Annotated[
        str | None, Field(max_length=100, description="Optional; when given it must be the type the "
                          "file name implies: text/markdown, application/json, image/jpeg, ..."),
    ] = None  # fmt: skip
    images: Annotated[
        list[ImageFileRequest], Field(max_length=20, description="Images uploaded with the article, "
                                      "each with a presigned POST of its own (an article only)"),
    ] = []  # fmt: skip
    focus: Annotated[
        tuple[Annotated[float, Field(ge=0, le=1)], Annotated[float, Field(ge=0, le=1)]] | None,
        Field(description="An image alone: the point its crops are centred on (fractions)"),
    ] = None  # fmt: skip


class ImageFileRequest(BaseModel):
    """One image to upload with the article."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)

    filename: Annotated[
        str, Field(min_length=1, max_length=200, description="The name the article uses for it "
                   "(![alt](photo.jpg), image: {src: photo.jpg}); .jpg, .jpeg, .png or .webp",
                   examples=["banjir-garut.jpg"]),
    ]  # fmt: skip
    focus: Annotated[
        tuple[Annotated[float, Field(ge=0, le=1)], Annotated[float, Field(ge=0, le=1)]] | None,
        Field(description="The point its 16:9, 4:3 and 1:1 crops are centred on, as fractions of "
              "the width and height (the front matter's image.focus); the centre when not given"),
    ] = None  # fmt: skip


class PresignedPost(BaseModel):
    model_config = ConfigDict(defer_build=True)  # built when first used (cold starts)

    url: str
    fields: dict[str, str]


class ImageTicket(BaseModel):
    """Where and how to POST one image of the upload."""

    model_config = ConfigDict(defer_build=True)

    filename: str
    upload: PresignedPost
    content_type: str
    max_bytes: int


class UploadTicket(BaseModel):
    """``POST /uploads`` response: where and how to POST the file (and each image uploaded with it)."""

    model_config = ConfigDict(defer_build=True)

    upload_id: str
    kind: Literal["article", "image"] = "article"
    status_path: str
    upload: PresignedPost
    content_type: str
    max_bytes: int
    expires_at: datetime
    images: list[ImageTicket] = []
