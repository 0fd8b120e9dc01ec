"""The living-review apparatus: the coverage date (``coverage:`` of the litreview plugin in
mkdocs.yml) and the changelog computed from git between tagged versions."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from macros.cli.main import build_site, main
from macros.content.settings import load_settings
from macros.pages.changelog import Diff, history
from macros.pages.checks import check_project
from macros.pages.engine import render_site

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), *args],
        check=True,
        capture_output=True,
        env={**os.environ, **GIT_ENV},
    )


def commit(root: Path, message: str, tag: str | None = None) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    if tag:
        git(root, "tag", tag)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def changelog(project: Path) -> str:
    review = check_project(load_settings(project)).review
    return render_site(review, {}).pages["changelog.md"].markdown


@pytest.fixture
def versioned(mini_project: Path) -> Path:
    """The mini review in git: v1, then v2 (a tagged entry added, a work changed), then an
    untagged commit that changes one work's summary."""
    git(mini_project, "init", "-q", "-b", "main")
    commit(mini_project, "first", tag="v1")
    bib = mini_project / "references.bib"
    bib.write_text(
        bib.read_text("utf-8")
        + "\n@article{lake2023, author = {Lake, Lee}, title = {Lakes}, year = {2023},"
        " keywords = {Water > Lakes}}\n",
        encoding="utf-8",
    )
    edit(mini_project / "content/works/agency2021report.yaml", "2024-05-10", "2024-05-11")
    commit(mini_project, "second", tag="v2")
    edit(mini_project / "content/works/muller2020rivers.yaml", "in the valley", "in the vale")
    commit(mini_project, "third")
    return mini_project


def test_history_between_tags_and_since_the_last(versioned: Path) -> None:
    found = history(versioned)
    assert found.problem == ""
    assert [(s.ref, s.since) for s in found.steps] == [("HEAD", "v2"), ("v2", "v1"), ("v1", None)]
    head, second, first = found.steps
    assert head.works == Diff(changed=["muller2020rivers"])
    assert not head.themes
    assert second.works == Diff(added=["lake2023"], changed=["agency2021report"])
    assert second.themes == Diff(added=["water", "water--lakes"])
    assert first.works == Diff(added=["agency2021report", "muller2020rivers"])
    assert first.themes == Diff(added=["rivers", "roads"])


def test_removed_works_and_themes_and_no_untagged_step(versioned: Path) -> None:
    (versioned / "content/works/muller2020rivers.yaml").unlink()
    edit(versioned / "content/works/agency2021report.yaml", "themes: [{id: roads}]\n", "")
    (versioned / "content/themes/roads.yaml").unlink()
    commit(versioned, "fourth", tag="v3")
    steps = history(versioned).steps
    assert steps[0].ref == "v3"  # HEAD is v3: no "not yet tagged" step
    assert steps[0].works == Diff(removed=["muller2020rivers"], changed=["agency2021report"])
    assert steps[0].themes == Diff(removed=["roads"])


def test_the_changelog_page(versioned: Path) -> None:
    page = changelog(versioned)
    assert page.index("## Not yet tagged") < page.index("## v2") < page.index("## v1")
    assert "Since v2." in page
    assert "- Works added (1): [lake2023](works/lake2023.md)" in page
    assert "- Themes added (2): [Water](themes/water.md), [Lakes](themes/water--lakes.md)" in page
    assert "The first tagged version." in page
    assert changelog(versioned) == page  # deterministic


def test_no_git_or_no_tags_says_so(mini_project: Path) -> None:
    assert "is not kept in git" in changelog(mini_project)
    git(mini_project, "init", "-q")
    commit(mini_project, "first")
    assert "No version of this review is tagged yet" in changelog(mini_project)
    inner = mini_project / "inner"
    inner.mkdir()
    assert history(inner).problem == "This review is not at the top of its git repository."


def test_the_coverage_date_is_shown_on_the_works_pages(mini_project: Path) -> None:
    config = mini_project / "mkdocs.yml"
    edit(config, "  - litreview\n", "  - litreview: {coverage: 2026-11-28}\n")
    pages = render_site(check_project(load_settings(mini_project)).review, {}).pages
    assert "Literature covered up to 2026-11-28." in pages["works/index.md"].markdown
    recent = pages["works/recent.md"].markdown
    assert "Literature covered up to 2026-11-28." in recent
    assert "Coverage: works added up to" not in recent  # one coverage, the one set
    assert "Literature covered up to 2026-11-28." in pages["changelog.md"].markdown


def test_a_coverage_that_is_no_date_is_an_error(mini_project: Path) -> None:
    config = mini_project / "mkdocs.yml"
    edit(config, "  - litreview\n", "  - litreview: {coverage: last year}\n")
    result = CliRunner().invoke(main, ["--root", str(mini_project), "check"])
    assert result.exit_code == 1
    assert result.output.strip() == (
        "mkdocs.yml:1: plugins.litreview.coverage: expected a date YYYY-MM-DD, got 'last year'."
    )


@pytest.mark.build
def test_the_built_site_has_the_changelog_and_the_coverage(versioned: Path) -> None:
    edit(versioned / "mkdocs.yml", "  - litreview\n", "  - litreview: {coverage: 2026-11-28}\n")
    assert build_site(versioned, versioned / "site") == 0
    page = (versioned / "site/changelog.html").read_text("utf-8")
    assert "Literature covered up to 2026-11-28." in page
    assert 'href="works/lake2023.html"' in page
    assert "Literature covered up to 2026-11-28." in (
        versioned / "site/works/index.html"
    ).read_text("utf-8")


def test_a_preview_that_does_not_show_the_changelog_runs_no_git(
    versioned: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_git(*_: object) -> None:
        raise AssertionError("git run for a page the preview does not render")

    monkeypatch.setattr("macros.pages.changelog.history", no_git)
    review = check_project(load_settings(versioned)).review
    pages = render_site(review, {}, only=lambda here, _source: here == "index.md").pages
    assert pages["changelog.md"].rendered is False


def test_a_tag_name_is_text_on_the_page(versioned: Path) -> None:
    git(versioned, "tag", "<b>v3</b>")
    page = changelog(versioned)
    assert "<b>" not in page
    assert "&lt;b&gt;v3&lt;/b&gt;" in page


@pytest.mark.build
def test_a_home_page_prints_the_coverage_date(mini_project: Path) -> None:
    edit(mini_project / "mkdocs.yml", "  - litreview\n", "  - litreview: {coverage: 2026-11-28}\n")
    home = mini_project / "docs/index.md"
    home.write_text(
        home.read_text("utf-8") + "\nLiterature searched up to {{ coverage }}.\n", "utf-8"
    )
    assert build_site(mini_project, mini_project / "site") == 0
    page = (mini_project / "site/index.html").read_text("utf-8")
    assert "Literature searched up to 2026-11-28." in page
