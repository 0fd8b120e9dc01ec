"""``litreview new KIND ID``: a YAML file for any content kind, written from its model."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from macros.content.kind import Kind
from macros.content.model import Strict

FIELD_HELP = {
    "id": "short id: lowercase letters, digits and hyphens; the file name without .yaml",
    "paper": "id of the paper this belongs to (a file in content/papers/)",
    "title": "title, as printed where it quotes a source",
    "name": "the correct full name in English",
    "summary": "in your own words",
    "statement": "the claim in your own words",
    "quote": "the key sentence exactly as printed (it is checked against the paper's text)",
    "where": "place in the paper: {section: <section id>, paragraph: N, footnote: N}",
    "evidence": "what it rests on, each one of {footnote: N}, {key: bibkey, locator: ...}, "
    "{unsourced: why}",
    "sources": "bibliography entries: [{key: bibkey, locator: p. 4}]",
    "relations": "links to other items: [{type: ..., target: id}]",
    "explanation": "in your own words: what is wrong, the evidence, why it matters",
    "entities": "ids of entities (content/entities/) it is about",
    "audit": "ids of audit findings (content/audit/) about it",
    "claims": "ids of claims (content/claims/) that use it",
}


def kind_names(kinds: Sequence[Kind]) -> dict[str, str]:
    """``litreview new`` takes a kind by its folder (``claims``), its schema name (``claim``),
    or the other number of either (``footnote``, ``audits``), in any case."""
    names: dict[str, str] = {}
    for kind in kinds:
        for name in (kind.name, kind.schema_name, kind.singular.replace(" ", "-")):
            names.setdefault(name.lower(), kind.name)
            names.setdefault(name.lower().removesuffix("s"), kind.name)
            names.setdefault(name.lower() + "s", kind.name)
    return names


def _hint(schema: dict[str, Any], defs: dict[str, Any]) -> str:
    """A readable type from a JSON Schema property."""
    if "anyOf" in schema:
        options = [o for o in schema["anyOf"] if o.get("type") != "null"]
        return " or ".join(_hint(o, defs) for o in options)
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        fields = ", ".join(defs.get(name, {}).get("properties", {}))
        return f"a mapping of {fields}"
    if "enum" in schema:
        return "one of: " + ", ".join(str(v) for v in schema["enum"])
    kind = schema.get("type")
    if kind == "array":
        item = _hint(schema.get("items", {}), defs)
        return "a list of " + ("ids" if item == "an id" else item)
    if kind == "string" and schema.get("pattern", "").startswith("^[a-z]"):
        return "an id"
    return {
        "string": "text",
        "integer": "a whole number",
        "number": "a number",
        "boolean": "true or false",
    }.get(str(kind), "a value")


def _doc(model: type[Strict]) -> str:
    return " ".join((model.__doc__ or "").split())


def scaffold(kind: Kind, ident: str) -> str:
    """The text of a new file: modeline, a comment per field, required fields first."""
    model = kind.model
    schema = model.model_json_schema()
    properties, defs = schema.get("properties", {}), schema.get("$defs", {})
    lines = [
        f"# yaml-language-server: $schema=../../schemas/{kind.schema_name}.schema.json",
        f"# {_doc(model)}",
        "# Fill in every required field; uncomment optional ones you need.",
        "",
    ]
    own_key = kind.own_key
    for name, field in model.model_fields.items():
        description = field.description or FIELD_HELP.get(name, "")
        hint = _hint(properties.get(name, {}), defs)
        comment = f"{'required' if field.is_required() else 'optional'}: {hint}"
        if description:
            comment += f" — {description}"
        lines += [f"# {line}" for line in textwrap.wrap(comment, 96)]
        if name == own_key:
            lines.append(f"{name}: {ident}")
        elif field.is_required():
            lines.append(f"{name}:")
        else:
            default: Any = field.get_default(call_default_factory=True)
            lines.append(f"# {name}: {json.dumps(default, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def write_scaffold(root: Path, kind: Kind, ident: str, content_dir: str = "content") -> Path:
    target = root / content_dir / kind.name / f"{ident}.yaml"
    if target.exists():
        msg = f"{target.relative_to(root)} already exists"
        raise FileExistsError(msg)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(scaffold(kind, ident), encoding="utf-8")
    return target


def schema_reference(registry: Sequence[Kind]) -> list[dict[str, Any]]:
    """Every kind with its fields, for the generated schema reference page."""
    kinds = []
    for kind in registry:
        model = kind.model
        schema = model.model_json_schema()
        properties, defs = schema.get("properties", {}), schema.get("$defs", {})
        fields = [
            {
                "name": name,
                "required": field.is_required(),
                "hint": _hint(properties.get(name, {}), defs),
                "help": field.description or FIELD_HELP.get(name, ""),
            }
            for name, field in model.model_fields.items()
        ]
        kinds.append(
            {
                "folder": kind.name,
                "name": model.__name__,
                "doc": _doc(model),
                "schema": f"{kind.schema_name}.schema.json",
                "fields": fields,
            }
        )
    return kinds
