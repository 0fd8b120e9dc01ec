"""Shared fixtures: the repository root, the small two-paper fixture project, built sites."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from macros.cli.main import build_site

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


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
