"""Evidence gap maps: facet checks (path:line), counts derived from themes, extraction values
and appraisals, gaps, and the page's SVG and table."""

from __future__ import annotations

import re
from pathlib import Path

from macros.bibliography.citeproc import Formatted
from macros.kinds.gapmaps import Facet, facet, grid, svg
from macros.pages.engine import collect_review, load_review, render_site
from tests.conftest import MINI


def write(project: Path, path: str, text: str) -> None:
    target = project / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def errors_of(project: Path) -> list[str]:
    _, errors = collect_review(project)
    return [str(e) for e in sorted(errors)]


def test_unknown_facets_name_their_line(mini_project: Path) -> None:
    write(
        mini_project,
        "content/gapmaps/bad.yaml",
        "id: bad\ntitle: Bad\nrows: themes:nowhere\ncolumns: sample\ncolour: appraisal:nope\n",
    )
    write(
        mini_project,
        "content/gapmaps/worse.yaml",
        "id: worse\ntitle: W\nrows: desing\ncolumns: themes\n",
    )
    errors = errors_of(mini_project)
    assert any("bad.yaml:3: unknown theme id 'nowhere' (at rows)" in e for e in errors), errors
    assert any(
        "bad.yaml:4: field 'sample' is a number field; a facet is a choice, country or year "
        "field (at columns)" in e
        for e in errors
    ), errors
    assert any("bad.yaml:5: unknown appraisal id 'nope'" in e for e in errors), errors
    assert any(
        "worse.yaml:3: unknown facet 'desing': use themes, themes:<id> or the id of a choice, "
        "country or year field (themes, design)" in e
        for e in errors
    ), errors
    assert len([e for e in errors if "gapmaps" in e]) == 4, errors


def test_fixture_map_is_clean(mini_project: Path) -> None:
    assert errors_of(mini_project) == []


def test_counts_are_derived_and_empty_cells_are_gaps() -> None:
    review = load_review(MINI)
    rows = facet(review, object(), "themes")
    columns = facet(review, object(), "design")
    colour = facet(review, object(), "appraisal", colour=True)
    assert isinstance(rows, Facet)
    assert isinstance(columns, Facet)
    assert isinstance(colour, Facet)
    assert rows.values == [("rivers", "Rivers")]  # roads is under rivers: its works count there
    assert columns.values == [(v, v) for v in ("case study", "survey", "experiment")]
    g = grid(rows, columns, colour)
    assert g.cells[("rivers", "case study")].works == ["muller2020rivers"]
    assert g.cells[("rivers", "survey")].works == ["agency2021report"]
    assert g.cells[("rivers", "experiment")].works == []
    assert g.cells[("rivers", "survey")].segments == [("low", 1.0, "#D55E00")]
    drawn = svg(g, "Map")
    assert drawn.count(">gap</text>") == 1
    assert re.findall(r'aria-label="([^"]+)"><title>', drawn) == [
        "Rivers, case study: 1 work (Appraisal (overall): moderate 1)",
        "Rivers, survey: 1 work (Appraisal (overall): low 1)",
    ]
    assert all(int(s) >= 12 for s in re.findall(r'font-size="(\d+)"', drawn))


def test_a_subtree_facet_and_shared_colour_segments() -> None:
    review = load_review(MINI)
    rows = facet(review, object(), "themes:rivers")
    columns = facet(review, object(), "design")
    assert isinstance(rows, Facet)
    assert isinstance(columns, Facet)
    assert rows.values == [("roads", "Roads")]
    g = grid(rows, columns, None)
    assert [c.count for c in g.cells.values()] == [1, 1, 0]
    # A work with two colour values shares itself between them.
    colour = Facet(
        "C",
        [("x", "x"), ("y", "y")],
        {"muller2020rivers": ["x", "y"]},
        {"x": "#000001", "y": "#000002"},
    )
    g = grid(rows, columns, colour)
    assert g.cells[("roads", "case study")].segments == [
        ("x", 0.5, "#000001"),
        ("y", 0.5, "#000002"),
    ]
    assert g.cells[("roads", "survey")].segments == [("(none)", 1.0, "#FFFFFF")]


def test_page_has_table_and_anchor_list_without_script() -> None:
    review = load_review(MINI)
    rendered = render_site(review, {k: Formatted(k, k) for k in review.bibliography.entries})
    page = rendered.pages["gap-map/design-by-theme.md"].markdown
    html = "".join(rendered.stash.referenced(page))
    assert "<script" not in html
    assert '<table class="lr-gapmap-table">' in html
    assert '<span class="lr-gap-cell">gap</span>' in html
    for anchor in re.findall(r'<a href="#(cell-[0-9-]+)"', html):
        assert f'id="{anchor}"' in html
    assert "gap-map/index.md" in rendered.pages
