"""Events: dated events a paper reports, on a timeline."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from macros.content.checks import Checker
from macros.content.errors import ContentError
from macros.content.kind import Cited, Kind
from macros.content.model import Event
from macros.content.review import Review
from macros.pages import timeline
from macros.pages.labels import short_label
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
    here = "events/index.md"
    flagged = {e.id: flags_of(review, e) for e in events}
    bands = list({f.key: f for flags in flagged.values() for f in flags}.values())
    bands.sort(key=lambda f: (f.paper, f.start or "", f.key))
    spans = [
        timeline.Span(
            ident=e.id,
            title=e.title,
            label=short_label(e.title, words=8, chars=timeline.LABEL_CHARS),
            start=e.date,
            end=e.end_date or e.date,
            when=e.date + (f" \u2013 {e.end_date}" if e.end_date else ""),
            href=site.href(here, KIND.page(e.id)),
            group=e.paper,
            flags=tuple(f.key for f in flagged[e.id]),
        )
        for e in events
    ]
    svg = timeline.svg(
        spans,
        [
            timeline.Band(
                f.key, f"{site.paper_label(f.paper)}: {f.short} ({f.span})", f.text, f.start, f.end
            )
            for f in bands
        ],
        "Events by date, with the spans the audit flags",
    )
    out[here] = site.page(
        "timeline.md.j2",
        here,
        "content/events",
        rows=[(e, flagged[e.id]) for e in events],
        bands=[(f, sum(f in flags for flags in flagged.values())) for f in bands],
        svg=svg,
    )
    return out


def date_bounds(partial: str) -> tuple[str, str]:
    """``2021`` -> (2021-01-01, 2021-12-31); ``2021-07`` -> (2021-07-01, 2021-07-31)."""
    lo = (partial + "-01-01")[:10] if len(partial) == 4 else (partial + "-01")[:10]
    hi = (partial + "-12-31")[:10] if len(partial) == 4 else (partial + "-31")[:10]
    return lo, hi


@dataclass(frozen=True)
class Flag:
    """Why an event sits badly with its paper, and the span of time that is flagged."""

    key: str  # one per paper and kind of flag
    paper: str
    short: str  # "before the period studied"
    span: str  # the paper's own dates: "2020-03 \u2013 2021-12"
    text: str  # the full wording, with the paper's own dates
    start: str | None  # the flagged span (None: open-ended)
    end: str | None


def flags_of(review: Review, event: Event) -> list[Flag]:
    """The flags of one event: outside its paper's stated period, after its publication."""
    paper = review.papers[event.paper]
    first, _ = date_bounds(event.date)
    _, last = date_bounds(event.end_date or event.date)
    published = paper.published or str(paper.year)
    flags = []
    if first > date_bounds(published)[1]:
        flags.append(
            Flag(
                f"{paper.id}-after-publication",
                paper.id,
                "after publication",
                published,
                f"after the paper's publication ({published})",
                _next_day(date_bounds(published)[1]),
                None,
            )
        )
    if paper.period is not None:
        stated = paper.period.as_stated
        span = f"{paper.period.start} \u2013 {paper.period.end}"
        if last < date_bounds(paper.period.start)[0]:
            flags.append(
                Flag(
                    f"{paper.id}-before-period",
                    paper.id,
                    "before the period studied",
                    span,
                    f"before the period the paper studies ({stated})",
                    None,
                    _previous_day(date_bounds(paper.period.start)[0]),
                )
            )
        elif first > date_bounds(paper.period.end)[1]:
            flags.append(
                Flag(
                    f"{paper.id}-after-period",
                    paper.id,
                    "after the period studied",
                    span,
                    f"after the period the paper studies ({stated})",
                    _next_day(date_bounds(paper.period.end)[1]),
                    None,
                )
            )
    return flags


def _next_day(iso: str) -> str:
    return (timeline.iso_day(iso, last=True) + datetime.timedelta(days=1)).isoformat()


def _previous_day(iso: str) -> str:
    return (timeline.iso_day(iso, last=False) - datetime.timedelta(days=1)).isoformat()


def event_flags(review: Review, event: Event) -> list[str]:
    """Why an event sits badly with its paper: outside its stated period, after publication."""
    return [flag.text for flag in flags_of(review, event)]


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
