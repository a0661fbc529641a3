"""Benchmark results as marked sections of docs/benchmarks.md and the README."""

from __future__ import annotations

from pathlib import Path

RESULTS = ("docs/benchmarks.md", "README.md")


def write_section(section: str, path: Path, markers: tuple[str, str]) -> None:
    """Put ``section`` (which starts and ends with ``markers``) between the markers in ``path``;
    when they are not there yet, before the README's ``bench:end`` marker, or at the end."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    begin, end = markers
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + section.rstrip("\n") + rest.split(end, 1)[1]
    elif path.name == "README.md" and "<!-- bench:end -->" in text:
        text = text.replace("<!-- bench:end -->", section + "<!-- bench:end -->")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def write_results(section: str, root: Path, markers: tuple[str, str]) -> None:
    """The section into docs/benchmarks.md and the README, then on stdout."""
    for name in RESULTS:
        write_section(section, root / name, markers)
    print(section)
