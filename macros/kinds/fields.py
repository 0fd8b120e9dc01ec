"""Extraction fields: the review's own schema for what is recorded about every work."""

from __future__ import annotations

from collections.abc import Iterator

from macros.content.checks import Checker
from macros.content.errors import ContentError
from macros.content.kind import Kind
from macros.content.model import ExtractionField


def check(checker: Checker, ident: str, field: ExtractionField) -> Iterator[ContentError]:
    if field.type == "choice" and not field.vocabulary:
        yield checker.error(
            "fields",
            ident,
            ("type",),
            "a choice field needs a vocabulary",
            "list its values under vocabulary: [...]",
        )
    if field.type != "choice" and field.vocabulary:
        yield checker.error(
            "fields",
            ident,
            ("vocabulary",),
            f"only choice fields have a vocabulary (this one is {field.type})",
            "remove the vocabulary or make it type: choice",
        )
    if field.type != "number" and field.unit is not None:
        yield checker.error(
            "fields", ident, ("unit",), f"only number fields have a unit (this one is {field.type})"
        )
    seen: set[str] = set()
    for i, term in enumerate(field.vocabulary):
        if term in seen:
            yield checker.error(
                "fields", ident, ("vocabulary", i), f"'{term}' is in the vocabulary twice"
            )
        seen.add(term)


def ordered(fields: dict[str, ExtractionField]) -> list[ExtractionField]:
    """The table's columns: by ``order``, then by id."""
    return sorted(fields.values(), key=lambda f: (f.order, f.id))


KIND = Kind(
    name="fields",
    model=ExtractionField,
    singular="extraction field",
    label="Extraction fields",
    schema_name="field",
    check=check,
)
