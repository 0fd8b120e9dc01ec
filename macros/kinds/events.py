"""Events: dated events a paper reports, on a timeline."""

from __future__ import annotations

from collections.abc import Iterator

from macros.content.checks import Checker
from macros.content.errors import ContentError
from macros.content.kind import Cited, Kind
from macros.content.model import Event
from macros.content.review import Review
from macros.pages.render import GeneratedPage, Site


def check(checker: Checker, ident: str, event: Event) -> Iterator[ContentError]:
    paper, problems = checker.owning_paper("events", ident, event.paper, event.where)
    yield from problems
    if paper is None:
        return
    for name, table in (("actors", "entities"), ("programs", "entities"), ("claims", "claims")):
        yield from checker.ids("events", ident, (name,), getattr(event, name), table)
    yield from checker.sources("events", ident, event.sources)
    if event.end_date is not None and event.end_date < event.date:
        yield checker.error("events", ident, ("end_date",), "end_date is before date")


def cites(_review: Review, event: Event) -> Iterator[Cited]:
    for i, source in enumerate(event.sources):
        yield Cited(("sources", i, "key"), source.key, source.locator, event.title)


def pages(site: Site) -> dict[str, GeneratedPage]:
    review = site.review
    out: dict[str, GeneratedPage] = {}
    events = sorted(review.events.values(), key=lambda e: (e.date, e.id))
    for event in events:
        here = KIND.page(event.id)
        out[here] = site.page(
            "event.md.j2",
            here,
            site.source("events", event.id),
            event=event,
            paper=review.papers[event.paper],
            flags=event_flags(review, event),
            sources=site.cite_item(here, KIND, event),
        )
    out["events/index.md"] = site.page(
        "timeline.md.j2",
        "events/index.md",
        "content/events",
        rows=[(e, event_flags(review, e)) for e in events],
    )
    return out


def date_bounds(partial: str) -> tuple[str, str]:
    """``2021`` -> (2021-01-01, 2021-12-31); ``2021-07`` -> (2021-07-01, 2021-07-31)."""
    lo = (partial + "-01-01")[:10] if len(partial) == 4 else (partial + "-01")[:10]
    hi = (partial + "-12-31")[:10] if len(partial) == 4 else (partial + "-31")[:10]
    return lo, hi


def event_flags(review: Review, event: Event) -> list[str]:
    """Why an event sits badly with its paper: outside its stated period, after publication."""
    paper = review.papers[event.paper]
    first, _ = date_bounds(event.date)
    _, last = date_bounds(event.end_date or event.date)
    published = paper.published or str(paper.year)
    flags = []
    if first > date_bounds(published)[1]:
        flags.append(f"after the paper's publication ({published})")
    if paper.period is not None:
        if last < date_bounds(paper.period.start)[0]:
            flags.append(f"before the period the paper studies ({paper.period.as_stated})")
        elif first > date_bounds(paper.period.end)[1]:
            flags.append(f"after the period the paper studies ({paper.period.as_stated})")
    return flags


KIND = Kind(
    name="events",
    model=Event,
    singular="event",
    label="Events",
    schema_name="event",
    check=check,
    cites=cites,
    pages=pages,
)
