"""Appraisal plots as inline SVG, drawn at build time: a traffic-light plot (works x domains)
and a summary bar plot (share of judgements per domain).

Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies), and every
mark also carries a symbol, so colour is never the only cue. Every mark is a link (focusable,
reached by Tab) with its own text alternative: a ``<title>`` and an ``aria-label``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from macros.pages.text import attr

# Okabe-Ito: bluish green, yellow, orange, vermillion, reddish purple; greys for "unclear".
_RATED = {
    1: [("#009E73", "+")],
    2: [("#009E73", "+"), ("#D55E00", "\u00d7")],
    3: [("#009E73", "+"), ("#F0E442", "\u2212"), ("#D55E00", "\u00d7")],
    4: [("#009E73", "+"), ("#F0E442", "\u2212"), ("#D55E00", "\u00d7"), ("#CC79A7", "!")],
}
_FIVE = [
    ("#009E73", "+"),
    ("#F0E442", "\u2212"),
    ("#E69F00", "~"),
    ("#D55E00", "\u00d7"),
    ("#CC79A7", "!"),
]
_UNCLEAR = [("#BBBBBB", "?"), ("#FFFFFF", "/"), ("#DDDDDD", "\u2026")]
FONT = 13  # px; labels stay at least 12 px since the SVG is never scaled down


def svg_open(css_class: str, label: str, width: int, height: int, font_size: int = FONT) -> str:
    """A plot's opening tag, named for screen readers, on an opaque white ground (legible on
    the dark scheme too)."""
    return (
        f'<svg class="{css_class}" role="group" aria-label="{attr(label)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-size="{font_size}" xmlns="http://www.w3.org/2000/svg">'
        f'<rect width="{width}" height="{height}" fill="#FFFFFF"/>'
    )


@dataclass(frozen=True)
class Mark:
    colour: str
    symbol: str


def marks(scale: Sequence[str], unclear: Sequence[str]) -> dict[str, Mark]:
    """Each judgement's colour and symbol: by its place on the scale, best first."""
    rated = _RATED.get(len(scale)) or [_FIVE[min(i, 4)] for i in range(len(scale))]
    out = {j: Mark(*rated[i]) for i, j in enumerate(scale)}
    out |= {j: Mark(*_UNCLEAR[min(i, 2)]) for i, j in enumerate(unclear)}
    return out


def _mark(x: float, y: float, mark: Mark | None, *, text: str, href: str) -> str:
    r = 15
    colour, symbol = (mark.colour, mark.symbol) if mark else ("#FFFFFF", "\u00b7")
    return (
        f'<a href="{attr(href)}" aria-label="{attr(text)}"><title>{attr(text)}</title>'
        f'<circle cx="{x}" cy="{y}" r="{r}" fill="{colour}" stroke="#000000" stroke-width="1"/>'
        f'<text x="{x}" y="{y + 5}" text-anchor="middle" font-size="15" font-weight="bold" '
        f'fill="#000000" aria-hidden="true">{attr(symbol)}</text></a>'
    )


