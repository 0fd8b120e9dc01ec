"""Previews: the pages an edit changed, rendered in-process ahead of the full build."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import Abort

from macros.bibliography.citeproc import Citeproc
from macros.cli.main import build_site
from macros.pages.engine import load_review, render_site
from macros.pages.render import GeneratedPage
from macros.site.plugin import STYLES
from macros.site.preview import preview, previewable
from tests.conftest import MINI

ENTITY = "content/entities/example-agency.yaml"
LISTS = re.compile(r'<ul class="lr-(?:mentioned-in|cited-by)">.*?</ul>', re.DOTALL)


def _pages(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*.html")}


@pytest.fixture
def built(mini_project: Path) -> Path:
    assert build_site(mini_project, mini_project / "site") == 0
    preview(mini_project, mini_project / "site", frozenset())  # the warm-up serve does
    return mini_project


def test_an_entity_edit_updates_only_its_page_and_keeps_its_lists(built: Path) -> None:
    site = built / "site"
    before = _pages(site)
    entity = built / ENTITY
    entity.write_text(entity.read_text("utf-8").replace("summary: ", "summary: Revised. ", 1))
    assert preview(built, site, frozenset({ENTITY})) == ["entities/example-agency.html"]
    after = _pages(site)
    changed = sorted(page for page in after if after[page] != before[page])
    assert changed == ["entities/example-agency.html"]
    page = after["entities/example-agency.html"].decode()
    assert "Revised." in page
    old = before["entities/example-agency.html"].decode()
    # Lists that need every page rendered stay as the last full build made them.
    assert LISTS.findall(page) == LISTS.findall(old) != []


def test_a_bibtex_edit_updates_only_that_entrys_page(built: Path) -> None:
    site = built / "site"
    before = _pages(site)
    bib = built / "references.bib"
    bib.write_text(bib.read_text("utf-8").replace("title = {Rivers", "title = {Streams", 1))
    assert preview(built, site, frozenset({"references.bib"})) == [
        "references/muller2020rivers.html"
    ]
    after = _pages(site)
    assert sorted(p for p in after if after[p] != before[p]) == ["references/muller2020rivers.html"]
    assert "Streams" in after["references/muller2020rivers.html"].decode()


def test_an_invalid_edit_raises_and_leaves_the_site(built: Path) -> None:
    site = built / "site"
    before = _pages(site)
    (built / ENTITY).write_text("id: example-agency\nname: [unclosed\n", "utf-8")
    with pytest.raises(Abort):
        preview(built, site, frozenset({ENTITY}))
    assert _pages(site) == before


def test_only_content_bibliography_and_pages_are_previewable(tmp_path: Path) -> None:
    assert previewable(tmp_path, [tmp_path / ENTITY, tmp_path / "docs/index.md"]) == frozenset(
        {ENTITY, "docs/index.md"}
    )
    assert previewable(tmp_path, [tmp_path / ENTITY, tmp_path / "mkdocs.yml"]) is None
    assert previewable(tmp_path, [Path("/elsewhere/x.yaml")]) is None


def test_a_preview_lists_every_page_a_full_render_makes(tmp_path: Path) -> None:
    """Pages left out of a preview still exist (unrendered), so its links resolve."""
    review = load_review(MINI)
    entries = review.bibliography.entries
    citeproc = Citeproc(
        review.bibliography.text,
        STYLES / "chicago-notes-bibliography-litreview.csl",
        tmp_path,
        raw_entries={key: entry.raw for key, entry in entries.items()},
    )

    def renderer(**options: Any) -> dict[str, GeneratedPage]:
        return render_site(review, citeproc.bibliography(), **options).pages

    full = renderer()
    none = renderer(only=lambda _here, _source: False)
    assert none.keys() == full.keys()
    assert not any(page.rendered for page in none.values())
    assert all(page.rendered for page in full.values())


def test_a_hand_written_page_edit_updates_only_that_page(built: Path) -> None:
    site = built / "site"
    before = _pages(site)
    index = built / "docs" / "index.md"
    index.write_text(index.read_text("utf-8") + "\nA sentence added while previewing.\n")
    assert preview(built, site, frozenset({"docs/index.md"})) == ["index.html"]
    after = _pages(site)
    assert sorted(p for p in after if after[p] != before[p]) == ["index.html"]
    assert "A sentence added while previewing." in after["index.html"].decode()


def test_a_new_entity_is_previewed_with_links_to_existing_pages(built: Path) -> None:
    site = built / "site"
    new = "content/entities/new-office.yaml"
    (built / new).write_text(
        "id: new-office\nname: New Office\ntype: organisation\n"
        "summary: An office added while previewing.\npapers: [alpha]\n"
        "sources: [{key: agency2021report}]\n",
        "utf-8",
    )
    assert preview(built, site, frozenset({new})) == ["entities/new-office.html"]
    page = (site / "entities" / "new-office.html").read_text("utf-8")
    assert "An office added while previewing." in page
    assert 'href="../papers/alpha/index.html"' in page  # a link to a page left out, resolved
