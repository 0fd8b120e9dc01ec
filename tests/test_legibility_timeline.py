"""The timeline in Chromium at 1400x1000 from file://: legible, keyboard-reachable, accessible.

For the shipped review and the mini fixture: every label of the picture renders at 12 px or
more, no two labels overlap, none falls outside the picture, every event is reached with Tab,
no console error, and axe finds nothing serious.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
MEASURE = """() => {
  const svg = document.querySelector('svg.lr-timeline');
  if (!svg) return null;
  const box = svg.getBoundingClientRect();
  const labels = [...svg.querySelectorAll('text')].map(t => {
    const r = t.getBoundingClientRect();
    const size = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
    return {text: t.textContent, size, l: r.left, r: r.right, t: r.top, b: r.bottom};
  });
  const nodes = [...svg.querySelectorAll('a[data-node]')].map(a => a.dataset.node);
  return {labels, nodes, box: {l: box.left, r: box.right, t: box.top, b: box.bottom}};
}"""


def open_timeline(browser: Browser, site: Path, errors: list[str], *, axe: bool = False) -> Page:
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, bypass_csp=axe)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((site / "events" / "index.html").as_uri())
    page.wait_for_load_state("load")
    return page


def overlapping(labels: list[dict[str, Any]]) -> list[tuple[str, str]]:
    pairs = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            across = a["l"] < b["r"] - 0.5 and b["l"] < a["r"] - 0.5
            if across and a["t"] < b["b"] - 0.5 and b["t"] < a["b"] - 0.5:
                pairs.append((a["text"], b["text"]))
    return pairs


def check_legible(browser: Browser, site: Path) -> dict[str, Any]:
    errors: list[str] = []
    page = open_timeline(browser, site, errors)
    measured: dict[str, Any] | None = page.evaluate(MEASURE)
    assert measured is not None, "no timeline picture"
    labels, box = measured["labels"], measured["box"]
    assert len(labels) > len(measured["nodes"]) >= 1
    small = [(label["text"], round(label["size"], 1)) for label in labels if label["size"] < 12]
    assert small == []
    assert overlapping(labels) == []
    outside = [
        label["text"]
        for label in labels
        if label["l"] < box["l"] - 0.5
        or label["r"] > box["r"] + 0.5
        or label["t"] < box["t"] - 0.5
        or label["b"] > box["b"] + 0.5
    ]
    assert outside == []
    # Every event is reached with the keyboard, in date order.
    reached: list[str] = []
    for _ in range(600):
        page.keyboard.press("Tab")
        node = page.evaluate("() => document.activeElement.getAttribute('data-node')")
        if node is not None and node not in reached:
            reached.append(node)
        if len(reached) == len(measured["nodes"]):
            break
    assert reached == measured["nodes"]
    label = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert label
    assert ":" in label
    assert errors == []
    page.close()
    return measured


def check_axe(browser: Browser, site: Path) -> None:
    for scheme in ("default", "slate"):
        errors: list[str] = []
        page = open_timeline(browser, site, errors, axe=True)  # axe is injected as inline script
        page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
        page.wait_for_timeout(400)  # Material animates colour changes
        assert axe_violations(page) == [], scheme
        page.close()


def axe_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
    )
    return list(found)


def test_mini_theme_histogram_is_legible(browser: Browser, mini_site: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto((mini_site / "themes" / "rivers.html").as_uri())
    labels = page.evaluate(
        """() => [...document.querySelectorAll('svg.lr-histogram text')].map(t => {
          const r = t.getBoundingClientRect();
          return {text: t.textContent, l: r.left, r: r.right, t: r.top, b: r.bottom,
                  size: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a};
        })"""
    )
    assert labels
    assert min(label["size"] for label in labels) >= 12
    assert overlapping(labels) == []
    page.close()


def test_mini_timeline_is_legible(browser: Browser, mini_site: Path) -> None:
    check_legible(browser, mini_site)


def test_mini_timeline_has_no_serious_axe_violation(browser: Browser, mini_site: Path) -> None:
    check_axe(browser, mini_site)


@pytest.mark.review
def test_shipped_timeline_is_legible(browser: Browser, real_site: Path) -> None:
    measured = check_legible(browser, real_site)
    assert len(measured["nodes"]) >= 20


@pytest.mark.review
def test_shipped_timeline_has_no_serious_axe_violation(browser: Browser, real_site: Path) -> None:
    check_axe(browser, real_site)
