"""Issue 14, points 3 and 4: docs pages run in a sandbox; nothing is read from outside.

The build-level cases of the sandbox are bad inputs (``tests/bad_inputs/docs-jinja-*``); here the
sandbox itself against the known escapes, a payload that would leave a trace, and symbolic links.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from macros.cli.main import build_site, main
from macros.pages.docpages import DocsTemplateError, render_page
from tests.test_bad_inputs import located, snapshot

HINT = 'Hint: a docs page can call cite("key", locator="...") and print its front matter'


def cite(key: str, locator: str | None = None) -> str:
    return f"[^{key}{'@' + locator if locator else ''}]"


MACROS = {"cite": cite}
VARIABLES = {"status": "draft", "page": {"title": "Home", "url": "", "meta": {"status": "draft"}}}


def refusal(source: str) -> str:
    with pytest.raises(DocsTemplateError) as caught:
        render_page(source, MACROS, VARIABLES)
    return str(caught.value)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ('{{ cycler.__init__.__globals__.os.popen("id").read() }}', "the attribute '__init__'"),
        ("{{ self.__init__.__globals__ }}", "the name 'self'"),
        ("{{ self }}", "the name 'self'"),
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "the attribute '__class__'"),
        ('{{ lipsum.__globals__["os"] }}', "the attribute '__globals__'"),
        ("{{ cite.__globals__ }}", "the attribute '__globals__'"),
        ('{{ page["__class__"] }}', "the item '__class__'"),
        ('{{ cite|attr("__globals__") }}', "the filter 'attr'"),
        ('{{ "{0.__class__}"|format(cite) }}', "the filter 'format'"),
        ('{{ "x"|center(1000000000) }}', "the filter 'center'"),
        ('{{ "x".center(1000000000) }}', "calling anything but the page's macros (cite())"),
        ('{{ "x" * 10**9 }}', "the operator '**'"),
        ('{{ "x" * 1000000000 }}', "the operator '*'"),
        ('{% include "/etc/passwd" %}', "{% include %}"),
        ('{% import "mkdocs.yml" as site %}', "{% import %}"),
        ('{% from "x" import y %}', "{% from ... import %}"),
        ('{% extends "/etc/passwd" %}', "{% extends %}"),
        ("{% for i in range(10**9) %}x{% endfor %}", "{% for %}"),
        ("{% set x = 1 %}", "{% set %}"),
        ("{% macro m() %}{% endmacro %}", "{% macro %}"),
        ("{% with a = 1 %}{% endwith %}", "{% with %}"),
        ("{% filter upper %}x{% endfilter %}", "{% filter %}"),
    ],
)
def test_escapes_are_refused_before_they_run(payload: str, message: str) -> None:
    assert refusal(f"# Page\n\ntext {payload}\n") == (
        f"3: {message} is not allowed in a docs page. {HINT}, nothing else."
    )


@pytest.mark.parametrize(
    "name", ["config", "environment", "plugin", "context", "macros_info", "range", "lipsum"]
)
def test_mkdocs_and_jinja_globals_are_undefined(name: str) -> None:
    assert refusal(f"line\n{{{{ {name} }}}}") == (
        f"2: '{name}' is undefined. Hint: fix the macro's name; "
        'pages can call cite("key", locator="...").'
    )


def test_only_macros_are_callable() -> None:
    assert refusal("{{ status() }}").startswith("1: 'draft' is not safely callable.")


def test_what_a_page_may_do_renders() -> None:
    source = (
        '{{ cite("a") }} {{ cite("b", locator="p. 2") }} {{ status|upper }} {{ page.title }} '
        "{% if status == 'draft' %}D{% else %}F{% endif %} {% raw %}{{ x }}{% endraw %}\n"
    )
    assert render_page(source, MACROS, VARIABLES) == "[^a] [^b@p. 2] DRAFT Home D {{ x }}"


def test_nesting_and_syntax_errors_are_located() -> None:
    assert refusal("a\n\n{{ x") == (
        "3: unexpected end of template, expected 'end of print statement'. "
        "Hint: check the {{ ... }} and {% ... %} on this page."
    )
    assert refusal("{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}").startswith(
        "1: the page's {{ ... }} are nested too deeply."
    )


@pytest.mark.build
def test_a_payload_never_runs_in_a_build(
    mini_project: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """On the old engine this build ran the command (and mkdocs-macros obeyed render_macros)."""
    site = mini_project / "site"
    assert build_site(mini_project, site) == 0
    before = snapshot(site)
    marker = mini_project / "PWNED"
    (mini_project / "docs" / "index.md").write_text(
        "---\nrender_macros: true\n---\n# Mini\n\n"
        f'{{{{ cycler.__init__.__globals__.os.popen("touch {marker}").read() }}}}\n',
        encoding="utf-8",
    )
    capfd.readouterr()
    assert build_site(mini_project, site) == 1
    err = capfd.readouterr().err
    assert located(err) == [
        f"docs/index.md:6: the attribute '__init__' is not allowed in a docs page. "
        f"{HINT}, nothing else."
    ]
    assert not marker.exists()
    assert snapshot(site) == before


# --- symbolic links ----------------------------------------------------------------------

LINK = (
    "symbolic link to a path outside the project ({}). Hint: copy what it names into the "
    "project, or remove the link."
)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text("SECRET-FROM-OUTSIDE\n", encoding="utf-8")
    return folder


def check(root: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["--root", str(root), "check"])
    return result.exit_code, located(result.stderr)


def test_links_leaving_the_project_are_errors_in_check(mini_project: Path, outside: Path) -> None:
    secret = outside / "secret.txt"
    (mini_project / "docs" / "env.txt").symlink_to("/proc/self/environ")
    (mini_project / "docs" / "copied").symlink_to(outside)
    (mini_project / "content" / "entities" / "leak.yaml").symlink_to(secret)
    (mini_project / "seeds" / "other.txt").symlink_to(secret)
    # A link inside the project leads to a folder that holds a link out.
    (mini_project / "shared").mkdir()
    (mini_project / "shared" / "leak.txt").symlink_to(secret)
    (mini_project / "docs" / "shared").symlink_to("../shared")
    status, errors = check(mini_project)
    assert status == 1
    assert errors == [
        f"content/entities/leak.yaml:1: {LINK.format(secret)}",
        f"docs/copied:1: {LINK.format(outside)}",
        f"docs/env.txt:1: {LINK.format('/proc/self/environ')}",
        f"docs/shared/leak.txt:1: {LINK.format(secret)}",
        f"seeds/other.txt:1: {LINK.format(secret)}",
    ]


def test_source_text_through_a_link_out_is_refused(mini_project: Path, outside: Path) -> None:
    seed = mini_project / "seeds" / "alpha.txt"
    copy = outside / "alpha.txt"
    copy.write_bytes(seed.read_bytes())
    seed.unlink()
    seed.symlink_to(copy)
    status, errors = check(mini_project)
    assert status == 1
    assert errors == [
        "content/papers/alpha.yaml:5: source text 'seeds/alpha.txt' is outside the project "
        "(at source_text). Hint: give its path from the project folder, e.g. seeds/<paper>.txt.",
        f"seeds/alpha.txt:1: {LINK.format(copy)}",
    ]


def test_source_text_and_links_inside_the_project_pass(mini_project: Path) -> None:
    paper = mini_project / "content" / "papers" / "alpha.yaml"
    text = paper.read_text(encoding="utf-8")
    paper.write_text(text.replace("seeds/alpha.txt", "seeds/../seeds/linked.txt"), "utf-8")
    (mini_project / "seeds" / "linked.txt").symlink_to("alpha.txt")
    assert check(mini_project) == (0, [])


@pytest.mark.build
def test_a_link_out_fails_the_build_and_nothing_is_copied(
    mini_project: Path, outside: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    site = mini_project / "site"
    assert build_site(mini_project, site) == 0
    before = snapshot(site)
    (mini_project / "docs" / "env.txt").symlink_to(outside / "secret.txt")
    capfd.readouterr()
    assert build_site(mini_project, site) == 1
    assert located(capfd.readouterr().err) == [
        f"docs/env.txt:1: {LINK.format(outside / 'secret.txt')}"
    ]
    assert snapshot(site) == before
    assert not list(mini_project.glob(".site-*"))


@pytest.mark.build
def test_links_inside_the_project_are_still_copied(mini_project: Path) -> None:
    (mini_project / "notes.txt").write_text("inside\n", encoding="utf-8")
    (mini_project / "shared").mkdir()
    (mini_project / "shared" / "data.csv").write_text("a,b\n", encoding="utf-8")
    (mini_project / "docs" / "notes.txt").symlink_to("../notes.txt")
    (mini_project / "docs" / "shared").symlink_to("../shared")
    site = mini_project / "site"
    assert build_site(mini_project, site) == 0
    assert (site / "notes.txt").read_text(encoding="utf-8") == "inside\n"
    assert (site / "shared" / "data.csv").read_text(encoding="utf-8") == "a,b\n"
