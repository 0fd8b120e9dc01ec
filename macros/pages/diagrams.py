"""The site's diagrams as inline SVG: the argument map, the network of actors, bar charts.

Laid out at build time (``macros.pages.layout``) so that they need no script to show, print
whole and work from ``file://``; every node is a link. ``assets/explore.js`` adds pan, zoom,
collapsible groups, a focus mode and filters to any ``<svg class="lr-explore">`` through the
data attributes written here (its header documents the contract). Same input, same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from macros.content.model import Claim, Paper
from macros.content.review import Review
from macros.pages.analysis import SOURCE_KINDS, claim_keys, source_kind
from macros.pages.labels import short_label, words
from macros.pages.layout.layered import Layer, order_layers
from macros.pages.layout.stress import Rect, remove_overlaps, stress_layout
from macros.pages.layout.text import LINE, PAD, block_height, text_width, wrap

MARGIN = 12.0
COLUMN_W = (200.0, 360.0, 280.0)  # sources, claims, verdicts
GAP_X = 100.0  # room for the arcs between claims of one column
GAP_Y = 8.0
GROUP_PAD = 8.0
ARC_ROOM = 84.0  # right of the verdicts, for arcs between two of them
GROUP_HEAD = 30.0
GROUP_GAP = 14.0


@dataclass
class Box:
    """A node of the argument map: its box, wrapped label and data attributes."""

    ident: str
    column: int
    lines: list[str]
    title: str
    href: str
    css: str
    group: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    x: float = 0.0
    y: float = 0.0

    @property
    def width(self) -> float:
        return COLUMN_W[self.column]

    @property
    def height(self) -> float:
        return block_height(len(self.lines))


@dataclass
class Group:
    ident: str
    heading: str
    members: list[Box]
    column: int
    noun: str
    y: float = 0.0
    height: float = 0.0


def column_x(column: int) -> float:
    return MARGIN + GROUP_PAD + sum(COLUMN_W[:column]) + GAP_X * column


def route(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> str:
    """The path of an edge between boxes ``(x, y, width, height)``; explore.js draws the same
    when groups collapse. Side by side: an S-curve; one above the other: an arc to the right."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    y1, y2 = ay + ah / 2, by + bh / 2
    if ax + aw <= bx or bx + bw <= ax:
        x1, x2 = (ax + aw, bx) if ax + aw <= bx else (ax, bx + bw)
        middle = (x1 + x2) / 2
        return f"M{x1:.0f},{y1:.0f} C{middle:.0f},{y1:.0f} {middle:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"
    x1, x2 = ax + aw, bx + bw
    bulge = max(x1, x2) + 24 + min(abs(y2 - y1) / 8, 60)
    return f"M{x1:.0f},{y1:.0f} C{bulge:.0f},{y1:.0f} {bulge:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"


def _text(x: float, y: float, lines: Sequence[str], css: str = "") -> str:
    spans = "".join(
        f'<tspan x="{x:.0f}" dy="{0 if i == 0 else LINE}">{escape(line)}'
        f"{' ' if i < len(lines) - 1 else ''}</tspan>"  # a space: the text reads as one line
        for i, line in enumerate(lines)
    )
    klass = f' class="{css}"' if css else ""
    return f'<text{klass} x="{x:.0f}" y="{y:.0f}">{spans}</text>'


def _filters_attr(filters: Sequence[tuple[str, str, Sequence[tuple[str, str]]]]) -> str:
    """The filters explore.js offers: (name, legend, [(value, label)]), as a JSON attribute."""
    data = [
        {"name": name, "label": legend, "values": [list(v) for v in values]}
        for name, legend, values in filters
        if len(values) > 1
    ]
    return f" data-filters={quoteattr(json.dumps(data, ensure_ascii=False))}" if data else ""


def _data(filters: dict[str, str]) -> str:
    return "".join(f" data-filter-{name}={quoteattr(value)}" for name, value in filters.items())


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


@dataclass
class MapLayout:
    """The argument map laid out: boxes by id, groups, edges, layers before and after
    crossing minimisation, the picture's size."""

    claims: list[Claim]
    keys: list[str]
    boxes: dict[str, Box]
    groups: list[Group]
    evidence: list[tuple[str, str]]
    relations: list[tuple[str, str, str]]
    layers: list[Layer]
    ordered: list[Layer]
    dimension_names: dict[str, str]
    width: float
    height: float


