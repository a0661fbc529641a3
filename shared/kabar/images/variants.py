"""A photo read safely, turned upright, made sRGB, stripped of every piece of metadata, and its
variants: widths for ``srcset`` in WebP and JPEG (never wider than the photo), and crops at 16:9,
4:3 and 1:1 around a focus point for structured data and social cards.

Pillow does the imaging (its aarch64/cp313 wheels carry libjpeg-turbo, libwebp and littlecms;
see docs/architecture.md for the choice) and is imported inside these functions, so only the
code that makes variants loads it. :func:`read` refuses, with every reason it finds, bytes
that are not what :mod:`kabar.images.formats` accepts, images over the pixel limit (checked
from the header, before anything is decoded: a decompression bomb never expands), animated
images, and files that are damaged or cut short.

Nothing of the original's metadata reaches a variant: EXIF (GPS positions, camera serials),
XMP, IPTC and the colour profile are dropped after the orientation is applied and the colours
converted to sRGB (a browser takes untagged colours as sRGB). The credit an editor gives is
kept in the table, not in the file.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kabar.images.formats import sniff

if TYPE_CHECKING:
    from PIL.Image import Image

DEFAULT_WIDTHS = (320, 640, 960, 1280, 1920)
CROPS = {"16x9": (16, 9), "4x3": (4, 3), "1x1": (1, 1)}
CROP_WIDTH = 1200  # Google's structured data asks for images at least 1,200 px wide
MAX_PIXELS = 50_000_000  # a 24 MP camera's photo is 24 million; a bomb is billions
FORMATS = {"webp": ("WEBP", "image/webp", ".webp"), "jpeg": ("JPEG", "image/jpeg", ".jpg")}
QUALITY = {"webp": 80, "jpeg": 82}
_PILLOW_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}


class Refused(ValueError):
    """The file is no photo Kabar takes: every reason, each a sentence an editor can act on."""

    def __init__(self, reasons: Sequence[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = list(reasons)


@dataclass(frozen=True)
class Variant:
    name: str  # "640" (a width) or "16x9" (a crop)
    width: int
    height: int
    kind: str  # "webp" or "jpeg"
    data: bytes

    @property
    def content_type(self) -> str:
        return FORMATS[self.kind][1]

    def path(self, digest: str) -> str:
        """Where the site bucket keeps it: content-addressed (the same photo, the same paths)."""
        return f"v1/images/{digest[:32]}/{self.name}{FORMATS[self.kind][2]}"


def digest(data: bytes) -> str:
    """The original's SHA-256: its id in paths (the same bytes uploaded twice are stored once)."""
    return hashlib.sha256(data).hexdigest()


def read(
    data: bytes, filename: str = "", *, max_pixels: int = MAX_PIXELS, largest: int | None = None
) -> Image:
    """The photo upright, in sRGB (RGB, or RGBA when it has transparency), without metadata.

    ``largest``: the widest variant wanted (and :data:`CROP_WIDTH` for the crops). A JPEG at
    least twice as large as that needs is decoded at 1/2, 1/4 or 1/8 of its size (libjpeg
    scales while it decodes: a 24 MP photo then costs a quarter of the memory and time), never
    smaller than the variants and crops need.
    """
    from PIL import ImageOps

    pil = _pillow()
    sniffed = sniff(data, filename)
    if sniffed.kind is None:
        raise Refused([sniffed.reason or "not an image"])
    name = filename or "the file"
    try:
        image = pil.open(io.BytesIO(data), formats=[_PILLOW_FORMATS[sniffed.kind]])
    except pil.DecompressionBombError:
        raise Refused([f"{name} has too many pixels (a decompression bomb?)"]) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise Refused([f"{name} cannot be read as {sniffed.kind.upper()}: {exc}"]) from None
    reasons = []
    width, height = image.size
    if width * height > max_pixels:
        reasons.append(f"{name} is {width} x {height} pixels, over the limit of {max_pixels:,}")
    if getattr(image, "is_animated", False):
        reasons.append(f"{name} is animated: upload a still photo")
    if reasons:
        raise Refused(reasons)
    if largest is not None and sniffed.kind == "jpeg":
        image.draft("RGB", _needed(image, largest))
    try:
        image.load()
    except (OSError, SyntaxError, ValueError) as exc:
        raise Refused([f"{name} is damaged or cut short ({exc})"]) from None
    ImageOps.exif_transpose(image, in_place=True)  # no copy of a photo already upright
    return _clean(_srgb(image))


