"""The engine's one entry point: a loaded review, its formatted bibliography and the settings
in, every generated page out. The MkDocs plugin, the preview, the benchmark and the golden
tests all call ``render_site``; none of them sets up the page builders itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from macros.bibliography.citations import CitationRegistry
from macros.bibliography.citeproc import Formatted
from macros.content.errors import ContentError
from macros.content.kind import Kind
from macros.content.load import collect_review as _collect_review
from macros.content.load import load_review as _load_review
from macros.content.review import Review
from macros.kinds import KINDS
from macros.pages import changelog, render
from macros.pages.render import GeneratedPage, HtmlStash, Site
from macros.pages.report import SECTIONS, Finding


@dataclass
class Rendered:
    """The generated pages, and the HTML stash their tokens refer to."""

    pages: dict[str, GeneratedPage]
    stash: HtmlStash
    site: Site

    def add_report(self, findings: list[Finding]) -> GeneratedPage:
        """The report page (made last: it needs every finding of the build)."""
        groups = {name: [f for f in findings if f.section == name] for name in SECTIONS}
        page = self.site.page(
            "report.md.j2",
            "report.md",
            self.site.review.bibliography.path,
            groups=groups,
            sections=SECTIONS,
        )
        self.pages["report.md"] = page
        return page


def render_site(
    review: Review,
    formatted: dict[str, Formatted],
    registry: CitationRegistry | None = None,
    *,
    csl_items: list[dict[str, Any]] | None = None,
    directory_urls: bool = True,
    only: Callable[[str, str], bool] | None = None,
    kinds: Sequence[Kind] = KINDS,
) -> Rendered:
    """Every generated page of a review: each kind's pages and index, in the registry's order,
    then the pages of no kind (bibliography, glossary, network, schema)."""
    site = Site(
        review,
        formatted,
        registry or CitationRegistry(frozenset(review.bibliography.entries)),
        kinds,
        directory_urls=directory_urls,
        csl_items=csl_items or [],
        only=only,
    )
    pages: dict[str, GeneratedPage] = {}
    for kind in kinds:
        if kind.pages is not None and not kind.per_paper:  # per-paper: parts of the paper's
            pages.update(kind.pages(site))
        if kind.name == "audit":  # the bibliography's pages come next, as they always have
            pages.update(render.reference_pages(site))
    pages["glossary.md"] = render.glossary_page(site)
    pages["entities/network.md"] = render.network_page(site)
    pages["maintainers/schema.md"] = render.schema_page(site)
    pages["changelog.md"] = changelog.page(site)
    return Rendered(pages, site.stash, site)


def load_review(
    root: Path, content_dir: str = "content", bibliography: str = "references.bib"
) -> Review:
    """``macros.content.load.load_review`` with the registry's kinds."""
    return _load_review(root, content_dir, bibliography, kinds=KINDS)


def collect_review(
    root: Path, content_dir: str = "content", bibliography: str = "references.bib"
) -> tuple[Review, list[ContentError]]:
    """``macros.content.load.collect_review`` with the registry's kinds."""
    return _collect_review(root, content_dir, bibliography, kinds=KINDS)
