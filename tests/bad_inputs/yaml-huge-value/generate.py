"""Writes an entity whose name is 200,000 characters long (the file stays under 2 MB)."""

from __future__ import annotations

from pathlib import Path


def generate(root: Path) -> None:
    text = "id: long\ntype: term\nname: " + "word " * 40_000 + "\n"
    (root / "content" / "entities" / "long.yaml").write_text(text, encoding="utf-8")
