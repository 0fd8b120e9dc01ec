"""Building the site: mkdocs in a child process, into a fresh folder swapped in on success."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from macros.content.settings import Settings, SettingsError, load_settings
from macros.site.folder import is_ours, mark, site_dir_problem

_SUMMARY = re.compile(r"litreview: (\d+) references, (\d+) report warnings")


@dataclass
class BuildResult:
    ok: bool
    problems: list[str] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0
    references: int = 0  # as the build's plugin reported them
    warnings: int = 0


def run_build(
    root: Path,
    target: Path,
    settings: Settings | None = None,
    *,
    waiting: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build into a fresh folder beside ``target``, then swap it in.

    A failed or killed build never touches ``target``; leftovers of a killed build are
    removed by the next one. ``target`` is refused when replacing it could delete anything
    that is not an earlier build (``site_dir_problem``). One build of a project runs at a
    time: a second one waits for the lock (``waiting`` is told so) instead of deleting the
    first one's output.
    """
    started = time.monotonic()
    try:
        settings = settings or load_settings(root)
    except SettingsError as exc:
        return BuildResult(ok=False, problems=[str(exc)], seconds=time.monotonic() - started)
    target = target.absolute()
    if problem := site_dir_problem(root, target, settings, require_ours=True):
        return BuildResult(ok=False, problems=[problem], seconds=time.monotonic() - started)
    try:
        with build_lock(root / settings.cache_dir / LOCK_NAME, waiting):
            result = _build_locked(root, target.resolve(), settings)
    except OSError as exc:
        return BuildResult(ok=False, problems=[os_problem(exc)], seconds=time.monotonic() - started)
    result.seconds = time.monotonic() - started
    return result


def _build_locked(root: Path, target: Path, settings: Settings) -> BuildResult:
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    for stale in [*parent.glob(f".{target.name}-new-*"), *parent.glob(f".{target.name}-old-*")]:
        if is_ours(stale, legacy=False):  # only a killed build's own temporaries
            shutil.rmtree(stale, ignore_errors=True)
    fresh = _fresh_folder(parent, target.name)
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
    try:
        result = subprocess.run(
            command, env=build_environment(root), check=False, capture_output=True, text=True
        )
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    log = result.stdout + result.stderr
    problems = problems_in_log(log, settings.docs_path, settings)
    if result.returncode != 0 and not problems:  # an unexpected failure: show how it ended
        system = _OS_ERROR.search(log)
        problems = (
            [f"{system['file']}: {system['message']}.{_os_hint(int(system['errno']))}"]
            if system and system["file"]
            else log.strip().splitlines()[-12:]
        )
    if result.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        return BuildResult(ok=False, problems=problems)
    old = parent / f".{target.name}-old-{os.getpid()}"
    if target.exists():
        mark(target)  # a site from before markers: a leftover of the swap is ours to remove
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    pages = sum(1 for _ in target.rglob("*.html"))
    summary = _SUMMARY.search(log)
    references, warnings = (int(summary[1]), int(summary[2])) if summary else (0, 0)
    return BuildResult(
        ok=True, problems=problems, pages=pages, references=references, warnings=warnings
    )


_LOCATED = re.compile(r"(?:docs/|content/|seeds/|references\.bib|mkdocs\.yml)\S*:\d+: .*")


def _located(settings: Settings | None) -> re.Pattern[str]:
    """Lines that name one of the project's input files (as its settings place them)."""
    if settings is None:
        return _LOCATED
    names = [f"{settings.docs_dir}/", f"{settings.content_dir}/", settings.bibliography]
    names = [re.escape(n) for n in [*names, "seeds/", "mkdocs.yml"]]
    return re.compile(r"(?:" + "|".join(names) + r")\S*:\d+: .*")


# --- what a build may replace ----------------------------------------------------------------

LOCK_NAME = "build.lock"


def _fresh_folder(parent: Path, name: str) -> Path:
    """A new marked folder; ``os.mkdir`` gives it the umask's mode (mkdtemp would give 0700)."""
    for _ in range(100):
        fresh = parent / f".{name}-new-{secrets.token_hex(4)}"
        try:
            fresh.mkdir()
        except FileExistsError:
            continue
        try:
            mark(fresh)
        except BaseException:
            fresh.rmdir()
            raise
        return fresh
    raise FileExistsError(errno.EEXIST, "no free name for a temporary folder", str(parent))


@contextlib.contextmanager
def build_lock(path: Path, waiting: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the project's build lock; if another build holds it, say so and wait."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            if waiting:
                waiting(f"litreview build: waiting for the build running in {holder} to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"process {os.getpid()}\n")
            handle.flush()
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


_OS_ERROR = re.compile(
    r"^\w*Error: \[Errno (?P<errno>\d+)\] (?P<message>[^:\n]+)(?:: '(?P<file>[^'\n]*)')?",
    re.MULTILINE,
)


def os_problem(exc: OSError) -> str:
    """A failed write or rename in one line: the path, what the system said, what to do."""
    where = exc.filename if exc.filename is not None else "litreview build"
    message = exc.strerror or str(exc)
    return f"{where}: {message}.{_os_hint(exc.errno)}"


def _os_hint(number: int | None) -> str:
    if number == errno.ENOSPC:
        return " Hint: the disk is full; free some space and build again."
    if number in {errno.EACCES, errno.EPERM, errno.EROFS}:
        return (
            " Hint: this user cannot write there; fix the folder's permissions "
            "or build into another --site-dir."
        )
    return ""


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
