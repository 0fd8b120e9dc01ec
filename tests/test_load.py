"""Loading content: schema errors and dangling references, all reported with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from macros.cli.main import main
from macros.pages.engine import collect_review
from tests.conftest import ROOT

BAD_ENTITY = """\
id: bad
name: Bad
type: organisation
summary: An entity with three problems.
colour: red
name: Worse
relations:
  - {type: funds, target: nowhere}
"""


def test_unknown_key_duplicate_key_and_dangling_id_in_one_run(mini_project: Path) -> None:
    (mini_project / "content/entities/bad.yaml").write_text(BAD_ENTITY, encoding="utf-8")
    result = CliRunner().invoke(main, ["--root", str(mini_project), "check"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("content/")]
    assert lines == [
        "content/entities/bad.yaml:5: unknown key 'colour' (at colour). "
        "Hint: check the spelling against the schema.",
        "content/entities/bad.yaml:6: duplicate key 'name' (first defined on line 2) (at name). "
        "Hint: remove or rename one of the two.",
        "content/entities/bad.yaml:8: unknown entity id 'nowhere' (at relations[0].target). "
        "Hint: create content/entities/nowhere.yaml or fix the id.",
    ]
    assert "litreview check: 3 errors" in result.output


@pytest.mark.review
def test_shipped_content_is_clean() -> None:
    review, errors = collect_review(ROOT)
    assert [str(e) for e in errors] == []
    assert review.counts()["papers"] >= 1


def test_clean_fixture_exits_zero_with_counts(mini_project: Path) -> None:
    result = CliRunner().invoke(main, ["--root", str(mini_project), "check"])
    assert result.exit_code == 0
    assert result.output.strip() == (
        "litreview check: ok; 2 papers, 2 sections, 2 footnotes, 2 entities, 3 claims, "
        "1 audit finding, 1 event, 1 statistic, 4 references"
    )


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_wrong_type_and_missing_field(mini_project: Path) -> None:
    replace_in(mini_project / "content/papers/beta.yaml", "level: 1", "level: soon")
    replace_in(mini_project / "content/claims/overall-works.yaml", "kind: verdict\n", "")
    _, errors = collect_review(mini_project)
    assert [str(e) for e in errors] == [
        "content/claims/overall-works.yaml:2: missing required key 'kind' (at kind). Hint: add it.",
        "content/papers/beta.yaml:11: Input should be a valid integer, unable to parse string as "
        "an integer (at sections[0].level). Hint: got 'soon'.",
    ]


def test_claim_references_are_checked(mini_project: Path) -> None:
    claim = mini_project / "content/claims/roads-follow-rivers.yaml"
    replace_in(claim, "{footnote: 1}", "{footnote: 9}")
    replace_in(claim, "target: overall-works", "target: no-such-claim")
    replace_in(claim, "categories: [prevention]", "categories: [nonsense]")
    replace_in(claim, "{key: agency2021report}", "{key: nobody2000}")
    _, errors = collect_review(mini_project)
    messages = sorted(f"{e.line}: {e.message}" for e in errors)
    assert messages == [
        "11: paper 'alpha' has no footnote 9",
        "12: unknown bibliography key 'nobody2000'",
        "14: unknown claim id 'no-such-claim'",
        "8: paper 'alpha' has no category 'nonsense'",
    ]


def test_claim_without_evidence_is_an_error(mini_project: Path) -> None:
    claim = mini_project / "content/claims/overall-works.yaml"
    replace_in(
        claim,
        'evidence:\n  - {unsourced: "The verdict rests on the findings only."}\n',
        "evidence: []\n",
    )
    _, errors = collect_review(mini_project)
    assert [f"{e.line}: {e.message}" for e in errors] == [
        "8: List should have at least 1 item after validation, not 0"
    ]


def test_file_name_must_match_id(mini_project: Path) -> None:
    source = mini_project / "content/entities/river-program.yaml"
    source.rename(source.with_name("rivers.yaml"))
    _, errors = collect_review(mini_project)
    assert any("does not match the file name 'rivers'" in e.message for e in errors)


def test_quotations_must_be_verbatim_from_the_source_text(mini_project: Path) -> None:
    replace_in(
        mini_project / "content/claims/roads-follow-rivers.yaml",
        'quote: "Roads follow rivers"',
        'quote: "Roads always follow rivers"',
    )
    _, errors = collect_review(mini_project)
    assert [str(e) for e in errors] == [
        "content/claims/roads-follow-rivers.yaml:7: quotation not found in seeds/alpha.txt "
        "(at quote). Hint: copy the words exactly as printed, or paraphrase outside quotes."
    ]


def test_a_papers_metadata_comes_from_its_bibliography_entry(mini_project: Path) -> None:
    replace_in(
        mini_project / "references.bib",
        "title = {Alpha: Rivers <b>and</b> Roads}",
        r"title = {Alpha: Rivers \& {Roads} Revised}",
    )
    review, errors = collect_review(mini_project)
    assert errors == []
    alpha = review.papers["alpha"]
    assert alpha.key == "example2021alpha"
    assert alpha.title == "Alpha: Rivers & Roads Revised"
    assert [(a.name, a.affiliation) for a in alpha.authors] == [
        ("Ana Example", "Example University")
    ]
    assert (alpha.journal, alpha.volume, alpha.issue, alpha.year) == (
        "Journal of Fixtures",
        "1",
        "2",
        2021,
    )
    assert alpha.doi == "10.1234/alpha.1"
    assert "title" not in alpha.model_dump()  # never retyped in the paper's file


def test_a_paper_whose_key_is_not_in_the_bibliography_is_an_error(mini_project: Path) -> None:
    replace_in(mini_project / "content/papers/beta.yaml", "key: second2022beta", "key: nobody2022")
    _, errors = collect_review(mini_project)
    assert [str(e) for e in errors] == [
        "content/papers/beta.yaml:3: unknown bibliography key 'nobody2022' (at key). "
        "Hint: add @type{nobody2022, ...} to references.bib."
    ]