def _pillow() -> Any:
    """Pillow's ``Image`` with the plugins of the kinds Kabar takes registered, and only those:
    opening or saving one of them then never calls ``Image.init()``, which imports all of
    Pillow's 45 plugins (40 ms of a cold start, and readers of formats Kabar refuses)."""
    from PIL import Image, JpegImagePlugin, PngImagePlugin, WebPImagePlugin  # noqa: F401

    return Image


def _open(data: bytes) -> Any:
    """The file opened (its header read, nothing decoded) by the plugins Kabar takes alone."""
    return _pillow().open(io.BytesIO(data), formats=list(_PILLOW_FORMATS.values()))


def _needed(image: Image, largest: int) -> tuple[int, int]:
    """The smallest size (as stored, before turning upright) the variants and crops can be made from."""
    width, height = image.size
    turned = image.getexif().get(0x0112, 1) in (5, 6, 7, 8)  # EXIF orientation: a quarter turn
    upright_width = height if turned else width
    scale = min(1.0, max(largest / upright_width, CROP_WIDTH / min(width, height)))
    return math.ceil(width * scale), math.ceil(height * scale)


def _srgb(image: Image) -> Image:
    """Colours converted from the photo's embedded profile (if any) to sRGB."""
    alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    target = "RGBA" if alpha else "RGB"
    profile = image.info.get("icc_profile")
    if profile and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        from PIL import ImageCms  # littlecms: loaded only for a photo that carries a profile

        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            converted = ImageCms.profileToProfile(
                image,
                source,
                ImageCms.createProfile("sRGB"),
                outputMode=target if image.mode != "L" else "RGB",
            )
            if converted is not None:
                return converted.convert(target) if converted.mode != target else converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: the colours as they are
    return image.convert(target) if image.mode != target else image


def _clean(image: Image) -> Image:
    """The pixels alone: no EXIF, XMP, IPTC, comment or profile left for a writer to copy."""
    image.info = {}
    return image


def _encode(image: Image, kind: str) -> bytes:
    out = io.BytesIO()
    if kind == "jpeg" and image.mode == "RGBA":
        flat = _pillow().new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    options: dict[str, Any] = {"quality": QUALITY[kind]}
    if kind == "jpeg":
        options |= {"optimize": True, "progressive": True}
    else:
        options |= {"method": 4}
    image.save(out, FORMATS[kind][0], **options)
    return out.getvalue()


def _resized(image: Image, width: int) -> Image:
    if width >= image.width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), _pillow().Resampling.LANCZOS, reducing_gap=3.0)


def widths(
    image: Image, wanted: Iterable[int] = DEFAULT_WIDTHS, kinds: Iterable[str] = ("webp", "jpeg")
) -> list[Variant]:
    """A variant per wanted width narrower than the photo (the photo's own width when it is
    narrower than all of them), in each kind: never upscaled."""
    sizes = sorted({w for w in wanted if 0 < w < image.width}) or [image.width]
    found = []
    for size in sizes:
        resized = _resized(image, size)
        found += [
            Variant(str(size), resized.width, resized.height, kind, _encode(resized, kind)) for kind in kinds
        ]
    return found


@dataclass(frozen=True)
class Made:
    """What :func:`make` made of an original: its kind, upright size, credit and variants."""

    kind: str
    width: int
    height: int
    credit: str | None
    variants: list[Variant]


def make(
    data: bytes,
    filename: str = "",
    *,
    wanted: Iterable[int] = DEFAULT_WIDTHS,
    focus: tuple[float, float] = (0.5, 0.5),
    have: Iterable[str] = (),
    max_pixels: int = MAX_PIXELS,
) -> Made:
    """Every variant of the original ``data`` (Refused with every reason): the widths ``wanted``
    in WebP and JPEG, and the crops around ``focus``; none of those named in ``have`` (variants
    already stored, as ``<name>.<kind>``)."""
    wanted = sorted(set(wanted))
    image = read(data, filename, max_pixels=max_pixels, largest=max(wanted))  # Refused: nothing else read
    kind = sniff(data, filename).kind
    size, credit = upright_size(data), credit_of(data)
    skip = set(have)
    made = [v for v in widths(image, wanted) if f"{v.name}.{v.kind}" not in skip]
    if not all(f"{name}.jpeg" in skip for name in crop_names(focus)):
        made += crops(image, focus)
    return Made(str(kind), size[0], size[1], credit, made)


