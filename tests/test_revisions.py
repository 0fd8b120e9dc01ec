"""Last-updated dates from git (macros/pages/revisions.py): one git call, any page's source."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from macros.cli.main import build_site
from macros.pages import revisions
from tests.conftest import MINI, copy_project


def git(root: Path, *args: str, date: str = "2024-01-02T10:00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "-C", str(root), *args],
        check=True,
        capture_output=True,
        env=env,
    )


def repository(tmp_path: Path) -> Path:
    """A repository whose review sits in a sub-folder, committed on two dates."""
    top = tmp_path / "repo"
    project = copy_project(MINI, top / "review")
    git(top, "init", "-q")
    git(top, "add", ".")
    git(top, "commit", "-q", "-m", "first", date="2024-01-02T10:00:00")
    event = project / "content/events/dam-opening.yaml"
    event.write_text(event.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git(top, "commit", "-q", "-am", "second", date="2025-03-04T10:00:00")
    return project


def test_one_log_gives_every_file_its_last_date(tmp_path: Path) -> None:
    project = repository(tmp_path)
    dates = revisions.last_changes(project)
    assert dates["content/events/dam-opening.yaml"] == "2025-03-04"
    assert dates["content/papers/alpha.yaml"] == "2024-01-02"
    assert dates["docs/index.md"] == "2024-01-02"
    assert not any(path.startswith("review/") for path in dates)  # relative to the review
    assert revisions.date_of(dates, "content/events") == "2025-03-04"
    assert revisions.date_of(dates, "content/papers/") == "2024-01-02"
    assert revisions.date_of(dates, "content/nothing.yaml") is None


def test_no_repository_or_no_git_means_no_dates_and_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert revisions.last_changes(copy_project(MINI, tmp_path / "plain")) == {}
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert revisions.last_changes(MINI) == {}


def test_a_build_asks_git_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    real = subprocess.run

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0])
        return real(*args, **kwargs)

    project = repository(tmp_path)
    monkeypatch.setattr(subprocess, "run", counting)
    dates = revisions.last_changes(project)
    assert len(calls) == 1
    assert len(dates) > 20


@pytest.mark.build
def test_every_page_shows_its_last_update(tmp_path: Path) -> None:
    project = repository(tmp_path)
    assert build_site(project, project / "site") == 0
    site = project / "site"

    def updated(page: str) -> str:
        html = (site / page).read_text(encoding="utf-8")
        assert 'class="md-source-file"' in html, page
        return html.split('class="md-source-file"', 1)[1].split("</aside>", 1)[0]

    assert "2025-03-04" in updated("events/dam-opening.html")  # from its YAML
    assert "2025-03-04" in updated("events/index.html")  # the folder's newest file
    assert "2024-01-02" in updated("papers/alpha/index.html")
    assert "2024-01-02" in updated("index.html")  # a hand-written page: its docs/ file
    assert "2024-01-02" in updated("references/muller2020rivers.html")  # references.bib