def traffic_light(
    title: str, domains: Sequence[Any], rows: Sequence[Any], marks_of: dict[str, Mark]
) -> str:
    """Works (rows) x domains and the overall judgement (columns); ``rows`` are
    ``macros.kinds.appraisal.Row``."""
    label_w = min(280, max(140, 8 * max((len(r.label) for r in rows), default=10)))
    col, row_h, top = 56, 40, 34
    heads = [f"D{i + 1}" for i in range(len(domains))] + ["Overall"]
    width = label_w + col * len(heads) + 10
    height = top + row_h * len(rows) + 6
    parts = [svg_open("lr-traffic", f"{title}: traffic-light plot", width, height)]
    for i, head in enumerate(heads):
        x = label_w + col * i + col / 2
        parts.append(
            f'<text x="{x}" y="{top - 12}" text-anchor="middle" font-weight="bold" '
            f'fill="#000000">{head}</text>'
        )
    for n, row in enumerate(rows):
        y = top + row_h * n + row_h / 2
        if n % 2 == 0:
            parts.append(
                f'<rect x="0" y="{top + row_h * n}" width="{width}" height="{row_h}" '
                f'fill="#F2F2F2"/>'
            )
        parts.append(
            f'<text x="{label_w - 10}" y="{y + 5}" text-anchor="end" fill="#000000">'
            f"{attr(row.label)}</text>"
        )
        for i, domain in enumerate(domains):
            judgement = row.judgements.get(domain.id)
            value = judgement.judgement.lower() if judgement else None
            text = f"{row.label}, {domain.name}: {value or 'not judged'}"
            x = label_w + col * i + col / 2
            href = f"#{row.anchor}-{domain.id}"
            parts.append(_mark(x, y, marks_of.get(value or ""), text=text, href=href))
        x = label_w + col * len(domains) + col / 2
        text = f"{row.label}, overall: {row.overall or 'not judged'}"
        parts.append(
            _mark(x, y, marks_of.get(row.overall or ""), text=text, href=f"#{row.anchor}-overall")
        )
    parts.append("</svg>")
    return "".join(parts)


def summary_bars(
    title: str,
    summary: Sequence[tuple[Any, Sequence[tuple[str, float, int]]]],
    marks_of: dict[str, Mark],
) -> str:
    """One bar per domain (and overall): the share of each judgement, as segments."""
    label_w, bar_w, row_h, top = 90, 560, 34, 26
    width = label_w + bar_w + 60
    height = top + row_h * len(summary) + 8
    parts = [svg_open("lr-summary-bars", f"{title}: summary plot", width, height)]
    for pct in (0, 50, 100):
        x = label_w + bar_w * pct / 100
        anchor = "start" if pct == 0 else ("end" if pct == 100 else "middle")
        parts.append(
            f'<text x="{x}" y="{top - 8}" text-anchor="{anchor}" fill="#000000">{pct} %</text>'
        )
    for n, (domain, parts_of) in enumerate(summary):
        y = top + row_h * n
        head = "Overall" if domain.id == "overall" else f"D{n + 1}"
        parts.append(
            f'<text x="{label_w - 10}" y="{y + row_h / 2 + 5}" text-anchor="end" '
            f'font-weight="bold" fill="#000000">{head}</text>'
        )
        x = float(label_w)
        for judgement, share, count in parts_of:
            w = bar_w * share
            mark = marks_of.get(judgement, Mark("#FFFFFF", "\u00b7"))
            pct = round(100 * share)
            works = f"{count} work{'' if count == 1 else 's'}"
            text = f"{domain.name}: {judgement}, {pct} % ({works})"
            symbol = (
                f'<text x="{x + w / 2:.1f}" y="{y + row_h / 2 + 5}" text-anchor="middle" '
                f'font-weight="bold" fill="#000000" aria-hidden="true">{attr(mark.symbol)}</text>'
                if w >= 14
                else ""
            )
            parts.append(
                f'<a href="#summary-{attr(domain.id)}" aria-label="{attr(text)}">'
                f"<title>{attr(text)}</title>"
                f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" '
                f'fill="{mark.colour}" stroke="#000000" stroke-width="1"/>{symbol}</a>'
            )
            x += w
    parts.append("</svg>")
    return "".join(parts)


def legend(marks_of: dict[str, Mark]) -> str:
    """The judgements with their colour and symbol, as a small SVG per entry (HTML list)."""
    items = []
    for judgement, mark in marks_of.items():
        items.append(
            '<li><svg width="22" height="22" viewBox="0 0 22 22" aria-hidden="true">'
            f'<circle cx="11" cy="11" r="10" fill="{mark.colour}" stroke="#000000"/>'
            f'<text x="11" y="16" text-anchor="middle" font-size="14" font-weight="bold" '
            f'fill="#000000">{attr(mark.symbol)}</text></svg> {attr(judgement)}</li>'
        )
    return f'<ul class="lr-legend">{"".join(items)}</ul>'
