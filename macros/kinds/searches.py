"""Searches: each database, register or other method searched, with its date, query and the
number of records it returned; the screening ledger must list exactly as many records found by
it. One page lists every search; each search's page lists its records."""

from __future__ import annotations

from collections.abc import Iterator

from macros.content.checks import Checker
from macros.content.errors import ContentError
from macros.content.kind import Kind
from macros.content.model import Search
from macros.content.review import Review
from macros.kinds import ledger as ledgers
from macros.kinds import prisma
from macros.pages.render import GeneratedPage, Site


def check(checker: Checker, ident: str, search: Search) -> Iterator[ContentError]:
    ledger = ledgers.build(checker.review)
    listed = ledger.found[ident]
    # A ledger file with errors of its own is not loaded: its records cannot be counted.
    if listed != search.records and not _broken_batches(checker):
        refs = ledger.boxes.get(f"search:{ident}", [])
        files = sorted({checker.review.sources[("screening", r.batch)].path for r in refs})
        where = f" ({', '.join(files)})" if files else ""
        yield checker.error(
            "searches",
            ident,
            ("records",),
            f"search '{ident}' returned {search.records} records but the ledger lists "
            f"{listed} found by it{where}",
            "the ledger must list every record the search returned: add the missing records "
            "(duplicates with duplicate_of) or correct its number",
        )


def _broken_batches(checker: Checker) -> set[str]:
    return {ident for kind, ident in checker.review.broken if kind == "screening"}


def derived_pages(_review: Review) -> Iterator[tuple[str, str, int]]:
    yield "searches/index.md", "the list of searches", 0


def pages(site: Site) -> dict[str, GeneratedPage]:
    """Each search's page and the index (which, in a new review, says how to add one)."""
    review = site.review
    ledger = ledgers.build(review)
    out: dict[str, GeneratedPage] = {}
    for ident, search in review.of("searches").items():
        here = f"searches/{ident}.md"
        out[here] = site.page(
            "search.md.j2",
            here,
            site.source("searches", ident),
            search=search,
            listed=ledger.found[ident],
            table=prisma.record_table(site, here, ledger, ledger.boxes[f"search:{ident}"]),
        )
    out["searches/index.md"] = site.page(
        "searches_index.md.j2",
        "searches/index.md",
        "content/searches",
        searches=sorted(review.of("searches").values(), key=lambda s: (str(s.date), s.id)),
        listed=ledger.found,
    )
    return out


KIND = Kind(
    name="searches",
    model=Search,
    singular="search",
    label="Searches",
    schema_name="search",
    check=check,
    pages=pages,
    derived_pages=derived_pages,
)
