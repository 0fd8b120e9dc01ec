"""The real corpora end to end: ``init`` + ``import`` + ``build`` in a fresh review, for each
BibTeX library of ``tests/corpora/bibtex/`` and for the RIS and CSL-JSON exports the engine
itself writes of it (re-imported into another fresh review)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library

from benchmarks import corpora
from tests.conftest import ROOT
from tests.newreview import init_review, litreview, ok

pytestmark = pytest.mark.build

CORPORA = ROOT / "tests" / "corpora" / "bibtex"
NAMES = sorted(p.stem for p in CORPORA.glob("*.bib"))
MATH_IN_HEADING = re.compile(r"<h1[^>]*>[^\n]*?(\$|\\\(|\\\[)")
# An abstract or note may print a dollar sign ("\\$5"), never a TeX formula left as text.
MATH_IN_ABSTRACT = re.compile(
    r"<strong>(?:Abstract|Note)\.</strong>[^\n]*?(\$[^$<\n]*[\\^_{][^$<\n]*\$|\\\(|\\\[)"
)
EXPORTS = {"ris": "library.ris", "csl-json": "library.json"}


def cases(names: list[str], suffix: str = "") -> list[object]:
    return [pytest.param(name, id=name + suffix) for name in names]


def _fields(library: Library) -> dict[str, dict[str, str]]:
    return {
        e.key: {k.lower(): str(v.value).strip() for k, v in e.fields_dict.items()}
        for e in library.entries
    }


def short_entries(bib: Path) -> list[str]:
    """Keys of entries lacking a title, or lacking both a name and a date (crossref followed)."""
    entries = _fields(parse_string(bib.read_text(encoding="utf-8")))

    def get(key: str, field: str, depth: int = 0) -> str:
        fields = entries[key]
        parent = fields.get("crossref", "")
        if fields.get(field) or depth > 3 or parent not in entries:
            return fields.get(field, "")
        return get(parent, field, depth + 1)

    return [
        k
        for k in entries
        if not get(k, "title")
        or not ((get(k, "author") or get(k, "editor")) or get(k, "year") or get(k, "date"))
    ]


def assert_review_is_whole(review: Path, *, abstracts: bool = True) -> int:
    """Every entry has its page, no heading shows raw TeX math, every short entry is warned."""
    bib = review / "references.bib"
    keys = re.findall(r"^@\w+\{([^,\s]+),", bib.read_text(encoding="utf-8"), re.MULTILINE)
    assert keys
    pages = [
        p
        for p in (review / "site" / "references").rglob("*.html")
        if "<dt>Key</dt>" in p.read_text(encoding="utf-8")
    ]
    assert len(pages) == len(keys)
    warnings = json.loads(ok(litreview("check", "--json", cwd=review)).out)["warnings"]
    unwarned = [k for k in short_entries(bib) if not any(f"'{k}' lacks" in w for w in warnings)]
    assert unwarned == []
    texts = {p.name: p.read_text(encoding="utf-8") for p in pages}
    raw = [name for name, text in texts.items() if MATH_IN_HEADING.search(text)]
    assert raw == []
    if abstracts:
        raw = [name for name, text in texts.items() if MATH_IN_ABSTRACT.search(text)]
        assert raw == []
    return len(keys)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """A review per corpus, imported and built once for the module."""
    built: dict[str, Path] = {}

    def review_of(name: str) -> Path:
        if name not in built:
            review = init_review(tmp_path_factory.mktemp(name), "review")
            ok(litreview("import", CORPORA / f"{name}.bib", cwd=review))
            ok(litreview("build", cwd=review))
            built[name] = review
        return built[name]

    return review_of


@pytest.mark.parametrize("name", cases(NAMES))
def test_a_real_library_imports_and_builds_in_a_new_review(
    name: str, imported: Callable[[str], Path]
) -> None:
    review = imported(name)
    assert "sitecheck: ok" in ok(litreview("sitecheck", "--no-browser", cwd=review)).out
    count = assert_review_is_whole(review)
    given = (CORPORA / f"{name}.bib").read_text(encoding="utf-8")
    blocks = re.findall(r"^@(?!string|comment|preamble)", given, re.MULTILINE | re.IGNORECASE)
    assert 0 < count <= len(blocks)  # duplicates merge; nothing else is lost


@pytest.mark.parametrize("export", sorted(EXPORTS))
@pytest.mark.parametrize("name", cases(NAMES))
def test_its_ris_and_csl_json_exports_build_another_new_review(
    name: str, export: str, imported: Callable[[str], Path], tmp_path: Path
) -> None:
    source = imported(name) / "site" / "references" / "exports" / EXPORTS[export]
    review = init_review(tmp_path, "again")
    imported_run = ok(litreview("import", source, cwd=review))
    library = (imported(name) / "references.bib").read_text(encoding="utf-8")
    exported = len(re.findall(r"^@", library, re.MULTILINE))
    assert f"{exported} entries read" in imported_run.out
    ok(litreview("build", cwd=review))
    # RIS and CSL-JSON abstracts are plain text: a TeX formula in one comes back as the literal
    # characters it was written with (as Zotero reads them), so only headings are checked here.
    assert_review_is_whole(review, abstracts=False)


def test_bench_corpora_measures_a_library_end_to_end(tmp_path: Path) -> None:
    """``make bench-corpora``'s row for one library (its seconds are never asserted)."""
    bib = tmp_path / "two.bib"
    bib.write_text(
        "@book{a2000, author={A, B}, title={One}, publisher={P}, year={2000}}\n"
        "@misc{b2001, title={Two $x^2$}, year={2001}}\n",
        encoding="utf-8",
    )
    (tmp_path / "work").mkdir()
    row = corpora.measure(bib, tmp_path / "work")
    assert (row.name, row.entries_in, row.references) == ("two", 2, 2)
    assert row.pages > 2
    assert row.warnings >= 2  # neither entry is cited
    assert row.cold > 0
    assert row.cold_cpu > 0
    assert row.warm > 0
    lines = corpora.table([row]).splitlines()
    assert lines[0].startswith("| corpus | entries in | references | pages out | warnings |")
    assert lines[2].startswith(f"| two | 2 | 2 | {row.pages} | {row.warnings} |")
