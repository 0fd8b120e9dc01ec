"""``litreview sitecheck``: every page of a built site opened in headless Chromium from file://.

A page fails when it logs a console error, throws, or asks for anything that is not on disk.
Playwright drives Debian's ``chromium`` (or ``LITREVIEW_CHROMIUM``); it is imported only here,
so the engine runs without it.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

QUIET_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-domain-reliability",
)
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


class SmokeError(Exception):
    """The browser cannot be started; the message says what to install."""


@dataclass
class SmokeReport:
    pages: int = 0
    problems: list[str] = field(default_factory=list)  # "page: what went wrong"


def chromium() -> str | None:
    return (
        os.environ.get("LITREVIEW_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )


def smoke_test(site: Path, *, limit: int | None = None) -> SmokeReport:
    """Open every HTML page of ``site`` (the first ``limit`` in order) and record problems."""
    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415 - optional
    except ImportError:
        raise SmokeError(
            "the browser check needs playwright (pip install playwright; it is in the "
            "review's requirements.txt)"
        ) from None
    executable = chromium()
    if executable is None:
        raise SmokeError("Chromium not found: install Debian's chromium or set LITREVIEW_CHROMIUM")
    # 404.html links from the site's root, for a web server: it cannot work from disk.
    pages = sorted(
        p
        for p in site.rglob("*.html")
        if "assets" not in p.relative_to(site).parts
        and p.relative_to(site).as_posix() != "404.html"
    )
    report = SmokeReport()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=list(QUIET_FLAGS))
        try:
            page = browser.new_page()  # one tab, reused: a fresh tab per page costs more
            problems: list[str] = []

            def request(req: Any) -> None:
                if not str(req.url).startswith(LOCAL_SCHEMES):
                    problems.append(f"network request {req.url}")

            def console(message: Any) -> None:
                if message.type == "error":
                    problems.append(f"console error: {message.text}")

            page.on("request", request)
            page.on("console", console)
            page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
            for path in pages[:limit]:
                report.pages += 1
                page.goto(path.resolve().as_uri(), wait_until="load")
                name = path.relative_to(site).as_posix()
                report.problems += [f"{name}: {p}" for p in problems]
                problems.clear()
        finally:
            browser.close()
    return report
