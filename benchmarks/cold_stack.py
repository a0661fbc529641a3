"""The stack on a moto server for benchmarks/cold_start.py, and each function's first event.

A moto server on a free port in this process, template.yaml's resources created on it by
:mod:`kabar_infra.provision`, each function's environment as deployed (``AWS_ENDPOINT_URL``
pointing at the server). One article is published and one comment approved through the
handlers and the local stack's router, which records what it delivers to each function.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

REGION = "us-east-1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerTime:
    """A WSGI app's answering time: when each request began and ended (``time.monotonic``, the
    clock every process on the machine shares), to tell moto's part of a sample from the function's."""

    def __init__(self, app: Any) -> None:
        self.app, self.spans = app, deque[tuple[float, float]](maxlen=10_000)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        began = time.monotonic()
        try:
            return self.app(environ, start_response)
        finally:
            self.spans.append((began, time.monotonic()))

    def within(self, start: float, end: float) -> float:
        """Milliseconds of answering between ``start`` and ``end`` (spans that overlap counted once)."""
        total, reached = 0.0, start
        for began, ended in sorted(self.spans):
            first, last = max(began, reached), min(ended, end)
            if last > first:
                total, reached = total + last - first, last
        return total * 1000


@dataclass
class Bench:
    """The stack on a moto server in this process, and what each function's samples need."""

    template: Any
    stack: Any
    functions: Any  # InProcessFunctions: the handlers in this process, to drive the pipeline
    environments: dict[str, dict[str, str]]
    session: Any
    server_time: ServerTime
    recorded: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def request(self, method: str, path: str, body: Any = None, *, groups: str | None = None,
                source_ip: str = "127.0.0.1") -> dict[str, Any]:  # fmt: skip
        """An API Gateway event for ``method path`` (as the local API builds it)."""
        from kabar_infra.local.api import match, proxy_event, routes

        route, params, _ = match(routes(self.template), method, path)
        assert route is not None, f"no route {method} {path}"
        claims = None if groups is None else {"cognito:username": "bench", "cognito:groups": groups}
        return proxy_event(
            route, method=method, path=path, path_parameters=params, headers={"Content-Type": "application/json"},
            query={}, body=b"" if body is None else json.dumps(body).encode(), claims=claims, source_ip=source_ip,
        )  # fmt: skip

    def call(self, function: str, event: dict[str, Any]) -> Any:
        self.recorded.setdefault(function, []).append(json.loads(json.dumps(event)))
        return self.functions(function, event)

    def api(self, function: str, method: str, path: str, body: Any = None, **kw: Any) -> dict[str, Any]:
        response = self.call(function, self.request(method, path, body, **kw))
        assert response["statusCode"] < 300, response
        return json.loads(response["body"])  # type: ignore[no-any-return]


