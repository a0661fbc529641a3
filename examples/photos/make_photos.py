"""The example photos (examples/photos/*.jpg), drawn here so that anyone can remake them: no one's
photograph, no licence but the project's. Each carries camera EXIF with a GPS position and a
serial number, as a reporter's photo would, so that trying them shows Kabar strip it.

    .venv/bin/python examples/photos/make_photos.py
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import ExifTags, Image, ImageDraw, ImageFilter

HERE = Path(__file__).parent


def flood(width: int = 2400, height: int = 1600) -> Image.Image:
    """Houses standing in brown water under a grey sky, a boat in front."""
    rng = random.Random(15)  # noqa: S311 (a drawing, not a secret)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):  # sky, then water
        tone = (150 + y * 60 // height,) * 3 if y < height * 0.45 else (120 - y // 40, 95 - y // 60, 60)
        draw.line([(0, y), (width, y)], fill=tone)
    for left in range(0, width, 260):  # houses, half under water
        top = int(height * 0.3) + rng.randint(-40, 40)
        colour = rng.choice([(196, 164, 132), (220, 200, 170), (170, 120, 90), (230, 230, 220)])
        draw.rectangle([left + 20, top, left + 230, int(height * 0.55)], fill=colour)
        draw.polygon([(left, top), (left + 125, top - 120), (left + 250, top)], fill=(140, 50, 40))
    draw.ellipse([width * 0.35, height * 0.7, width * 0.65, height * 0.82], fill=(230, 90, 30))  # the boat
    return image.filter(ImageFilter.GaussianBlur(1.2))


def save(image: Image.Image, name: str) -> None:
    exif = image.getexif()
    exif[ExifTags.Base.Make], exif[ExifTags.Base.Model] = "Kamera", "Contoh 1"
    exif[ExifTags.Base.BodySerialNumber] = "SN-CONTOH-0001"
    exif[ExifTags.Base.Artist] = "Redaksi Kabar"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "S", (6.0, 13.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef], gps[ExifTags.GPS.GPSLongitude] = "E", (106.0, 51.0, 50.0)
    image.save(HERE / name, "JPEG", exif=exif, quality=85, optimize=True)


if __name__ == "__main__":
    save(flood(), "banjir-kampung-melayu.jpg")
    save(flood(1200, 1600).transpose(Image.Transpose.FLIP_LEFT_RIGHT), "posko-pengungsian.jpg")
