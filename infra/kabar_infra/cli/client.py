"""A client of Kabar's editors' API: sign in, upload through a presigned POST, follow status."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from kabar_infra.cli import auth
from kabar_infra.cli.auth import Prompter, TokenCache


class ApiError(Exception):
    def __init__(self, status: int, body: Any) -> None:
        message = body.get("message") if isinstance(body, dict) else str(body)
        super().__init__(f"HTTP {status}: {message}")
        self.status = status
        self.body = body


@dataclass
class Credentials:
    """An editor's Cognito sign-in; ``endpoint_url`` points at moto for the local stack. Without
    ``password``, the prompter asks for it when a sign-in needs it (not when a token is cached)."""

    client_id: str
    username: str
    password: str | None = None
    region: str = "us-east-1"
    endpoint_url: str | None = None

    @property
    def cache_key(self) -> str:
        return f"{self.region}/{self.client_id}/{self.username}"

    def cognito(self) -> Any:
        import boto3

        options: dict[str, Any] = {"region_name": self.region, "endpoint_url": self.endpoint_url}
        if self.endpoint_url:
            # InitiateAuth is unsigned, but botocore still wants credentials to exist.
            options.update(aws_access_key_id="local", aws_secret_access_key="local")  # noqa: S106 (moto)
        return boto3.client("cognito-idp", **options)

    def id_token(self, prompter: Prompter | None = None, cache: TokenCache | None = None) -> str:
        """An ID token: cached, renewed, or from a sign-in that answers Cognito's challenges."""
        prompter = prompter or Prompter()

        def password() -> str:
            return self.password or prompter.ask_for(
                f"password of {self.username}", secret=True, option="KABAR_PASSWORD"
            )

        from botocore.exceptions import ClientError

        try:
            return auth.id_token(self.cognito(), self.client_id, self.username, password=password,
                                 prompter=prompter, cache=cache, cache_key=self.cache_key)  # fmt: skip
        except ClientError as exc:
            # Cognito's own words (wrong password or code, an expired session), never a token.
            error = exc.response.get("Error", {})
            raise auth.SignInError(f"sign-in failed: {error.get('Code')}: {error.get('Message')}") from None