@contextmanager
def moto_stack() -> Iterator[Bench]:
    """A moto server on a free port with template.yaml's resources, the environment pointing at it."""
    import boto3

    from kabar_infra.local.functions import InProcessFunctions
    from kabar_infra.local.moto_server import MotoServer
    from kabar_infra.local.stack import LOCAL_PARAMETERS
    from kabar_infra.moto_fixes import install
    from kabar_infra.provision import function_environment, provision
    from kabar_infra.template import Template

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's per-request log
    install()  # as the local stack: moto's transactions, queries and streams as DynamoDB's
    port = _free_port()
    server = MotoServer("127.0.0.1", port)
    server_time = server.server.app = ServerTime(server.server.app)
    server.start()
    aws_env = {"AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}", "AWS_ACCESS_KEY_ID": "bench",
               "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION}  # fmt: skip
    saved = dict(os.environ)
    os.environ.update(aws_env)
    try:
        template, session = Template.load(), boto3.Session(region_name=REGION)
        stack = provision(template, session=session, parameters=LOCAL_PARAMETERS)
        overrides = {**aws_env, "CDN_URL": "https://cdn.example", "POWERTOOLS_DEV": "false"}
        environments = {spec.logical_id: function_environment(template, stack, spec.logical_id, overrides)
                        for spec in template.functions()}  # fmt: skip
        yield Bench(template, stack, InProcessFunctions(template.functions(), environments), environments,
                    session, server_time)  # fmt: skip
    finally:
        os.environ.clear()
        os.environ.update(saved)
        server.stop()


ARTICLE = dict(
    title="Banjir Rendam Kampung Melayu", published_at="2026-11-24T09:00:00+07:00", tags=["Jakarta", "Banjir"],
    body="Banjir setinggi satu meter merendam permukiman di Kampung Melayu, Jakarta Timur, sejak pagi.\n\n"
    "Warga mengungsi ke masjid dan sekolah terdekat. Petugas membuka dapur umum.\n",
)  # fmt: skip


def upload(bench: Bench, title: str) -> dict[str, Any]:
    """An editor's upload, as the API and the browser make it (the file put where the ticket says):
    the object as an S3 notification names it."""
    from tests.support.app import article_file

    ticket = bench.api("UploadsFunction", "POST", "/uploads", {"filename": "berita.md"},
                       groups=_group(bench, "EDITORS"))  # fmt: skip
    fields, body = ticket["upload"]["fields"], article_file(**{**ARTICLE, "title": title})
    put = bench.session.client("s3").put_object(
        Bucket=bench.stack.ref("IncomingBucket"),
        Key=fields["key"],
        ContentType=fields["Content-Type"],
        Body=body,
    )
    return {
        "key": fields["key"],
        "size": len(body),
        "eTag": put["ETag"].strip('"'),
        "versionId": put["VersionId"],
    }


def upload_photo(bench: Bench, number: int) -> dict[str, Any]:
    """A photo uploaded alone (into the library), as `kabar upload photo.jpg` does: a small camera
    JPEG (800 x 600, EXIF and GPS), new bytes each time (so that it is processed, not found stored)."""
    from tests.support.photos import jpeg

    ticket = bench.api("UploadsFunction", "POST", "/uploads", {"filename": "foto.jpg"},
                       groups=_group(bench, "EDITORS"))  # fmt: skip
    fields = ticket["upload"]["fields"]
    body = jpeg((800 + number, 600), gps=True)
    put = bench.session.client("s3").put_object(Bucket=bench.stack.ref("IncomingBucket"), Key=fields["key"],
                                                ContentType=fields["Content-Type"], Body=body)  # fmt: skip
    return {
        "key": fields["key"],
        "size": len(body),
        "eTag": put["ETag"].strip('"'),
        "versionId": put["VersionId"],
    }


def _group(bench: Bench, which: str) -> str:
    defaults = {"EDITORS": "editors", "MODERATORS": "moderators", "ADMINS": "admins"}
    return next((env[f"{which}_GROUP"] for env in bench.environments.values() if f"{which}_GROUP" in env),
                defaults[which])  # fmt: skip


def comment(number: int) -> dict[str, Any]:
    return {"name": f"Pembaca {number}", "email": f"pembaca{number}@example.com",
            "content": "Semoga warga cepat tertolong dan banjir segera surut."}  # fmt: skip


def drive(bench: Bench) -> str:
    """One article published and one comment approved through the stack: what the router delivers
    to each function is recorded. The article's slug."""
    from kabar.slugs import slugify
    from kabar_infra.local.router import Router

    router = Router(bench.template, bench.stack, bench.call, bench.session)
    upload(bench, ARTICLE["title"])
    upload_photo(bench, 0)
    router.drain()
    slug = slugify(str(ARTICLE["title"]))
    taken = bench.api(
        "CommentsFunction", "POST", f"/articles/{slug}/comments", comment(0), source_ip="198.51.100.1"
    )
    bench.api(
        "ModerationFunction", "POST", f"/comments/{taken['id']}/approve", groups=_group(bench, "MODERATORS")
    )
    router.drain()
    return slug


# What each API function is asked on its first invocation (a cheap route with a real answer).
REQUESTS: dict[str, Callable[[Bench, str, int], dict[str, Any]]] = {
    "UploadsFunction": lambda b, slug, n: b.request("GET", f"/uploads/{uuid.uuid4().hex}", groups=_group(b, "EDITORS")),
    "VocabularyFunction": lambda b, slug, n: b.request("GET", "/tags", groups=_group(b, "EDITORS")),
    "ModerationFunction": lambda b, slug, n: b.request("GET", "/comments", groups=_group(b, "MODERATORS")),
    "WebhooksFunction": lambda b, slug, n: b.request("GET", "/webhooks", groups=_group(b, "ADMINS")),
    "CommentsFunction": lambda b, slug, n: b.request("POST", f"/articles/{slug}/comments", comment(n + 1),
                                                     source_ip=f"198.51.{n // 200}.{n % 200 + 2}"),
}  # fmt: skip
EVENTS = {
    "UploadsFunction": "GET /uploads/{unknown id}: 404",
    "VocabularyFunction": "GET /tags: 200",
    "ModerationFunction": "GET /comments (pending): 200",
    "WebhooksFunction": "GET /webhooks: 200",
    "CommentsFunction": "POST /articles/{slug}/comments: 201, a new reader each time",
    "PublishFunction": "SQS: a new upload's S3 notification, published",
    "TaggingFunction": "SQS, 1 message(s) (the publish's, its stored tags removed first: tagged again)",
    "ImagesFunction": "SQS: a new 800 x 600 photo's S3 notification (an image alone; EXIF and GPS, no colour profile): checked, 2 widths in 2 kinds and 3 crops",
}


# What a function's invocation does whatever its temperature, timed again warm in the first-invocation
# probe (``event`` given; sets ``work_ms``) and taken out of its own part: ImagesFunction's imaging
# (the photo's variants made from its bytes at the function's widths), not the S3 and table requests.
WORK = {
    "ImagesFunction": """
import json, time, urllib.parse
import boto3
from kabar.images.variants import make
from kabar.settings import get_settings
s3 = json.loads(event["Records"][0]["body"])["Records"][0]["s3"]
key = urllib.parse.unquote_plus(s3["object"]["key"])
data = boto3.client("s3").get_object(Bucket=s3["bucket"]["name"], Key=key)["Body"].read()
start = time.perf_counter()
make(data, key.rsplit("/", 1)[-1], wanted=get_settings().widths)
work_ms = (time.perf_counter() - start) * 1000
""",
}


def first_event(bench: Bench, function: str, slug: str, number: int) -> dict[str, Any] | None:
    """The event of one first-invocation sample (None: the pipeline never invoked the function)."""
    if function in REQUESTS:
        return REQUESTS[function](bench, slug, number)
    if function in ("PublishFunction", "ImagesFunction"):  # the first notification, for a new upload
        records = [r for e in bench.recorded[function] for r in e["Records"] if '"ObjectCreated' in r["body"]]
        record, notification = dict(records[0]), json.loads(records[0]["body"])
        created = (upload(bench, f"{ARTICLE['title']} {number}") if function == "PublishFunction"
                   else upload_photo(bench, number + 1))  # fmt: skip
        notification["Records"][0]["s3"]["object"].update(created, key=quote(created["key"], safe=""))
        record.update(body=json.dumps(notification), messageId=str(uuid.uuid4()))
        return {"Records": [record]}
    if function == "TaggingFunction":  # a replay would find the tags current and load no model
        from kabar.table import keys

        table = bench.session.client("dynamodb")
        stored = {name: {"S": value} for name, value in keys.article_tags(slug).items()}
        table.delete_item(TableName=bench.stack.ref("ContentTable"), Key=stored)
    found = bench.recorded.get(function)
    return found[0] if found else None


def describe(event: dict[str, Any]) -> str:
    """What a recorded event holds, for the table."""
    records = event.get("Records", [])
    if records and records[0].get("eventSource") == "aws:dynamodb":
        kinds = sorted({f"{r['dynamodb']['Keys']['pk']['S'].split('#')[0]} {r['dynamodb']['Keys']['sk']['S']}"
                        for r in records})  # fmt: skip
        return f"table stream, {len(records)} record(s): {', '.join(kinds)}"
    if records and records[0].get("eventSource") == "aws:sqs":
        return f"SQS, {len(records)} message(s)"
    return "an event"
