"""The golden snapshot: publish examples/ on moto, then record everything the stack stored.

:func:`run` plays one fixed scenario on an :class:`~tests.support.app.App` that touches
every aggregate, draining the router after each step:

1. the tag vocabulary of ``examples/vocabulary.yaml`` through ``PUT /tags``, mapped to the
   body as ``kabar tags load`` maps it;
2. every file of ``examples/articles``, ``related``, ``try`` and ``rejected`` (each folder in
   name order) through ``POST /uploads``, a put where the presigned POST points, and
   ``GET /uploads/{id}``;
3. comments on one published article: a first-time commenter (pending), approved by a
   moderator; the same commenter again (approved at once); a reply to the approved comment,
   approved; a filled honeypot (spam); two links (pending), then trashed; a moderator's edit
   of an approved comment; then the three moderation queues;
4. a tag merged into a vocabulary tag (``POST /tags/aleppo/merge`` into ``suriah``);
5. an article unpublished by uploading it again with ``status: draft`` and its ``slug:``;
6. the vocabulary as ``GET /tags`` lists it.

The snapshot then holds every API answer of the scenario (in order), every object of the
site bucket (body text exactly as stored; ContentType, CacheControl, ContentEncoding and the
user Metadata of ``head_object``), every table item as DynamoDB JSON, and every object of
the incoming bucket (key and body).

It reaches the stack only through what a module refactor leaves alone: the HTTP API (the
template's routes), the router, boto3 on moto and the template. No ``kabar`` module is
imported here.

Masked, because they differ from run to run (every other value is compared exactly):

* upload ids (32 hex digits, from ``uuid4``): ``<upload-N>``, N the upload's place in
  the scenario; comment ids (a microsecond timestamp and 8 random hex digits):
  ``<comment-N>``, N the order the comments were posted in. Replaced wherever they occur,
  inside keys, paths and document bodies too.
* clock readings: an ISO-8601 date-time (extended ``2026-12-01T09:52:29.776902Z`` or basic
  ``20261201T095212Z``), a date, or an epoch number (``last_at``) that falls between the
  scenario's start (less a minute) and 400 days after its end; front matter dates (2026-11)
  lie outside and stay. A reading with sub-second digits is one instant, numbered
  ``<time-N|shape>`` in order of first appearance, the same instant everywhere (or
  ``<time:comment-N|shape>`` when it is the instant in comment N's id); ``shape`` keeps the
  format (``YYYY-MM-DDThh:mm:ss.ffffffZ``) so a format change still shows. A reading to the
  second is ``<time|shape>``, not numbered: whether two steps fell in the same second is
  chance. Epoch numbers are ``<epoch:time-N|seconds.fraction>`` the same way (a commenter's
  ``last_at`` reads ``<epoch:time:comment-N|...>``: the instant of that comment), or
  ``<epoch|seconds>`` when whole. The month of the scenario
  (``2026-12`` in a key such as ``v1/latest/2026-12.json``, the month of an article
  published "now") is ``<month-N>``.
* keyed hashes (HMAC-SHA256 with the secret the stack generates): every 64-hex-digit value
  except those stored as ``content_hash`` (plain SHA-256 of the content: deterministic,
  kept), numbered ``<hmac-N>`` in order of first appearance: email and network hashes,
  and the commenter, network and duplicate markers' keys.
* the presigned POST's signature, policy expiry and credential date (clock and key
  dependent); its policy is shown decoded, so its conditions are compared.
* UUIDs, should one appear: ``<uuid-N>``.

Collections without an order of their own are sorted: site and incoming objects by key,
table items by their masked form (``pk``, ``sk`` first). Bodies keep their order.

Regenerate (only for a deliberate behaviour change, reviewed in the diff)::

    python -m tests.support.golden --write      # or KABAR_GOLDEN_WRITE=1 on the test
"""

from __future__ import annotations

import base64
import difflib
import json
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

