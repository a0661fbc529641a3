"""The OpenAPI document's words and what no resolver knows (for :mod:`kabar_infra.openapi`)."""

from __future__ import annotations

from typing import Any

# Each API function, by its tag: the folder of its handler, and its resolver (``api`` builds it).
FUNCTIONS = {
    "uploads": ("uploads", "app"),
    "vocabulary": ("vocabulary", "app"),
    "comments": ("comments", "api"),
    "moderation": ("moderation", "app"),
    "webhooks": ("webhooks", "app"),
}

TAGS: list[Any] = [
    {"name": "uploads", "description": "Editors: article files, straight to S3, and what became of them"},
    {"name": "vocabulary", "description": "Editors: the tag vocabulary (names, aliases, blocked, merges)"},
    {"name": "comments", "description": "Readers: the public comment intake"},
    {"name": "moderation", "description": "Moderators: the comment queues and their decisions"},
    {"name": "webhooks", "description": "Admins: webhook subscriptions, their delivery log and replay"},
]

INFO = {
    "title": "Kabar API (editors' uploads and tag vocabulary; readers' comments and their moderation)",
    "version": "1",
    "description": """\
Editors upload articles straight to S3 through presigned POSTs, then follow
what became of each upload. Every editors' route needs a Cognito ID token of a
user in the `editors` group in the `Authorization` header: without a valid
token API Gateway answers 401; a valid token of a user outside the group gets
403. The comment routes under `/comments` are for the `moderators` group
alike, and `/webhooks` for the `admins` group. The comment intake is public
and answers CORS preflight (OPTIONS) for the origins the `CommentOrigins`
parameter allows (any, by default).
Every request body is JSON sent with `Content-Type: application/json`
(415 otherwise), read within limits before it is parsed: arrays and objects
nest at most 32 deep, a number has at most 40 characters, NaN and Infinity
are refused, and so is a key given twice in one object; each is a 400 whose
`errors` name the problem and its line and column.
Public documents are not served here: sites read them from the CDN (see
docs/schemas/).
""",
}

SERVERS: list[Any] = [
    {"url": "https://{api_id}.execute-api.{region}.amazonaws.com/v1",
     "variables": {"api_id": {"default": "api_id"}, "region": {"default": "us-east-1"}}},
    {"url": "http://127.0.0.1:3000", "description": "the local stack (`make run`)"},
]  # fmt: skip


def _cognito(group: str) -> dict[str, str]:
    token = f'A Cognito ID token of a user in the `{group}` group (no "Bearer" prefix needed)'
    return {"type": "apiKey", "in": "header", "name": "Authorization", "description": token}


SECURITY_SCHEMES: dict[str, Any] = {
    "editors": _cognito("editors"), "moderators": _cognito("moderators"), "admins": _cognito("admins"),
}  # fmt: skip

# kabar.rest answers the intake's CORS preflight itself (kabar.api.cors): it is no route.
PREFLIGHT = {
    "tags": ["comments"],
    "summary": "CORS preflight for the comment intake (public)",
    "description": """\
Answered by the function: 204 with Access-Control-Allow-Origin (the
request's origin when allowed), -Allow-Methods, -Allow-Headers,
-Max-Age 600; Retry-After is exposed to scripts on the POST's answers.
""",
    "operationId": "comment_preflight_articles__slug__comments_options",
    "parameters": [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}],
    "responses": {"204": {"description": "The origin may post comments"}},
    "security": [],
}

