"""Real-world BibTeX read at build time as biber and pandoc read it (issue 16).

Each test is a minimal case of what a real library (``tests/corpora/bibtex/``) broke.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from macros.bibliography.bibtex import parse_bibliography
from macros.bibliography.citeproc import Citeproc, Formatted, safe_html
from macros.bibliography.exports import bibtex, ris_record
from macros.cli.main import main
from macros.content.settings import load_settings
from macros.pages.backlinks import sentence_around_call
from macros.pages.checks import check_project
from macros.pages.render import _item_view, item_citation_meta

STYLE = Path(__file__).resolve().parent.parent / "macros" / "bibliography" / "csl"
CSL = STYLE / "chicago-notes-bibliography-litreview.csl"

LIBRARY = r"""
@string(pub = {Example Press})
@string{dtv = {Deutscher Taschenbuch-Verlag}}
@set{myset, entryset={first2001,second2002}}
@article{first2001, author={Doe, John and others},
  title={The Case of {Mars} in Space $\sqrt{s} = 13$ TeV}, journaltitle={J},
  date={2001-03/2001-05}, langid={english}}
@article{second2002, author={van der Berg, Jan}, title={Second Title Here}, journaltitle={J},
  year={2002}, month=oct, language={russian}, publisher=dtv # { and Co}}
@inbook{child, crossref={parent}, title={Child Chapter}, pages={1--2}}
@book{parent, author={Pa, Rent}, title={Parent Book}, publisher={P}, year={1999}}
@article{dummy,}
@article{at&t2000, author={A, B}, title={Amp Key $\badmacro{x}$}, journaltitle={J}, year={2000},
  doi={10.1000/abc\_def}, url={http://x.org/a\_b}, title={Second}}
@book(paren, author={P, Q}, title={Paren Book}, publisher=pub, year=2000)
@newspaper{np, author={Fu, Gang}, title={Sand Storm News}, journaltitle={People Daily},
  date={2000-05-01}, Bdsk-Url-1={http://x.org/Risk%20Assessment}}
"""


@pytest.fixture(scope="module")
def formatted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Citeproc, dict[str, Formatted]]:
    bib, errors = parse_bibliography("references.bib", LIBRARY)
    assert errors == []
    citeproc = Citeproc(
        LIBRARY,
        CSL,
        tmp_path_factory.mktemp("cache"),
        raw_entries={key: entry.source for key, entry in bib.entries.items()},
    )
    return citeproc, citeproc.bibliography()


def test_reader_accepts_real_world_syntax() -> None:
    bib, errors = parse_bibliography("references.bib", LIBRARY)
    assert errors == []
    assert bib.entries["second2002"].fields["publisher"] == "Deutscher Taschenbuch-Verlag and Co"
    assert bib.entries["at&t2000"].fields["title"] == r"Amp Key $\badmacro{x}$"
    assert bib.entries["at&t2000"].notes == ("title is given twice; the first value is used",)
    assert "np" in bib.entries  # @newspaper, as pandoc reads it


def test_percent_only_matters_in_printed_fields() -> None:
    text = "@misc{a, title={50% of it}, Bdsk-Url-1={http://x.org/a%20b}}"
    _, errors = parse_bibliography("references.bib", text)
    assert [e.message for e in errors] == [
        "unescaped % starts a LaTeX comment and drops the rest of the line"
    ]
    assert "title" in str(errors[0])


def test_every_entry_formatted(formatted: tuple[Citeproc, dict[str, Formatted]]) -> None:
    _, entries = formatted
    assert "October 2002" in entries["second2002"].text
    assert entries["paren"].text == "P, Q. Paren Book. Example Press, 2000."
    assert "In Parent Book" in entries["child"].text
    assert "March–May 2001" in entries["first2001"].text
    assert "et al." in entries["first2001"].text
    assert "People Daily" in entries["np"].text


def test_key_with_ampersand_keeps_its_entry_and_escaped_doi_is_live(
    formatted: tuple[Citeproc, dict[str, Formatted]],
) -> None:
    _, entries = formatted
    assert 'href="https://doi.org/10.1000/abc_def"' in entries["at&t2000"].html


def test_set_shown_as_members_and_empty_entry_never_bare_nd(
    formatted: tuple[Citeproc, dict[str, Formatted]],
) -> None:
    citeproc, entries = formatted
    assert entries["myset"].text.startswith("Doe, John et al.")
    assert "Second Title Here" in entries["myset"].text
    assert "incomplete entry" in entries["dummy"].text
    notes = citeproc.notes([("dummy", None), ("myset", None), ("child", None)], prune=False)
    assert "incomplete entry" in notes[("dummy", None)].text
    assert "Jan van der Berg" in notes[("myset", None)].text
    assert "Parent Book" in notes[("child", None)].text  # the crossref parent in a note


def test_math_as_mathml_and_unconvertible_math_as_code(
    formatted: tuple[Citeproc, dict[str, Formatted]],
) -> None:
    _, entries = formatted
    first = entries["first2001"]
    assert "<math" in first.html
    assert "<msqrt>" in first.html
    assert "$" not in first.text
    assert r"\sqrt{s} = 13" in first.text
    assert '<code class="lr-tex">\\badmacro{x}</code>' in entries["at&t2000"].html


def test_titles_keep_their_written_case_in_csl_json(
    formatted: tuple[Citeproc, dict[str, Formatted]],
) -> None:
    citeproc, _ = formatted
    items = {item["id"]: item for item in citeproc.csl_json()}
    assert items["first2001"]["title"].startswith("The Case of Mars in Space")
    assert items["first2001"]["language"] == "en-US"
    assert items["second2002"]["language"] == "ru-RU"  # from language, langid missing
    assert items["child"]["container-title"] == "Parent Book"
    assert items["at&t2000"]["DOI"] == "10.1000/abc_def"
    assert items["second2002"]["publisher"].startswith("Deutscher Taschenbuch-Verlag")


@pytest.mark.parametrize(
    "payload",
    [
        '<math href="javascript:alert(1)"><mi xlink:href="javascript:alert(1)">x</mi></math>',
        '<math><mi onclick="alert(1)" onmouseover="alert(1)">x</mi></math>',
        '<math><maction actiontype="statusline"><mi>x</mi><mtext>j</mtext></maction></math>',
        '<math><semantics><mi>x</mi><annotation-xml encoding="text/html">'
        "<script>alert(1)</script></annotation-xml></semantics></math>",
        '<math><mi style="background:url(javascript:alert(1))">x</mi></math>',
    ],
)
def test_mathml_sanitised(payload: str) -> None:
    out = safe_html(payload)
    for bad in ("href", "onclick", "onmouseover", "script", "maction", "style", "javascript"):
        assert bad not in out, out


def test_private_fields_and_string_macros_never_reach_pandoc_or_exports() -> None:
    text = (
        "@string{pub = {Example Press}}\n"
        "@book{b, author={A, B}, title={T}, publisher=pub, year=2000,\n"
        "  file={/home/me/Zotero/storage/x.pdf}, annote={my notes}, annotation={Public.}}\n"
    )
    bib, errors = parse_bibliography("references.bib", text)
    assert errors == []
    exported = bibtex(list(bib.entries.values()))
    assert "/home/me" not in exported
    assert "my notes" not in exported
    assert "publisher = {Example Press}" in exported
    assert "annotation = {Public.}" in exported
    assert bib.entries["b"].source == exported.strip()


def _add_ref(project: Path, snippet: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(project), "add-ref", "-"], input=snippet)
    return result.exit_code, result.output


def test_add_ref_refuses_a_duplicate_doi_and_an_unprintable_entry(mini_project: Path) -> None:
    first = (
        "@article{one2024, author={Doe, J}, title={T}, journal={J}, year={2024}, doi={10.1234/Ab}}"
    )
    assert _add_ref(mini_project, first)[0] == 0
    code, output = _add_ref(mini_project, first.replace("one2024", "two2024").replace("Ab", "aB"))
    assert code == 1
    assert "already in the library as 'one2024'" in output
    code, output = _add_ref(mini_project, "@misc{bare2024, note={only a note}}")
    assert code == 1
    assert "'bare2024' cannot be printed by the style: it has no title and no author" in output


def test_add_ref_leaves_private_fields_out(mini_project: Path) -> None:
    snippet = (
        "@article{zot2024, author={Doe, J}, title={T}, journal={J}, year={2024},\n"
        "  file={/home/me/Zotero/storage/AB12/x.pdf}, keywords={source:academic, migration}}"
    )
    assert _add_ref(mini_project, snippet)[0] == 0
    written = (mini_project / "references.bib").read_text(encoding="utf-8")
    assert "/home/me" not in written
    assert "keywords = {source:academic, migration}" in written


def test_unprintable_entry_and_field_given_twice_are_report_warnings(mini_project: Path) -> None:
    with (mini_project / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n@article{dummy,}\n\n@misc{twice, title={A}, title={B}, year={2000}}\n")
    findings = [str(f) for f in check_project(load_settings(mini_project)).findings()]
    assert any(
        f.startswith("references.bib:") and "'dummy' has no title and no author" in f
        for f in findings
    ), findings
    assert any("'twice': title is given twice" in f for f in findings), findings


def test_name_particles_kept_in_ris_and_citation_author() -> None:
    item = {
        "id": "k",
        "type": "article-journal",
        "title": "A Title Kept As Written",
        "author": [
            {"family": "Berg", "given": "Jan", "dropping-particle": "van der"},
            {"family": "Bois", "given": "W. E. B.", "non-dropping-particle": "du"},
            {"literal": "others"},
        ],
    }
    ris = ris_record(item)
    assert "AU  - van der Berg, Jan" in ris
    assert "AU  - du Bois, W. E. B." in ris
    assert "others" not in ris
    meta = item_citation_meta(item)
    assert ("citation_title", "A Title Kept As Written") in meta
    assert [v for n, v in meta if n == "citation_author"] == [
        "van der Berg, Jan",
        "du Bois, W. E. B.",
    ]


def _documented_cite_calls() -> list[str]:
    root = Path(__file__).resolve().parent.parent
    text = "".join((root / name).read_text(encoding="utf-8") for name in DOCUMENTED)
    return re.findall(r"\{\{\s*cite\(.*?\)\s*\}\}", text)


DOCUMENTED = ("README.md", "CONTRIBUTING.md")
LOCATORS = ("p. 4", "pp. 4–6", "§ 2", "ch. 3, n. 12")


@pytest.mark.parametrize(
    "call",
    _documented_cite_calls()
    + [f'{{{{ cite("k", locator="{locator}") }}}}' for locator in LOCATORS],
)
def test_cited_by_context_keeps_the_sentence_around_a_locator(call: str) -> None:
    markdown = f"Intro line.\n\nMigration rose in the region{call}. Then it fell.\n"
    assert sentence_around_call(markdown, 0) == "Migration rose in the region."


def test_documented_examples_found() -> None:
    assert len(_documented_cite_calls()) >= 3


def test_locators_with_spaces_punctuation_and_unicode_render_in_the_note(
    formatted: tuple[Citeproc, dict[str, Formatted]],
) -> None:
    citeproc, _ = formatted
    notes = citeproc.notes([("parent", locator) for locator in LOCATORS], prune=False)
    for locator in LOCATORS:
        text = notes[("parent", locator)].text
        assert text.startswith("Rent Pa, Parent Book (P, 1999)"), text
        assert locator.split()[-1] in text, (locator, text)


def test_heading_and_citation_title_plain_text_as_written() -> None:
    item = {"id": "k", "title": r"The Case of <i>Mars</i> at $\sqrt{s} = 13$ TeV"}
    assert _item_view(item)["title"] == r"The Case of Mars at \sqrt{s} = 13 TeV"
    assert item_citation_meta(item)[0] == ("citation_title", _item_view(item)["title"])


JABREF_STYLE = """% Encoding: UTF-8

@Article{GarridoKallstrom2016,
  author    = {Mario Garrido and Petter Kallstrom},
  title     = {{CORDIC} {II:} {A} New Improved {CORDIC} Algorithm},
  doi       = {10.1109/TCSII.2015.2483422},
  journal   = {{IEEE} Trans. on Circuits and Systems},
  timestamp = {Mon, 08 Feb 2016 00:00:00 +0100},
  year      = {2016},
}

@Comment{jabref-meta: databaseType:bibtex;}
"""
BBT_STYLE = """@article{smith_migration_2020,
\ttitle = {Migration in the region},
\tvolume = {3},
\turl = {https://example.org/a},
\tdoi = {10.1234/abc},
\tlanguage = {en},
\tjournal = {Journal of Tests},
\tauthor = {Smith, Jane and Doe, John},
\tmonth = jan,
\tyear = {2020},
\tkeywords = {migration, source:academic},
\tpages = {1--20},
}
"""


@pytest.mark.parametrize("text", [JABREF_STYLE, BBT_STYLE])
def test_bibfmt_accepts_jabref_and_better_bibtex_layouts(mini_project: Path, text: str) -> None:
    (mini_project / "references.bib").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["--root", str(mini_project), "bibfmt"])
    assert result.exit_code == 0, result.output


def test_bibfmt_still_refuses_two_fields_on_a_line(mini_project: Path) -> None:
    squashed = "@article{k,\n  author = {A, B}, title = {T},\n  year = {2020}\n}\n"
    (mini_project / "references.bib").write_text(squashed, encoding="utf-8")
    result = CliRunner().invoke(main, ["--root", str(mini_project), "bibfmt"])
    assert result.exit_code == 1
