"""Screening stages: the review's own stages (``content/stages/*.yaml``), in order, each in a
PRISMA 2020 phase. None declared: ``title-abstract`` (screening) then ``full-text``
(eligibility). The ledger (``ledger.py``) counts a record excluded at any stage of a phase as
excluded in that phase's box."""

from __future__ import annotations

from collections.abc import Iterator

from macros.content.checks import Checker
from macros.content.errors import ContentError
from macros.content.kind import Kind
from macros.content.model import ScreeningStage


def check(checker: Checker, ident: str, stage: ScreeningStage) -> Iterator[ContentError]:
    """A screening stage comes before every eligibility stage (PRISMA's order)."""
    if stage.phase != "screening":
        return
    key = (stage.order, stage.id)
    later = sorted(
        s.id
        for s in checker.review.of("stages").values()
        if s.phase == "eligibility" and (s.order, s.id) < key
    )
    if later:
        yield checker.error(
            "stages",
            ident,
            ("order",),
            f"screening stage '{stage.id}' comes after the eligibility stage '{later[0]}'",
            "records are screened before their reports are assessed: give it a smaller order",
        )


KIND = Kind(
    name="stages",
    model=ScreeningStage,
    singular="screening stage",
    label="Screening stages",
    schema_name="stage",
    check=check,
    item_pages=False,
)
