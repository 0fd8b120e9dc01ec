"""Helpers for tests that start a review with ``litreview init`` and run its commands."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

LITREVIEW = Path(sys.executable).parent / "litreview"
# The shipped review's subject: none of it may reach a new review (word boundaries).
SHIPPED_WORDS = re.compile(r"\b(?:trafficking|IOM|Indonesian?|Amalia|Malaysian?)\b", re.IGNORECASE)


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def litreview(*args: str | Path, cwd: Path) -> Run:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    env["NO_MKDOCS_2_WARNING"] = "1"
    result = subprocess.run(
        [str(LITREVIEW), *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    return Run(result.returncode, result.stdout, result.stderr)


def init_review(parent: Path, name: str = "my-review", *args: str) -> Path:
    run = litreview("init", name, *args, cwd=parent)
    assert run.code == 0, run.text
    return parent / name


def ok(run: Run) -> Run:
    assert run.code == 0, run.text[-4000:]
    return run
