"""Relative links between pages, and where bibliography entries' pages live.

A content item's page is its kind's (``Kind.page``, templates: ``page_of(kind, id)``).
"""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from macros.content.errors import ContentError
from macros.pages.text import slug

if TYPE_CHECKING:
    from collections.abc import Sequence

    from macros.content.kind import Kind
    from macros.content.review import Review


def entity_page(entity_id: str) -> str:
    """An entity's page, for the plugin's mention links: ``macros.kinds.entities``' URL."""
    return f"entities/{entity_id}.md"


def reference_page(key: str) -> str:
    return f"references/{slug(key)}.md"


@functools.lru_cache(maxsize=1 << 16)
def _relpath(target: str, start: str) -> str:
    # posixpath.relpath makes both paths absolute (a getcwd system call each time), and pages
    # link to the same few places thousands of times: a 10,000-record ledger's tables make
    # about 47,000 links. Both are docs-relative, so the answer does not depend on the cwd.
    return posixpath.relpath(target, start)


def relative(from_page: str, to_page: str, anchor: str = "") -> str:
    """A Markdown link target from one docs-relative page to another (MkDocs checks it)."""
    target = _relpath(to_page, posixpath.dirname(from_page) or ".")
    return f"{target}#{anchor}" if anchor else target


def page_url(page: str, *, directory_urls: bool) -> str:
    """The URL MkDocs gives a docs page (``a/b.md`` -> ``a/b/`` or ``a/b.html``)."""
    stem = page.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def html_href(from_page: str, to_page: str, *, directory_urls: bool, anchor: str = "") -> str:
    """A link for raw HTML (which MkDocs does not rewrite) from one page to another."""
    source = page_url(from_page, directory_urls=directory_urls)
    target = page_url(to_page, directory_urls=directory_urls)
    base = source if source.endswith("/") or not source else posixpath.dirname(source) + "/"
    relative_target = _relpath(target or ".", base.rstrip("/") or ".")
    if target.endswith("/") and not relative_target.endswith("/"):
        relative_target += "/"
    if relative_target == "./":
        relative_target = "./"
    return f"{relative_target}#{anchor}" if anchor else relative_target


# -- who makes which page: two sources for one URL are an error, never a silent overwrite ----


@dataclass(frozen=True)
class PageSource:
    """One file the site will hold and what makes it: a content item, the engine, a docs file."""

    page: str  # docs-relative path, e.g. ``entities/network.md``
    path: str  # the file to change (``""``: made by litreview itself)
    line: int
    what: str  # for messages: "entity 'network'", "the network diagram"


HAND_WRITTEN = "the hand-written page"
ENGINE_PAGES = {
    "papers/index.md": "the list of papers",
    "entities/index.md": "the list of entities",
    "entities/network.md": "the network diagram",
    "claims/index.md": "the list of claims",
    "audit/index.md": "the list of audit findings",
    "events/index.md": "the timeline",
    "statistics/index.md": "the list of statistics",
    "extraction/index.md": "the extraction table",
    "references/index.md": "the bibliography",
    "works/index.md": "the list of works",
    "works/recent.md": "the recently added works",
    "themes/index.md": "the theme tree",
    "synthesis/index.md": "the synthesis matrix",
    "appraisal/index.md": "the list of appraisals",
    "gap-map/index.md": "the list of evidence gap maps",
    "glossary.md": "the glossary",
    "changelog.md": "the changelog",
    "maintainers/schema.md": "the schema reference",
    "report.md": "the build report",
    "references/exports/library.bib": "the BibTeX export",
    "references/exports/library.ris": "the RIS export",
    "references/exports/library.json": "the CSL-JSON export",
}


