"""The build report and the bibliography exports."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

from click.testing import CliRunner

from macros.bibliography import exports
from macros.bibliography.bibtex import parse_bibliography
from macros.cli.main import main
from macros.pages.engine import load_review
from macros.pages.report import build_report, url_problem
from tests.conftest import MINI

EXTRA = """
@online{dup1, title = {A}, url = {https://example.org/same}}
@online{dup2, title = {B}, url = {https://example.org/same/}}
@article{thin, title = {No journal}, date = {2020}}
@online{cut, title = {C}, url = {https://example.org/read/29/4033/upaya-dari-}}
"""


def test_report_lists_unused_duplicate_thin_and_broken_looking_entries(mini_project: Path) -> None:
    bib = mini_project / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    findings = build_report(load_review(mini_project), {"muller2020rivers", "agency2021report"})
    lines = [(f.section, f.message) for f in findings]
    assert ("unused", "'dup1' is never cited") in lines
    assert ("duplicates", "'dup2' has the same url as 'dup1'") in lines
    assert ("fields", "'thin' lacks author, journaltitle|journal") in lines
    assert ("urls", "'cut' url looks cut off") in lines
    # An explicit `unsourced:` is a recorded fact (shown on the claim page), not a warning.
    assert not any("overall-works" in message for _, message in lines)
    assert all(str(f).startswith(f"{f.path}:{f.line}: warning: ") for f in findings)


def test_check_lists_warnings_on_request_and_still_exits_zero(mini_project: Path) -> None:
    bib = mini_project / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    result = CliRunner().invoke(main, ["--root", str(mini_project), "check", "--warnings"])
    assert result.exit_code == 0
    assert ": warning: 'dup1' is never cited" in result.output
    assert "references.bib:" in result.output


def test_url_shapes() -> None:
    assert url_problem("https://example.org/a%20b") is None
    assert url_problem("www.example.org") == "has no scheme (http:// or https://)"
    assert url_problem("www.a.org%0Awww.b.org") == "contains a line break or space"


def test_bibtex_export_round_trips() -> None:
    review = load_review(MINI)
    text = exports.bibtex(list(review.bibliography.entries.values()))
    again, errors = parse_bibliography("export.bib", text)
    assert errors == []
    for key, entry in review.bibliography.entries.items():
        assert again.entries[key].fields == entry.fields


def test_ris_and_csl_json_exports_round_trip() -> None:
    items = [
        {
            "id": "a",
            "type": "article-journal",
            "title": "Rivers & Roads",
            "author": [{"family": "Müller", "given": "Hans"}],
            "container-title": "J",
            "volume": "3",
            "issue": "1",
            "page": "10-20",
            "issued": {"date-parts": [[2020]]},
            "URL": "https://example.org/a%20b?x=1&y=2",
        },
        {
            "id": "b",
            "type": "webpage",
            "title": "Page",
            "author": [{"literal": "Example Agency"}],
            "accessed": {"date-parts": [[2023, 3, 26]]},
            "language": "id",
        },
    ]
    records = exports.parse_ris(exports.ris(items))
    assert records[0] == {
        "TY": ["JOUR"],
        "ID": ["a"],
        "AU": ["Müller, Hans"],
        "TI": ["Rivers & Roads"],
        "T2": ["J"],
        "VL": ["3"],
        "IS": ["1"],
        "UR": ["https://example.org/a%20b?x=1&y=2"],
        "PY": ["2020"],
        "SP": ["10"],
        "EP": ["20"],
    }
    assert records[1]["Y2"] == ["2023/03/26"]
    assert records[1]["AU"] == ["Example Agency"]
    assert json.loads(exports.csl_json(items)) == items


def test_each_entry_page_carries_its_own_downloads(mini_site: Path) -> None:
    page = (mini_site / "references" / "muller2020rivers.html").read_text("utf-8")
    links = {
        name: base64.b64decode(data).decode()
        for data, name in re.findall(
            r'href="data:[^;"]+;charset=utf-8;base64,([^"]+)" download="([^"]+)"', page
        )
    }
    assert sorted(links) == [
        "muller2020rivers.bib",
        "muller2020rivers.json",
        "muller2020rivers.ris",
    ]
    again, errors = parse_bibliography("entry.bib", links["muller2020rivers.bib"])
    assert errors == []
    assert list(again.entries) == ["muller2020rivers"]
    [item] = json.loads(links["muller2020rivers.json"])
    assert item["id"] == "muller2020rivers"
    [record] = exports.parse_ris(links["muller2020rivers.ris"])
    assert record["TI"] == [item["title"]]
    assert not (mini_site / "references" / "exports" / "muller2020rivers.bib").exists()
    assert (mini_site / "references" / "exports" / "library.bib").is_file()
