"""Content is data, never markup or code: a payload in every text field of every kind.

The fields are found by walking the pydantic models of ``macros/content/model.py`` (every ``str``
field without a pattern), so a field added later is injected too; a model the fixture does not
reach makes ``test_every_text_field_of_every_kind_is_injected`` fail until it is given below.
Each payload carries its own tag (``F12``) so that a finding names the field it came from.

A payload tries every way out: a script, an event handler, an attribute breakout, a
``javascript:`` link in Markdown, HTML already escaped once, and Jinja. Anything it manages to
create carries ``data-pwn`` or ``__pwned``; the scan parses every page (and the search index)
and reports any element, attribute or script made of it.
"""

from __future__ import annotations

import json
import re
import types
import typing
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from macros.cli.main import build_site
from macros.kinds import KINDS
from macros.site.csp import inline_script_hashes
from tests.conftest import MINI, copy_project
from tests.test_bad_inputs import BIB_FIELDS

JINJA_RESULT = "42042"  # {{ 6*7007 }}, if anything ever evaluated it


def payload(tag: str, *, bibtex: bool = False) -> str:
    """One line of hostile text; ``tag`` names the field it went into."""
    pwn = f"window.__pwned='{tag}'"
    text = (
        f'<script data-pwn>{pwn};document.title="pwned"</script> '
        f'<img src=x onerror="{pwn}" data-pwn> '
        f'"><svg data-pwn onload="{pwn}"> \'><b data-pwn onmouseover="{pwn}">{tag}</b> '
        f"[link {tag}](javascript:{pwn}) <javascript:{pwn}> "
        f'![img](x" onerror="{pwn}) '
        f"&lt;img src=x data-pwn onerror={pwn}&gt; "
        f"{{{{ 6*7007 }}}}"
    )
    if bibtex:  # LaTeX that pandoc turns into links and images
        text += (
            f" \\includegraphics{{javascript:{pwn}}} \\href{{javascript:{pwn}}}{{h{tag}}}"
            f" \\url{{javascript:{pwn}}}"
        )
    else:  # % starts a comment in BibTeX
        text += ' {% include "x" %}'
    return f"{text} end-{tag}"


