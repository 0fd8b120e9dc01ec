"""The MkDocs adapter: thin glue between MkDocs events and the engine.

on_config   load and validate content (all errors at once) and set up the citation engine
on_files    add generated pages, exports and assets (File.generated), format citations in batch
on_nav      fix the render cache's key now that every plugin has added its files
on_page_markdown (after macros)  append footnote definitions for the citations a page made
on_page_content  put the engine's HTML (formatted notes, stashed fragments) into the page
on_post_page     fill "cited by" lists, now that every page has been rendered
"""

from __future__ import annotations

import contextlib
import logging
import os
import posixpath
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html import unescape
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import jinja2.bccache
from mkdocs import __version__ as mkdocs_version
from mkdocs.commands.build import get_context
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from macros import define_env

from macros.bibliography import exports

from macros.kinds import KINDS
from macros.pages import links

from macros.site import pagecache
from macros.cli.building import SUMMARY_LINE, ProjectSettings, site_dir_problem
from macros.bibliography.citations import (
    CITED_BY_PATTERN,
    MENTIONED_IN_PATTERN,
    NOTE_TOKEN,
    Citation,
    CitationRegistry,
    citations_in_markdown,
)
from macros.bibliography.citeproc import Citeproc, CiteprocError, Formatted
from macros.content.confine import links_leaving
from macros.site.csp import with_content_security_policy
from macros.pages.docpages import DocsTemplateError, MacroRegistry, plain, render_page
from macros.content.errors import InvalidContentError
from macros.pages.mentions import MentionIndex, abbreviation_table, alias_table
from macros.pages.engine import load_review, render_site
from macros.pages.render import GeneratedPage
from macros.pages.report import build_report
from macros.content.review import Review
from macros.pages.text import attr
from macros.site.csp import inline_script_hashes, with_content_security_policy

LOG = logging.getLogger("mkdocs.plugins.litreview")
ASSETS = Path(__file__).parent / "assets"
OVERRIDES = Path(__file__).parent / "overrides"
STYLES = Path(__file__).parent.parent / "bibliography" / "csl"
ASSET_URI = "assets/litreview/"


@dataclass(frozen=True)
class Preview:
    """A preview build (``litreview serve``): only the pages made from ``changed`` are rendered.

    Every other page is still listed (so that links resolve) but excluded from the build.
    Lists that need every page rendered ("mentioned in", "cited by") are copied from the
    page as ``served`` until the full build that follows replaces it.
    """

    changed: frozenset[str]  # paths relative to the project folder
    served: Path
    rendered: list[str] = field(default_factory=list)  # output paths, filled by the build


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory, for processes that build again and again."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_THEME_BYTECODE = _MemoryBytecodeCache()
# The last full formatting of the bibliography in this process, for previews that follow it.
_LAST_BIBLIOGRAPHY: dict[str, tuple[dict[str, str], dict[str, Formatted]]] = {}
_LAST_CITATIONS: dict[str, list[tuple[str, str | None]]] = {}


class LitreviewConfig(base.Config):
    content_dir = c.Type(str, default="content")
    bibliography = c.Type(str, default="references.bib")
    csl = c.Type(str, default="chicago-notes-bibliography-litreview")
    cache_dir = c.Type(str, default=".cache/litreview")


