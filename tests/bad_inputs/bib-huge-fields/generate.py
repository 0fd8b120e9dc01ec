"""Appends an entry with a 1 MB title and a 300 kB abstract to the bibliography."""

from __future__ import annotations

from pathlib import Path


def generate(root: Path) -> None:
    title = "Long title words " * 60_000
    abstract = "An abstract sentence. " * 14_000
    entry = (
        f"\n@misc{{huge2020,\n  title = {{{title}}},\n  date = {{2020}},\n"
        f"  abstract = {{{abstract}}},\n  note = {{short}},\n}}\n"
    )
    with (root / "references.bib").open("a", encoding="utf-8") as library:
        library.write(entry)