def map_layout(
    review: Review,
    paper: Paper,
    href: Callable[[str, str], str],
    label_of: Callable[[str], str],
) -> MapLayout | None:
    """The layered layout of a paper's argument map; None when the paper has no claims."""
    order = {s.id: i for i, s in enumerate(paper.sections)}
    headings = {s.id: s.heading for s in paper.sections}
    claims = sorted(
        (c for c in review.claims.values() if c.paper == paper.id),
        key=lambda c: (order.get(c.where.section, len(order)), c.where.paragraph or 0, c.id),
    )
    if not claims:
        return None
    argument = paper.argument
    dimension_names = {
        d.id: d.name for f in (argument.frameworks if argument else []) for d in f.dimensions
    }
    boxes: dict[str, Box] = {}
    keys = list(dict.fromkeys(k for c in claims for k in claim_keys(review, c)))
    kind_rank = {kind: i for i, kind in enumerate(SOURCE_KINDS)}
    keys.sort(key=lambda k: kind_rank.get(source_kind(review, k), len(kind_rank)))
    for key in keys:
        name, kind = label_of(key), source_kind(review, key)
        boxes[f"ref:{key}"] = Box(
            f"ref:{key}",
            0,
            wrap(name, COLUMN_W[0] - 2 * PAD),
            f"{name} (source: {words(kind)})",
            href("reference", key),
            f"lr-node-source lr-kind-{kind}",
            group=kind,
        )
    for claim in claims:
        boxes[claim.id] = _claim_box(claim, href, dimension_names)
    evidence = [(f"ref:{k}", c.id) for c in claims for k in claim_keys(review, c)]
    relations: list[tuple[str, str, str]] = [
        (c.id, r.target, r.type) for c in claims for r in c.relations if r.target in boxes
    ]
    layers: list[Layer] = [
        [(f"ref:{k}", boxes[f"ref:{k}"].group) for k in keys],
        [(c.id, boxes[c.id].group) for c in claims if c.kind != "verdict"],
        [(c.id, "verdicts") for c in claims if c.kind == "verdict"],
    ]
    ordered = order_layers(layers, evidence + [(a, b) for a, b, _ in relations])
    groups = _place(ordered, boxes, headings)
    width = column_x(2) + COLUMN_W[2] + ARC_ROOM + MARGIN
    bottoms = [b.y + b.height for b in boxes.values()] + [g.y + g.height for g in groups]
    height = max(bottoms) + MARGIN
    return MapLayout(
        claims,
        keys,
        boxes,
        groups,
        evidence,
        relations,
        layers,
        ordered,
        dimension_names,
        width,
        height,
    )


def argument_map(
    review: Review,
    paper: Paper,
    href: Callable[[str, str], str],
    source_label: Callable[[str], str] | None = None,
) -> str:
    """SVG markup, or "" when the paper has no claims; ``href(kind, id)`` gives each node's
    link ("claim" or "reference"), ``source_label(key)`` a reader's name for a source."""
    label_of = source_label or (lambda key: key)
    layout = map_layout(review, paper, href, label_of)
    if layout is None:
        return ""
    claims, keys, boxes, groups = layout.claims, layout.keys, layout.boxes, layout.groups
    width, height, dimension_names = layout.width, layout.height, layout.dimension_names
    kept = {g.ident for g in groups if g.column == 1}
    findings = sum(1 for c in claims if c.kind != "verdict")
    filters = _filters_attr(
        [
            (
                "dimension",
                "Dimension",
                [(d, dimension_names.get(d, words(d))) for d in _values(boxes, "dimension")],
            ),
            ("kind", "Kind of claim", [(k, words(k)) for k in _values(boxes, "kind")]),
        ]
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lr-map lr-explore" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'role="group" aria-labelledby="lr-map-title lr-map-desc"{filters}>',
        '<title id="lr-map-title">Argument map</title>',
        f'<desc id="lr-map-desc">{_plural(findings, "claim")} in '
        f"{_plural(len(kept), 'section')} and {_plural(len(claims) - findings, 'verdict')}, "
        f"linked to the {_plural(len(keys), 'source')} they rest on; the list below the map "
        "gives the same links as text.</desc>",
        '<g class="lr-viewport">',
        '<g class="lr-edges">',
    ]
    short = {c.id: short_label(c.statement, words=8, chars=60) for c in claims}
    for source, target in layout.evidence:
        title = f"{label_of(source[4:])} backs: {short[target]}"
        parts.append(_edge(boxes[source], boxes[target], "lr-edge-evidence", title))
    for source, target, kind in layout.relations:
        title = f"{short[source]} {words(kind)}: {short.get(target, target)}"
        parts.append(_edge(boxes[source], boxes[target], f"lr-edge-{kind}", title))
    parts.append("</g>")
    for column in (0, 1):
        parts.append(f'<g class="lr-stack" data-gap="{GROUP_GAP:.0f}">')
        for group in groups:
            if group.column == column:
                parts += _draw_group(group)
        parts.append("</g>")
    parts += [_draw(box) for box in boxes.values() if box.column == 2]
    parts.append("</g></svg>")
    return "\n".join(parts)


