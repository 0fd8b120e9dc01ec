"""The timeline as inline SVG: events placed by date on a horizontal axis with year ticks.

Each event is a bar from the first to the last day its (partial) dates allow (``2021`` is the
whole year), labelled with a short title; labels are stacked in lanes so that none overlaps
another. A flagged span (before a paper's period, after its publication) is drawn once as a band
with its text, not repeated on every event. Every event is a link to its page with its full text
in ``<title>`` and ``aria-label``; ``data-node`` / ``data-group`` let a generic script explore it.
Drawn at build time: no script, works from ``file://``.
"""

from __future__ import annotations

import calendar
import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from macros.pages.labels import short_label

WIDTH = 680  # drawn at its natural size: the page scrolls it sideways rather than shrink it
MARGIN = 12
FONT = 13  # event labels, px
SMALL = 12  # year ticks and band labels, px
CHAR_W = 0.62  # a conservative average glyph width, in em, for sans-serif text
LANE = 24
BAND_ROW = 20
LABEL_CHARS = 40
GAP = 10  # px kept free between two things in one lane
STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 500)
MIN_TICK_PX = 48


@dataclass(frozen=True)
class Span:
    """One event on the axis."""

    ident: str
    title: str  # the full title (in <title>, aria-label)
    label: str  # the short label drawn
    start: str  # ISO date of its first possible day
    end: str  # ISO date of its last possible day
    when: str  # the date as readers see it ("2021-10-19 \u2013 2021-10-21")
    href: str
    group: str  # the paper it comes from
    flags: tuple[str, ...] = ()  # the keys of the bands it falls in


@dataclass(frozen=True)
class Band:
    """A flagged span of time (open-ended where ``start`` or ``end`` is None)."""

    key: str
    text: str  # drawn once, in the band's row
    full: str  # its full wording (in <title>)
    start: str | None
    end: str | None


def iso_day(partial: str, *, last: bool) -> datetime.date:
    """The first (or last) day a partial date ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` allows."""
    parts = [int(p) for p in partial.split("-")[:3]]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else (12 if last else 1)
    days = calendar.monthrange(year, month)[1]
    day = min(parts[2], days) if len(parts) > 2 else (days if last else 1)
    return datetime.date(year, month, day)


def year_position(day: datetime.date, *, end_of_day: bool = False) -> float:
    """A day as a fractional year: 2021-01-01 -> 2021.0; its end -> 2021.0027."""
    length = 366 if calendar.isleap(day.year) else 365
    return day.year + (day.timetuple().tm_yday - (0 if end_of_day else 1)) / length


def text_width(text: str, size: int) -> float:
    return len(text) * size * CHAR_W


def _tick_step(px_per_year: float) -> int:
    return next((s for s in STEPS if s * px_per_year >= MIN_TICK_PX), STEPS[-1])


class _Lanes:
    """Rows of occupied intervals; ``place`` puts an interval in the first row it fits."""

    def __init__(self) -> None:
        self.rows: list[list[tuple[float, float]]] = []

    def place(self, lo: float, hi: float) -> int:
        for i, row in enumerate(self.rows):
            if all(hi + GAP <= a or lo >= b + GAP for a, b in row):
                row.append((lo, hi))
                return i
        self.rows.append([(lo, hi)])
        return len(self.rows) - 1


def _label_box(x0: float, x1: float, width: float, right: float) -> tuple[float, str, float, float]:
    """Where a label goes beside a bar: (x, anchor, lo, hi) of its text."""
    if x1 + 6 + width <= right:
        return x1 + 6, "start", x1 + 6, x1 + 6 + width
    if x0 - 6 - width >= MARGIN:
        return x0 - 6, "end", x0 - 6 - width, x0 - 6
    return right - width, "start", right - width, right  # over the bar, inside the picture


def _fitted(label: str, x0: float, x1: float, right: float) -> str:
    """The label, cut at a word to fit beside its bar on the roomier side if it fits neither."""
    room = max(right - x1 - 6, x0 - 6 - MARGIN)
    if text_width(label, FONT) <= room:
        return label
    chars = int(room / (FONT * CHAR_W))
    return short_label(label, words=len(label), chars=chars - 1) if chars >= 12 else label


