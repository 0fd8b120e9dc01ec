"""The PRISMA 2020 flow diagram in headless Chromium from file://: no request, no console error,
axe clean, every box reachable with Tab, text at least 12 px at 1400x1000."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.test_browser import Visit, axe_violations

pytestmark = pytest.mark.browser


def open_diagram(browser: Browser, site: Path, *, bypass_csp: bool = False) -> Visit:
    visit = Visit(browser, (site / "screening" / "prisma.html").as_uri(), bypass_csp=bypass_csp)
    visit.page.set_viewport_size({"width": 1400, "height": 1000})
    return visit


@pytest.fixture(
    params=["mini_site", pytest.param("real_site", marks=pytest.mark.review)],
)
def site(request: pytest.FixtureRequest) -> Path:
    return Path(request.getfixturevalue(request.param))


def test_every_box_is_a_link_reachable_by_tab_with_legible_text(
    browser: Browser, site: Path
) -> None:
    visit = open_diagram(browser, site)
    page = visit.page
    boxes = page.locator("svg.lr-prisma a")
    ids = {boxes.nth(i).get_attribute("id") for i in range(boxes.count())}
    assert len(ids) >= 9
    reached: set[str] = set()
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement && document.activeElement.id")
        if focused in ids:
            reached.add(focused)
        if reached == ids:
            break
    assert reached == ids
    smallest = page.evaluate(
        """() => {
        const svg = document.querySelector('svg.lr-prisma');
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return Math.min(...[...svg.querySelectorAll('text')].map(
            t => parseFloat(getComputedStyle(t).fontSize) * scale));
        }"""
    )
    assert smallest >= 12
    labelled = page.evaluate(
        "[...document.querySelectorAll('svg.lr-prisma a')].every("
        "a => a.getAttribute('aria-label') && a.querySelector('title'))"
    )
    assert labelled
    assert visit.requests == []
    assert visit.errors == []
    page.close()


def test_a_box_opens_the_list_of_its_records(browser: Browser, site: Path) -> None:
    visit = open_diagram(browser, site)
    page = visit.page
    label = page.locator("#prisma-screened").get_attribute("aria-label") or ""
    count = int(label.split("(n = ", 1)[1].split(")")[0])
    page.locator("#prisma-screened").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/screening/screened.html")
    assert page.locator(".lr-records table tbody tr").count() == count
    assert visit.requests == []
    assert visit.errors == []
    page.close()


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_the_diagram_page_has_no_serious_accessibility_violations(
    browser: Browser, site: Path, scheme: str
) -> None:
    visit = open_diagram(browser, site, bypass_csp=True)
    visit.page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    visit.page.wait_for_timeout(400)
    assert axe_violations(visit.page) == []
    visit.page.close()


def test_the_prisma2020_csv_downloads_from_file(browser: Browser, site: Path) -> None:
    visit = open_diagram(browser, site)
    page = visit.page
    label = page.locator("#prisma-screened").get_attribute("aria-label") or ""
    with page.expect_download() as download:
        page.get_by_role("link", name="PRISMA2020 CSV template").click()
    assert download.value.suggested_filename == "PRISMA.csv"
    rows = Path(download.value.path()).read_text("utf-8").splitlines()
    assert rows[0] == "data,node,box,boxtext,tooltips,url,n"
    screened = next(r for r in rows if r.startswith("records_screened,"))
    assert screened.rsplit(",", 1)[1] == label.split("(n = ", 1)[1].split(")")[0]
    assert visit.requests == []
    assert visit.errors == []
    page.close()
