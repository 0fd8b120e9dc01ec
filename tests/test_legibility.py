"""The diagrams are legible at 100 % zoom: Chromium at 1400x1000 from file://, labels measured
as rendered (font size times the screen transform), overlaps and overflow from their boxes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from macros.cli.smoke import chromium

pytestmark = pytest.mark.browser

CHROMIUM = chromium()
MIN_PX = 12.0

# Every visible <text> of every diagram: its rendered size, and which boxes overlap or overflow.
MEASURE = """() => Array.from(document.querySelectorAll('svg.lr-map, svg.lr-network')).map(svg => {
  const frame = svg.getBoundingClientRect();
  const labels = [];
  for (const text of svg.querySelectorAll('text')) {
    if (text.getClientRects().length === 0) continue;  // not displayed (collapsed, filtered)
    const r = text.getBoundingClientRect();
    if (r.width === 0) continue;
    const m = text.getScreenCTM();
    const size = parseFloat(getComputedStyle(text).fontSize) * Math.hypot(m.a, m.b);
    labels.push({x: r.left, y: r.top, r: r.right, b: r.bottom, size, text: text.textContent});
  }
  const overlaps = [], outside = [];
  labels.forEach((a, i) => {
    if (a.x < frame.left - 0.5 || a.r > frame.right + 0.5 ||
        a.y < frame.top - 0.5 || a.b > frame.bottom + 0.5) outside.push(a.text);
    labels.slice(i + 1).forEach(b => {
      if (a.x < b.r - 0.5 && b.x < a.r - 0.5 && a.y < b.b - 0.5 && b.y < a.b - 0.5)
        overlaps.push([a.text, b.text]);
    });
  });
  return {count: labels.length, min: Math.min(...labels.map(l => l.size)), overlaps, outside};
})"""

# Focus mode: the selected node's neighbours (by its edges) stand out, every other node dims.
FOCUS_STATE = """svg => {
  const selected = svg.querySelector('.lr-selected');
  if (!selected) return null;
  const chosen = selected.getAttribute('data-node');
  const near = new Set([chosen]);
  for (const e of svg.querySelectorAll('[data-from][data-to]')) {
    if (e.getAttribute('data-from') === chosen) near.add(e.getAttribute('data-to'));
    if (e.getAttribute('data-to') === chosen) near.add(e.getAttribute('data-from'));
  }
  const wrong = [];
  let dimmed = 0;
  for (const node of svg.querySelectorAll('[data-node]')) {
    const dim = node.classList.contains('lr-dim');
    if (dim) dimmed++;
    const id = node.getAttribute('data-node');
    if (dim === near.has(id)) wrong.push(id);
  }
  return {dimmed, wrong, near: near.size};
}"""


def open_page(browser: Browser, path: Path) -> tuple[Page, list[str]]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, errors


def measure(page: Page) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = page.evaluate(MEASURE)
    return result


def assert_legible(page: Page) -> None:
    diagrams = measure(page)
    assert diagrams, "no diagram on the page"
    for diagram in diagrams:
        assert diagram["count"] > 0
        assert diagram["min"] >= MIN_PX, diagram
        assert diagram["overlaps"] == []
        assert diagram["outside"] == []


def check_diagram(browser: Browser, path: Path) -> None:
    page, errors = open_page(browser, path)
    assert_legible(page)  # the first view
    svg = page.locator("svg.lr-explore")
    expand = page.get_by_role("button", name="Expand all")
    if expand.count():
        expand.click()
        assert_legible(page)  # every claim shown, wrapped in full
    # The keyboard reaches the nodes: tab from the diagram's toolbar.
    page.get_by_role("button", name="Reset").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('svg [data-node]')"):
            break
    else:
        pytest.fail("Tab never reached a node of the diagram")
    # Enter selects the focused node: focus mode dims exactly the non-neighbours.
    page.keyboard.press("Enter")
    state = svg.evaluate(FOCUS_STATE)
    assert state is not None
    assert state["wrong"] == []
    assert page.url == path.as_uri()  # selecting did not follow the link
    # A click selects another node the same way; Escape clears.
    node = svg.locator("[data-node]:not(.lr-selected)").last
    node.click()
    state = svg.evaluate(FOCUS_STATE)
    assert state is not None
    assert state["wrong"] == []
    page.keyboard.press("Escape")
    assert svg.locator(".lr-dim").count() == 0
    # Zoom and reset: labels grow with the zoom, and come back.
    page.get_by_role("button", name="Zoom in").click()
    assert measure(page)[0]["min"] > MIN_PX * 1.1
    page.get_by_role("button", name="Reset").click()
    assert_legible(page)
    assert errors == []
    page.close()


@pytest.mark.review
@pytest.mark.parametrize("page", ["papers/amalia2021/map.html", "entities/network.html"])
def test_shipped_review_diagrams_are_legible(browser: Browser, real_site: Path, page: str) -> None:
    check_diagram(browser, real_site / page)


@pytest.mark.parametrize("page", ["papers/alpha/map.html", "entities/network.html"])
def test_mini_fixture_diagrams_are_legible(browser: Browser, mini_site: Path, page: str) -> None:
    check_diagram(browser, mini_site / page)


@pytest.mark.review
def test_focus_on_a_source_dims_the_rest_of_the_map(browser: Browser, real_site: Path) -> None:
    page, errors = open_page(browser, real_site / "papers/amalia2021/map.html")
    svg = page.locator("svg.lr-map")
    svg.locator(".lr-group-head").first.click()  # the first group of sources opens
    svg.locator("[data-node^='ref:']").first.click()
    state = svg.evaluate(FOCUS_STATE)
    assert state is not None
    assert state["dimmed"] > 10
    assert state["wrong"] == []
    assert "highlighted" in page.locator(".lr-explore-info").inner_text()
    # A second click on the selected node follows its link.
    svg.locator(".lr-selected").click()
    page.wait_for_load_state("load")
    assert "/references/" in page.url
    assert errors == []
    page.close()


@pytest.mark.review
def test_network_filters_hide_nodes_and_their_edges(browser: Browser, real_site: Path) -> None:
    page, errors = open_page(browser, real_site / "entities/network.html")
    svg = page.locator("svg.lr-network")
    shown = svg.locator("[data-node]:visible").count()
    page.locator(".lr-explore-filters summary").click()
    page.locator("input[data-filter=type]").first.uncheck()
    after = svg.locator("[data-node]:visible").count()
    assert 0 < after < shown
    hidden_edges = svg.locator("line.lr-filtered").count()
    assert hidden_edges > 0
    assert_legible(page)
    assert errors == []
    page.close()


@pytest.mark.review
def test_map_groups_collapse_and_expand_by_keyboard(browser: Browser, real_site: Path) -> None:
    page, errors = open_page(browser, real_site / "papers/amalia2021/map.html")
    heads = page.locator("svg.lr-map .lr-group-head")
    assert heads.count() > 3
    first = heads.first
    assert first.get_attribute("aria-expanded") == "false"  # the first view is an overview
    members = page.locator("svg.lr-map .lr-group").first.locator("[data-node]")
    assert members.count() > 0
    assert page.locator("svg.lr-map .lr-group").first.locator("[data-node]:visible").count() == 0
    first.focus()
    page.keyboard.press("Enter")
    assert first.get_attribute("aria-expanded") == "true"
    visible = page.locator("svg.lr-map .lr-group").first.locator("[data-node]:visible").count()
    assert visible == members.count()
    assert_legible(page)
    page.keyboard.press(" ")
    assert first.get_attribute("aria-expanded") == "false"
    assert_legible(page)
    assert page.locator("svg.lr-map").bounding_box()["height"] <= 1000  # type: ignore[index]
    assert errors == []
    page.close()


@pytest.mark.review
def test_printing_shows_the_whole_map_unzoomed(browser: Browser, real_site: Path) -> None:
    page, errors = open_page(browser, real_site / "papers/amalia2021/map.html")
    svg = page.locator("svg.lr-map")
    page.get_by_role("button", name="Zoom in").click()
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    assert page.locator(".lr-explore-bar").is_hidden()
    assert svg.locator(".lr-collapsed").count() == 0
    assert svg.locator("[data-node]:visible").count() == svg.locator("[data-node]").count()
    width, height = (svg.get_attribute(name) for name in ("width", "height"))
    assert svg.get_attribute("viewBox") == f"0 0 {width} {height}"
    page.emulate_media(media="screen")
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert svg.locator(".lr-collapsed").count() > 0  # the reader's view comes back
    assert errors == []
    page.close()
