"""Generated pages share one Markdown converter: the same HTML as MkDocs' converter per page."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from macros.site.files import SharedConverter
from tests.conftest import ROOT

PAGES = {
    "a.md": "# First\n\nA note.[^1] An *HTML* term.\n\n*[HTML]: Hyper Text\n\n[^1]: The note.\n",
    "b.md": (
        "# Second\n\n!!! note\n    Inside.\n\nTerm\n:   Definition\n\n"
        "| x | y |\n|---|---|\n| 1 | 2 |\n\n"
        "[First](a.md#first) and [self](#part)\n\n## Part {#part}\n"
    ),
    "c.md": "No heading, no note, HTML again.\n\n## Twice\n\n## Twice\n",
    "d.md": '# Fourth\n\n<div id="raw">raw</div>\n\n[Missing](nowhere.md)\n',
}


def _setup(tmp_path: Path, extensions: list[object]) -> tuple[object, Files]:
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text("site_name: t\n", "utf-8")
    (tmp_path / "docs").mkdir(exist_ok=True)
    config = load_config(str(config_file), markdown_extensions=extensions)
    for uri, text in PAGES.items():
        (tmp_path / "docs" / uri).write_text(text, "utf-8")
    docs, site = str(tmp_path / "docs"), str(tmp_path / "site")
    files = Files([File(uri, docs, site, use_directory_urls=True) for uri in PAGES])
    return config, files


def _converted(page: Page) -> tuple[object, ...]:
    toc = [(a.id, a.title, [c.id for c in a.children]) for a in page.toc]
    links = {f.src_uri: v for f, v in (page.links_to_anchors or {}).items()}
    return (page.content, toc, page._title_from_render, page.present_anchor_ids, links)


def test_one_converter_gives_what_a_converter_per_page_gives(tmp_path: Path) -> None:
    extensions = ["abbr", "admonition", "attr_list", "def_list", "footnotes", "tables"]
    config, files = _setup(tmp_path, [*extensions, {"toc": {"permalink": True}}])
    shared = SharedConverter(config)  # type: ignore[arg-type]
    assert shared.usable
    for _ in range(2):  # the second round: whatever the first pages left behind
        for file in files:
            mine, theirs = Page(None, file, config), Page(None, file, config)  # type: ignore[arg-type]
            mine.markdown = theirs.markdown = PAGES[file.src_uri]
            assert shared.render(mine, config, files)  # type: ignore[arg-type]
            theirs.render(config, files)  # type: ignore[arg-type]
            assert _converted(mine) == _converted(theirs), file.src_uri
    assert "fnref" not in _converted(mine)[0]  # type: ignore[operator]


def test_an_extension_not_known_to_reset_leaves_pages_to_mkdocs(tmp_path: Path) -> None:
    config, files = _setup(tmp_path, ["abbr", "pymdownx.snippets"])
    shared = SharedConverter(config)  # type: ignore[arg-type]
    page = Page(None, files.get_file_from_path("a.md"), config)  # type: ignore[arg-type]
    page.markdown = PAGES["a.md"]
    assert not shared.usable
    assert not shared.render(page, config, files)  # type: ignore[arg-type]
    assert page.content is None


def test_the_shipped_extensions_are_all_shared() -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    assert SharedConverter(config).usable


TRICKY = (
    "online",
    "&na;_registration_2010",
    'O\'Brien & <Sons> "quoted"',
    "*stars* _under_ `tick` [link](x.md) \\back\\slash",
    "- a list?  1. or a number  # heading",
    "Künstler   über\tlines\nand lines",
    "&amp; &#39; &copy;",
)


def test_html_written_by_a_template_is_what_markdown_makes_of_the_same_text() -> None:
    """An entry page's metadata is written as HTML (``h``), where it was Markdown text (``t``)
    and a code span (``code``) in a definition list: the same HTML, whatever the value."""
    import markdown  # type: ignore[import-untyped]  # noqa: PLC0415

    from macros.pages.text import md_code, md_text, md_text_html  # noqa: PLC0415

    extensions = ["def_list", "abbr", "attr_list", "pymdownx.escapeall"]
    for value in TRICKY:
        listed = f"Key\n:   {md_code(value)}\n\nType\n:   {md_text(value)}\n"
        expected = (
            f"<dl>\n<dt>Key</dt>\n<dd><code>{md_text_html(value)}</code></dd>\n"
            f"<dt>Type</dt>\n<dd>{md_text_html(value)}</dd>\n</dl>"
        )
        assert markdown.markdown(listed, extensions=extensions) == expected, value
