"""A bibliography-heavy site: time to the first search result in Chromium from ``file://``.

``python -m benchmarks.library`` (``make bench-library``) writes, per size (2,500 and 10,000
entries by default), a review that is nothing but a library (``benchmarks.bench.bib_entry``: the
same realistic entries as ``make bench``) and a home page citing five of them, builds it, and
opens the built site in headless Chromium from ``file://``. It prints one JSON line per size:

- ``largest_page_kb``: the largest HTML page (the bibliography is split so none passes ~1 MB);
- ``filter_ready_s``: opening the bibliography until its filter has loaded the library's data;
- ``filter_first_s``: entering a query into the filter (one input event, as a paste) until
  the first result shows;
- ``search_first_s``: typing the same query into Material's search until its first result shows
  (from opening the page: the search index loads in a worker when the page opens).

Nothing here asserts on time; tests/test_bibindex.py runs the same steps at a few hundred entries
and asserts that results appear and that no page is over the limit.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import bench
from macros.bibliography.importer import import_files

SIZES = (2_500, 10_000)
PAGE_LIMIT = 1_000_000  # bytes: no generated page over about 1 MB
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def generate_library(root: Path, refs: int, seed: int = bench.SEED) -> list[str]:
    """A review holding only ``refs`` entries and a home page citing five; returns the keys."""
    rng = random.Random(seed)  # noqa: S311 - reproducible content, not security
    if root.exists():
        shutil.rmtree(root)
    (root / "docs").mkdir(parents=True)
    (root / "content").mkdir()
    entries = [bench.bib_entry(rng, i) for i in range(refs)]
    keys = [key for key, _ in entries]
    (root / "references.bib").write_text("\n".join(text for _, text in entries), "utf-8")
    (root / "mkdocs.yml").write_text(bench.litreview_config(), "utf-8")
    cited = keys[:: max(1, refs // 5)][:5]
    home = "# A library\n\n" + "".join(f'Cited{{{{ cite("{key}") }}}}. ' for key in cited)
    (root / "docs" / "index.md").write_text(home + "\n", "utf-8")
    return keys


def library_from_file(root: Path, bib: Path) -> list[str]:
    """The base review (``BASE_REFS`` synthetic entries) with a real library
    (``tests/corpora/bibtex``) brought in as a user does, with ``litreview import``: the pages
    it adds are the library's, as the ratios per added page assume. Returns every key."""
    generate_library(root, BASE_REFS)
    _, _, text = import_files(root, [bib])
    (root / "references.bib").write_text(text, "utf-8")
    return re.findall(r"^@(?!string|preamble|comment)\w+\s*[{(]\s*([^,\s]+)\s*,", text, re.M | re.I)


# --- build cost of a bibliography-heavy review against bare MkDocs ---------------------------

BASE_REFS = 50  # the review new entries are added to: "per added page" is measured from it
CORPORA = Path(__file__).resolve().parent.parent / "tests" / "corpora" / "bibtex"


@dataclass(frozen=True)
class Cost:
    """Cold (empty cache), warm (nothing changed) and bare builds of one library."""

    name: str
    refs: int
    cold: bench.Build
    warm: bench.Build
    bare: bench.Build


