"""``make bench-images``: what making a photo's variants costs, at 12 and 24 megapixels.

Each photo is made here (no photo files in the repository): a camera-sized JPEG (quality 92,
with EXIF and a GPS position) whose content has a photo's detail (noise over gradients, which
compresses like a real scene, not like a flat colour). Each sample runs in a fresh interpreter
(:func:`kabar.images.variants.read`, then every width of the default setting in WebP and JPEG,
then the three crops), timed, with the peak resident memory (``VmHWM``) beside the
interpreter's after importing Pillow: the memory the function needs on top of its start.

The numbers are this machine's; Lambda gives a function CPU in proportion to its memory
setting (a full vCPU at 1,769 MB), so at 1,024 MB expect the times to be somewhat longer.
Results go between the ``bench:images`` markers in docs/benchmarks.md and the README.
"""

from __future__ import annotations

import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.sections import write_results  # noqa: E402

MARKERS = ("<!-- bench:images:start -->", "<!-- bench:images:end -->")
SIZES = {"12 MP": (4000, 3000), "24 MP": (6000, 4000)}
RUNS = int(os.environ.get("KABAR_BENCH_IMAGE_RUNS", "3"))

# VmHWM, not ru_maxrss: a child's ru_maxrss starts at its parent's high-water mark after fork.
_PROBE = """
import json, sys, time
from PIL import Image
import kabar.images.variants as v
def high_water():
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
data = open(sys.argv[1], "rb").read()
before = high_water()
start = time.perf_counter()
image = v.read(data, "foto.jpg", largest=max(v.DEFAULT_WIDTHS) if sys.argv[2] == "needed" else None)
read = time.perf_counter()
made = v.widths(image) + v.crops(image)
done = time.perf_counter()
peak = high_water()
print(json.dumps({"read_ms": (read - start) * 1000, "ms": (done - start) * 1000,
                  "peak_mib": (peak - before) / 1024, "start_mib": before / 1024,
                  "variants": [[m.name, m.kind, m.width, len(m.data)] for m in made]}))
"""


def photo(size: tuple[int, int]) -> bytes:
    """A JPEG of ``size`` with a photo's detail, camera EXIF and a GPS position."""
    from PIL import ExifTags, Image

    width, height = size
    detail = Image.effect_noise((width // 4, height // 4), 48).resize(size, Image.Resampling.BICUBIC)
    shade = Image.linear_gradient("L").resize(size)
    grey = Image.blend(detail, shade, 0.5)
    image = Image.merge("RGB", (grey, shade, Image.effect_noise(size, 12)))
    exif = image.getexif()
    exif[ExifTags.Base.Make] = "Kamera"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "S", (6.0, 10.0, 30.0)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def sample(path: Path, decode: str) -> dict[str, Any]:
    """One fresh interpreter's run; ``decode``: "needed" (as the function reads) or "every" pixel."""
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'shared'}"}
    done = subprocess.run([sys.executable, "-c", _PROBE, str(path), decode], capture_output=True, text=True,
                          env=env, check=True)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def measure(runs: int = RUNS) -> dict[str, Any]:
    found: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        for label, size in SIZES.items():
            data = photo(size)
            path = Path(folder) / f"{label}.jpg"
            path.write_bytes(data)
            for decode in ("needed", "every"):
                samples = [sample(path, decode) for _ in range(runs)]
                found[f"{label}, {decode}"] = {"bytes": len(data), "samples": samples,
                                               "variants": samples[0]["variants"]}  # fmt: skip
    return found


def report(found: dict[str, Any]) -> str:
    lines = [
        MARKERS[0],
        f"**Photos** (`make bench-images`, {datetime.now(UTC):%Y-%m-%d}, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores, Pillow, median of {RUNS} fresh interpreters): a camera "
        "JPEG (quality 92, EXIF and GPS) read, turned upright, made sRGB and stripped, then every default "
        "width (320-1920) in WebP and JPEG and the three 1,200 px crops. *needed*: decoded only as large as "
        "the widest variant and the crops need (libjpeg's scaled decoding, as ImagesFunction reads); "
        "*every*: every pixel decoded. Memory is the peak resident size over the interpreter's after "
        "importing Pillow and Kabar.",
        "",
        "| photo, decoded | original | read (ms) | all variants (ms) | peak memory added (MiB) | variants | their bytes "
        "| 1280 px WebP | 1280 px JPEG |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, one in found.items():
        samples = one["samples"]
        sizes = {(name, kind): size for name, kind, _, size in one["variants"]}
        total = sum(sizes.values())
        lines.append(
            f"| {label} | {one['bytes'] / 1024 / 1024:.1f} MiB | "
            f"{statistics.median(s['read_ms'] for s in samples):.0f} | "
            f"{statistics.median(s['ms'] for s in samples):.0f} | "
            f"{statistics.median(s['peak_mib'] for s in samples):.0f} | {len(sizes)} | {total / 1024:.0f} KiB | "
            f"{sizes.get(('1280', 'webp'), 0) / 1024:.0f} KiB | {sizes.get(('1280', 'jpeg'), 0) / 1024:.0f} KiB |"
        )
    lines += [
        "",
        "A reader's phone fetching the 640 px WebP instead of the original saves "
        + ", ".join(
            f"{(1 - sizes_of(one, ('640', 'webp')) / one['bytes']) * 100:.1f}% at {label}"
            for label, one in found.items()
            if label.endswith("needed")
        )
        + ". The photo's own content makes these sizes: the test photo is noisier than most news photos, so real "
        "variants are smaller.",
        MARKERS[1],
    ]
    return "\n".join(lines) + "\n"


def sizes_of(one: dict[str, Any], key: tuple[str, str]) -> int:
    return next(size for name, kind, _, size in one["variants"] if (name, kind) == key)


def main() -> int:
    write_results(report(measure()), ROOT, MARKERS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
