"""An article's images in its documents: the featured image's fields, a list's thumbnail, and the
body's ``<picture>`` elements, from the library's variants (no imaging library)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING, Literal, cast

from kabar.images.records import ImageInfo, ImageUse, ImageVariant

if TYPE_CHECKING:
    from kabar.documents import ArticleImage, ImageSource, Thumbnail

# What a body image is shown at: the full width of a phone, at most an article column's.
BODY_SIZES = "(max-width: 768px) 100vw, 768px"
FALLBACK_WIDTH = 1280  # the widest JPEG a browser without srcset is given


def _sources(variants: Iterable[ImageVariant]) -> list[ImageSource]:
    from kabar.documents import ImageSource

    widths = sorted((v for v in variants if v.crop is None), key=lambda v: (v.width, v.type))
    kinds = cast("list[Literal['image/webp', 'image/jpeg']]", [v.type for v in widths])
    return [
        ImageSource(path=v.path, width=v.width, height=v.height, type=kind)
        for v, kind in zip(widths, kinds, strict=True)
    ]


def _fallback(sources: list[ImageSource], widest: int = FALLBACK_WIDTH) -> str:
    jpegs = [source for source in sources if source.type == "image/jpeg"]
    fitting = [source for source in jpegs if source.width <= widest] or jpegs[:1]
    return fitting[-1].path if fitting else ""


def thumbnail(use: ImageUse) -> Thumbnail:
    """A list's thumbnail of the featured image (its small widths, as stored at publish)."""
    from kabar.documents import Thumbnail

    sources = _sources(use.thumbnail)
    return Thumbnail(alt=use.alt, width=use.width, height=use.height, src=_fallback(sources), srcset=sources)


def article_image(use: ImageUse, info: ImageInfo) -> ArticleImage:
    """The article document's ``image``: every width, and the crops around the article's focus."""
    from kabar.documents import ArticleImage, ImageCrop
    from kabar.images.variants import crop_names

    sources = _sources(info.variants)
    names = crop_names(use.focus or (0.5, 0.5))
    by_name = {v.name: v for v in info.variants if v.crop}
    centred = {v.crop: v for v in info.variants if v.crop and v.name == v.crop}
    crops = []
    for name in names:
        ratio = name.split("-", 1)[0]
        variant = by_name.get(name) or centred.get(ratio)  # crops around the focus, or else the centre's
        if variant is not None:
            crops.append(ImageCrop(ratio=cast("Literal['16x9', '4x3', '1x1']", ratio), path=variant.path,
                                   width=variant.width, height=variant.height))  # fmt: skip
    return ArticleImage(id=info.id, alt=use.alt, caption=use.caption, credit=use.credit or info.credit,
                        width=info.width, height=info.height, src=_fallback(sources), srcset=sources,
                        crops=crops)  # fmt: skip


def picture(use: ImageUse, info: ImageInfo | None, base: str, *, figure: bool) -> str:
    """A body image as HTML: ``<picture>`` with a WebP and a JPEG ``srcset``, an ``<img>`` with alt,
    width, height (its space reserved), sizes and lazy loading; in a ``<figure>`` with its caption
    when it stands alone. ``base``: what paths are prefixed with (the CDN's address, or "/")."""
    alt = escape(use.alt)
    caption = f"<figcaption>{escape(use.caption)}</figcaption>" if use.caption else ""
    if info is None:  # no longer in the library: the alt text holds its place
        inner = f'<img alt="{alt}">'
    else:
        sources = _sources(info.variants)
        prefix = base.rstrip("/") + "/"

        def srcset(kind: str) -> str:
            return ", ".join(f"{prefix}{s.path} {s.width}w" for s in sources if s.type == kind)

        webp = f'<source type="image/webp" srcset="{srcset("image/webp")}" sizes="{BODY_SIZES}">'
        inner = (
            f'<picture>{webp}<img src="{prefix}{_fallback(sources)}" srcset="{srcset("image/jpeg")}" '
            f'sizes="{BODY_SIZES}" width="{info.width}" height="{info.height}" alt="{alt}" loading="lazy" '
            f'decoding="async"></picture>'
        )
    return f"<figure>{inner}{caption}</figure>" if figure else inner