def svg(spans: Sequence[Span], bands: Sequence[Band], title: str) -> str:
    """The timeline's SVG ('' without events)."""
    if not spans:
        return ""
    starts = [year_position(iso_day(s.start, last=False)) for s in spans]
    ends = [year_position(iso_day(s.end, last=True), end_of_day=True) for s in spans]
    first = math.floor(min(starts))
    last = max(math.ceil(max(ends)), first + 1)
    right = WIDTH - MARGIN
    scale = (right - MARGIN) / (last - first)

    def x_of(position: float) -> float:
        return MARGIN + (min(max(position, first), last) - first) * scale

    # Bands first: their labels take rows of their own under the axis.
    band_rows = _Lanes()
    drawn_bands = []
    for band in bands:
        lo = x_of(year_position(iso_day(band.start, last=False)) if band.start else first)
        hi = x_of(
            year_position(iso_day(band.end, last=True), end_of_day=True) if band.end else last
        )
        if hi - lo < 1:
            continue
        width = text_width(band.text, SMALL)
        if lo + 4 + width <= right:  # from the band's start, reading into it
            x, anchor, a, b = lo + 4, "start", lo + 4, lo + 4 + width
        elif hi - 4 - width >= MARGIN:  # or ending at its end
            x, anchor, a, b = hi - 4, "end", hi - 4 - width, hi - 4
        else:
            x, anchor, a, b = right - width, "start", right - width, right
        drawn_bands.append((band, lo, hi, x, anchor, band_rows.place(min(a, lo), max(b, hi))))
    top = 34 + len(band_rows.rows) * BAND_ROW
    lanes = _Lanes()
    placed = []
    for span, start, end in zip(spans, starts, ends, strict=True):
        x0, x1 = x_of(start), x_of(end)
        if x1 - x0 < 8:
            middle = (x0 + x1) / 2
            x0, x1 = middle - 4, middle + 4
        label = _fitted(("⚠ " if span.flags else "") + span.label, x0, x1, right)
        x, anchor, a, b = _label_box(x0, x1, text_width(label, FONT), right)
        placed.append((span, label, x0, x1, x, anchor, lanes.place(min(a, x0), max(b, x1))))
    height = top + len(lanes.rows) * LANE + 10

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lr-timeline" viewBox="0 0 {WIDTH} '
        f'{height}" width="{WIDTH}" height="{height}" role="group" '
        'aria-labelledby="lr-timeline-title">',
        f'<title id="lr-timeline-title">{escape(title)}</title>',
    ]
    for band, lo, hi, x, anchor, row in drawn_bands:
        y = 34 + row * BAND_ROW
        parts.append(
            f'<g class="lr-tl-band" data-band="{escape(band.key)}">'
            f"<title>{escape(band.full)}</title>"
            f'<rect class="lr-tl-band-area" x="{lo:.1f}" y="26" width="{hi - lo:.1f}" '
            f'height="{height - 26}"/>'
            f'<path class="lr-tl-bracket" d="M{lo:.1f},{y + 6} V{y} H{hi:.1f} V{y + 6}"/>'
            f'<text class="lr-tl-band-label" x="{x:.1f}" y="{y + 15}" text-anchor="{anchor}">'
            f"{escape(band.text)}</text></g>"
        )
    step = _tick_step(scale)
    parts.append(f'<line class="lr-tl-axis" x1="{MARGIN}" y1="24" x2="{right}" y2="24"/>')
    for year in range(first, last + 1):
        x = x_of(year)
        labelled = year % step == 0
        parts.append(
            f'<line class="lr-tl-tick{"" if labelled else " lr-tl-minor"}" x1="{x:.1f}" '
            f'y1="{20 if labelled else 22}" x2="{x:.1f}" y2="{height - 4 if labelled else 28}"/>'
        )
        if labelled:
            anchor = "start" if year == first else "end" if year == last else "middle"
            parts.append(
                f'<text class="lr-tl-year" x="{x:.1f}" y="15" text-anchor="{anchor}">{year}</text>'
            )
    for span, label, x0, x1, x, anchor, lane in placed:
        y = top + lane * LANE
        spoken = f"{span.when}: {span.title}"
        parts.append(
            f'<a href="{escape(span.href)}" class="lr-tl-event'
            f'{" lr-tl-flagged" if span.flags else ""}" data-node="{escape(span.ident)}" '
            f'data-group="{escape(span.group)}" aria-label="{escape(spoken)}">'
            f"<title>{escape(spoken)}</title>"
            f'<rect x="{x0:.1f}" y="{y + 7}" width="{x1 - x0:.1f}" height="10" rx="3"/>'
            f'<text x="{x:.1f}" y="{y + 16}" text-anchor="{anchor}">{escape(label)}</text></a>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
