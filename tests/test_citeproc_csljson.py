"""CSL-JSON items: pandoc reads an entry twice (as it is and as written) only when needed.

The items must be exactly those of reading every entry twice, as the engine did before: for
the real corpora, the shipped library and a sample of the benchmark's synthetic entries.
"""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path

import pytest

from benchmarks.bench import bib_entry
from macros.bibliography import citeproc as cp
from macros.bibliography.bibtex import parse_bibliography
from macros.bibliography.styles import STYLES
from tests.conftest import ROOT

CSL = STYLES / "chicago-notes-bibliography-litreview.csl"
LIBRARIES = sorted((ROOT / "tests" / "corpora" / "bibtex").glob("*.bib"))


def _twice(citeproc: cp.Citeproc, keys: list[str]) -> list[str]:
    """Every entry and its as-written copy in one pandoc call: the reference reading."""
    raw = citeproc.raw_entries
    copies = [cp._as_written(raw[k], k, f"{k}{cp._COPY}") for k in keys]
    with tempfile.TemporaryDirectory() as tmp:
        bib = Path(tmp, "references.bib")
        bib.write_text(citeproc._batch_bib([raw[k] for k in keys] + copies, keys), "utf-8")
        out = cp._pandoc([str(bib), "-f", "biblatex", "-t", "csljson"])
    items = {item["id"]: item for item in json.loads(out)}
    for key in keys:
        written = items.get(f"{key}{cp._COPY}", {})
        for name in ("title", "container-title", "collection-title"):
            if name in written:
                items[key][name] = written[name]
    return [json.dumps(items[key], ensure_ascii=False, sort_keys=True) for key in keys]


def _citeproc(text: str, tmp_path: Path) -> cp.Citeproc:
    entries = parse_bibliography("references.bib", text)[0].entries
    raw = {key: entry.raw for key, entry in entries.items()}
    return cp.Citeproc(text, CSL, tmp_path, raw_entries=raw)


def _synthetic() -> str:
    rng = random.Random(7)
    return "\n".join(bib_entry(rng, i)[1] for i in range(60))


@pytest.mark.parametrize(
    "name", [*(p.stem for p in LIBRARIES), "shipped", "synthetic"], ids=lambda n: n
)
def test_one_reading_gives_the_items_of_two(name: str, tmp_path: Path) -> None:
    if name == "shipped":
        text = (ROOT / "references.bib").read_text("utf-8")
    elif name == "synthetic":
        text = _synthetic()
    else:
        text = (ROOT / "tests" / "corpora" / "bibtex" / f"{name}.bib").read_text("utf-8")
    citeproc = _citeproc(text, tmp_path)
    keys = list(citeproc.raw_entries)
    assert citeproc._run_csljson(keys) == _twice(citeproc, keys)


def test_most_entries_are_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The synthetic library: only entries with a ``langid`` are read twice."""
    citeproc = _citeproc(_synthetic(), tmp_path)
    sent: list[str] = []
    real = cp._pandoc

    def recording(arguments: list[str]) -> str:
        sent.append(Path(arguments[0]).read_text("utf-8"))
        return real(arguments)

    monkeypatch.setattr(cp, "_pandoc", recording)
    keys = list(citeproc.raw_entries)
    citeproc._run_csljson(keys)
    with_langid = sum("langid" in citeproc.raw_entries[k] for k in keys)
    assert 0 < with_langid < len(keys)
    entries = sent[0].count("\n@")
    assert entries == len(keys) + with_langid
