"""Messages that say what to do: did-you-mean, dates as dates, placeholders ``check`` explains.

The one-file cases (a misspelt key, a misspelt id or bibliography key, an impossible date, a
dangling id beside a schema error of another file) are ``tests/bad_inputs/`` directories; these
tests cover what a directory of the fixture cannot show.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from macros.cli.main import main
from macros.content.errors import ContentError, did_you_mean
from macros.content.model import Event, Period
from macros.content.scaffold import kind_names
from macros.kinds import KINDS
from macros.pages.engine import collect_review


def run(project: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(project), *args])
    return result.exit_code, result.output


def errors_of(project: Path) -> list[str]:
    return [str(e) for e in collect_review(project)[1]]


def test_did_you_mean_names_the_closest_choice_or_nothing() -> None:
    assert did_you_mean("sumary", ["summary", "title"]) == "did you mean 'summary'"
    assert did_you_mean("zzz", ["summary", "title"]) == ""
    error = ContentError(
        "a.yaml", 3, "unknown key 'sumary'", "sumary", suggestion="did you mean 'summary'"
    )
    assert str(error) == "a.yaml:3: unknown key 'sumary' (at sumary); did you mean 'summary'?"


def test_a_misspelt_nested_key_is_one_error_and_the_item_is_still_checked(
    mini_project: Path,
) -> None:
    beta = mini_project / "content" / "papers" / "beta.yaml"
    beta.write_text(
        beta.read_text(encoding="utf-8").replace("    heading: Body", "    heding: Body"),
        encoding="utf-8",
    )
    claim = mini_project / "content" / "claims" / "roads-follow-rivers.yaml"
    claim.write_text(
        claim.read_text(encoding="utf-8").replace("[example-agency]", "[no-such-entity]"),
        encoding="utf-8",
    )
    errors = sorted(errors_of(mini_project))
    assert errors == [
        "content/claims/roads-follow-rivers.yaml:15: unknown entity id 'no-such-entity' "
        "(at entities[0]). Hint: create content/entities/no-such-entity.yaml or fix the id.",
        "content/papers/beta.yaml:10: unknown key 'heding' (at sections[0].heding); "
        "did you mean 'heading'?",
    ]


def test_a_misspelt_key_keeps_its_item_so_its_dangling_ids_show_in_the_same_run(
    mini_project: Path,
) -> None:
    claim = mini_project / "content" / "claims" / "roads-follow-rivers.yaml"
    text = claim.read_text(encoding="utf-8")
    text = text.replace("statement:", "statment:").replace("[example-agency]", "[example-agncy]")
    claim.write_text(text, encoding="utf-8")
    errors = sorted(errors_of(mini_project), key=lambda e: "unknown key" not in e)
    assert len(errors) == 2, errors
    assert "unknown key 'statment' (at statment); did you mean 'statement'?" in errors[0]
    assert (
        "unknown entity id 'example-agncy' (at entities[0]); did you mean 'example-agency'?"
        in (errors[1])
    )


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        (datetime.date(2021, 5, 3), "2021-05-03"),
        ("2021-05-03", "2021-05-03"),
        (2021, "2021"),
        ("2021-05", "2021-05"),
        ("2020-02-29", "2020-02-29"),
    ],
)
def test_dates_are_accepted_quoted_or_as_yaml_reads_them_unquoted(
    given: object, stored: str
) -> None:
    period = Period.model_validate({"start": given, "end": "2022", "as_stated": "then"})
    assert period.start == stored


@pytest.mark.parametrize("given", ["2007-02-30", "2021-04-31", "2019-02-29", "2021-13", True])
def test_impossible_dates_are_refused(given: object) -> None:
    with pytest.raises(ValueError, match=r"date|string"):
        Period.model_validate({"start": given, "end": "2022", "as_stated": "then"})


def test_an_unquoted_event_date_passes_check_and_keeps_its_text(mini_project: Path) -> None:
    events = mini_project / "content" / "events"
    events.mkdir(exist_ok=True)
    (events / "river-opened.yaml").write_text(
        "id: river-opened\npaper: alpha\ntitle: The river opened\ndate: 2021-05-03\n"
        "end_date: 2021-06\nsummary: It opened.\nwhere: {section: intro, paragraph: 1}\n",
        encoding="utf-8",
    )
    review, errors = collect_review(mini_project)
    assert [str(e) for e in errors] == []
    event = review.events["river-opened"]
    assert isinstance(event, Event)
    assert (event.date, event.end_date) == ("2021-05-03", "2021-06")


def test_an_unquoted_impossible_date_says_where_and_what_to_do(mini_project: Path) -> None:
    alpha = mini_project / "content" / "papers" / "alpha.yaml"
    text = alpha.read_text(encoding="utf-8")
    alpha.write_text(
        text.replace("\nkey:", "\nperiod: {start: 2007-02-30, end: 2008, as_stated: x}\nkey:", 1),
        encoding="utf-8",
    )
    (error,) = errors_of(mini_project)
    line = text.split("\nkey:")[0].count("\n") + 2
    assert error.startswith(f"content/papers/alpha.yaml:{line}: invalid YAML: '2007-02-30' is not")
    assert "give a real date as YYYY-MM-DD" in error


@pytest.mark.parametrize(
    ("name", "folder"),
    [
        ("claim", "claims"),
        ("claims", "claims"),
        ("entity", "entities"),
        ("entities", "entities"),
        ("audit", "audit"),
        ("audits", "audit"),
        ("paper", "papers"),
        ("event", "events"),
        ("statistic", "statistics"),
        ("footnote", "footnotes"),
        ("reflist", "reflists"),
        ("Claim", "claims"),
    ],
)
def test_new_accepts_singular_and_plural_kind_names(
    mini_project: Path, name: str, folder: str
) -> None:
    code, output = run(mini_project, "new", name, "fresh-one")
    assert code == 0, output
    assert (mini_project / "content" / folder / "fresh-one.yaml").is_file()


def test_every_kind_has_a_singular_and_a_plural_name() -> None:
    assert set(kind_names(KINDS).values()) == {k.name for k in KINDS}
    for folder in (k.name for k in KINDS):
        assert sum(1 for target in kind_names(KINDS).values() if target == folder) >= 2, folder


@pytest.mark.parametrize("kind", sorted(k.name for k in KINDS))
def test_check_explains_the_placeholders_of_a_fresh_file(mini_project: Path, kind: str) -> None:
    # One file per paper, or per work: the fixture's have theirs.
    ident = {"footnotes": "alpha", "reflists": "alpha", "extraction": "muller2020rivers"}.get(
        kind, "fresh-one"
    )
    if kind in {"footnotes", "reflists", "extraction"}:
        (mini_project / "content" / kind / f"{ident}.yaml").unlink()
    code, output = run(mini_project, "new", kind, ident)
    assert code == 0, output
    code, output = run(mini_project, "check")
    assert code == 1
    lines = [line for line in output.splitlines() if line.startswith(f"content/{kind}/{ident}")]
    assert lines, output
    for line in lines:
        assert "None" not in line, line
        assert "is still an empty placeholder" in line, line
        assert "Hint: replace the placeholder with " in line, line
