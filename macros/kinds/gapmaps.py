"""Evidence gap maps: works counted by two facets, coloured by a third.

A map (``content/gapmaps/<id>.yaml``) names its rows, columns and, optionally, colour facets.
A facet is ``themes`` (the top-level themes), ``themes:<id>`` (the themes right under one) or
the id of a choice, country or year extraction field; the colour may also be ``appraisal`` or
``appraisal:<id>`` (each work's overall judgement). Every count is derived from the review:
a work is in a cell when it has the row's and the column's value (a work in a theme counts for
the theme's ancestors up to the facet's level). The page (``gap-map/<id>``) shows the map as
inline SVG (bubble size: the number of works; segments: the colour facet; empty cells marked
as gaps), the same counts as a table, and the works of every cell, all without JavaScript.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from macros.content.checks import Checker
from macros.content.errors import ContentError, did_you_mean
from macros.content.kind import Kind
from macros.content.model import Appraisal, GapMap
from macros.content.review import Review
from macros.kinds import appraisal as appraisals
from macros.kinds import themetree
from macros.kinds.extraction import read_value
from macros.pages import appraisalplots
from macros.pages.render import GeneratedPage, Site
from macros.pages.text import attr

FACET_TYPES = ("choice", "country", "year")
# Okabe-Ito, without black (the counts are printed in black).
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
NONE = "(none)"


@dataclass
class Facet:
    """A facet's values (id, label) in display order, and the values of each work."""

    label: str
    values: list[tuple[str, str]] = field(default_factory=list)
    of_work: dict[str, list[str]] = field(default_factory=dict)
    colours: dict[str, str] = field(default_factory=dict)


def _themes(review: Review, owner: object, spec: str) -> Facet | str:
    tree = themetree.tree(review, owner)
    if spec == "themes":
        tops = sorted(tree.roots(), key=lambda t: tree.themes[t].name.lower())
        label = "Themes"
    else:
        parent = spec.split(":", 1)[1]
        if parent not in tree.themes:
            hint = did_you_mean(parent, tree.themes)
            return f"unknown theme id '{parent}'" + (f"; {hint}?" if hint else "")
        tops = sorted(tree.children.get(parent, []), key=lambda t: tree.themes[t].name.lower())
        label = tree.themes[parent].name
    facet = Facet(label, [(t, tree.themes[t].name) for t in tops])
    for top in tops:
        below = set(tree.below(top))
        for key, themes in tree.of_work.items():
            if below.intersection(themes):
                facet.of_work.setdefault(key, []).append(top)
    return facet


def _field(review: Review, spec: str) -> Facet | str:
    fields = review.of("fields")
    found = fields.get(spec)
    if found is None:
        choices = ["themes", *(f for f in fields if fields[f].type in FACET_TYPES)]
        return (
            f"unknown facet '{spec}': use themes, themes:<id> or the id of a choice, country "
            f"or year field ({', '.join(choices)})"
        )
    if found.type not in FACET_TYPES:
        return f"field '{spec}' is a {found.type} field; a facet is a choice, country or year field"
    facet = Facet(found.label)
    seen: set[str] = set()
    for key, item in review.of("extraction").items():
        if spec in item.values:
            cell, _ = read_value(found, item.values[spec], ())
            if cell.status == "value":
                facet.of_work[key] = list(dict.fromkeys(cell.shown))
                seen.update(cell.shown)
    order = found.vocabulary if found.type == "choice" else sorted(seen)
    facet.values = [(v, v) for v in order]
    return facet


def _appraisal(review: Review, spec: str) -> Facet | str:
    known: dict[str, Appraisal] = review.of("appraisal")
    wanted = spec.split(":", 1)[1] if ":" in spec else None
    if wanted is not None and wanted not in known:
        hint = did_you_mean(wanted, known)
        return f"unknown appraisal id '{wanted}'" + (f"; {hint}?" if hint else "")
    chosen = [known[wanted]] if wanted else [known[i] for i in sorted(known)]
    facet = Facet("Appraisal (overall)")
    for item in chosen:
        tool = appraisals.tool_of(item)
        marks = appraisalplots.marks(tool.scale, tool.unclear)
        for judgement in tool.judgements:
            if judgement not in facet.colours:
                facet.values.append((judgement, judgement))
                facet.colours[judgement] = marks[judgement].colour
        for entry in item.works:
            overall = appraisals.overall_of(item, entry)
            if overall is not None:
                facet.of_work.setdefault(entry.work, [overall])
    return facet


