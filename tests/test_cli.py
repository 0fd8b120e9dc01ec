"""The command line: scaffolding, adding references, formatting, reports, editor schemas."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from macros.bibliography import addref
from macros.cli.main import build_site, main
from macros.kinds import KINDS
from tests.conftest import ROOT

SCHEMA_NAMES = {kind.name: kind.schema_name for kind in KINDS}

# Values that make a freshly scaffolded file of each kind valid in the mini fixture.
REQUIRED = {
    "papers": {
        "key": "muller2020rivers",
        "summary": {"question": "Q?", "method": "M.", "conclusion": "C."},
    },
    "footnotes": {
        "notes": [{"number": 1, "printed": "Ibid.", "where": {"section": "body", "paragraph": 1}}]
    },
    "reflists": {
        "heading": "References",
        "entries": [{"key": "muller2020rivers", "printed": "A line."}],
    },
    "entities": {"name": "New Thing", "type": "program", "summary": "A new program."},
    "claims": {
        "paper": "alpha",
        "kind": "finding",
        "statement": "Rivers are long.",
        "where": {"section": "intro", "paragraph": 1},
        "quote": "Rivers are long",
        "evidence": [{"footnote": 1}],
    },
    "audit": {
        "paper": "alpha",
        "title": "A problem",
        "category": "method",
        "severity": "minor",
        "where": {"section": "intro", "paragraph": 1},
        "quote": "Rivers are long",
        "explanation": "Why it matters.",
    },
    "events": {
        "paper": "alpha",
        "title": "A meeting",
        "date": "2021-02",
        "summary": "It met.",
        "where": {"section": "intro", "paragraph": 2},
    },
    "fields": {"label": "Country", "type": "country"},
    "extraction": {"values": {"design": "survey"}},
    "gapmaps": {"title": "Designs by theme", "rows": "themes", "columns": "design"},
    "appraisal": {
        "title": "Risk of bias",
        "tool": "rob2",
        "works": [
            {
                "work": "muller2020rivers",
                "domains": {"d1": {"judgement": "low"}},
                "overall": {"judgement": "low"},
            }
        ],
    },
    "statistics": {
        "paper": "alpha",
        "value": 12,
        "unit": "pages",
        "wording": "Rivers are long",
        "measures": "Nothing.",
        "where": {"section": "intro", "paragraph": 1},
        "evidence": [{"unsourced": "No source."}],
    },
    "works": {"status": "candidate"},
    "themes": {"name": "Fresh theme"},
    "synthesis": {
        "theme": "rivers",
        "work": "muller2020rivers",
        "finding": "Mixed.",
        "direction": "mixed",
    },
    "searches": {"source": "An index", "date": "2024-01-01", "records": 0},
    "reasons": {"label": "Off topic"},
    "screening": {"records": []},
    "stages": {"label": "Title and abstract", "phase": "screening", "order": 1},
}
# Files a kind's new item needs beside it: declared stages replace both default stages.
BESIDE = {
    "stages": {
        "content/stages/full-text.yaml": "id: full-text\nlabel: Full text\nphase: eligibility\n"
        "order: 2\n"
    }
}
IDENT = {
    "stages": "title-abstract",
    "footnotes": "beta",
    "reflists": "beta",
    "works": "agency2021report",
    "extraction": "agency2021report",
}


def run(project: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(project), *args], input=stdin)
    return result.exit_code, result.output


@pytest.mark.parametrize("kind", sorted(SCHEMA_NAMES))
def test_new_scaffolds_every_kind_and_passes_check_once_filled(
    mini_project: Path, kind: str
) -> None:
    ident = IDENT.get(kind, "fresh-item")
    (mini_project / "content" / kind / f"{ident}.yaml").unlink(missing_ok=True)
    code, output = run(mini_project, "new", kind, ident)
    assert code == 0, output
    path = mini_project / "content" / kind / f"{ident}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema=../../schemas/{SCHEMA_NAMES[kind]}")
    code, output = run(mini_project, "check")
    assert code == 1  # required fields are empty
    data = yaml.safe_load(text)
    data.update(REQUIRED[kind])
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    for rel, beside in BESIDE.get(kind, {}).items():
        (mini_project / rel).write_text(beside, encoding="utf-8")
    code, output = run(mini_project, "check")
    assert code == 0, output


def test_new_refuses_to_overwrite(mini_project: Path) -> None:
    code, output = run(mini_project, "new", "entities", "river-program")
    assert code == 1
    assert "content/entities/river-program.yaml already exists" in output


def test_add_ref_appends_a_normalised_entry_and_leaves_the_rest(mini_project: Path) -> None:
    library = mini_project / "references.bib"
    before = library.read_text(encoding="utf-8")
    snippet = (
        '@article{doe2024new, title={A New T\\"{i}tle}, year={2024}, '
        "url={https://example.org/a%20b&c}, journal={J}, author={Doe, Jane}}"
    )
    code, output = run(mini_project, "add-ref", "-", stdin=snippet)
    assert code == 0, output
    after = library.read_text(encoding="utf-8")
    assert after.startswith(before)
    assert after[len(before) :].strip() == (
        "@article{doe2024new,\n  author = {Doe, Jane},\n  journal = {J},\n"
        '  title = {A New T\\"{i}tle},\n  url = {https://example.org/a%20b&c},\n'
        "  year = {2024}\n}"
    )
    code, output = run(mini_project, "add-ref", "-", stdin=snippet)
    assert code == 1
    assert "already in the library: doe2024new" in output


def test_add_ref_from_an_unreachable_doi_resolver_says_what_to_do(
    mini_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("macros.bibliography.addref.RESOLVER", "http://127.0.0.1:9/")
    monkeypatch.setattr(
        "macros.cli.main.bibtex_for_doi",
        addref.bibtex_for_doi,
    )
    code, output = run(mini_project, "add-ref", "10.1234/example.5")
    assert code == 1
    assert "could not reach the DOI resolver" in output
    assert "Paste the entry's BibTeX instead" in output


def test_bibfmt_fix_rewrites_only_entries_out_of_form_and_keeps_comments(
    mini_project: Path,
) -> None:
    library = mini_project / "references.bib"
    assert run(mini_project, "bibfmt", "--fix")[0] == 0
    tidy = library.read_text(encoding="utf-8")
    assert run(mini_project, "bibfmt")[0] == 0
    messy = "% a comment that stays\n" + tidy + "\n@misc{zz,   title={Z},\n    author={Y}}\n"
    library.write_text(messy, encoding="utf-8")
    code, output = run(mini_project, "bibfmt")
    assert code == 1
    assert "'zz' is not in canonical form" in output
    assert run(mini_project, "bibfmt", "--fix")[0] == 0
    fixed = library.read_text(encoding="utf-8")
    assert fixed.startswith("% a comment that stays\n" + tidy)
    assert fixed.endswith("@misc{zz,\n  author = {Y},\n  title = {Z}\n}\n")


def digest(project: Path) -> str:
    files = sorted([*(project / "content").rglob("*"), project / "references.bib"])
    return hashlib.sha256(b"".join(p.read_bytes() for p in files if p.is_file())).hexdigest()


@pytest.mark.build
def test_no_command_rewrites_content_unless_asked(mini_project: Path) -> None:
    before = digest(mini_project)
    run(mini_project, "check", "--warnings")
    run(mini_project, "report")
    run(mini_project, "bibfmt")
    assert build_site(mini_project, mini_project / "site") == 0
    assert digest(mini_project) == before


def test_check_and_report_speak_json(mini_project: Path) -> None:
    code, output = run(mini_project, "check", "--json")
    assert code == 0
    data = json.loads(output)
    assert data["ok"] is True
    assert data["counts"]["papers"] == 2
    bib = mini_project / "references.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8") + "@misc{spare, title = {S}, year = {2020}}\n", "utf-8"
    )
    code, output = run(mini_project, "report", "--json")
    assert json.loads(output)[0]["section"] == "unused"


@pytest.mark.build
@pytest.mark.review
def test_every_content_file_validates_against_its_json_schema() -> None:
    checked = 0
    for path in sorted((ROOT / "content").rglob("*.yaml")):
        kind = path.parent.name
        schema = json.loads((ROOT / "schemas" / f"{SCHEMA_NAMES[kind]}.schema.json").read_text())
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)
        checked += 1
    assert checked > 100


def test_editor_settings_map_every_kind_to_its_schema() -> None:
    settings = json.loads((ROOT / ".vscode/settings.json").read_text(encoding="utf-8"))
    expected = {
        f"./schemas/{k}.schema.json": [f"content/{n}/*.yaml"] for n, k in SCHEMA_NAMES.items()
    }
    assert settings["yaml.schemas"] == expected


@pytest.mark.build
def test_build_summary_and_links_report(mini_project: Path) -> None:
    code, output = run(mini_project, "build", "--json")
    assert code == 0, output
    summary = json.loads(output)
    assert summary["ok"] is True
    assert summary["pages"] > 20
    assert summary["references"] == 4  # two sources and the two papers' own entries
    code, output = run(mini_project, "links")
    assert code == 0, output
    assert "https://example.org/files/Annual%20Report%202021.pdf?a=1&b=2" in output
    assert output.strip().endswith("0 broken internal links, 7 external, 0 invalid")
