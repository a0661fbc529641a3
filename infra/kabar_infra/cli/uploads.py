"""``kabar upload``: articles, each with the images it names, as one upload; images no article names,
alone, into the library; then each outcome."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kabar_infra.cli.client import KabarClient

ARTICLE_SUFFIXES = (".md", ".markdown", ".json")
EXIT_REJECTED, EXIT_ERROR = 1, 2  # as kabar_infra.cli.main


def group(paths: list[Path]) -> list[tuple[Path, list[Path]]]:
    """Each article with the images its text names (by file name), then each image no article
    names, alone (for the library)."""
    articles = [path for path in paths if path.suffix.lower() in ARTICLE_SUFFIXES]
    images = [path for path in paths if path not in articles]
    texts = {article: article.read_text(encoding="utf-8", errors="replace") for article in articles}
    taken: set[Path] = set()
    groups = []
    for article in articles:
        mine = [image for image in images if image not in taken and image.name in texts[article]]
        taken.update(mine)
        groups.append((article, mine))
    return groups + [(image, []) for image in images if image not in taken]


def focus_points(article: Path) -> dict[str, list[float]]:
    """The featured image's focus (front matter ``image.focus``), by its file name: its crops are
    made around it when it is uploaded with the article."""
    if article.suffix.lower() not in ARTICLE_SUFFIXES:
        return {}
    try:
        from kabar.authoring import parse_article_file

        submission = parse_article_file(article.name, article.read_bytes())
    except Exception:  # the upload's status gives every reason the file is wrong
        return {}
    image = submission.image
    return {image.src: list(image.focus)} if image is not None and image.focus else {}


def describe(name: str, status: dict[str, Any], outcome: str) -> str:
    """An upload's outcome in lines: the article's (``outcome``), then each image's."""
    lines = [outcome]
    for filename, file in sorted(status.get("files", {}).items()):
        if file["state"] == "stored":
            image = file["image"]
            widths = sorted({v["width"] for v in image["variants"] if not v.get("crop")})
            lines.append(
                f"  image {filename}: id {image['id']}, {image['width']} x {image['height']}, "
                f"{len(image['variants'])} variants (widths {', '.join(map(str, widths))})"
            )
        elif file["state"] == "rejected":
            lines += [f"  image {filename} refused: {reason}" for reason in file["reasons"]]
        else:
            lines.append(f"  image {filename}: not processed yet")
    return "\n".join(lines)


def run(args: argparse.Namespace, client: KabarClient, outcome_of: Any) -> int:
    """Upload every group, wait for each outcome (unless --no-wait); the exit status."""
    exit_status = 0
    missing = [path for path in args.files if not path.is_file()]
    for path in missing:
        print(f"kabar: {path}: no such file", file=sys.stderr)
    for path, images in group([path for path in args.files if path.is_file()]):
        ticket = client.upload(path, images, focus_points(path))
        if args.no_wait:
            line = {
                "filename": path.name,
                "upload_id": ticket["upload_id"],
                "images": [i.name for i in images],
            }
            print(json.dumps(line) if args.json else f"uploaded {path.name}: upload {ticket['upload_id']}")
            continue
        status = client.wait(ticket["upload_id"], timeout=args.timeout)
        print(
            json.dumps(status, indent=2)
            if args.json
            else describe(path.name, status, outcome_of(path.name, status))
        )
        if status["state"] == "rejected":
            exit_status = max(exit_status, EXIT_REJECTED)
        elif status["state"] in ("pending", "expired", "waiting"):
            exit_status = EXIT_ERROR
    return EXIT_ERROR if missing else exit_status