def facet(review: Review, owner: object, spec: str, *, colour: bool = False) -> Facet | str:
    """A facet, or the message saying why the spec names none."""
    if spec == "themes" or spec.startswith("themes:"):
        found = _themes(review, owner, spec)
    elif colour and (spec == "appraisal" or spec.startswith("appraisal:")):
        found = _appraisal(review, spec)
    else:
        found = _field(review, spec)
    if isinstance(found, Facet) and not found.colours:
        found.colours = {v: PALETTE[i % len(PALETTE)] for i, (v, _) in enumerate(found.values)}
    return found


def check(checker: Checker, ident: str, item: GapMap) -> Iterator[ContentError]:
    for name in ("rows", "columns", "colour"):
        spec = getattr(item, name)
        if spec is None:
            continue
        found = facet(checker.review, checker, spec, colour=name == "colour")
        if isinstance(found, str):
            yield checker.error("gapmaps", ident, (name,), found)


@dataclass
class Cell:
    row: str
    column: str
    anchor: str
    works: list[str]
    segments: list[tuple[str, float, str]]  # colour value, share, colour

    @property
    def count(self) -> int:
        return len(self.works)


@dataclass
class Grid:
    rows: Facet
    columns: Facet
    colour: Facet | None
    cells: dict[tuple[str, str], Cell]
    placed: set[str]
    unplaced: list[str]  # works with a value on one facet but not the other

    @property
    def largest(self) -> int:
        return max((c.count for c in self.cells.values()), default=0)


def grid(rows: Facet, columns: Facet, colour: Facet | None) -> Grid:
    """Every cell's works and colour segments, counted from the facets."""
    cells: dict[tuple[str, str], Cell] = {}
    placed: set[str] = set()
    for i, (r, _) in enumerate(rows.values):
        for j, (c, _) in enumerate(columns.values):
            works = sorted(
                k for k in rows.of_work if r in rows.of_work[k] and c in columns.of_work.get(k, [])
            )
            placed.update(works)
            cells[(r, c)] = Cell(r, c, f"cell-{i + 1}-{j + 1}", works, _segments(works, colour))
    touched = set(rows.of_work) | set(columns.of_work)
    return Grid(rows, columns, colour, cells, placed, sorted(touched - placed))


def _segments(works: list[str], colour: Facet | None) -> list[tuple[str, float, str]]:
    if colour is None or not works:
        return []
    weights: dict[str, float] = {}
    for key in works:
        values = colour.of_work.get(key) or [NONE]
        for value in values:  # a work with several values shares itself among them
            weights[value] = weights.get(value, 0.0) + 1 / len(values)
    order = [v for v, _ in colour.values if v in weights] + ([NONE] if NONE in weights else [])
    return [(v, weights[v] / len(works), colour.colours.get(v, "#FFFFFF")) for v in order]


# --- the SVG --------------------------------------------------------------------------------


def _arc(cx: float, cy: float, r: float, start: float, end: float) -> str:
    a0, a1 = 2 * math.pi * start - math.pi / 2, 2 * math.pi * end - math.pi / 2
    x0, y0 = cx + r * math.cos(a0), cy + r * math.sin(a0)
    x1, y1 = cx + r * math.cos(a1), cy + r * math.sin(a1)
    large = 1 if end - start > 0.5 else 0
    return f"M{cx:.1f},{cy:.1f} L{x0:.1f},{y0:.1f} A{r:.1f},{r:.1f} 0 {large} 1 {x1:.1f},{y1:.1f} Z"


def _bubble(cx: float, cy: float, r: float, cell: Cell) -> str:
    if len(cell.segments) <= 1:
        fill = cell.segments[0][2] if cell.segments else "#56B4E9"
        shapes = f'<circle cx="{cx}" cy="{cy}" r="{r:.1f}" fill="{fill}" stroke="#000000"/>'
    else:
        shapes, start = "", 0.0
        for _value, share, colour in cell.segments:
            shapes += (
                f'<path d="{_arc(cx, cy, r, start, start + share)}" fill="{colour}" '
                f'stroke="#000000" stroke-width="0.5"/>'
            )
            start += share
        shapes += f'<circle cx="{cx}" cy="{cy}" r="{r:.1f}" fill="none" stroke="#000000"/>'
    return shapes + (
        f'<text x="{cx}" y="{cy + 5}" text-anchor="middle" font-weight="bold" fill="#000000" '
        f'stroke="#FFFFFF" stroke-width="3" paint-order="stroke" aria-hidden="true">'
        f"{cell.count}</text>"
    )


