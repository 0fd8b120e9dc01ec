"""Writes a 10 MiB entity file into the project at test time (too large to commit)."""

from __future__ import annotations

from pathlib import Path

SIZE = 10 * 1024 * 1024


def generate(root: Path) -> None:
    head = (
        "# yaml-language-server: $schema=../../schemas/entity.schema.json\n"
        "id: huge-term\nname: Huge Term\ntype: term\nsummary: >\n"
    )
    line = "  A summary line that repeats until the file is ten mebibytes long.\n"
    body = line * ((SIZE - len(head)) // len(line) + 1)
    text = (head + body).encode("utf-8")[:SIZE]
    (root / "content" / "entities" / "huge-term.yaml").write_bytes(text)
