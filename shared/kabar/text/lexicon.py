"""Word lists that load in a fraction of a millisecond: words to small numbers, by the word's CRC-32.

A lexicon is two arrays read straight from a file's bytes: the CRC-32 of each word's UTF-8 form
(sorted, little-endian uint32) and its value (one unsigned integer of ``code`` size each). Nothing
is built when it loads: no dict, no strings. A lookup is a binary search in C (``bisect``), about
a microsecond; callers that look a word up many times keep what they found (the recogniser keeps
one dict per text it tags).

Two words with one CRC-32 share one entry (the first in sorted order keeps it): among the 30,000
words of a lexicon here, about one such pair is expected, and it costs that pair's values.
"""

from __future__ import annotations

import sys
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Mapping


def word_key(word: str) -> int:
    """A word's key: the CRC-32 of its UTF-8 form (stable across processes, unlike ``hash``)."""
    return zlib.crc32(word.encode())


class Lexicon:
    """Words to unsigned integers, looked up by :func:`word_key`."""

    def __init__(self, keys: array[int], values: array[int]) -> None:
        if len(keys) != len(values):
            raise ValueError(f"a lexicon of {len(keys)} keys and {len(values)} values")
        self.keys, self.values = keys, values

    @classmethod
    def of(cls, words: Mapping[str, int], code: str = "B") -> Lexicon:
        """A lexicon of ``words`` (values of array type ``code``), the same for the same words."""
        entries: dict[int, int] = {}
        for word in sorted(words):
            entries.setdefault(word_key(word), words[word])
        ordered = sorted(entries)
        return cls(array("I", ordered), array(code, (entries[key] for key in ordered)))

    @classmethod
    def frombytes(cls, data: bytes | memoryview, count: int, code: str = "B") -> Lexicon:
        """The lexicon :meth:`tobytes` wrote, of ``count`` words."""
        keys, values = array("I"), array(code)
        split = count * keys.itemsize
        keys.frombytes(data[:split])
        values.frombytes(data[split : split + count * values.itemsize])
        if sys.byteorder != "little":
            keys.byteswap()
            values.byteswap()
        return cls(keys, values)

    def tobytes(self) -> bytes:
        """The keys, then the values, little-endian."""
        if sys.byteorder == "little":
            return self.keys.tobytes() + self.values.tobytes()
        parts = [array(self.keys.typecode, self.keys), array(self.values.typecode, self.values)]
        for part in parts:
            part.byteswap()
        return b"".join(part.tobytes() for part in parts)

    def __len__(self) -> int:
        return len(self.keys)

    def find(self, word: str) -> int | None:
        """The word's value, or None for a word not in the lexicon."""
        key = word_key(word)
        at = bisect_left(self.keys, key)
        return self.values[at] if at < len(self.keys) and self.keys[at] == key else None

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.find(word) is not None

    def lookups(self, words: Iterable[str]) -> dict[str, int | None]:
        """Each distinct word's value (None: not in it), for a caller about to ask many times."""
        return {word: self.find(word) for word in set(words)}