def _values(boxes: dict[str, Box], name: str) -> list[str]:
    found = {v for b in boxes.values() for v in b.filters.get(name, "").split() if v}
    return sorted(found, key=lambda v: (v == "none", v))


def _claim_box(
    claim: Claim, href: Callable[[str, str], str], dimension_names: dict[str, str]
) -> Box:
    flagged = " lr-node-flagged" if claim.audit else ""
    unsourced = " lr-node-unsourced" if all(e.unsourced for e in claim.evidence) else ""
    column = 2 if claim.kind == "verdict" else 1
    label = ("⚠ " if claim.audit else "") + claim.statement
    dims = ", ".join(dimension_names.get(d, words(d)) for d in claim.dimensions)
    about = f"{words(claim.kind)}{'; ' + dims if dims else ''}{'; flagged' if claim.audit else ''}"
    return Box(
        claim.id,
        column,
        wrap(label, COLUMN_W[column] - 2 * PAD),
        f"{claim.statement} ({about})",
        href("claim", claim.id),
        f"lr-node-claim lr-node-{claim.kind}{flagged}{unsourced}",
        group=claim.where.section if column == 1 else "verdicts",
        filters={"dimension": " ".join(claim.dimensions) or "none", "kind": claim.kind},
    )


def _place(ordered: list[Layer], boxes: dict[str, Box], headings: dict[str, str]) -> list[Group]:
    """Verdicts in a compact column; sources (by kind) and claims (by section) stacked in
    groups under their group heads."""
    y = MARGIN
    for ident, _ in ordered[2]:
        box = boxes[ident]
        box.x, box.y = column_x(2), y
        y += box.height + GAP_Y
    groups: list[Group] = []
    for column, noun in ((0, "source"), (1, "claim")):
        start = len(groups)
        for ident, group_id in ordered[column]:
            if len(groups) == start or groups[-1].ident != group_id:
                heading = (
                    SOURCE_KINDS.get(group_id, words(group_id))
                    if column == 0
                    else (headings.get(group_id, words(group_id)))
                )
                groups.append(Group(group_id, heading, [], column, noun))
            groups[-1].members.append(boxes[ident])
        y = MARGIN
        for group in groups[start:]:
            group.y = y
            inner = y + _head_height(group)
            for box in group.members:
                box.x, box.y = column_x(column), inner
                inner += box.height + GAP_Y
            group.height = inner - GAP_Y + GROUP_PAD - y
            y += group.height + GROUP_GAP
    return groups


def _head_name(group: Group) -> str:
    return f"{group.heading} ({_plural(len(group.members), group.noun)})"


def _head_lines(group: Group) -> list[str]:
    return wrap(_head_name(group), COLUMN_W[group.column])


def _head_height(group: Group) -> float:
    return block_height(len(_head_lines(group))) + 4


def _draw_group(group: Group) -> list[str]:
    x = column_x(group.column) - GROUP_PAD
    width = COLUMN_W[group.column] + 2 * GROUP_PAD
    head = _head_height(group)
    name = _head_name(group)
    return [
        f'<g class="lr-group" data-group={quoteattr(group.ident)} data-y="{group.y:.0f}" '
        f'data-h="{group.height:.0f}" data-head-h="{head:.0f}" data-label={quoteattr(name)}>',
        f'<rect class="lr-group-frame" x="{x:.0f}" y="{group.y:.0f}" '
        f'width="{width:.0f}" height="{group.height:.0f}" rx="6"/>',
        f'<g class="lr-group-head"><rect class="lr-group-head-box" x="{x:.0f}" '
        f'y="{group.y:.0f}" width="{width:.0f}" height="{head:.0f}" rx="6"/>'
        + _text(x + GROUP_PAD, group.y + PAD + 13, _head_lines(group), "lr-group-label")
        + "</g>",
        *(_draw(box) for box in group.members),
        "</g>",
    ]


