"""``kabar authors ...``: authors' profiles, as their documents (``v1/authors/<slug>.json``) show them.

``kabar authors set SLUG --name NAME [--bio TEXT] [--url URL] [--image URL]`` stores a profile
(``PUT /authors/{slug}``: the whole profile, so a field left out is cleared); ``kabar authors show
SLUG`` prints one (``GET /authors/{slug}``). An author's slug is their byline name's: "Ani Siregar"
is ``ani-siregar``; ``kabar authors slug NAME`` prints it.
"""

from __future__ import annotations

import json
from typing import Any

from kabar.slugs import slugify


def add_commands(commands: Any) -> None:
    authors = commands.add_parser("authors", help="authors' profiles (name, bio, url, image)")
    author_commands = authors.add_subparsers(dest="authors_command", required=True)
    put = author_commands.add_parser("set", help="store an author's profile (the whole of it)")
    put.add_argument("slug", help="the author's slug (kabar authors slug 'Ani Siregar')")
    put.add_argument("--name", required=True, help="the name the author's page shows")
    put.add_argument("--bio", help="a short biography (plain text)")
    put.add_argument("--url", help="the author's own page elsewhere (https://...)")
    put.add_argument("--image", help="a portrait's address (https://...)")
    show = author_commands.add_parser("show", help="print an author's profile")
    show.add_argument("slug")
    slug = author_commands.add_parser("slug", help="the slug a byline name makes")
    slug.add_argument("name")


def run_local(args: Any) -> int:
    """``kabar authors slug``: no stack needed."""
    print(slugify(args.name))
    return 0 if slugify(args.name) else 1


def run_remote(args: Any, client: Any) -> int:
    if args.authors_command == "set":
        body = {"name": args.name} | {k: v for k in ("bio", "url", "image") if (v := getattr(args, k))}
        profile = client.put_author(args.slug, body)
        print(json.dumps(profile, ensure_ascii=False) if args.json else f"stored the profile of {args.slug}")
        return 0
    profile = client.author(args.slug)
    if args.json:
        print(json.dumps(profile, ensure_ascii=False))
        return 0
    for field in ("name", "bio", "url", "image"):
        if profile.get(field):
            print(f"{field}: {profile[field]}")
    return 0
