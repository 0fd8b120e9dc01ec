"""``litreview init``: a new, empty review that checks, builds strict and has its own CI."""

from __future__ import annotations

import re
import shutil
import stat
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest
import yaml

from macros.cli.newreview import EXTRA_LOCKED, NewReview, create_review, files_for, runtime_lock
from tests.conftest import ROOT
from tests.newreview import SHIPPED_WORDS, init_review, litreview, ok
from tests.test_wheel import run

# What a new review replaces in a copy of this repository (seeds/ goes: it is the paper's text).
SWAPPED = frozenset({"content", "docs", "references.bib", "mkdocs.yml", "seeds"})


def shipped_keys() -> set[str]:
    text = (ROOT / "references.bib").read_text(encoding="utf-8")
    return set(re.findall(r"^@\w+\{([^,\s]+),", text, re.MULTILINE))


def runtime_roots() -> list[str]:
    import tomllib  # noqa: PLC0415

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = [re.split(r"[=<>!~;\[ ]", d, maxsplit=1)[0] for d in project["dependencies"]]
    return names + list(EXTRA_LOCKED)


def test_the_shipped_review_lock_is_our_lock_cut_to_the_runtime() -> None:
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    shipped = (ROOT / "macros" / "cli" / "review.lock").read_text(encoding="utf-8")
    assert shipped == runtime_lock(lock, runtime_roots()), (
        "macros/cli/review.lock is stale: regenerate it with runtime_lock() from requirements.lock"
    )
    names = set(re.findall(r"^([a-z0-9._-]+)==", shipped, re.MULTILINE))
    assert {"mkdocs", "pydantic", "playwright", "greenlet", "markupsafe"} <= names
    assert not names & {"pytest", "ruff", "mypy", "hypothesis", "properdocs"}
    assert "--hash=sha256:" in shipped


