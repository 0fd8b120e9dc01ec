"""The shared per-year histogram (macros/pages/histogram.py)."""

from __future__ import annotations

import itertools
import re

from macros.pages import histogram
from macros.pages.histogram import year_histogram


def test_one_bar_per_year_with_its_count_as_a_title() -> None:
    chart = year_histogram(["2019", "2021", "2021", "", None, 2021, "n.d."], "Works on rivers")
    assert re.findall(r"<title>(\d{4}: [^<]+)</title>", chart) == ["2019: 1 work", "2021: 3 works"]
    # 2020 has no work: a gap, no bar; the axis runs from the first to the last year.
    assert chart.count('class="lr-hist-bar"') == 2
    assert re.findall(r'class="lr-hist-year"[^>]*>(\d{4})<', chart) == ["2019", "2020", "2021"]


def test_the_chart_has_a_text_alternative() -> None:
    chart = year_histogram(["2020", "2020", "2022"], "Works on <roads>")
    assert 'role="img"' in chart
    assert 'aria-label="Works on &lt;roads&gt;: 2020: 2 works, 2022: 1 work"' in chart
    assert "<li>2020: 2 works</li><li>2022: 1 work</li>" in chart
    assert "<roads>" not in chart


def test_year_labels_never_overlap_and_stay_inside() -> None:
    chart = year_histogram([str(y) for y in range(1950, 2026)], "Many years")
    width = float(re.search(r'width="(\d+)"', chart)[1])  # type: ignore[index]
    half = 4 * histogram.LABEL * histogram.CHAR_W / 2
    centres = [float(x) for x in re.findall(r'class="lr-hist-year" x="([\d.]+)"', chart)]
    assert len(centres) >= 5
    centres.sort()
    assert all(b - a >= 2 * half for a, b in itertools.pairwise(centres))
    assert all(half <= c <= width - half for c in centres)


def test_labels_are_drawn_at_twelve_pixels_or_more_at_natural_size() -> None:
    chart = year_histogram(["2001", "2002"], "Two")
    viewbox = re.search(r'viewBox="0 0 (\d+) (\d+)" width="(\d+)" height="(\d+)"', chart)
    assert viewbox is not None
    assert viewbox[1] == viewbox[3]  # never scaled: its CSS sets 12 px labels
    assert viewbox[2] == viewbox[4]
    assert histogram.LABEL >= 12


def test_no_year_no_chart() -> None:
    assert year_histogram(["", None, "n.d."], "None") == ""