class KabarClient:
    def __init__(self, api_url: str, token: str, timeout: float = 30.0) -> None:
        self.api_url = api_url.rstrip("/")
        self.session = requests.Session()
        self.session.headers["Authorization"] = token
        self.timeout = timeout

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        response = self.session.request(method, f"{self.api_url}{path}", json=body, timeout=self.timeout)
        try:
            payload = response.json()
        except ValueError:
            payload = response.text
        if response.status_code >= 400:
            raise ApiError(response.status_code, payload)
        return payload

    def request_upload(
        self, filename: str, images: list[dict[str, Any]] | None = None, focus: list[float] | None = None
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"filename": filename}
        if images:
            body["images"] = images
        if focus is not None:
            body["focus"] = focus
        return self._call("POST", "/uploads", body)  # type: ignore[no-any-return]

    def load_tags(self, tags: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Store vocabulary tags (PUT /tags), at most 500 a request."""
        stored: list[dict[str, Any]] = []
        for start in range(0, len(tags), 500):
            stored += self._call("PUT", "/tags", {"tags": tags[start : start + 500]})["tags"]
        return stored

    def merge_tag(self, slug: str, into: str) -> dict[str, Any]:
        return self._call("POST", f"/tags/{slug}/merge", {"into": into})  # type: ignore[no-any-return]

    def list_tags(self) -> list[dict[str, Any]]:
        return self._call("GET", "/tags")["tags"]  # type: ignore[no-any-return]

    def alias_offers(self) -> list[dict[str, Any]]:
        return self._call("GET", "/tags/aliases")["aliases"]  # type: ignore[no-any-return]

    def decide_alias(self, slug: str, alias: str, decision: str) -> dict[str, Any]:
        body = {"alias": alias, "decision": decision}
        return self._call("POST", f"/tags/{slug}/aliases", body)  # type: ignore[no-any-return]

    def put_author(self, slug: str, profile: dict[str, Any]) -> dict[str, Any]:
        """Store an author's profile (PUT /authors/{slug})."""
        return self._call("PUT", f"/authors/{slug}", profile)  # type: ignore[no-any-return]

    def author(self, slug: str) -> dict[str, Any]:
        return self._call("GET", f"/authors/{slug}")  # type: ignore[no-any-return]

    def comments(self, status: str = "pending", limit: int = 25, cursor: str | None = None) -> dict[str, Any]:
        """One page of a moderation queue (GET /comments), oldest first."""
        from urllib.parse import urlencode

        query = {"status": status, "limit": limit} | ({"cursor": cursor} if cursor else {})
        return self._call("GET", f"/comments?{urlencode(query)}")  # type: ignore[no-any-return]

    def moderate(self, comment_id: str, action: str) -> dict[str, Any]:
        """approve, spam or trash a comment."""
        return self._call("POST", f"/comments/{comment_id}/{action}")  # type: ignore[no-any-return]

    def spam_names(self) -> list[dict[str, Any]]:
        """Every learned spam name (GET /spam-names, page after page)."""
        from urllib.parse import urlencode

        names: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            query = {"limit": 100} | ({"cursor": cursor} if cursor else {})
            page = self._call("GET", f"/spam-names?{urlencode(query)}")
            names += page["names"]
            cursor = page["next"]
            if not cursor:
                return names

    def forget_spam_name(self, name: str) -> dict[str, Any]:
        return self._call("DELETE", f"/spam-names/{name}")  # type: ignore[no-any-return]

    def edit_comment(self, comment_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        return self._call("PUT", f"/comments/{comment_id}", changes)  # type: ignore[no-any-return]

    def scheduled(self, limit: int = 100) -> list[dict[str, Any]]:
        """Every scheduled and embargoed article, soonest first (GET /scheduled, page after page)."""
        from urllib.parse import urlencode

        found: list[dict[str, Any]] = []
        cursor: str | None = None
        while len(found) < limit:
            query = {"limit": min(100, limit - len(found))} | ({"cursor": cursor} if cursor else {})
            page = self._call("GET", f"/scheduled?{urlencode(query)}")
            found += page["articles"]
            cursor = page["next"]
            if not cursor:
                break
        return found

    def cancel_scheduled(self, slug: str) -> dict[str, Any]:
        """Cancel an article's schedule; it is kept as a draft (DELETE /scheduled/{slug})."""
        return self._call("DELETE", f"/scheduled/{slug}")  # type: ignore[no-any-return]

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """Any route of the API (the admins' webhooks): its JSON answer, or ApiError."""
        return self._call(method, path, body)

    def status(self, upload_id: str) -> dict[str, Any]:
        return self._call("GET", f"/uploads/{upload_id}")  # type: ignore[no-any-return]

    def upload(
        self, path: Path, images: list[Path] | None = None, focus: dict[str, list[float]] | None = None
    ) -> dict[str, Any]:
        """Request an upload and POST its files to S3 (the images first, then the article); the
        ticket. ``images``: files uploaded with the article; ``focus``: crops' focus by file name."""
        focus = focus or {}
        wanted = [{"filename": image.name} | ({"focus": focus[image.name]} if image.name in focus else {})
                  for image in images or []]  # fmt: skip
        ticket = self.request_upload(path.name, wanted, focus.get(path.name) if not images else None)
        for image, image_ticket in zip(images or [], ticket.get("images", []), strict=True):
            self._post(image_ticket["upload"], image, image_ticket["content_type"])
        self._post(ticket["upload"], path, ticket["content_type"])
        return ticket

    def _post(self, post: dict[str, Any], path: Path, content_type: str) -> None:
        with path.open("rb") as handle:
            response = requests.post(
                post["url"],
                data=post["fields"],
                files={"file": (path.name, handle, content_type)},
                timeout=self.timeout,
            )
        if response.status_code not in (200, 201, 204):
            raise ApiError(response.status_code, response.text[:500])

    def wait(self, upload_id: str, timeout: float = 60.0, interval: float = 0.3) -> dict[str, Any]:
        """Poll until the upload is rejected or expired, or published and (unless a draft) live on
        the CDN."""
        deadline = time.monotonic() + timeout
        while True:
            status = self.status(upload_id)
            if status["state"] in ("rejected", "expired", "stored", "scheduled", "superseded", "cancelled"):
                return status
            if status["state"] == "published" and (
                status.get("live") or status.get("unchanged")
                or (status.get("article") or {}).get("status") == "draft"
            ):  # fmt: skip
                return status
            if time.monotonic() > deadline:
                return status
            time.sleep(interval)


def load_local_config(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
