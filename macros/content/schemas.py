"""Export the content model as JSON Schema files, one per kind, for editors."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from macros.content.kind import Kind


def schema_texts(kinds: Sequence[Kind]) -> dict[str, str]:
    texts = {}
    for kind in kinds:
        schema = kind.model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"{kind.schema_name}.schema.json"
        texts[f"{kind.schema_name}.schema.json"] = (
            json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
        )
    return texts


def editor_settings(kinds: Sequence[Kind], settings: dict[str, Any]) -> dict[str, Any]:
    """``.vscode/settings.json`` with its ``yaml.schemas`` made from the kinds."""
    schemas = {
        f"./schemas/{kind.schema_name}.schema.json": [f"content/{kind.name}/*.yaml"]
        for kind in kinds
    }
    return {**settings, "yaml.schemas": schemas}


def export_schemas(directory: Path, kinds: Sequence[Kind], *, write: bool) -> list[str]:
    """Return the names of schema files that differ from the model; rewrite them if ``write``."""
    stale = []
    for name, text in schema_texts(kinds).items():
        target = directory / name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            stale.append(name)
            if write:
                directory.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
    return stale
