"""What plain text may hold: the characters and markup every plain field refuses or loses.

Editors' plain fields (an article's title, author, tags..., vocabulary names) refuse them with a
reason; readers' (a comment's name, content, website) lose them (:func:`kabar.text.comment_rules.plain`).
"""

from __future__ import annotations

import re

# Control characters (C0 but tab and newline, DEL, C1), zero-width, line and paragraph separators,
# and the ones that change the direction text is shown in (a name can look like another).
CONTROL = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)
# A tag, or what a browser would start one with and never close (``<img src=x onerror=...``): from
# ``<`` and a letter, ``/``, ``!`` or ``?`` to the next ``>`` or the end. "a < b" and "x<5" are text.
TAG = re.compile(r"<[a-zA-Z/!?][^>]*(?:>|$)")


def control_problem(text: str) -> str | None:
    """Why ``text`` cannot be a plain field (its first control character and where), if it cannot."""
    found = CONTROL.search(text)
    if found is None:
        return None
    return (
        f"has the invisible or control character U+{ord(found.group()):04X} at character "
        f"{found.start() + 1}; this field is plain text: remove it"
    )