def upright_size(data: bytes) -> tuple[int, int]:
    """The photo's size once turned upright (from its header: nothing is decoded)."""
    with _open(data) as image:
        width, height = image.size
        turned = image.getexif().get(0x0112, 1) in (5, 6, 7, 8)
    return (height, width) if turned else (width, height)


_CREDIT_TAGS = ((2, 110), (2, 80), (2, 116))  # IPTC Credit, By-line, Copyright Notice
_XMP_CREDIT = (b"photoshop:Credit", b"dc:creator", b"dc:rights")


def credit_of(data: bytes) -> str | None:
    """The credit the original's metadata names (IPTC Credit or By-line, XMP photoshop:Credit or
    dc:creator, EXIF Artist or Copyright), as plain text: kept in the table, while every variant
    is stripped. None when it names none."""
    from PIL import IptcImagePlugin

    found: list[object] = []
    with (
        _open(data) as image,
        contextlib.suppress(Exception),
    ):  # a broken block: no credit
        iptc = (IptcImagePlugin.getiptcinfo(image) or {}) if image.format == "JPEG" else {}
        found += [_first(iptc.get(tag)) for tag in _CREDIT_TAGS]
        xmp = image.info.get("xmp") or b""
        found += [_xmp_value(xmp if isinstance(xmp, bytes) else xmp.encode(), name) for name in _XMP_CREDIT]
        exif = image.getexif()
        found += [exif.get(0x013B), exif.get(0x8298)]  # Artist, Copyright
    for value in found:
        text = _plain(value)
        if text:
            return text
    return None


def _first(value: object) -> bytes | None:
    if isinstance(value, list):
        return value[0] if value else None
    return value if isinstance(value, bytes) else None


def _xmp_value(xmp: bytes, name: bytes) -> bytes | None:
    """A property's first text in an XMP packet: as an attribute, an element, or an rdf:li."""
    import re

    escaped = re.escape(name)
    for pattern in (
        escaped + rb'="([^"]{1,400})"',
        escaped + rb">\s*(?:<rdf:\w+>\s*<rdf:li[^>]*>)?([^<]{1,400})<",
    ):
        match = re.search(pattern, xmp)
        if match:
            return match.group(1)
    return None


def _plain(value: object) -> str | None:
    if isinstance(value, bytes):
        raw = value
        try:
            value = raw.decode()
        except UnicodeDecodeError:
            value = raw.decode("latin-1")
    if not isinstance(value, str):
        return None
    text = " ".join("".join(c if c.isprintable() else " " for c in value).split())
    return text[:200] or None


def crop_names(focus: tuple[float, float]) -> list[str]:
    """The crops' names around ``focus``: ``16x9``, or ``16x9-30-40`` away from the centre."""
    at = "" if focus == (0.5, 0.5) else "-{:.0f}-{:.0f}".format(*(min(max(f, 0.0), 1.0) * 100 for f in focus))
    return [f"{name}{at}" for name in CROPS]


def crop_box(
    size: tuple[int, int], ratio: tuple[int, int], focus: tuple[float, float]
) -> tuple[int, int, int, int]:
    """The largest box of ``ratio`` in an image of ``size``, centred on ``focus`` (fractions of the
    width and height) as far as the edges allow."""
    width, height = size
    across, down = ratio
    box_w, box_h = width, round(width * down / across)
    if box_h > height:
        box_w, box_h = round(height * across / down), height
    fx, fy = (min(max(f, 0.0), 1.0) for f in focus)
    left = min(max(round(fx * width - box_w / 2), 0), width - box_w)
    top = min(max(round(fy * height - box_h / 2), 0), height - box_h)
    return left, top, left + box_w, top + box_h


def crops(image: Image, focus: tuple[float, float] = (0.5, 0.5), width: int = CROP_WIDTH) -> list[Variant]:
    """The 16:9, 4:3 and 1:1 crops around ``focus``, ``width`` wide (or as wide as the crop is), JPEG;
    named by ratio, and by focus (in hundredths) when it is not the centre."""
    found = []
    for name, ratio in zip(crop_names(focus), CROPS.values(), strict=True):
        cropped = _resized(image.crop(crop_box(image.size, ratio, focus)), width)
        found.append(Variant(name, cropped.width, cropped.height, "jpeg", _encode(cropped, "jpeg")))
    return found


__all__ = [
    "CROPS",
    "DEFAULT_WIDTHS",
    "Made",
    "Refused",
    "Variant",
    "credit_of",
    "crop_box",
    "crops",
    "digest",
    "make",
    "read",
    "widths",
]
