"""The shipped review as a literature review: its works, themes, extraction table, synthesis
matrix and glossary (``review``: these assert the repository's own content)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros.content.load import load_review
from macros.kinds import KINDS
from tests.conftest import ROOT

pytestmark = pytest.mark.review

SEED = ROOT / "seeds" / "amalia2021-fulltext.txt"  # read by the test: a new review has none

# Every abbreviation the paper prints (front matter, body, notes, reference list, honorifics),
# each as printed; each has a glossary entry (an entity whose abbreviation or alias it is).
ABBREVIATIONS = {
    "3P", "AJI", "AVRR", "BaKTI", "BNP2TKI", "BP2MI", "C4D", "CIA", "COVID-19", "CREST", "CTDC",
    "CTU", "FISIP", "HAM", "IEC", "IOM", "IRIS", "KEMENPPPA", "Kemen PPA", "Kemen PPPA", "KOICA",
    "OPP", "PMI", "PMPMI", "SOP", "SPM", "TOT", "TPPO", "UK", "UN", "UNDP", "UNODC", "US",
    # religious honorifics, the hadith's source, citation and currency abbreviations
    "SAW", "SWT", "HR.", "Ibid.", "et al.", "no.", "No.", "Rp.",
}  # fmt: skip
# Capitalised words that are no abbreviations: titles printed in capitals (the paper's own, and
# Indonesian titles in its notes and reference list) and headings.
CAPITALS = {
    "ABSTRACT", "ADDRESSING", "AGAINST", "ANGAN", "ANTI", "ASASI", "BEBAS", "BESAR", "DALAM",
    "DAN", "DARI", "DI", "DUNIA", "EFFECTIVENESS", "FOR", "HAK", "HARI", "HUMAN", "IN",
    "INDONESIA", "INDONESIAN", "INTERNASIONAL", "INTERNATIONAL", "KEDUTAAN", "KETERLIBATAN",
    "KINERJA", "KUALA", "LAPORAN", "LUMPUR", "MALAYSIA", "MANUSIA", "MEWUJUDKAN", "MIGRANT",
    "MIGRATION", "OF", "ORANG", "ORGANISASI", "ORGANIZATION", "PELANGGARAN", "PENYELESAIAN",
    "PERAN", "PERDAG", "PERDAGANGAN", "PERINGATI", "PERLU", "PIHAK", "POST", "REGIONAL",
    "REPUBLIK", "SEMUA", "THE", "TRAFFICKING", "UPAYA", "WORKERS",
}  # fmt: skip
# Parts of abbreviations above, found by the scan on their own.
PARTS = {"PPA": "Kemen PPA", "PPPA": "Kemen PPPA", "HR": "HR."}
_URL = re.compile(r"<?https?://\S+|\S*www\.\S+")
_CAPITALISED = re.compile(r"\b[A-Z0-9][A-Za-z0-9]*[A-Z][A-Za-z0-9]*\b")
_DOTTED = re.compile(r"(?<![\w.])(Ibid|et al|[Nn]o|Vol|pp?|eds?|Rp|HR|etc|cf|vs|e\.g|i\.e)\.")


def test_glossary_has_an_entry_for_every_abbreviation_the_paper_prints() -> None:
    text = _URL.sub(" ", SEED.read_text(encoding="utf-8"))
    found = set(_CAPITALISED.findall(text.replace("COVID-19", " ")))
    found |= {"COVID-19"} if "COVID-19" in text else set()
    found |= {m[0] for m in _DOTTED.finditer(text)}
    found = {PARTS.get(token, token) for token in found} - CAPITALS
    assert found <= ABBREVIATIONS, "abbreviations printed but not listed here"
    for abbreviation in ABBREVIATIONS:
        assert abbreviation in text, f"{abbreviation} is not printed in the paper"
    review = load_review(ROOT, kinds=KINDS)
    entries = {
        name
        for entity in review.entities.values()
        for name in [entity.abbreviation, *entity.aliases]
        if name
    }
    missing = sorted(a for a in ABBREVIATIONS if a not in entries and a.rstrip(".") not in entries)
    assert missing == [], f"no glossary entry for {missing}"


def test_works_each_say_what_was_read_and_nine_have_extraction_values() -> None:
    review = load_review(ROOT, kinds=KINDS)
    works = review.of("works")
    assert len(works) >= 9
    for key, work in works.items():
        assert work.read is not None, f"{key}: what was read?"
        assert work.read.note, f"{key}: which passages were read?"
        assert key in review.bibliography.entries
        assert work.themes
        assert work.summary
    extracted = review.of("extraction")
    assert len(extracted) >= 9
    assert set(extracted) <= set(works)
    assert review.papers["amalia2021"].key in works  # the deep reading is a work too


def test_themes_and_synthesis_state_the_two_discrepancies_with_amalia() -> None:
    review = load_review(ROOT, kinds=KINDS)
    cells = review.of("synthesis")
    women = [c for c in cells.values() if c.direction == "contradicts"]
    assert any("69 %" in c.finding and "90 %" in c.finding for c in women)
    covid = review.of("themes")["covid-vulnerability"].synthesis or ""
    for number in ("2,229", "487", "373", "82", "119", "96", "Conclusion ¶2"):
        assert number in covid
    assert "concl-covid-cases-increased" in review.of("themes")["covid-vulnerability"].claims


def test_works_themes_extraction_and_synthesis_pages_are_built(real_site: Path) -> None:
    table = (real_site / "extraction" / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<tr id="work-[^"]+" data-key=', table)) >= 9
    work = (real_site / "works" / "lyneham2014recovery.html").read_text(encoding="utf-8")
    assert "opening only" in work
    assert "No results were read" in work
    theme = (real_site / "themes" / "covid-vulnerability.html").read_text(encoding="utf-8")
    assert "Agreement and conflict" in theme
    assert "2,229" in theme
    matrix = (real_site / "synthesis" / "index.html").read_text(encoding="utf-8")
    assert matrix.count('title="contradicts"') >= 1
    recent = (real_site / "works" / "recent.html").read_text(encoding="utf-8")
    assert "2026-11-28" in recent
    assert "2026-11-23" in recent