def site_pages(review: Review, kinds: Sequence[Kind]) -> list[PageSource]:
    """Every page the engine makes (``render_site``), with what makes it."""
    found = [PageSource(page, "", 0, what) for page, what in ENGINE_PAGES.items()]
    by_name = {kind.name: kind for kind in kinds}

    def item(kind: str, ident: str, page: str, what: str, *key_path: str | int) -> None:
        source = review.sources.get((kind, ident))
        if source is not None:
            line = source.line_of(key_path or (by_name[kind].own_key,))
            found.append(PageSource(page, source.path, line, what))

    def paper_page(paper_id: str, part: str) -> str:
        return by_name["papers"].page(paper_id, part)

    for paper_id, paper in review.papers.items():
        for part in ("index", "source-map"):
            item("papers", paper_id, paper_page(paper_id, part), f"paper '{paper_id}'")
        if paper_id in review.footnotes:
            item("footnotes", paper_id, paper_page(paper_id, "notes"), f"notes of '{paper_id}'")
        if paper_id in review.reflists:
            page = paper_page(paper_id, "reference-list")
            item("reflists", paper_id, page, f"reference list of '{paper_id}'")
        if paper.argument is None:
            continue
        for part in ("argument", "evidence", "matrix", "map"):
            item("papers", paper_id, paper_page(paper_id, part), f"paper '{paper_id}'")
        for i, framework in enumerate(paper.argument.frameworks):
            where: tuple[str | int, ...] = ("argument", "frameworks", i)
            page = paper_page(paper_id, f"framework-{framework.id}")
            item("papers", paper_id, page, f"framework '{framework.id}'", *where, "id")
            for j, dimension in enumerate(framework.dimensions):
                page = paper_page(paper_id, f"dimension-{dimension.id}")
                inner = (*where, "dimensions", j, "id")
                item("papers", paper_id, page, f"dimension '{dimension.id}'", *inner)
    for kind in kinds:
        if kind.per_paper or kind.name == "papers" or kind.pages is None or not kind.item_pages:
            continue
        for ident in review.of(kind.name):
            item(kind.name, ident, kind.page(ident), f"{kind.singular} '{ident}'")
    bibliography = review.bibliography
    found += [  # line 0: a page made from the whole content of a kind (the PRISMA diagram)
        PageSource(page, bibliography.path if line else "", line, what)
        for kind in kinds
        for page, what, line in kind.derived_pages(review)
    ]
    for key, entry in bibliography.entries.items():
        found.append(
            PageSource(reference_page(key), bibliography.path, entry.line, f"entry '{key}'")
        )
    return found


def docs_pages(docs: Path, docs_rel: str = "docs") -> list[PageSource]:
    """The files of the hand-written docs folder (MkDocs leaves out hidden ones)."""
    if not docs.is_dir():
        return []
    found = []
    for path in sorted(docs.rglob("*")):
        relative = path.relative_to(docs).as_posix()
        if any(part.startswith(".") for part in relative.split("/")) or path.is_dir():
            continue
        found.append(PageSource(relative, f"{docs_rel}/{relative}", 1, HAND_WRITTEN))
    return found


def review_collisions(
    review: Review,
    docs: Path,
    kinds: Sequence[Kind],
    docs_rel: str = "docs",
    *,
    directory_urls: bool = True,
) -> list[ContentError]:
    """What ``litreview check`` and the build both run: content, engine and docs pages."""
    sources = site_pages(review, kinds) + docs_pages(docs, docs_rel)
    return page_collisions(sources, directory_urls=directory_urls)


def page_collisions(
    sources: list[PageSource], *, directory_urls: bool = True
) -> list[ContentError]:
    """An error for every source whose output file another source already makes.

    The engine's own pages come first, then content, then hand-written pages: the error is
    reported where the fix is made.
    """
    owners: dict[str, PageSource] = {}
    errors = []
    for source in sorted(sources, key=lambda s: (bool(s.path), s.what == HAND_WRITTEN)):
        output = _output_file(source.page, directory_urls=directory_urls)
        owner = owners.setdefault(output, source)
        if owner is source or owner == source:
            continue
        by = f"{owner.what} ({owner.path}:{owner.line})" if owner.path else f"{owner.what}"
        url = output.removesuffix("index.html") if directory_urls else output
        errors.append(
            ContentError(
                source.path,
                source.line,
                f"{source.what} would be published at '{url or '/'}', where {by} already is"
                + ("" if owner.path else " (made by litreview)"),
                hint=(
                    "rename or move this page"
                    if source.what == HAND_WRITTEN
                    else "rename one of the two"
                    if owner.path
                    else "rename it: litreview's own pages take names such as 'index'"
                ),
            )
        )
    return errors


def _output_file(page: str, *, directory_urls: bool) -> str:
    if not page.endswith(".md"):
        return page
    url = page_url(page, directory_urls=directory_urls)
    return url + "index.html" if url.endswith("/") or not url else url
