"""Footnotes: one file per paper, each note resolved to bibliography entries."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from macros.content.checks import Checker
from macros.content.errors import ContentError
from macros.content.kind import Cited, Kind, Quotation
from macros.content.model import Footnote, Footnotes, Paper
from macros.content.review import Review
from macros.content.yamlload import KeyPath
from macros.pages.render import GeneratedPage, Site


def check(checker: Checker, paper_id: str, notes: Footnotes) -> Iterator[ContentError]:
    review = checker.review
    paper, problems = checker.paper("footnotes", paper_id, paper_id)
    yield from problems
    if paper is None:
        return
    numbers: set[int] = set()
    for i, note in enumerate(notes.notes):
        loc: KeyPath = ("notes", i)
        if note.number in numbers:
            yield checker.error(
                "footnotes", paper_id, (*loc, "number"), f"footnote {note.number} appears twice"
            )
        numbers.add(note.number)
        yield from checker.location("footnotes", paper_id, (*loc, "where"), paper, note.where)
        for j, cite in enumerate(note.cites):
            yield from checker.key("footnotes", paper_id, (*loc, "cites", j, "key"), cite.key)
        if note.ibid_of is not None and (
            note.ibid_of >= note.number or review.footnote(paper_id, note.ibid_of) is None
        ):
            yield checker.error(
                "footnotes",
                paper_id,
                (*loc, "ibid_of"),
                f"'ibid_of: {note.ibid_of}' must name an earlier footnote",
            )
        yield from checker.ids("footnotes", paper_id, (*loc, "audit"), note.audit, "audit")


def cites(_review: Review, notes: Footnotes) -> Iterator[Cited]:
    for i, note in enumerate(notes.notes):
        for j, cite in enumerate(note.cites):
            yield Cited(("notes", i, "cites", j, "key"), cite.key, cite.locator, note.printed)


def quotations(notes: Footnotes) -> Iterator[Quotation]:
    for i, note in enumerate(notes.notes):
        yield Quotation(("notes", i, "printed"), note.printed)


def url(paper_id: str, _part: str = "index") -> str:
    return f"papers/{paper_id}/notes.md"


def pages(site: Site, paper: Paper) -> dict[str, GeneratedPage]:
    here = url(paper.id)
    rows = [_note_row(site, here, paper, note) for note in site.review.footnotes[paper.id].notes]
    source = site.source("footnotes", paper.id)
    return {here: site.page("paper_notes.md.j2", here, source, paper=paper, rows=rows)}


def _note_row(site: Site, here: str, paper: Paper, note: Footnote) -> dict[str, Any]:
    section = next(s for s in paper.sections if s.id == note.where.section)
    gist = (
        section.paragraphs[note.where.paragraph - 1].gist
        if note.where.paragraph
        else section.heading
    )
    context = f"Note {note.number} of {paper.title}: {gist}"
    return {
        "note": note,
        "section": section,
        "refs": site.cite_all(here, [(c.key, c.locator) for c in note.cites], context),
    }


KIND = Kind(
    name="footnotes",
    model=Footnotes,
    singular="footnotes file",
    label="Footnotes",
    schema_name="footnotes",
    per_paper=True,
    check=check,
    cites=cites,
    quotations=quotations,
    url=url,
    pages=pages,
)
