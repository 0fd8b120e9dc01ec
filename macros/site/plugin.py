"""The MkDocs adapter: thin glue between MkDocs events and the engine (``macros.pages``...).

on_config   check everything (``pages.checks``, as ``litreview check`` does); set up citations
on_files    add generated pages, exports and assets (File.generated); format notes in batch
on_nav      fix the render cache's key now that every plugin has added its files
on_page_markdown   docs pages' {{ ... }} in a sandbox (``site.docsjinja``), notes, git dates
on_page_content / on_post_page   notes, entity links, backlinks (``backlinks``), the policy
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version
from pathlib import Path
from typing import Any

import jinja2
from mkdocs import __version__ as mkdocs_version
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from macros.bibliography.styles import STYLES
from macros.pages.backlinks import line_of_call, sentence_around_call
from macros.pages.bytecode import THEME_BYTECODE
from macros.pages.checks import unknown_key
from macros.pages.engine import Rendered, render_site
from macros.pages.previews import Preview
from macros.pages.session import Bibliography, BuildSession
from macros.site import files as files_
from macros.site import pagecache
from macros.site.config import LitreviewConfig, add_theme, engine_errors, settings_of
from macros.site.docsjinja import DocsPages
from macros.site.folder import SUMMARY_LINE, site_dir_problem
from macros.site.ownscripts import OwnScripts

__all__ = ["STYLES", "LitreviewPlugin", "Preview"]
LOG = logging.getLogger("mkdocs.plugins.litreview")


class LitreviewPlugin(BasePlugin[LitreviewConfig]):
    """Turns the content and the bibliography into pages; see the module docstring."""

    preview: Preview | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.settings = settings_of(config, self.config)
        self.docs_rel = self.settings.docs_dir
        # MkDocs empties site_dir before building: never a folder holding the project's files.
        site = Path(config.site_dir)
        if problem := site_dir_problem(self.settings.root, site, self.settings, require_ours=False):
            raise PluginError(f"mkdocs.yml: site_dir {problem}")
        with engine_errors():
            self.session = BuildSession.start(self.settings, self.preview)
        self.registry = self.session.registry
        self.docs_pages = DocsPages(config, self.docs_rel)
        add_theme(config)
        return config

    def _render(self, bibliography: Bibliography, *, directory_urls: bool) -> Rendered:
        """The one place that turns the review into pages (``pages.engine.render_site``)."""
        session, preview = self.session, self.preview
        return render_site(
            session.review,
            bibliography.formatted,
            self.registry,
            csl_items=bibliography.items,
            directory_urls=directory_urls,
            only=preview.renders(session.settings.bibliography, bibliography.changed)
            if preview
            else None,
        )

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        session = self.session
        with engine_errors():
            bibliography = session.bibliography()
        report = session.report(bibliography)
        # `litreview build` reads this line for its summary instead of loading everything again.
        LOG.info(SUMMARY_LINE.format(len(session.review.bibliography.entries), len(report)))
        urls = config.use_directory_urls  # read now: a later plugin may change it (offline does)
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(session.prefetch_notes, bibliography)  # while the pages render
            rendered = self._render(bibliography, directory_urls=urls)
        rendered.add_report(report)
        self.render_cache = pagecache.RenderCache(session.settings.cache_path / "pages.sqlite", "")
        files_.add_generated(files, config, rendered.pages, self.docs_rel, self.render_cache)
        if self.preview:
            files_.exclude_unchanged_docs(files, self.preview, self.docs_rel)
        files_.add_downloads_and_assets(files, config, session.exports(bibliography))
        with engine_errors():
            self.finisher = session.finisher(rendered.stash, self.render_cache, directory_urls=urls)
        return files

    def on_env(self, env: jinja2.Environment, **_: Any) -> None:
        env.bytecode_cache = THEME_BYTECODE  # the theme's templates: compiled once per process
        self.own_scripts = OwnScripts(env)

    def on_nav(self, _nav: Any, *, config: MkDocsConfig, files: Files) -> None:
        # A link's HTML depends on which files exist and where they go, besides the Markdown.
        self.render_cache.salt = pagecache.salt(
            [mkdocs_version, version("markdown"), config.markdown_extensions, config.mdx_configs],
            [config.use_directory_urls, config.validation, config.site_url],
            sorted((f.src_uri, f.url, f.inclusion.name) for f in files),
        )

    def on_post_build(self, **_: Any) -> None:
        (cache := self.render_cache).close(prune=self.preview is None)
        LOG.debug("litreview: %d pages rendered, %d from the cache", cache.misses, cache.hits)

    def on_build_error(self, **_: Any) -> None:
        if hasattr(self, "render_cache"):
            self.render_cache.close(prune=False)

    def cite(self, page: Page, markdown: str, key: str, locator: str | None) -> str:
        """The ``cite()`` macro of hand-written pages (``macros.define_env``)."""
        src = page.file.src_uri
        if key not in self.registry.known_keys:  # a key check_project could not see (a variable)
            line = line_of_call(markdown, key) + self.docs_pages.line_offset
            bib = self.session.settings.bibliography
            raise PluginError(str(unknown_key(f"{self.docs_rel}/{src}", line, key, bib)))
        context = sentence_around_call(markdown, len(self.registry.on_page(src)))
        return self.registry.cite(src, key, locator, context or page.title or src)

    @event_priority(50)  # before mkdocs-macros, which then leaves the page alone
    def _docs_jinja(self, /, markdown: str, page: Page, **_: Any) -> str:
        return self.docs_pages.render(markdown, page)

    @event_priority(-100)  # after the page's cite() calls
    def _notes(self, /, markdown: str, page: Page, **_: Any) -> str:
        self.docs_pages.done(page)
        files_.stamp_revision(page, self.session.revisions, self.docs_rel)
        return markdown + self.registry.definitions(page.file.src_uri)

    on_page_markdown = CombinedEvent(_docs_jinja, _notes)

    def on_page_content(self, html: str, page: Page, **_: Any) -> str:
        return self.finisher.content(page.file.src_uri, page.url, page.title or "", html)

    @event_priority(-100)  # last: nothing changes the page after its policy is set
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig, **_: Any) -> str:
        output = self.finisher.backlinks(page.file.src_uri, output, page.file.dest_uri)
        return self.own_scripts.protect_page(output, page, config)

    @event_priority(-100)
    def on_post_template(self, output: str, template_name: str, config: MkDocsConfig) -> str:
        return self.own_scripts.protect_template(output, template_name, config)
