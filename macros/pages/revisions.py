"""Last-updated dates from git: each file's last commit date, from one ``git log`` call.

A page's date is its source file's: a hand-written page's own ``docs/`` file, a generated page's
YAML or BibTeX (an index page made from a folder takes the folder's newest file). No git, not a
repository, or a file never committed: no date, and no error.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

MARK = "\x01"  # starts a commit's date line in the log; no path starts with it


def last_changes(root: Path) -> dict[str, str]:
    """``{path relative to root: YYYY-MM-DD}`` of the last commit touching each file under root."""
    command = ["git", "-c", "core.quotePath=false", "-C", str(root), "log", "--relative"]
    command += [f"--format={MARK}%cs", "--name-only", "--no-renames", "--", "."]
    try:
        run = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return {}
    if run.returncode != 0:
        return {}
    dates: dict[str, str] = {}
    date = ""
    for line in run.stdout.splitlines():
        if line.startswith(MARK):
            date = line[1:].strip()
        elif line and date:
            dates.setdefault(line, date)  # newest first: the first date seen is the last change
    return dates


def date_of(dates: Mapping[str, str], source: str) -> str | None:
    """The date of a file, or of a folder's newest file; None if git knows neither."""
    source = source.strip("/")
    if source in dates:
        return dates[source]
    inside = [d for path, d in dates.items() if path.startswith(source + "/")]
    return max(inside) if inside else None
