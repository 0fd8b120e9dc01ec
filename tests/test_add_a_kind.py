"""Adding a content kind, step by step as docs/maintainers/adding-a-kind.md tells it.

A toy kind, "motifs", is defined here (model, kind object, template), registered in one line,
and gets its pages, its index, its JSON Schema, its check errors and its report entries. Also
here: the report counts every kind's citations (events' sources and statistics' evidence were
once missed), and the editor settings are the registry's.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest
from pydantic import Field

from macros.bibliography.citations import CitationRegistry
from macros.bibliography.citeproc import Formatted
from macros.content.checks import Checker
from macros.content.errors import ContentError
from macros.content.kind import Cited, Found, Kind
from macros.content.model import Id, ShortText, SourceRef, Strict, Text
from macros.content.review import Review
from macros.content.schemas import editor_settings, schema_texts
from macros.kinds import KINDS
from macros.pages.engine import collect_review, load_review, render_site
from macros.pages.render import GeneratedPage, Site, template_environment
from macros.pages.report import build_report
from tests.conftest import ROOT


# Step 1: the model (in macros/content/model.py for a real kind).
class Motif(Strict):
    """A motif that runs through several papers."""

    id: Id
    name: ShortText
    summary: Text
    papers: list[Id] = Field(min_length=1)
    sources: list[SourceRef] = Field(default=[])


# Step 2: the kind module (macros/kinds/themes.py): checks, cited keys, report, pages.
def check(checker: Checker, ident: str, theme: Motif) -> Iterator[ContentError]:
    yield from checker.ids("motifs", ident, ("papers",), theme.papers, "papers")
    yield from checker.sources("motifs", ident, theme.sources)


def cites(_review: Review, theme: Motif) -> Iterator[Cited]:
    for i, source in enumerate(theme.sources):
        yield Cited(("sources", i, "key"), source.key, source.locator, theme.name)


def report(review: Review) -> Iterator[Found]:
    for ident, theme in review.of("motifs").items():
        if len(set(theme.papers)) < 2:
            yield Found("unmentioned", ident, ("papers",), f"theme '{ident}' has one paper only")


def pages(site: Site) -> dict[str, GeneratedPage]:
    out = {}
    for theme in site.review.of("motifs").values():
        here = THEMES.page(theme.id)
        out[here] = site.page(
            "motif.md.j2",
            here,
            site.source("motifs", theme.id),
            theme=theme,
            sources=site.cite_item(here, THEMES, theme),
        )
    out["motifs/index.md"] = site.page(
        "motifs_index.md.j2",
        "motifs/index.md",
        "content/motifs",
        themes=list(site.review.of("motifs").values()),
    )
    return out


THEMES = Kind(
    name="motifs",
    model=Motif,
    singular="motif",
    label="Motifs",
    schema_name="motif",
    check=check,
    cites=cites,
    report=report,
    pages=pages,
)

# Step 3: its templates (in macros/pages/templates/ for a real kind).
TEMPLATES = {
    "motif.md.j2": '{% from "_macros.md.j2" import sources_block with context %}\n'
    "# {{ theme.name | t }}\n\n"
    "{% for p in theme.papers %}\n"
    '- [{{ review.papers[p].title | t }}]({{ link(page_of("papers", p)) }})\n'
    "{% endfor %}\n\n"
    "{{ sources_block(sources) }}",
    "motifs_index.md.j2": "# Themes\n\n{% for t in themes %}\n"
    '- [{{ t.name | t }}]({{ link(page_of("motifs", t.id)) }})\n{% endfor %}\n',
}

THEME = """\
id: rivers
name: Rivers everywhere
summary: Both papers come back to rivers.
papers: [alpha, {paper}]
sources:
  - {{key: {key}, locator: p. 2}}
