"""Authors' profiles, as editors set them (``PUT /authors/{slug}``). An author's list and count
are the tags' transaction's (kabar.table.tags); a profile's stream record re-renders the author's
document (kabar.events.AuthorChanged)."""

from __future__ import annotations

from datetime import UTC, datetime

from kabar.documents import AuthorProfile
from kabar.table import keys
from kabar.table.base import Table

TYPE_AUTHOR_PROFILE = "author_profile"


class AuthorStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def profile(self, slug: str) -> AuthorProfile | None:
        item = self.table.get(keys.author_profile(slug))
        if not item:
            return None
        return AuthorProfile(name=str(item["name"]), bio=item.get("bio"), url=item.get("url"),
                             image=item.get("image"))  # fmt: skip

    def put_profile(self, slug: str, profile: AuthorProfile, editor: str) -> None:
        """Store (or replace) an author's profile, noting who and when."""
        values = {**keys.author_profile(slug), "type": TYPE_AUTHOR_PROFILE, "slug": slug,
                  **profile.to_json(exclude_none=True), "editor": editor,
                  "updated_at": datetime.now(UTC).isoformat(timespec="seconds")}  # fmt: skip
        self.table.put(values)
