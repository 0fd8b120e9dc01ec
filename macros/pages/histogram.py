"""The per-year histogram: one SVG bar chart of works per year, shared by every page with one.

Drawn at its natural size (never scaled down, so its 12 px labels stay 12 px), one bar per year
from the first to the last (empty years stay visible as gaps), each bar with a ``<title>``
``YEAR: N works``; the chart's own title and a text list of the counts are its text alternative.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from html import escape

BAR = 18  # px per year (bar and gap)
MAX_BAR = 40  # px per year when there are few years
PLOT_H = 72
LABEL = 12  # px, axis labels
CHAR_W = 0.62  # em per digit, conservative
MIN_WIDTH = 160
STEPS = (1, 2, 5, 10, 20, 25, 50, 100)


def works(count: int) -> str:
    return f"{count} work" if count == 1 else f"{count} works"


def year_counts(years: Iterable[str | int | None]) -> Counter[int]:
    """Works per year from a list of years as printed (``"2021"``, ``2021``, ``""``, None)."""
    return Counter(int(y) for y in (str(y or "").strip() for y in years) if y.isdigit())


def year_histogram(years: Iterable[str | int | None], title: str) -> str:
    """The chart and its text alternative as HTML ('' if no work has a year)."""
    counts = year_counts(years)
    if not counts:
        return ""
    first, last = min(counts), max(counts)
    span = range(first, last + 1)
    pitch = min(MAX_BAR, max(BAR, (MIN_WIDTH - 2) / len(span)))  # few years: wider bars
    width = max(MIN_WIDTH, round(pitch * len(span)) + 2)
    top = max(counts.values())
    label_w = 4 * LABEL * CHAR_W
    step = next((s for s in STEPS if s * pitch >= label_w + 8), STEPS[-1])
    height = PLOT_H + 6 + LABEL + 6
    summary = ", ".join(f"{y}: {works(counts[y])}" for y in span if counts[y])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lr-histogram" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{escape(title)}: {escape(summary)}">',
        f"<title>{escape(title)}</title>",
        f'<line class="lr-hist-axis" x1="0" y1="{PLOT_H + 0.5}" x2="{width}" y2="{PLOT_H + 0.5}"/>',
    ]
    ticks = []
    for i, year in enumerate(span):
        x = round(1 + i * pitch, 1)
        bar = round(PLOT_H * counts[year] / top) if counts[year] else 0
        if bar:
            parts.append(
                f'<rect class="lr-hist-bar" x="{x}" y="{PLOT_H - bar}" width="{pitch - 3:.1f}" '
                f'height="{bar}"><title>{year}: {works(counts[year])}</title></rect>'
            )
        if year % step == 0 or year in (first, last):
            ticks.append((x + (pitch - 3) / 2, year))
    # Year labels: the first, the last and round years between, never overlapping.
    placed: list[tuple[float, float]] = []
    labels: list[tuple[float, int]] = []
    for x, year in sorted(ticks, key=lambda t: (t[1] not in (first, last), t[1])):
        lo = min(max(x - label_w / 2, 0), width - label_w)
        if any(lo < b + 6 and a < lo + label_w + 6 for a, b in placed):
            continue
        placed.append((lo, lo + label_w))
        labels.append((lo + label_w / 2, year))
    y = height - 4
    parts += [
        f'<text class="lr-hist-year" x="{x:.1f}" y="{y}" text-anchor="middle">{year}</text>'
        for x, year in sorted(labels)
    ]
    parts.append("</svg>")
    listing = "".join(f"<li>{y}: {works(counts[y])}</li>" for y in span if counts[y])
    return (
        f'<figure class="lr-histogram-figure">{"".join(parts)}'
        f"<figcaption><details><summary>{escape(title)}, per year, as text</summary>"
        f'<ul class="lr-hist-list">{listing}</ul></details></figcaption></figure>'
    )