from tests.support.app import CDN_URL, App

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
GOLDEN = ROOT / "tests" / "golden" / "examples.json"
TEST = ROOT / "tests" / "integration" / "test_golden_snapshot.py"
FOLDERS = ("articles", "related", "try", "rejected")
# Floods are the intake tests' business: here the same commenter comes back at once.
OVERRIDES = {"CDN_URL": CDN_URL, "COMMENT_FLOOD_SECONDS": "0", "COMMENT_NETWORK_LIMIT": "1000"}

COMMENTED = "ribuan-pengungsi-kembali-ke-homs-setelah-jalur-dibuka"  # examples/articles/01
MERGED, MERGED_INTO = "aleppo", "suriah"  # both given by articles/02 and 05
UNPUBLISHED = "tentara-suriah-pukul-mundur-isis-di-pedesaan-aleppo"  # articles/02, in 05's read_also
UNPUBLISHED_FILE = EXAMPLES / "articles" / "02-serangan-aleppo.md"

ANI = {"name": "Ani", "email": "Ani@Example.co.id", "ip": "203.0.113.7"}
BUDI = {"name": "Budi", "email": "budi@example.id", "ip": "198.51.100.23"}
CITRA = {"name": "Citra", "email": "citra@example.id", "ip": "192.0.2.10"}
DODI = {"name": "Dodi", "email": "dodi@example.id", "ip": "192.0.2.77"}  # Citra's /24

HEADERS = ("ContentType", "CacheControl", "ContentEncoding", "Metadata")
WINDOW_BEFORE = timedelta(minutes=1)
WINDOW_AFTER = timedelta(days=400)  # expiry times lie ahead of the clock


# ------------------------------------------------------------------ the scenario


@dataclass
class Scenario:
    """One run: the app, the API answers in order, and the ids the stack handed out."""

    app: App
    calls: list[dict[str, Any]] = field(default_factory=list)
    uploads: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    def api(
        self, step: str, method: str, path: str, body: Any = None, *, expect: int, by: str = "editor"
    ) -> dict[str, Any]:
        groups, user = ("moderators", "mod") if by == "moderator" else ("editors", "editor1")
        status, answer = self.app.api(method, path, body, groups=groups, user=user)
        request = {"method": method, "path": path, "body": body}
        return self._record(step, request, status, answer, expect=expect)

    def _record(
        self, step: str, request: dict[str, Any], status: int, answer: Any, *, expect: int
    ) -> dict[str, Any]:
        assert status == expect, (step, status, answer)
        self.app.router.drain()
        self.calls.append({"step": step, "request": request, "status": status, "body": answer})
        return answer  # type: ignore[no-any-return]

    def upload(self, step: str, filename: str, data: bytes) -> dict[str, Any]:
        """What ``App.upload`` does, keeping the ticket and the upload's status for the snapshot."""
        ticket = self.api(step, "POST", "/uploads", {"filename": filename}, expect=201)
        fields = ticket["upload"]["fields"]
        self.uploads.append(ticket["upload_id"])
        self.app.s3.put_object(
            Bucket=self.app.incoming_bucket, Key=fields["key"], Body=data, ContentType=fields["Content-Type"]
        )
        self.app.router.drain()
        return self.api(step, "GET", ticket["status_path"], expect=200)

    def comment(self, step: str, who: dict[str, str], content: str, *, expect: str, **extra: Any) -> str:
        """``POST /articles/{slug}/comments`` from the commenter's address (public: no claims)."""
        from kabar_infra.local.api import match, proxy_event, routes

        body = {"name": who["name"], "email": who["email"], "content": content, **extra}
        path = f"/articles/{COMMENTED}/comments"
        route, params, _ = match(routes(self.app.template), "POST", path)
        assert route is not None and not route.authorized, path
        event = proxy_event(
            route,
            method="POST",
            path=path,
            path_parameters=params,
            headers={"Content-Type": "application/json"},
            query={},
            body=json.dumps(body).encode(),
            claims=None,
            source_ip=who["ip"],
        )
        response = self.app.invoke(route.function, event)
        answer = json.loads(response["body"])
        request = {"method": "POST", "path": path, "body": body, "source_ip": who["ip"]}
        self._record(step, request, response["statusCode"], answer, expect=201)
        assert answer["status"] == expect, (step, answer)
        self.comments.append(answer["id"])
        return str(answer["id"])

    def moderate(self, step: str, method: str, path: str, body: Any = None) -> dict[str, Any]:
        return self.api(step, method, path, body, expect=200, by="moderator")


