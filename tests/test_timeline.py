"""The timeline: events placed by date on an SVG axis, flagged spans drawn once, a table below."""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import pytest

from macros.bibliography.citeproc import Formatted
from macros.pages import timeline
from macros.pages.engine import load_review, render_site
from tests.conftest import MINI, ROOT, copy_project

GOLDEN = Path(__file__).parent / "golden" / "events" / "timeline.svg"
LATE = """id: late-meeting
paper: alpha
title: A late meeting on the river, long after the paper was written and published
date: "2023-02"
summary: Too late.
where: {section: intro, paragraph: 1}
"""
EARLY = LATE.replace("late-meeting", "early-survey").replace('"2023-02"', '"2001"')
EARLY = EARLY.replace("A late meeting on the river, long after", "An early survey, long before")


@functools.cache
def timeline_page(root: Path) -> tuple[str, str]:
    """(the timeline page's Markdown, its SVG)."""
    review = load_review(root)
    formatted = {k: Formatted(k, k) for k in review.bibliography.entries}
    rendered = render_site(review, formatted)
    markdown = rendered.pages["events/index.md"].markdown
    svgs = [f for f in rendered.stash.referenced(markdown) if "lr-timeline" in f]
    return markdown, svgs[0] if svgs else ""


def flagged_project(tmp: Path) -> Path:
    project = copy_project(MINI, tmp / "mini")
    (project / "content/events/late-meeting.yaml").write_text(LATE, encoding="utf-8")
    (project / "content/events/early-survey.yaml").write_text(EARLY, encoding="utf-8")
    later = LATE.replace("late-meeting", "later-visit").replace("2023-02", "2023-05")
    (project / "content/events/later-visit.yaml").write_text(later, encoding="utf-8")
    paper = project / "content/papers/alpha.yaml"
    paper.write_text(
        paper.read_text(encoding="utf-8").replace(
            "key: example2021alpha\n",
            'key: example2021alpha\nperiod: {start: "2020-03", end: "2021", '
            'as_stated: "post-Covid, as the '
            'paper puts it in its title and again in its abstract"}\n',
        ),
        encoding="utf-8",
    )
    return project


def test_mini_timeline_matches_golden() -> None:
    _, svg = timeline_page(MINI)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(svg + "\n", encoding="utf-8")
    assert svg + "\n" == GOLDEN.read_text(encoding="utf-8")


def test_events_are_placed_by_date_on_a_year_axis() -> None:
    _, svg = timeline_page(MINI)
    # The one event (May 2020) spans May on an axis from 2020 to 2021.
    assert re.findall(r'class="lr-tl-year"[^>]*>(\d{4})<', svg) == ["2020", "2021"]
    rect = re.search(r'<a [^>]*data-node="dam-opening"[^>]*>.*?<rect x="([\d.]+)"', svg, re.S)
    assert rect is not None
    start = timeline.MARGIN + (timeline.WIDTH - 2 * timeline.MARGIN) * 121 / 366
    assert float(rect[1]) == pytest.approx(start, abs=0.2)


def test_each_event_is_a_link_with_its_full_text_and_data_attributes() -> None:
    _, svg = timeline_page(MINI)
    assert '<a href="dam-opening/" class="lr-tl-event" data-node="dam-opening"' in svg
    assert 'data-group="alpha" aria-label="2020-05: A dam opens on the river"' in svg
    assert "<title>2020-05: A dam opens on the river</title>" in svg


def test_a_flagged_span_is_drawn_once_and_not_repeated_in_the_table(tmp_path: Path) -> None:
    markdown, svg = timeline_page(flagged_project(tmp_path))
    bands = re.findall(r'data-band="([^"]+)"', svg)
    assert bands == ["alpha-before-period", "alpha-after-period", "alpha-after-publication"]
    # The full wording of the two period flags: once per span (in the band's title and in the
    # list of flagged spans), not once per event (three events are flagged).
    assert svg.count("as the paper puts it") == 2
    assert markdown.count("as the paper puts it") == 2
    assert markdown.count("⚠ after publication; ⚠ after the period studied |") == 2
    assert "| Flags |" not in markdown
    assert "Flagged |" in markdown
    assert svg.count("lr-tl-flagged") == 3
    assert "Example 2021\\: before the period studied \\(2020-03 – 2021\\)**: 1 event before" in (
        markdown
    )


def test_the_paper_column_shows_the_short_label_not_the_id() -> None:
    markdown, _ = timeline_page(MINI)
    row = next(line for line in markdown.splitlines() if "dam-opening.md" in line)
    assert "| Example 2021 |" in row
    assert "| alpha |" not in row


def _label_boxes(svg: str) -> list[tuple[float, float, float]]:
    """(left, right, baseline) of each event label, estimated as the layout estimates it."""
    boxes = []
    for x, y, anchor, text in re.findall(
        r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)">([^<]*)</text></a>', svg
    ):
        width = timeline.text_width(text.replace("&#x27;", "'").replace("&amp;", "&"), 13)
        left = float(x) - (width if anchor == "end" else 0)
        boxes.append((left, left + width, float(y)))
    return boxes


@pytest.mark.parametrize(
    "root", [MINI, pytest.param(ROOT, marks=pytest.mark.review)], ids=["mini", "shipped"]
)
def test_labels_fit_the_picture_and_never_share_a_lane_span(root: Path) -> None:
    _, svg = timeline_page(root)
    assert svg, "no timeline drawn"
    boxes = _label_boxes(svg)
    assert boxes
    assert len(boxes) == svg.count("<a ")
    for left, right, _ in boxes:
        assert left >= 0
        assert right <= timeline.WIDTH
    for i, (a0, a1, ay) in enumerate(boxes):
        for b0, b1, by in boxes[i + 1 :]:
            assert ay != by or a1 <= b0 or b1 <= a0


def test_the_timeline_is_deterministic() -> None:
    assert timeline_page.__wrapped__(ROOT)[1] == timeline_page(ROOT)[1]


def test_partial_dates_become_days_and_fractions_of_a_year() -> None:
    assert str(timeline.iso_day("2021-02", last=True)) == "2021-02-28"
    assert str(timeline.iso_day("2021-02-31", last=True)) == "2021-02-28"
    assert str(timeline.iso_day("2021", last=False)) == "2021-01-01"
    assert timeline.year_position(timeline.iso_day("2021", last=True), end_of_day=True) == 2022.0


def test_no_events_no_picture() -> None:
    assert timeline.svg([], [], "Events") == ""
