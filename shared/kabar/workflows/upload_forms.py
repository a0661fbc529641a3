"""The upload API's request and ticket as pydantic models (``POST /uploads``). Imported when one
is read or made (:mod:`kabar.workflows.uploads`), not by a cold start that needs none.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class UploadRequest(BaseModel):
    """``POST /uploads`` body."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)

    filename: Annotated[
        str, Field(min_length=1, max_length=200, description="Must end in .md, .markdown or .json",
                   examples=["02-serangan-aleppo.md"]),
    ]  # fmt: skip
    content_type: Annotated[
        str | None, Field(max_length=100, description="Optional; when given it must be the type the "
                          "file name implies: text/markdown or application/json"),
    ] = None  # fmt: skip


class PresignedPost(BaseModel):
    model_config = ConfigDict(defer_build=True)  # built when first used (cold starts)

    url: str
    fields: dict[str, str]


class UploadTicket(BaseModel):
    """``POST /uploads`` response: where and how to POST the file."""

    model_config = ConfigDict(defer_build=True)

    upload_id: str
    status_path: str
    upload: PresignedPost
    content_type: str
    max_bytes: int
    expires_at: datetime
