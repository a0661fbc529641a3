"""``make schemas``: write each public document kind's JSON Schema to a folder."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kabar.documents import DOCUMENT_MODELS
from kabar.schemas import document_schema


def main(folder: str) -> None:
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    for kind in DOCUMENT_MODELS:
        path = target / f"{kind}.json"
        path.write_text(json.dumps(document_schema(kind), indent=2, ensure_ascii=False) + "\n")
        print(path)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/schemas")
