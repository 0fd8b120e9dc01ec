"""BibTeX loading: failed blocks become errors with lines; URLs are never decoded or mangled."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros.bibliography.bibtex import (
    missing_required_fields,
    parse_bibliography,
    reparse_bibliography,
)
from tests.conftest import MINI, ROOT

GOOD = """\
@online{agency,
  title = {Risk Assessment},
  url = {https://example.org/Risk%20Assessment%20Report.pdf?a=1&b=2},
}
"""


def errors_of(text: str) -> list[str]:
    _, errors = parse_bibliography("references.bib", text)
    return [str(e) for e in errors]


def test_url_is_kept_byte_for_byte() -> None:
    bibliography, errors = parse_bibliography("references.bib", GOOD)
    assert errors == []
    url = bibliography.entries["agency"].fields["url"]
    assert url == "https://example.org/Risk%20Assessment%20Report.pdf?a=1&b=2"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            GOOD + "@online{agency, title={Again}, url={https://example.org}}\n",
            "references.bib:5: duplicate entry key 'agency'",
        ),
        (
            "@misc{open, title={unclosed}\n@misc{next, title={x}}\n",
            "references.bib:1: cannot parse this block",
        ),
        ("@misc{, title={no key}}\n", "references.bib:1: @misc entry has no key"),
        ("@nonsense{k, title={x}}\n", "references.bib:1: unknown entry type @nonsense"),
        (
            "@online{k,\n  title={x},\n  url={javascript:alert(1)}\n}\n",
            "references.bib:3: url 'javascript:alert(1)' is not an http(s) or mailto link",
        ),
        (
            "@online{k,\n  url={data:text/html;base64,AAAA}\n}\n",
            "references.bib:2: url 'data:text/html;base64,AAAA' is not an http(s) or mailto link",
        ),
        (
            "@online{k,\n  url={vbscript:msgbox}\n}\n",
            "references.bib:2: url 'vbscript:msgbox' is not an http(s) or mailto link",
        ),
        (
            '@string{j = "Journal"}\n@article{k,\n  journal = j # " of " # tests,\n}\n',
            "references.bib:3: 'tests' is not a defined @string",
        ),
        ("@article{k, doi={https://doi.org/10.1/x}}\n", "references.bib:1: doi "),
        (
            "@article{k,\n  journal = undefinedmacro,\n}\n",
            "references.bib:2: 'undefinedmacro' is not a defined @string",
        ),
    ],
)
def test_bad_bibtex_is_an_error_with_its_line(text: str, expected: str) -> None:
    assert any(error.startswith(expected) for error in errors_of(text)), errors_of(text)


def test_defined_strings_and_months_resolve() -> None:
    text = '@string{j = "Journal of Tests"}\n@article{k, journal = j, month = jan, year = 2020}\n'
    bibliography, errors = parse_bibliography("references.bib", text)
    assert errors == []
    assert bibliography.entries["k"].fields["journal"] == "Journal of Tests"


def test_schemeless_printed_url_is_allowed_as_text() -> None:
    assert errors_of("@book{k, title={x}, url={www.example.org%0Awww.example.net}}\n") == []


def test_required_fields_by_type() -> None:
    bibliography, _ = parse_bibliography("r.bib", "@article{k, title={T}, date={2020}}\n")
    assert missing_required_fields(bibliography.entries["k"]) == ["author", "journaltitle|journal"]


@pytest.mark.parametrize("bib", [MINI / "references.bib", ROOT / "references.bib"])
def test_reparsing_an_edited_entry_equals_parsing_the_whole_file(bib: Path) -> None:
    text = bib.read_text(encoding="utf-8")
    before, errors = parse_bibliography("references.bib", text)
    assert errors == []
    for key, entry in before.entries.items():
        edited_entry = re.sub(r"(?m)(^\s*title\s*=\s*\{)", r"\1Edited ", entry.raw, count=1)
        assert edited_entry != entry.raw
        edited = text.replace(entry.raw, edited_entry, 1)
        again = reparse_bibliography(before, edited)
        assert again == parse_bibliography("references.bib", edited)[0], key
        assert again is not None
        assert "Edited " in again.entries[key].fields["title"]


def test_reparsing_gives_up_on_anything_but_a_simple_edit() -> None:
    text = (MINI / "references.bib").read_text(encoding="utf-8")
    before, _ = parse_bibliography("references.bib", text)
    renamed = text.replace("@article{muller2020rivers,", "@article{muller2020streams,")
    assert reparse_bibliography(before, renamed) is None
    longer = text.replace("title = {Rivers", "title = {Rivers\n", 1)
    assert reparse_bibliography(before, longer) is None
    broken = text.replace("title = {Rivers", "title = {{Rivers", 1)
    assert reparse_bibliography(before, broken) is None
    added = text + "\n@misc{extra, title = {Extra}}\n"
    assert reparse_bibliography(before, added) is None
