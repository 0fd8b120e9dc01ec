"""Bad inputs fail with their file and line, never a traceback; hostile text stays text.

Every directory in ``tests/bad_inputs/`` is one case. It holds only the files that differ from
``tests/fixtures/mini`` plus:

- ``expected.txt``: the exact ``path:line: message`` lines the case must print, in order. A
  directory without it is an input that must pass;
- ``stage.txt`` (optional): ``check`` (the default; ``litreview check``) or ``build`` (a real
  build with ``macros.cli.build_site``; the site built before the change must survive);
- ``<name>.delete``: removes ``<name>`` from the copy of the fixture;
- ``generate.py`` (optional): ``generate(root)`` writes files too large to commit.

Cases the engine gets wrong are marked ``xfail(strict=True)`` in ``XFAIL`` below, each with
what happens now and what should.
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
import shutil
import traceback
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown  # type: ignore[import-untyped]
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from macros.cli.main import build_site, main
from macros.content.yamlload import load_yaml
from macros.pages.engine import collect_review
from macros.pages.labels import counted
from macros.pages.text import md_prose, md_text
from tests.conftest import MINI, copy_project

CASES = Path(__file__).parent / "bad_inputs"
CONTROL_FILES = frozenset({"expected.txt", "stage.txt", "generate.py"})
LOCATED = re.compile(r"^\S+:\d+: ")
TRACEBACK_FRAME = re.compile(r'^\s*File "[^"]*", line \d+', re.MULTILINE)

XFAIL: dict[str, str] = {}


# --- the corpus ----------------------------------------------------------------------------


def case_params(*, must_fail: bool) -> list[pytest.ParameterSet]:
    params = []
    for case in sorted(p for p in CASES.iterdir() if p.is_dir()):
        if (case / "expected.txt").is_file() != must_fail:
            continue
        marks = []
        if case.name in XFAIL:
            marks.append(pytest.mark.xfail(strict=True, reason=XFAIL[case.name]))
        if stage_of(case) == "build":
            marks.append(pytest.mark.build)
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


def overlay(case: Path, root: Path) -> None:
    """Copy the case's files over the project; ``x.delete`` removes ``x``."""
    for source in sorted(case.rglob("*")):
        relative = source.relative_to(case)
        if source.is_dir() or relative.as_posix() in CONTROL_FILES:
            continue
        target = root / relative
        if source.name.endswith(".delete"):
            target.with_name(source.name.removesuffix(".delete")).unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    hook = case / "generate.py"
    if hook.is_file():
        spec = importlib.util.spec_from_file_location(f"bad_input_{case.name}", hook)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.generate(root)


def stage_of(case: Path) -> str:
    path = case / "stage.txt"
    stage = path.read_text(encoding="utf-8").strip() if path.is_file() else "check"
    assert stage in {"check", "build"}, f"{path}: unknown stage {stage!r}"
    return stage


def run_check(root: Path) -> tuple[int, str, str]:
    """Exit status, stderr, and everything printed (with the traceback of a crash)."""
    result = CliRunner().invoke(main, ["--root", str(root), "check"])
    output = result.output
    if result.exc_info is not None and not isinstance(result.exc_info[1], SystemExit):
        output += "".join(traceback.format_exception(*result.exc_info))
    return result.exit_code, result.stderr, output


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def located(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if LOCATED.match(line)]


def test_every_xfail_names_a_case() -> None:
    assert sorted(set(XFAIL) - {p.name for p in CASES.iterdir()}) == []


