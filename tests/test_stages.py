"""Screening stages from the review's own vocabulary (content/stages/): any number of stages,
each in a PRISMA 2020 phase; counts per phase, decisions in stage order, one record-table
column per stage, imports naming a stage by id or label. None declared: title-abstract and
full-text (the golden pages and test_screening.py hold that default unchanged)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros.content.load import collect_review
from macros.content.review import Review
from macros.kinds import KINDS, prisma
from macros.kinds import ledger as ledgers
from macros.kinds.ledgerimport import ScreeningImportError, plan_import
from macros.pages.engine import load_review

LEDGER = "content/screening/batch-1.yaml"
STAGES = {
    "title": "id: title\nlabel: Title screening\nphase: screening\norder: 1\n",
    "abstract": "id: abstract\nlabel: Abstract screening\nphase: screening\norder: 2\n",
    "full-text": "id: full-text\nlabel: Full-text assessment\nphase: eligibility\norder: 3\n",
}
RECORDS = [
    "{key: muller2020rivers, doi: 10.1000/rivers, found_by: [river-db, trial-register], "
    "decisions: {title: include, abstract: include, full-text: include}}",
    "{doi: 10.1000/rivers, found_by: [river-db], duplicate_of: muller2020rivers}",
    '{openalex: W123, title: "Roads", found_by: [river-db], '
    "decisions: {title: {decision: exclude, reason: wrong-topic}}}",
    '{pmid: "12345", found_by: [river-db], '
    "decisions: {title: include, abstract: {decision: exclude, reason: no-data}}}",
    "{id: reg-1, found_by: [trial-register], decisions: {title: include, abstract: maybe, "
    "full-text: {decision: exclude, reason: no-data}}}",
    '{key: agency2021report, url: "https://example.org/report", found_by: [agency-site], '
    "decisions: {full-text: include}}",
]


def three_stages(project: Path, records: list[str] = RECORDS) -> Path:
    folder = project / "content" / "stages"
    folder.mkdir(parents=True)
    for ident, text in STAGES.items():
        (folder / f"{ident}.yaml").write_text(text, encoding="utf-8")
    head = "id: batch-1\nreviewer: A. Reviewer\ndate: 2024-03-10\nrecords:\n"
    body = "".join(f"  - {r}\n" for r in records)
    (project / LEDGER).write_text(head + body, encoding="utf-8")
    return project


def loaded(project: Path) -> tuple[Review, list[str]]:
    review, errors = collect_review(project, kinds=KINDS)
    return review, [str(e) for e in errors]


def test_a_three_stage_review_counts_each_phase(mini_project: Path) -> None:
    review, errors = loaded(three_stages(mini_project))
    assert errors == []
    ledger = ledgers.build(review)
    assert [s.id for s in ledger.stages] == ["title", "abstract", "full-text"]
    n = ledgers.counts(ledger)
    assert n["screened"] == 4
    assert n["excluded-screening"] == 2  # one at title, one at abstract
    assert n["sought"] == n["assessed"] == 2  # passed both screening stages
    assert n["excluded-full-text"] == 1
    assert n["included"] == 2  # one from the databases, one from other methods
    assert n["screened"] == n["excluded-screening"] + n["sought"]
    by_stage = ledger.stage_reasons["excluded-screening"]
    assert dict(by_stage["title"]) == {"wrong-topic": 1}
    assert dict(by_stage["abstract"]) == {"no-data": 1}
    labels = {"wrong-topic": "Wrong topic", "no-data": "No data"}
    shown = {b.ident: b for b in prisma.boxes(ledger, n, labels)}
    assert shown["excluded-screening"].extra == (
        "Title screening: Wrong topic (n\u00a0=\u00a01)",
        "Abstract screening: No data (n\u00a0=\u00a01)",
    )
    assert shown["excluded-full-text"].extra == ("No data (n\u00a0=\u00a01)",)  # one stage
    rows = prisma.template_csv(ledger, n, labels).splitlines()
    assert (
        "records_excluded,node10,box5,Records excluded,Records excluded,../excluded-screening/,2"
        in rows
    )


def test_record_tables_have_a_column_per_declared_stage(mini_project: Path) -> None:
    from macros.bibliography.citeproc import Formatted  # noqa: PLC0415
    from macros.pages.engine import render_site  # noqa: PLC0415

    review, errors = loaded(three_stages(mini_project))
    assert errors == []
    formatted = {key: Formatted(key, key) for key in review.bibliography.entries}
    rendered = render_site(review, formatted)
    page = rendered.pages["screening/excluded-screening.md"].markdown
    html = "".join(rendered.stash.referenced(page))
    heads = re.findall(r'<th scope="col">([^<]*)</th>', html)
    assert heads[-4:] == ["Title screening", "Abstract screening", "Full-text assessment", "Notes"]
    assert "- Title screening\\: Not about rivers \\(n \\= 1\\)" in page
    diagram = "".join(rendered.stash.referenced(rendered.pages["screening/prisma.md"].markdown))
    assert "Abstract screening: No original data" in diagram


def test_an_unknown_stage_is_an_error_listing_the_declared_ones(mini_project: Path) -> None:
    records = [*RECORDS[:2], RECORDS[2].replace("{title:", "{title-abstract:"), *RECORDS[3:]]
    _, errors = loaded(three_stages(mini_project, records))
    assert any(
        re.match(
            r"content/screening/batch-1\.yaml:7: unknown screening stage 'title-abstract'.*"
            r"use title, abstract or full-text \(the stages of content/stages/\)",
            e,
        )
        for e in errors
    ), errors


def test_a_decision_after_an_exclusion_or_a_skipped_stage_is_an_error(mini_project: Path) -> None:
    records = [
        *RECORDS[:2],
        RECORDS[2].replace("reason: wrong-topic}}}", "reason: wrong-topic}, abstract: include}}"),
        RECORDS[3].replace("{title: include, abstract:", "{abstract:"),
        *RECORDS[4:],
    ]
    _, errors = loaded(three_stages(mini_project, records))
    assert any(
        e.startswith(
            "content/screening/batch-1.yaml:7: an abstract decision on a record excluded at title"
        )
        for e in errors
    ), errors
    assert any(
        e.startswith(
            "content/screening/batch-1.yaml:8: an abstract decision on a record never screened "
            "at title"
        )
        for e in errors
    ), errors


def test_a_screening_stage_after_an_eligibility_stage_is_an_error(mini_project: Path) -> None:
    three_stages(mini_project)
    path = mini_project / "content" / "stages" / "abstract.yaml"
    path.write_text(STAGES["abstract"].replace("order: 2", "order: 4"), encoding="utf-8")
    _, errors = loaded(mini_project)
    assert any(
        e.startswith(
            "content/stages/abstract.yaml:4: screening stage 'abstract' comes after the "
            "eligibility stage 'full-text'"
        )
        for e in errors
    ), errors


def test_import_names_a_declared_stage_by_id_or_label(mini_project: Path, tmp_path: Path) -> None:
    review = load_review(three_stages(mini_project))
    stages = ledgers.stages_of(review)
    source = tmp_path / "round.csv"
    source.write_text(
        "doi,label_included,exclusion_reason,stage\n"
        "10.1000/a,0,Wrong population,\n"
        "10.1000/b,0,Wrong population,Abstract screening\n"
        "10.1000/c,0,,full-text\n"
        "10.1000/d,1,,abstract\n"
        "10.1000/e,1,,\n",
        encoding="utf-8",
    )
    plan = plan_import(source, content=tmp_path, existing={}, known_reasons=set(), stages=stages)
    ledger = plan.files["content/screening/round.yaml"]
    assert "{doi: 10.1000/a, found_by: [round], decisions: {title: {decision: exclude" in ledger
    assert (
        "{doi: 10.1000/b, found_by: [round], decisions: {title: include, abstract: "
        "{decision: exclude, reason: wrong-population}}}" in ledger
    )
    assert "decisions: {title: include, abstract: include, full-text: exclude}}" in ledger
    assert (
        "{doi: 10.1000/d, found_by: [round], decisions: {title: include, abstract: include}}"
        in ledger
    )
    assert (
        "{doi: 10.1000/e, found_by: [round], decisions: {title: include, abstract: include, "
        "full-text: include}}" in ledger
    )
    assert plan.included == 1
    assert dict(plan.excluded) == {"title": 1, "abstract": 1, "full-text": 1}
    source.write_text("doi,label_included,stage\n10.1000/a,0,title-abstract\n", encoding="utf-8")
    with pytest.raises(ScreeningImportError) as caught:
        plan_import(source, content=tmp_path, existing={}, known_reasons=set(), stages=stages)
    assert str(caught.value) == (
        "round.csv:2: stage 'title-abstract': use title, abstract or full-text."
    )


def test_the_box_lists_of_a_10000_record_ledger_are_split_under_1_mb(mini_project: Path) -> None:
    """Each box of a big ledger lists its records over part pages (split as the bibliography
    index is); no page passes 1 MB and every record is in exactly one part of its box."""
    from macros.bibliography.citeproc import Formatted  # noqa: PLC0415
    from macros.pages.engine import render_site  # noqa: PLC0415

    total = 10_000
    (mini_project / "content/searches/big-db.yaml").write_text(
        f"id: big-db\nsource: A big index\ndate: 2024-01-01\nrecords: {total}\n", encoding="utf-8"
    )
    lines = [
        f'  - {{doi: 10.1000/big{i}, title: "A record about rivers and roads, number {i}", '
        "found_by: [big-db], decisions: "
        + (
            "{title-abstract: {decision: exclude, reason: wrong-topic}}}\n"
            if i % 3
            else "{title-abstract: include, full-text: include}}\n"
        )
        for i in range(total)
    ]
    (mini_project / "content/screening/big.yaml").write_text(
        "id: big\nrecords:\n" + "".join(lines), encoding="utf-8"
    )
    review = load_review(mini_project)
    rendered = render_site(review, {k: Formatted(k, k) for k in review.bibliography.entries})
    sizes = {
        uri: len(page.markdown.encode())
        + sum(len(h.encode()) for h in rendered.stash.referenced(page.markdown))
        for uri, page in rendered.pages.items()
        if uri.startswith("screening/")
    }
    assert max(sizes.values()) < 1_000_000, max(sizes.items(), key=lambda item: item[1])
    ledger = ledgers.build(review)
    for box in ("identified", "screened", "excluded-screening", "included"):
        parts = prisma.box_parts(box, ledger.boxes[box])
        assert len(parts) > 1
        listed = []
        for part in parts:
            html = "".join(rendered.stash.referenced(rendered.pages[part.page].markdown))
            listed += re.findall(r'href="https://doi.org/10\.1000/(big\d+)"', html)
            assert part.page in rendered.pages
            assert prisma.box_page(box) in rendered.pages
        expected = [
            f"big{i}"
            for i in range(total)
            if box in {"identified", "screened"} or (i % 3 == 0) == (box == "included")
        ]
        assert sorted(listed) == sorted(expected)  # each record in exactly one part
        box_markdown = rendered.pages[prisma.box_page(box)].markdown
        for part in parts:  # the box page links to every part
            assert part.page.removeprefix("screening/").removesuffix(".md") in box_markdown
    diagram = rendered.pages["screening/prisma.md"].markdown
    assert "identified-part-5" in diagram


def test_the_report_names_the_stage_a_record_awaits(mini_project: Path) -> None:
    from macros.pages.report import build_report  # noqa: PLC0415

    records = [
        *RECORDS[:3],
        RECORDS[3].replace(
            "{title: include, abstract: {decision: exclude, reason: no-data}}", "{title: maybe}"
        ),
        *RECORDS[4:],
    ]
    review, errors = loaded(three_stages(mini_project, records))
    assert errors == []
    found = [(f.line, f.message) for f in build_report(review) if f.section == "screening"]
    assert (8, "a record awaits its abstract decision") in found