def vocabulary_body(path: Path) -> dict[str, Any]:
    """The ``PUT /tags`` body ``kabar tags load FILE`` sends: name, slug, aliases, status.

    The CLI slugs a name that has none with the same slugify the API uses; the examples give
    no slug, so the slug is left to the API here (no ``kabar`` import).
    """
    import yaml

    entries = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8")):
        aliases = [str(alias) for alias in item.get("aliases", [])]
        entry = {"name": item["name"].strip(), "aliases": aliases, "status": item.get("status", "active")}
        entries.append({"slug": item["slug"], **entry} if item.get("slug") else entry)
    return {"tags": entries}


def as_draft(data: bytes, slug: str) -> bytes:
    """The same file with ``status: draft`` and its ``slug:`` at the top of its front matter."""
    text = data.decode("utf-8")
    assert text.startswith("---\n")
    return f"---\nstatus: draft\nslug: {slug}\n{text[4:]}".encode()


def play(app: App) -> Scenario:
    """The scenario, on a fresh stack; every step's answer is checked as it goes."""
    run = Scenario(app)
    run.api("vocabulary", "PUT", "/tags", vocabulary_body(EXAMPLES / "vocabulary.yaml"), expect=200)
    for folder in FOLDERS:
        for path in sorted((EXAMPLES / folder).glob("*.md")):
            status = run.upload(f"upload {folder}/{path.name}", path.name, path.read_bytes())
            assert status["state"] == ("rejected" if folder == "rejected" else "published"), status

    waits, published = "awaiting moderation", "published"
    first = run.comment("first-time commenter", ANI, "Semoga semua keluarga segera pulang.", expect=waits)
    run.moderate("approve the first comment", "POST", f"/comments/{first}/approve")
    ani = {**ANI, "email": ANI["email"].lower()}  # recognised by the email, whatever its case
    again = run.comment("returning commenter", ani, "Posko kesehatan perlu relawan.", expect=published)
    reply = run.comment("reply", BUDI, "Setuju, semoga cepat pulih.", parent=first, expect=waits)
    run.moderate("approve the reply", "POST", f"/comments/{reply}/approve")
    run.comment("honeypot", CITRA, "Komentar dari robot.", honeypot="http://spam.example", expect=waits)
    links = run.comment(
        "two links", DODI, "Lihat http://a.example.com dan http://b.example.com", expect=waits
    )
    run.moderate("trash the links", "POST", f"/comments/{links}/trash")
    edit = {"content": "Posko kesehatan masih perlu relawan dan obat-obatan."}
    run.moderate("edit an approved comment", "PUT", f"/comments/{again}", edit)
    for queue in ("pending", "spam", "trash"):
        run.moderate(f"{queue} queue", "GET", f"/comments?status={queue}")

    run.api("merge", "POST", f"/tags/{MERGED}/merge", {"into": MERGED_INTO}, expect=202)
    status = run.upload(
        "unpublish", UNPUBLISHED_FILE.name, as_draft(UNPUBLISHED_FILE.read_bytes(), UNPUBLISHED)
    )
    assert status["state"] == "published" and status["article"]["status"] == "draft", status
    run.api("vocabulary after", "GET", "/tags", expect=200)
    return run


# ------------------------------------------------------------------ what the stack stored


def _text(data: bytes) -> Any:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(data).decode()}


def _keys(app: App, bucket: str) -> Iterator[str]:
    for page in app.s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for obj in page.get("Contents", []):
            yield obj["Key"]


def capture(run: Scenario) -> dict[str, Any]:
    """Everything stored, unmasked: site objects with headers, table items, incoming objects."""
    app = run.app
    site = {}
    for key in _keys(app, app.site_bucket):
        head = app.s3.head_object(Bucket=app.site_bucket, Key=key)
        body = app.s3.get_object(Bucket=app.site_bucket, Key=key)["Body"].read()
        site[key] = {"body": _text(body), **{name: head.get(name) for name in HEADERS}}
    incoming = {
        key: _text(app.s3.get_object(Bucket=app.incoming_bucket, Key=key)["Body"].read())
        for key in _keys(app, app.incoming_bucket)
    }
    items = []
    for page in app.dynamodb.get_paginator("scan").paginate(TableName=app.stack.ref("ContentTable")):
        items += page["Items"]
    api = [_decoded_presign(call) for call in run.calls]
    return {"api": api, "site": site, "table": items, "incoming": incoming}


