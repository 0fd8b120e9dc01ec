"""Golden tests: the generated Markdown of the fixture project, page by page.

Run with UPDATE_GOLDEN=1 to rewrite tests/golden/ after an intended change, then review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from macros.bibliography.citeproc import Formatted
from macros.pages.engine import load_review, render_site
from tests.conftest import MINI

GOLDEN = Path(__file__).parent / "golden"


def render_fixture() -> dict[str, str]:
    review = load_review(MINI)
    # Fixed formatted lines keep the golden files independent of pandoc's version.
    formatted = {
        key: Formatted(f"<i>{key}</i>", key) for key in sorted(review.bibliography.entries)
    }
    return {uri: page.markdown for uri, page in render_site(review, formatted).pages.items()}


PAGES = render_fixture()


@pytest.mark.parametrize("uri", sorted(PAGES))
def test_generated_markdown_matches_golden(uri: str) -> None:
    golden = GOLDEN / uri
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(PAGES[uri], encoding="utf-8")
    assert PAGES[uri] == golden.read_text(encoding="utf-8")


def test_no_golden_file_is_stale() -> None:
    on_disk = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md")}
    assert on_disk == set(PAGES)


def test_user_text_is_escaped_in_markdown() -> None:
    program = PAGES["entities/river-program.md"]
    assert "&lt;script&gt;alert\\(1\\)&lt;/script&gt;" in program
    assert "<script>" not in program
    paper = PAGES["papers/alpha/index.md"]
    assert "\\{\\{ 7\\*7 \\}\\}" not in paper  # prose keeps * for emphasis ...
    assert "\\{\\{ 7*7 \\}\\} and \\{% include 'x' %\\}" in paper  # ... but never runs Jinja
    assert "Alpha: Rivers &lt;b&gt;and&lt;/b&gt; Roads" in paper
