"""A theme page's works from file:// in headless Chromium: sorted by year and by title,
filtered by text (litreview-table.js), with no network request and no console error."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from macros.cli.main import build_site
from tests.conftest import MINI, copy_project
from tests.test_browser import Visit

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def themed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini review with three more works tagged into its Rivers theme."""
    project = copy_project(MINI, tmp_path_factory.mktemp("themed") / "project")
    bib = project / "references.bib"
    extra = [
        ("delta2019", "Deltas", 2019),
        ("alder2023", "Alders", 2023),
        ("basin2001", "Basins", 2001),
    ]
    bib.write_text(
        bib.read_text("utf-8")
        + "".join(
            f"\n@article{{{key}, author = {{Writer, {title[0]}}}, title = {{{title}}}, "
            f"journal = {{J}}, year = {{{year}}}, keywords = {{Rivers}}}}\n"
            for key, title, year in extra
        ),
        encoding="utf-8",
    )
    assert build_site(project, project / "site") == 0
    return project / "site"


def keys(visit: Visit) -> list[str]:
    rows = visit.page.locator(".lr-theme-works tbody tr:not([hidden])")
    return [rows.nth(i).get_attribute("data-key") or "" for i in range(rows.count())]


def test_theme_works_sort_by_year_and_title_and_filter_by_text(
    browser: Browser, themed_site: Path
) -> None:
    visit = Visit(browser, (themed_site / "themes/rivers.html").as_uri())
    page = visit.page
    page.locator(".lr-theme-works form").wait_for(state="visible", timeout=10_000)
    assert keys(visit) == ["basin2001", "delta2019", "muller2020rivers", "alder2023"]
    year = page.locator(".lr-theme-works thead th", has_text="Year").locator("button")
    year.click()
    year.click()  # newest first
    assert keys(visit) == ["alder2023", "muller2020rivers", "delta2019", "basin2001"]
    page.locator(".lr-theme-works thead th", has_text="Title").locator("button").click()
    assert keys(visit) == ["alder2023", "basin2001", "delta2019", "muller2020rivers"]
    page.fill(".lr-theme-works input[data-filter=text]", "delta")
    assert keys(visit) == ["delta2019"]
    assert page.locator(".lr-theme-works .lr-table-count").inner_text() == "1 of 4 works shown"
    page.fill(".lr-theme-works input[data-filter=text]", "")
    assert visit.requests == []
    assert visit.errors == []
    page.close()


def test_the_changelog_and_claim_relations_load_from_file(
    browser: Browser, themed_site: Path
) -> None:
    for name in ("changelog.html", "claims/roads-follow-rivers.html"):
        visit = Visit(browser, (themed_site / name).as_uri())
        assert visit.page.locator("h1").count() == 1
        if name.startswith("claims"):
            assert "Contradicted by" in visit.page.locator("article").inner_text()
        assert visit.requests == []
        assert visit.errors == []
        visit.page.close()