def _decoded_presign(call: dict[str, Any]) -> dict[str, Any]:
    """An upload ticket with its presigned POST's policy decoded (its conditions are behaviour)."""
    fields = (call["body"].get("upload") or {}).get("fields") if isinstance(call["body"], dict) else None
    if not fields or "policy" not in fields:
        return call
    policy = json.loads(base64.b64decode(fields["policy"]))
    fields = {**fields, "policy": policy, "x-amz-signature": "<presign-signature>"}
    return {**call, "body": {**call["body"], "upload": {**call["body"]["upload"], "fields": fields}}}


# ------------------------------------------------------------------ masking

_ISO = re.compile(
    r"(?<![0-9])(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?"
    r"(Z|[+-]\d{2}:?\d{2})?)?(?![0-9])"
)
# Digits inside a lower-case hex string (a keyed hash, a UUID) are never a time.
_BASIC = re.compile(r"(?<![0-9A-Za-z])(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?(?![0-9a-z])")
_MONTH = re.compile(r"(?<![0-9])(\d{4})-(\d{2})(?![0-9-])")
_EPOCH = re.compile(r"(?<![0-9a-z.])(1\d{9})(?:\.(\d{1,9}))?(?![0-9a-z.])")
_HEX64 = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")
_UUID = re.compile(r"(?<![0-9a-f])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f])")
_COMMENT_TIME = re.compile(r"^(\d{8}T\d{12})Z")
# RFC 822 times (RSS's pubDate, lastBuildDate) and dates in a page's path (/2026/11/24/).
_RFC822 = re.compile(r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT")
_PATH_DATE = re.compile(r"/(\d{4})/(\d{2})/(\d{2})/")


def _shape(match: re.Match[str]) -> str:
    """An extended ISO date-time's format, digits named: ``YYYY-MM-DDThh:mm:ss.ffffffZ``."""
    _, _, _, hour, _, second, fraction, zone = match.groups()
    shape = "YYYY-MM-DD"
    if hour is not None:
        shape += (
            "Thh:mm" + (":ss" if second is not None else "") + ("." + "f" * len(fraction) if fraction else "")
        )
        shape += zone or ""
    return shape


class Masker:
    """Replaces volatile values by placeholders; numbered ones the same everywhere they occur.

    With ``assign`` False, a value not numbered yet becomes a generic placeholder (``<hmac>``):
    that is the form unordered collections are sorted by before any number is handed out.
    """

    def __init__(self, run: Scenario, started: datetime, finished: datetime, keep: set[str]) -> None:
        self.seeds = {value: f"<upload-{n}>" for n, value in enumerate(run.uploads, 1)}
        self.seeds |= {value: f"<comment-{n}>" for n, value in enumerate(run.comments, 1)}
        self.seed_pattern = re.compile(
            "|".join(re.escape(v) for v in sorted(self.seeds, key=len, reverse=True))
        )
        # The instant in each comment's id (to the microsecond): the same instant elsewhere says so.
        self.instants: dict[int, str] = {}
        for n, value in enumerate(run.comments, 1):
            stamp = datetime.strptime(_COMMENT_TIME.match(value).group(1), "%Y%m%dT%H%M%S%f")  # type: ignore[union-attr]
            self.instants[_micros(stamp.replace(tzinfo=UTC))] = f"time:comment-{n}"
        self.low, self.high = started - WINDOW_BEFORE, finished + WINDOW_AFTER
        self.months = {started.strftime("%Y-%m"), finished.strftime("%Y-%m")}
        self.keep = keep
        self.numbers: dict[tuple[str, str], str] = {}
        self.counts: dict[str, int] = {}
        self.assign = False

    def _number(self, kind: str, value: str) -> str:
        found = self.numbers.get((kind, value))
        if found is None:
            if not self.assign:
                return kind
            self.counts[kind] = self.counts.get(kind, 0) + 1
            found = self.numbers[(kind, value)] = f"{kind}-{self.counts[kind]}"
        return found

    def _instant(self, when: datetime) -> str:
        micros = _micros(when)
        for near in (micros, micros - 1, micros + 1):  # an epoch float may round the last digit
            if near in self.instants:
                return self.instants[near]
        return self._number("time", str(micros))

    def _in_window(self, when: datetime) -> bool:
        return self.low <= when <= self.high

    def _day_in_window(self, day: datetime) -> bool:
        """Whether any moment of this (UTC) day falls in the window: a date alone is a day."""
        start = day.replace(hour=0, minute=0, second=0, microsecond=0)
        return start <= self.high and start + timedelta(days=1) > self.low

    def text(self, value: str) -> str:
        if self.seeds:
            value = self.seed_pattern.sub(lambda m: self.seeds[m.group(0)], value)
        value = _RFC822.sub(self._rfc822, value)
        value = _PATH_DATE.sub(self._path_date, value)
        value = _ISO.sub(self._iso, value)
        value = _BASIC.sub(self._basic, value)
        value = _MONTH.sub(self._month, value)
        value = _EPOCH.sub(self._epoch, value)
        value = _HEX64.sub(self._hex, value)
        return _UUID.sub(lambda m: f"<{self._number('uuid', m.group(0))}>", value)

    def _hex(self, match: re.Match[str]) -> str:
        value = match.group(0)
        return value if value in self.keep else f"<{self._number('hmac', value)}>"

    def _iso(self, match: re.Match[str]) -> str:
        *day, hour, minute, second, fraction, zone = match.groups()
        micros = int((fraction or "0")[:6].ljust(6, "0"))
        try:
            when = datetime(*map(int, day), int(hour or 0), int(minute or 0), int(second or 0), micros, UTC)
            if zone and zone != "Z":
                sign = 1 if zone[0] == "+" else -1
                digits = zone[1:].replace(":", "")
                when -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        except ValueError:
            return match.group(0)
        if hour is None:  # a date alone: volatile if it is a day of the scenario
            return f"<date|{_shape(match)}>" if self._day_in_window(when) else match.group(0)
        if not self._in_window(when):
            return match.group(0)
        if fraction:
            return f"<{self._instant(when)}|{_shape(match)}>"
        return f"<time|{_shape(match)}>"

    def _rfc822(self, match: re.Match[str]) -> str:
        when = datetime.strptime(match.group(0), "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=UTC)
        return "<time|RFC822>" if self._in_window(when) else match.group(0)

    def _path_date(self, match: re.Match[str]) -> str:
        """A date in a URL's path, on the site's clock (WIB): a day of the scenario or the next."""
        try:
            day = datetime(*map(int, match.groups()), tzinfo=UTC)
        except ValueError:
            return match.group(0)
        volatile = self._day_in_window(day) or self._day_in_window(day - timedelta(days=1))
        return "/<date|YYYY/MM/DD>/" if volatile else match.group(0)

    def _basic(self, match: re.Match[str]) -> str:
        *day, hour, minute, second, zone = match.groups()
        try:
            when = datetime(*map(int, day), int(hour or 0), int(minute or 0), int(second or 0), tzinfo=UTC)
        except ValueError:
            return match.group(0)
        if not (self._in_window(when) if hour else self._day_in_window(when)):
            return match.group(0)
        return "<time|YYYYMMDDThhmmss" + ("Z>" if zone else ">") if hour else "<date|YYYYMMDD>"

    def _month(self, match: re.Match[str]) -> str:
        value = match.group(0)
        return f"<{self._number('month', value)}>" if value in self.months else value

    def _epoch(self, match: re.Match[str]) -> str:
        seconds, fraction = match.groups()
        when = datetime.fromtimestamp(int(seconds), UTC)
        if not self._in_window(when):
            return match.group(0)
        if not fraction:
            return "<epoch|seconds>"
        when += timedelta(microseconds=round(int(fraction.ljust(9, "0")[:9]) / 1000))
        # As many digits as the float's repr has: not part of the shape.
        return f"<epoch:{self._instant(when)}|seconds.fraction>"

    def generic(self, value: Any) -> Any:
        """``value`` masked with no number handed out: the form to sort by."""
        saved, self.assign = self.assign, False
        try:
            return self.value(value)
        finally:
            self.assign = saved

    def value(self, value: Any) -> Any:
        """``value`` with every string (and dict key) masked; dicts in key order, so that numbers
        are handed out in an order that does not depend on how a dict was built."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {self.text(k): self.value(value[k]) for k in sorted(value)}
        if isinstance(value, int | float) and not isinstance(value, bool):
            masked = self.text(repr(value))
            return value if masked == repr(value) else masked
        return value


def _micros(when: datetime) -> int:
    delta = when - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _content_hashes(value: Any) -> Iterator[str]:
    """Every value stored under ``content_hash``: plain SHA-256 of the content, kept as it is."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "content_hash":
                found = inner.get("S") if isinstance(inner, dict) else inner
                if isinstance(found, str):
                    yield found
            else:
                yield from _content_hashes(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _content_hashes(inner)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _item_key(item: dict[str, Any]) -> tuple[str, str, str]:
    return (item.get("pk", {}).get("S", ""), item.get("sk", {}).get("S", ""), _canonical(item))


def mask(raw: dict[str, Any], run: Scenario, started: datetime, finished: datetime) -> dict[str, Any]:
    """The snapshot: ``raw`` with volatile values masked, numbered in order of first appearance
    (API answers in scenario order, then incoming and site objects by key, then table items)."""
    masker = Masker(run, started, finished, keep=set(_content_hashes(raw["table"])))
    masker.assign = True
    snapshot = {"api": masker.value(raw["api"]), "incoming": _by_key(masker, raw["incoming"]),
                "site": _by_key(masker, raw["site"])}  # fmt: skip
    # Items in their masked order. Items alike but for values not numbered yet (the network
    # markers of two addresses) wait until the others have numbered those values; items
    # still alike after that could be numbered either way, and are refused.
    items = _in_order(masker, raw["table"])
    alike = {key for (key, _), (after, _) in pairwise(items) if key == after}
    table = [masker.value(item) for key, item in items if key not in alike]
    waiting = _in_order(masker, [item for key, item in items if key in alike])
    for (key, one), (after, other) in pairwise(waiting):
        if key == after and one != other:
            raise AssertionError(f"table items differ only in values masked alike, order unknown: {key[:2]}")
    table += [masker.value(item) for _, item in waiting]
    snapshot["table"] = sorted(table, key=_item_key)
    return snapshot


def _in_order(
    masker: Masker, items: list[dict[str, Any]]
) -> list[tuple[tuple[str, str, str], dict[str, Any]]]:
    return sorted(((_item_key(masker.generic(item)), item) for item in items), key=lambda pair: pair[0])


def _by_key(masker: Masker, objects: dict[str, Any]) -> dict[str, Any]:
    masked: dict[str, Any] = {}
    for key in sorted(objects, key=masker.generic):
        name = masker.text(key)
        assert name not in masked, f"two objects mask to one key: {name}"
        masked[name] = masker.value(objects[key])
    return masked


# ------------------------------------------------------------------ running and comparing


def run(app: App) -> dict[str, Any]:
    """Play the scenario on ``app`` (a fresh stack) and return the masked snapshot."""
    started = datetime.now(UTC)
    scenario = play(app)
    raw = capture(scenario)
    return mask(raw, scenario, started, datetime.now(UTC))


def dumps(snapshot: dict[str, Any]) -> str:
    return json.dumps(snapshot, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(snapshot: dict[str, Any], path: Path = GOLDEN) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(snapshot), encoding="utf-8")


def load(path: Path = GOLDEN) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _lines(snapshot: dict[str, Any]) -> list[str]:
    """One line per leaf, named by its path: a diff of these says where each difference is.

    Bodies are shown parsed (in their own key order), with the length of their masked text and,
    when that text is not compact JSON, the text itself: a difference in bytes alone still shows.
    """
    out: list[str] = []
    for n, call in enumerate(snapshot.get("api", []), 1):
        _flatten(f"api[{n} {call.get('step')}]", call, out)
    for section in ("site", "incoming"):
        for key, obj in snapshot.get(section, {}).items():
            body = obj.get("body") if isinstance(obj, dict) else obj
            if isinstance(obj, dict):
                for name in sorted(k for k in obj if k != "body"):
                    _flatten(f"{section}[{key}].{name}", obj[name], out)
            _body(f"{section}[{key}].body", body, out)
    for item in snapshot.get("table", []):
        name = f"table[{item.get('pk', {}).get('S')} | {item.get('sk', {}).get('S')}]"
        _flatten(name, {k: item[k] for k in sorted(item)}, out)
    return out


def _body(name: str, body: Any, out: list[str]) -> None:
    if not isinstance(body, str):
        _flatten(name, body, out)
        return
    out.append(f"{name} bytes = {len(body.encode())}")
    try:
        parsed = json.loads(body)
    except ValueError:
        out += [f"{name} | {line}" for line in body.splitlines()]
        return
    if json.dumps(parsed, separators=(",", ":"), ensure_ascii=False) != body:
        out.append(f"{name} text = {json.dumps(body, ensure_ascii=False)}")
    _flatten(name, parsed, out)


def _flatten(name: str, value: Any, out: list[str]) -> None:
    if isinstance(value, dict) and value:
        for key, inner in value.items():
            _flatten(f"{name}.{key}", inner, out)
    elif isinstance(value, list) and value:
        for n, inner in enumerate(value):
            _flatten(f"{name}[{n}]", inner, out)
    else:
        out.append(f"{name} = {json.dumps(value, ensure_ascii=False)}")


def diff(expected: dict[str, Any], actual: dict[str, Any], limit: int = 200) -> str:
    """A unified diff of the two snapshots, leaf by leaf, cut at ``limit`` lines."""
    lines = list(
        difflib.unified_diff(_lines(expected), _lines(actual), "golden", "this run", n=2, lineterm="")
    )
    if not lines and expected != actual:  # only what the leaf view cannot tell apart
        lines = list(difflib.unified_diff(dumps(expected).splitlines(), dumps(actual).splitlines(),
                                          "golden", "this run", n=2, lineterm=""))  # fmt: skip
    summary = _summary(expected, actual)
    shown = lines[:limit]
    if len(lines) > limit:
        shown.append(f"... {len(lines) - limit} more diff lines")
    return "\n".join([*summary, *shown])


def _summary(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    out = []
    for section in ("api", "site", "incoming", "table"):
        a, b = expected.get(section), actual.get(section)
        if section in ("site", "incoming"):
            a, b = a or {}, b or {}
            changed = sum(1 for k in a.keys() & b.keys() if a[k] != b[k])
            out.append(f"{section}: {len(a)} -> {len(b)} objects; {len(a.keys() - b.keys())} gone, "
                       f"{len(b.keys() - a.keys())} new, {changed} changed")  # fmt: skip
        else:
            a, b = a or [], b or []
            left = {_canonical(x) for x in a}
            right = {_canonical(x) for x in b}
            out.append(f"{section}: {len(a)} -> {len(b)} entries; {len(left - right)} only in golden, "
                       f"{len(right - left)} only in this run")  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> int:
    """``--write``: regenerate tests/golden/examples.json; otherwise check it (runs the test)."""
    import argparse
    import os

    import pytest

    parser = argparse.ArgumentParser(
        prog="python -m tests.support.golden", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--write", action="store_true", help="write the snapshot instead of checking it")
    args = parser.parse_args(argv)
    if args.write:
        os.environ["KABAR_GOLDEN_WRITE"] = "1"
    started = time.monotonic()
    code = int(pytest.main(["-q", "-p", "no:cacheprovider", str(TEST)]))
    took = time.monotonic() - started
    print(f"{'wrote' if args.write else 'checked'} {GOLDEN.relative_to(ROOT)} in {took:.1f} s")
    return code


if __name__ == "__main__":
    sys.exit(main())
