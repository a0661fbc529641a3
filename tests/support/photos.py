"""Photos made by the tests with Pillow: a gradient JPEG with camera EXIF (and GPS when asked), a PNG
whose header claims a bomb's size, and what metadata a file still carries."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image

SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)
GPS_IFD = ExifTags.IFD.GPSInfo


def jpeg(size: tuple[int, int] = (2400, 1600), *, orientation: int | None = None, gps: bool = False) -> bytes:
    """A JPEG with a gradient from black at the top to white at the bottom (so that a rotation
    shows), EXIF as asked."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    exif = image.getexif()
    exif[ExifTags.Base.Make], exif[ExifTags.Base.BodySerialNumber] = "Kamera", "SN-0042"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        place = exif.get_ifd(GPS_IFD)
        place[ExifTags.GPS.GPSLatitudeRef], place[ExifTags.GPS.GPSLatitude] = "S", (6.0, 10.0, 30.0)
        place[ExifTags.GPS.GPSLongitudeRef], place[ExifTags.GPS.GPSLongitude] = "E", (106.0, 49.0, 0.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header says ``width`` x ``height`` (with one tiny compressed row): a bomb's shape."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


# What a decoder reports of a file's structure, not metadata carried from the original.
STRUCTURE = {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "progressive", "progression",
             "loop", "background"}  # fmt: skip


def metadata_of(data: bytes) -> dict[str, object]:
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        return {"exif": dict(exif), "gps": dict(exif.get_ifd(GPS_IFD)),
                "keys": sorted(k for k in image.info if k not in STRUCTURE)}  # fmt: skip
