"""The works index of a big review lists its works over part pages (as the bibliography index
and the PRISMA box lists do), so that no page passes about 1 MB at 10,000 works."""

from __future__ import annotations

import re

import pytest

from macros.bibliography.citeproc import Formatted
from macros.kinds import works
from macros.pages.engine import load_review, render_site
from tests.conftest import MINI


def rendered_works(monkeypatch: pytest.MonkeyPatch, per_page: int) -> dict[str, str]:
    monkeypatch.setattr(works, "WORKS_PER_PAGE", per_page)
    review = load_review(MINI)
    formatted = {k: Formatted(k, k) for k in review.bibliography.entries}
    pages = render_site(review, formatted).pages
    return {uri: page.markdown for uri, page in pages.items() if uri.startswith("works/")}


def listed(markdown: str) -> list[str]:
    return re.findall(r"^\| \[.*?\]\(([^)]+)\)", markdown, re.MULTILINE)


def test_a_long_works_list_is_split_and_every_work_is_on_one_part(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    whole = listed(rendered_works(monkeypatch, works.WORKS_PER_PAGE)["works/index.md"])
    assert len(whole) >= 2  # the fixture's works, on the index itself
    pages = rendered_works(monkeypatch, 1)
    parts = sorted(uri for uri in pages if re.fullmatch(r"works/all-\d+\.md", uri))
    assert len(parts) == len(whole)
    assert listed(pages["works/index.md"]) == []  # the index links the parts instead
    for uri in parts:
        assert f"({uri.removeprefix('works/')})" in pages["works/index.md"]
    on_parts = [link for uri in parts for link in listed(pages[uri])]
    assert on_parts == whole  # each work once, in the index's order
