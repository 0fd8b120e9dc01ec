"""Printed reference lists: one file per paper, each line mapped to a bibliography key.

A printed list names keys without citing them: they count as cited only where a page cites them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from macros.content.checks import Checker, normalise
from macros.content.errors import ContentError
from macros.content.kind import Kind
from macros.content.model import Paper, ReferenceList
from macros.pages.render import GeneratedPage, Site


def check(checker: Checker, paper_id: str, reflist: ReferenceList) -> Iterator[ContentError]:
    paper, problems = checker.paper("reflists", paper_id, paper_id)
    yield from problems
    if paper is None:
        return
    for i, entry in enumerate(reflist.entries):
        yield from checker.key("reflists", paper_id, ("entries", i, "key"), entry.key)


def url(paper_id: str, _part: str = "index") -> str:
    return f"papers/{paper_id}/reference-list.md"


def pages(site: Site, paper: Paper) -> dict[str, GeneratedPage]:
    here = url(paper.id)
    reflist = site.review.reflists[paper.id]
    return {
        here: site.page(
            "paper_reflist.md.j2",
            here,
            site.source("reflists", paper.id),
            paper=paper,
            reflist=reflist,
            comparison=_compare(site, reflist.entries),
        )
    }


def _compare(site: Site, entries: list[Any]) -> list[dict[str, Any]]:
    rows = []
    for entry in entries:
        site_line = site.formatted[entry.key].text if entry.key in site.formatted else ""
        same = normalise(site_line, curly_quotes=True) == normalise(
            entry.printed, curly_quotes=True
        )
        rows.append({"entry": entry, "site": site_line, "match": same})
    return rows


KIND = Kind(
    name="reflists",
    model=ReferenceList,
    singular="reference list",
    label="Reference lists",
    schema_name="reflist",
    per_paper=True,
    check=check,
    url=url,
    pages=pages,
)