# --- the models' text fields -----------------------------------------------------------------


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """``X | None`` -> (X, True)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def _is_free_text(annotation: Any, metadata: list[Any]) -> bool:
    """A ``str`` without a pattern (ids, keys, dates, URLs have one) and not a Literal."""
    if typing.get_origin(annotation) is typing.Annotated:
        base, *extra = typing.get_args(annotation)
        return _is_free_text(base, [*metadata, *extra])
    if annotation is not str:
        return False
    return not any(getattr(m, "pattern", None) for m in metadata)


def _field_shape(model: type[BaseModel], name: str) -> tuple[str, Any]:
    """("text" | "texts" | "model" | "models" | "other", model class or None)."""
    info = model.model_fields[name]
    annotation, _ = _unwrap(info.annotation)
    if _is_free_text(annotation, list(info.metadata)):
        return "text", None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "model", annotation
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        if _is_free_text(item, []):
            return "texts", None
        if isinstance(item, type) and issubclass(item, BaseModel):
            return "models", item
    return "other", None


def text_fields() -> set[str]:
    """Every ``Model.field`` holding free text, in every model reachable from KINDS."""
    found: set[str] = set()
    seen: set[type[BaseModel]] = set()
    todo: list[type[BaseModel]] = [kind.model for kind in KINDS]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for name in model.model_fields:
            shape, inner = _field_shape(model, name)
            if shape in ("text", "texts"):
                found.add(f"{model.__name__}.{name}")
            elif inner is not None:
                todo.append(inner)
    return found - NOT_TEXT


# Free text by type that is not shown as text: a path the loader reads (never printed).
# References to other records, not text a page prints as such.
NOT_TEXT = frozenset({"Paper.source_text", "ScreenedRecord.duplicate_of"})
# Optional text fields that are not added where absent: they change what the item means.
ONLY_WHERE_GIVEN = frozenset({"Evidence.unsourced", "Evidence.locator", "ExtractionField.unit"})
# What the fixture lacks, so that every model and field is reached.
EXTRA_ITEMS: dict[str, dict[str, Any]] = {
    "events/hostile-event.yaml": {
        "id": "hostile-event",
        "paper": "alpha",
        "date": "2020-05",
        "where": {"section": "intro", "paragraph": 1},
        "actors": ["example-agency"],
        "programs": ["river-program"],
        "claims": ["roads-follow-rivers"],
        "sources": [{"key": "hostile2024"}],
    },
    "statistics/hostile-statistic.yaml": {
        "id": "hostile-statistic",
        "paper": "alpha",
        "value": 12.5,
        "where": {"section": "intro", "paragraph": 2},
        "evidence": [{"footnote": 1}, {"key": "hostile2024", "locator": "p. 1"}],
        "claims": ["roads-follow-rivers"],
    },
    # The default stages declared, so that their labels carry payloads to the ledger pages.
    "stages/title-abstract.yaml": {"id": "title-abstract", "phase": "screening", "order": 1},
    "stages/full-text.yaml": {"id": "full-text", "phase": "eligibility", "order": 2},
    "entities/hostile-country.yaml": {
        "id": "hostile-country",
        "type": "country",
        "papers": ["alpha"],
        "sources": [{"key": "hostile2024", "locator": "p. 2"}],
        "relations": [{"type": "part-of", "target": "example-agency"}],
    },
}
# Merged into the fixture's files before the walk: nested models the fixture does not use.
EXTRA_FIELDS: dict[str, dict[str, Any]] = {
    "papers/alpha.yaml": {"period": {"start": "2020-03", "end": "2021"}},
    "reflists/alpha.yaml": {},  # discrepancies: added to the first entry below
}


class Injector:
    """Puts a tagged payload into every text field of a YAML document, following its model."""

    def __init__(self) -> None:
        self.payloads: dict[str, str] = {}  # tag -> field and file
        self.reached: set[str] = set()

    def tag(self, where: str) -> str:
        tag = f"F{len(self.payloads)}"
        self.payloads[tag] = where
        return tag

    def fill(self, model: type[BaseModel], data: dict[str, Any], where: str) -> None:
        for name in model.model_fields:
            field = f"{model.__name__}.{name}"
            shape, inner = _field_shape(model, name)
            if field in NOT_TEXT:
                continue
            if shape == "text":
                if name in data or field not in ONLY_WHERE_GIVEN:
                    if field == "Evidence.locator" and data.get("key") is None:
                        continue
                    data[name] = payload(self.tag(f"{field} in {where}"))
                    self.reached.add(field)
            elif shape == "texts":
                count = max(2, len(data.get(name) or []))
                data[name] = [payload(self.tag(f"{field} in {where}")) for _ in range(count)]
                self.reached.add(field)
            elif shape == "model" and isinstance(data.get(name), dict):
                self.fill(inner, data[name], where)
            elif shape == "models" and isinstance(data.get(name), list):
                for item in data[name]:
                    self.fill(inner, item, where)


def hostile_bib_entry(key: str, injector: Injector) -> str:
    fields = "".join(
        f"  {name} = {{{payload(injector.tag(f'bib {name}'), bibtex=True)}}},\n"
        for name in BIB_FIELDS
    )
    return f"\n@article{{{key},\n{fields}  doi = {{10.1234/hostile}},\n}}\n"


def hostile_everywhere(root: Path) -> tuple[Path, Injector]:
    project = copy_project(MINI, root)
    injector = Injector()
    content = project / "content"
    for relative, item in EXTRA_ITEMS.items():
        (content / relative).parent.mkdir(parents=True, exist_ok=True)
        (content / relative).write_text(yaml.safe_dump(item), encoding="utf-8")
    for kind, model in ((k.name, k.model) for k in KINDS):
        for path in sorted((content / kind).glob("*.yaml")):
            relative = path.relative_to(content).as_posix()
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            data.update(EXTRA_FIELDS.get(relative, {}))
            if kind == "reflists":
                data["entries"][0]["discrepancies"] = [{"field": "title", "footnote": 1}]
            if kind == "entities":
                data.setdefault("sources", []).append({"key": "hostile2024", "locator": "p. 3"})
                if path.stem == "example-agency":  # its page and tags name the country
                    data["relations"].append({"type": "partners-with", "target": "hostile-country"})
            injector.fill(model, data, f"content/{relative}")
            if kind == "fields" and data["type"] != "choice":
                data.pop("vocabulary")  # a vocabulary only where a field has choices
            if kind == "extraction":  # values from the hostile vocabulary, a quote, a locator
                design = yaml.safe_load((content / "fields/design.yaml").read_text("utf-8"))
                data["values"]["design"] = {
                    "value": design["vocabulary"][0],
                    "quote": payload(injector.tag(f"ExtractedValue.quote in content/{relative}")),
                    "locator": payload(injector.tag(f"ExtractedValue.locator in {relative}")),
                }
            if kind == "appraisal":  # judgements from the hostile scale
                for entry in data["works"]:
                    for judgement in [*entry["domains"].values(), entry.get("overall") or {}]:
                        if judgement:
                            judgement["judgement"] = data["scale"][0]
            path.write_text(
                yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
            )
    # The tags plugin, as the shipped site has it: a tags page and tags in every page's header.
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  - search\n", "  - search\n  - tags\n")
        + "  - Tags: tags.md\n",
        encoding="utf-8",
    )
    (project / "docs" / "tags.md").write_text("# Tags\n\n<!-- material/tags -->\n", "utf-8")
    # Quotations are checked against the paper's text: it holds every payload.
    seed = project / "seeds" / "alpha.txt"
    lines = [payload(tag) for tag in injector.payloads]
    seed.write_text(seed.read_text(encoding="utf-8") + "\n" + "\n".join(lines) + "\n", "utf-8")
    with (project / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write(hostile_bib_entry("hostile2024", injector))
    return project, injector


# --- the scan --------------------------------------------------------------------------------

SCRIPT_URL = re.compile(r"\s*(javascript|vbscript):", re.IGNORECASE)
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"})


class Scan(HTMLParser):
    """Elements, attributes and scripts a payload made, and the page's visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.text: list[str] = []
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            text = value or ""
            if name == "data-pwn":
                self.found.append(f"element <{tag}> made by a payload: {attrs!r}"[:300])
            # Neither the theme nor the engine writes an event handler or a script URL.
            elif name.startswith("on") or (name in URL_ATTRIBUTES and SCRIPT_URL.match(text)):
                self.found.append(f"<{tag} {name}={text[:120]!r}>")
        self._script = tag == "script"

    def handle_endtag(self, tag: str) -> None:  # noqa: ARG002 - any end ends a script's text
        self._script = False

    def handle_data(self, data: str) -> None:
        if self._script and "__pwned" in data:
            self.found.append(f"<script>{data[:120]}")
        elif not self._script:
            self.text.append(data)

    @classmethod
    def of(cls, markup: str) -> Scan:
        scan = cls()
        scan.feed(markup)
        scan.close()
        return scan

    @property
    def visible(self) -> str:
        return " ".join("".join(self.text).split())