class LitreviewPlugin(BasePlugin[LitreviewConfig]):
    """Turns content/ and the bibliography into pages; see the module docstring."""

    preview: Preview | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path or ".").resolve().parent
        # MkDocs empties site_dir before building: never a folder holding the project's files.
        folders = ProjectSettings(
            docs_dir=config.docs_dir,
            content_dir=self.config.content_dir,
            cache_dir=self.config.cache_dir,
        )
        if problem := site_dir_problem(
            self.root, Path(config.site_dir), folders, require_ours=False
        ):
            raise PluginError(f"mkdocs.yml: site_dir {problem}")
        try:
            self.review: Review = load_review(
                self.root, self.config.content_dir, self.config.bibliography
            )
        except InvalidContentError as exc:
            raise PluginError(f"{len(exc.errors)} problem(s) in the content:\n{exc}") from None
        docs = Path(config.docs_dir).resolve()
        # load_review searched docs/ for symbolic links leaving the project; another docs_dir:
        if docs != self.root / "docs" and (
            leaving := links_leaving(self.root, [os.path.relpath(docs, self.root)])
        ):
            raise PluginError(f"{len(leaving)} problem(s):\n{InvalidContentError(leaving)}")
        docs_rel = Path(config.docs_dir).resolve().relative_to(self.root).as_posix()
        collisions = links.review_collisions(
            self.review,
            Path(config.docs_dir),
            KINDS,
            docs_rel,
            directory_urls=config.use_directory_urls,
        )
        if collisions:
            listed = "\n".join(str(error) for error in collisions)
            raise PluginError(f"{len(collisions)} problem(s) in the content:\n{listed}")
        entries = self.review.bibliography.entries
        self.citeproc = Citeproc(
            self.review.bibliography.text,
            self._style_path(),
            self.root / self.config.cache_dir,
            raw_entries={key: entry.raw for key, entry in entries.items()},
        )
        self.registry = CitationRegistry(frozenset(self.review.bibliography.entries))
        self.generated: dict[str, GeneratedPage] = {}
        self.docs_rel = Path(config.docs_dir).resolve().relative_to(self.root).as_posix()
        # The macros a docs page may call; we render docs pages, mkdocs-macros never does.
        self.docs_macros = MacroRegistry(config)
        define_env(self.docs_macros)
        self.docs_line_offset = 0
        self.docs_unmark: Page | None = None
        # Material prints the site description into an attribute as it is.
        if config.site_description:
            config.site_description = attr(config.site_description)
        # Our templates sit just above the theme's, below a project's own custom_dir.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(OVERRIDES))
        polyfills = config.extra.setdefault("polyfills", [])
        polyfills.insert(0, ASSET_URI + "iframe-worker-shim.js")
        config.extra_css.append(ASSET_URI + "litreview.css")
        config.extra_javascript.append(ASSET_URI + "litreview.js")
        return config

    def _style_path(self) -> Path:
        value = self.config.csl
        path = self.root / value if value.endswith(".csl") else STYLES / f"{value}.csl"
        if not path.is_file():
            bundled = ", ".join(sorted(p.stem for p in STYLES.glob("*.csl")))
            raise PluginError(
                f"mkdocs.yml: plugins.litreview.csl: no style '{value}'. Use a "
                f"bundled style ({bundled}) or a path to a .csl file."
            )
        return path

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        try:
            # Two pandoc runs at once when both miss the cache (an edited entry).
            with ThreadPoolExecutor(max_workers=2) as pool:
                bibliography = pool.submit(self._bibliography)
                items = self.citeproc.csl_json()
                formatted = bibliography.result()
        except CiteprocError as exc:
            raise PluginError(
                f"{self.config.bibliography}: pandoc could not format the bibliography: {exc}"
            ) from None
        docs_citations = self._scan_docs(files)
        report = build_report(self.review, {key for key, _ in docs_citations})
        # `litreview build` reads this line for its summary instead of loading everything again.
        LOG.info(SUMMARY_LINE.format(len(self.review.bibliography.entries), len(report)))
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(self._prefetch_notes)  # while the pages render
            rendered = render_site(
                self.review,
                formatted,
                self.registry,
                csl_items=items,
                directory_urls=config.use_directory_urls,
                only=self._previewed() if self.preview else None,
            )
        self.stash = rendered.stash
        rendered.add_report(report)
        self.generated = rendered.pages
        self.render_cache = pagecache.RenderCache(
            self.root / self.config.cache_dir / "pages.sqlite", ""
        )
        in_nav = _nav_paths(config.nav)
        for uri, page in self.generated.items():
            # Not every project lists every index page in its nav; none needs to be listed.
            inclusion = InclusionLevel.NOT_IN_NAV if page.rendered else InclusionLevel.EXCLUDED
            file = File.generated(config, uri, content=page.markdown, inclusion=inclusion)
            # "Edit this page" opens the YAML or BibTeX the page was made from.
            file.edit_uri = posixpath.relpath(page.source, self.docs_rel)
            files.append(file)
            if uri not in in_nav:  # a page in the nav takes its title from there: MkDocs makes it
                _CachedPage(None, file, config).render_cache = self.render_cache
        if self.preview:
            self._exclude_unchanged_docs(files)
        else:
            for uri, text in self._exports(items).items():
                files.append(File.generated(config, uri, content=text))
        for asset in ("iframe-worker-shim.js", "litreview.css", "litreview.js"):
            files.append(
                File.generated(config, ASSET_URI + asset, abs_src_path=str(ASSETS / asset))
            )
        pairs = self.registry.pairs() + docs_citations
        _LAST_CITATIONS[self.config.bibliography] = pairs
        self.notes = self._format_notes(pairs)
        self.mentions = MentionIndex(alias_table(self.review), abbreviation_table(self.review))
        return files

    def _bibliography(self) -> dict[str, Formatted]:
        raw = self.citeproc.raw_entries
        last = _LAST_BIBLIOGRAPHY.get(self.config.bibliography)
        self.changed_entries = {k for k, text in raw.items() if not last or last[0].get(k) != text}
        if self.preview and last:
            formatted = self.citeproc.bibliography_since(*last)
        else:
            formatted = self.citeproc.bibliography()
        _LAST_BIBLIOGRAPHY[self.config.bibliography] = (raw, formatted)
        return formatted

    def _prefetch_notes(self) -> None:
        """A preview of a BibTeX edit formats the edited entries' notes early, as they were
        cited in the last build (the pages that cite them are rendered meanwhile)."""
        if self.preview is None:
            return
        last = _LAST_CITATIONS.get(self.config.bibliography, [])
        wanted = [pair for pair in last if pair[0] in self.changed_entries]
        if wanted:
            with contextlib.suppress(CiteprocError, KeyError):
                self.citeproc.notes(wanted, prune=False)

    def _previewed(self) -> Callable[[str, str], bool]:
        """Which generated pages a preview renders: those made from a changed file; of the
        bibliography's pages, only those of entries that changed."""
        assert self.preview is not None  # noqa: S101 - only called for a preview
        changed = self.preview.changed
        bib = self.config.bibliography
        entries = {links.reference_page(key) for key in self.changed_entries if bib in changed}
        return lambda here, source: source in changed and (source != bib or here in entries)

    def _exclude_unchanged_docs(self, files: Files) -> None:
        assert self.preview is not None  # noqa: S101 - only called for a preview
        for file in files.documentation_pages():
            if file.generated_by is None:
                source = f"{self.docs_rel}/{file.src_uri}"
                if source not in self.preview.changed:
                    file.inclusion = InclusionLevel.EXCLUDED

    def on_env(self, env: jinja2.Environment, **_: Any) -> None:
        # The theme's templates are compiled once per process, not once per build.
        env.bytecode_cache = _THEME_BYTECODE
        self.theme_env = env
        self.script_hashes: dict[tuple[str, str], list[str]] = {}

    def _own_script_hashes(
        self, config: MkDocsConfig, template: str, page: Page | None = None, base_url: str = ""
    ) -> list[str]:
        """The inline scripts' hashes of ``template`` rendered for an empty page at the same
        depth, with an empty navigation: the theme's and the engine's own scripts, none that
        content put in a page (see ``macros/site/csp.py``). One render per template and depth."""
        probe = None
        if page is not None:
            probe = Page("", File.generated(config, page.file.src_uri, content=""), config)
            probe.markdown = probe.content = ""
            base_url = get_relative_url(".", probe.url)
        key = (template, base_url)
        if key not in self.script_hashes:
            context = get_context(Navigation([], []), Files([]), config, probe, base_url)
            reference = self.theme_env.get_template(template).render(context)
            self.script_hashes[key] = inline_script_hashes(reference)
        return self.script_hashes[key]

    def on_nav(self, _nav: Any, *, config: MkDocsConfig, files: Files) -> None:
        # A link's HTML depends on which files exist and where they go, besides the Markdown.
        self.render_cache.salt = pagecache.salt(
            [mkdocs_version, version("markdown"), config.markdown_extensions, config.mdx_configs],
            [config.use_directory_urls, config.validation, config.site_url],
            sorted((f.src_uri, f.url, f.inclusion.name) for f in files),
        )

    def on_post_build(self, **_: Any) -> None:
        self.render_cache.close(prune=self.preview is None)
        LOG.debug(
            "litreview: %d pages rendered, %d from the cache",
            self.render_cache.misses,
            self.render_cache.hits,
        )

    def on_build_error(self, **_: Any) -> None:
        if hasattr(self, "render_cache"):
            self.render_cache.close(prune=False)

    def _exports(self, items: list[dict[str, Any]]) -> dict[str, str]:
        """The whole library; each entry's page carries its own (see ``entry_downloads``)."""
        return {
            "references/exports/library.bib": exports.bibtex(
                list(self.review.bibliography.entries.values())
            ),
            "references/exports/library.ris": exports.ris(items),
            "references/exports/library.json": exports.csl_json(items),
        }

    def _scan_docs(self, files: Files) -> list[tuple[str, str | None]]:
        """Citations written in hand-made pages, so that one pandoc call formats them all."""
        found = []
        for file in files.documentation_pages():
            if file.generated_by is None and file.abs_src_path:
                text = Path(file.abs_src_path).read_text(encoding="utf-8", errors="replace")
                found += [
                    c for c in citations_in_markdown(text) if c[0] in self.registry.known_keys
                ]
        return found

    def _format_notes(
        self, pairs: list[tuple[str, str | None]]
    ) -> dict[tuple[str, str | None], Formatted]:
        try:
            return self.citeproc.notes(pairs)
        except CiteprocError as exc:
            raise PluginError(f"pandoc could not format citations: {exc}") from None

    # -- the cite() macro -------------------------------------------------------------------

    def cite(self, page: Page, markdown: str, key: str, locator: str | None) -> str:
        src = page.file.src_uri
        occurrence = len(self.registry.on_page(src))
        if key not in self.registry.known_keys:
            line = _line_of_call(markdown, key) + self.docs_line_offset
            raise PluginError(
                f"{self.docs_rel}/{src}:{line}: cite() names unknown bibliography key "
                f"'{key}'. Hint: add it to {self.config.bibliography} or fix the key."
            )
        context = _sentence_around_call(markdown, occurrence) or page.title or src
        return self.registry.cite(src, key, locator, context)

    # -- page events ------------------------------------------------------------------------

    @event_priority(50)  # before mkdocs-macros, which then leaves the page alone
    def _render_docs_page(self, /, markdown: str, page: Page, **_: Any) -> str:
        """A hand-written page's {{ ... }} in the sandbox of ``macros.pages.docpages``."""
        if page.file.generated_by is not None or page.meta.get("render_macros") is False:
            return markdown
        page.meta["render_macros"] = False  # mkdocs-macros: not this page (until it has run)
        self.docs_unmark = page
        source = page.file.content_string
        # Errors name lines of the file, front matter included.
        before = source[: len(source) - len(markdown)] if source.endswith(markdown) else ""
        self.docs_line_offset = before.count("\n")
        self.docs_macros.page, self.docs_macros.markdown = page, markdown
        meta = {str(k): plain(v) for k, v in page.meta.items() if k != "render_macros"}
        variables = {**meta, "page": {"title": page.title, "url": page.url, "meta": meta}}
        try:
            return render_page(markdown, self.docs_macros.macros, variables)
        except DocsTemplateError as exc:
            line = exc.line + self.docs_line_offset
            raise PluginError(
                f"{self.docs_rel}/{page.file.src_uri}:{line}: {exc.message}. Hint: {exc.hint}."
            ) from None

    @event_priority(-100)  # after the page's cite() calls
    def _append_footnotes(self, /, markdown: str, page: Page, **_: Any) -> str:
        if self.docs_unmark is page:  # the theme sees the page's own front matter
            del page.meta["render_macros"]
            self.docs_unmark = None
        return markdown + self.registry.definitions(page.file.src_uri)

    on_page_markdown = CombinedEvent(_render_docs_page, _append_footnotes)

    def on_page_content(self, html: str, page: Page, **_: Any) -> str:
        src = page.file.src_uri
        citations = self.registry.on_page(src)
        missing = [(c.key, c.locator) for c in citations if (c.key, c.locator) not in self.notes]
        if missing:
            self.notes.update(self._format_notes(missing))
        notes = [self._note_html(page, citation) for citation in citations]
        fragments = self.stash.referenced(html)
        title = page.title or ""
        # The result depends on these inputs only; a page that has not changed is not re-done.
        key = self.render_cache.key(
            "content",
            src,
            page.url,
            title,
            html,
            self.mentions.digest,
            str(len(notes)),
            *notes,
            *fragments,
        )
        cached = self.render_cache.get(key)
        if isinstance(cached, dict) and {"html", "mentions"} <= cached.keys():
            self.mentions.collect(src, title, cached["mentions"])
            return str(cached["html"])
        for i, note in enumerate(notes):
            html = html.replace(NOTE_TOKEN.format(i), note, 1)
        html = self.stash.restore(html)
        own = src.removeprefix("entities/").removesuffix(".md")
        html, mentioned = self.mentions.link(
            html, _EntityLinks(page), skip=own if own in self.review.entities else None
        )
        self.mentions.collect(src, title, mentioned)
        self.render_cache.put(key, {"html": html, "mentions": sorted(mentioned)})
        return html

    def _note_html(self, page: Page, citation: Citation) -> str:
        note = self.notes.get((citation.key, citation.locator))
        target = _url_of(links.reference_page(citation.key), page)
        text = note.html if note else attr(citation.key)
        return f'{text} <a class="lr-entry-link" href="{attr(target)}">Entry</a>'

    @event_priority(-100)  # last: nothing changes the page after its policy is set
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig, **_: Any) -> str:
        template = str(page.meta.get("template", "main.html"))
        hashes = self._own_script_hashes(config, template, page)
        return with_content_security_policy(self._fill_cited_by(output, page), hashes)

    @event_priority(-100)
    def on_post_template(self, output: str, template_name: str, config: MkDocsConfig) -> str:
        """Error pages (404.html) get the policy too; sitemaps and other templates do not."""
        if not template_name.endswith(".html"):
            return output
        # MkDocs renders error pages with absolute URLs from the site's root.
        base_url = urlsplit(config.site_url or "/").path
        hashes = self._own_script_hashes(config, template_name, base_url=base_url)
        return with_content_security_policy(output, hashes)

    def _fill_cited_by(self, output: str, page: Page) -> str:
        if self.preview:
            self.preview.rendered.append(page.file.dest_uri)
            return self._fill_from_served(output, page, self.preview.served)
        # One pass over the page for its placeholders: cost grows with the page, not the site.
        output = MENTIONED_IN_PATTERN.sub(lambda m: self._mentioned_in_html(page, m[1]), output)
        return CITED_BY_PATTERN.sub(lambda m: self._cited_by_html(page, m[1]), output)

    @staticmethod
    def _fill_from_served(output: str, page: Page, served: Path) -> str:
        path = served / page.file.dest_uri
        old = path.read_text("utf-8") if path.is_file() else ""

        def served_list(pattern: re.Pattern[str]) -> str:
            found = pattern.search(old)
            return (
                found[0]
                if found
                else "<p>Updating: the full build that follows fills this list.</p>"
            )

        output = MENTIONED_IN_PATTERN.sub(lambda _: served_list(_SERVED_MENTIONED_IN), output)
        return CITED_BY_PATTERN.sub(lambda _: served_list(_SERVED_CITED_BY), output)

    def _mentioned_in_html(self, page: Page, ident: str) -> str:
        items = [
            f'<li><a href="{attr(_url_of(src, page))}">{attr(unescape(title or src))}</a></li>'
            for src, title in self.mentions.mentioned_in(ident).items()
        ]
        if not items:
            return NO_MENTIONS
        return '<ul class="lr-mentioned-in">' + "".join(items) + "</ul>"

    def _cited_by_html(self, page: Page, key: str) -> str:
        citations = self.registry.cited_by(key)
        if not citations:
            return NOT_CITED
        items = []
        for citation in citations:
            href = _url_of(citation.page, page) + "#" + citation.anchor
            items.append(f'<li><a href="{attr(href)}">{attr(citation.context)}</a></li>')
        return '<ul class="lr-cited-by">' + "".join(items) + "</ul>"