"""


@pytest.fixture
def motifs(monkeypatch: pytest.MonkeyPatch) -> Iterator[Kind]:
    """Step 4: register it, the one line in macros/kinds/__init__.py (here: append, then undo)."""
    env = template_environment()
    assert env.loader is not None
    monkeypatch.setattr(
        env, "loader", jinja2.ChoiceLoader([jinja2.DictLoader(TEMPLATES), env.loader])
    )
    KINDS.append(THEMES)
    yield THEMES
    KINDS.remove(THEMES)


def _write_theme(project: Path, paper: str = "beta", key: str = "agency2021report") -> None:
    folder = project / "content" / "motifs"
    folder.mkdir()
    (folder / "rivers.yaml").write_text(THEME.format(paper=paper, key=key), encoding="utf-8")


@pytest.mark.usefixtures("motifs")
def test_a_registered_kind_gets_its_pages_index_and_citations(mini_project: Path) -> None:
    _write_theme(mini_project)
    review = load_review(mini_project)
    assert review.of("motifs")["rivers"].name == "Rivers everywhere"
    formatted = {k: Formatted(k, k) for k in review.bibliography.entries}
    registry = CitationRegistry(frozenset(review.bibliography.entries))
    pages = render_site(review, formatted, registry).pages
    page = pages["motifs/rivers.md"].markdown
    assert "- [Alpha\\: Rivers &lt;b&gt;and&lt;/b&gt; Roads](../papers/alpha/index.md)" in page
    assert (
        "## Sources\n\n- [agency2021report](../references/agency2021report.md), p. 2[^lr-1]" in page
    )
    assert pages["motifs/rivers.md"].source == "content/motifs/rivers.yaml"
    assert "- [Rivers everywhere](rivers.md)" in pages["motifs/index.md"].markdown
    assert [c.page for c in registry.cited_by("agency2021report")].count("motifs/rivers.md") == 1


def test_a_registered_kind_gets_its_json_schema(motifs: Kind) -> None:
    schema = json.loads(schema_texts(KINDS)["motif.schema.json"])
    assert schema["title"] == "Motif"
    assert schema["required"] == ["id", "name", "summary", "papers"]
    assert "motif.schema.json" not in schema_texts([k for k in KINDS if k is not motifs])


@pytest.mark.usefixtures("motifs")
def test_a_registered_kind_gets_its_check_errors_with_lines(mini_project: Path) -> None:
    _write_theme(mini_project, paper="gamma", key="nokey2000")
    _, errors = collect_review(mini_project)
    assert [str(e) for e in sorted(errors)] == [
        "content/motifs/rivers.yaml:4: unknown paper id 'gamma' (at papers[1]). "
        "Hint: create content/papers/gamma.yaml or fix the id.",
        "content/motifs/rivers.yaml:6: unknown bibliography key 'nokey2000' "
        "(at sources[0].key). Hint: add @type{nokey2000, ...} to references.bib.",
    ]


@pytest.mark.usefixtures("motifs")
def test_a_registered_kind_gets_its_report_entries(mini_project: Path) -> None:
    _write_theme(mini_project, paper="alpha")
    bib = mini_project / "references.bib"
    bib.write_text(
        bib.read_text("utf-8")
        + "\n@online{themeonly, title = {T}, url = {https://example.org/t}}\n"
    )
    (mini_project / "content/motifs/rivers.yaml").write_text(
        THEME.format(paper="alpha", key="themeonly"), encoding="utf-8"
    )
    lines = [(f.path, f.line, f.message) for f in build_report(load_review(mini_project))]
    assert ("content/motifs/rivers.yaml", 4, "theme 'rivers' has one paper only") in lines
    assert not any("'themeonly' is never cited" in message for _, _, message in lines)


EXTRA_BIB = """
@online{eventonly, title = {Cited by an event only}, url = {https://example.org/e}}
@online{statonly, title = {Cited by a statistic only}, url = {https://example.org/s}}
"""


def test_keys_cited_only_by_an_event_or_a_statistic_are_not_never_cited(
    mini_project: Path,
) -> None:
    bib = mini_project / "references.bib"
    bib.write_text(bib.read_text("utf-8") + EXTRA_BIB, encoding="utf-8")
    event = mini_project / "content/events/dam-opening.yaml"
    event.write_text(event.read_text("utf-8").replace("agency2021report", "eventonly"), "utf-8")
    statistic = mini_project / "content/statistics/roads-follow.yaml"
    statistic.write_text(
        statistic.read_text("utf-8").replace("{key: muller2020rivers", "{key: statonly"), "utf-8"
    )
    messages = [f.message for f in build_report(load_review(mini_project))]
    assert "'eventonly' is never cited" not in messages
    assert "'statonly' is never cited" not in messages


def test_editor_settings_are_made_from_the_registry() -> None:
    path = ROOT / ".vscode" / "settings.json"
    settings = json.loads(path.read_text(encoding="utf-8"))
    assert settings == editor_settings(KINDS, settings)
    assert list(editor_settings(KINDS, settings)["yaml.schemas"]) == [
        f"./schemas/{kind.schema_name}.schema.json" for kind in KINDS
    ]
