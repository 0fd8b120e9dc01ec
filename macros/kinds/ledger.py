"""The screening ledger read as one: every record, where it is, and every PRISMA count.

Built once per review (in time linear in the number of records) from ``content/searches/``
and ``content/screening/``. No count is ever typed: a search's ``records`` is checked against
the records that list it, and every box of the PRISMA 2020 flow diagram is a list of records.

Arms: a record belongs to the databases-and-registers arm if one of its searches is a database
or a register, else to the other-methods arm (websites, organisations, citation searching),
else to the previous-studies arm. Duplicates (``duplicate_of``) and the second and later
searches of a record count as duplicates removed: identified = sum of the searches' records =
duplicates removed + records kept.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from macros.content.model import ScreenedRecord, ScreeningBatch, ScreeningDecision, Search
from macros.content.review import Review

TITLE_ABSTRACT = "title-abstract"
FULL_TEXT = "full-text"
SCREENING = "screening"  # PRISMA's phases: records screened ...
ELIGIBILITY = "eligibility"  # ... and reports assessed for eligibility


@dataclass(frozen=True)
class Stage:
    """A screening stage as the ledger reads it: its id, label and PRISMA phase."""

    id: str
    label: str
    phase: str


DEFAULT_STAGES = (
    Stage(TITLE_ABSTRACT, "Title abstract", SCREENING),
    Stage(FULL_TEXT, "Full text", ELIGIBILITY),
)
STAGES = tuple(s.id for s in DEFAULT_STAGES)


def stages_of(review: Review) -> tuple[Stage, ...]:
    """The review's stages in order (``content/stages/``), else title-abstract and full-text."""
    declared = review.of("stages")
    if not declared:
        return DEFAULT_STAGES
    ordered = sorted(declared.values(), key=lambda s: (s.order, s.id))
    return tuple(Stage(s.id, s.label, s.phase) for s in ordered)