def scan_site(site: Path) -> dict[str, Scan]:
    """Every HTML page, and every title, text and tag of the search index."""
    scans = {
        p.relative_to(site).as_posix(): Scan.of(p.read_text(encoding="utf-8"))
        for p in sorted(site.rglob("*.html"))
    }
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for i, doc in enumerate(index["docs"]):
        parts = [doc.get("title", ""), doc.get("text", ""), *doc.get("tags", [])]
        scans[f"search_index.json#{i} ({doc['location']})"] = Scan.of(" ".join(parts))
    return scans


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Injector]:
    project, injector = hostile_everywhere(tmp_path_factory.mktemp("hostile") / "project")
    assert build_site(project, project / "site") == 0
    return project / "site", injector


def test_every_text_field_of_every_kind_is_injected(hostile: tuple[Path, Injector]) -> None:
    _, injector = hostile
    assert sorted(text_fields() - injector.reached) == []
    assert len(injector.payloads) > 100


def test_the_scan_sees_what_a_payload_makes() -> None:
    live = Scan.of(payload("F0"))
    assert len(live.found) >= 5
    assert Scan.of('<a href=" JavaScript:x">x</a>').found


def test_no_page_holds_a_payload_unescaped(hostile: tuple[Path, Injector]) -> None:
    site, injector = hostile
    found = {}
    for page, scan in scan_site(site).items():
        if scan.found:
            tags = sorted(set(re.findall(r"__pwned='(F\d+)'", " ".join(scan.found))))
            found[page] = [*scan.found[:3], *(injector.payloads[t] for t in tags[:5])]
    assert found == {}


