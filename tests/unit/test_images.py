"""Photos (kabar.images): what a file holds, refusals with reasons, upright stripped sRGB variants.

Every image here is made by the test with Pillow: a GPS-tagged JPEG, a rotated one, a PNG bomb
(a header claiming a billion pixels), a truncated JPEG, an SVG with a script, HTML named .jpg.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageCms

from kabar.images.formats import sniff
from kabar.images.variants import CROP_WIDTH, Refused, Variant, crop_box, crops, digest, read, widths
from tests.support.photos import jpeg, metadata_of, png_claiming


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
         "logo.svg", "SVG drawing, which is refused: it can carry scripts"),
        (b"<!DOCTYPE html><html><body><script>document.cookie</script></body></html>", "foto.jpg",
         "foto.jpg is HTML or other markup, not an image"),
        (b"GIF89a" + b"\x00" * 20, "lucu.gif", "a GIF image"),
        (b"\x00\x00\x00\x18ftypheic" + b"\x00" * 20, "IMG_0001.HEIC", "a HEIC image"),
        (b"%PDF-1.7\n", "surat.jpg", "a PDF document"),
        (b"just some words", "catatan.png", "not a JPEG, PNG or WebP image"),
    ],
)  # fmt: skip
def test_what_is_not_a_photo_is_refused_whatever_its_name(data: bytes, name: str, says: str) -> None:
    assert sniff(data, name).kind is None and says in (sniff(data, name).reason or "")
    with pytest.raises(Refused, match=says.split(",", maxsplit=1)[0]):
        read(data, name)


def test_the_kind_comes_from_the_bytes_and_a_wrong_extension_is_noticed() -> None:
    photo = jpeg((40, 30))
    assert sniff(photo, "foto.jpg").kind == "jpeg" and not sniff(photo, "foto.jpg").misnamed
    assert sniff(photo, "foto.png").kind == "jpeg" and sniff(photo, "foto.png").misnamed
    webp = io.BytesIO()
    Image.new("RGB", (8, 8)).save(webp, "WEBP")
    assert sniff(webp.getvalue(), "x.webp").kind == "webp"


def test_a_gps_tagged_photo_loses_every_piece_of_metadata_in_every_variant() -> None:
    original = jpeg(gps=True)
    assert metadata_of(original)["gps"]  # the test's photo does carry a position and a serial
    image = read(original, "lokasi.jpg")
    made = widths(image) + crops(image)
    assert made
    for variant in made:
        found = metadata_of(variant.data)
        assert found == {"exif": {}, "gps": {}, "keys": []}, variant.name
        assert (
            b"Exif" not in variant.data and b"SN-0042" not in variant.data and b"Kamera" not in variant.data
        )


def test_a_rotated_photo_is_turned_upright_before_anything_is_made() -> None:
    image = read(jpeg((300, 200), orientation=6), "miring.jpg")  # 6: the camera was turned a quarter
    assert image.size == (200, 300)
    # Black was at the top; turned a quarter clockwise, it is on the right, white on the left.
    assert image.getpixel((194, 150))[0] < 40 and image.getpixel((5, 150))[0] > 215


def test_widths_are_never_upscaled_and_come_in_webp_and_jpeg() -> None:
    image = read(jpeg((1000, 500)), "a.jpg")
    made = widths(image, (320, 640, 960, 1280, 1920))
    assert [(v.name, v.kind, v.width, v.height) for v in made] == [
        ("320", "webp", 320, 160), ("320", "jpeg", 320, 160), ("640", "webp", 640, 320),
        ("640", "jpeg", 640, 320), ("960", "webp", 960, 480), ("960", "jpeg", 960, 480)]  # fmt: skip
    for variant in made:
        with Image.open(io.BytesIO(variant.data)) as opened:
            assert opened.format == variant.kind.upper() and opened.size == (variant.width, variant.height)
    small = widths(read(jpeg((200, 100)), "kecil.jpg"), (320, 640))
    assert {(v.width, v.kind) for v in small} == {(200, "webp"), (200, "jpeg")}  # its own width, not more


def test_crops_keep_the_focus_inside_and_stay_within_the_photo() -> None:
    assert crop_box((1600, 900), (1, 1), (0.5, 0.5)) == (350, 0, 1250, 900)
    assert crop_box((1600, 900), (1, 1), (0.95, 0.5)) == (700, 0, 1600, 900)  # pushed back from the edge
    assert crop_box((900, 1600), (16, 9), (0.5, 0.1)) == (0, 0, 900, 506)
    made = crops(read(jpeg((2400, 1600)), "a.jpg"), (0.25, 0.5))
    assert [(v.name, v.width, v.height) for v in made] == [
        ("16x9-25-50", CROP_WIDTH, 675), ("4x3-25-50", CROP_WIDTH, 900),
        ("1x1-25-50", CROP_WIDTH, CROP_WIDTH)]  # fmt: skip


def test_a_bomb_is_refused_from_its_header_before_anything_is_decoded() -> None:
    bomb = png_claiming(40_000, 40_000)  # 1.6 billion pixels in 80 bytes
    with pytest.raises(Refused, match="pixels") as refused:
        read(bomb, "bom.png")
    assert len(refused.value.reasons) == 1
    with pytest.raises(Refused, match="over the limit of 1,000"):
        read(jpeg((50, 50)), "a.jpg", max_pixels=1000)


def test_a_truncated_photo_is_refused_as_damaged() -> None:
    whole = jpeg((800, 600))
    with pytest.raises(Refused, match="damaged or cut short"):
        read(whole[: len(whole) // 2], "potong.jpg")


def test_an_animated_image_is_refused() -> None:
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:])
    with pytest.raises(Refused, match="animated"):
        read(out.getvalue(), "gerak.webp")


def test_a_tagged_photo_keeps_its_colours_and_loses_its_profile() -> None:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("RGB", (10, 10), (200, 50, 50)).save(out, "PNG", icc_profile=profile)
    image = read(out.getvalue(), "merah.png")
    assert image.mode == "RGB" and "icc_profile" not in image.info
    r, g, b = image.getpixel((5, 5))
    assert abs(r - 200) <= 2 and abs(g - 50) <= 2 and abs(b - 50) <= 2  # sRGB to sRGB: the same colour


def test_transparency_is_kept_in_webp_and_flattened_on_white_in_jpeg() -> None:
    out = io.BytesIO()
    Image.new("RGBA", (64, 32), (0, 0, 0, 0)).save(out, "PNG")
    image = read(out.getvalue(), "logo.png")
    webp, jpg = widths(image, (), ("webp", "jpeg"))
    with Image.open(io.BytesIO(webp.data)) as opened:
        assert opened.mode == "RGBA"
    with Image.open(io.BytesIO(jpg.data)) as opened:
        assert opened.getpixel((10, 10)) == (255, 255, 255)


def test_the_same_photo_gets_the_same_paths() -> None:
    photo = jpeg((100, 50))
    key = digest(photo)
    assert key == digest(bytes(photo)) and key != digest(jpeg((100, 51)))
    assert Variant("640", 640, 320, "webp", b"").path(key) == f"v1/images/{key[:32]}/640.webp"
    assert Variant("16x9", 1200, 675, "jpeg", b"").path(key).endswith("/16x9.jpg")


def test_a_large_jpeg_is_decoded_only_as_large_as_its_variants_need() -> None:
    large = jpeg((4000, 3000))
    image = read(large, "besar.jpg", largest=1920)  # 1920 of 4000, and 1200 of the 3000 for the square crop
    assert image.size == (2000, 1500)
    assert read(large, "besar.jpg").size == (4000, 3000)  # no widest variant given: every pixel
    assert [v.width for v in widths(image, (1920,), ("jpeg",))] == [1920]
    assert read(jpeg((2400, 1600)), "a.jpg", largest=1920).size == (2400, 1600)  # half would be too small
    turned = read(jpeg((4000, 2000), orientation=6), "miring.jpg", largest=1920)  # upright, 2000 wide
    assert turned.size == (2000, 4000)


def test_making_variants_loads_only_the_plugins_of_the_kinds_kabar_takes() -> None:
    """Pillow's Image.init() (every plugin: TIFF, PSD, EPS, ...) is never reached from a JPEG, PNG or
    WebP: less to load on a cold start, and no reader of a refused format in reach of an upload."""
    import subprocess
    import sys

    code = (
        "import io, sys\n"
        "from PIL import Image\n"
        "from kabar.images.variants import make\n"
        "for kind in ('JPEG', 'PNG', 'WEBP'):\n"
        "    out = io.BytesIO()\n"
        "    Image.new('RGB', (700, 500), (9, 99, 199)).save(out, kind)\n"
        "    assert make(out.getvalue(), 'f', wanted=(320,)).variants\n"
        "print(Image._initialized, sorted(m for m in sys.modules if m.endswith('ImagePlugin')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    initialized, plugins = result.stdout.strip().split(" ", 1)
    assert initialized == "1"  # preinit() only: init() would make it 2
    assert {p.removeprefix("'PIL.").split("ImagePlugin")[0] for p in plugins.strip("[]").split(", ")} <= {
        "Jpeg", "Png", "WebP", "Bmp", "Gif", "Ppm", "Iptc", "Tiff"
    }  # fmt: skip
