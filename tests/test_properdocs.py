"""A second builder: ProperDocs (the continuation of MkDocs 1.x) builds the mini fixture.

MkDocs stays the default builder (``litreview build``); this test keeps the move to ProperDocs a
tested option: same config file, same plugins (Material, mkdocs-macros, litreview), same pages.
See "A second builder" in docs/maintainers/architecture.md.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MINI, copy_project

pytestmark = pytest.mark.build

TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)


def pages(site: Path) -> dict[str, str]:
    """Every HTML page of a site with its <title>."""
    found = {}
    for path in sorted(site.rglob("*.html")):
        match = TITLE.search(path.read_text(encoding="utf-8"))
        found[path.relative_to(site).as_posix()] = match.group(1).strip() if match else ""
    return found


@pytest.mark.skipif(
    importlib.util.find_spec("properdocs") is None,
    reason="properdocs is not installed (it is a dev dependency: make site installs it)",
)
def test_properdocs_builds_the_mini_fixture_with_the_same_pages(
    tmp_path: Path, mini_site: Path
) -> None:
    project = copy_project(MINI, tmp_path / "mini")
    target = tmp_path / "site-properdocs"
    result = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "-f", "mkdocs.yml", "-d", str(target)],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert "litreview:" in result.stderr  # our plugin ran, found by its mkdocs.plugins entry point
    built, expected = pages(target), pages(mini_site)
    assert sorted(built) == sorted(expected)
    assert built == expected
    paper = (target / "papers" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert 'name="citation_title"' in paper  # the engine's theme override is used too
