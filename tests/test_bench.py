"""The build benchmark at a tiny scale: valid content, real builds, a complete JSON line.

Nothing here asserts on how long anything takes; timings vary from machine to machine.
"""

from __future__ import annotations

import cProfile
import json
import random
import re
from pathlib import Path

import pytest

from benchmarks import bench, library
from macros.pages.engine import collect_review
from tests.conftest import ROOT

TINY = bench.Scale("tiny", 30, 6)


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_generated_review_passes_check(tmp_path: Path) -> None:
    bench.generate_review(tmp_path / "review", TINY.refs, TINY.entities)
    review, errors = collect_review(tmp_path / "review")
    assert errors == []
    counts = review.counts()
    assert counts["references"] == TINY.refs + counts["papers"]  # each paper's own entry
    assert counts["entities"] == TINY.entities
    assert counts["claims"] == TINY.entities
    assert counts["papers"] == 1
    assert counts["audit findings"] == 2
    cited = {c.key for notes in review.footnotes.values() for n in notes.notes for c in n.cites}
    own = {paper.key for paper in review.papers.values()}
    assert cited | own == set(review.bibliography.entries), "every reference is cited by a note"
    assert (tmp_path / "review" / "docs" / "index.md").read_text(encoding="utf-8").count(
        "cite("
    ) == 5


def test_generation_is_deterministic(tmp_path: Path) -> None:
    bench.generate_review(tmp_path / "a", TINY.refs, TINY.entities)
    bench.generate_review(tmp_path / "b", TINY.refs, TINY.entities)
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")


def test_invalid_content_fails_loudly(tmp_path: Path) -> None:
    bench.generate_review(tmp_path / "review", TINY.refs, TINY.entities)
    claim = sorted((tmp_path / "review" / "content" / "claims").glob("*.yaml"))[0]
    claim.write_text(claim.read_text(encoding="utf-8") + "colour: red\n", encoding="utf-8")
    with pytest.raises(bench.BenchError, match="unknown key 'colour'"):
        bench.validate(tmp_path / "review")


def test_bibliography_entries_are_varied_and_realistic() -> None:
    rng = random.Random(1)
    text = "\n".join(bench.bib_entry(rng, i)[1] for i in range(200))
    for kind in ("article", "online", "book", "report"):
        assert f"@{kind}{{" in text
    assert r"M\"{u}ller" in text
    assert r"{\'E}mile" in text
    assert re.search(r"url = \{https://\S*%20\S*&\S*\}", text)
    assert "urldate = {" in text
    assert "langid = {" in text


def test_bare_config_is_the_fixture_minus_the_engine() -> None:
    config = bench.litreview_config()
    assert "- litreview" in config
    bare = bench.bare_config(config)
    assert "litreview" not in bare
    assert "macros" not in bare
    assert "- search" in bare
    assert "- offline" in bare
    assert "pymdownx.escapeall" in bare
    assert "not_in_nav" in bare


@pytest.mark.build
def test_tiny_scale_builds_and_reports_every_key(tmp_path: Path) -> None:
    row = bench.run_scale(TINY, tmp_path)
    line = json.loads(bench.json_line(row))
    assert list(line)[: len(bench.JSON_KEYS)] == list(bench.JSON_KEYS)
    assert line["scale"] == "tiny"
    assert line["refs"] == TINY.refs
    assert line["entities"] == TINY.entities
    # Every reference, entity and claim has a page, plus papers, indexes, home and 404.
    assert line["pages"] > TINY.refs + 2 * TINY.entities
    for key in bench.JSON_KEYS[4:]:
        assert isinstance(line[key], float | int), key
    assert "| tiny |" in bench.table([row])
    assert "tiny" in bench.scaling_line([row])


def test_profile_report_groups_and_lists_functions(tmp_path: Path) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(bench.generate_review, tmp_path / "review", 10, 2)
    profiler.dump_stats(tmp_path / "run.prof")
    report = bench.profile_report(tmp_path / "run.prof", "tiny")
    assert "| where the time goes |" in report
    assert "top 40 by cumulative" in report
    assert "generate_review" in report


def test_command_line_rejects_an_unknown_scale(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--scales", "3k"]) == 2
    assert "unknown scale(s): 3k" in capsys.readouterr().err


def test_bench_names_nothing_of_the_shipped_paper() -> None:
    text = (ROOT / "benchmarks" / "bench.py").read_text(encoding="utf-8")
    words = re.compile(r"trafficking|IOM|Indonesia|Amalia|Malaysia", re.IGNORECASE)
    assert words.findall(text) == []


def test_library_rows_give_cpu_seconds_and_ratios_per_added_page() -> None:
    from benchmarks import library  # noqa: PLC0415 - it imports bench

    def cost(name: str, cold: float, warm: float, bare: float, pages: int) -> library.Cost:
        def build(cpu: float) -> bench.Build:
            return bench.Build(cpu * 2, cpu, 100.0, pages, 1.0)

        return library.Cost(name, pages // 2, build(cold), build(warm), build(bare))

    base = cost("base", 4.0, 3.0, 2.0, 100)
    row = library.cost_row(cost("1000", 20.0, 13.0, 12.0, 2100), base)
    assert (row["cold_cpu_s"], row["warm_cpu_s"], row["bare_cpu_s"]) == (20.0, 13.0, 12.0)
    assert (row["added_ratio_cold_cpu"], row["added_ratio_warm_cpu"]) == (1.6, 1.0)
    assert row["added_pages"] == 2000
    assert "cold_cpu_s" in library.cost_table([row]).splitlines()[0]


@pytest.mark.parametrize("corpus", sorted(p.name for p in library.CORPORA.glob("*.bib")))
def test_every_corpus_row_holds_its_library_as_import_makes_it(tmp_path: Path, corpus: str) -> None:
    # As a user brings a library in: raw, bibdesk's `url = {+ http://...}` and unescaped `%`
    # are errors of the curated file, and its row was missing from the bench.
    keys = library.library_from_file(tmp_path / "review", library.CORPORA / corpus)
    review, errors = collect_review(tmp_path / "review")
    assert errors == []
    assert set(keys) == set(review.bibliography.entries)


def test_repeated_builds_count_the_run_of_median_cpu(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cpu = iter([9.0, 1.0, 5.0, 4.0, 2.0, 3.0, 6.0, 8.0, 7.0])  # cold x3, warm x3, bare x3

    def fake_build(*_: Path) -> bench.Build:
        return bench.Build(1.0, next(cpu), 1.0, 10, 0.0)

    monkeypatch.setattr(bench, "mkdocs_build", fake_build)
    monkeypatch.setattr(bench, "litreview_markdown_lengths", lambda _: [100] * 9)
    root = tmp_path / "review"
    library.generate_library(root, 3)
    cost = library.build_cost("x", root, tmp_path, print, repeat=3)
    assert (cost.cold.cpu_seconds, cost.warm.cpu_seconds, cost.bare.cpu_seconds) == (5.0, 3.0, 7.0)
