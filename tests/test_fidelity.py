"""The shipped bibliography against the paper's printed reference list."""

from __future__ import annotations

from pathlib import Path

from macros.bibliography.citeproc import Citeproc
from macros.content.checks import normalise
from macros.pages.engine import load_review
from tests.conftest import ROOT


def test_formatted_lines_reproduce_the_printed_reference_list(tmp_path: Path) -> None:
    review = load_review(ROOT)
    entries = review.bibliography.entries
    style = ROOT / "macros/bibliography/csl/chicago-notes-bibliography-litreview.csl"
    raw = {key: entry.raw for key, entry in entries.items()}
    formatted = Citeproc(review.bibliography.text, style, tmp_path, raw).bibliography()
    reflist = review.reflists["amalia2021"]
    assert len(reflist.entries) == 33
    matches = [
        e.key
        for e in reflist.entries
        if normalise(formatted[e.key].text, curly_quotes=True)
        == normalise(e.printed, curly_quotes=True)
    ]
    unexplained = [e.key for e in reflist.entries if e.key not in matches and not e.deviation]
    assert unexplained == []
    assert len(matches) >= 30, sorted(set(entries) - set(matches))
