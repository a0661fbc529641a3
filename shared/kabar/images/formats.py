"""What an uploaded file holds, from its first bytes, whatever its name says.

Kabar takes JPEG, PNG and WebP photos. Everything else is refused with a reason an editor can
act on: SVG (it can carry scripts), HTML or other text, GIF, HEIC and AVIF (no decoder in the
function yet), PDF, and bytes that are no known image. The name's extension is only compared
with what the bytes are, to say so when they differ.
"""

from __future__ import annotations

from dataclasses import dataclass

# The kinds Kabar takes: name, MIME type, the extension its variants get.
ACCEPTED = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
EXTENSIONS = {"jpeg": (".jpg", ".jpeg", ".jpe"), "png": (".png",), "webp": (".webp",)}
HEAD_BYTES = 512  # what sniffing reads


@dataclass(frozen=True)
class Sniffed:
    kind: str | None  # one of ACCEPTED, or None: refused
    reason: str | None = None  # why it is refused, for the upload's status
    misnamed: bool = False  # an accepted image under another kind's extension


def _kind(head: bytes) -> tuple[str | None, str | None]:
    """(an accepted kind, None) or (None, what the bytes are instead)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg", None
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", None
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp", None
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return None, "a GIF image: upload it as JPEG, PNG or WebP"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"avif", b"avis"):
            return None, "an AVIF image, which Kabar cannot read yet: upload it as JPEG, PNG or WebP"
        if brand in (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"):
            return None, "a HEIC image (an iPhone photo?), which Kabar cannot read yet: export it as JPEG"
        return None, "a video or other ISO media file, not a photo"
    if head.startswith(b"%PDF"):
        return None, "a PDF document, not an image"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in text or (text.startswith(b"<?xml") and b"svg" in text):
        return None, "an SVG drawing, which is refused: it can carry scripts"
    if text.startswith(b"<"):  # HTML, XML, any markup
        return None, "HTML or other markup, not an image"
    return None, "not a JPEG, PNG or WebP image"


def sniff(head: bytes, filename: str = "") -> Sniffed:
    """What a file's first bytes (:data:`HEAD_BYTES` are enough) say it is."""
    kind, reason = _kind(head[:HEAD_BYTES])
    if kind is None:
        return Sniffed(None, f"{filename or 'the file'} is {reason}")
    name = filename.lower()
    misnamed = any(name.endswith(ext) for other, exts in EXTENSIONS.items() if other != kind for ext in exts)
    return Sniffed(kind, misnamed=misnamed)
