"""CONTRIBUTING.md's walk-through, run as written in a copy of the repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from macros.pages.engine import load_review
from tests.conftest import ROOT


def walkthrough_blocks() -> list[str]:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## Walk-through", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, re.DOTALL)


@pytest.mark.review
def test_walkthrough_adds_a_program_a_reference_a_claim_and_a_paper(tmp_path: Path) -> None:
    project = tmp_path / "review"
    shutil.copytree(
        ROOT,
        project,
        ignore=shutil.ignore_patterns(
            ".venv", "site", ".cache", "dist", ".git", ".site-*", "__pycache__", ".*_cache"
        ),
    )
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    blocks = walkthrough_blocks()
    assert len(blocks) == 7
    for block in blocks:
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, f"{block}\n{result.stdout}\n{result.stderr}"
    site = project / "site"
    claim = (site / "claims/prev-iom-x-factsheets.html").read_text(encoding="utf-8")
    assert 'href="../entities/iom-x-factsheets.html"' in claim
    assert 'href="../references/biermann2004assessing.html"' in claim
    program = (site / "entities/iom-x-factsheets.html").read_text(encoding="utf-8")
    assert 'href="iom-x.html"' in program
    reference = (site / "references/biermann2004assessing.html").read_text(encoding="utf-8")
    assert "../claims/prev-iom-x-factsheets.html#fnref:lr-" in reference
    assert "../index.html#fnref:lr-" in reference
    assert (site / "papers/rahmawati2022/index.html").is_file()
    # The claim relation of step 3, on both claims' pages.
    assert "Supports" in claim
    assert 'href="prev-iom-x.html"' in claim
    assert "Supported by" in (site / "claims/prev-iom-x.html").read_text(encoding="utf-8")


def section_blocks(title: str) -> list[str]:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, re.DOTALL)


def test_works_themes_extraction_synthesis_section_runs_in_a_new_review(tmp_path: Path) -> None:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    project = tmp_path / "my-review"
    init = [str(Path(sys.executable).parent / "litreview"), "init", str(project)]
    assert subprocess.run(init, env=env, capture_output=True, check=False).returncode == 0
    blocks = section_blocks("Works, themes, extraction, synthesis")
    assert len(blocks) == 4  # a theme; a work; a field and a value; a synthesis cell
    for block in blocks:
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, f"{block}\n{result.stdout}\n{result.stderr}"
    review = load_review(project)
    kinds = ("works", "themes", "fields", "extraction", "synthesis")
    assert {k: list(review.of(k)) for k in kinds} == {
        "works": ["lee2020ports"],
        "themes": ["waiting"],
        "fields": ["design"],
        "extraction": ["lee2020ports"],
        "synthesis": ["waiting-lee"],
    }
