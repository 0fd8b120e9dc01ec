"""``make bench-corpora``: the real libraries of ``tests/corpora/bibtex/`` end to end.

For each file: ``litreview init`` a new review, ``litreview import`` the file, then
``litreview build`` twice: cold (no citation or page cache) and warm (nothing changed). Prints
one Markdown table row per corpus: entries in, pages out, report warnings, seconds cold and warm
(wall, and CPU with pandoc's: the steadier figure on a loaded machine).

Wall-clock seconds on a shared machine: compare rows of one run, never assert them in a test.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "tests" / "corpora" / "bibtex"
LITREVIEW = Path(sys.executable).parent / "litreview"
_READ = re.compile(r"(\d+) entries read")
_BUILT = re.compile(r"build: ok; (\d+) pages, (\d+) references, (\d+) report warnings")


class CorpusError(Exception):
    """A command failed on a corpus; the message names it and says what it printed."""


@dataclass(frozen=True)
class Row:
    name: str
    entries_in: int
    references: int
    pages: int
    warnings: int
    cold: float
    warm: float
    cold_cpu: float
    warm_cpu: float


def _run(*args: str | Path, cwd: Path) -> tuple[str, float, float]:
    """A litreview command's output, wall seconds and CPU seconds (its children included)."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    env["NO_MKDOCS_2_WARNING"] = "1"
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        child = subprocess.Popen(
            [str(LITREVIEW), *map(str, args)], cwd=cwd, env=env, stdout=out, stderr=out
        )
        _, status, usage = os.wait4(child.pid, 0)  # the CPU of what it waited for (pandoc)
        seconds = time.perf_counter() - started
        out.seek(0)
        output = out.read().decode("utf-8", errors="replace")
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must know
    if child.returncode != 0:
        tail = output.strip().splitlines()[-5:]
        raise CorpusError(f"litreview {args[0]} failed: {' | '.join(tail)}")
    return output, seconds, usage.ru_utime + usage.ru_stime


def measure(bib: Path, workdir: Path) -> Row:
    """init + import + a cold and a warm build of one library in a fresh review."""
    _run("init", "review", cwd=workdir)
    review = workdir / "review"
    imported, _, _ = _run("import", bib, cwd=review)
    read = _READ.search(imported)
    shutil.rmtree(review / ".cache", ignore_errors=True)
    cold_out, cold, cold_cpu = _run("build", cwd=review)
    warm_out, warm, warm_cpu = _run("build", cwd=review)
    built = _BUILT.search(warm_out) or _BUILT.search(cold_out)
    if built is None:
        raise CorpusError(f"no build summary line in: {warm_out.strip()[-300:]}")
    return Row(
        bib.stem,
        int(read[1]) if read else 0,
        int(built[2]),
        int(built[1]),
        int(built[3]),
        cold,
        warm,
        cold_cpu,
        warm_cpu,
    )


HEADER = (
    "| corpus | entries in | references | pages out | warnings | cold s | warm s "
    "| cold CPU s | warm CPU s |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|"
)


def table(rows: Sequence[Row]) -> str:
    lines = [
        f"| {r.name} | {r.entries_in} | {r.references} | {r.pages} | {r.warnings} "
        f"| {r.cold:.1f} | {r.warm:.1f} | {r.cold_cpu:.1f} | {r.warm_cpu:.1f} |"
        for r in rows
    ]
    return "\n".join([HEADER, *lines])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="corpus file stems (default: every one)")
    args = parser.parse_args(argv)
    files = sorted(CORPORA.glob("*.bib"))
    if args.names:
        files = [f for f in files if f.stem in args.names]
    rows: list[Row] = []
    failed = 0
    for bib in files:
        with tempfile.TemporaryDirectory(prefix="lr-corpus-") as tmp:
            try:
                rows.append(measure(bib, Path(tmp)))
            except CorpusError as exc:
                failed += 1
                print(f"{bib.relative_to(ROOT)}: {exc}", file=sys.stderr)
                continue
        print(f"{bib.stem}: done", file=sys.stderr, flush=True)
    print(table(rows))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
