"""Writes an entity whose summary nests 200 block mappings, each indented one more space."""

from __future__ import annotations

from pathlib import Path


def generate(root: Path) -> None:
    nested = "".join(f"{' ' * depth}k{depth}:\n" for depth in range(200))
    text = "id: deep\nname: Deep\ntype: term\nsummary:\n" + nested.replace("k0:\n", "", 1)
    (root / "content" / "entities" / "deep.yaml").write_text(text, encoding="utf-8")