def test_init_writes_every_file_and_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    review = init_review(tmp_path, "field-notes")
    for name in files_for(NewReview("t", "e", "")):
        assert (review / name).is_file(), name
    assert not (review / "macros").exists()  # the engine is installed, never copied
    assert (review / "references.bib").read_text(encoding="utf-8") == ""
    assert (review / "schemas" / "paper.schema.json").is_file()  # `litreview new` names it
    assert litreview("schemas", "--check", cwd=review).code == 0
    assert (review / ".ci" / "run").stat().st_mode & stat.S_IXUSR
    config = (review / "mkdocs.yml").read_text(encoding="utf-8")
    assert 'site_name: "field notes"' in config
    assert "strict: true" in config
    assert "- litreview:" in config
    engine = (review / "engine.txt").read_text(encoding="utf-8").splitlines()[-1]
    assert engine.startswith("litreview @ git+")
    assert "@v" in engine
    readme = (review / "README.md").read_text(encoding="utf-8")
    assert re.findall(r"```sh\n(.*?)```", readme, re.DOTALL) == ["make site\nmake test\n"]
    assert "Settings > Pages > Source" in readme

    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine", encoding="utf-8")
    refused = litreview("init", "full", cwd=tmp_path)
    assert refused.code == 1
    assert refused.err.strip() == (
        "litreview init: full is not empty: litreview init writes only into a new folder"
    )
    assert (tmp_path / "full" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert "Traceback" not in refused.text


def test_init_takes_a_title_and_an_engine(tmp_path: Path) -> None:
    wheel = "dist/litreview-0.1.0-py3-none-any.whl"
    review = create_review(tmp_path / "r", title='Roads {{ "&" }} <rivers>', engine=wheel)
    config = yaml.safe_load(
        re.sub(r"!ENV.*", '""', (review / "mkdocs.yml").read_text(encoding="utf-8"))
    )
    assert config["site_name"] == 'Roads {{ "&" }} <rivers>'
    home = (review / "docs" / "index.md").read_text(encoding="utf-8")
    assert '{{ "' not in home.splitlines()[0]
    assert "<rivers>" not in home
    assert (review / "engine.txt").read_text(encoding="utf-8").splitlines()[-1] == wheel


def test_pre_commit_hooks_call_litreview_from_path(tmp_path: Path) -> None:
    review = create_review(tmp_path / "r")
    text = (review / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert ".venv" not in text
    hooks = [h for repo in yaml.safe_load(text)["repos"] for h in repo["hooks"]]
    assert {h["entry"].split()[0] for h in hooks} == {"litreview"}
    assert ".venv/bin" not in (review / "Makefile").read_text(encoding="utf-8").split("PATH :=")[0]


def assert_cache_keyed_on_files_that_exist(
    cache: dict[str, Any], steps: list[Any], root: Path
) -> None:
    """The citation cache is restored before anything builds, and its key hashes files the
    repository holds: ``hashFiles`` of a missing file is empty, and the key would not change."""
    first_run = next(i for i, s in enumerate(steps) if "run" in s)
    assert steps.index(cache) < first_run
    names = re.findall(
        r"'([^']+)'", " ".join(re.findall(r"hashFiles\(([^)]*)\)", cache["with"]["key"]))
    )
    for name in names:
        if name.startswith("**"):  # any CSL file a review adds; the engine's own ship with it
            continue
        assert any(root.glob(name)) if "*" in name else (root / name).is_file(), name
    assert any(name.endswith("references.bib") for name in names)


def assert_caches_and_never_cancels_a_deploy(
    workflow: dict[str, Any], lock: str, root: Path
) -> str:
    """The publishing rules both workflows keep; returns the run steps' text."""
    assert workflow["concurrency"]["cancel-in-progress"] == (
        "${{ github.event_name == 'pull_request' }}"
    )
    steps = workflow["jobs"]["build"]["steps"]
    python = next(s for s in steps if "setup-python" in s.get("uses", ""))
    assert python["with"]["cache"] == "pip"
    assert lock in python["with"]["cache-dependency-path"]
    cache = next(s for s in steps if "actions/cache" in s.get("uses", ""))
    assert cache["with"]["path"] == ".cache/"
    for keyed_on in (lock, "mkdocs.yml", ".csl", "references.bib"):
        assert keyed_on in cache["with"]["key"], keyed_on
    assert_cache_keyed_on_files_that_exist(cache, steps, root)
    assert any("upload-artifact" in s.get("uses", "") for s in steps)
    deploy = workflow["jobs"]["deploy"]
    assert deploy["if"] == "github.ref == 'refs/heads/main' && github.event_name != 'pull_request'"
    return "\n".join(s.get("run", "") for s in steps)


def test_our_workflow_restores_the_citation_cache_and_never_cancels_a_deploy() -> None:
    text = (ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8")
    assert_caches_and_never_cancels_a_deploy(yaml.safe_load(text), "requirements.lock", ROOT)


def test_the_workflow_caches_builds_once_and_never_cancels_a_deploy(tmp_path: Path) -> None:
    review = create_review(tmp_path / "r")
    workflow = yaml.safe_load((review / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    runs = assert_caches_and_never_cancels_a_deploy(workflow, "requirements.txt", review)
    assert runs.count("bash .ci/run") == 1  # check, build, browser test: once
    assert "litreview changes" in runs
    make = (review / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^test: check site.*\n\tlitreview sitecheck$", make, re.MULTILINE)
    assert "make test" in (review / ".ci/run").read_text(encoding="utf-8")


@pytest.mark.build
def test_a_new_review_checks_builds_strict_and_passes_its_own_browser_test(tmp_path: Path) -> None:
    review = init_review(tmp_path, "my-review", "--title", "Roads & {{ rivers }} <i>x</i>")
    checked = ok(litreview("check", cwd=review))
    assert "ok" in checked.out
    built = ok(litreview("build", cwd=review))
    assert "WARNING" not in built.text
    assert "0 report warnings" in built.out
    site = review / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '>Roads &amp; {{ rivers }} &lt;i&gt;x&lt;/i&gt;<a class="headerlink"' in home
    assert "<i>x</i>" not in home.split("<article", 1)[1]
    assert "litreview import" in home
    for kind in ("papers", "audit", "statistics", "events"):  # no empty table: a hint instead
        page = (site / kind / "index.html").read_text(encoding="utf-8")
        assert "Nothing yet." in page, kind
        assert "<table>" not in page, kind
    report = (site / "report.html").read_text(encoding="utf-8")
    assert "Nothing to report yet." in report
    assert "(0)" not in report.split("<article", 1)[1]
    keys = shipped_keys()
    for path in site.rglob("*"):
        vendored = "lunr" in path.parts  # the theme's search languages ("iom" is Japanese data)
        if path.is_file() and not vendored and path.suffix in {".html", ".js", ".json", ".bib"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not SHIPPED_WORDS.search(text), (path, SHIPPED_WORDS.search(text))
            words = set(re.findall(r"[\w-]+", text))
            assert not keys & words, (path, keys & words)
    ok(litreview("sitecheck", cwd=review))


@pytest.mark.build
def test_the_engine_tests_pass_on_a_new_review(tmp_path: Path) -> None:
    """The repository with its review swapped for ``init``'s: every unit and golden test not
    marked ``review`` passes (the shipped review's own assertions are marked ``review``)."""
    copy = tmp_path / "repository"
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file() and name.split("/")[0] not in SWAPPED:
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, copy / name)
    review = create_review(tmp_path / "new")
    for name in SWAPPED - {"seeds"}:
        move = shutil.copytree if (review / name).is_dir() else shutil.copyfile
        move(review / name, copy / name)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-x",
            "-m",
            "not build and not browser and not review",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:]


def test_init_runs_anywhere_and_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: [unclosed\n", encoding="utf-8")
    assert litreview("init", "fresh", cwd=tmp_path).code == 0  # the folder's own config unread
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    refused = litreview("init", "notes.txt", cwd=tmp_path)
    assert refused.code == 1
    assert refused.err.strip() == "litreview init: notes.txt exists and is not a folder"


@pytest.mark.build
def test_a_new_review_installs_the_engine_from_a_wheel_and_builds(tmp_path: Path) -> None:
    """As the new review's Makefile does: the engine from ``engine.txt`` (here a locally built
    wheel), the pinned dependencies beside it (from this project's venv, as test_wheel.py does)."""
    source = tmp_path / "source"
    shutil.copytree(
        ROOT / "macros", source / "macros", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(ROOT / name, source / name)
    wheels = tmp_path / "wheels"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
        "--disable-pip-version-check", "-w", wheels, source)  # fmt: skip
    (wheel,) = wheels.glob("litreview-*.whl")
    review = create_review(tmp_path / "review", engine=str(wheel))
    assert (review / "engine.txt").read_text(encoding="utf-8").splitlines()[-1] == str(wheel)

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    purelib = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
                   .strip())  # fmt: skip
    (purelib / "pinned-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
        "--disable-pip-version-check", "-r", review / "engine.txt")  # fmt: skip
    where = run(python, "-c", "import macros; print(macros.__file__)", cwd=review).strip()
    assert Path(where).is_relative_to(purelib), where
    output = run(venv / "bin" / "litreview", "build", cwd=review)
    assert "litreview build: ok" in output
    assert "litreview sitecheck: ok" in run(venv / "bin" / "litreview", "sitecheck", cwd=review)


@pytest.mark.browser
def test_sitecheck_fails_on_a_console_error_a_script_error_and_a_request(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<a href="ok.html">ok</a><img src="http://example.invalid/x.png">', encoding="utf-8"
    )
    (site / "ok.html").write_text("<p>fine</p>", encoding="utf-8")
    (site / "bad.html").write_text(
        '<script>console.error("boom")</script><script>undefinedCall()</script>', encoding="utf-8"
    )
    run = litreview("sitecheck", "--site-dir", "site", cwd=tmp_path)
    assert run.code == 1
    problems = run.err.splitlines()
    assert "index.html: network request http://example.invalid/x.png" in problems
    assert "bad.html: console error: boom" in problems
    assert any(p.startswith("bad.html: script error:") and "undefinedCall" in p for p in problems)
    assert not [p for p in problems if p.startswith("ok.html")]
    assert "3 pages opened" in run.out


NAV_PAGES = (
    "works/index.html",
    "themes/index.html",
    "extraction/index.html",
    "synthesis/index.html",
    "searches/index.html",
    "screening/prisma.html",
    "appraisal/index.html",
    "gap-map/index.html",
)


@pytest.mark.build
def test_a_new_reviews_nav_shows_every_page_kind_and_prisma_after_an_import(
    tmp_path: Path,
) -> None:
    """The new review's nav lists works, themes, extraction, synthesis and a scoping-review
    section; an empty page says what fills it; after importing a SYNERGY export the PRISMA
    page in the nav shows the diagram."""
    review = init_review(tmp_path, "nav-review")
    built = ok(litreview("build", cwd=review))
    assert "WARNING" not in built.text
    site = review / "site"
    nav = set(re.findall(r'href="([^"]+)" class="md-nav__link', (site / "index.html").read_text()))
    assert set(NAV_PAGES) <= nav, set(NAV_PAGES) - nav
    for page in NAV_PAGES:
        assert (site / page).exists(), page
    prisma = (site / "screening" / "prisma.html").read_text(encoding="utf-8")
    assert "litreview import decisions.csv" in prisma
    assert "content/searches/" in prisma
    assert "lr-prisma" not in prisma
    searches = (site / "searches" / "index.html").read_text(encoding="utf-8")
    assert "No searches yet" in searches
    synergy = ROOT / "tests" / "corpora" / "synergy" / "Donners_2021_ids.csv"
    ok(litreview("import", synergy, cwd=review))
    ok(litreview("build", cwd=review))
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="screening/prisma.html" class="md-nav__link' in home
    prisma = (site / "screening" / "prisma.html").read_text(encoding="utf-8")
    assert 'class="lr-prisma"' in prisma
    assert 'aria-label="Records identified (n = 660)' in prisma
