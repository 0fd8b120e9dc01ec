"""The argument map as inline SVG: claims, the sources under them, and their relations.

Drawn at build time so that it needs no script and works from ``file://``; every node is a link.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from macros.content.model import Claim, Paper
from macros.content.review import Review
from macros.pages.analysis import claim_keys, source_kind

ROW = 26
BOX_H = 20
COLUMN_X = (10, 330, 760)
BOX_W = (280, 380, 260)
LABEL_CHARS = (38, 56, 36)


@dataclass(frozen=True)
class Node:
    ident: str
    column: int
    row: int
    label: str
    title: str
    href: str
    css: str

    @property
    def left(self) -> tuple[float, float]:
        return COLUMN_X[self.column], self.row * ROW + 10 + BOX_H / 2

    @property
    def right(self) -> tuple[float, float]:
        return COLUMN_X[self.column] + BOX_W[self.column], self.row * ROW + 10 + BOX_H / 2


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def argument_map(review: Review, paper: Paper, href: Callable[[str, str], str]) -> str:
    """SVG markup; ``href(kind, id)`` gives each node's link ("claim" or "reference")."""
    order = {s.id: i for i, s in enumerate(paper.sections)}
    claims = sorted(
        (c for c in review.claims.values() if c.paper == paper.id),
        key=lambda c: (order.get(c.where.section, 99), c.where.paragraph or 0, c.id),
    )
    findings = [c for c in claims if c.kind != "verdict"]
    verdicts = [c for c in claims if c.kind == "verdict"]
    keys = list(dict.fromkeys(k for c in findings + verdicts for k in claim_keys(review, c)))
    nodes: dict[str, Node] = {}
    for row, key in enumerate(keys):
        nodes[f"ref:{key}"] = Node(
            key,
            0,
            row,
            _short(key, LABEL_CHARS[0]),
            key,
            href("reference", key),
            f"lr-node-source lr-kind-{source_kind(review, key)}",
        )
    for column, group in ((1, findings), (2, verdicts)):
        offset = 0 if column == 1 else max(0, (len(findings) - len(verdicts)) // 2)
        for row, claim in enumerate(group):
            nodes[claim.id] = _claim_node(claim, column, row + offset, href)
    edges = _edges(review, findings + verdicts, nodes)
    height = max((n.row for n in nodes.values()), default=0) * ROW + 2 * ROW + 10
    width = COLUMN_X[2] + BOX_W[2] + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lr-map" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="group" '
        'aria-labelledby="lr-map-title lr-map-desc">',
        '<title id="lr-map-title">Argument map</title>',
        f'<desc id="lr-map-desc">{len(findings)} claims and {len(verdicts)} verdicts, linked to '
        f"the {len(keys)} sources they rest on; the list below the map gives the same links "
        "as text.</desc>",
    ]
    parts += edges
    parts += [_draw(node) for node in nodes.values()]
    parts.append("</svg>")
    return "\n".join(parts)


def _claim_node(claim: Claim, column: int, row: int, href: Callable[[str, str], str]) -> Node:
    flagged = " lr-node-flagged" if claim.audit else ""
    unsourced = " lr-node-unsourced" if all(e.unsourced for e in claim.evidence) else ""
    label = ("⚠ " if claim.audit else "") + claim.statement
    return Node(
        claim.id,
        column,
        row,
        _short(label, LABEL_CHARS[column]),
        f"{claim.statement} ({claim.kind})",
        href("claim", claim.id),
        f"lr-node-claim lr-node-{claim.kind}{flagged}{unsourced}",
    )


def _edges(review: Review, claims: list[Claim], nodes: dict[str, Node]) -> list[str]:
    paths = []
    for claim in claims:
        target = nodes[claim.id]
        paths += [
            _curve(nodes[f"ref:{key}"], target, "lr-edge-evidence")
            for key in claim_keys(review, claim)
        ]
        for relation in claim.relations:
            other = nodes.get(relation.target)
            if other is not None:
                paths.append(_curve(target, other, f"lr-edge-{relation.type}"))
    return paths


def _curve(start: Node, end: Node, css: str) -> str:
    if start.column == end.column:  # an arc to the right of the column
        (x1, y1), (_, y2) = start.right, end.right
        bulge = x1 + 30 + min(abs(y2 - y1) / 8, 60)
        d = f"M{x1:.0f},{y1:.0f} C{bulge:.0f},{y1:.0f} {bulge:.0f},{y2:.0f} {x1:.0f},{y2:.0f}"
    else:
        (x1, y1), (x2, y2) = (
            (start.right, end.left) if start.column < end.column else (start.left, end.right)
        )
        middle = (x1 + x2) / 2
        d = f"M{x1:.0f},{y1:.0f} C{middle:.0f},{y1:.0f} {middle:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"
    return f'<path class="{css}" d="{d}"/>'


def _draw(node: Node) -> str:
    x, y = COLUMN_X[node.column], node.row * ROW + 10
    return (
        f'<a href={quoteattr(node.href)} class="{node.css}"><title>{escape(node.title)}</title>'
        f'<rect x="{x}" y="{y}" width="{BOX_W[node.column]}" height="{BOX_H}" rx="4"/>'
        f'<text x="{x + 6}" y="{y + 14}">{escape(node.label)}</text></a>'
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


def network(
    nodes: Sequence[tuple[str, str, str, str]], edges: Sequence[tuple[str, str, str]], title: str
) -> str:
    """Entities on a circle, relations as arrows; ``nodes`` are (id, label, css, href)."""
    count = max(len(nodes), 1)
    radius = max(160.0, count * 11.0)
    size = 2 * radius + 320
    centre = size / 2
    place: dict[str, tuple[float, float]] = {}
    for i, (ident, *_) in enumerate(nodes):
        angle = 2 * math.pi * i / count - math.pi / 2
        place[ident] = (centre + radius * math.cos(angle), centre + radius * math.sin(angle))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lr-network" viewBox="0 0 {size:.0f} '
        f'{size:.0f}" width="{size:.0f}" height="{size:.0f}" role="group" '
        'aria-labelledby="lr-network-title">',
        f'<title id="lr-network-title">{escape(title)}</title>',
        '<defs><marker id="lr-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" '
        'markerHeight="6" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z"/></marker></defs>',
    ]
    for source, target, kind in edges:
        (x1, y1), (x2, y2) = place[source], place[target]
        parts.append(
            f'<line class="lr-rel lr-rel-{escape(kind)}" x1="{x1:.0f}" y1="{y1:.0f}" '
            f'x2="{x2:.0f}" y2="{y2:.0f}" marker-end="url(#lr-arrow)"><title>'
            f"{escape(source)} {escape(kind)} {escape(target)}</title></line>"
        )
    for ident, label, css, href in nodes:
        x, y = place[ident]
        anchor = "start" if x >= centre else "end"
        dx = 8 if x >= centre else -8
        parts.append(
            f'<a href={quoteattr(href)} class="lr-net-node {css}"><title>{escape(label)}'
            f'</title><circle cx="{x:.0f}" cy="{y:.0f}" r="6"/><text x="{x + dx:.0f}" '
            f'y="{y + 4:.0f}" text-anchor="{anchor}">{escape(_short(label, 30))}</text></a>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
