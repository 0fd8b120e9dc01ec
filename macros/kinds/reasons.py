"""Exclusion reasons: the review's own vocabulary for why a record was excluded at screening."""

from __future__ import annotations

from macros.content.kind import Kind
from macros.content.model import ExclusionReason

KIND = Kind(
    name="reasons",
    model=ExclusionReason,
    singular="exclusion reason",
    label="Exclusion reasons",
    schema_name="reason",
    item_pages=False,
)
