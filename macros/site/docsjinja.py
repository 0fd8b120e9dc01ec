"""Hand-written pages' ``{{ ... }}``, run by us in the sandbox of ``macros.pages.docpages``.

mkdocs-macros still loads ``define_env`` but renders no page: the plugin renders each docs
page first (marking it ``render_macros: false`` for mkdocs-macros) and unmarks it afterwards,
so that the theme sees the page's own front matter.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from macros import define_env
from macros.pages.docpages import DocsTemplateError, MacroRegistry, plain, render_page


class DocsPages:
    """The macros a docs page may call, and the line offset of the page being rendered."""

    def __init__(self, config: MkDocsConfig, docs_rel: str) -> None:
        self.macros = MacroRegistry(config)
        define_env(self.macros)
        self.docs_rel = docs_rel
        # The review's coverage date (the plugin's ``coverage``), for a home page to print.
        options = getattr(config.plugins.get("litreview"), "config", None)
        self.coverage = str(getattr(options, "coverage", None) or "")
        self.line_offset = 0  # front matter lines: errors name lines of the file
        self._marked: Page | None = None

    def render(self, markdown: str, page: Page) -> str:
        if page.file.generated_by is not None or page.meta.get("render_macros") is False:
            return markdown
        page.meta["render_macros"] = False  # mkdocs-macros: not this page
        self._marked = page
        source = page.file.content_string
        before = source[: len(source) - len(markdown)] if source.endswith(markdown) else ""
        self.line_offset = before.count("\n")
        self.macros.page, self.macros.markdown = page, markdown
        meta = {str(k): plain(v) for k, v in page.meta.items() if k != "render_macros"}
        variables: dict[str, Any] = {
            **meta,
            "page": {"title": page.title, "url": page.url, "meta": meta},
            "coverage": self.coverage,
        }
        try:
            return render_page(markdown, self.macros.macros, variables)
        except DocsTemplateError as exc:
            line = exc.line + self.line_offset
            raise PluginError(
                f"{self.docs_rel}/{page.file.src_uri}:{line}: {exc.message}. Hint: {exc.hint}."
            ) from None

    def done(self, page: Page) -> None:
        if self._marked is page:
            del page.meta["render_macros"]
            self._marked = None
