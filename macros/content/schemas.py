"""Export the content model as JSON Schema files, one per kind, for editors."""

from __future__ import annotations

import json
from pathlib import Path

from macros.content.model import KINDS, SCHEMA_NAMES


def schema_texts() -> dict[str, str]:
    texts = {}
    for directory, model in KINDS.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"{SCHEMA_NAMES[directory]}.schema.json"
        texts[f"{SCHEMA_NAMES[directory]}.schema.json"] = (
            json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
        )
    return texts


def export_schemas(directory: Path, *, write: bool) -> list[str]:
    """Return the names of schema files that differ from the model; rewrite them if ``write``."""
    stale = []
    for name, text in schema_texts().items():
        target = directory / name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            stale.append(name)
            if write:
                directory.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
    return stale
