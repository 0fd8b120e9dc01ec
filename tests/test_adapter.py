"""Issue 15, points 3-5: a thin MkDocs adapter, one set of checks, settings read once."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from macros.bibliography.citations import CitationRegistry
from macros.cli.devserver import DevServer
from macros.cli.main import main
from macros.content.settings import Settings, SettingsError, load_settings
from macros.pages.backlinks import NOT_CITED, PageFinisher, sentence_around_call
from macros.pages.checks import check_project
from macros.pages.mentions import MentionIndex
from macros.pages.render import HtmlStash
from tests.conftest import MINI, ROOT, copy_project

MKDOCS_IMPORT = re.compile(r"^(from|import) mkdocs", re.MULTILINE)


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(root), *args])
    return result.exit_code, result.output


# --- point 3: the adapter ------------------------------------------------------------------


def test_plugin_file_is_glue_and_only_macros_site_imports_mkdocs() -> None:
    plugin = ROOT / "macros" / "site" / "plugin.py"
    assert len(plugin.read_text(encoding="utf-8").splitlines()) <= 150
    importing = {
        p.relative_to(ROOT / "macros").parts[0]
        for p in (ROOT / "macros").rglob("*.py")
        if MKDOCS_IMPORT.search(p.read_text(encoding="utf-8"))
    }
    assert importing == {"site"}


class _NoCache:
    def key(self, *parts: str) -> str:
        return "|".join(parts)

    def get(self, _key: str) -> object:
        return None

    def put(self, _key: str, _value: object) -> None:
        pass


def test_backlinks_are_built_without_mkdocs() -> None:
    registry = CitationRegistry(frozenset({"smith2020", "lone2000"}))
    registry.cite("claims/a.md", "smith2020", "p. 4", "Rivers matter")
    finisher = PageFinisher(
        registry, {}, HtmlStash(), MentionIndex({}, {}), _NoCache(), frozenset()
    )
    cited = finisher.cited_by_html("references/smith2020.md", "smith2020")
    assert cited == (
        '<ul class="lr-cited-by"><li><a href="../../claims/a/#fnref:lr-1">Rivers matter</a>'
        "</li></ul>"
    )
    assert finisher.cited_by_html("references/lone2000.md", "lone2000") == NOT_CITED
    finisher.directory_urls = False
    assert 'href="../claims/a.html#fnref:lr-1"' in finisher.cited_by_html(
        "references/smith2020.md", "smith2020"
    )
    markdown = 'First one. Roads *matter* here{{ cite("smith2020") }}. Next.'
    assert sentence_around_call(markdown, 0) == "Roads matter here."
    markdown = 'Rivers matter{{ cite("smith2020", locator="p. 12") }}, as shown. Next.'
    assert sentence_around_call(markdown, 0) == "Rivers matter, as shown."


# --- point 4: one set of checks ------------------------------------------------------------


def test_check_rejects_an_unknown_key_in_docs_as_build_does(mini_project: Path) -> None:
    page = mini_project / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + '\nSee{{ cite("unknown") }}.\n', "utf-8")
    code, output = run(mini_project, "check")
    assert code == 1
    assert (
        "docs/index.md:5: cite() names unknown bibliography key 'unknown'. Hint: add it to "
        "references.bib or fix the key." in output
    )
    raw = '{% raw %}\nShown as code: {{ cite("example") }}\n{% endraw %}\n'
    page.write_text(page.read_text(encoding="utf-8").replace('See{{ cite("unknown") }}.', raw))
    assert run(mini_project, "check")[0] == 0


def test_report_and_changes_count_keys_cited_only_from_docs(mini_project: Path) -> None:
    bib = mini_project / "references.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8") + "@misc{onlydocs, title = {D}, year = {2020}}\n", "utf-8"
    )
    page = mini_project / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + '\nSee{{ cite("onlydocs") }}.\n', "utf-8")
    assert "onlydocs" not in run(mini_project, "report")[1]
    site = mini_project / "nosite"
    code, summary = run(
        mini_project, "changes", "--base", str(MINI), "--base-site", str(site), "--site", str(site)
    )
    assert code == 0
    assert "- `onlydocs`" in summary  # a new entry...
    assert "never cited" not in summary  # ...that docs/index.md cites
    assert "- Report warnings: 0 → 0" in summary


def test_explicit_unsourced_is_no_warning(mini_project: Path) -> None:
    checked = check_project(load_settings(mini_project))
    assert checked.errors == []
    claim = checked.review.claims["overall-works"]
    assert all(e.unsourced for e in claim.evidence)
    assert checked.findings() == []


# --- point 5: settings read once -----------------------------------------------------------


def test_settings_tolerate_mkdocs_tags_and_run_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LR_SITE", "out")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: !ENV [LR_NAME, 'Fallback']\n"
        "site_dir: !ENV LR_SITE\n"
        "markdown_extensions:\n"
        "  - pymdownx.superfences:\n"
        "      custom_fences: [{format: !!python/name:os.system }]\n"
        "  - evil: !!python/object/apply:os.system ['echo hacked']\n"
        "plugins:\n  - search\n  - litreview: {content_dir: review, bibliography: lib.bib}\n",
        "utf-8",
    )
    settings = load_settings(tmp_path)
    assert settings == Settings(
        tmp_path, site_dir="out", content_dir="review", bibliography="lib.bib", site_name="Fallback"
    )
    (tmp_path / "mkdocs.yml").write_text("site_name: [unclosed\n", "utf-8")
    with pytest.raises(SettingsError, match=r"^mkdocs\.yml:\d+: invalid YAML"):
        load_settings(tmp_path)
    assert run(tmp_path, "check")[0] == 1


@pytest.mark.build
def test_every_command_honours_moved_content_and_bibliography(tmp_path: Path) -> None:
    root = copy_project(MINI, tmp_path / "moved")
    (root / "content").rename(root / "review")
    (root / "references.bib").rename(root / "library.bib")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - litreview\n",
            "  - litreview:\n      content_dir: review\n      bibliography: library.bib\n",
        ),
        "utf-8",
    )
    code, output = run(root, "check")
    assert code == 0, output
    assert run(root, "report")[0] == 0
    code, output = run(root, "new", "claims", "fresh-claim")
    assert (code, output.split(":")[0]) == (0, "wrote review/claims/fresh-claim.yaml")
    (root / "review" / "claims" / "fresh-claim.yaml").unlink()
    snippet = tmp_path / "extra.bib"
    snippet.write_text("@misc{extra2024, title = {Extra}, date = {2024}}\n", "utf-8")
    assert run(root, "add-ref", str(snippet))[0] == 0
    assert "extra2024" in (root / "library.bib").read_text(encoding="utf-8")
    assert not (root / "references.bib").exists()
    assert run(root, "bibfmt", "--fix")[0] == 0
    assert run(root, "bibfmt")[0] == 0
    code, output = run(root, "build", "--quiet")
    assert code == 0, output
    assert (root / "site" / "references" / "extra2024.html").is_file()
    assert run(root, "links")[0] == 0
    code, output = run(root, "zip")
    assert code == 0, output
    assert list((root / "dist").glob("*.zip"))
    code, summary = run(root, "changes", "--base", str(root), "--base-site", str(root / "site"))
    assert code == 0
    assert "Content errors: 0" in summary
    server = DevServer(root, port=0, report=lambda _result: None)
    try:
        assert root / "review" in server.changes.sources
        assert root / "library.bib" in server.changes.sources
        assert server.site == root / "site"
    finally:
        server.httpd.server_close()
    shutil.rmtree(root / "site")