DESCRIPTIONS = {
    ("post", "/uploads"): """\
Records a pending upload and returns a presigned POST restricted to one
key (`uploads/<upload_id>/<filename>`), the content type the file name
implies, 1 byte to `max_bytes`, and an expiry of `expires_at`. POST the
`fields` plus the file (as the last form field, named `file`) to `url`.
The file name needs a name before its extension (`.md` alone is 400);
characters other than A-Z, a-z, 0-9, `.`, `_` and `-` become `-` in the
key, and a name with none left is `upload` (`日本.md` is `upload.md`).
""",
    ("get", "/uploads/{upload_id}"): """\
`state` is `pending` until the file is processed, then `published` (with
`article`, `warnings` and `live` once the CDN serves it) or `rejected`
(with every reason in `errors`). A pending upload whose ticket expired
(`expires_at`, plus two minutes for a file on its way) is marked `expired`
when its status is read; a file posted in time that arrives later is still
processed. A file posted with the ticket after the upload was processed
(the ticket used again) is not published: `ignored_files` lists it (the
first 10), and it is kept in the incoming bucket. The same file again is
a repeat delivery and changes nothing.
""",
    ("put", "/tags"): """\
Every entry is validated first; if any is invalid, nothing is stored and
`errors` names each problem (`tags.3.name`). A name is checked as
`PUT /tags/{slug}` checks it. A tag without `slug` gets the slug of its
name; a name without letters or digits a-z, 0-9 (`日本`) needs a `slug`
(`tags.3.slug` asks for it), in bulk as alone. Entries are then stored
in order; an alias that belongs to another tag stops the load with 409 at
that entry.
""",
    ("put", "/tags/{slug}"): """\
Articles tagged (by an editor or by suggestion) with the name or any
alias are listed under this tag from their next publish on. A blocked
tag is never given to an article.
""",
    ("post", "/tags/{slug}/merge"): """\
The tag becomes `merged`: its name and aliases lead to the target from
now on, its articles are re-tagged in the background (they move to the
target, which then lists the articles of both), and its CDN document
becomes a pointer to the target (`kind: tag_merged`). The tag may be a
vocabulary tag or one that was only ever suggested.
""",
    ("post", "/articles/{slug}/comments"): """\
No token needed. Rules, in order: the article must be published (404)
and open to comments (403); the same article, author and content again
is 409; the same email within 15 seconds is 429 with Retry-After, and so
is a comment once `CommentNetworkLimit` (6) came from its network (/24
IPv4, /48 IPv6) in the last minute: readers behind one carrier address
are a rate, not a lockout. A filled `honeypot`, a disallowed word or
strong evidence of an online-gambling promotion (disguised letters, a
gambling site's name, gambling slang) is accepted here but stored as
spam; weaker evidence, a spam name the site learned from its moderators,
two or more links, a moderation word, or a first-time commenter wait for
a moderator; a
commenter with earlier approved comments (recognised by a keyed hash of
the email) is published at once. The email and IP are stored only as
keyed hashes and never published. Markup in `name` and `content` is
removed (a tag left open, `<img src=x onerror=...`, to the end of the
field), and so are control, zero-width and direction-changing characters
(in `email` and `website` too); the content is shown as text with
paragraphs, line breaks and links (rel="nofollow ugc"). The body must be
sent as `application/json` (415 otherwise): a page on another site can
post text/plain or a form without asking first, JSON only after a CORS
preflight, which only the `CommentOrigins` origins pass.
""",
    ("post", "/comments/{comment_id}/approve"): """\
Moves the comment into its article's public comments (the newest page of
comments.json, re-rendered with the article's count) and counts it for its
author, whose next comments are then published at once. Approving an
approved comment changes nothing (`changed: false`).
""",
    ("post", "/comments/{comment_id}/spam"): """\
Kept in the spam queue, never public, until `CommentPurgeDays` (30) have
passed (then the table deletes it; approving it before keeps it). A
comment that was public leaves its page and no longer counts for its
author. The gambling site names in it (a word and digits such as
`dewadora88`, or a disguised name) become the site's learned spam names,
listed in `learned` when new: every later comment that names one is held
for a moderator, with that reason.
""",
    ("post", "/comments/{comment_id}/trash"): (
        "Kept in the trash queue, never public, until `CommentPurgeDays` have passed; like spam for the "
        "author's count."
    ),
    ("get", "/spam-names"): """\
The names the site learned from comments marked spam, in order, each with
the comment it was learned from, the moderator and when. At most 2,000.
""",
    ("delete", "/spam-names/{name}"): """\
Comments that name it are no longer held for it. Removing a name that is
not learned changes nothing (`removed: false`).
""",
    ("put", "/comments/{comment_id}"): """\
The fields given are checked as at intake and replace the stored ones
(`website: null` removes it); a public comment's page is re-rendered. The
same edit again changes nothing.
""",
}
