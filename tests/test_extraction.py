"""The extraction layer: the review's fields, each work's values, and the works x fields table.

Unit tests: every check with its message and line. Golden: the table page, HTML restored.
Build and browser: sorting, filtering and the CSV, BibTeX and CSL-JSON exports from file://.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from playwright.sync_api import Browser

from macros.bibliography.citeproc import Formatted
from macros.cli.main import build_site, main
from macros.content.model import ExtractionField
from macros.kinds.extraction import countries, read_value, values_of
from macros.pages.engine import collect_review, load_review, render_site
from macros.pages.report import build_report
from tests.conftest import MINI, copy_project
from tests.test_browser import Visit

GOLDEN = Path(__file__).parent / "golden" / "extraction" / "table.html"


def write(project: Path, path: str, text: str) -> None:
    target = project / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def errors_of(project: Path) -> list[str]:
    _, errors = collect_review(project)
    return [str(e) for e in sorted(errors)]


COUNTRY = "id: country\nlabel: Country\ntype: country\nmultiple: true\n"
PERIOD = "id: period\nlabel: Period\ntype: year\n"
CODE = "id: code\nlabel: Code\ntype: link\n"


def test_fixture_values_are_clean(mini_project: Path) -> None:
    assert errors_of(mini_project) == []


def test_each_value_check_names_its_line(mini_project: Path) -> None:
    write(mini_project, "content/fields/country.yaml", COUNTRY)
    write(mini_project, "content/fields/period.yaml", PERIOD)
    write(mini_project, "content/fields/code.yaml", CODE)
    write(
        mini_project,
        "content/extraction/muller2020rivers.yaml",
        "id: muller2020rivers\n"
        "values:\n"
        "  design: case stdy\n"  # 3: outside the vocabulary
        "  sample: about forty\n"  # 4: wrong type
        "  samples: 3\n"  # 5: unknown field
        "  country: [DE, Germny, IDN]\n"  # 6: one unknown country of three
        "  period: 2019-2015\n"  # 7: a range that ends before it starts
        "  code: javascript:alert(1)\n",  # 8: not an http(s) link
    )
    assert errors_of(mini_project) == [
        "content/extraction/muller2020rivers.yaml:3: 'case stdy' is not in the vocabulary of "
        "field 'design' (at values.design); did you mean 'case study'?",
        "content/extraction/muller2020rivers.yaml:4: field 'sample' takes a number, not "
        "'about forty' (at values.sample).",
        "content/extraction/muller2020rivers.yaml:5: unknown field 'samples' (at values.samples);"
        " did you mean 'sample'? Hint: define it in content/fields/samples.yaml or fix the name.",
        "content/extraction/muller2020rivers.yaml:6: unknown country 'Germny' (an ISO 3166 "
        "name or code) (at values.country[1]); did you mean 'Germany'?",
        "content/extraction/muller2020rivers.yaml:7: year range '2019-2015' ends before it "
        "starts (at values.period).",
        "content/extraction/muller2020rivers.yaml:8: field 'code' takes an http(s) link, not "
        "'javascript:alert(1)' (at values.code).",
    ]


def test_unknown_work_missing_required_value_and_one_value_too_many(mini_project: Path) -> None:
    write(
        mini_project, "content/extraction/nobody2020.yaml", "id: nobody2020\nvalues:\n  sample: 3\n"
    )
    write(
        mini_project,
        "content/extraction/agency2021report.yaml",
        "id: agency2021report\nvalues:\n  design:\n    value: [survey, case study]\n",
    )
    assert errors_of(mini_project) == [
        "content/extraction/agency2021report.yaml:4: field 'design' takes one value, not a list "
        "of 2 (at values.design.value).",
        "content/extraction/nobody2020.yaml:1: unknown bibliography key 'nobody2020' (at id). "
        "Hint: add @type{nobody2020, ...} to references.bib.",
        "content/extraction/nobody2020.yaml:2: missing required field 'design' (at values). "
        "Hint: give its value, or write 'not reported', 'not applicable' or 'to do'.",
    ]


def test_field_definitions_are_checked(mini_project: Path) -> None:
    write(mini_project, "content/fields/kind.yaml", "id: kind\nlabel: Kind\ntype: choice\n")
    write(
        mini_project,
        "content/fields/size.yaml",
        "id: size\nlabel: Size\ntype: text\nunit: m\nvocabulary: [a, a]\n",
    )
    assert errors_of(mini_project) == [
        "content/fields/kind.yaml:3: a choice field needs a vocabulary (at type). "
        "Hint: list its values under vocabulary: [...].",
        "content/fields/size.yaml:4: only number fields have a unit (this one is text) (at unit).",
        "content/fields/size.yaml:5: 'a' is in the vocabulary twice (at vocabulary[1]).",
        "content/fields/size.yaml:5: only choice fields have a vocabulary (this one is text) "
        "(at vocabulary). Hint: remove the vocabulary or make it type: choice.",
    ]


def test_make_check_catches_a_value_outside_the_vocabulary(mini_project: Path) -> None:
    path = mini_project / "content/extraction/agency2021report.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("survey", "poll"), encoding="utf-8")
    result = CliRunner().invoke(main, ["--root", str(mini_project), "check"])
    assert result.exit_code == 1
    assert (
        "content/extraction/agency2021report.yaml:3: 'poll' is not in the vocabulary of field "
        "'design' (at values.design)." in result.output
    )
    assert "Traceback" not in result.output


def test_to_do_is_allowed_but_reported(mini_project: Path) -> None:
    path = mini_project / "content/extraction/agency2021report.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("survey", "to do"), encoding="utf-8")
    review, errors = collect_review(mini_project)
    assert errors == []
    assert [str(f) for f in build_report(review) if f.section == "todo"] == [
        "content/extraction/agency2021report.yaml:3: warning: 'agency2021report': 'design' is "
        "still to do"
    ]


def test_values_are_normalised_for_reading() -> None:
    country = ExtractionField(id="c", label="C", type="country", multiple=True)
    cell, problems = read_value(country, ["DE", "idn", "Malaysia"], ())
    assert problems == []
    assert cell.shown == ["Germany", "Indonesia", "Malaysia"]
    number = ExtractionField(id="n", label="N", type="number", unit="images")
    cell, _ = read_value(number, 1200, ())
    assert (cell.shown, cell.text, cell.sort) == (["1,200 images"], "1200", 1200.0)
    year = ExtractionField(id="y", label="Y", type="year")
    assert read_value(year, "2015-2019", ())[0].shown == ["2015\u20132019"]
    assert read_value(year, True, ())[1]  # YAML's true is not a year
    assert read_value(year, "Not Reported", ())[0].status == "not reported"
    assert read_value(year, None, ())[0].status == "to do"
    assert len(countries()) > 400  # names, alpha-2 and alpha-3 codes


def test_schemas_export_the_two_kinds() -> None:
    root = Path(__file__).resolve().parent.parent
    field = json.loads((root / "schemas/field.schema.json").read_text(encoding="utf-8"))
    assert field["properties"]["type"]["enum"] == [
        "text",
        "number",
        "choice",
        "country",
        "year",
        "link",
    ]
    values = json.loads((root / "schemas/extraction.schema.json").read_text(encoding="utf-8"))
    assert "values" in values["required"]


def render_table() -> str:
    review = load_review(MINI)
    formatted = {key: Formatted(f"<i>{key}</i>", key) for key in review.bibliography.entries}
    rendered = render_site(review, formatted)
    return rendered.stash.restore(rendered.pages["extraction/index.md"].markdown)


def test_table_page_matches_golden() -> None:
    page = render_table()
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(page, encoding="utf-8")
    assert page == GOLDEN.read_text(encoding="utf-8")
    assert "<script>" not in page  # the fixture's hostile title is escaped
    assert "&lt;script&gt;" in page


def test_links_are_links_and_text_is_escaped(mini_project: Path) -> None:
    write(mini_project, "content/fields/code.yaml", CODE)
    write(mini_project, "content/fields/notes.yaml", "id: notes\nlabel: Notes\ntype: text\n")
    path = mini_project / "content/extraction/agency2021report.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "  code: https://example.org/a?b=1&c=2\n"
        + "  notes: <script>alert(1)</script> & {{ 7*7 }}\n",
        encoding="utf-8",
    )
    review = load_review(mini_project)
    rendered = render_site(review, {})
    page = rendered.stash.restore(rendered.pages["extraction/index.md"].markdown)
    assert (
        '<a href="https://example.org/a?b=1&amp;c=2" title="https://example.org/a?b=1&amp;c=2">'
        "example.org</a>" in page
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; {{ 7*7 }}" in page
    assert "<script>" not in page
    assert [(f.id, c.text) for f, c in values_of(review, "agency2021report")] == [
        ("code", "https://example.org/a?b=1&c=2"),  # order 0, then by id
        ("notes", "<script>alert(1)</script> & {{ 7*7 }}"),
        ("design", "survey"),
        ("sample", "not reported"),
    ]


# --- built and in the browser, from file:// ----------------------------------------------


def downloaded(visit: Visit, button: str) -> str:
    with visit.page.expect_download() as info:
        visit.page.click(f"button[data-export={button}]")
    path = info.value.path()
    return Path(path).read_text(encoding="utf-8")


@pytest.mark.browser
def test_table_sorts_filters_and_exports_from_file(mini_site: Path, browser: Browser) -> None:
    visit = Visit(browser, (mini_site / "extraction/index.html").as_uri())
    page = visit.page
    keys = "tbody tr:not([hidden])"

    def shown() -> list[str]:
        return [str(r.get_attribute("data-key")) for r in page.query_selector_all(keys)]

    assert shown() == ["muller2020rivers", "agency2021report"]  # by year: 2020, 2021
    page.click("th[data-field=sample] button")  # 12, then "not reported" last
    assert shown() == ["muller2020rivers", "agency2021report"]
    page.click("th[data-field=design] button")  # case study < survey
    assert shown() == ["muller2020rivers", "agency2021report"]
    page.click("th[data-field=design] button")  # descending
    assert shown() == ["agency2021report", "muller2020rivers"]
    assert page.get_attribute("th[data-field=design]", "aria-sort") == "descending"
    page.select_option("select[data-column='1']", "survey")
    assert shown() == ["agency2021report"]
    assert page.text_content(".lr-table-count") == "1 of 2 works shown"
    rows = list(csv.reader(io.StringIO(downloaded(visit, "csv"))))
    assert rows[0] == ["key", "work", "title", "Design", "Sample (sites)"]
    assert rows[1][0] == "agency2021report"
    assert rows[1][3:] == ["survey", "not reported"]
    assert len(rows) == 2
    bib = downloaded(visit, "bibtex")
    assert bib.startswith("@online{agency2021report,")
    assert "muller2020rivers" not in bib
    items = json.loads(downloaded(visit, "csl"))
    assert [item["id"] for item in items] == ["agency2021report"]
    page.select_option("select[data-column='1']", "")
    page.fill("input[data-filter=text]", "rivers")
    assert shown() == ["muller2020rivers"]
    quote = page.get_attribute("td .lr-quote-mark a", "title")
    assert quote == "\u201cWe follow one river & its roads.\u201d (p. 11)"
    assert visit.requests == []
    assert visit.errors == []


@pytest.mark.browser
def test_table_without_script_is_a_plain_table(mini_site: Path, browser: Browser) -> None:
    page = browser.new_page(java_script_enabled=False)
    page.goto((mini_site / "extraction/index.html").as_uri())
    assert page.is_hidden("form.lr-table-controls")
    assert len(page.query_selector_all("tbody tr")) == 2
    page.close()


# --- the second example review -------------------------------------------------------------

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "cv-in-logistics"


@pytest.mark.build
def test_example_review_builds_and_its_table_lists_all_55_works(tmp_path: Path) -> None:
    project = copy_project(EXAMPLE, tmp_path / "example")
    assert build_site(project, project / "site") == 0  # mkdocs.yml: strict
    page = (project / "site" / "extraction" / "index.html").read_text(encoding="utf-8")
    keys = re.findall(r'<tr id="work-[^"]+" data-key="([^"]+)"', page)
    library = (EXAMPLE / "references.bib").read_text(encoding="utf-8")
    assert len(keys) == 55
    assert sorted(keys) == sorted(re.findall(r"^@\w+\{([^,]+),", library, re.MULTILINE))
    assert "Plane Segmentation" in page  # a facet value
    assert "https://github.com/a-nau/Plane-Segmentation-Refinement" in page  # a link value
    abstract = "Recent advances in the area of plane segmentation from single RGB images"
    assert abstract not in page  # the survey's own words stay out
    # Its facets are themes too (the entries' keywords): the Parcel theme lists exactly the
    # works whose extraction values say Parcel.
    parcel = [
        path.stem
        for path in (EXAMPLE / "content" / "extraction").glob("*.yaml")
        if "- Parcel\n" in path.read_text(encoding="utf-8")
    ]
    theme = (project / "site" / "themes" / "objects--parcel.html").read_text(encoding="utf-8")
    listed = set(re.findall(r'href="\.\./works/([^"]+)\.html"', theme)) - {"index"}
    assert len(listed) == len(parcel) > 10


def test_schemas_command_writes_the_reviews_values_schema(mini_project: Path) -> None:
    result = CliRunner().invoke(main, ["--root", str(mini_project), "schemas"])
    assert result.exit_code == 0, result.output
    schema_path = mini_project / "schemas" / "extraction-values.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    values = schema["properties"]["values"]
    assert values["required"] == ["design"]
    assert {"enum": ["case study", "survey", "experiment"]} in values["properties"]["design"][
        "anyOf"
    ]
    validator = jsonschema.Draft202012Validator(schema)
    for path in (mini_project / "content" / "extraction").glob("*.yaml"):
        assert list(validator.iter_errors(yaml.safe_load(path.read_text("utf-8")))) == []
    wrong = {"id": "x", "values": {"design": "poll", "sample": "many"}}
    assert len(list(validator.iter_errors(wrong))) == 2
    # --check: the schema follows the fields.
    design = mini_project / "content" / "fields" / "design.yaml"
    design.write_text(design.read_text("utf-8").replace("experiment", "trial"), "utf-8")
    result = CliRunner().invoke(main, ["--root", str(mini_project), "schemas", "--check"])
    assert result.exit_code == 1
    assert "extraction-values.schema.json" in result.output
