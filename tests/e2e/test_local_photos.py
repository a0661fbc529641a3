"""Photos on the local stack, tried as an editor would: `kabar upload story.md photo.jpg`, then the
variants read from the local CDN."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from PIL import Image

from kabar_infra.template import ROOT
from tests.support.app import article_file
from tests.support.local_stack import aws, kabar, start_stack, stop_stack
from tests.support.photos import SVG_WITH_SCRIPT, jpeg, metadata_of, png_claiming

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def local_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    config = start_stack(tmp_path_factory.mktemp("kabar-photos"))
    yield config
    stop_stack(config, timeout=20)


def test_a_story_and_its_photo_are_published_and_the_variants_carry_no_exif(
    local_stack: dict[str, Any], tmp_path: Path
) -> None:
    (tmp_path / "pantai.jpg").write_bytes(jpeg((3000, 2000), gps=True))
    (tmp_path / "perahu.jpg").write_bytes(jpeg((1200, 900)))
    story = tmp_path / "story.md"
    story.write_bytes(article_file(
        title="Nelayan Kembali Melaut di Pangandaran",
        image={"src": "pantai.jpg", "alt": "Perahu nelayan di Pantai Pangandaran", "focus": [0.3, 0.6]},
        body="Cuaca membaik sejak Senin.\n\n![Nelayan menurunkan jaring](perahu.jpg \"Jaring pertama\")\n",
    ))  # fmt: skip
    result = kabar(
        local_stack, "upload", str(story), str(tmp_path / "pantai.jpg"), str(tmp_path / "perahu.jpg")
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("published story.md: "), result.stdout
    assert "image pantai.jpg: id " in result.stdout and "(widths 320, 640, 960, 1280, 1920)" in result.stdout
    doc = requests.get(result.stdout.splitlines()[0].split(": ", 1)[1].strip(), timeout=10).json()

    image = doc["image"]
    assert image["alt"] == "Perahu nelayan di Pantai Pangandaran"
    assert (image["width"], image["height"]) == (3000, 2000)
    for source in [*image["srcset"], *image["crops"]]:
        response = requests.get(f"{local_stack['cdn_url']}/{source['path']}", timeout=10)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == source.get("type", "image/jpeg")
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        with Image.open(io.BytesIO(response.content)) as served:
            assert served.size == (source["width"], source["height"])
        found = metadata_of(response.content)
        assert found["exif"] == {} and found["gps"] == {}, source["path"]
    assert [crop["path"].rsplit("/", 1)[1] for crop in image["crops"]] == [
        "16x9-30-60.jpg", "4x3-30-60.jpg", "1x1-30-60.jpg"]  # fmt: skip
    tag = re.search(r"<img [^>]*>", doc["body_html"])
    assert tag is not None
    for attribute in ('alt="Nelayan menurunkan jaring"', 'width="1200"', 'height="900"', "srcset=", "sizes="):
        assert attribute in tag.group(), tag.group()


def test_a_story_whose_photo_has_no_alt_or_was_not_uploaded_is_rejected_saying_so(
    local_stack: dict[str, Any], tmp_path: Path
) -> None:
    (tmp_path / "a.jpg").write_bytes(jpeg((800, 600)))
    no_alt = tmp_path / "tanpa-alt.md"
    no_alt.write_bytes(article_file(title="Tanpa Alt", image={"src": "a.jpg"}))
    result = kabar(local_stack, "upload", str(no_alt), str(tmp_path / "a.jpg"))
    assert result.returncode == 1 and "image.alt: is required" in result.stdout, result.stdout

    missing = tmp_path / "hilang.md"
    missing.write_bytes(article_file(title="Foto Hilang", image={"src": "tidak-ada.jpg", "alt": "Foto"}))
    result = kabar(local_stack, "upload", str(missing))
    assert result.returncode == 1, result.stdout
    assert "image.src: 'tidak-ada.jpg' was not uploaded with the article" in result.stdout


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [("bom.png", png_claiming(10_000, 10_000), "over the limit"),
     ("logo.svg", SVG_WITH_SCRIPT, "SVG drawing, which is refused")],
)  # fmt: skip
def test_a_bomb_and_an_svg_are_rejected_with_reasons_and_kept(
    local_stack: dict[str, Any], tmp_path: Path, name: str, data: bytes, says: str
) -> None:
    (tmp_path / name).write_bytes(data)
    result = kabar(local_stack, "--json", "upload", str(tmp_path / name))
    assert result.returncode == 1, result.stdout + result.stderr
    import json

    status = json.loads(result.stdout)
    assert status["state"] == "rejected" and says in status["errors"][0]["message"]
    kept = aws(local_stack, "s3").get_object(
        Bucket=local_stack["resources"]["IncomingBucket"], Key=status["key"]
    )
    assert kept["Body"].read() == data


def test_the_example_story_publishes_with_its_photos(local_stack: dict[str, Any]) -> None:
    """What `make run` prints to try: the example story and the example photos, one upload."""
    photos = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "examples/photos").glob("*.jpg"))
    result = kabar(local_stack, "upload", "examples/photos/banjir-foto.md", *photos)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("  image ") == 2 and "warning" not in result.stdout, result.stdout
    slug = "banjir-kiriman-rendam-ratusan-rumah-di-kampung-melayu"
    doc = requests.get(f"{local_stack['cdn_url']}/v1/articles/{slug}.json", timeout=10).json()
    assert doc["image"]["credit"] == "Foto: Redaksi" and "<figcaption>Posko pengungsian" in doc["body_html"]
