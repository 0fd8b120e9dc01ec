"""The files the adapter adds to MkDocs': generated pages (HTML from the render cache when it
can), downloads and assets; in a preview, hand-written pages left out unless changed."""

from __future__ import annotations

import importlib
import logging
import posixpath
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from macros.pages import revisions
from macros.pages.previews import Preview
from macros.pages.render import GeneratedPage
from macros.site import pagecache

ASSETS = Path(__file__).parent / "assets"
ASSET_URI = "assets/litreview/"
ASSET_NAMES = (
    "iframe-worker-shim.js",
    "litreview.css",
    "litreview.js",
    "bibindex.js",
    "litreview-table.js",
    "explore.js",
)


def add_generated(
    files: Files,
    config: MkDocsConfig,
    generated: dict[str, GeneratedPage],
    docs_rel: str,
    cache: pagecache.RenderCache,
) -> None:
    in_nav = nav_paths(config.nav)
    converter = SharedConverter(config)
    for uri, page in generated.items():
        # Not every project lists every index page in its nav; none needs to be listed.
        inclusion = InclusionLevel.NOT_IN_NAV if page.rendered else InclusionLevel.EXCLUDED
        file = File.generated(config, uri, content=page.markdown, inclusion=inclusion)
        # "Edit this page" opens the YAML or BibTeX the page was made from.
        file.edit_uri = posixpath.relpath(page.source, docs_rel)
        files.append(file)
        if uri not in in_nav:  # a page in the nav takes its title from there: MkDocs makes it
            cached = CachedPage(None, file, config)
            cached.render_cache, cached.converter = cache, converter


def stamp_revision(page: Page, dates: Mapping[str, str], docs_rel: str) -> None:
    """Material's "Last update" line (``page.meta.revision_date``) from git: the date of the
    page's source, a generated page's YAML or BibTeX, a hand-written page's own file."""
    source = posixpath.normpath(posixpath.join(docs_rel, page.file.edit_uri or page.file.src_uri))
    date = revisions.date_of(dates, source)
    if date is not None:
        page.meta["revision_date"] = date


def add_downloads_and_assets(files: Files, config: MkDocsConfig, downloads: dict[str, str]) -> None:
    for uri, text in downloads.items():
        files.append(File.generated(config, uri, content=text))
    for name in ASSET_NAMES:
        files.append(File.generated(config, ASSET_URI + name, abs_src_path=str(ASSETS / name)))


def exclude_unchanged_docs(files: Files, preview: Preview, docs_rel: str) -> None:
    for file in files.documentation_pages():
        if file.generated_by is None and not preview.renders_doc(f"{docs_rel}/{file.src_uri}"):
            file.inclusion = InclusionLevel.EXCLUDED


class CachedPage(Page):
    """A generated page whose conversion to HTML comes from the render cache when it can."""

    render_cache: pagecache.RenderCache
    converter: SharedConverter | None = None

    def render(self, config: MkDocsConfig, files: Files) -> None:
        cache = self.render_cache
        key = cache.key(self.file.src_uri, self.url, self.markdown or "")
        hit = cache.load(key)
        if hit is not None and self._restore(hit, files):
            return
        with pagecache.recording("mkdocs") as records:
            if self.converter is None or not self.converter.render(self, config, files):
                super().render(config, files)
        cache.store(key, self._snapshot(records))

    def _snapshot(self, records: list[tuple[str, int, str]]) -> pagecache.Rendered:
        def tokens(items: list[Any]) -> list[dict[str, Any]]:
            return [
                {"level": a.level, "id": a.id, "name": a.title, "children": tokens(a.children)}
                for a in items
            ]

        return pagecache.Rendered(
            content=self.content or "",
            toc=tokens(list(self.toc)),
            title=self._title_from_render,
            anchors=sorted(self.present_anchor_ids or ()),
            links_to_anchors={
                f.src_uri: dict(anchors) for f, anchors in (self.links_to_anchors or {}).items()
            },
            records=records,
        )

    def _restore(self, hit: pagecache.Rendered, files: Files) -> bool:
        targets = {uri: files.get_file_from_path(uri) for uri in hit.links_to_anchors}
        if any(target is None for target in targets.values()):
            return False
        self.content = hit.content
        self.toc = get_toc(hit.toc)  # type: ignore[arg-type]
        self._title_from_render = hit.title
        self.present_anchor_ids = set(hit.anchors)
        self.links_to_anchors = {
            targets[uri]: dict(anchors)  # type: ignore[misc]
            for uri, anchors in hit.links_to_anchors.items()
        }
        pagecache.replay(hit.records)
        return True


# Extensions that keep no state from one document to the next, or clear it in ``reset()``.
RESETTABLE = frozenset(
    {
        "abbr",
        "admonition",
        "attr_list",
        "def_list",
        "fenced_code",
        "footnotes",
        "md_in_html",
        "tables",
        "toc",
        "pymdownx.escapeall",
    }
)


class SharedConverter:
    """One Markdown converter for the generated pages of a build.

    MkDocs makes a converter, with every extension, for each page: about a quarter of the
    conversion of a small generated page (an entry's page). Shared, and reset between pages, it
    gives the same HTML when every configured extension is in ``RESETTABLE``; with any other
    extension, pages are converted as MkDocs does (``render`` returns False). MkDocs' own
    per-page processors (anchors, links, title) are registered anew for each page, as
    ``Page.render`` does.
    """

    def __init__(self, config: MkDocsConfig) -> None:
        names = config.markdown_extensions
        self.usable = all(isinstance(n, str) and n in RESETTABLE for n in names)
        self._md: Any = None  # markdown.Markdown (Python-Markdown has no type stubs)
        self._extensions = list(names), dict(config.mdx_configs or {})

    def render(self, page: Page, config: MkDocsConfig, files: Files) -> bool:
        if not self.usable or page.markdown is None:
            return False
        if self._md is None:
            extensions, configs = self._extensions
            self._md = importlib.import_module("markdown").Markdown(
                extensions=extensions, extension_configs=configs
            )
        md = self._md
        md.reset()
        raw_html = mkdocs_pages._RawHTMLPreprocessor()
        raw_html._register(md)
        anchors = mkdocs_pages._ExtractAnchorsTreeprocessor(page.file, files, config)
        anchors._register(md)
        relative = mkdocs_pages._RelativePathTreeprocessor(page.file, files, config)
        relative._register(md)
        title = mkdocs_pages._ExtractTitleTreeprocessor()
        title._register(md)
        page.content = md.convert(page.markdown)
        page.toc = get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = title.title
        page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
        if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = relative.links_to_anchors
        return True


def nav_paths(nav: Any) -> set[str]:
    """Every page path the configured nav names (those pages take their title from it)."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        return set().union(*(nav_paths(v) for v in nav.values()))
    if isinstance(nav, list):
        return set().union(*(nav_paths(v) for v in nav))
    return set()
