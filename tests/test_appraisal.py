"""Appraisal: the checks (path:line), derived overall judgements and shares, the robvis CSV,
the plots' text alternatives and symbols."""

from __future__ import annotations

import base64
import csv
import io
import re
from pathlib import Path

from macros.bibliography.citeproc import Formatted
from macros.content.model import Appraisal
from macros.kinds.appraisal import (
    BUILT_IN,
    Row,
    distinct,
    overall_of,
    robvis_csv,
    shares,
    summary_of,
    tool_of,
)
from macros.pages import appraisalplots
from macros.pages.engine import collect_review, load_review, render_site
from tests.conftest import MINI

GENERIC = """id: q
title: Q
domains:
  - {id: aims, name: Aims}
  - {id: data, name: Data}
scale: [high, moderate, low]
unclear: [cannot tell]
"""


def write(project: Path, path: str, text: str) -> None:
    target = project / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def errors_of(project: Path) -> list[str]:
    _, errors = collect_review(project)
    return [str(e) for e in sorted(errors)]


def test_fixture_appraisal_is_clean(mini_project: Path) -> None:
    assert errors_of(mini_project) == []


def test_each_appraisal_check_names_its_line(mini_project: Path) -> None:
    write(
        mini_project,
        "content/appraisal/q.yaml",
        GENERIC
        + """works:
  - work: nosuchkey2020
    domains:
      aims: {judgement: high}
    overall: {judgement: high}
  - work: muller2020rivers
    domains:
      method: {judgement: high}
      data: {judgement: medium}
    overall: {judgement: low}
  - work: agency2021report
    domains:
      aims: {judgement: low, audit: [no-such-finding]}
""",
    )
    errors = [e for e in errors_of(mini_project) if "appraisal/q.yaml" in e]
    assert any("q.yaml:9: unknown bibliography key 'nosuchkey2020'" in e for e in errors), errors
    assert any("q.yaml:15: domain 'method' is not in the tool (aims, data)" in e for e in errors)
    assert any(
        "q.yaml:16: judgement 'medium' is not on the scale of the review's own tool "
        "(high, moderate, low, cannot tell)" in e
        for e in errors
    ), errors
    assert any("q.yaml:20: unknown audit finding id 'no-such-finding'" in e for e in errors)
    assert any("q.yaml:18: work 'agency2021report' has no overall judgement" in e for e in errors)
    assert len(errors) == 5, errors


def test_a_built_in_tool_refuses_its_own_domains_and_a_generic_one_needs_them(
    mini_project: Path,
) -> None:
    write(
        mini_project,
        "content/appraisal/rob.yaml",
        "id: rob\ntitle: R\ntool: rob2\nscale: [a, b]\nworks:\n"
        "  - work: muller2020rivers\n    domains: {d1: {judgement: some concerns}}\n"
        "    overall: {judgement: Some Concerns}\n",
    )
    write(
        mini_project,
        "content/appraisal/bare.yaml",
        "id: bare\ntitle: B\nworks:\n  - work: muller2020rivers\n    domains: {}\n"
        "    overall: {judgement: x}\n",
    )
    errors = errors_of(mini_project)
    assert any("rob.yaml:4: tool 'rob2' has its own scale" in e for e in errors), errors
    assert not any("rob.yaml" in e and "judgement" in e for e in errors), errors
    assert any("bare.yaml:1: a generic tool needs its domains and its scale" in e for e in errors)


def _appraisal(rule: str = "worst") -> Appraisal:
    return Appraisal.model_validate(
        {
            "id": "q",
            "title": "Q",
            "domains": [{"id": "aims", "name": "Aims"}, {"id": "data", "name": "Data"}],
            "scale": ["high", "moderate", "low"],
            "unclear": ["cannot tell"],
            "overall_rule": rule,
            "works": [
                {
                    "work": "a",
                    "domains": {
                        "aims": {"judgement": "high"},
                        "data": {"judgement": "Moderate"},
                    },
                    "weight": 3,
                },
                {"work": "b", "domains": {"aims": {"judgement": "cannot tell"}}},
                {
                    "work": "c",
                    "domains": {"aims": {"judgement": "low"}},
                    "overall": {"judgement": "moderate"},
                },
            ],
        }
    )


def test_overall_is_stated_or_the_worst_rated_domain() -> None:
    appraisal = _appraisal()
    a, b, c = appraisal.works
    assert overall_of(appraisal, a) == "moderate"
    assert overall_of(appraisal, b) == "cannot tell"  # nothing rated
    assert overall_of(appraisal, c) == "moderate"  # stated wins over the rule
    assert overall_of(_appraisal("given"), a) is None


def _rows(appraisal: Appraisal) -> list[Row]:
    return [
        Row(
            e.work,
            e.work,
            "",
            f"w-{e.work}",
            dict(e.domains),
            overall_of(appraisal, e),
            e.overall,
            e.weight,
        )
        for e in appraisal.works
    ]


