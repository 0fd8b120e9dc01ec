"""One build of the site, without MkDocs: check, format the bibliography, finish the pages.

The MkDocs adapter (``macros.site.plugin``) creates a ``BuildSession`` in ``on_config`` and
calls it from its events; the page rendering itself stays with the caller (``SiteRenderer``).
"""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from macros.bibliography import exports
from macros.bibliography.citations import CitationRegistry
from macros.bibliography.citeproc import Citeproc, CiteprocError, Formatted
from macros.bibliography.memory import MEMORY, FormattingMemory
from macros.bibliography.styles import style_path
from macros.content.errors import InvalidContentError
from macros.content.review import Review
from macros.content.settings import Settings
from macros.pages import bibindex, revisions
from macros.pages.backlinks import ContentCache, Notes, PageFinisher
from macros.pages.checks import Checked, check_project
from macros.pages.mentions import MentionIndex, abbreviation_table, alias_table
from macros.pages.previews import Preview
from macros.pages.render import HtmlStash, entry_facets
from macros.pages.report import Finding, math_findings


class BuildError(Exception):
    """A build cannot go on; the message says why (pandoc failed...)."""


@dataclass
class Bibliography:
    """The bibliography formatted for one build."""

    formatted: dict[str, Formatted]
    items: list[dict[str, Any]]  # CSL-JSON
    changed: set[str]  # keys of the entries changed since the last formatting in this process


@dataclass
class BuildSession:
    settings: Settings
    checked: Checked
    citeproc: Citeproc
    registry: CitationRegistry
    preview: Preview | None = None
    memory: FormattingMemory = field(default_factory=lambda: MEMORY)

    @classmethod
    def start(cls, settings: Settings, preview: Preview | None = None) -> BuildSession:
        """Check everything ``litreview check`` checks; raises ``InvalidContentError``."""
        checked = check_project(settings)
        if checked.errors:
            raise InvalidContentError(checked.errors)
        bib = checked.review.bibliography
        citeproc = Citeproc(
            bib.text,
            style_path(settings.root, settings.csl),
            settings.cache_path,
            raw_entries={key: entry.source for key, entry in bib.entries.items()},
        )
        return cls(settings, checked, citeproc, CitationRegistry(frozenset(bib.entries)), preview)

    @property
    def review(self) -> Review:
        return self.checked.review

    @functools.cached_property
    def revisions(self) -> dict[str, str]:
        """Each file's last commit date (``pages.revisions``): one ``git log`` per build."""
        return revisions.last_changes(self.settings.root)

    def report(self, bibliography: Bibliography | None = None) -> list[Finding]:
        """The report's warnings; with the formatted bibliography, also math pandoc left as TeX."""
        findings = self.checked.findings()
        if bibliography is None or self.checked.errors:
            return findings
        bib = self.review.bibliography
        return sorted(findings + math_findings(bib, bibliography.formatted, bibliography.items))

    def bibliography(self) -> Bibliography:
        """Format the bibliography (a preview: only what changed) and export it as CSL-JSON."""
        name = self.settings.bibliography
        try:
            # Two pandoc runs at once when both miss the cache (an edited entry).
            with ThreadPoolExecutor(max_workers=2) as pool:
                formatting = pool.submit(
                    self.memory.bibliography, name, self.citeproc, preview=bool(self.preview)
                )
                items = self.citeproc.csl_json()
                formatted, changed = formatting.result()
        except CiteprocError as exc:
            msg = f"{name}: pandoc could not format the bibliography: {exc}"
            raise BuildError(msg) from None
        return Bibliography(formatted, items, changed)

    def prefetch_notes(self, bibliography: Bibliography) -> None:
        """A preview of a BibTeX edit formats the edited entries' notes early."""
        if self.preview is not None:
            self.memory.prefetch_notes(
                self.settings.bibliography, self.citeproc, bibliography.changed
            )

    def exports(self, bibliography: Bibliography) -> dict[str, str]:
        """The whole library for download, by page path, and the filter's data.

        A preview of a BibTeX edit makes only the filter's data, and serves it with its pages:
        the filter of the live preview finds the edited entries (and exists at all when the
        edit makes the library large enough to split).
        """
        entries = self.review.bibliography.entries
        preview = self.preview
        if preview is not None and self.settings.bibliography not in preview.changed:
            return {}
        files = {} if preview else exports.library(list(entries.values()), bibliography.items)
        keys = bibindex.ordered_keys(bibliography.formatted, entries)
        if bibindex.is_split(keys):  # the filter's data, beside the split index pages
            items = {item["id"]: item for item in bibliography.items}
            index = bibindex.build_index(keys, entries, items, bibliography.formatted, entry_facets)
            files[bibindex.DATA_FILE] = bibindex.data_script(index.records)
            if preview is not None:
                preview.rendered.append(bibindex.DATA_FILE)
        return files

    def format_notes(self, pairs: list[tuple[str, str | None]]) -> Notes:
        try:
            return self.citeproc.notes(pairs)
        except CiteprocError as exc:
            msg = f"pandoc could not format citations: {exc}"
            raise BuildError(msg) from None

    def finisher(
        self, stash: HtmlStash, cache: ContentCache, *, directory_urls: bool
    ) -> PageFinisher:
        """Once the generated pages are made: every note in one batch, and the page finisher."""
        pairs = self.registry.pairs() + self.checked.docs_citations
        self.memory.remember_citations(self.settings.bibliography, pairs)
        return PageFinisher(
            self.registry,
            self.format_notes(pairs),
            stash,
            MentionIndex(alias_table(self.review), abbreviation_table(self.review)),
            cache,
            frozenset(self.review.entities),
            directory_urls=directory_urls,
            format_notes=self.format_notes,
            preview=self.preview,
        )