def describe(g: Grid, cell: Cell, row: str, column: str) -> str:
    """A cell's text alternative: where, how many, and the colour facet's shares."""
    works = f"{cell.count} work{'' if cell.count == 1 else 's'}"
    text = f"{row}, {column}: {works}" if cell.count else f"{row}, {column}: gap, no works"
    if cell.segments and g.colour is not None:
        shares = ", ".join(f"{v} {round(s * cell.count, 1):g}" for v, s, _ in cell.segments)
        text += f" ({g.colour.label}: {shares})"
    return text


def svg(g: Grid, title: str) -> str:
    row_labels = [label for _, label in g.rows.values]
    col_labels = [label for _, label in g.columns.values]
    label_w = min(300, max(120, 8 * max((len(x) for x in row_labels), default=8)))
    head_h = min(220, max(60, int(6.5 * max((len(x) for x in col_labels), default=8))))
    size = 64
    width = label_w + size * len(col_labels) + head_h
    height = head_h + size * len(row_labels) + 10
    largest = max(g.largest, 1)
    parts = [appraisalplots.svg_open("lr-gapmap", f"{title}: evidence gap map", width, height)]
    for j, label in enumerate(col_labels):
        x = label_w + size * j + size / 2
        parts.append(
            f'<text transform="translate({x + 4},{head_h - 8}) rotate(-45)" fill="#000000">'
            f"{attr(label)}</text>"
        )
    for i, (r, row) in enumerate(g.rows.values):
        y = head_h + size * i
        if i % 2 == 0:
            parts.append(
                f'<rect x="0" y="{y}" width="{label_w + size * len(col_labels)}" '
                f'height="{size}" fill="#F2F2F2"/>'
            )
        parts.append(
            f'<text x="{label_w - 10}" y="{y + size / 2 + 5}" text-anchor="end" '
            f'fill="#000000">{attr(row)}</text>'
        )
        for j, (c, column) in enumerate(g.columns.values):
            cell = g.cells[(r, c)]
            cx, cy = label_w + size * j + size / 2, y + size / 2
            text = describe(g, cell, row, column)
            if not cell.count:
                parts.append(
                    f'<g><title>{attr(text)}</title><rect x="{cx - 22}" y="{cy - 14}" '
                    f'width="44" height="28" fill="#FFFFFF" stroke="#6E6E6E" '
                    f'stroke-dasharray="4 3"/><text x="{cx}" y="{cy + 4}" text-anchor="middle" '
                    f'font-size="12" fill="#4D4D4D">gap</text></g>'
                )
                continue
            radius = 8 + 20 * math.sqrt(cell.count / largest)
            parts.append(
                f'<a href="#{cell.anchor}" aria-label="{attr(text)}"><title>{attr(text)}</title>'
                f"{_bubble(cx, cy, radius, cell)}</a>"
            )
    parts.append("</svg>")
    return "".join(parts)


# --- pages ----------------------------------------------------------------------------------


def url(ident: str, _part: str = "index") -> str:
    return f"gap-map/{ident}.md"


def pages(site: Site) -> dict[str, GeneratedPage]:
    review = site.review
    maps: dict[str, GapMap] = review.of("gapmaps")
    out: dict[str, GeneratedPage] = {}
    for ident, item in maps.items():
        here = url(ident)
        rows = facet(review, site, item.rows)
        columns = facet(review, site, item.columns)
        colour = facet(review, site, item.colour, colour=True) if item.colour else None
        if isinstance(rows, str) or isinstance(columns, str) or isinstance(colour, str):
            continue  # the check has said why
        g = grid(rows, columns, colour)
        values = {
            "g": g,
            "href": lambda to, here=here: site.href(here, to),
            "page": lambda key: appraisals.work_page(site, key),
            "label": lambda key: appraisals.work_label(site, key),
            "describe": describe,
        }
        out[here] = site.page(
            "gapmap.md.j2",
            here,
            site.source("gapmaps", ident),
            item=item,
            g=g,
            plot='<div class="lr-plot-scroll">' + svg(g, item.title) + "</div>",
            body=site.env.get_template("gapmap_body.html").render(values),
        )
    out["gap-map/index.md"] = site.page(
        "gapmap_index.md.j2", "gap-map/index.md", "content/gapmaps", maps=list(maps.values())
    )
    return out


KIND = Kind(
    name="gapmaps",
    model=GapMap,
    singular="gap map",
    label="Evidence gap maps",
    schema_name="gapmap",
    check=check,
    url=url,
    pages=pages,
)