@pytest.mark.parametrize("case", case_params(must_fail=True))
def test_bad_input_fails_with_file_and_line(
    case: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    root = copy_project(MINI, tmp_path / "project")
    stage = stage_of(case)
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    site = root / "site"
    before: dict[str, bytes] = {}
    if stage == "build":
        assert build_site(root, site) == 0
        before = snapshot(site)
        capfd.readouterr()
    overlay(case, root)
    if stage == "check":
        status, stderr, output = run_check(root)
    else:
        status = build_site(root, site)
        captured = capfd.readouterr()
        stderr, output = captured.err, captured.out + captured.err
    assert "Traceback" not in output, output
    assert not TRACEBACK_FRAME.search(output), output
    assert located(stderr) == expected, output
    assert status == 1, output
    if stage == "check":
        assert f"litreview check: {counted(len(expected), 'errors')};" in output
    else:
        assert snapshot(site) == before
        assert not list(root.glob(".site-*"))


@pytest.mark.parametrize("case", case_params(must_fail=False))
def test_input_that_must_pass(case: Path, tmp_path: Path) -> None:
    root = copy_project(MINI, tmp_path / "project")
    overlay(case, root)
    status, stderr, output = run_check(root)
    assert "Traceback" not in output, output
    assert located(stderr) == []
    assert status == 0, output


# --- hostile text in content and the bibliography builds and shows literally ----------------


def hostile(tag: str, *, bibtex: bool = False) -> str:
    """HTML, Markdown and Jinja that must all come out as text; ``tag`` names the field.

    For BibTeX, without ``{% ... %}``: there ``%`` starts a comment (bib-unescaped-percent).
    """
    jinja = "" if bibtex else ' {% include "x" %}'
    return (
        f'<script>alert("{tag}")</script> <img src="x" onerror="alert(1)"> <b>{tag}</b> '
        f"**bold {tag}** [link {tag}](javascript:alert(1)) ![img {tag}](x) "
        f"{{{{ 7*7 }}}}{jinja} end-{tag}"
    )


ENTITY_FIELDS = ("name", "abbreviation", "alias-1", "alias-2", "original-name")
CLAIM_FIELDS = ("statement", "quote", "evidence-quote", "evidence-unsourced")
# Every field we could think of but url, which the url cases check.
BIB_FIELDS = (
    "author",
    "editor",
    "title",
    "subtitle",
    "journaltitle",
    "booktitle",
    "publisher",
    "location",
    "volume",
    "number",
    "pages",
    "series",
    "edition",
    "institution",
    "howpublished",
    "isbn",
    "note",
    "addendum",
    "abstract",
    "annotation",
    "keywords",
    "langid",
    "date",
    "urldate",
)
# The fields an @article's entry page shows.
BIB_SHOWN = (
    "author",
    "editor",
    "title",
    "subtitle",
    "journaltitle",
    "volume",
    "number",
    "pages",
    "series",
    "note",
    "addendum",
    "abstract",
    "langid",
)


def hostile_bib_entry(key: str) -> str:
    fields = "".join(
        f"  {name} = {{{hostile('bib-' + name, bibtex=True)}}},\n" for name in BIB_FIELDS
    )
    return f"\n@article{{{key},\n{fields}  doi = {{10.1234/<script>alert(1)</script>}},\n}}\n"


def write_yaml(path: Path, data: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def hostile_project(root: Path, *, locator: str | None = None) -> Path:
    """The fixture plus an entity, a claim and a bib entry with hostile text in every field."""
    project = copy_project(MINI, root)
    with (project / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write(hostile_bib_entry("hostile2024"))
    seed = project / "seeds" / "alpha.txt"
    seed.write_text(
        seed.read_text(encoding="utf-8") + "\n" + hostile("quote") + "\n", encoding="utf-8"
    )
    source: dict[str, str] = {"key": "hostile2024"}
    if locator is not None:
        source["locator"] = locator
    entity = {
        "id": "hostile-entity",
        "name": hostile("name"),
        "type": "organisation",
        "abbreviation": hostile("abbreviation"),
        "aliases": [hostile("alias-1"), hostile("alias-2")],
        "original_name": hostile("original-name"),
        "summary": hostile("summary") + "\n\n" + hostile("summary-2"),
        "papers": ["alpha"],
        "sources": [source],
        "relations": [{"type": "funds", "target": "river-program"}],
    }
    write_yaml(project / "content" / "entities" / "hostile-entity.yaml", entity)
    claim = {
        "id": "hostile-claim",
        "paper": "alpha",
        "kind": "finding",
        "statement": hostile("statement"),
        "where": {"section": "intro", "paragraph": 2},
        "quote": hostile("quote"),  # the paper's text (the seed) carries it too
        "evidence": [
            {**source, "quote": hostile("evidence-quote")},
            {"unsourced": hostile("evidence-unsourced")},
        ],
        "relations": [{"type": "supports", "target": "overall-works"}],
        "entities": ["hostile-entity"],
    }
    write_yaml(project / "content" / "claims" / "hostile-claim.yaml", claim)
    return project


class PageScan(HTMLParser):
    """The visible text of a page, and any markup in it that could run or load something."""

    # Neither the theme nor the engine writes these, so one in a page came from content.
    CONTENT_TAGS = frozenset({"img", "iframe", "object", "embed", "b"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.dangers: list[str] = []
        self._inside: str | None = None  # script or style

    # The engine's own downloads (an entry's BibTeX, RIS, CSL-JSON; an appraisal's robvis
    # CSV): files, never rendered.
    DOWNLOADS = (
        "data:text/csv;",
        "data:application/x-bibtex;",
        "data:application/x-research-info-systems;",
        "data:application/vnd.citationstyles.csl+json;",
    )

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        download = tag == "a" and any(name == "download" for name, _ in attrs)
        for name, value in attrs:
            scheme = (value or "").strip().lower()
            if download and name == "href" and scheme.startswith(self.DOWNLOADS):
                continue
            if name.startswith("on") or scheme.startswith(("javascript:", "vbscript:", "data:")):
                self.dangers.append(f"<{tag} {name}={value!r}>")
        if tag in self.CONTENT_TAGS:
            self.dangers.append(f"<{tag} {attrs!r}>")
        if tag in {"script", "style"}:
            self._inside = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._inside:
            self._inside = None

    def handle_data(self, data: str) -> None:
        if self._inside == "script" and "alert(" in data:
            self.dangers.append(f"<script>{data[:80]}")
        elif self._inside is None:
            self.text.append(data)

    @classmethod
    def of(cls, markup: str) -> PageScan:
        scan = cls()
        scan.feed(markup)
        scan.close()
        return scan

    @property
    def visible(self) -> str:
        return " ".join("".join(self.text).split())


def scan_site(site: Path) -> dict[str, PageScan]:
    """Every HTML page, plus the search index's entries (Material shows them as HTML)."""
    pages = {
        p.relative_to(site).as_posix(): PageScan.of(p.read_text(encoding="utf-8"))
        for p in sorted(site.rglob("*.html"))
    }
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for i, doc in enumerate(index["docs"]):
        pages[f"search_index.json#{i}"] = PageScan.of(doc["title"] + " " + doc["text"])
    return pages


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = hostile_project(tmp_path_factory.mktemp("hostile") / "project")
    status, _, output = run_check(project)
    assert status == 0, output
    assert build_site(project, project / "site") == 0
    return project / "site"


def test_the_page_scan_finds_nothing_in_the_plain_fixture(mini_site: Path) -> None:
    dangers = {page: scan.dangers for page, scan in scan_site(mini_site).items() if scan.dangers}
    assert dangers == {}


def test_the_page_scan_sees_live_markup() -> None:
    scan = PageScan.of(
        '<p>a <b>b</b> <img src="x" onerror="alert(1)"><a href=" JavaScript:x">c</a></p>'
        "<script>alert(1)</script>"
    )
    assert len(scan.dangers) == 5
    assert scan.visible == "a b c"


def test_hostile_text_runs_nothing_in_any_page(hostile_site: Path) -> None:
    dangers = {page: scan.dangers for page, scan in scan_site(hostile_site).items() if scan.dangers}
    assert dangers == {}
    for page in hostile_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert 'href="javascript:' not in text.lower(), page
        assert "<script>alert(" not in text, page


def test_jinja_in_content_is_not_evaluated(hostile_site: Path) -> None:
    for page, scan in scan_site(hostile_site).items():
        assert not re.search(r"\]\(x\) 49\b", scan.visible), page


@pytest.mark.parametrize(
    ("page", "field"),
    [("entities/hostile-entity.html", f) for f in ENTITY_FIELDS]
    + [("claims/hostile-claim.html", f) for f in CLAIM_FIELDS],
)
def test_yaml_text_shows_literally(hostile_site: Path, page: str, field: str) -> None:
    visible = PageScan.of((hostile_site / page).read_text(encoding="utf-8")).visible
    assert hostile(field) in visible


@pytest.mark.parametrize("field", ["summary", "summary-2"])
def test_yaml_prose_keeps_emphasis_and_nothing_else(hostile_site: Path, field: str) -> None:
    markup = (hostile_site / "entities/hostile-entity.html").read_text(encoding="utf-8")
    assert f"<strong>bold {field}</strong>" in markup  # own-words prose keeps emphasis
    visible = PageScan.of(markup).visible
    assert hostile(field).replace(f"**bold {field}**", f"bold {field}") in visible


def test_bib_text_shows_escaped(hostile_site: Path) -> None:
    markup = (hostile_site / "references/hostile2024.html").read_text(encoding="utf-8")
    visible = PageScan.of(markup).visible.casefold()  # the style title-cases some fields
    missing = [
        name
        for name in BIB_SHOWN
        if f'<script>alert("bib-{name}")</script>'.casefold() not in visible
        or f"end-bib-{name}".casefold() not in visible
    ]
    assert missing == []
    assert "&lt;script&gt;alert(" in markup
    # In BibTeX, braces group: {{ 7*7 }} is the text 7*7.
    assert "](x) 7*7" in visible
    assert "doi.org/10.1234/<script>alert(1)</script>" in visible


@pytest.mark.build
@pytest.mark.parametrize(
    "locator",
    [
        pytest.param('p. 4 <img src="x" onerror="alert(1)">', id="html"),
        pytest.param("p. 4 **bold** {{ 7*7 }}", id="markdown-and-jinja"),
    ],
)
def test_hostile_locator_shows_literally_in_the_note(tmp_path: Path, locator: str) -> None:
    project = hostile_project(tmp_path / "project", locator=locator)
    assert build_site(project, project / "site") == 0
    markup = (project / "site/entities/hostile-entity.html").read_text(encoding="utf-8")
    note = PageScan.of(markup[markup.index('<div class="footnote">') :])
    assert note.dangers == []
    # The style prints a page locator without its "p." label; the rest shows as text.
    assert locator.removeprefix("p. 4 ") in note.visible


# --- properties -------------------------------------------------------------------------

EXTENSIONS = ["pymdownx.escapeall", "tables", "attr_list", "footnotes"]
TAG = re.compile(r"<[^>]+>")
EMPHASIS_MARKER = re.compile(r"[*_]")
UNICODE_TEXT = st.characters(codec="utf-8")  # all of Unicode but the surrogates


def visible_text(text: str) -> str:
    """Whitespace collapsed; control characters dropped (invisible, and Python-Markdown
    uses \\x02 and \\x03 as its own placeholders)."""
    kept = "".join(c for c in text if c.isspace() or unicodedata.category(c) != "Cc")
    return " ".join(kept.split())


def rendered(markdown_text: str) -> tuple[str, str]:
    """Python-Markdown's HTML for a fragment, and its visible text."""
    out = markdown.markdown(markdown_text, extensions=EXTENSIONS)
    return out, visible_text(html.unescape(TAG.sub("", out)))


def assert_md_text_round_trips(value: str) -> None:
    _, seen = rendered(md_text(value))
    assert seen == visible_text(value)


def assert_md_prose_round_trips(value: str) -> None:
    """Visible text equals the input, but for the ``*``/``_`` pairs that became emphasis."""
    out, seen = rendered(md_prose(value))
    want = visible_text(value)
    lost = len(EMPHASIS_MARKER.findall(want)) - len(EMPHASIS_MARKER.findall(seen))
    emphasis = 2 * out.count("<em>") + 4 * out.count("<strong>")
    assert (EMPHASIS_MARKER.sub("", seen), lost) == (EMPHASIS_MARKER.sub("", want), emphasis)


@pytest.fixture(scope="module")
def property_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(MINI, tmp_path_factory.mktemp("property") / "project")


@settings(max_examples=200, deadline=None, database=None)
@given(
    name=st.text(UNICODE_TEXT, min_size=1, max_size=600),
    summary=st.text(UNICODE_TEXT, min_size=1, max_size=2000),
)
def test_any_text_in_name_and_summary_validates_and_renders_literally(
    property_project: Path, name: str, summary: str
) -> None:
    entity = {
        "id": "river-program",
        "name": name,
        "type": "program",
        "summary": summary,
        "papers": ["alpha"],
    }
    # Double quotes make PyYAML escape what it would otherwise write raw and read back
    # differently (a raw U+0085 is a line break to YAML).
    (property_project / "content/entities/river-program.yaml").write_text(
        yaml.safe_dump(entity, allow_unicode=True, sort_keys=False, default_style='"'),
        encoding="utf-8",
    )
    review, errors = collect_review(property_project)
    assert [str(e) for e in errors] == []
    loaded = review.entities["river-program"]
    assert (loaded.name, loaded.summary) == (name, summary)
    assert_md_text_round_trips(loaded.name)
    assert_md_prose_round_trips(loaded.summary)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(value, id=reason)
        for value, reason in [
            ("- a list?", "leading-dash"),
            ("1. A numbered line", "leading-number"),
            ("---", "dashes"),
        ]
    ],
)
def test_md_text_gaps(value: str) -> None:
    # `> {{ note.printed | t }}` (paper_notes, reference pages) starts a line with the text.
    assert_md_text_round_trips(value)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(value, id=reason)
        for value, reason in [
            ("---", "dashes"),
            ("***", "stars"),
            ("a\n\n___\n\nb", "underscores"),
        ]
    ],
)
def test_md_prose_gaps(value: str) -> None:
    assert_md_prose_round_trips(value)


@settings(max_examples=200, deadline=None, database=None)
@given(data=st.binary(max_size=2000))
@example(data=b"\x00")
@example(data=b"summary: 2001-02-30\n")
@example(data=b"a: !!int abc\n")
@example(data=b"a: !!bool maybe\n")
@example(data=b"a: !!timestamp abc\n")
def test_random_bytes_never_raise_from_load_yaml(data: bytes) -> None:
    document, errors = load_yaml("content/entities/x.yaml", data)
    assert document is not None or errors
    for error in errors:
        assert str(error).startswith("content/entities/x.yaml:")