def listing(names: Sequence[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    return " or ".join(names) if len(names) < 3 else f"{', '.join(names[:-1])} or {names[-1]}"


MAIN_TYPES = frozenset({"database", "register"})
OTHER_TYPES = frozenset({"website", "organisation", "citation-searching", "other"})
PREVIOUS = "previous-studies"


@dataclass(frozen=True)
class Ref:
    """A record's place: its ledger file (batch id) and its index in the file's records."""

    batch: str
    index: int


@dataclass(frozen=True)
class Decided:
    """A decision with the file's defaults filled in."""

    decision: str
    reason: str | None
    reviewer: str | None
    date: str | None
    note: str | None = None


IDENTIFIERS = ("id", "key", "doi", "openalex", "pmid", "arxiv", "url")


def identifiers(record: ScreenedRecord) -> Iterator[str]:
    for name in IDENTIFIERS:
        value = getattr(record, name)
        if value:
            yield value.lower() if name == "doi" else value


def decision_of(batch: ScreeningBatch, record: ScreenedRecord, stage: str) -> Decided | None:
    given = record.decisions.get(stage)
    if given is None:
        return None
    if isinstance(given, ScreeningDecision):
        return Decided(
            given.decision,
            given.reason,
            given.reviewer or batch.reviewer,
            str(given.date or batch.date or "") or None,
            given.note,
        )
    return Decided(given, None, batch.reviewer, str(batch.date) if batch.date else None)


@dataclass
class Ledger:
    """Every record of the ledger, its resolution, and the PRISMA boxes as lists of records."""

    searches: dict[str, Search]
    batches: dict[str, ScreeningBatch]
    stages: tuple[Stage, ...] = DEFAULT_STAGES
    found: Counter[str] = field(default_factory=Counter)  # search id -> records listing it
    by_handle: dict[str, list[Ref]] = field(default_factory=lambda: defaultdict(list))
    kept_by_ident: dict[str, list[Ref]] = field(default_factory=lambda: defaultdict(list))
    boxes: dict[str, list[Ref]] = field(default_factory=lambda: defaultdict(list))
    reasons: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    # box -> stage id -> reason -> records: the exclusions of each stage of the box's phase
    stage_reasons: dict[str, dict[str, Counter[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(Counter))
    )
    arms: set[str] = field(default_factory=set)

    def phase(self, phase: str) -> tuple[Stage, ...]:
        return tuple(s for s in self.stages if s.phase == phase)

    def record(self, ref: Ref) -> ScreenedRecord:
        return self.batches[ref.batch].records[ref.index]

    def all_refs(self) -> Iterator[Ref]:
        for ident, batch in self.batches.items():
            for i in range(len(batch.records)):
                yield Ref(ident, i)

    def resolve(self, target: str) -> list[Ref]:
        """The kept records ``duplicate_of: target`` may mean: by id, else by an identifier."""
        if target in self.by_handle:
            return self.by_handle[target]
        return self.kept_by_ident.get(target.lower() if target.startswith("10.") else target, [])

    def arm(self, record: ScreenedRecord) -> str:
        types = {self.searches[s].type for s in record.found_by if s in self.searches}
        if types & MAIN_TYPES:
            return "main"
        if types & OTHER_TYPES:
            return "other"
        if PREVIOUS in types:
            return "previous"
        return "main"  # unknown searches only: an error elsewhere; counted in the main arm

    def count(self, box: str) -> int:
        return len(self.boxes.get(box, []))


_MEMO: dict[int, tuple[Any, Ledger]] = {}


def build(review: Review) -> Ledger:
    """The ledger of a review, built once per loaded review."""
    known = _MEMO.get(id(review))
    stages = stages_of(review)
    if (
        known is not None
        and known[0] is review.of("screening")
        and known[1].searches is (review.of("searches"))
        and known[1].stages == stages
    ):
        return known[1]
    ledger = _build(review.of("searches"), review.of("screening"), stages)
    _MEMO.clear()
    _MEMO[id(review)] = (review.of("screening"), ledger)
    return ledger


def _build(
    searches: dict[str, Search],
    batches: dict[str, ScreeningBatch],
    stages: tuple[Stage, ...] = DEFAULT_STAGES,
) -> Ledger:
    ledger = Ledger(searches, dict(sorted(batches.items())), stages)
    for ref in ledger.all_refs():
        record = ledger.record(ref)
        for search in record.found_by:
            ledger.found[search] += 1
        if record.id:
            ledger.by_handle[record.id].append(ref)
        if record.duplicate_of is None:
            for ident in identifiers(record):
                ledger.kept_by_ident[ident].append(ref)
    for ref in ledger.all_refs():
        _place(ledger, ref)
    return ledger


def _place(ledger: Ledger, ref: Ref) -> None:
    """Put one record in the boxes it belongs to."""
    record = ledger.record(ref)
    arm = ledger.arm(record)
    ledger.arms.add(arm)
    prefix = "" if arm == "main" else f"{arm}-"
    for search in record.found_by:
        kind = ledger.searches[search].type if search in ledger.searches else "database"
        ledger.boxes[f"identified-{kind}"].append(ref)
        ledger.boxes[f"search:{search}"].append(ref)
    ledger.boxes[f"{prefix}identified"].append(ref)
    if record.duplicate_of is not None or len(record.found_by) > 1:
        ledger.boxes[f"{prefix}duplicates"].append(ref)
    if record.duplicate_of is not None:
        return
    if arm == "previous":
        ledger.boxes["previous-included"].append(ref)
        ledger.boxes["included"].append(ref)
        return
    if arm == "main":
        ledger.boxes["screened"].append(ref)
        if not _passes(ledger, ref, SCREENING, ""):
            return
    ledger.boxes[f"{prefix}sought"].append(ref)
    if record.retrieval == "not-retrieved":
        ledger.boxes[f"{prefix}not-retrieved"].append(ref)
        return
    ledger.boxes[f"{prefix}assessed"].append(ref)
    if _passes(ledger, ref, ELIGIBILITY, prefix):
        ledger.boxes[f"{prefix}included"].append(ref)
        if prefix:
            ledger.boxes["included"].append(ref)


def _passes(ledger: Ledger, ref: Ref, phase: str, prefix: str) -> bool:
    """Whether a record passes every stage of a phase, in order; if not, the box it stays in
    (awaiting a decision, or excluded with its reason)."""
    batch = ledger.batches[ref.batch]
    record = ledger.record(ref)
    awaiting, excluded = (
        ("awaiting-screening", "excluded-screening")
        if phase == SCREENING
        else (f"{prefix}awaiting-assessment", f"{prefix}excluded-full-text")
    )
    for stage in ledger.phase(phase):
        decided = decision_of(batch, record, stage.id)
        if decided is None or (phase == ELIGIBILITY and decided.decision == "maybe"):
            ledger.boxes[awaiting].append(ref)
            return False
        if decided.decision == "exclude":
            _exclude(ledger, excluded, stage, decided, ref)
            return False
    return True


def _exclude(ledger: Ledger, box: str, stage: Stage, decided: Decided, ref: Ref) -> None:
    ledger.boxes[box].append(ref)
    ledger.reasons[box][decided.reason or ""] += 1
    ledger.stage_reasons[box][stage.id][decided.reason or ""] += 1


def counts(ledger: Ledger) -> dict[str, int]:
    """Every number of the diagram. Identified counts a record once per search that found it;
    duplicates removed are the identified less the records kept."""
    out = {box: len(refs) for box, refs in ledger.boxes.items() if not box.startswith("search:")}
    for search in ledger.searches:
        out[f"search:{search}"] = ledger.found[search]
    for arm, prefix, kept in (
        ("main", "", "screened"),
        ("other", "other-", "other-sought"),
        ("previous", "previous-", "previous-included"),
    ):
        found = sum(
            ledger.found[s]
            for s, search in ledger.searches.items()
            if _arm_of_type(search.type) == arm
        )
        out[f"{prefix}identified"] = found
        out[f"{prefix}duplicates"] = found - out.get(kept, 0)
    return out


def _arm_of_type(kind: str) -> str:
    if kind in MAIN_TYPES:
        return "main"
    return "other" if kind in OTHER_TYPES else "previous"
