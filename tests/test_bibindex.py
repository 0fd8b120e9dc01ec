"""The bibliography at thousands of entries: the split listing, its filter data, a built library
of a few hundred entries (page sizes, the plain lists without JavaScript) and its filter in
Chromium from file://."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from benchmarks import library
from macros.bibliography.bibtex import BibEntry
from macros.bibliography.citeproc import Formatted
from macros.pages import bibindex
from macros.pages.render import entry_facets
from macros.site.preview import preview

REFS = 2 * bibindex.PART_SIZE + 100  # enough for a letter split in parts


def entry(key: str, kind: str = "article", **fields: str) -> BibEntry:
    return BibEntry(key, kind, fields, 1, "")


def test_letter_folds_accents_and_files_the_rest_under_hash() -> None:
    assert bibindex.letter("Émile, Zola.") == "E"
    assert bibindex.letter("“Quoted title.”") == "Q"
    assert bibindex.letter("ßtraße") == "S"
    assert bibindex.letter("Жуков") == "#"  # letters outside A-Z share one group
    assert bibindex.letter("2020 report") == "#"
    assert bibindex.letter("") == "#"


def test_split_keeps_order_and_cuts_groups_into_parts() -> None:
    size = bibindex.PART_SIZE
    keys = [f"k{i}" for i in range(2 * size + 1)]
    parts = bibindex.split("letter", keys, lambda _: "A")
    assert [p.page for p in parts] == [
        "references/by-letter/a.md",
        "references/by-letter/a-2.md",
        "references/by-letter/a-3.md",
    ]
    assert [p.label for p in parts] == ["A", "A (2)", "A (3)"]
    assert [k for p in parts for k in p.keys] == keys
    years = bibindex.split(
        "year",
        ["x", "y", "z", "w"],
        {"x": "1999", "y": "n.d.", "z": "2020", "w": "#"}.__getitem__,
        newest_first=True,
    )
    assert [p.group for p in years] == ["2020", "1999", "#", "n.d."]
    assert [p.page for p in years][-2:] == [
        "references/by-year/other.md",
        "references/by-year/nd.md",
    ]


def test_small_library_stays_on_one_page() -> None:
    assert not bibindex.is_split(["k"] * bibindex.PART_SIZE)
    assert bibindex.is_split(["k"] * (bibindex.PART_SIZE + 1))


def test_records_carry_every_facet() -> None:
    entries = {
        "b": entry("b", "book", langid="ngerman", keywords="source:academic, rivers; roads"),
        "a": entry("a", "online", date="2011-04"),
    }
    items: dict[str, dict[str, Any]] = {
        "b": {
            "issued": {"date-parts": [[1999]]},
            "author": [{"family": "Müller"}, {"literal": "UN"}],
        },
        "a": {"editor": [{"family": "Ng", "given": "A."}]},
    }
    formatted = {"b": Formatted("<i>B</i>", "Müller. B."), "a": Formatted("a", "Ng. A.")}
    keys = bibindex.ordered_keys(formatted, entries)
    index = bibindex.build_index(keys, entries, items, formatted, entry_facets)
    records = [dict(zip(bibindex.FIELDS, r, strict=True)) for r in index.records]
    assert records == [
        {
            "slug": "b",
            "text": "Müller. B.",
            "authors": "Müller; UN",
            "year": "1999",
            "type": "book",
            "keywords": "rivers; roads",
            "language": "German",
            "letter": "M",
        },
        {
            "slug": "a",
            "text": "Ng. A.",
            "authors": "Ng",
            "year": "2011",
            "type": "online",
            "keywords": "",
            "language": "English",
            "letter": "N",
        },
    ]


def test_data_script_is_one_global_that_cannot_close_a_script() -> None:
    script = bibindex.data_script([["k", "</script><b>\u2028", "", "n.d.", "misc", "", "", "#"]])
    assert script.startswith(f"window.{bibindex.DATA_GLOBAL} = ")
    assert "</" not in script
    assert "\u2028" not in script
    data = json.loads(script.split(" = ", 1)[1].rstrip(";\n"))
    assert data["entries"][0][1] == "</script><b>\u2028"
    assert data["fields"] == list(bibindex.FIELDS)


def test_filter_form_has_a_label_for_every_control() -> None:
    form = bibindex.filter_form("../LRSLUG/", "bibindex.js")
    controls = re.findall(r"<(?:input|select)\b", form)
    assert len(controls) == len(re.findall(r"<label>[^<]+<(?:input|select)\b", form)) == 6
    assert " hidden " in form  # shown by its script only once the data has loaded


# --- a built library of a few hundred entries -------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("library") / "review"
    library.generate_library(root, REFS)
    library.build(root)
    return root


def entries_on(page: Path) -> list[str]:
    return re.findall(r'<div class="lr-bib-entry" id="([^"]+)"', page.read_text("utf-8"))


@pytest.mark.build
def test_built_library_splits_by_letter_and_year_under_the_size_limit(built: Path) -> None:
    site = built / "site"
    name, size = library.largest_page(site)
    assert size < library.PAGE_LIMIT, name
    index = library.index_page(site)
    html = index.read_text("utf-8")
    assert entries_on(index) == []  # the listing lives on the letter and year pages
    letters = sorted((site / "references" / "by-letter").glob("*.html"))
    years = sorted((site / "references" / "by-year").glob("*.html"))
    on_letters = [k for page in letters for k in entries_on(page)]
    on_years = [k for page in years for k in entries_on(page)]
    assert len(on_letters) == len(set(on_letters)) == REFS
    assert sorted(on_years) == sorted(on_letters)
    assert max(len(entries_on(p)) for p in letters + years) <= bibindex.PART_SIZE
    # Without JavaScript: the index links every letter and year page, and each of those pages
    # links every entry page.
    linked = set(re.findall(r'href="(by-(?:letter|year)/[^"]+)"', html))
    assert linked == {p.relative_to(index.parent).as_posix() for p in letters + years}
    first = letters[0].read_text("utf-8")
    assert first.count("lr-entry-link") == len(entries_on(letters[0]))
    data = (site / "references" / "bibindex.js").read_text("utf-8")
    assert len(json.loads(data.split(" = ", 1)[1].rstrip(";\n"))["entries"]) == REFS
    # Search finds each entry once, on its own page, not again on its letter and year pages.
    search = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    locations = {doc["location"].split("#")[0] for doc in search["docs"]}
    assert not {loc for loc in locations if loc.startswith("references/by-")}
    assert len({loc for loc in locations if loc.startswith("references/")}) >= REFS


# --- the filter in Chromium from file:// ------------------------------------------------------


def records(site: Path) -> list[dict[str, str]]:
    data = (site / "references" / "bibindex.js").read_text("utf-8")
    parsed = json.loads(data.split(" = ", 1)[1].rstrip(";\n"))
    return [dict(zip(parsed["fields"], r, strict=True)) for r in parsed["entries"]]


def count_shown(page: Any) -> int:
    text = page.locator("form.lr-bibindex .lr-filter-count").inner_text()
    return int(text.split(" of ", 1)[0])


@pytest.mark.browser
def test_filter_by_every_facet_and_jump_by_letter(built: Path, browser: Any) -> None:
    site = built / "site"
    rows = records(site)
    page = browser.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "request",
        lambda r: (
            requests.append(r.url) if not r.url.startswith(("file:", "data:", "blob:")) else None
        ),
    )
    page.goto(library.index_page(site).as_uri())
    page.wait_for_selector("form.lr-bibindex:not([hidden])")
    assert count_shown(page) == len(rows)

    def expect(count: int) -> None:
        page.wait_for_function(
            "n => document.querySelector('form.lr-bibindex .lr-filter-count')"
            ".textContent.startsWith(n + ' of ')",
            arg=count,
        )
        listed = page.locator(".lr-bib-results li").count()
        assert listed == min(count, 200)

    sample = rows[len(rows) // 2]
    selects = {"type": "type", "keywords": "keywords", "language": "language", "year": "year"}
    for field, name in selects.items():
        value = sample[field].split("; ")[0]
        page.select_option(f"select[data-field={name}]", value)
        expect(sum(value in r[field].split("; ") for r in rows))
        page.select_option(f"select[data-field={name}]", "")
    author = sample["authors"].split("; ")[0]
    page.locator("input[data-field=authors]").fill(author)
    expect(sum(author.lower() in r["authors"].lower() for r in rows))
    page.locator("input[data-field=authors]").fill("")
    word = library.query_for(built)
    page.locator("input[data-field=text]").click()
    page.keyboard.type(word)
    expect(sum(word in r["text"].lower() or word in r["keywords"].lower() for r in rows))
    first = page.locator(".lr-bib-results li a").first
    target = first.get_attribute("href") or ""
    first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")  # a result is a link, reachable by keyboard
    assert page.url.endswith(target.removeprefix("../").removeprefix("./"))
    assert page.locator("h1").count() == 1

    page.goto(library.index_page(site).as_uri())
    letter = page.locator("nav.lr-jump[aria-label='By letter'] a").nth(1)
    label = letter.inner_text()
    with page.expect_navigation():
        letter.click()
    assert page.locator("h1").inner_text().startswith(f"Bibliography: {label}")
    assert page.locator(".lr-bib-entry").count() > 0
    assert errors == []
    assert requests == []
    page.close()

    ready, first_s, listed = library.filter_timings(browser, site, word)
    search = library.search_timing(browser, site, word)
    assert listed > 0
    print(
        f"\n{REFS} entries: filter ready {ready:.3f} s, first result {first_s:.3f} s; "
        f"Material search first result {search:.3f} s"
    )


@pytest.mark.build
def test_a_bibtex_edit_in_serve_serves_the_filter_data_with_the_edit(
    mini_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``litreview serve``'s preview: the filter's data comes with the edited entry's page."""
    site = mini_project / "site"
    site.mkdir()  # the served folder (a preview needs no full build before it)
    monkeypatch.setattr(bibindex, "PART_SIZE", 1)  # the mini library, split as a large one
    bib = mini_project / "references.bib"
    bib.write_text(bib.read_text("utf-8").replace("title = {Rivers", "title = {Streams", 1))
    pages = preview(mini_project, site, frozenset({"references.bib"}))
    assert bibindex.DATA_FILE in pages
    data = (site / bibindex.DATA_FILE).read_text(encoding="utf-8")
    assert data.startswith(f"window.{bibindex.DATA_GLOBAL} = ")
    assert "Streams" in data
    # An edit elsewhere leaves the data alone (and makes no downloads).
    assert bibindex.DATA_FILE not in preview(mini_project, site, frozenset({"docs/index.md"}))
