"""Text disguised as promotions disguise it, made from plain text by Unicode's own blocks, so that
a test reads ``styled("bold", "AERO88")`` rather than a run of code points."""

from __future__ import annotations

# Where each style's A, a and 0 are (None: the style has none; its digits stay plain).
_BLOCKS = {
    "bold": (0x1D400, 0x1D41A, 0x1D7CE),
    "bold italic": (0x1D468, 0x1D482, 0x1D7CE),
    "script bold": (0x1D4D0, 0x1D4EA, None),
    "sans bold": (0x1D5D4, 0x1D5EE, 0x1D7EC),
    "sans bold italic": (0x1D63C, 0x1D656, 0x1D7EC),
    "fraktur bold": (0x1D56C, 0x1D586, None),
    "monospace": (0x1D670, 0x1D68A, 0x1D7F6),
    "fullwidth": (0xFF21, 0xFF41, 0xFF10),
    "circled": (0x24B6, 0x24D0, None),
    "negative squared": (0x1F170, 0x1F170, None),
    "negative circled": (0x1F150, 0x1F150, None),
    "squared": (0x1F130, 0x1F130, None),
}
_DOUBLE_STRUCK = {"C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ"}
SMALL_CAPITALS = dict(zip("abcdefghijklmnopqrstuvwyz", "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡʏᴢ", strict=True))
CYRILLIC = dict(zip("AEOPCXaeopcxyiBHKMT", "АЕОРСХаеорсхуіВНКМТ", strict=True))


def styled(style: str, text: str) -> str:
    """``text`` in one of Unicode's letter styles (ASCII letters and digits only are changed)."""
    if style == "double-struck":
        return "".join(_DOUBLE_STRUCK.get(c) or _shift(c, 0x1D538, 0x1D552, 0x1D7D8) for c in text)
    if style == "small capitals":
        return "".join(SMALL_CAPITALS.get(c.lower(), c) for c in text)
    return "".join(_shift(c, *_BLOCKS[style]) for c in text)


def _shift(char: str, upper: int, lower: int, digit: int | None) -> str:
    if "A" <= char <= "Z":
        return chr(upper + ord(char) - 65)
    if "a" <= char <= "z":
        return chr(lower + ord(char) - 97)
    if "0" <= char <= "9" and digit is not None:
        return chr(digit + ord(char) - 48)
    return char


def keycaps(text: str) -> str:
    """Each digit as a keycap emoji (8️⃣)."""
    return "".join(c + "\ufe0f\u20e3" if c.isdigit() else c for c in text)


def look_alike(text: str) -> str:
    """Latin letters swapped for the Cyrillic ones drawn the same."""
    return "".join(CYRILLIC.get(c, c) for c in text)


def marked(text: str, mark: str = "\u0332") -> str:
    """A combining mark (an underline by default) on every letter."""
    return "".join(c + mark if c != " " else c for c in text)


def hidden(text: str) -> str:
    """A zero-width space between every two letters."""
    return "\u200b".join(text)
