"""Entities across the site: mentions, abbreviations, event flags, events and statistics."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros.kinds.events import date_bounds, event_flags
from macros.pages.engine import collect_review, load_review
from macros.pages.mentions import MentionIndex, abbreviation_table, alias_table, trie_pattern
from tests.conftest import MINI

EVENT = """\
# yaml-language-server: $schema=../../schemas/event.schema.json
id: late-meeting
paper: alpha
title: A meeting after publication
date: "2022-07-31"
summary: A meeting.
where: {section: intro, paragraph: 2}
actors: [example-agency, nobody]
programs: [river-program]
sources: [{key: nokey2000}]
"""

STATISTIC = """\
# yaml-language-server: $schema=../../schemas/statistic.schema.json
id: rivers-long
paper: alpha
value: 1
unit: river
wording: Rivers are long
measures: Nothing really.
where: {section: intro, paragraph: 1}
evidence: [{footnote: 1}]
doubt: The text gives no number.
"""


def test_links_the_first_mention_outside_links_code_and_headings() -> None:
    index = MentionIndex({"Example Agency": "example-agency", "EXA": "example-agency"})
    html = (
        '<h1>Example Agency</h1><p>The <code>EXA</code> and <a href="x">EXA</a> and '
        "Example Agency, then EXA again.</p>"
    )
    out, mentioned = index.link(html, {"example-agency": "../e.html"})
    index.collect("p.md", "P", mentioned)
    assert out == (
        '<h1>Example Agency</h1><p>The <code>EXA</code> and <a href="x">EXA</a> and '
        '<a class="lr-mention" href="../e.html">Example Agency</a>, then EXA again.</p>'
    )
    assert index.mentioned_in("example-agency") == {"p.md": "P"}


def test_an_entity_page_does_not_mention_itself() -> None:
    index = MentionIndex({"EXA": "example-agency"})
    out, mentioned = index.link("<p>EXA</p>", {"example-agency": "x"}, skip="example-agency")
    index.collect("entities/example-agency.md", "E", mentioned)
    assert out == "<p>EXA</p>"
    assert index.mentioned_in("example-agency") == {}


def test_aliases_and_abbreviations_come_from_the_content() -> None:
    review = load_review(MINI)
    assert alias_table(review)["EXA"] == "example-agency"
    assert alias_table(review)["the Agency"] == "example-agency"
    assert abbreviation_table(review) == {"EXA": "Example Agency"}


def test_partial_dates_cover_their_whole_span() -> None:
    assert date_bounds("2021") == ("2021-01-01", "2021-12-31")
    assert date_bounds("2021-07") == ("2021-07-01", "2021-07-31")
    assert date_bounds("2021-07-09") == ("2021-07-09", "2021-07-09")


def test_events_after_publication_or_outside_the_period_are_flagged(mini_project: Path) -> None:
    event = mini_project / "content/events/late-meeting.yaml"
    event.parent.mkdir(exist_ok=True)
    event.write_text(
        EVENT.replace(", nobody]", "]").replace("nokey2000", "agency2021report"), encoding="utf-8"
    )
    paper = mini_project / "content/papers/alpha.yaml"
    paper.write_text(
        paper.read_text(encoding="utf-8").replace(
            "key: example2021alpha\n",
            "key: example2021alpha\n"
            'period: {start: "2020-03", end: "2021", as_stated: "post-Covid"}\n',
        ),
        encoding="utf-8",
    )
    review = load_review(mini_project)
    assert event_flags(review, review.events["late-meeting"]) == [
        "after the paper's publication (2021)",
        "after the period the paper studies (post-Covid)",
    ]


def test_events_and_statistics_with_unknown_ids_fail_the_check(mini_project: Path) -> None:
    (mini_project / "content/events").mkdir(exist_ok=True)
    (mini_project / "content/events/late-meeting.yaml").write_text(EVENT, encoding="utf-8")
    (mini_project / "content/statistics").mkdir(exist_ok=True)
    (mini_project / "content/statistics/rivers-long.yaml").write_text(
        STATISTIC.replace("{footnote: 1}", "{footnote: 7}").replace(
            "Rivers are long", "Rivers are very long"
        ),
        encoding="utf-8",
    )
    _, errors = collect_review(mini_project)
    assert [str(e) for e in sorted(errors)] == [
        "content/events/late-meeting.yaml:8: unknown entity id 'nobody' (at actors[1]). "
        "Hint: create content/entities/nobody.yaml or fix the id.",
        "content/events/late-meeting.yaml:10: unknown bibliography key 'nokey2000' "
        "(at sources[0].key). Hint: add @type{nokey2000, ...} to references.bib.",
        "content/statistics/rivers-long.yaml:6: quotation not found in seeds/alpha.txt "
        "(at wording). Hint: copy the words exactly as printed, or paraphrase outside quotes.",
        "content/statistics/rivers-long.yaml:9: paper 'alpha' has no footnote 7 "
        "(at evidence[0].footnote).",
    ]


def test_quotations_and_formatted_references_keep_their_words_unlinked() -> None:
    index = MentionIndex({"EXA": "example-agency"})
    html = (
        '<blockquote><p>EXA said</p></blockquote><div class="lr-formatted-ref">EXA. '
        '<em>Report</em></div><div class="footnote"><ol><li>EXA</li></ol></div><p>EXA</p>'
    )
    out, _ = index.link(html, {"example-agency": "e.html"})
    assert out.count('class="lr-mention"') == 1
    assert out.endswith('<p><a class="lr-mention" href="e.html">EXA</a></p>')


def test_abbreviations_are_marked_everywhere_but_code() -> None:
    index = MentionIndex({"EXA": "example-agency"}, {"EXA": 'Example "Agency"'})
    out, _ = index.link("<h2>EXA</h2><p>EXA, EXA</p><pre>EXA</pre>", {"example-agency": "e.html"})
    abbr = '<abbr title="Example &quot;Agency&quot;">EXA</abbr>'
    assert out == (
        f'<h2>{abbr}</h2><p><a class="lr-mention" href="e.html">{abbr}</a>, {abbr}'
        "</p><pre>EXA</pre>"
    )


def test_trie_pattern_matches_the_longest_name() -> None:
    pattern = re.compile(rf"(?<![\w-]){trie_pattern(['IOM', 'IOM X', 'ILO'])}(?![\w-])")
    assert pattern.findall("IOM X, IOMX, ILO and IOM.") == ["IOM X", "ILO", "IOM"]


@pytest.mark.review
def test_every_abbreviation_the_shipped_paper_uses_has_a_glossary_entry() -> None:
    """Front matter (COVID-19), honorifics (SWT, SAW, HR.), citation forms (Ibid., et al., no.)."""
    root = Path(__file__).resolve().parents[1]
    paper = (root / "seeds" / "amalia2021-fulltext.txt").read_text(encoding="utf-8")
    used = ["COVID-19", "IOM", "CTU", "PMI", "3P", "SWT", "SAW", "HR.", "Ibid.", "et al.", "no."]
    table = abbreviation_table(load_review(root))
    for abbreviation in used:
        assert abbreviation in paper, abbreviation
        assert abbreviation in table, abbreviation