def build_cost(
    name: str, root: Path, workdir: Path, progress: Callable[[str], None], repeat: int = 1
) -> Cost:
    """Builds ``root`` cold and warm, and a bare MkDocs site of as many pages of the same
    Markdown lengths (``benchmarks.bench``), each in its own child process. With ``repeat``,
    each build runs that many times and the run of median CPU seconds counts: a small library
    adds a second or less, which one disturbed run would swamp."""
    logs = workdir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    site = workdir / f"site-{name}"

    def timed(kind: str, project: Path, before: Callable[[], None] = lambda: None) -> bench.Build:
        runs = []
        for _ in range(repeat):
            before()
            runs.append(bench.mkdocs_build(project, site, logs / f"library-{name}-{kind}.log"))
        result = sorted(runs, key=lambda run: run.cpu_seconds)[len(runs) // 2]
        progress(f"library {name}: {kind} {result.seconds:.1f} s, {result.html_pages} pages")
        return result

    cold = timed("cold", root, lambda: shutil.rmtree(root / ".cache", ignore_errors=True))
    warm = timed("warm", root)
    lengths = bench.litreview_markdown_lengths(root)
    bare_root = workdir / f"bare-{name}"
    if bare_root.exists():
        shutil.rmtree(bare_root)
    bench.generate_bare(bare_root, bench._fit(lengths, cold.html_pages - 1))
    bare = timed("bare", bare_root)
    refs = len(
        re.findall(
            r"^@(?!string|preamble|comment)\w+",
            (root / "references.bib").read_text("utf-8"),
            re.M | re.I,
        )
    )
    return Cost(name, refs, cold, warm, bare)


def cost_row(case: Cost, base: Cost) -> dict[str, Any]:
    """Whole-build ratios, and per page added to the base review: the extra seconds of
    litreview's builds over the extra seconds of the bare builds (wall and CPU)."""

    def per_page(attr: str, build: str) -> float:
        extra = getattr(getattr(case, build), attr) - getattr(getattr(base, build), attr)
        bare = getattr(case.bare, attr) - getattr(base.bare, attr)
        return round(extra / bare, 2) if bare > 0 else float("nan")

    return {
        "library": case.name,
        "refs": case.refs,
        "pages": case.cold.html_pages,
        "added_pages": case.cold.html_pages - base.cold.html_pages,
        "cold_s": round(case.cold.seconds, 2),
        "warm_s": round(case.warm.seconds, 2),
        "bare_s": round(case.bare.seconds, 2),
        "cold_cpu_s": round(case.cold.cpu_seconds, 2),
        "warm_cpu_s": round(case.warm.cpu_seconds, 2),
        "bare_cpu_s": round(case.bare.cpu_seconds, 2),
        "ratio_cold": round(case.cold.seconds / case.bare.seconds, 2),
        "ratio_warm": round(case.warm.seconds / case.bare.seconds, 2),
        "added_ratio_cold": per_page("seconds", "cold"),
        "added_ratio_warm": per_page("seconds", "warm"),
        "added_ratio_cold_cpu": per_page("cpu_seconds", "cold"),
        "added_ratio_warm_cpu": per_page("cpu_seconds", "warm"),
        "max_load": round(max(b.load for b in (case.cold, case.warm, case.bare)), 2),
    }


def library_costs(
    sizes: Sequence[int],
    workdir: Path,
    progress: Callable[[str], None],
    *,
    corpora: bool,
    repeat: int = 1,
) -> list[dict[str, Any]]:
    """The bibliography-heavy case of ``make bench``: a base review of ``BASE_REFS`` entries,
    then synthetic libraries of ``sizes`` entries and each real corpus, one row each."""
    base_root = workdir / "library-base"
    generate_library(base_root, BASE_REFS)
    base = build_cost("base", base_root, workdir, progress, repeat)
    rows = []
    for refs in sizes:
        root = workdir / f"library-{refs}"
        generate_library(root, refs)
        rows.append(cost_row(build_cost(f"{refs}", root, workdir, progress, repeat), base))
    for bib in sorted(CORPORA.glob("*.bib")) if corpora else []:
        root = workdir / f"corpus-{bib.stem}"
        library_from_file(root, bib)
        try:
            rows.append(cost_row(build_cost(bib.stem, root, workdir, progress, repeat), base))
        except bench.BenchError as exc:  # a corpus this engine cannot build yet: said, not fatal
            progress(f"library {bib.stem}: does not build: {str(exc).splitlines()[0]}")
    return rows


COST_COLUMNS = (
    "library",
    "refs",
    "added_pages",
    "cold_s",
    "warm_s",
    "bare_s",
    "cold_cpu_s",
    "warm_cpu_s",
    "bare_cpu_s",
    "added_ratio_cold",
    "added_ratio_warm",
    "added_ratio_cold_cpu",
    "added_ratio_warm_cpu",
)


def cost_table(rows: list[dict[str, Any]]) -> str:
    head = "| " + " | ".join(COST_COLUMNS) + " |"
    rule = "|" + "|".join("---:" for _ in COST_COLUMNS) + "|"
    lines = ["| " + " | ".join(str(row[c]) for c in COST_COLUMNS) + " |" for row in rows]
    return "\n".join([head, rule, *lines])


def build(root: Path) -> float:
    """``mkdocs build --strict`` of ``root`` into ``root/site``: wall seconds."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", "site"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise bench.BenchError(f"{root}: build failed:\n{done.stderr[-4000:]}")
    return time.perf_counter() - start


def largest_page(site: Path) -> tuple[str, int]:
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html")}
    name = max(sizes, key=sizes.__getitem__)
    return name, sizes[name]


def index_page(site: Path) -> Path:
    """The bibliography's index page, whatever ``use_directory_urls`` made of it."""
    return site / "references" / "index.html"


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only the browser steps need it

    executable = os.environ.get("LITREVIEW_CHROMIUM") or shutil.which("chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def filter_timings(browser: Any, site: Path, query: str) -> tuple[float, float, int]:
    """Seconds from opening the index until the filter is ready, from typing ``query`` until
    its first result shows, and the number of results listed."""
    page = browser.new_page()
    try:
        start = time.perf_counter()
        page.goto(index_page(site).resolve().as_uri())
        page.wait_for_selector("form.lr-bibindex:not([hidden])")
        ready = time.perf_counter() - start
        field = page.locator("form.lr-bibindex input[data-field=text]")
        field.click()
        start = time.perf_counter()
        page.keyboard.insert_text(query)  # the whole query at once, as when pasted
        page.wait_for_function(
            "q => { const first = document.querySelector('.lr-bib-results li');"
            " return first !== null && first.textContent.toLowerCase().includes(q); }",
            arg=query.lower(),
        )
        first = time.perf_counter() - start
        return ready, first, page.locator(".lr-bib-results li").count()
    finally:
        page.close()


def search_timing(browser: Any, site: Path, query: str) -> float:
    """Seconds from opening the home page and typing ``query`` into Material's search until its
    first result shows."""
    page = browser.new_page()
    try:
        start = time.perf_counter()
        page.goto((site / "index.html").resolve().as_uri())
        page.locator("input.md-search__input").click()
        page.keyboard.type(query)
        page.wait_for_selector(".md-search-result__item", timeout=300_000)
        return time.perf_counter() - start
    finally:
        page.close()


def query_for(root: Path) -> str:
    """A word from a title in the middle of the library: a query with a few results."""
    text = (root / "references.bib").read_text("utf-8")
    titles = [line for line in text.splitlines() if line.strip().startswith("title = ")]
    words = titles[len(titles) // 2].split("{", 1)[1].split()
    return max((w.strip("{}.,:;\\") for w in words), key=len).lower()


def measure(refs: int, workdir: Path, *, warm_build: bool = True) -> dict[str, Any]:
    root = workdir / f"library-{refs}"
    generate_library(root, refs)
    cold = build(root)
    warm = build(root) if warm_build else float("nan")
    site = root / "site"
    name, size = largest_page(site)
    query = query_for(root)
    with chromium() as browser:
        ready, first, listed = filter_timings(browser, site, query)
        search = search_timing(browser, site, query)
    data = (site / "references" / "bibindex.js").stat().st_size
    return {
        "refs": refs,
        "html_pages": sum(1 for _ in site.rglob("*.html")),
        "build_cold_s": round(cold, 2),
        "build_warm_s": round(warm, 2),
        "largest_page": name,
        "largest_page_kb": round(size / 1000, 1),
        "index_data_kb": round(data / 1000, 1),
        "query": query,
        "filter_ready_s": round(ready, 3),
        "filter_first_s": round(first, 3),
        "filter_listed": listed,
        "search_first_s": round(search, 3),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--workdir", type=Path, default=Path(".bench-library"))
    parser.add_argument("--no-warm", action="store_true", help="skip the second (warm) build")
    args = parser.parse_args(argv)
    args.workdir.mkdir(exist_ok=True)
    for refs in args.sizes:
        row = measure(refs, args.workdir, warm_build=not args.no_warm)
        print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
