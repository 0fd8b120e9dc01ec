"""Claims: what a paper claims, in our words, with what it rests on."""

from __future__ import annotations

from collections.abc import Iterator

from macros.content.checks import Checker
from macros.content.errors import ContentError
from macros.content.kind import Cited, Kind, Quotation
from macros.content.model import Claim, ClaimRelation
from macros.content.review import Review
from macros.pages.render import GeneratedPage, Site


def check(checker: Checker, ident: str, claim: Claim) -> Iterator[ContentError]:
    paper, problems = checker.owning_paper("claims", ident, claim.paper, claim.where)
    yield from problems
    if paper is None:
        return
    argument = paper.argument
    categories = {c.id for c in argument.categories} if argument else set()
    dimensions = {d.id for f in argument.frameworks for d in f.dimensions} if argument else set()
    for name, values, known in (
        ("categories", claim.categories, categories),
        ("dimensions", claim.dimensions, dimensions),
    ):
        for i, value in enumerate(values):
            if value not in known:
                yield checker.error(
                    "claims",
                    ident,
                    (name, i),
                    f"paper '{paper.id}' has no "
                    f"{name[:-1] if name != 'categories' else 'category'} '{value}'",
                    f"use one of: {', '.join(sorted(known)) or '(none defined)'}",
                )
    yield from checker.evidence("claims", ident, paper, claim.evidence)
    for i, relation in enumerate(claim.relations):
        if relation.target == ident:
            yield checker.error(
                "claims", ident, ("relations", i, "target"), "a claim cannot relate to itself"
            )
        else:
            yield from checker.one_id(
                "claims", ident, ("relations", i, "target"), relation.target, "claims"
            )
    yield from checker.ids("claims", ident, ("entities",), claim.entities, "entities")
    yield from checker.ids("claims", ident, ("audit",), claim.audit, "audit")


def cites(review: Review, claim: Claim) -> Iterator[Cited]:
    for i, evidence in enumerate(claim.evidence):
        for key, locator in review.evidence_refs(claim.paper, evidence):
            yield Cited(("evidence", i), key, locator, claim.statement)


def quotations(claim: Claim) -> Iterator[Quotation]:
    yield Quotation(("quote",), claim.quote)
    for i, evidence in enumerate(claim.evidence):
        if evidence.quote and evidence.key is None:
            yield Quotation(("evidence", i, "quote"), evidence.quote)


OUTGOING = {"supports": "Supports", "contradicts": "Contradicts", "qualifies": "Qualifies"}
INCOMING = {
    "supports": "Supported by",
    "contradicts": "Contradicted by",
    "qualifies": "Qualified by",
}


def related(review: Review) -> list[tuple[Claim, ClaimRelation, Claim]]:
    """Every claim-to-claim relation whose target exists: (claim, relation, target)."""
    claims = review.claims
    return [
        (claim, relation, claims[relation.target])
        for claim in claims.values()
        for relation in claim.relations
        if relation.target in claims and relation.target != claim.id
    ]


def grouped(
    pairs: list[tuple[str, Claim, ClaimRelation]], labels: dict[str, str]
) -> list[tuple[str, list[tuple[Claim, ClaimRelation]]]]:
    """Relations grouped under their heading ("Supports", "Supported by"...), in that order."""
    return [
        (label, [(other, r) for kind, other, r in pairs if kind == name])
        for name, label in labels.items()
        if any(kind == name for kind, _, _ in pairs)
    ]


def pages(site: Site) -> dict[str, GeneratedPage]:
    review = site.review
    out: dict[str, GeneratedPage] = {}
    outgoing: dict[str, list[tuple[str, Claim, ClaimRelation]]] = {}
    incoming: dict[str, list[tuple[str, Claim, ClaimRelation]]] = {}
    for claim, relation, target in related(review):
        outgoing.setdefault(claim.id, []).append((relation.type, target, relation))
        incoming.setdefault(target.id, []).append((relation.type, claim, relation))
    for claim in review.claims.values():
        here = KIND.page(claim.id)
        out[here] = site.page(
            "claim.md.j2",
            here,
            site.source("claims", claim.id),
            claim=claim,
            paper=review.papers[claim.paper],
            evidence=site.evidence_rows(here, claim.paper, claim.evidence, claim.statement),
            relations=grouped(outgoing.get(claim.id, []), OUTGOING)
            + grouped(incoming.get(claim.id, []), INCOMING),
        )
    out["claims/index.md"] = site.page(
        "claims_index.md.j2",
        "claims/index.md",
        "content/claims",
        claims=list(review.claims.values()),
    )
    return out


KIND = Kind(
    name="claims",
    model=Claim,
    singular="claim",
    label="Claims",
    schema_name="claim",
    check=check,
    cites=cites,
    quotations=quotations,
    pages=pages,
)
