"""Audit findings: problems in a paper, with the exact words and why they matter."""

from __future__ import annotations

from collections.abc import Iterator

from macros.content.checks import Checker
from macros.content.errors import ContentError
from macros.content.kind import Cited, Kind, Quotation
from macros.content.model import AuditFinding
from macros.content.review import Review
from macros.pages.render import GeneratedPage, Site

SEVERITY = {"major": 0, "moderate": 1, "minor": 2}


def check(checker: Checker, ident: str, finding: AuditFinding) -> Iterator[ContentError]:
    paper, problems = checker.owning_paper("audit", ident, finding.paper, finding.where)
    yield from problems
    if paper is None:
        return
    yield from checker.sources("audit", ident, finding.sources)


def cites(_review: Review, finding: AuditFinding) -> Iterator[Cited]:
    for i, source in enumerate(finding.sources):
        yield Cited(("sources", i, "key"), source.key, source.locator, finding.title)


def quotations(finding: AuditFinding) -> Iterator[Quotation]:
    yield Quotation(("quote",), finding.quote)


def pages(site: Site) -> dict[str, GeneratedPage]:
    review = site.review
    out: dict[str, GeneratedPage] = {}
    for finding in review.audit.values():
        here = KIND.page(finding.id)
        out[here] = site.page(
            "audit.md.j2",
            here,
            site.source("audit", finding.id),
            finding=finding,
            paper=review.papers[finding.paper],
            sources=site.cite_item(here, KIND, finding),
            concerned={
                "claims": list(site.index["claims_flagged"].get(finding.id, [])),
                "notes": list(site.index["notes_flagged"].get(finding.id, [])),
            },
        )
    out["audit/index.md"] = site.page(
        "audit_index.md.j2",
        "audit/index.md",
        "content/audit",
        findings=sorted(review.audit.values(), key=lambda f: (SEVERITY[f.severity], f.id)),
    )
    return out


KIND = Kind(
    name="audit",
    model=AuditFinding,
    singular="audit finding",
    label="Audit findings",
    schema_name="audit",
    check=check,
    cites=cites,
    quotations=quotations,
    pages=pages,
)
