"""The built site in headless Chromium, opened from file:// with no network at all."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from macros.cli.devserver import DevServer
from macros.cli.packaging import write_zip
from macros.cli.smoke import QUIET_FLAGS, chromium
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = chromium()
# Flags that keep Chromium from phoning home on a machine without network.
QUIET = list(QUIET_FLAGS)


class Visit:
    """A page opened from disk, recording every non-file request and console error."""

    def __init__(self, browser: Browser, url: str, *, bypass_csp: bool = False) -> None:
        self.page: Page = browser.new_page(bypass_csp=bypass_csp)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", self._request)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url)
        self.page.wait_for_load_state("load")

    def _request(self, request: object) -> None:
        url = getattr(request, "url", "")
        if not url.startswith(("file:", "data:", "blob:", "about:")):
            self.requests.append(url)


PAGE_TYPES = [
    "index.html",
    "papers/index.html",
    "papers/amalia2021/index.html",
    "papers/amalia2021/notes.html",
    "papers/amalia2021/source-map.html",
    "papers/amalia2021/reference-list.html",
    "claims/index.html",
    "audit/index.html",
    "entities/index.html",
    "references/index.html",
    "references/iomid-risiko.html",
    "papers/amalia2021/argument.html",
    "papers/amalia2021/matrix.html",
    "papers/amalia2021/evidence.html",
    "papers/amalia2021/map.html",
    "papers/amalia2021/dimension-impact.html",
    "papers/amalia2021/framework-io-effectiveness.html",
    "claims/verdict-overall.html",
    "audit/ibid-undp-threats.html",
    "entities/iom.html",
    "report.html",
    "entities/network.html",
    "events/index.html",
    "statistics/index.html",
    "appraisal/included-works.html",
    "gap-map/responses-by-country.html",
    "screening/prisma.html",
    "searches/index.html",
    "works/index.html",
    "works/recent.html",
    "works/andrevski2014experiences.html",
    "themes/iom-victim-data.html",
    "extraction/index.html",
    "synthesis/index.html",
    "changelog.html",
    "glossary.html",
    "tags.html",
]


@pytest.mark.parametrize("page", PAGE_TYPES)
def test_page_loads_offline_without_errors(browser: Browser, real_site: Path, page: str) -> None:
    visit = Visit(browser, (real_site / page).as_uri())
    visit.page.wait_for_timeout(300)
    assert visit.requests == []
    assert visit.errors == []
    assert visit.page.locator("h1").count() >= 1
    visit.page.close()


def test_search_works_from_file(browser: Browser, real_site: Path) -> None:
    # PMPMI: an abbreviation that only program and claim pages deep in the site carry.
    visit = Visit(browser, (real_site / "index.html").as_uri())
    visit.page.locator("input.md-search__input").click()
    visit.page.keyboard.type("PMPMI")
    # The page named for it (the ranking of the other hits shifts with the site's text).
    result = visit.page.locator('.md-search-result__item a[href*="pmpmi.html"]').first
    result.wait_for(timeout=10_000)
    result.click()
    visit.page.wait_for_load_state("load")
    assert (
        visit.page.url.startswith((real_site / "entities").as_uri()) or "/claims/" in visit.page.url
    )
    assert "PMPMI" in visit.page.locator("article").inner_text()
    assert visit.requests == []
    visit.page.close()


def test_bibliography_filters_hide_entries(browser: Browser, real_site: Path) -> None:
    visit = Visit(browser, (real_site / "references/index.html").as_uri())
    entries = visit.page.locator(".lr-bib-entry")
    total = entries.count()
    assert total == (ROOT / "references.bib").read_text(encoding="utf-8").count("\n@")
    visit.page.select_option("select[data-facet=source]", "academic")
    visible = visit.page.locator(".lr-bib-entry:not([hidden])").count()
    assert 0 < visible < total
    assert visit.page.locator(".lr-filter-count").inner_text() == f"{visible} of {total} shown"
    visit.page.close()


def test_an_entry_downloads_its_bibtex_from_file(browser: Browser, real_site: Path) -> None:
    visit = Visit(browser, (real_site / "references/iomid-risiko.html").as_uri())
    visit.page.context.set_default_timeout(10_000)
    with visit.page.expect_download() as download:
        visit.page.get_by_role("link", name="BibTeX").click()
    assert download.value.suggested_filename == "iomid-risiko.bib"
    text = Path(download.value.path()).read_text("utf-8")
    assert text.startswith("@")
    assert "iomid-risiko," in text
    assert visit.requests == []
    assert visit.errors == []
    visit.page.close()


def test_footnote_tooltip_shows_the_formatted_note(browser: Browser, real_site: Path) -> None:
    visit = Visit(browser, (real_site / "index.html").as_uri())
    visit.page.locator("a.footnote-ref").first.hover()
    tooltip = visit.page.locator(".md-tooltip2, .md-tooltip").first
    tooltip.wait_for(state="visible", timeout=5_000)
    assert "Risiko" in tooltip.inner_text()
    visit.page.close()


def test_a_cdn_script_would_be_caught(browser: Browser, tmp_path: Path) -> None:
    page = tmp_path / "cdn.html"
    page.write_text(
        '<!doctype html><title>t</title><script src="https://cdn.example.org/x.js">'
        "</script><h1>t</h1>",
        encoding="utf-8",
    )
    visit = Visit(browser, page.as_uri())
    assert visit.requests == ["https://cdn.example.org/x.js"]
    visit.page.close()


def test_argument_map_is_svg_and_its_nodes_link(browser: Browser, real_site: Path) -> None:
    visit = Visit(browser, (real_site / "papers/amalia2021/map.html").as_uri())
    svg = visit.page.locator("svg.lr-map")
    assert svg.get_attribute("role") == "group"  # a group of links, named by its title
    assert svg.locator("title").first.inner_html() == "Argument map"
    box = svg.bounding_box()
    assert box is not None
    assert box["height"] > 500
    node = visit.page.locator('svg.lr-map a[href$="verdict-overall.html"]')
    node.click()  # the first click selects the node (focus mode), the second follows its link
    node.click()
    visit.page.wait_for_load_state("load")
    assert visit.page.url.endswith("/claims/verdict-overall.html")
    assert visit.requests == []
    assert visit.errors == []
    visit.page.close()


def test_verdict_matrix_shows_gaps_and_links(browser: Browser, real_site: Path) -> None:
    visit = Visit(browser, (real_site / "papers/amalia2021/matrix.html").as_uri())
    table = visit.page.locator("article table").first
    assert "gap" in table.inner_text()
    table.locator('a[href$="dimension-impact.html"]').first.click()
    visit.page.wait_for_load_state("load")
    assert visit.page.locator("h1").inner_text().startswith("Impact")
    visit.page.close()


AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def axe_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
    )
    return list(result)


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("page", PAGE_TYPES)
def test_no_serious_accessibility_violations(
    browser: Browser, real_site: Path, page: str, scheme: str
) -> None:
    # axe is injected as an inline script, which the site's policy (rightly) refuses.
    visit = Visit(browser, (real_site / page).as_uri(), bypass_csp=True)
    visit.page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    visit.page.wait_for_timeout(400)  # Material animates colour changes
    assert axe_violations(visit.page) == []
    visit.page.close()


def test_unzipped_bundle_works_offline(browser: Browser, real_site: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.zip"
    write_zip(real_site, bundle, "review")
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(tmp_path / "unpacked")
    root = tmp_path / "unpacked" / "review"
    for page in ("index.html", "papers/amalia2021/map.html", "references/index.html"):
        visit = Visit(browser, (root / page).as_uri())
        visit.page.wait_for_timeout(200)
        assert visit.requests == []
        assert visit.errors == []
        visit.page.close()
    visit = Visit(browser, (root / "index.html").as_uri())
    visit.page.locator("input.md-search__input").click()
    visit.page.keyboard.type("Puspayoga")
    visit.page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    visit.page.close()


def test_content_security_policy_blocks_injected_scripts(
    browser: Browser, real_site: Path, tmp_path: Path
) -> None:
    page = real_site / "claims" / "verdict-overall.html"
    hostile = tmp_path / "site" / "claims" / "hostile.html"
    shutil.copytree(real_site, tmp_path / "site")
    html = page.read_text(encoding="utf-8").replace(
        "</article>",
        '<script>window.injected = 1</script><img src=x onerror="window.injected = 2">'
        '<script src="https://cdn.example.org/x.js"></script></article>',
    )
    hostile.write_text(html, encoding="utf-8")
    visit = Visit(browser, hostile.as_uri())
    visit.page.wait_for_timeout(300)
    assert visit.page.evaluate("window.injected") is None
    assert any("Content Security Policy" in error for error in visit.errors)
    assert any("cdn.example.org" in error for error in visit.errors)  # refused by the policy
    visit.page.close()


def test_network_diagram_is_svg_and_its_nodes_link(browser: Browser, real_site: Path) -> None:
    visit = Visit(browser, (real_site / "entities/network.html").as_uri())
    svg = visit.page.locator("svg.lr-network")
    assert svg.locator("a").count() > 10
    svg.locator('a[href$="iom.html"]').first.click()  # selects (focus mode) ...
    svg.locator('a[href$="iom.html"]').first.click()  # ... and follows the link
    visit.page.wait_for_load_state("load")
    assert visit.page.url.endswith("/entities/iom.html")
    assert visit.errors == []
    visit.page.close()


def test_abbreviations_show_their_expansion(browser: Browser, real_site: Path) -> None:
    visit = Visit(browser, (real_site / "index.html").as_uri())
    abbr = visit.page.locator('article abbr[title="International Organization for Migration"]')
    assert abbr.count() >= 1
    abbr.first.hover()
    tooltip = visit.page.locator(".md-tooltip2, .md-tooltip").first
    tooltip.wait_for(state="visible", timeout=5_000)
    assert "International Organization for Migration" in tooltip.inner_text()
    visit.page.close()


def test_programs_filter_by_category_and_year(browser: Browser, real_site: Path) -> None:
    visit = Visit(browser, (real_site / "entities/index.html").as_uri())
    total = visit.page.locator(".lr-entity").count()
    visit.page.select_option("select[data-facet=kind]", "program")
    programs = visit.page.locator(".lr-entity:not([hidden])").count()
    visit.page.select_option("select[data-facet=category]", "protection")
    protection = visit.page.locator(".lr-entity:not([hidden])")
    assert 0 < protection.count() <= programs < total
    for i in range(protection.count()):
        assert "protection" in (protection.nth(i).get_attribute("data-category") or "")
    visit.page.close()


def test_live_preview_shows_a_build_error_in_the_page_and_recovers(
    browser: Browser, mini_project: Path
) -> None:
    server = DevServer(mini_project, port=0, report=lambda _result: None)
    server.start()
    try:
        visit = Visit(browser, server.url)
        source = mini_project / "content/entities/river-program.yaml"
        good = source.read_text(encoding="utf-8")
        source.write_text(good + "colour: red\n", encoding="utf-8")
        banner = visit.page.locator("#lr-build-error")
        banner.wait_for(state="visible", timeout=30_000)
        assert "river-program.yaml:7: unknown key 'colour'" in banner.inner_text()
        source.write_text(good, encoding="utf-8")
        banner.wait_for(state="detached", timeout=30_000)
        assert visit.errors == []
        visit.page.close()
    finally:
        server.stop()
