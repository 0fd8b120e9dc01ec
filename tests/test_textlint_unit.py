"""The text lint (macros/pages/textlint.py) and the reader's labels (macros/pages/labels.py)."""

from __future__ import annotations

from macros.pages.labels import (
    Citations,
    counted,
    mid_sentence,
    paper_short,
    short_citation,
    short_label,
    unstop,
)
from macros.pages.textlint import lint_page


def page(body: str) -> str:
    return f"<html><body><nav>Home.. The Nav</nav><article>{body}</article></body></html>"


def test_a_clean_page_has_no_problems() -> None:
    body = "<h1>Title</h1><p>One paper, 2 claims, e.g. this. Wait... ok.</p><h2>More</h2><p>x</p>"
    assert lint_page(page(body)) == []


def test_doubled_punctuation_across_an_element_is_found() -> None:
    problems = lint_page(page("<p>cites none of their <em>work.</em>. Dimensions</p>"))
    assert len(problems) == 1
    assert "doubled or stray punctuation" in problems[0]


def test_one_with_a_plural_and_zero_counts_are_found() -> None:
    problems = lint_page(page("<p>1 papers and 0 claims; 1 paper; 10 claims; verdict 1 says</p>"))
    assert [p.split(": ", 1)[1] for p in problems] == [
        "'1' with a plural: '1 papers'",
        "a zero count: '0 claims'",
    ]


def test_a_capitalised_article_mid_sentence_is_found_but_not_in_a_title() -> None:
    problems = lint_page(page("<p>attributed to The UNDP's view, as in <em>The Book</em>.</p>"))
    assert len(problems) == 1
    assert "capitalised article mid-sentence" in problems[0]
    assert lint_page(page("<p>Method.</p><p>The study</p><p>A is for capital A</p>")) == []


def test_empty_headings_and_rows_are_found() -> None:
    body = (
        "<h2>Structure</h2><h2>Keywords</h2><p>text</p><h3></h3>"
        "<table><tr><th>a</th><th>b</th></tr><tr><td>Keywords</td><td> </td></tr>"
        "<tr><td>Key</td><td><code>k1</code></td></tr></table><h2>Last</h2>"
    )
    problems = [p.split(": ", 1)[1] for p in lint_page(page(body))]
    assert problems == [
        "heading 'Structure' has nothing under it",
        "empty heading <h3>",
        "empty table row 'Keywords'",
        "heading 'Last' has nothing under it",
    ]


def test_short_labels_cut_at_a_word() -> None:
    statement = "Trafficking cases, especially of migrant workers, rose during the pandemic as"
    assert (
        short_label(statement) == "Trafficking cases, especially of migrant workers, rose during…"
    )
    assert short_label("Short enough.") == "Short enough."


def test_short_citations_and_paper_labels() -> None:
    item = {
        "id": "k",
        "author": [{"family": "Amalia", "given": "R."}],
        "issued": {"date-parts": [[2021]]},
    }
    assert short_citation(item, "k") == "Amalia 2021"
    three = {"author": [{"family": f} for f in ("A", "B", "C")], "issued": {"date-parts": [[2020]]}}
    assert short_citation(three) == "A et al. 2020"
    body = {"author": [{"literal": "International Organization for Migration"}]}
    assert short_citation(body) == "International Organization for Migration (n.d.)"
    assert short_citation(None, "missing2020") == "missing2020"
    assert paper_short(["Rizka Amalia"], 2021) == "Amalia 2021"


def test_values_mid_sentence_and_before_a_full_stop() -> None:
    assert mid_sentence("The UNDP's people-centred view") == "the UNDP's people-centred view"
    assert mid_sentence("The Hague Convention") == "The Hague Convention"
    assert unstop("cites none of their work.") == "cites none of their work"
    assert unstop("Acme Inc.") == "Acme Inc."


def test_an_entry_page_tab_title_is_author_year_and_a_short_title() -> None:
    items = [
        {
            "id": "k",
            "author": [{"family": "Amalia"}],
            "issued": {"date-parts": [[2021]]},
            "title": "The Effectiveness of the Organization in Addressing a Very Long Problem",
        }
    ]
    assert (
        Citations(items).tab_title("k")
        == "Amalia 2021: The Effectiveness of the Organization in Addressing…"
    )
    assert Citations([]).tab_title("unknown") == "unknown"


def test_an_empty_definition_is_found_but_a_link_or_code_is_content() -> None:
    body = (
        "<dl><dt>Keywords</dt><dd> </dd><dt>Key</dt><dd><code>k1</code></dd>"
        "<dt>DOI</dt><dd><a href='x'>10.1/x</a></dd><dt>Year</dt><dd><p>2021</p></dd></dl>"
    )
    assert [p.split(": ", 1)[1] for p in lint_page(page(body))] == ["empty definition 'Keywords'"]


def test_list_items_run_together_are_found() -> None:
    joined = "<ul><li><a href='#'>Note 1</a> of <em>Roads</em>- <a href='#'>Note 2</a></li></ul>"
    problems = lint_page(page(joined))
    assert len(problems) == 1
    assert "two list items run together" in problems[0]
    assert lint_page(page("<p>pre- and post-war; a dash - Here; COVID-19 cases.</p>")) == []


def test_counts_take_the_singular_for_one() -> None:
    assert counted(1, "papers") == "1 paper"
    assert counted(1, "audit findings") == "1 audit finding"
    assert counted(1, "entities") == "1 entity"
    assert counted(1, "statistics") == "1 statistic"
    assert counted(1, "report warnings") == "1 report warning"
    assert counted(0, "papers") == "0 papers"
    assert counted(2, "entries") == "2 entries"
    assert counted(1, "address") == "1 address"


def test_citations_that_share_a_label_get_letters_in_title_order() -> None:
    def item(key: str, title: str, year: int | None) -> dict[str, object]:
        issued = {"date-parts": [[year]]} if year else {}
        return {"id": key, "title": title, "author": [{"literal": "Agency"}], "issued": issued}

    cite = Citations(
        [
            item("k1", "Zebra report", 2021),
            item("k2", "Aardvark report", 2021),
            item("k3", "Only one", 2020),
            item("k4", "Web page B", None),
            item("k5", "Web page A", None),
        ]
    )
    assert [cite(k) for k in ("k1", "k2", "k3")] == ["Agency 2021b", "Agency 2021a", "Agency 2020"]
    assert [cite(k) for k in ("k4", "k5")] == ["Agency (n.d.-b)", "Agency (n.d.-a)"]
    assert cite("unknown") == "unknown"
