"""A reader's site: the text lint, internal ids and the readers' navigation over built sites."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros.pages.engine import load_review
from macros.pages.textlint import ids_shown, lint_page
from tests.conftest import MINI, ROOT

pytestmark = pytest.mark.build

MAINTAINERS = re.compile(r"^(maintainers/|report\.html$|404\.html$)")


def reader_pages(site: Path) -> list[Path]:
    pages = sorted(site.rglob("*.html"))
    return [p for p in pages if not MAINTAINERS.match(p.relative_to(site).as_posix())]


def lint_site(site: Path) -> list[str]:
    return [
        f"{page.relative_to(site)}:{problem}"
        for page in reader_pages(site)
        for problem in lint_page(page.read_text(encoding="utf-8"))
    ]


def test_the_shipped_site_passes_the_text_lint(real_site: Path) -> None:
    assert lint_site(real_site) == []


def test_the_mini_site_passes_the_text_lint(mini_site: Path) -> None:
    assert lint_site(mini_site) == []


def internal_ids(root: Path) -> set[str]:
    review = load_review(root)
    ids = {ident for items in review.items.values() for ident in items}
    ids |= set(review.bibliography.entries)
    for paper in review.papers.values():
        ids |= {section.id for section in paper.sections}
        if paper.argument is not None:
            ids |= {c.id for c in paper.argument.categories}
            for framework in paper.argument.frameworks:
                ids |= {framework.id, *(d.id for d in framework.dimensions)}
    # Relation types ("partners-with") read as words ("partners with").
    ids |= {r.type for e in review.entities.values() for r in e.relations}
    ids |= {r.type for c in review.claims.values() for r in c.relations}
    # A name the review itself gives as a way of writing something ("covid-19") is a word.
    for entity in review.entities.values():
        ids -= {entity.name, *entity.aliases}
    return ids


@pytest.mark.parametrize(("root", "site_fixture"), [(ROOT, "real_site"), (MINI, "mini_site")])
def test_no_reader_page_shows_an_internal_id(
    root: Path, site_fixture: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(site_fixture)
    ids = internal_ids(root)
    shown = {}
    for page in reader_pages(site):
        if found := ids_shown(page.read_text(encoding="utf-8"), ids):
            shown[page.relative_to(site).as_posix()] = found
    assert shown == {}


def test_the_readers_navigation_has_no_maintainers_page(real_site: Path) -> None:
    home = (real_site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="md-nav md-nav--primary') : home.index('class="md-content"')]
    assert 'href="claims/index.html"' in nav
    tabs = home[home.index('<nav class="md-tabs"') :]
    tabs = tabs[: tabs.index("</nav>")]
    for part in (nav, tabs):
        assert "maintainers/" not in part
        assert "report.html" not in part
    footer = home[home.index('class="litreview-maintainers') :]
    for page in ("architecture", "schema", "adding-a-kind", "citation-style", "performance"):
        assert (real_site / "maintainers" / f"{page}.html").is_file()
        assert f'href="maintainers/{page}.html"' in footer
    assert 'href="report.html"' in footer
    assert (real_site / "report.html").is_file()


def test_pages_have_open_graph_and_description_meta(real_site: Path) -> None:
    page = (real_site / "claims" / "concl-covid-cases-increased.html").read_text("utf-8")
    assert '<meta property="og:title" content="Trafficking cases' in page
    assert '<meta property="og:description" content="Trafficking cases' in page
    assert '<meta name="description" content="Trafficking cases' in page
