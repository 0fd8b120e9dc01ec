"""Building the site: mkdocs in a child process, into a fresh folder swapped in on success."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from macros.content.settings import Settings, load_settings

SUMMARY_LINE = "litreview: {} references, {} report warnings"
_SUMMARY = re.compile(r"litreview: (\d+) references, (\d+) report warnings")


@dataclass
class BuildResult:
    ok: bool
    problems: list[str] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0
    references: int = 0  # as the build's plugin reported them
    warnings: int = 0


def run_build(root: Path, target: Path, settings: Settings | None = None) -> BuildResult:
    """Build into a temporary folder beside ``target``, then swap it in.

    A failed or killed build never touches ``target``; leftovers of a killed build are
    removed by the next one.
    """
    started = time.monotonic()
    settings = settings or load_settings(root)
    parent = target.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    for stale in parent.glob(f".{target.name}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=parent))
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--config-file",
        str(root / "mkdocs.yml"),
        "--site-dir",
        str(fresh),
    ]
    result = subprocess.run(
        command, env=build_environment(root), check=False, capture_output=True, text=True
    )
    log = result.stdout + result.stderr
    problems = problems_in_log(log, settings.docs_path, settings)
    if result.returncode != 0 and not problems:  # an unexpected failure: show how it ended
        problems = log.strip().splitlines()[-12:]
    if result.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        return BuildResult(ok=False, problems=problems, seconds=time.monotonic() - started)
    old = parent / f".{target.name}-old-{os.getpid()}"
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    pages = sum(1 for _ in target.rglob("*.html"))
    summary = _SUMMARY.search(log)
    references, warnings = (int(summary[1]), int(summary[2])) if summary else (0, 0)
    return BuildResult(
        ok=True,
        problems=problems,
        pages=pages,
        seconds=time.monotonic() - started,
        references=references,
        warnings=warnings,
    )


_LOCATED = re.compile(r"(?:docs/|content/|references\.bib|mkdocs\.yml)\S*:\d+: .*")


def _located(settings: Settings | None) -> re.Pattern[str]:
    """Lines that name one of the project's input files (as its settings place them)."""
    if settings is None:
        return _LOCATED
    names = [f"{settings.docs_dir}/", f"{settings.content_dir}/", settings.bibliography]
    names = [re.escape(n) for n in [*names, "mkdocs.yml"]]
    return re.compile(r"(?:" + "|".join(names) + r")\S*:\d+: .*")


_LOG_RECORD = re.compile(r"^(WARNING|ERROR)\s+-\s+(.*)")


_MACRO_ERROR = re.compile(r"_File_: `(?P<file>[^`]+)`\s*_(?P<kind>\w+)_: (?P<message>[^\n]+)")


def problems_in_log(
    log: str, docs: Path | None = None, settings: Settings | None = None
) -> list[str]:
    """The warnings and errors of an MkDocs run, without tracebacks or INFO chatter.

    Errors that name a file and line are printed once, as ``path:line: message``.
    """
    pattern = _located(settings)
    located = list(dict.fromkeys(m.group(0) for m in pattern.finditer(log)))
    docs_dir = settings.docs_dir if settings else "docs"
    located += [line for line in _macro_errors(log, docs, docs_dir) if line not in located]
    records: list[str] = []
    for line in log.splitlines():
        if m := _LOG_RECORD.match(line):
            records.append(m.group(2))
        elif records and line.startswith("  - "):  # MkDocs lists the files a warning is about
            records[-1] += " " + line.strip()
    others = [
        r
        for r in records
        if not any(loc in r or r in loc for loc in located)
        and "Macro Rendering Error" not in r
        and not r.startswith("Aborted with")
        and not re.match(r"\d+ problem\(s\) in the content:$", r)
    ]
    return located + list(dict.fromkeys(others))


def _macro_errors(log: str, docs: Path | None, docs_dir: str = "docs") -> list[str]:
    """mkdocs-macros reports a page's template error as Markdown; turn it into path:line."""
    found = []
    for match in _MACRO_ERROR.finditer(log):
        message = match["message"].strip()
        if _LOCATED.match(message) or message.startswith(f"{docs_dir}/"):
            continue  # our own errors already name their file and line
        page = match["file"]
        line = 1
        name = re.search(r"'([^']+)' is undefined", message)
        if docs is not None and name and (docs / page).is_file():
            text = (docs / page).read_text(encoding="utf-8", errors="replace")
            position = text.find(name[1])
            line = text.count("\n", 0, max(position, 0)) + 1
        hint = (
            'fix the macro\'s name; pages can call cite("key", locator="...")'
            if name
            else "check the {{ ... }} and {% ... %} on this page"
        )
        found.append(f"{docs_dir}/{page}:{line}: {message}. Hint: {hint}.")
    return found


def build_environment(root: Path) -> dict[str, str]:
    """Pin build dates to the last commit so that two builds of a commit are identical."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if "SOURCE_DATE_EPOCH" not in env:
        git = shutil.which("git")
        stamp = (
            subprocess.run(
                [git, "log", "-1", "--format=%ct"],
                cwd=root,
                capture_output=True,
                text=True,
                check=False,
            )
            if git
            else None
        )
        env["SOURCE_DATE_EPOCH"] = stamp.stdout.strip() if stamp and stamp.stdout.strip() else "0"
    return env
