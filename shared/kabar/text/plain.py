"""What plain text may hold: the characters and markup every plain field refuses or loses.

Editors' plain fields (an article's title, author, tags..., vocabulary names) refuse markup, control
and direction-changing characters with a reason, and drop the invisible formatting pasted text
carries; readers' (a comment's name, content, website) lose all of them
(:func:`kabar.text.comment_rules.plain`).
"""

from __future__ import annotations

import re

# Control characters (C0 but tab and newline, DEL, C1), zero-width, line and paragraph separators,
# and the ones that change the direction text is shown in (a name can look like another): what a
# reader's plain field loses.
CONTROL = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)
# What an editor's plain field refuses: C0 control characters and DEL (a broken file), and the
# embeddings, overrides and
# isolates that reorder what follows them (U+202E shows "Ani\u202eSiregar" as "AnigeriS").
REFUSED = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]")
# What text pasted from a word processor, a web page or a messaging app carries without anyone
# seeing it, and means nothing in a plain field: the soft hyphen, the zero-width space, the word
# joiner and invisible operators, the byte-order mark, and the left-to-right, right-to-left and
# Arabic letter marks (which only nudge neutral characters), and the C1 controls U+0080-U+009F that
# text once decoded as Windows-1252 keeps (the remains of curly quotes). Real articles have them
# (IndoSum leads have U+200E and U+009D), so an editor's field drops them rather than refusing it.
# The zero-width joiner and non-joiner stay: emoji sequences and some scripts need them.
INVISIBLE = re.compile("[\u0080-\u009f\u00ad\u061c\u200b\u200e\u200f\u2060-\u2064\ufeff]")
# The line and paragraph separators (from JavaScript strings, some editors): a space in one line.
SEPARATOR = re.compile("[\u2028\u2029]")
# A tag, or what a browser would start one with and never close (``<img src=x onerror=...``): from
# ``<`` and a letter, ``/``, ``!`` or ``?`` to the next ``>`` or the end. "a < b" and "x<5" are text.
TAG = re.compile(r"<[a-zA-Z/!?][^>]*(?:>|$)")


def tidy(text: str) -> str:
    """An editor's plain field without the invisible formatting pasted text carries."""
    return SEPARATOR.sub(" ", INVISIBLE.sub("", text))


def control_problem(text: str) -> str | None:
    """Why ``text`` cannot be an editor's plain field (its first control or direction-changing
    character and where), if it cannot; :func:`tidy` it first."""
    found = REFUSED.search(text)
    if found is None:
        return None
    return (
        f"has the control or direction-changing character U+{ord(found.group()):04X} at character "
        f"{found.start() + 1}; this field is plain text: remove it"
    )


def plain_text(value: str) -> str:
    """An editor's plain field, tidied; a ``ValueError`` naming the problem when it holds markup (a
    tag, closed or not: "a < b" is text, "<b" and "<img src=x" are not) or a refused character."""
    value = tidy(value)
    if TAG.search(value):
        raise ValueError("HTML is not allowed here; this field is plain text")
    problem = control_problem(value)
    if problem:
        raise ValueError(problem)
    return value
