"""An article's images at publish: the featured one (front matter ``image``) and each ``<img>`` of
the body, every one a file uploaded with the article (by its name) or a library image (by its id),
resolved to the stored image, or waited for, or refused with every reason.

The body's images become markers in the stored ``body_html`` (``<img data-kabar-image="0">``, or
``<figure data-kabar-image="0"></figure>`` for an image alone in its paragraph): RenderFunction
turns each into ``<picture>`` with ``srcset`` from the library's variants as they are when it
renders (so a rebuild of the variants reaches the body too).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kabar.images.records import IMAGE_ID, IMAGES_PER_ARTICLE, ImageInfo, ImageUse, ImageVariant
from kabar.models import FieldError, Upload
from kabar.workflows.uploads import safe_filename

if TYPE_CHECKING:
    from kabar.submissions import ArticleSubmission

Library = Callable[[Iterable[str]], Mapping[str, ImageInfo]]
_IMG = re.compile(r"<img\b[^>]*>")
_ALONE = re.compile(r"<p>\s*(<img\b[^>]*>)\s*</p>")
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
_MARKER = re.compile(r'<(img|figure) data-kabar-image="(\d+)">(?:</figure>)?')
THUMBNAIL_WIDTH = 640  # the widest variant a list's thumbnail offers


@dataclass
class Resolution:
    """The article's images as stored, and what keeps it from being published (yet)."""

    featured: ImageUse | None = None
    body: list[ImageUse] = field(default_factory=list)
    body_html: str = ""
    errors: list[FieldError] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # files uploaded with it, still being processed
    warnings: list[FieldError] = field(default_factory=list)


def resolve(submission: ArticleSubmission, body_html: str, upload: Upload, library: Library) -> Resolution:
    """Every image the article uses, resolved (or why not: each reason, each file still pending)."""
    tags = [_attributes(tag) for tag in _IMG.findall(body_html)]
    sources = [image.src for image in [submission.image] if image] + [tag.get("src", "") for tag in tags]
    if len(set(sources)) > IMAGES_PER_ARTICLE:
        message = (f"the article uses {len(set(sources))} different images; at most {IMAGES_PER_ARTICLE} "
                   "(the featured one and the body's): make a gallery of several articles")  # fmt: skip
        return Resolution(errors=[FieldError(field="body", message=message)], body_html=body_html)
    resolver = _Resolver(upload, library([src for src in sources if IMAGE_ID.match(src)]))
    found = resolver.found
    if submission.image is not None:
        image = submission.image
        info = resolver.lookup(image.src, "image.src", "")
        if info is not None:
            found.featured = featured_use(info, image.alt, image.caption, image.credit, image.focus)
            _check_focus(info, image.focus, found)
    for number, tag in enumerate(tags, 1):
        resolver.body_image(number, tag)
    found.warnings += [
        FieldError(field=f"files.{name}", message=UNUSED)
        for name in sorted(set(upload.files) - resolver.used)
    ]
    found.body_html = _with_markers(body_html)
    return found


UNUSED = (
    "was uploaded with the article but the article does not use it (it is in the library: its id names it)"
)


class _Resolver:
    """What one article's images resolve to: the upload's files by name, library images by id."""

    def __init__(self, upload: Upload, known: Mapping[str, ImageInfo]) -> None:
        self.upload, self.known = upload, known
        self.found = Resolution()
        self.used: set[str] = set()

    def refuse(self, field_name: str, message: str) -> None:
        self.found.errors.append(FieldError(field=field_name, message=message))

    def lookup(self, src: str, field_name: str, where: str) -> ImageInfo | None:
        if IMAGE_ID.match(src):
            if src not in self.known:
                self.refuse(field_name, f"{where}no image {src} is in the library (not uploaded, or refused)")
            return self.known.get(src)
        name = safe_filename(src)
        file = self.upload.files.get(name)
        self.used.add(name)
        if file is None:
            self.refuse(field_name, f"{where}{src!r} was not uploaded with the article and is no image id: "
                        f"upload it with the article (kabar upload story.md {name})")  # fmt: skip
        elif file.state == "pending":
            self.found.waiting.append(name)
        elif file.state == "rejected":
            self.refuse(field_name, f"{where}{src} was refused: " + "; ".join(file.reasons))
        return file.image if file is not None and file.state == "stored" else None

    def body_image(self, number: int, tag: dict[str, str]) -> None:
        src, alt = tag.get("src", ""), tag.get("alt", "").strip()
        where = f"image {number} ({src or 'no source'}) in the body: "
        if not alt:
            example = f"![Warga mengungsi]({src or 'foto.jpg'})"
            self.refuse("body", f"{where}needs alt text, what the photo shows: {example}")
        if not src or "/" in src or ":" in src:
            self.refuse("body", f"{where}name a file uploaded with the article (![alt](foto.jpg)) or a "
                        "library image's id; images from other sites are not taken")  # fmt: skip
            return
        info = self.lookup(src, "body", where)
        if info is not None and alt:
            use = ImageUse(id=info.id, alt=alt, caption=tag.get("title") or None, credit=info.credit,
                           width=info.width, height=info.height)  # fmt: skip
            self.found.body.append(use)


def featured_use(
    info: ImageInfo, alt: str, caption: str | None, credit: str | None, focus: tuple[float, float] | None
) -> ImageUse:
    thumbnail = [v for v in info.variants if v.crop is None and v.width <= THUMBNAIL_WIDTH]
    return ImageUse(
        id=info.id,
        alt=alt,
        caption=caption,
        credit=credit or info.credit,
        focus=focus,
        width=info.width,
        height=info.height,
        thumbnail=thumbnail,
    )


def _check_focus(info: ImageInfo, focus: tuple[float, float] | None, found: Resolution) -> None:
    """A warning when the image has no crops around the article's focus point."""
    from kabar.images.variants import crop_names  # names only: no imaging library

    wanted = set(crop_names(focus or (0.5, 0.5)))
    if not wanted <= {variant.name for variant in info.variants if variant.crop}:
        found.warnings.append(
            FieldError(
                field="image.focus",
                message=(
                    "the image's crops were made around another focus point; upload the image again with "
                    "this article (kabar upload story.md photo.jpg) to make them around this one"
                ),
            )
        )


def _attributes(tag: str) -> dict[str, str]:
    return {name: html.unescape(value) for name, value in _ATTRIBUTE.findall(tag)}


def _with_markers(body_html: str) -> str:
    """``body_html`` with each ``<img>`` a numbered marker (a figure when alone in its paragraph)."""
    counter = iter(range(1_000_000))
    numbered = _IMG.sub(lambda m: f'<img data-kabar-image="{next(counter)}">', body_html)
    return _ALONE.sub(lambda m: m.group(1).replace("<img ", "<figure ", 1) + "</figure>", numbered)


def markers(body_html: str) -> list[tuple[str, int]]:
    """The markers in a stored body: (``img`` or ``figure``, the image's index in ``Article.images``)."""
    return [(kind, int(index)) for kind, index in _MARKER.findall(body_html)]


def expand(body_html: str, replace: Callable[[str, int], str]) -> str:
    """A stored body with each marker replaced by ``replace(kind, index)``."""
    return _MARKER.sub(lambda m: replace(m.group(1), int(m.group(2))), body_html)


__all__ = ["ImageVariant", "Resolution", "expand", "featured_use", "markers", "resolve"]