def test_no_page_evaluates_jinja_from_content(hostile: tuple[Path, Injector]) -> None:
    site, _ = hostile
    evaluated = [page for page, scan in scan_site(site).items() if JINJA_RESULT in scan.visible]
    assert evaluated == []


def test_payloads_show_as_text(hostile: tuple[Path, Injector]) -> None:
    """Not a vacuous pass: the payloads reached the pages, as text (the bibliography style
    changes the case of some fields; some fields, an email, are not printed)."""
    site, injector = hostile
    visible = " ".join(scan.visible for scan in scan_site(site).values()).casefold()
    shown = [
        tag
        for tag in injector.payloads
        if f"<script data-pwn>window.__pwned='{tag}'".casefold() in visible
    ]
    assert len(shown) > 0.75 * len(injector.payloads)
    name = next(
        t
        for t, where in injector.payloads.items()
        if where == "Entity.name in content/entities/hostile-country.yaml"
    )
    script = f"<script data-pwn>window.__pwned='{name}'"
    for page in ("entities/hostile-country.html", "entities/example-agency.html", "tags.html"):
        assert script in Scan.of((site / page).read_text(encoding="utf-8")).visible, page


# --- the Content-Security-Policy -------------------------------------------------------------

INJECTED = "window.__pwned = 'a script the build saw in the page'"
POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def policy_hashes(page: str) -> set[str]:
    policy = POLICY.search(page)
    assert policy is not None
    return set(re.findall(r"'sha256-[^']+'", policy[1]))


@pytest.fixture(scope="module")
def script_in_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture with a raw inline script in a hand-written page: escaping failed."""
    project = copy_project(MINI, tmp_path_factory.mktemp("script") / "project")
    index = project / "docs" / "index.md"
    index.write_text(index.read_text("utf-8") + f"\n<script>{INJECTED}</script>\n", "utf-8")
    assert build_site(project, project / "site") == 0
    return project / "site"


def test_the_policy_does_not_hash_a_script_in_the_page(script_in_docs: Path) -> None:
    page = (script_in_docs / "index.html").read_text(encoding="utf-8")
    assert f"<script>{INJECTED}</script>" in page  # the build kept it: escaping failed here
    assert inline_script_hashes(f"<script>{INJECTED}</script>")[0] not in policy_hashes(page)


def test_every_page_and_the_404_page_allow_the_theme_scripts_and_no_others(
    mini_site: Path,
) -> None:
    pages = sorted(mini_site.rglob("*.html"))
    assert "404.html" in {p.name for p in pages}
    for path in pages:
        page = path.read_text(encoding="utf-8")
        own = set(inline_script_hashes(POLICY.sub("", page)))
        assert policy_hashes(page) == own, path
