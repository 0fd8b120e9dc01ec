"""The screening ledger: ``content/screening/*.yaml``, each file a batch of records (one line
each) with the searches that found them, duplicates and decisions by stage. Every PRISMA count
is derived from it (``ledger.py``); a ledger that does not add up is an error with its line.
Its pages: the PRISMA 2020 flow diagram and one list of records per box (``prisma.py``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from macros.content.checks import Checker
from macros.content.errors import ContentError, did_you_mean
from macros.content.kind import Found, Kind
from macros.content.model import ScreeningBatch
from macros.content.review import Review
from macros.kinds import ledger as ledgers
from macros.kinds import prisma
from macros.kinds.ledger import ELIGIBILITY, SCREENING, Decided, Ref, decision_of, listing


def check(checker: Checker, ident: str, batch: ScreeningBatch) -> Iterator[ContentError]:
    ledger = ledgers.build(checker.review)

    def error(i: int, loc: tuple[str | int, ...], message: str, hint: str = "") -> ContentError:
        return checker.error("screening", ident, ("records", i, *loc), message, hint)

    for i, record in enumerate(batch.records):
        if not any(ledgers.identifiers(record)) and not record.title:
            yield error(
                i,
                (),
                "a record needs an identifier",
                "give doi, openalex, pmid, arxiv, url, key (its bibliography entry), id or title",
            )
        yield from _found_by(checker, ident, i, record.found_by)
        if record.id and len(ledger.by_handle[record.id]) > 1:
            yield error(i, ("id",), f"record id '{record.id}' is used by another record")
        yield from _duplicate(ledger, error, i, Ref(ident, i))
        yield from _reasons(checker, ident, batch, i, error)
        yield from _stages(checker, ledger, ident, batch=batch, i=i, error=error)


def _found_by(checker: Checker, ident: str, i: int, found_by: list[str]) -> Iterator[ContentError]:
    searches = checker.review.of("searches")
    seen: set[str] = set()
    for j, search in enumerate(found_by):
        loc = ("records", i, "found_by", j)
        if search in seen:
            yield checker.error("screening", ident, loc, f"search '{search}' is listed twice")
        seen.add(search)
        if search not in searches and ("searches", search) not in checker.review.broken:
            yield checker.error(
                "screening",
                ident,
                loc,
                f"unknown search id '{search}'",
                f"create content/searches/{search}.yaml or fix the id",
                suggestion=did_you_mean(search, searches),
            )


def _reasons(
    checker: Checker,
    ident: str,
    batch: ScreeningBatch,
    i: int,
    error: Callable[..., ContentError],
) -> Iterator[ContentError]:
    reasons = checker.review.of("reasons")
    record = batch.records[i]
    stages = [s.id for s in ledgers.stages_of(checker.review)]
    declared = " (the stages of content/stages/)" if checker.review.of("stages") else ""
    for stage in record.decisions:
        if stage not in stages:
            yield checker.error(
                "screening",
                ident,
                ("records", i, "decisions", stage),
                f"unknown screening stage '{stage}'",
                f"use {listing(stages)}{declared}",
                suggestion=did_you_mean(stage, stages),
            )
        decided = decision_of(batch, record, stage)
        if decided is None or decided.reason is None:
            continue
        broken = ("reasons", decided.reason) in checker.review.broken
        if decided.reason not in reasons and not broken:
            yield checker.error(
                "screening",
                ident,
                ("records", i, "decisions", stage, "reason"),
                f"exclusion reason '{decided.reason}' is not in the review's vocabulary",
                f"create content/reasons/{decided.reason}.yaml or use a listed reason",
                suggestion=did_you_mean(decided.reason, reasons),
            )
        if decided.decision != "exclude":
            yield error(i, ("decisions", stage, "reason"), "only an exclusion has a reason")


def _stages(
    checker: Checker,
    ledger: ledgers.Ledger,
    ident: str,
    *,
    batch: ScreeningBatch,
    i: int,
    error: Callable[..., ContentError],
) -> Iterator[ContentError]:
    """Decisions follow the stages' order: none after an exclusion, none before an earlier
    stage's decision (records of other methods skip screening), none on a report not
    retrieved; retrieval only of records passing every screening stage."""
    record = batch.records[i]
    main = ledger.arm(record) == "main"
    decided = [(stage, decision_of(batch, record, stage.id)) for stage in ledger.stages]
    excluded: str | None = None
    missing: str | None = None
    for stage, decision in decided:
        if decision is not None:
            if excluded is not None:
                yield error(
                    i,
                    ("decisions", stage.id),
                    f"{_a(stage.id)} decision on a record excluded at {excluded}",
                    "an excluded record is not sought: remove one of the two",
                )
            elif missing is not None:
                yield error(
                    i,
                    ("decisions", stage.id),
                    f"{_a(stage.id)} decision on a record never screened at {missing}",
                    f"add its {missing} decision",
                )
        if decision is None:
            if main or stage.phase != SCREENING:
                missing = missing or stage.id
        elif decision.decision == "exclude":
            excluded = excluded or stage.id
    assessed = [(s, d) for s, d in decided if s.phase == ELIGIBILITY and d is not None]
    if assessed:
        if record.retrieval == "not-retrieved":
            yield error(
                i,
                ("retrieval",),
                f"{_a(assessed[0][0].id)} decision on a record whose report was not retrieved",
            )
        bibliography = checker.review.bibliography.entries
        last = assessed[-1][1]
        if last.decision == "include" and record.key and record.key not in bibliography:
            yield from checker.key("screening", ident, ("records", i, "key"), record.key)
    screening = [(s, d) for s, d in decided if s.phase == SCREENING]
    failed = next((s.id for s, d in screening if _stops(d)), None)
    if record.retrieval is not None and main and failed is not None:
        names = " and ".join(s.id for s, _ in screening)
        yield error(
            i,
            ("retrieval",),
            f"retrieval of a record not included at {failed}",
            f"only records passing {names} screening are sought",
        )


def _a(word: str) -> str:
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def _waits(decided: Decided | None, phase: str) -> bool:
    """No decision yet, or (at eligibility, where a maybe is not passed on) a maybe."""
    return decided is None or (phase == ELIGIBILITY and decided.decision == "maybe")


def _stops(decided: Decided | None) -> bool:
    return decided is None or decided.decision == "exclude"


def _duplicate(
    ledger: ledgers.Ledger, error: Callable[..., ContentError], i: int, ref: Ref
) -> Iterator[ContentError]:
    record = ledger.record(ref)
    if record.duplicate_of is None:
        return
    targets = [t for t in ledger.resolve(record.duplicate_of) if t != ref]
    if not targets:
        yield error(
            i,
            ("duplicate_of",),
            f"duplicate_of '{record.duplicate_of}' points to no kept record",
            "give the id or an identifier of a record that is no duplicate",
        )
    elif len(targets) > 1:
        yield error(
            i,
            ("duplicate_of",),
            f"duplicate_of '{record.duplicate_of}' names {len(targets)} kept records",
            "give the kept record an id and use it",
        )
    elif ledger.record(targets[0]).duplicate_of is not None:
        yield error(
            i,
            ("duplicate_of",),
            f"duplicate_of '{record.duplicate_of}' is itself a duplicate",
            "point to the kept record",
        )
    if record.decisions or record.retrieval:
        yield error(
            i,
            ("decisions",) if record.decisions else ("retrieval",),
            "a duplicate is removed before screening: it has no decisions",
        )


def report(review: Review) -> Iterator[Found]:
    """Records still awaiting a decision, and exclusions that give no reason (PRISMA counts
    full-text exclusions by reason)."""
    ledger = ledgers.build(review)
    for box, phase in (
        ("awaiting-screening", SCREENING),
        ("awaiting-assessment", ELIGIBILITY),
        ("other-awaiting-assessment", ELIGIBILITY),
    ):
        for ref in ledger.boxes.get(box, []):
            batch = ledger.batches[ref.batch]
            record = batch.records[ref.index]
            stage = next(
                (
                    s.id
                    for s in ledger.phase(phase)
                    if _waits(decision_of(batch, record, s.id), phase)
                ),
                phase,
            )
            what = f"awaits its {stage} decision"
            yield Found("screening", ref.batch, ("records", ref.index), f"a record {what}")
    for ref in ledger.all_refs():
        batch = ledger.batches[ref.batch]
        record = batch.records[ref.index]
        for stage in record.decisions:
            decided = decision_of(batch, record, stage)
            if decided is not None and decided.decision == "exclude" and not decided.reason:
                loc = ("records", ref.index, "decisions", stage)
                yield Found("screening", ref.batch, loc, f"an exclusion at {stage} gives no reason")


KIND = Kind(
    name="screening",
    model=ScreeningBatch,
    singular="screening ledger file",
    label="Screening ledger",
    schema_name="screening",
    check=check,
    report=report,
    pages=prisma.pages,
    derived_pages=prisma.derived_pages,
    item_pages=False,
)
