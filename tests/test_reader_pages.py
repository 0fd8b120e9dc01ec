"""The reader's site: metadata without a "Field | Value" header, nothing empty on a thin page."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import markdown  # type: ignore[import-untyped]

from macros.bibliography.citeproc import Formatted
from macros.pages.engine import load_review, render_site
from macros.pages.textlint import lint_page
from tests.conftest import MINI, copy_project

METADATA_PAGES = (
    "papers/alpha/index.md",
    "papers/beta/index.md",
    "papers/alpha/framework-effect.md",
    "references/muller2020rivers.md",
    "works/muller2020rivers.md",
    "synthesis/rivers-muller.md",
)


@functools.cache
def rendered(root: Path) -> dict[str, str]:
    review = load_review(root)
    formatted = {k: Formatted(k, k) for k in review.bibliography.entries}
    result = render_site(review, formatted)
    return {uri: result.stash.restore(page.markdown) for uri, page in result.pages.items()}


def as_html(page: str) -> str:
    body = page.split("\n---\n", 1)[1] if page.startswith("---") else page
    html = markdown.markdown(body, extensions=["def_list", "tables", "md_in_html"])
    return f"<article>{html}</article>"


def test_metadata_is_a_definition_list_without_a_header_row() -> None:
    pages = rendered(MINI)
    for uri in METADATA_PAGES:
        page = pages[uri]
        assert "| Field | Value |" not in page, uri
        assert "|---|---|\n| " not in page.split("\n## ", 1)[0], uri
        html = as_html(page)
        assert "<dl>" in html, uri
        assert "<th>" not in html.split("<h2", 1)[0], uri
    assert re.search(r"<dt>Year</dt>\s*<dd>\s*(<p>)?2021", as_html(pages["papers/alpha/index.md"]))
    assert "<dt>Key</dt>" in as_html(pages["references/muller2020rivers.md"])


def test_a_thin_paper_page_shows_no_empty_row_heading_or_zero_count(tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "mini")
    beta = project / "content/papers/beta.yaml"
    text = beta.read_text(encoding="utf-8")
    beta.write_text(text.split("sections:")[0] + "keywords: []\nsections: []\n", encoding="utf-8")
    (project / "content/claims/roads-differ.yaml").unlink()  # its claim cites a section
    page = rendered(project)["papers/beta/index.md"]
    assert "Keywords" not in page
    assert "Structure" not in page
    assert not re.search(r"\b0 (claims|audit findings)", page)
    assert lint_page(as_html(page)) == []


def test_the_thin_mini_paper_page_is_clean() -> None:
    page = rendered(MINI)["papers/beta/index.md"]
    assert "Keywords" not in page
    assert not re.search(r"\b0 \w+", page)
    assert lint_page(as_html(page)) == []
