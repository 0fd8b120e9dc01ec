"""Issue 14, points 6 and 7: no page made twice, and every input bounded with path:line.

The located errors themselves are pinned by cases in ``tests/bad_inputs/`` (``page-*``,
``yaml-nested-*``, ``yaml-huge-value``, ``bib-unsafe-keys``, ``bib-huge-fields``,
``bib-deep-braces``); these tests cover what that format cannot: a real build with forged
placeholder tokens, crashes in a child process, limits at their edge, and the list of pages
staying in step with the renderer.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from macros.bibliography.bibtex import MAX_KEY, parse_bibliography
from macros.bibliography.citations import CitationRegistry
from macros.cli.main import build_site
from macros.content.yamlload import MAX_DEPTH, MAX_SCALAR, load_yaml
from macros.kinds import KINDS
from macros.pages import links
from macros.pages.engine import load_review, render_site
from macros.pages.render import HtmlStash
from tests.conftest import MINI, ROOT, copy_project

# Every placeholder the engine has used or uses, old and new forms, valid and unknown numbers.
FORGED = (
    "LRHTML0LRHTML LRHTML99999LRHTML &lrhtml0; &lrhtml99999; LRNOTE0LRNOTE &lrnote0; "
    "<!-- litreview:cited-by muller2020rivers --> <!-- litreview:mentioned-in river-program -->"
)
ODD_KEY = "Nguyễn2020:a/b.c+d_e-f"


# --- 6. one source per page ----------------------------------------------------------------


@pytest.mark.parametrize("root", [MINI, ROOT], ids=["mini", "repository"])
def test_site_pages_lists_exactly_the_pages_the_renderer_makes(root: Path) -> None:
    review = load_review(root)
    registry = CitationRegistry(frozenset(review.bibliography.entries))
    rendered = set(render_site(review, {}, registry).pages) | {"report.md"}
    planned = {p.page for p in links.site_pages(review, KINDS) if p.page.endswith(".md")}
    assert planned == rendered


def test_the_repository_makes_no_page_twice() -> None:
    assert links.review_collisions(load_review(ROOT), ROOT / "docs", KINDS) == []


def test_a_page_and_a_folder_index_share_a_url_only_with_directory_urls() -> None:
    sources = [
        links.PageSource("a/index.md", "docs/a/index.md", 1, links.HAND_WRITTEN),
        links.PageSource("a.md", "content/x.yaml", 3, "entity 'a'"),
    ]
    [error] = links.page_collisions(sources)
    assert (error.path, error.line) == ("docs/a/index.md", 1)
    assert "entity 'a' (content/x.yaml:3)" in error.message
    assert links.page_collisions(sources, directory_urls=False) == []


# --- 7. placeholder tokens content cannot forge ----------------------------------------------


def test_stash_leaves_tokens_it_did_not_make_alone() -> None:
    stash = HtmlStash()
    token = stash.put("<b>kept</b>")
    text = f"<p>{token}</p> &lrhtml1; &lrhtml{'9' * 5000}; LRHTML0LRHTML"
    assert stash.restore(text) == f"<b>kept</b> &lrhtml1; &lrhtml{'9' * 5000}; LRHTML0LRHTML"
    assert stash.referenced(text) == ["<b>kept</b>"]


@pytest.mark.build
def test_forged_tokens_in_content_and_bibtex_stay_text(mini_project: Path) -> None:
    entity = mini_project / "content" / "entities" / "example-agency.yaml"
    text = entity.read_text(encoding="utf-8")
    text = text.replace("summary: An agency both papers discuss.", f'summary: "{FORGED}"')
    text = text.replace("aliases: [the Agency]", f'aliases: [the Agency, "{FORGED}"]')
    entity.write_text(text, encoding="utf-8")
    with (mini_project / "docs" / "index.md").open("a", encoding="utf-8") as docs_page:
        docs_page.write(
            f'\nAn odd key: {{{{ cite("{ODD_KEY}") }}}}.\n'
        )  # content allows ASCII keys
    bib = mini_project / "references.bib"
    library = bib.read_text(encoding="utf-8").replace(
        'A <script>alert("x")</script> Study', f"A {FORGED} Study"
    )
    library += (
        f"\n@misc{{{ODD_KEY},\n  title = {{Odd but safe {FORGED}}},\n  date = {{2020}},\n}}\n"
    )
    bib.write_text(library, encoding="utf-8")
    site = mini_project / "site"

    assert build_site(mini_project, site) == 0  # was: "list index out of range"

    def page(uri: str) -> str:
        return (site / f"{uri}.html").read_text(encoding="utf-8")  # the offline plugin's URLs

    for uri in ("entities/example-agency", "references/muller2020rivers"):
        html = page(uri)
        for literal in ("LRHTML0LRHTML", "LRHTML99999LRHTML", "LRNOTE0LRNOTE"):
            assert literal in html, (uri, literal)  # not swapped for the engine's HTML
        for escaped in ("&amp;lrhtml0;", "&amp;lrnote0;", "&lt;!"):  # BibTeX makes -- a dash
            assert escaped in html, (uri, escaped)
        assert "<!-- litreview:" not in html
    odd = page(links.reference_page(ODD_KEY).removesuffix(".md"))
    assert "Odd but safe" in odd
    assert "LRHTML0LRHTML" in odd


# --- 7. nesting and sizes: located errors, never a crash ---------------------------------------


def _nested(depth: int) -> bytes:
    return ("id: deep\nname: Deep\ntype: term\naliases: " + "[" * depth + "]" * depth).encode()


def test_nesting_up_to_the_limit_loads_and_one_more_is_an_error() -> None:
    document, errors = load_yaml("content/entities/deep.yaml", _nested(MAX_DEPTH - 1))
    assert errors == []
    assert document is not None
    document, errors = load_yaml("content/entities/deep.yaml", _nested(MAX_DEPTH))
    assert document is None
    assert [str(e).split(". Hint")[0] for e in errors] == [
        f"content/entities/deep.yaml:4: lists and mappings nested more than {MAX_DEPTH} levels deep"
    ]


def test_a_value_at_the_limit_loads() -> None:
    text = b"id: long\ntype: term\nname: " + b"x" * MAX_SCALAR + b"\n"
    assert load_yaml("content/entities/long.yaml", text)[1] == []
    _, errors = load_yaml("content/entities/long.yaml", text.replace(b"x", b"xx", 1))
    assert [e.line for e in errors] == [3]


@pytest.mark.parametrize("depth", [500, 50_000, 1_000_000])
def test_deep_nesting_is_a_located_error_in_a_child_process(depth: int, tmp_path: Path) -> None:
    """In a child process: 50,000 levels used to kill ``check`` with a segmentation fault."""
    root = copy_project(MINI, tmp_path / "project")
    (root / "content" / "entities" / "deep.yaml").write_bytes(
        b"id: deep\nname: Deep\ntype: term\naliases: " + b"[" * depth
    )
    result = subprocess.run(
        [sys.executable, "-m", "macros", "--root", str(root), "check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("content/entities/deep.yaml:4: lists and mappings nested")


def test_keys_outside_the_safe_alphabet_or_too_long_are_refused() -> None:
    keys = ["a<b", "a|b", "a\\b", "a#b", "a~b", "a^b", "k" * (MAX_KEY + 1)]
    # What biber and pandoc read as a key is accepted: it reaches HTML only escaped.
    fine = [ODD_KEY, "smith2020", "doi:10.1000/xyz.1", "k" * MAX_KEY, "Müller_2020", "o'brien"]
    fine += ["a`b", "a;b", "at&t!?[1]"]
    text = "".join(
        f"@misc{{{k},\n  title = {{T}},\n  date = {{2020}},\n}}\n\n" for k in keys + fine
    )
    bibliography, errors = parse_bibliography("references.bib", text)
    assert sorted(bibliography.entries) == sorted(keys + fine)
    assert [e.line for e in errors] == [1 + 5 * i for i in range(len(keys))]


@pytest.mark.build
def test_a_ten_megabyte_title_fails_the_build_early_with_its_line(mini_project: Path) -> None:
    """The title used to take 1.9 GB in pandoc and write a 130 MB page."""
    bib = mini_project / "references.bib"
    huge = "Long title words " * 600_000
    bib.write_text(
        bib.read_text(encoding="utf-8").replace(
            'Rivers & Roads: A <script>alert("x")</script> Study', huge
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "macros", "--root", str(mini_project), "build"],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 1
    assert "references.bib:3: title is 10,200,000 characters long, over the 64,000 limit" in (
        result.stderr
    )
    assert not (mini_project / "site").exists()
