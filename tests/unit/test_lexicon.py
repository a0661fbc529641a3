"""Word lists as CRC-32 arrays (kabar.text.lexicon): what goes in comes back out, from bytes."""

from __future__ import annotations

from array import array

import pytest

from kabar.text.lexicon import Lexicon, word_key

COUNTS = {"harga": 812, "cabai": 41, "pedagang": 233, "ekspor": 65535, "jakarta": 0}


def test_a_lexicon_read_from_its_bytes_answers_every_word_and_nothing_else() -> None:
    written = Lexicon.of(COUNTS, "H")
    data = written.tobytes()
    assert data == Lexicon.of(dict(reversed(COUNTS.items())), "H").tobytes()  # the same words, the same file
    read = Lexicon.frombytes(
        memoryview(b"header\n" + data + b"more")[7:], len(COUNTS), "H"
    )  # as files hold it
    assert {word: read.find(word) for word in COUNTS} == COUNTS
    assert read.find("bawang") is None and read.find("") is None and "bawang" not in read
    assert "jakarta" in read and read.find("jakarta") == 0  # a value of 0 is a value, not "absent"
    assert read.lookups(["harga", "harga", "bawang"]) == {"harga": 812, "bawang": None}
    assert len(read) == len(COUNTS) and list(read.keys) == sorted(word_key(word) for word in COUNTS)


def test_a_value_too_large_for_its_type_is_refused_when_the_lexicon_is_made() -> None:
    with pytest.raises(OverflowError):
        Lexicon.of({"harga": 256}, "B")
    with pytest.raises(ValueError, match="3 keys and 2 values"):
        Lexicon(array("I", [1, 2, 3]), array("B", [1, 2]))


def test_two_words_with_one_crc_share_the_entry_of_the_first_in_sorted_order() -> None:
    assert word_key("plumless") == word_key("buckeroo")  # a known CRC-32 collision
    lexicon = Lexicon.of({"plumless": 1, "buckeroo": 2, "harga": 3})
    assert len(lexicon) == 2 and lexicon.find("plumless") == lexicon.find("buckeroo") == 2
