"""Shared fixtures: the repository root, the small two-paper fixture project, built sites."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from macros.cli.main import build_site

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"

# --- markers: unit (the default), golden, build, browser ------------------------------------
# ``make test-fast`` runs ``-m "not build and not browser"``. A test is ``build`` if it builds a
# site with MkDocs (or installs the package): by its file, by a fixture that builds, or by its
# own ``@pytest.mark.build``.
CATEGORIES = ("unit", "golden", "build", "browser")
FILE_CATEGORY = {
    "test_browser.py": "browser",
    "test_render_golden.py": "golden",
    "test_fidelity.py": "golden",
    "test_build.py": "build",
    "test_serve.py": "build",
    "test_site.py": "build",
    "test_pagecache.py": "build",
    "test_preview.py": "build",
    "test_contributing.py": "build",
    "test_wheel.py": "build",
    "test_properdocs.py": "build",
    "test_security_escaping.py": "build",
    "test_browser_security.py": "browser",
    "test_browser_appraisal.py": "browser",
}
BUILDING_FIXTURES = frozenset({"mini_site", "real_site", "hostile_site", "property_project"})
# ``review``: the test asserts the shipped review's content (its paper, pages, quotations), so it
# fails on a review made by ``litreview init``. Whole files here, single tests by their own mark;
# in test_browser.py, every test over the repository's own site.
REVIEW_FILES = frozenset({"test_fidelity.py"})
REVIEW_FIXTURE_FILES = {"test_browser.py": "real_site"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.path.name in REVIEW_FILES or REVIEW_FIXTURE_FILES.get(item.path.name) in fixtures:
            item.add_marker(pytest.mark.review)
        if any(item.get_closest_marker(name) for name in CATEGORIES):
            continue
        category = FILE_CATEGORY.get(item.path.name, "unit")
        if category == "unit" and BUILDING_FIXTURES & set(getattr(item, "fixturenames", ())):
            category = "build"
        item.add_marker(getattr(pytest.mark, category))


def copy_project(source: Path, destination: Path) -> Path:
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns(".cache", "site", ".site-*"))
    return destination


@pytest.fixture
def mini_project(tmp_path: Path) -> Path:
    """A writable copy of the two-paper fixture project."""
    return copy_project(MINI, tmp_path / "mini")


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(MINI, tmp_path_factory.mktemp("mini") / "project")
    assert build_site(project, project / "site") == 0
    return project / "site"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own site, built once per test session into a temporary folder."""
    target = tmp_path_factory.mktemp("real") / "site"
    assert build_site(ROOT, target) == 0
    return target


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """The system Chromium (Debian's package), quiet and offline, launched once per session."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - browser tests only

    from macros.cli.smoke import QUIET_FLAGS, chromium  # noqa: PLC0415

    executable = chromium()
    if executable is None:
        pytest.fail("Chromium not found: install Debian's chromium package (see .ci/run)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=list(QUIET_FLAGS))
        yield launched
        launched.close()