def test_shares_are_counted_and_weighted() -> None:
    appraisal = _appraisal()
    tool = tool_of(appraisal)
    summary = {d.id: s for d, s in summary_of(tool, _rows(appraisal))}
    # aims: high (weight 3), cannot tell (1), low (1): weights count once any work has one.
    assert summary["aims"] == [("high", 0.6, 1), ("low", 0.2, 1), ("cannot tell", 0.2, 1)]
    assert summary["data"] == [("moderate", 1.0, 1)]  # works not judged are left out
    assert shares(tool, [("low", None), ("low", None), ("high", None), (None, None)]) == [
        ("high", 1 / 3, 1),
        ("low", 2 / 3, 2),
    ]


def test_robvis_csv_has_study_domains_overall_weight() -> None:
    appraisal = _appraisal()
    rows = list(csv.reader(io.StringIO(robvis_csv(appraisal, {"a": "Alpha 2020"}))))
    assert rows[0] == ["Study", "D1", "D2", "Overall", "Weight"]
    assert rows[1] == ["Alpha 2020", "high", "moderate", "moderate", "3"]
    assert rows[2] == ["b", "cannot tell", "", "cannot tell", "1"]


def test_built_in_templates() -> None:
    assert [d.id for d in BUILT_IN["rob2"].domains] == ["d1", "d2", "d3", "d4", "d5"]
    assert BUILT_IN["rob2"].scale == ("low", "some concerns", "high")
    assert len(BUILT_IN["robins-i"].domains) == 7
    assert BUILT_IN["robins-i"].judgements[-1] == "no information"
    assert BUILT_IN["casp"].judgements == ("yes", "no", "can't tell")
    assert BUILT_IN["mmat"].judgements == ("yes", "no", "can't tell")


def test_every_judgement_has_a_colour_and_a_distinct_symbol() -> None:
    for tool in BUILT_IN.values():
        marks = appraisalplots.marks(tool.scale, tool.unclear)
        assert set(marks) == set(tool.judgements)
        assert len({m.symbol for m in marks.values()}) == len(marks)
        assert len({m.colour for m in marks.values()}) == len(marks)


def test_traffic_light_marks_link_and_have_text_alternatives() -> None:
    appraisal = _appraisal()
    tool = tool_of(appraisal)
    marks = appraisalplots.marks(tool.scale, tool.unclear)
    svg = appraisalplots.traffic_light("Q", tool.domains, _rows(appraisal), marks)
    links = re.findall(r'<a href="#([^"]+)" aria-label="([^"]+)"><title>([^<]+)</title>', svg)
    assert len(links) == 3 * 3  # three works x (two domains + overall)
    assert ("w-a-data", "a, Data: moderate", "a, Data: moderate") in links
    assert ("w-b-data", "b, Data: not judged", "b, Data: not judged") in links
    assert all(int(size) >= 12 for size in re.findall(r'font-size="(\d+)"', svg))


def test_mini_page_prints_every_judgement_escaped() -> None:
    review = load_review(MINI)
    formatted = {k: Formatted(k, k) for k in review.bibliography.entries}
    rendered = render_site(review, formatted)
    page = rendered.pages["appraisal/quality.md"].markdown
    html = "".join(rendered.stash.referenced(page))
    assert "Twelve sites, &lt;b&gt;named&lt;/b&gt; but not sampled." in html
    assert "<b>named</b>" not in html
    assert "“We follow one river &amp; its roads.” (p. 11)" in html
    download = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', html)
    assert download is not None
    text = base64.b64decode(download[1]).decode()
    assert text.splitlines()[0] == "Study,D1,D2,Overall,Weight"


def test_repeated_labels_are_told_apart() -> None:
    assert distinct(["State 2020", "Smith 2019", "State 2020", "IOM (n.d.)", "IOM (n.d.)"]) == [
        "State 2020a",
        "Smith 2019",
        "State 2020b",
        "IOM (n.d.) a",
        "IOM (n.d.) b",
    ]


def test_content_in_the_plots_is_escaped() -> None:
    hostile = '<script>alert(1)</script>"'
    appraisal = Appraisal.model_validate(
        {
            "id": "h",
            "title": hostile,
            "domains": [{"id": "aims", "name": hostile}],
            "scale": ["ok", hostile],
            "works": [{"work": "a", "domains": {"aims": {"judgement": hostile}}}],
            "overall_rule": "worst",
        }
    )
    tool = tool_of(appraisal)
    marks = appraisalplots.marks(tool.scale, tool.unclear)
    table = [
        Row(hostile, hostile, "", "w-a", dict(e.domains), overall_of(appraisal, e), None, None)
        for e in appraisal.works
    ]
    drawn = (
        appraisalplots.traffic_light(hostile, tool.domains, table, marks)
        + appraisalplots.summary_bars(hostile, summary_of(tool, table), marks)
        + appraisalplots.legend(marks)
    )
    assert "<script" not in drawn
    assert '"<' not in drawn
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;" in drawn
