"""Writes an entity whose aliases open 50,000 flow lists (libyaml's composer crashed on it)."""

from __future__ import annotations

from pathlib import Path


def generate(root: Path) -> None:
    text = "id: deep\nname: Deep\ntype: term\naliases:\n  - " + "[" * 50_000 + "\n"
    (root / "content" / "entities" / "deep.yaml").write_text(text, encoding="utf-8")
