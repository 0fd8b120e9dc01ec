"""``litreview import``: real libraries of every provenance, RIS, CSL-JSON, and each fix alone.

The corpora are in ``tests/corpora/bibtex/`` (sources and licences in ``tests/corpora/README.md``).
Each is imported into a copy of ``tests/fixtures/mini``; ``litreview check`` must then pass.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from macros.bibliography import exports
from macros.bibliography.addref import formatted_entry, reformat_library
from macros.bibliography.bibtex import parse_bibliography
from macros.bibliography.citeproc import Citeproc
from macros.bibliography.importer import import_files, render_entry
from macros.bibliography.records import Record
from macros.cli.main import main
from tests.conftest import MINI, ROOT, copy_project

CORPORA = ROOT / "tests" / "corpora" / "bibtex"
STYLE = ROOT / "macros" / "bibliography" / "csl" / "chicago-notes-bibliography-litreview.csl"
# Entries of each corpus that are the same work as an earlier one of the same file (by DOI,
# arXiv id, ISBN or title + year + first author), each checked by hand:
# bibdesk: 6 entries imported twice from Zotero and Google Scholar under two keys;
# biblatex-examples: knuth:ct:related, kullback:related, vangennep:related (the same books as
# knuth:ct, kullback:reprint, vangennep, with a `related` field) and baez/online (the arXiv
# version of baez/article); gost-cyrillic: test:eisner-sample-shorted (test:eisner-sample).
MERGES = {"bibdesk": 6, "biblatex-examples": 4, "gost-cyrillic": 1}
MINI_KEYS = {"muller2020rivers", "agency2021report", "example2021alpha", "second2022beta"}
NOT_ENTRIES = {"string", "comment", "preamble"}


def corpus_entries(text: str) -> int:
    """Entries counted without the importer: every ``@type{`` or ``@type(`` but the others."""
    types = re.findall(r"^\s*@(\w+)\s*[{(]", text, re.MULTILINE)
    return sum(kind.lower() not in NOT_ENTRIES for kind in types)


def run(project: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--root", str(project), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def bib(project: Path) -> str:
    return (project / "references.bib").read_text(encoding="utf-8")


@pytest.fixture
def empty_project(tmp_path: Path) -> Path:
    project = tmp_path / "empty"
    project.mkdir()
    (project / "references.bib").write_text("", encoding="utf-8")
    return project


def imported(project: Path, name: str, text: str, *args: str) -> tuple[int, str, str]:
    source = project.parent / name
    source.write_text(text, encoding="utf-8")
    return run(project, "import", *args, str(source))


# --- the real corpora --------------------------------------------------------------------


@pytest.mark.parametrize("corpus", sorted(p.stem for p in CORPORA.glob("*.bib")))
def test_corpus_imports_and_checks(corpus: str, tmp_path: Path) -> None:
    source = CORPORA / f"{corpus}.bib"
    expected = corpus_entries(source.read_text(encoding="utf-8"))
    project = copy_project(MINI, tmp_path / "mini")
    before = bib(project)
    plan, _, _ = import_files(project, [source])
    assert plan.read == expected
    assert len(plan.merged) == MERGES.get(corpus, 0)
    assert len(plan.added) + len(plan.merged) + len(plan.skipped) == expected

    code, out, err = run(project, "import", str(source))
    assert (code, err) == (0, "")
    assert f"{expected} entries read; added {len(plan.added)}" in out
    after = bib(project)
    assert after.startswith(before)
    parsed, errors = parse_bibliography("references.bib", after)
    assert errors == []
    assert len(parsed.entries) == len(MINI_KEYS) + len(plan.added)
    for private in ("file", "annote", "annotation", "owner", "bdsk-file-1", "slaccitation"):
        assert not any(private in entry.fields for entry in parsed.entries.values())
    # What import writes is in the canonical form `litreview bibfmt` asks for.
    _, not_canonical = reformat_library(after)
    assert {key for _, key in not_canonical} <= MINI_KEYS

    code, _, err = run(project, "check")
    assert (code, err) == (0, "")

    # Importing the same library again adds nothing.
    again, _, _ = import_files(project, [source])
    assert again.added == []


def test_corpus_copies_are_self_contained() -> None:
    """Tests never read ../shared: every corpus and licence is in the repository."""
    assert len(list(CORPORA.glob("*.bib"))) == 7
    assert len(list((CORPORA / "licenses").glob("*.LICENSE"))) == 5
    readme = (ROOT / "tests" / "corpora" / "README.md").read_text(encoding="utf-8")
    for corpus in CORPORA.glob("*.bib"):
        assert f"`{corpus.name}`" in readme


# --- one regression case per fix ---------------------------------------------------------

CONCATENATED = """@string{pub = {Foo Press}}
@book{cat2000,
  author = {Cat, Tom}, title = {Strings}, year = 2000,
  publisher = pub # { and Sons}, month = oct # "-" # nov,
}
@article{month2001, author = {Doe, Jane}, title = {Months}, journal = {J}, year = 2001, month = oct}
"""


def test_concatenation_and_string_macros_resolved(empty_project: Path) -> None:
    code, out, _ = imported(empty_project, "in.bib", CONCATENATED)
    assert code == 0
    text = bib(empty_project)
    assert "publisher = {Foo Press and Sons}" in text
    assert "month = {October-November}" in text
    assert "month = {10}" in text
    assert "@string" not in text
    assert "in.bib:4: cat2000: publisher: '#' parts joined into one value" in out


def test_parenthesised_blocks(empty_project: Path) -> None:
    text = (
        '@string(press = "Paren Press")\n@book(paren1999,\n  title = {Round},\n'
        "  author = {Round, Ann},\n  year = 1999, publisher = press)\n"
    )
    code, out, _ = imported(empty_project, "in.bib", text)
    assert code == 0
    assert "@book{paren1999,\n  author = {Round, Ann},\n  publisher = {Paren Press}," in bib(
        empty_project
    )
    assert "in.bib:2: paren1999: @type(key, ...) written as @type{key, ...}" in out


def test_escaped_doi_and_url_unescaped(empty_project: Path) -> None:
    text = r"""@article{esc2020, author = {Esc, Al}, title = {Escapes}, journal = {J}, year = 2020,
  doi = {https://doi.org/10.1000/a\_b}, url = {https://example.org/a\_b\%20c}}
@article{pre2021, author = {Pre, Al}, title = {Prefix}, journal = {J}, year = 2021,
  doi = {doi:10.1000/xyz}}
"""
    assert imported(empty_project, "in.bib", text)[0] == 0
    written = bib(empty_project)
    assert "doi = {10.1000/a_b}" in written
    assert "url = {https://example.org/a_b%20c}" in written
    assert "doi = {10.1000/xyz}" in written


def test_field_given_twice_keeps_the_first_with_a_note(empty_project: Path) -> None:
    text = (
        "@book{twice2000,\n  author = {Two, T},\n  title = {First},\n  title = {Second},\n"
        "  year = 2000,\n  keywords = {a},\n  keywords = {b},\n}\n"
    )
    code, out, _ = imported(empty_project, "in.bib", text)
    assert code == 0
    written = bib(empty_project)
    assert "title = {First}" in written
    assert "Second" not in written
    assert "keywords = {a, b}" in written
    assert "in.bib:4: twice2000: title given twice; kept the first value" in out


def test_language_becomes_langid(empty_project: Path) -> None:
    text = (
        "@book{lang2000, author = {L, A}, title = {T}, year = 2000, language = {Russian}}\n"
        "@book{kept2000, author = {K, A}, title = {U}, year = 2000, language = {russian},\n"
        "  langid = {english}}\n"
    )
    assert imported(empty_project, "in.bib", text)[0] == 0
    parsed, _ = parse_bibliography("references.bib", bib(empty_project))
    assert parsed.entries["lang2000"].fields["langid"] == "russian"
    assert parsed.entries["kept2000"].fields["langid"] == "english"


def test_private_fields_never_reach_the_bibliography(empty_project: Path) -> None:
    text = r"""@article{priv2020, author = {P, A}, title = {Private}, journal = {J}, year = 2020,
  file = {/home/me/Zotero/storage/ABC/paper.pdf}, annote = {my notes}, owner = {me},
  bdsk-file-1 = {YnBsaXN0MDA=}, mendeley-attachment = {C:\Users\me\paper.pdf},
  SLACcitation = "%%CITATION = X;%%", keywords = {source:academic, theme},
  timestamp = {2020-01-01}}
"""
    code, out, _ = imported(empty_project, "in.bib", text, "--verbose")
    assert code == 0
    written = bib(empty_project)
    for private in ("/home/me", "my notes", "owner", "YnBsaXN0", "C:", "CITATION"):
        assert private not in written
    assert "keywords = {source:academic, theme}" in written
    assert "timestamp = {2020-01-01}" in written
    assert "file dropped (private to your library)" in out


def test_duplicate_doi_merged_within_the_file_and_against_the_bibliography(
    empty_project: Path,
) -> None:
    (empty_project / "references.bib").write_text(
        "@article{old2019,\n  author = {Old, A},\n  doi = {10.1234/same},\n  journal = {J},\n"
        "  title = {Old},\n  year = {2019}\n}\n",
        encoding="utf-8",
    )
    before = bib(empty_project)
    text = """@article{new2020, author = {New, A}, title = {New}, journal = {J}, year = 2020,
  doi = {10.1234/other}}
@article{again2020, author = {New, A}, title = {New again}, journal = {J}, year = 2020,
  doi = {10.1234/OTHER}, pages = {1--2}}
@article{dup2019, author = {Old, A}, title = {Old title}, journal = {J}, year = 2019,
  doi = {https://doi.org/10.1234/same}, volume = 3}
"""
    code, out, _ = imported(empty_project, "in.bib", text)
    assert code == 0
    written = bib(empty_project)
    assert written.startswith(before)
    parsed, _ = parse_bibliography("references.bib", written)
    assert set(parsed.entries) == {"old2019", "new2020"}
    assert parsed.entries["new2020"].fields["pages"] == "1--2"
    source = empty_project.parent / "in.bib"
    assert f"{source}:3: again2020: same work as 'new2020' ({source}:1): merged into it" in out
    assert "dup2019: same work as 'old2019' already in the bibliography; it lacks volume" in out
    assert "3 entries read; added 1 to references.bib, 2 merged as duplicates" in out


def test_key_clash_suffixed_and_crossref_follows(mini_project: Path) -> None:
    text = """@collection{muller2020rivers, editor = {Other, A}, title = {Another Book},
  year = 2020}
@incollection{child2020, author = {C, A}, title = {Chapter}, year = 2020,
  crossref = {muller2020rivers}}
@book{, author = {Müller, Jürgen}, title = {The Über Book}, year = 2019}
@book{A&B'2001, author = {A, B}, title = {Amp}, year = 2001}
@book{pipe|2002, author = {P, B}, title = {Pipe}, year = 2002}
"""
    code, out, _ = imported(mini_project, "in.bib", text)
    assert code == 0
    parsed, _ = parse_bibliography("references.bib", bib(mini_project))
    assert parsed.entries["muller2020rivers"].entry_type == "article"  # never rewritten
    assert parsed.entries["muller2020rivers-2"].fields["title"] == "Another Book"
    assert parsed.entries["child2020"].fields["crossref"] == "muller2020rivers-2"
    assert "muller2019uber" in parsed.entries
    assert "A&B'2001" in parsed.entries  # a key pandoc reads is kept as it is
    assert "pipe2002" in parsed.entries  # one it cannot read loses the character
    assert "key 'muller2020rivers' is taken by another entry: written 'muller2020rivers-2'" in out
    assert run(mini_project, "check")[0] == 0


def test_types_upper_case_and_unknown_mapped(empty_project: Path) -> None:
    text = (
        "@BOOK{up2000, author = {U, A}, title = {Up}, year = 2000}\n"
        "@newspaper{news2000, author = {N, A}, title = {News}, journal = {Daily},\n"
        "  date = {2000-01-02}}\n@whatever{odd2000, title = {Odd}, year = 2000}\n"
    )
    code, out, _ = imported(empty_project, "in.bib", text)
    assert code == 0
    parsed, errors = parse_bibliography("references.bib", bib(empty_project))
    assert errors == []
    assert parsed.entries["up2000"].entry_type == "book"
    assert parsed.entries["news2000"].entry_type == "article"
    assert parsed.entries["news2000"].fields["entrysubtype"] == "newspaper"
    assert parsed.entries["odd2000"].entry_type == "misc"
    assert "@newspaper is not a standard type: written @article" in out


def test_dry_run_writes_nothing(mini_project: Path) -> None:
    path = mini_project / "references.bib"
    before = path.read_bytes()
    code, out, _ = run(mini_project, "import", "--dry-run", str(CORPORA / "jabref-groups.bib"))
    assert code == 0
    assert "would add 212" in out
    assert "dry run: nothing was written" in out
    assert path.read_bytes() == before
    assert sorted(p.name for p in mini_project.iterdir() if p.name.startswith(".")) == []


def test_line_endings_and_every_existing_byte_kept(empty_project: Path) -> None:
    path = empty_project / "references.bib"
    existing = b"% my library\r\n@book{a2000,\r\n  title = {A},\r\n  year = {2000}\r\n}"
    path.write_bytes(existing)
    assert imported(empty_project, "in.bib", "@book{b2001, title = {B}, year = 2001}\n")[0] == 0
    written = path.read_bytes()
    assert written.startswith(existing)
    assert b"\n" not in written.replace(b"\r\n", b"")
    assert written.endswith(b"@book{b2001,\r\n  title = {B},\r\n  year = {2001}\r\n}\r\n")


def test_refuses_to_append_after_a_broken_last_entry(empty_project: Path) -> None:
    path = empty_project / "references.bib"
    path.write_text("@book{ok, title = {A}}\n\n@book{broken,\n  title = {B\n", encoding="utf-8")
    before = path.read_bytes()
    code, _, err = imported(empty_project, "in.bib", "@book{b2001, title = {B}, year = 2001}\n")
    assert code == 1
    assert err.startswith("references.bib:3: the last entry is not closed")
    assert path.read_bytes() == before


def test_unreadable_input_fails_with_file_and_line(empty_project: Path) -> None:
    text = "@book{good, title = {A}}\n\n@book{bad,\n  title = {B},\n  year 2000,\n}\n"
    code, out, err = imported(empty_project, "in.bib", text)
    assert code == 1
    source = empty_project.parent / "in.bib"
    assert err.splitlines()[0] == f"{source}:5: expected '=' after the field name 'year', found '2'"
    assert "nothing was written" in err
    assert bib(empty_project) == ""
    assert "Traceback" not in out + err


def test_bibliography_setting_of_mkdocs_yml(mini_project: Path) -> None:
    config = mini_project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - litreview\n", "  - litreview:\n      bibliography: library.bib\n"
        ),
        encoding="utf-8",
    )
    code, out, _ = imported(mini_project, "in.bib", "@book{x2000, title = {X}, year = 2000}\n")
    assert code == 0
    assert "added 1 to library.bib" in out
    assert "@book{x2000," in (mini_project / "library.bib").read_text(encoding="utf-8")


# --- RIS and CSL-JSON --------------------------------------------------------------------

# The shape of Zotero's RIS export (tags per the RIS format specification, CRLF lines).
ZOTERO_RIS = (
    "TY  - JOUR\r\nTI  - Rivers and roads in the delta\r\nAU  - van der Berg, Anna\r\n"
    "AU  - Nguyễn, Thị\r\nT2  - Journal of Tests\r\nDA  - 2020/03/05/\r\nPY  - 2020\r\n"
    "VL  - 3\r\nIS  - 1\r\nSP  - 10\r\nEP  - 20\r\nDO  - 10.1234/rivers_2020\r\n"
    "UR  - https://example.org/rivers?a=1&b=2\r\nKW  - migration\r\nKW  - source:academic\r\n"
    "L1  - file:///home/me/Zotero/storage/X/rivers.pdf\r\nLA  - en\r\nER  - \r\n\r\n"
    "TY  - CHAP\r\nTI  - A chapter: 50% of it\r\nAU  - Smith, John\r\nA2  - Editor, Ed\r\n"
    "T2  - The Big Book\r\nPY  - 2018\r\nPB  - Example Press\r\nCY  - Jakarta\r\n"
    "SN  - 978-0-306-40615-7\r\nER  - \r\n"
)
# The shape of Zotero's CSL JSON export (csl-data.json schema), with Better CSL JSON's key.
ZOTERO_CSL = [
    {
        "id": "http://zotero.org/users/local/abc/items/XYZ",
        "type": "article-journal",
        "title": "Rivers and <i>roads</i> in the delta",
        "container-title": "Journal of Tests",
        "volume": "3",
        "issue": "1",
        "page": "10-20",
        "DOI": "10.1234/rivers_2020",
        "language": "en",
        "author": [
            {"family": "Berg", "given": "Anna", "non-dropping-particle": "van der"},
            {"literal": "Example Agency"},
        ],
        "issued": {"date-parts": [["2020", 3, 5]]},
        "keyword": "migration, source:academic",
    },
    {
        "id": "smith2018chapter",
        "citation-key": "smith2018chapter",
        "type": "chapter",
        "title": "A chapter: 50% of it",
        "container-title": "The Big Book",
        "author": [{"family": "Smith", "given": "John"}],
        "editor": [{"family": "Editor", "given": "Ed"}],
        "publisher": "Example Press",
        "issued": {"date-parts": [[2018]]},
    },
]


def test_zotero_ris(empty_project: Path) -> None:
    code, out, _ = imported(empty_project, "library.ris", ZOTERO_RIS)
    assert code == 0, out
    parsed, errors = parse_bibliography("references.bib", bib(empty_project))
    assert errors == []
    article, chapter = parsed.entries["vanderberg2020rivers"], parsed.entries["smith2018chapter"]
    assert article.entry_type == "article"
    assert article.fields["author"] == r"van der Berg, Anna and Nguyễn, Thị"
    assert article.fields["doi"] == "10.1234/rivers_2020"
    assert article.fields["date"] == "2020-03-05"
    assert article.fields["pages"] == "10--20"
    assert article.fields["keywords"] == "migration, source:academic"
    assert article.fields["langid"] == "english"
    assert "file" not in bib(empty_project)
    assert chapter.entry_type == "incollection"
    assert chapter.fields["booktitle"] == "The Big Book"
    assert chapter.fields["editor"] == "Editor, Ed"
    assert chapter.fields["title"] == r"A chapter: 50\% of it"
    assert chapter.fields["isbn"] == "978-0-306-40615-7"


def test_zotero_csl_json(empty_project: Path) -> None:
    code, out, _ = imported(empty_project, "library.json", json.dumps(ZOTERO_CSL, indent=2))
    assert code == 0, out
    parsed, errors = parse_bibliography("references.bib", bib(empty_project))
    assert errors == []
    assert set(parsed.entries) == {"vanderberg2020rivers", "smith2018chapter"}
    article = parsed.entries["vanderberg2020rivers"]
    assert article.fields["title"] == r"Rivers and \emph{roads} in the delta"
    assert article.fields["author"] == "van der Berg, Anna and {Example Agency}"
    assert article.fields["pages"] == "10--20"
    assert article.fields["date"] == "2020-03-05"
    assert "library.json:2: id 'http://zotero.org/users/local/abc/items/XYZ' cannot be" in out
    assert "vanderberg2020rivers" in out


def test_ris_and_csl_json_of_one_work_merge(empty_project: Path) -> None:
    (empty_project.parent / "a.ris").write_text(ZOTERO_RIS, encoding="utf-8")
    (empty_project.parent / "b.json").write_text(json.dumps(ZOTERO_CSL), encoding="utf-8")
    code, out, _ = run(
        empty_project,
        "import",
        str(empty_project.parent / "a.ris"),
        str(empty_project.parent / "b.json"),
    )
    assert code == 0
    assert "4 entries read; added 2 to references.bib, 2 merged as duplicates" in out


@pytest.mark.parametrize("form", ["ris", "json"])
def test_round_trip_of_the_engines_own_exports(
    form: str, empty_project: Path, tmp_path: Path
) -> None:
    source = (MINI / "references.bib").read_text(encoding="utf-8")
    items = Citeproc(source, STYLE, tmp_path / "cache-a").csl_json()
    text = exports.ris(items) if form == "ris" else exports.csl_json(items)
    code, out, _ = imported(empty_project, f"export.{form}", text)
    assert code == 0, out
    again = Citeproc(bib(empty_project), STYLE, tmp_path / "cache-b").csl_json()
    assert len(again) == len(items)

    # BibTeX collapses runs of white space (pandoc keeps the two spaces "{{ 7*7 }}" leaves).
    def summary(found: list[dict[str, Any]]) -> list[tuple[str, str, str | None]]:
        return sorted((i["id"], " ".join(i["title"].split()), i.get("DOI")) for i in found)

    assert summary(again) == summary(items)


def test_render_entry_is_canonical() -> None:
    record = Record("article", "k2000", {"title": "T", "author": "A, B", "year": "2000"}, "x", 1)
    assert formatted_entry(render_entry(record)) == render_entry(record)
