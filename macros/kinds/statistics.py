"""Statistics: numbers a paper uses, with their exact wording and what backs them."""

from __future__ import annotations

from collections.abc import Iterator

from macros.content.checks import Checker
from macros.content.errors import ContentError
from macros.content.kind import Cited, Kind, Quotation
from macros.content.model import Statistic
from macros.content.review import Review
from macros.pages.render import GeneratedPage, Site


def check(checker: Checker, ident: str, statistic: Statistic) -> Iterator[ContentError]:
    paper, problems = checker.owning_paper("statistics", ident, statistic.paper, statistic.where)
    yield from problems
    if paper is None:
        return
    yield from checker.evidence("statistics", ident, paper, statistic.evidence)
    yield from checker.ids(
        "statistics", ident, ("conflicts_with",), statistic.conflicts_with, "statistics"
    )
    yield from checker.ids("statistics", ident, ("claims",), statistic.claims, "claims")


def cites(review: Review, statistic: Statistic) -> Iterator[Cited]:
    for i, evidence in enumerate(statistic.evidence):
        for key, locator in review.evidence_refs(statistic.paper, evidence):
            yield Cited(("evidence", i), key, locator, statistic.measures)


def quotations(statistic: Statistic) -> Iterator[Quotation]:
    yield Quotation(("wording",), statistic.wording)


def pages(site: Site) -> dict[str, GeneratedPage]:
    review = site.review
    out: dict[str, GeneratedPage] = {}
    for statistic in review.statistics.values():
        here = KIND.page(statistic.id)
        out[here] = site.page(
            "statistic.md.j2",
            here,
            site.source("statistics", statistic.id),
            statistic=statistic,
            paper=review.papers[statistic.paper],
            evidence=site.evidence_rows(
                here, statistic.paper, statistic.evidence, statistic.measures
            ),
        )
    ordered = sorted(
        review.statistics.values(),
        key=lambda s: (
            s.paper,
            site.section_order(s.paper, s.where.section),
            s.where.paragraph or 0,
            s.id,
        ),
    )
    out["statistics/index.md"] = site.page(
        "statistics_index.md.j2",
        "statistics/index.md",
        "content/statistics",
        statistics=ordered,
    )
    return out


KIND = Kind(
    name="statistics",
    model=Statistic,
    singular="statistic",
    label="Statistics",
    schema_name="statistic",
    check=check,
    cites=cites,
    quotations=quotations,
    pages=pages,
)
