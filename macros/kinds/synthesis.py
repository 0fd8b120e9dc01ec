"""The synthesis matrix: one cell per theme and work, what the work finds about the theme in
own words, its direction (supports, contradicts, mixed, no evidence) and the words quoted, with
a locator. The matrix page crosses themes with works; theme pages say where works agree."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from macros.content.checks import Checker
from macros.content.errors import ContentError
from macros.content.kind import Cited, Kind
from macros.content.model import SynthesisCell
from macros.content.review import Review
from macros.kinds import themetree
from macros.pages.render import GeneratedPage, Site

SYMBOL = {"supports": "+", "contradicts": "\u2212", "mixed": "\u00b1", "no evidence": "\u2205"}


def check(checker: Checker, ident: str, cell: SynthesisCell) -> Iterator[ContentError]:
    yield from checker.key("synthesis", ident, ("work",), cell.work)
    if cell.theme not in themetree.tree(checker.review, checker).themes:
        yield checker.error(
            "synthesis",
            ident,
            ("theme",),
            f"unknown theme id '{cell.theme}'",
            f"create content/themes/{cell.theme}.yaml or fix the id",
        )


def cites(_review: Review, cell: SynthesisCell) -> Iterator[Cited]:
    yield Cited(("work",), cell.work, cell.locator, cell.finding)


def pages(site: Site) -> dict[str, GeneratedPage]:
    review = site.review
    cells: dict[str, SynthesisCell] = review.of("synthesis")
    tree = themetree.tree(review, site)
    themes = list(dict.fromkeys(c.theme for c in cells.values() if c.theme in tree.themes))
    work_keys = list(dict.fromkeys(c.work for c in cells.values()))
    grid: dict[tuple[str, str], list[Any]] = {}
    for cell in cells.values():
        grid.setdefault((cell.theme, cell.work), []).append(cell)
    out: dict[str, GeneratedPage] = {}
    for cell in cells.values():
        page = KIND.page(cell.id)
        out[page] = site.page(
            "synthesis_cell.md.j2",
            page,
            site.source("synthesis", cell.id),
            cell=cell,
            theme=tree.themes.get(cell.theme),
            sources=site.cite_item(page, KIND, cell),
        )
    here = "synthesis/index.md"
    out[here] = site.page(
        "synthesis.md.j2",
        here,
        "content/synthesis",
        themes=[tree.themes[t] for t in themes],
        works=work_keys,
        grid=grid,
        symbol=SYMBOL,
    )
    return out


KIND = Kind(
    name="synthesis",
    model=SynthesisCell,
    singular="synthesis cell",
    label="Synthesis matrix",
    schema_name="synthesis",
    check=check,
    cites=cites,
    pages=pages,
)
