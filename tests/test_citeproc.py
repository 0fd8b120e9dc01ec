"""pandoc citeproc: real CSL formatting, batched, cached, decoded and escaped."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.bibliography import citeproc as citeproc_module
from macros.bibliography.citeproc import Citeproc, safe_links
from tests.conftest import MINI, ROOT

STYLES = ROOT / "macros" / "bibliography" / "csl"


@pytest.fixture
def citeproc(tmp_path: Path) -> Citeproc:
    bib = (MINI / "references.bib").read_text(encoding="utf-8")
    return Citeproc(bib, STYLES / "chicago-notes-bibliography-litreview.csl", tmp_path / "cache")


def test_bibliography_decodes_latex_and_escapes_html(citeproc: Citeproc) -> None:
    entry = citeproc.bibliography()["muller2020rivers"]
    assert entry.text.startswith("Müller, Hans, and Thị Nguyễn.")
    assert "<script>" not in entry.html
    assert "&lt;" in entry.html


def test_url_reaches_href_unchanged(citeproc: Citeproc) -> None:
    entry = citeproc.bibliography()["agency2021report"]
    assert 'href="https://example.org/files/Annual%20Report%202021.pdf?a=1&amp;b=2"' in entry.html


def test_notes_are_full_form_with_locator(citeproc: Citeproc) -> None:
    notes = citeproc.notes([("muller2020rivers", "p. 12"), ("muller2020rivers", None)])
    with_locator = notes[("muller2020rivers", "p. 12")].text
    assert with_locator.startswith("Hans Müller and Thị Nguyễn,")
    assert with_locator.endswith("(2020): 12.")
    assert notes[("muller2020rivers", None)].text.endswith("(2020): 10–20.")


def test_results_are_cached_by_content_hash(citeproc: Citeproc, tmp_path: Path) -> None:
    citeproc.bibliography()
    cached = sorted(p.name for p in (tmp_path / "cache").iterdir())
    assert [name.split("-")[0] for name in cached] == ["bibliography"]
    again = Citeproc(citeproc.bib_text, citeproc.csl_path, tmp_path / "cache")
    assert again.bibliography() == citeproc.bibliography()
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == cached


def test_another_pandoc_is_not_served_from_the_cache(
    citeproc: Citeproc, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    citeproc.bibliography()
    citeproc.csl_json()
    monkeypatch.setattr(citeproc_module, "pandoc_identity", lambda: "pandoc:another")
    again = Citeproc(citeproc.bib_text, citeproc.csl_path, tmp_path / "cache")
    ran: list[list[str]] = []
    real = citeproc_module._pandoc

    def counting(arguments: list[str]) -> str:
        ran.append(arguments)
        return real(arguments)

    monkeypatch.setattr(citeproc_module, "_pandoc", counting)
    assert again.bibliography() == citeproc.bibliography()
    again.csl_json()
    assert len(ran) >= 2  # both the bibliography and the CSL-JSON items ran again


def test_switching_style_to_apa_needs_only_the_style(tmp_path: Path) -> None:
    bib = (MINI / "references.bib").read_text(encoding="utf-8")
    apa = Citeproc(bib, STYLES / "apa.csl", tmp_path)
    assert apa.bibliography()["muller2020rivers"].text.startswith(
        "Müller, H., & Nguyễn, T. (2020)."
    )


def test_unsafe_links_are_neutralised() -> None:
    assert safe_links('<a href="javascript:alert(1)">x</a>') == '<a href="#">x</a>'
    assert safe_links('<a href="https://a.org/">x</a>') == '<a href="https://a.org/">x</a>'


def _recording_pandoc(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replace pandoc with itself plus a log of the BibTeX each call was given."""
    sent: list[str] = []
    real = citeproc_module._pandoc

    def recording(arguments: list[str]) -> str:
        bib = next(a.split("=", 1)[-1] for a in arguments if a.endswith(".bib"))
        sent.append(Path(bib).read_text(encoding="utf-8"))
        return real(arguments)

    monkeypatch.setattr(citeproc_module, "_pandoc", recording)
    return sent


def test_editing_one_entry_reformats_only_that_entry(
    citeproc: Citeproc, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    citations = [(key, None) for key in citeproc.raw_entries]
    citeproc.csl_json()
    citeproc.notes(citations)
    edited_text = citeproc.bib_text.replace("Rivers", "Streams", 1)
    assert edited_text != citeproc.bib_text
    sent = _recording_pandoc(monkeypatch)
    edited = Citeproc(edited_text, citeproc.csl_path, tmp_path / "cache")
    items = edited.csl_json()
    notes = edited.notes(citations)
    # The CSL-JSON call also sends the entry's copy that keeps its title as written.
    assert [text.count("\n@") + text.startswith("@") for text in sent] == [2, 1]
    assert "Streams" in sent[0]
    assert any("Streams" in item.get("title", "") for item in items)
    assert any("Streams" in note.text for note in notes.values())


def test_batches_give_the_same_notes_as_one_call(
    citeproc: Citeproc, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    citations = [(key, locator) for key in citeproc.raw_entries for locator in (None, "p. 3")]
    whole = citeproc.notes(citations)
    monkeypatch.setattr(citeproc_module, "BATCH", 2)
    sent = _recording_pandoc(monkeypatch)
    batched = Citeproc(citeproc.bib_text, citeproc.csl_path, tmp_path / "other").notes(citations)
    assert batched == whole
    assert len(sent) == -(-len(citations) // 2)
