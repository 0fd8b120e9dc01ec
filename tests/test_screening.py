"""Searches, the screening ledger and the PRISMA 2020 flow diagram: counts derived, never typed;
a ledger that does not add up is a ``path:line:`` error; ASReview-shaped CSV imports."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from macros.content.load import collect_review
from macros.content.review import Review
from macros.kinds import KINDS, prisma
from macros.kinds import ledger as ledgers
from macros.kinds.ledgerimport import ScreeningImportError, plan_import
from macros.pages.engine import load_review
from tests.conftest import MINI
from tests.newreview import init_review, litreview, ok

SYNERGY = Path(__file__).parent / "corpora" / "synergy" / "Donners_2021_ids.csv"
LEDGER = "content/screening/batch-1.yaml"


def counts(review: Review) -> dict[str, int]:
    return ledgers.counts(ledgers.build(review))


def test_every_count_of_the_mini_ledger_is_derived() -> None:
    n = counts(load_review(MINI))
    assert n["search:river-db"] == 4
    assert n["search:trial-register"] == 2
    assert n["identified"] == 6  # a record found by two searches counts twice
    assert n["duplicates"] == 2  # ... once as a duplicate, and the duplicate_of record
    assert n["screened"] == 4
    assert n["excluded-screening"] == 1
    assert n["sought"] == 3  # include and maybe pass title-abstract
    assert n["not-retrieved"] == 1
    assert n["assessed"] == 2
    assert n["excluded-full-text"] == 1
    assert n["other-identified"] == 1
    assert n["other-sought"] == n["other-assessed"] == 1
    assert n["included"] == 2  # one from the databases, one from the agency's website
    assert n["identified"] == n["duplicates"] + n["screened"]
    assert n["screened"] == n["excluded-screening"] + n["sought"]
    assert n["sought"] == n["not-retrieved"] + n["assessed"]


def errors_after(project: Path, old: str, new: str, path: str = LEDGER) -> list[str]:
    target = project / path
    text = target.read_text(encoding="utf-8")
    assert old in text, old
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    _, errors = collect_review(project, kinds=KINDS)
    return [str(e) for e in errors]


CASES = [
    (
        "found_by: [river-db], duplicate_of",
        "found_by: [river-dbx], duplicate_of",
        r"screening/batch-1\.yaml:6: unknown search id 'river-dbx'",
    ),
    (
        "reason: wrong-topic",
        "reason: off-topic",
        r"batch-1\.yaml:7: exclusion reason 'off-topic' is not in the review's vocabulary",
    ),
    (
        'title: "A study of roads <script>", found_by: [river-db], decisions: '
        "{title-abstract: {decision: exclude, reason: wrong-topic}}",
        'title: "A study of roads <script>", found_by: [river-db], decisions: '
        "{title-abstract: {decision: exclude, reason: wrong-topic}, full-text: include}",
        r"batch-1\.yaml:7: a full-text decision on a record excluded at title-abstract",
    ),
    (
        "duplicate_of: muller2020rivers",
        "duplicate_of: nowhere2020",
        r"batch-1\.yaml:6: duplicate_of 'nowhere2020' points to no kept record",
    ),
    (
        "{key: muller2020rivers, doi",
        "{key: missing2020, doi",
        r"batch-1\.yaml:5: unknown bibliography key 'missing2020'",
    ),
    (
        '{pmid: "12345", found_by: [river-db], decisions: {title-abstract: maybe}',
        '{pmid: "12345", found_by: [river-db], decisions: {title-abstract: maybe, '
        "full-text: include}",
        r"batch-1\.yaml:8: a full-text decision on a record whose report was not retrieved",
    ),
    (
        "decisions: {title-abstract: maybe}",
        "decisions: {screening: maybe}",
        r"batch-1\.yaml:8: unknown screening stage 'screening'",
    ),
    (
        "{id: reg-1, found_by",
        "{found_by",
        r"batch-1\.yaml:9: a record needs an identifier",
    ),
    (
        "duplicate_of: muller2020rivers}",
        "duplicate_of: muller2020rivers, decisions: {title-abstract: include}}",
        r"batch-1\.yaml:6: a duplicate is removed before screening",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), CASES, ids=[c[2][-40:] for c in CASES])
def test_a_ledger_that_does_not_add_up_is_an_error_with_its_line(
    mini_project: Path, old: str, new: str, expected: str
) -> None:
    errors = errors_after(mini_project, old, new)
    assert any(re.search(expected, e) for e in errors), errors


def test_a_search_whose_records_differ_from_the_ledger_names_both_files(
    mini_project: Path,
) -> None:
    errors = errors_after(
        mini_project, "records: 4", "records: 5", "content/searches/river-db.yaml"
    )
    assert errors == [
        "content/searches/river-db.yaml:6: search 'river-db' returned 5 records but the ledger "
        "lists 4 found by it (content/screening/batch-1.yaml) (at records). Hint: the ledger "
        "must list every record the search returned: add the missing records (duplicates with "
        "duplicate_of) or correct its number."
    ]


def test_the_diagram_links_every_box_with_a_label_and_legible_text() -> None:
    review = load_review(MINI)
    ledger = ledgers.build(review)
    n = ledgers.counts(ledger)
    svg = prisma.svg(ledger, n, {}, lambda box: f"{box}.html")
    shown = prisma.boxes(ledger, n, {})
    links = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)" id="prisma-[^"]+"><title>', svg)
    assert len(links) == len(shown) == 14
    assert ("screened.html", "Records screened (n = 4)") in links
    assert "font-size:14px" in svg
    assert "<script" not in svg  # the title "A study of roads <script>" is in no box


def test_the_prisma2020_csv_has_the_template_shape() -> None:
    review = load_review(MINI)
    ledger = ledgers.build(review)
    rows = list(csv.reader(prisma.template_csv(ledger, ledgers.counts(ledger), {}).splitlines()))
    assert rows[0] == ["data", "node", "box", "boxtext", "tooltips", "url", "n"]
    values = {row[0]: row[6] for row in rows[1:]}
    assert values["database_results"] == "4"
    assert values["register_results"] == "2"
    assert values["website_results"] == "1"
    assert values["records_screened"] == "4"
    assert values["dbr_excluded"] == "no-data, 1"
    assert values["total_studies"] == "2"


def test_import_of_a_synergy_export_counts_rows_duplicates_and_inclusions(
    tmp_path: Path,
) -> None:
    plan = plan_import(SYNERGY, content=tmp_path, existing={}, known_reasons=set())
    with SYNERGY.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert plan.rows == len(rows) == 660
    assert plan.included == sum(int(r["label_included"]) for r in rows) == 15
    assert plan.duplicates == 243
    assert plan.kept == 417
    assert plan.no_identifier == 157
    assert set(plan.files) == {
        "content/screening/donners-2021-ids.yaml",
        "content/searches/donners-2021-ids.yaml",
    }


def test_import_reads_stage_and_reason_and_finds_duplicates_in_the_ledger(
    tmp_path: Path,
) -> None:
    source = tmp_path / "round 2.csv"
    source.write_text(
        "doi,label_included,exclusion_reason,stage\n"
        "https://doi.org/10.1000/rivers,0,,\n"
        "10.1000/new,0,Wrong population,full-text\n"
        "10.1000/other,0,Wrong population,\n"
        "10.1000/kept,1,,full-text\n",
        encoding="utf-8",
    )
    existing = {"10.1000/rivers": "muller-record"}
    plan = plan_import(source, content=tmp_path, existing=existing, known_reasons=set())
    ledger = plan.files["content/screening/round-2.yaml"]
    assert "{doi: 10.1000/rivers, found_by: [round-2], duplicate_of: muller-record}" in ledger
    assert (
        "decisions: {title-abstract: include, full-text: {decision: exclude, "
        "reason: wrong-population}}" in ledger
    )
    assert "decisions: {title-abstract: {decision: exclude, reason: wrong-population}}" in ledger
    assert plan.reasons_added == ["wrong-population"]
    assert plan.included == 1
    assert plan.duplicates == 1


def test_import_refuses_a_file_without_labels(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("doi,title\n10.1000/x,X\n", encoding="utf-8")
    with pytest.raises(ScreeningImportError) as caught:
        plan_import(source, content=tmp_path, existing={}, known_reasons=set())
    assert str(caught.value) == "bad.csv:1: no label_included or included column (0 or 1)."


@pytest.mark.build
def test_synergy_import_into_a_new_review_gives_its_prisma_diagram(tmp_path: Path) -> None:
    """Done when: init + import of a SYNERGY export + build -> the diagram's total is the CSV's
    rows and its included count the sum of label_included."""
    review = init_review(tmp_path, "synergy")
    run = ok(litreview("import", SYNERGY, cwd=review))
    assert "660 records from search 'donners-2021-ids': 417 kept, 243 duplicates" in run.out
    ok(litreview("build", cwd=review))
    site = review / "site" / "screening"
    page = next(p for p in (site / "prisma.html", site / "prisma" / "index.html") if p.exists())
    html = page.read_text(encoding="utf-8")
    labels = dict(re.findall(r'aria-label="([^"(]+) \(n = (\d+)\)', html))
    with SYNERGY.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert int(labels["Records identified"]) == len(rows) == 660
    assert int(labels["Studies included in review"]) == sum(int(r["label_included"]) for r in rows)
    assert labels["Duplicate records removed before screening"] == "243"
    assert labels["Records screened"] == "417"
    assert 'download="PRISMA.csv"' in html


def test_record_lists_escape_what_the_ledger_says() -> None:
    from macros.bibliography.citeproc import Formatted  # noqa: PLC0415
    from macros.pages.engine import render_site  # noqa: PLC0415

    review = load_review(MINI)
    formatted = {key: Formatted(key, key) for key in review.bibliography.entries}
    rendered = render_site(review, formatted)
    page = rendered.pages["screening/excluded-screening.md"].markdown
    html = "".join(rendered.stash.referenced(page))
    assert "A study of roads &lt;script&gt;" in html
    assert "<script" not in html
    assert 'href="https://openalex.org/W123"' in html
    reasons = rendered.pages["screening/excluded-full-text.md"].markdown
    assert "No original data &lt;b&gt; \\(n \\= 1\\)" in reasons


def test_the_report_lists_undecided_records_and_exclusions_without_reason(
    mini_project: Path,
) -> None:
    from macros.pages.report import build_report  # noqa: PLC0415

    path = mini_project / LEDGER
    text = path.read_text(encoding="utf-8")
    text += "  - {doi: 10.1000/later, found_by: [river-db], decisions: {title-abstract: exclude}}\n"
    text += "  - {doi: 10.1000/undecided, found_by: [river-db]}\n"
    path.write_text(text, encoding="utf-8")
    search = mini_project / "content/searches/river-db.yaml"
    search.write_text(search.read_text().replace("records: 4", "records: 6"), encoding="utf-8")
    review, errors = collect_review(mini_project, kinds=KINDS)
    assert errors == []
    found = [(f.section, f.path, f.line, f.message) for f in build_report(review)]
    assert ("screening", LEDGER, 11, "an exclusion at title-abstract gives no reason") in found
    assert ("screening", LEDGER, 12, "a record awaits its title-abstract decision") in found


def test_a_previous_studies_arm_is_drawn_only_when_the_ledger_has_one(mini_project: Path) -> None:
    review = load_review(mini_project)
    ledger = ledgers.build(review)
    assert "previous-included" not in {b.ident for b in prisma.boxes(ledger, counts(review), {})}
    (mini_project / "content/searches/first-version.yaml").write_text(
        "id: first-version\nsource: The review's first version\ntype: previous-studies\n"
        "date: 2023-01-01\nrecords: 1\n",
        encoding="utf-8",
    )
    path = mini_project / LEDGER
    path.write_text(
        path.read_text(encoding="utf-8") + "  - {doi: 10.1000/old, found_by: [first-version]}\n",
        encoding="utf-8",
    )
    review = load_review(mini_project)
    ledger = ledgers.build(review)
    n = ledgers.counts(ledger)
    shown = {b.ident: b for b in prisma.boxes(ledger, n, {})}
    assert shown["previous-included"].column == 0
    assert shown["identified"].column == 1
    assert n["previous-included"] == 1
    assert n["included"] == 3  # 2 new studies and 1 from the previous version
    svg = prisma.svg(ledger, n, {}, lambda box: f"{box}.html")
    assert "Previous studies" in svg
    values = {
        row.split(",")[0]: row.rsplit(",", 1)[1]
        for row in prisma.template_csv(ledger, n, {}).splitlines()[1:]
    }
    assert values["previous_studies"] == "1"
    assert values["new_studies"] == "2"
    assert values["total_studies"] == "3"
