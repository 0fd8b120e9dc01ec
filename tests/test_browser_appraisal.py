"""Appraisal plots and evidence gap maps in headless Chromium, from file://: no console error,
no request, axe clean, every mark reached by Tab, labels at least 12 px at 1400 x 1000."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from macros.cli.main import build_site
from tests.conftest import copy_project
from tests.test_browser import Visit, axe_violations

pytestmark = pytest.mark.browser

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "cv-in-logistics"
PAGES = [
    ("mini", "appraisal/quality.html"),
    ("mini", "gap-map/design-by-theme.html"),
    ("cv", "gap-map/applications-by-approach.html"),
]


@pytest.fixture(scope="module")
def cv_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(EXAMPLE, tmp_path_factory.mktemp("cv") / "project")
    assert build_site(project, project / "site") == 0
    return project / "site"


@pytest.fixture(scope="module")
def sites(mini_site: Path, cv_site: Path) -> dict[str, Path]:
    return {"mini": mini_site, "cv": cv_site}


def _tab_reaches_every_mark(page: Page) -> tuple[int, set[int]]:
    total = page.evaluate(
        "() => { const marks = [...document.querySelectorAll('svg a')];"
        " marks.forEach((a, i) => a.setAttribute('data-lr-mark', i)); return marks.length; }"
    )
    focusable = page.evaluate("() => document.querySelectorAll('a[href], button, input').length")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    reached: set[int] = set()
    for _ in range(focusable + 20):
        page.keyboard.press("Tab")
        mark = page.evaluate(
            "() => document.activeElement && document.activeElement.getAttribute('data-lr-mark')"
        )
        if mark is not None:
            reached.add(int(mark))
        if len(reached) == total:
            break
    return total, reached


def _smallest_label(page: Page) -> float:
    """The smallest SVG text as drawn (its font size times the SVG's scale), in CSS px."""
    return float(
        page.evaluate(
            "() => Math.min(...[...document.querySelectorAll('svg.lr-traffic text,"
            " svg.lr-summary-bars text, svg.lr-gapmap text')].map(t => {"
            " const svg = t.ownerSVGElement;"
            " const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;"
            " return parseFloat(getComputedStyle(t).fontSize) * scale; }))"
        )
    )


@pytest.mark.parametrize(("which", "page"), PAGES)
def test_plots_work_offline_and_by_keyboard(
    browser: Browser,
    sites: dict[str, Path],
    which: str,
    page: str,
) -> None:
    visit = Visit(browser, (sites[which] / page).as_uri())
    visit.page.set_viewport_size({"width": 1400, "height": 1000})
    assert visit.errors == []
    assert visit.requests == []
    total, reached = _tab_reaches_every_mark(visit.page)
    assert total > 0
    assert reached == set(range(total))
    assert _smallest_label(visit.page) >= 12
    labels = visit.page.evaluate(
        "() => [...document.querySelectorAll('svg a')].map(a => [a.getAttribute('aria-label'),"
        " a.querySelector('title') && a.querySelector('title').textContent])"
    )
    assert all(label and label == title for label, title in labels)
    visit.page.close()


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize(("which", "page"), PAGES)
def test_plots_have_no_serious_accessibility_violations(
    browser: Browser,
    sites: dict[str, Path],
    which: str,
    page: str,
    scheme: str,
) -> None:
    visit = Visit(browser, (sites[which] / page).as_uri(), bypass_csp=True)
    visit.page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    visit.page.wait_for_timeout(400)
    assert axe_violations(visit.page) == []
    visit.page.close()


def test_a_mark_leads_to_its_judgement_and_quote(
    browser: Browser,
    mini_site: Path,
) -> None:
    visit = Visit(browser, (mini_site / "appraisal/quality.html").as_uri())
    visit.page.locator('svg.lr-traffic a[href="#w-muller2020rivers-aims"]').click()
    assert visit.page.evaluate("() => location.hash") == "#w-muller2020rivers-aims"
    target = visit.page.locator("#w-muller2020rivers-aims + dd")
    assert "We follow one river & its roads." in target.inner_text()
    visit.page.close()
