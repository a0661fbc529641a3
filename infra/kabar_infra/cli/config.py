"""Where ``kabar`` finds the local stack's settings, and what it says when a stack cannot be reached.

``.kabar/local.json`` (written by ``make run``) is looked for in this order: ``--config``,
``$KABAR_CONFIG``, ``$KABAR_STATE_DIR/local.json``, then ``.kabar/local.json`` in the
current directory and each directory above it, up to the repository's root (the first
with ``.git``). When none is there, the message names every place looked at.
"""

from __future__ import annotations

import os
from pathlib import Path

LOCAL = Path(".kabar") / "local.json"


class ConfigNotFound(Exception):
    pass


def find_local_config(explicit: Path | None = None, cwd: Path | None = None) -> Path:
    """The local stack's settings file, or ConfigNotFound naming where it looked."""
    named = [(explicit, "--config"), (os.environ.get("KABAR_CONFIG"), "KABAR_CONFIG")]
    for given, source in named:
        if given:
            if Path(given).is_file():
                return Path(given)
            raise ConfigNotFound(f"no {given} (from {source}): start the local stack with 'make run'")
    looked: list[Path] = []
    state_dir = os.environ.get("KABAR_STATE_DIR")
    candidates = [Path(state_dir) / "local.json"] if state_dir else []
    start = (cwd or Path.cwd()).resolve()
    for directory in (start, *start.parents):
        candidates.append(directory / LOCAL)
        if (directory / ".git").exists():
            break  # the repository's root
    for candidate in candidates:
        looked.append(candidate)
        if candidate.is_file():
            return candidate
    where = ", ".join(str(path) for path in looked)
    raise ConfigNotFound(
        f"no local stack settings (looked at {where}): start the local stack with 'make run' in the "
        "repository, or give --config, KABAR_CONFIG, or --api for a deployed stack"
    )


def unreachable(exc: BaseException) -> str | None:
    """The URL a request could not reach, when ``exc`` is a connection failure (else None)."""
    import requests
    from botocore.exceptions import EndpointConnectionError

    if isinstance(exc, EndpointConnectionError):
        return str(exc.kwargs.get("endpoint_url", "the endpoint")).rstrip("/")
    if isinstance(exc, requests.exceptions.ConnectionError):
        request = exc.request
        if request is not None and request.url:
            from urllib.parse import urlsplit

            parts = urlsplit(request.url)
            return f"{parts.scheme}://{parts.netloc}"
        return "the API"
    return None
