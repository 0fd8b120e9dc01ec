"""Views computed from the argument: evidence profiles, the verdict matrix, the argument map.

Pure functions of the review; templates only print what these return.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from macros.bibliography.bibtex import source_keyword
from macros.content.model import Claim, Entity, Paper, Verdict
from macros.content.review import Review

# Source kinds, from each entry's ``keywords = {source:...}``; the order is the display order.
SOURCE_KINDS = {
    "own-org": "The studied organisation's own publications",
    "government": "Government",
    "academic": "Academic",
    "news": "News media",
    "un-ngo": "Other UN bodies and NGOs",
    "law": "Law",
    "religious": "Religious texts",
    "unclassified": "Unclassified",
}


def source_kind(review: Review, key: str) -> str:
    kind = source_keyword(review.bibliography.entries.get(key))
    return kind if kind in SOURCE_KINDS else "unclassified"


def claim_keys(review: Review, claim: Claim) -> list[str]:
    """The bibliography keys a claim rests on, through its footnotes or directly, in order."""
    keys = [key for item in claim.evidence for key, _ in review.evidence_refs(claim.paper, item)]
    return list(dict.fromkeys(keys))


@dataclass(frozen=True)
class Profile:
    """How many sources of each kind and language back a set of claims."""

    kinds: list[tuple[str, str, int]]  # (kind id, label, count), every kind, display order
    languages: list[tuple[str, int]]
    sources: int
    unsourced: int  # evidence items that say explicitly that nothing backs the claim

    @property
    def largest(self) -> int:
        return max([n for _, _, n in self.kinds] + [1])


def evidence_profile(review: Review, claims: list[Claim], languages_of: dict[str, str]) -> Profile:
    keys = list(dict.fromkeys(k for c in claims for k in claim_keys(review, c)))
    kinds = Counter(source_kind(review, k) for k in keys)
    languages = Counter(languages_of.get(k, "unknown") for k in keys)
    unsourced = sum(1 for c in claims for e in c.evidence if e.unsourced is not None)
    return Profile(
        kinds=[(kind, label, kinds.get(kind, 0)) for kind, label in SOURCE_KINDS.items()],
        languages=sorted(languages.items(), key=lambda item: (-item[1], item[0])),
        sources=len(keys),
        unsourced=unsourced,
    )


def paper_footnote_profile(review: Review, paper: Paper) -> Counter[str]:
    """Citations (footnote → entry) of a paper per source kind: how much each kind is leaned on."""
    notes = review.footnotes.get(paper.id)
    return Counter(
        source_kind(review, c.key) for n in (notes.notes if notes else []) for c in n.cites
    )


@dataclass
class MatrixCell:
    claims: list[Claim] = field(default_factory=list)
    programs: list[Entity] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)

    @property
    def sources(self) -> int:
        return sum(self.kinds.values())


@dataclass(frozen=True)
class Matrix:
    rows: list[tuple[str, str]]  # (category id, name); "" is claims without a category
    columns: list[tuple[str, str]]  # (dimension id, name)
    cells: dict[tuple[str, str], MatrixCell]
    verdicts: dict[str, Verdict]


def verdict_matrix(review: Review, paper: Paper) -> Matrix:
    """Categories x dimensions; each cell lists the claims and programs that speak to it."""
    argument = paper.argument
    if argument is None:
        return Matrix([], [], {}, {})
    rows = [(c.id, c.name) for c in argument.categories] + [("", "No category")]
    columns = [(d.id, d.name) for f in argument.frameworks for d in f.dimensions]
    cells = {(r, c): MatrixCell() for r, _ in rows for c, _ in columns}
    for claim in (c for c in review.claims.values() if c.paper == paper.id):
        for row in claim.categories or [""]:
            for column in claim.dimensions:
                cell = cells[(row, column)]
                cell.claims.append(claim)
                cell.kinds.update(source_kind(review, k) for k in claim_keys(review, claim))
                for entity_id in claim.entities:
                    entity = review.entities.get(entity_id)
                    if entity and entity.type == "program" and entity not in cell.programs:
                        cell.programs.append(entity)
    verdicts = {v.dimension: v for v in argument.verdicts}
    return Matrix(rows, columns, cells, verdicts)