def _edge(start: Box, end: Box, css: str, title: str) -> str:
    d = route((start.x, start.y, start.width, start.height), (end.x, end.y, end.width, end.height))
    return (
        f'<path class="lr-edge {css}" data-from={quoteattr(start.ident)} '
        f'data-to={quoteattr(end.ident)} d="{d}"><title>{escape(title)}</title></path>'
    )


def _draw(box: Box) -> str:
    return (
        f'<a href={quoteattr(box.href)} class="lr-node {box.css}" '
        f"data-node={quoteattr(box.ident)} data-group={quoteattr(box.group)}{_data(box.filters)} "
        f"aria-label={quoteattr(box.title)}><title>{escape(box.title)}</title>"
        f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{box.width:.0f}" '
        f'height="{box.height:.0f}" rx="4"/>'
        + _text(box.x + PAD, box.y + PAD + 11, box.lines)
        + "</a>"
    )


def bar_chart(rows: list[tuple[str, int]], title: str) -> str:
    """A small horizontal bar chart; the table next to it carries the same numbers as text."""
    largest = max([n for _, n in rows] + [1])
    width, label_w, bar_w = 640, 300, 280
    height = len(rows) * 24 + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lr-bars" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label={quoteattr(title)}>',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, count) in enumerate(rows):
        y = i * 24 + 4
        length = bar_w * count / largest
        parts.append(
            f'<text class="lr-bar-label" x="{label_w - 8}" y="{y + 15}" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        parts.append(
            f'<rect class="lr-bar" x="{label_w}" y="{y + 2}" width="{length:.1f}" height="16"/>'
        )
        parts.append(
            f'<text class="lr-bar-value" x="{label_w + length + 6:.1f}" y="{y + 15}">{count}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# --- the network: a stress layout, labels pushed apart -----------------------------------------

RADIUS = 6.0
EDGE_LENGTH = 100.0
NET_LABEL_W = 180.0


@dataclass(frozen=True)
class NetNode:
    """An actor of the network: its reader's name, link, type and categories (id, name)."""

    ident: str
    label: str
    href: str
    kind: str
    categories: tuple[tuple[str, str], ...] = ()


def entity_network(
    review: Review, href: Callable[[str], str]
) -> tuple[list[NetNode], list[tuple[str, str, str]]]:
    """The entities that take part in a relation, by type and name, and the relations
    (source, target, type); ``href(id)`` gives an entity's link."""
    entities = review.entities
    edges: list[tuple[str, str, str]] = [
        (e.id, r.target, r.type) for e in entities.values() for r in e.relations
    ]
    involved = sorted(
        {i for edge in edges for i in edge[:2]},
        key=lambda i: (entities[i].type, entities[i].name, i),
    )
    category = {
        c.id: c.name for p in review.papers.values() if p.argument for c in p.argument.categories
    }
    nodes = [
        NetNode(
            i,
            entities[i].name,
            href(i),
            entities[i].type,
            tuple((c, category.get(c, words(c))) for c in entities[i].categories),
        )
        for i in involved
    ]
    return nodes, edges


def network_layout(
    nodes: Sequence[NetNode], edges: Sequence[tuple[str, str, str]]
) -> tuple[list[Rect], list[list[str]], float, float]:
    """Each node's box (anchor = its dot, label to the right), wrapped labels and the size of
    the picture; no two boxes overlap and every box lies inside ``MARGIN`` of the edges."""
    index = {n.ident: i for i, n in enumerate(nodes)}
    pairs = [(index[a], index[b]) for a, b, _ in edges if a in index and b in index]
    points = stress_layout(len(nodes), pairs, EDGE_LENGTH)
    lines = [wrap(n.label, NET_LABEL_W) for n in nodes]
    boxes = []
    for (x, y), label in zip(points, lines, strict=True):
        height = max(block_height(len(label)) - 2 * PAD + 4, 2 * RADIUS + 4)
        width = 2 * RADIUS + 6 + max(text_width(line) for line in label)
        boxes.append(Rect(x, y, RADIUS + 2, height / 2, width, height))
    _spread(boxes)
    degree = [0] * len(nodes)
    for a, b in pairs:
        degree[a] += 1
        degree[b] += 1
    remove_overlaps(boxes, sorted(range(len(nodes)), key=lambda i: (-degree[i], i)))
    left = min((b.x0 for b in boxes), default=0.0)
    top = min((b.y0 for b in boxes), default=0.0)
    for box in boxes:
        box.x = round(box.x - left + MARGIN)
        box.y = round(box.y - top + MARGIN)
    width = max((b.x0 + b.width for b in boxes), default=0.0) + MARGIN
    height = max((b.y0 + b.height for b in boxes), default=0.0) + MARGIN
    return boxes, lines, width, height


def _spread(boxes: list[Rect], room: float = 2.5) -> None:
    """Scales the layout about its centre until its area is ``room`` times the labels' area,
    so that labels have space and pushing them apart stays local (and quick)."""
    if len(boxes) < 2:
        return
    need = room * sum(b.width * b.height for b in boxes)
    xs, ys = [b.x for b in boxes], [b.y for b in boxes]
    mean_w = sum(b.width for b in boxes) / len(boxes)
    mean_h = sum(b.height for b in boxes) / len(boxes)
    have = (max(xs) - min(xs) + mean_w) * (max(ys) - min(ys) + mean_h)
    if have >= need:
        return
    factor = (need / have) ** 0.5
    for box in boxes:
        box.x, box.y = box.x * factor, box.y * factor


def network(nodes: Sequence[NetNode], edges: Sequence[tuple[str, str, str]], title: str) -> str:
    """Actors placed by a stress layout, relations as arrows; "" when there is nothing to draw."""
    if not nodes:
        return ""
    boxes, lines, width, height = network_layout(nodes, edges)
    place = {n.ident: box for n, box in zip(nodes, boxes, strict=True)}
    names = {n.ident: n.label for n in nodes}
    kinds = sorted({n.kind for n in nodes})
    categories = dict(sorted({c for n in nodes for c in n.categories}))
    if any(not n.categories for n in nodes) and categories:
        categories["none"] = "No category"
    filters = _filters_attr(
        [
            ("type", "Type", [(k, words(k)) for k in kinds]),
            ("category", "Category", list(categories.items())),
            ("relation", "Relation", [(r, words(r)) for r in sorted({e[2] for e in edges})]),
        ]
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lr-network lr-explore" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'role="group" aria-labelledby="lr-network-title"{filters}>',
        f'<title id="lr-network-title">{escape(title)}</title>',
        '<defs><marker id="lr-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" '
        'markerHeight="6" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z"/></marker></defs>',
        '<g class="lr-viewport">',
        '<g class="lr-edges">',
    ]
    for source, target, kind in edges:
        a, b = place[source], place[target]
        dx, dy = b.x - a.x, b.y - a.y
        length = max((dx * dx + dy * dy) ** 0.5, 1e-9)
        cut = (RADIUS + 2) / length
        parts.append(
            f'<line class="lr-edge lr-rel lr-rel-{escape(kind)}" data-from={quoteattr(source)} '
            f"data-to={quoteattr(target)} data-filter-relation={quoteattr(kind)} "
            f'x1="{a.x + dx * cut:.0f}" y1="{a.y + dy * cut:.0f}" x2="{b.x - dx * cut:.0f}" '
            f'y2="{b.y - dy * cut:.0f}" marker-end="url(#lr-arrow)"><title>'
            f"{escape(names[source])} {escape(words(kind))} {escape(names[target])}</title></line>"
        )
    parts.append("</g>")
    for node, label in zip(nodes, lines, strict=True):
        box = place[node.ident]
        cats = " ".join(c for c, _ in node.categories) or "none"
        text_y = box.y - box.top + 2 + 11
        parts.append(
            f'<a href={quoteattr(node.href)} class="lr-node lr-net-node '
            f'lr-type-{escape(node.kind)}" '
            f"data-node={quoteattr(node.ident)} data-filter-type={quoteattr(node.kind)} "
            f"data-filter-category={quoteattr(cats)} "
            f"aria-label={quoteattr(f'{node.label} ({words(node.kind)})')}>"
            f"<title>{escape(node.label)} ({escape(words(node.kind))})</title>"
            f'<circle cx="{box.x:.0f}" cy="{box.y:.0f}" r="{RADIUS:.0f}"/>'
            + _text(box.x + RADIUS + 5, text_y, label)
            + "</a>"
        )
    parts.append("</g></svg>")
    return "\n".join(parts)
