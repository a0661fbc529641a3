"""What the table keeps of photos: the library's images, each file of an upload, and an article's
use of an image. Plain records (:class:`kabar.record.Record`); no imaging library.

An image's id is the first 32 hex digits of its original's SHA-256: the same photo uploaded twice
is one image (stored once), and an editor can name it in any article (``image: {src: <id>}``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from kabar.record import Record, described

IMAGE_ID = re.compile(r"^[0-9a-f]{32}$")
FileState = Literal["pending", "stored", "rejected"]
# The featured image and the body's, at most: each is a reverse-index entry (keys.image_user)
# written in the article's publish transaction.
IMAGES_PER_ARTICLE = 25


def image_id(sha256: str) -> str:
    return sha256[:32]


def variants_dir(image: str) -> str:
    """The site bucket's folder of an image's variants (content-addressed by its id)."""
    return f"v1/images/{image}"


@dataclass(kw_only=True)
class ImageVariant(Record):
    """One file made from an image: a width for ``srcset`` or a crop."""

    name: str = described('"640" (a width) or "16x9" (a crop; "16x9-30-40" around a focus point)')
    path: str = described("Its path on the CDN")
    width: int
    height: int
    type: str = described("image/webp or image/jpeg")
    bytes: int = 0
    crop: str | None = described("16x9, 4x3 or 1x1 for a crop; null for a width", default=None)
    focus: tuple[float, float] | None = described("The crop's focus point (fractions)", default=None)


@dataclass(kw_only=True)
class ImageInfo(Record):
    """A stored image as an upload's status and a publish see it."""

    id: str
    width: int
    height: int
    format: str = described("What the original is: jpeg, png or webp")
    credit: str | None = described(
        "The credit the original's metadata named (IPTC, XMP or EXIF)", default=None
    )
    variants: list[ImageVariant] = field(default_factory=list)


@dataclass(kw_only=True)
class LibraryImage(ImageInfo):
    """An image in the library (its own item, by id): its variants, and where its original is kept."""

    sha256: str
    original_key: str = described("The original in the incoming bucket (kept: variants are remade from it)")
    original_version: str | None = None
    original_bytes: int = 0
    widths: list[int] = field(default_factory=list)  # the widths settings the variants were made for
    # The widths setting the articles using it were last rendered for (kabar images rebuild): a
    # rebuild that stopped between adding variants and rendering them finds it behind.
    rendered_widths: list[int] = field(default_factory=list)
    created_at: datetime
    created_by: str
    upload_id: str

    def info(self) -> ImageInfo:
        return ImageInfo(id=self.id, width=self.width, height=self.height, format=self.format,
                         credit=self.credit, variants=list(self.variants))  # fmt: skip


@dataclass(kw_only=True)
class UploadFile(Record):
    """An image file of an upload (posted with an article, or alone): where it goes, what became of it."""

    filename: str
    key: str
    content_type: str
    focus: tuple[float, float] | None = described("The focus point its crops are made around", default=None)
    state: FileState = "pending"
    processed_at: datetime | None = None
    image: ImageInfo | None = None
    reasons: list[str] = described("Why it was refused, each a sentence", default_factory=list)


@dataclass(kw_only=True)
class ImageUse(Record):
    """An article's use of an image: the featured one (front matter ``image``) or one in the body."""

    id: str
    alt: str
    caption: str | None = None
    credit: str | None = None
    focus: tuple[float, float] | None = None
    width: int = 0  # the image's own size (upright)
    height: int = 0
    # The featured image's small widths as they were at publish: what lists show (variants are never
    # deleted, so these stay valid after a rebuild).
    thumbnail: list[ImageVariant] = field(default_factory=list)
