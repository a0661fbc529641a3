"""The stack's handlers invoked in this process (App), and the article files editors upload."""

from __future__ import annotations

import json
from typing import Any

import boto3

from kabar_infra.local.functions import InProcessFunctions
from kabar_infra.local.router import Router
from kabar_infra.provision import Stack, function_environment
from kabar_infra.template import Template

CDN_URL = "https://cdn.example.test"


class App:
    """The stack's handlers, invoked in this process, and the router that feeds them."""

    def __init__(self, template: Template, stack: Stack, overrides: dict[str, str]) -> None:
        self.template = template
        self.stack = stack
        environments = {
            spec.logical_id: function_environment(template, stack, spec.logical_id, overrides)
            for spec in template.functions()
        }
        self.environments = environments
        self.invoke = InProcessFunctions(template.functions(), environments)
        self.session = boto3.Session(region_name=stack.region)
        self.router = Router(template, stack, self.invoke, self.session)
        self.s3 = self.session.client("s3")
        self.dynamodb = self.session.client("dynamodb")

    @property
    def incoming_bucket(self) -> str:
        return self.stack.ref("IncomingBucket")

    @property
    def site_bucket(self) -> str:
        return self.stack.ref("SiteBucket")

    def document(self, path: str) -> dict[str, Any] | None:
        try:
            body = self.s3.get_object(Bucket=self.site_bucket, Key=path)["Body"].read()
        except self.s3.exceptions.NoSuchKey:
            return None
        if not path.endswith(".json"):  # a feed, a sitemap: its text
            return {"text": body.decode()}
        return json.loads(body)  # type: ignore[no-any-return]

    def table_items(self) -> list[dict[str, Any]]:
        """Every item in the table (tests may scan; request and event paths never do)."""
        items = self.dynamodb.scan(TableName=self.stack.ref("ContentTable"))["Items"]
        return sorted(items, key=lambda item: (item["pk"]["S"], item["sk"]["S"]))

    def site_keys(self) -> list[str]:
        response = self.s3.list_objects_v2(Bucket=self.site_bucket)
        return sorted(obj["Key"] for obj in response.get("Contents", []))

    def api(self, method: str, path: str, body: Any = None, groups: str | None = "editors",
            user: str = "editor1") -> tuple[int, dict[str, Any]]:  # fmt: skip
        from urllib.parse import parse_qs

        from kabar_infra.local.api import match, proxy_event, routes

        path, _, query = path.partition("?")
        route, params, _ = match(routes(self.template), method, path)
        assert route is not None, f"no route {method} {path}"
        claims = None if groups is None else {"cognito:username": user, "cognito:groups": groups}
        event = proxy_event(
            route, method=method, path=path, path_parameters=params,
            headers={"Content-Type": "application/json"}, query=parse_qs(query),
            body=b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode()),
            claims=claims,
        )  # fmt: skip
        response = self.invoke(route.function, event)
        return response["statusCode"], json.loads(response["body"])

    def upload(self, filename: str, data: bytes) -> str:
        """Ask for an upload, put the file where the presigned POST points, route events."""
        status, ticket = self.api("POST", "/uploads", {"filename": filename})
        assert status == 201, ticket
        fields = ticket["upload"]["fields"]
        self.s3.put_object(
            Bucket=self.incoming_bucket, Key=fields["key"], Body=data,
            ContentType=fields["Content-Type"],
        )  # fmt: skip
        self.router.drain()
        return str(ticket["upload_id"])

    def upload_with(
        self, filename: str, data: bytes, images: dict[str, bytes], *, article_first: bool = False,
        post: tuple[str, ...] | None = None, focus: dict[str, list[float]] | None = None,
    ) -> str:  # fmt: skip
        """One upload of an article and its images (or of an image alone when ``data`` is one): the
        images posted first (or after the article), those in ``post`` only when given, events routed."""
        focus = focus or {}
        wanted = [{"filename": name} | ({"focus": focus[name]} if name in focus else {}) for name in images]
        status, ticket = self.api(
            "POST", "/uploads", {"filename": filename, **({"images": wanted} if wanted else {})}
        )
        assert status == 201, ticket
        files = [(t["upload"]["fields"], images[t["filename"]]) for t in ticket["images"]
                 if post is None or t["filename"] in post]  # fmt: skip
        article = [(ticket["upload"]["fields"], data)]
        for fields, body in [*article, *files] if article_first else [*files, *article]:
            self.s3.put_object(Bucket=self.incoming_bucket, Key=fields["key"], Body=body,
                               ContentType=fields["Content-Type"])  # fmt: skip
            if article_first:
                self.router.drain()
        self.router.drain()
        return str(ticket["upload_id"])

    def ops_target(self) -> Any:
        """What ``kabar ops`` and ``kabar images`` work on: this stack's resources on moto, its
        functions invoked in this process."""
        from kabar_infra.cli import ops

        resources = {name: attrs["Ref"] for name, attrs in self.stack.attributes.items() if "Ref" in attrs}
        resources |= {spec.logical_id: spec.logical_id for spec in self.template.functions()}
        return ops.Target(resources, self.stack.region, local=True, invoker=self.invoke)

    def status(self, upload_id: str) -> dict[str, Any]:
        status, body = self.api("GET", f"/uploads/{upload_id}")
        assert status == 200, body
        return body


def article_file(**fields: Any) -> bytes:
    """A Markdown article file: front matter from ``fields``, then ``body``."""
    import yaml

    body = fields.pop("body", "Isi berita.\n")
    return ("---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False) + "---\n" + body).encode()


Query = dict[str, list[str]]


def call(
    app: App, method: str, path: str, body: bytes | None, *, groups: str | None = "editors",
    headers: dict[str, str] | None = None, query: Query | None = None,
) -> tuple[int, Any]:  # fmt: skip
    """One request as API Gateway sends it, with the headers and query given (JSON's Content-Type
    unless ``headers`` are given)."""
    from kabar_infra.local.api import match, proxy_event, routes

    route, params, _ = match(routes(app.template), method, path)
    assert route is not None
    claims = None if groups is None else {"cognito:username": "u", "cognito:groups": groups}
    headers = {"Content-Type": "application/json"} if headers is None else headers
    event = proxy_event(route, method=method, path=path, path_parameters=params, headers=headers,
                        query=query or {}, body=body or b"", claims=claims)  # fmt: skip
    if body is None:
        event["body"] = None
    response = app.invoke(route.function, event)
    return response["statusCode"], json.loads(response["body"]) if response["body"] else None
