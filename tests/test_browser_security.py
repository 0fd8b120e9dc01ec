"""In Chromium: no script from content runs, and the policy stops one even where escaping failed.

Every payload of ``test_security_escaping`` sets ``window.__pwned`` or ``document.title`` or
opens a dialog; every page of the hostile site is opened with its policy and without it (so
that escaping alone is tested too).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog

from macros.cli.main import build_site
from tests.conftest import MINI, copy_project
from tests.test_browser import Visit
from tests.test_security_escaping import INJECTED, hostile_everywhere

pytestmark = pytest.mark.browser

WATCH = (
    "window.__violations = [];"
    "document.addEventListener('securitypolicyviolation',"
    " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project, _ = hostile_everywhere(tmp_path_factory.mktemp("hostile") / "project")
    assert build_site(project, project / "site") == 0
    return project / "site"


def ran(browser: Browser, url: str, *, bypass_csp: bool) -> tuple[object, str, list[str]]:
    """``window.__pwned``, the title and any dialog, once the page has loaded."""
    page = browser.new_page(bypass_csp=bypass_csp)
    dialogs: list[str] = []

    def dialog(d: Dialog) -> None:
        dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(100)  # a broken image's onerror
    result = page.evaluate("window.__pwned"), page.title(), dialogs
    page.close()
    return result


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-policy", "escaping-alone"])
def test_no_injected_script_runs_in_any_page(
    browser: Browser,
    hostile_site: Path,
    bypass_csp: bool,
) -> None:
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 30
    tab = browser.new_page(bypass_csp=bypass_csp)
    dialogs: list[str] = []

    def dialog(d: Dialog) -> None:
        dialogs.append(d.message)
        d.dismiss()

    tab.on("dialog", dialog)
    ran_in = {}
    for path in pages:
        tab.goto(path.as_uri())
        tab.wait_for_load_state("load")
        tab.wait_for_timeout(50)  # a broken image's onerror
        pwned, title = tab.evaluate("[window.__pwned, document.title]")
        if pwned is not None or title == "pwned" or dialogs:
            ran_in[path.relative_to(hostile_site).as_posix()] = (pwned, title, list(dialogs))
            dialogs.clear()
    tab.close()
    assert ran_in == {}


@pytest.fixture(scope="module")
def script_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built site where escaping failed: a raw inline script the build saw in a page, and one
    written into the 404 page afterwards."""
    project = copy_project(MINI, tmp_path_factory.mktemp("script") / "project")
    index = project / "docs" / "index.md"
    index.write_text(index.read_text("utf-8") + f"\n<script>{INJECTED}</script>\n", "utf-8")
    assert build_site(project, project / "site") == 0
    missing = project / "site" / "404.html"
    missing.write_text(
        missing.read_text("utf-8").replace("</article>", f"<script>{INJECTED}</script></article>"),
        "utf-8",
    )
    return project / "site"


@pytest.mark.parametrize("page", ["index.html", "404.html"])
def test_the_policy_blocks_a_script_that_escaping_let_through(
    browser: Browser,
    script_site: Path,
    page: str,
) -> None:
    assert INJECTED in (script_site / page).read_text(encoding="utf-8")
    assert ran(browser, (script_site / page).as_uri(), bypass_csp=True)[0] is not None  # it would
    visit_page = browser.new_page()
    visit_page.add_init_script(WATCH)
    visit_page.goto((script_site / page).as_uri())
    visit_page.wait_for_load_state("load")
    visit_page.wait_for_timeout(100)
    assert visit_page.evaluate("window.__pwned") is None
    violations = visit_page.evaluate("window.__violations")
    assert any(v.startswith("script-src") for v in violations), violations
    visit_page.close()


def test_the_theme_still_runs_and_search_works_from_file(
    browser: Browser,
    script_site: Path,
) -> None:
    visit = Visit(browser, (script_site / "index.html").as_uri())
    visit.page.locator("input.md-search__input").click()
    visit.page.keyboard.type("rivers")
    visit.page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    # The only error is the injected script, refused; the theme's own scripts all ran.
    assert len(visit.errors) == 1, visit.errors
    assert "inline script violates the following Content Security Policy" in visit.errors[0]
    assert visit.requests == []
    visit.page.close()
