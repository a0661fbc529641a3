"""The sample content ``make run`` loads: the example vocabulary and articles, through the API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def load_samples(config: dict[str, Any], directory: Path) -> list[tuple[Path, dict[str, Any]]]:
    """Load the example vocabulary, then upload every sample article in name order, through
    the API as an editor would."""
    from kabar_infra.cli.client import Credentials, KabarClient
    from kabar_infra.cli.tags import vocabulary_payload

    editor = config["editor"]
    token = Credentials(
        editor["client_id"],
        editor["username"],
        editor["password"],
        config["region"],
        config["aws_endpoint_url"],
    ).id_token()
    client = KabarClient(config["api_url"], token)
    client.load_tags(vocabulary_payload(directory.parent / "vocabulary.yaml"))
    results = []
    for path in sorted(directory.glob("*.md")) + sorted(directory.glob("*.json")):
        ticket = client.upload(path)
        results.append((path, client.wait(ticket["upload_id"])))
    _wait_until_listed(config["cdn_url"], results)
    return results


def _wait_until_listed(
    cdn_url: str, results: list[tuple[Path, dict[str, Any]]], timeout: float = 60.0
) -> None:
    """Until latest.json lists every published sample: each upload is waited for until its own
    document is live, and the lists are rendered after it (what ``make run`` prints to try)."""
    import time
    import urllib.request

    wanted = {
        str(status["article"]["slug"]) for _, status in results
        if status.get("state") == "published" and (status.get("article") or {}).get("status") == "published"
    }  # fmt: skip
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{cdn_url}/v1/latest.json", timeout=10) as response:  # noqa: S310
                listed = {article["slug"] for article in json.loads(response.read())["articles"]}
        except OSError:
            listed = set()
        if wanted <= listed:
            return
        time.sleep(0.3)