class _CachedPage(Page):
    """A generated page whose conversion to HTML comes from the render cache when it can."""

    render_cache: pagecache.RenderCache

    def render(self, config: MkDocsConfig, files: Files) -> None:
        cache = self.render_cache
        key = cache.key(self.file.src_uri, self.url, self.markdown or "")
        hit = cache.load(key)
        if hit is not None and self._restore(hit, files):
            return
        with pagecache.recording("mkdocs") as records:
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


def _nav_paths(nav: Any) -> set[str]:
    """Every page path the configured nav names (those pages take their title from it)."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        return set().union(*(_nav_paths(v) for v in nav.values()))
    if isinstance(nav, list):
        return set().union(*(_nav_paths(v) for v in nav))
    return set()


# What ``_mentioned_in_html`` and ``_cited_by_html`` write, and how to find it in a built page.
NO_MENTIONS = "<p>No other page mentions it.</p>"
NOT_CITED = "<p>Not cited on this site.</p>"
_SERVED_MENTIONED_IN = re.compile(
    r'<ul class="lr-mentioned-in">.*?</ul>|' + re.escape(NO_MENTIONS), re.DOTALL
)
_SERVED_CITED_BY = re.compile(
    r'<ul class="lr-cited-by">.*?</ul>|' + re.escape(NOT_CITED), re.DOTALL
)


def _url_of(src_uri: str, from_page: Page) -> str:
    """URL of a docs page relative to another page, honouring use_directory_urls."""
    use_dirs = from_page.url.endswith("/") or from_page.url == ""
    if use_dirs:
        stem = src_uri[: -len(".md")]
        target = stem.removesuffix("index") if stem.endswith("index") else stem + "/"
    else:
        target = src_uri[: -len(".md")] + ".html"
    return get_relative_url(target, from_page.url)


def _line_of_call(markdown: str, key: str) -> int:
    position = markdown.find(key)
    return markdown.count("\n", 0, max(position, 0)) + 1


def _sentence_around_call(markdown: str, occurrence: int) -> str:
    calls = [m.start() for m in re.finditer(r"\{\{\s*cite\(", markdown)]
    if occurrence >= len(calls):
        return ""
    start = calls[occurrence]
    before = re.split(r"(?<=[.!?])\s|\n\s*\n", markdown[:start])[-1]
    after = re.split(r"(?<=[.!?])\s|\n\s*\n", markdown[start:])[0]
    sentence = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", before + after)
    return " ".join(re.sub(r"[*_`#>\[\]]", "", sentence).split())


class _EntityLinks(dict[str, str]):
    """Entity id -> URL from one page, computed only for the entities the page mentions."""

    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page

    def __missing__(self, ident: str) -> str:
        url = _url_of(links.entity_page(ident), self.page)
        self[ident] = url
        return url

    def __contains__(self, ident: object) -> bool:
        return True
