"""Papers: the reviewed papers, with their sections, argument and per-paper pages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from macros.bibliography.bibtex import BibEntry
from macros.bibliography.importer import year_of
from macros.bibliography.plain import display_names, plain
from macros.content.checks import Checker
from macros.content.errors import ContentError
from macros.content.kind import Cited, Kind, Quotation
from macros.content.model import Claim, Paper, PaperMeta
from macros.content.review import Review
from macros.content.yamlload import KeyPath
from macros.pages import analysis, diagrams
from macros.pages.render import GeneratedPage, Site, paper_citation_meta


def meta(entry: BibEntry) -> PaperMeta:
    """What a paper's entry says of it, as plain text."""

    def text(*names: str) -> str | None:
        value = entry.get(*names)
        return plain(value) if value else None

    year = year_of(entry.fields)
    return PaperMeta(
        title=text("title") or "",
        authors=tuple(display_names(entry.get("author", "editor") or "")),
        journal=text("journaltitle", "journal", "booktitle", "institution", "publisher") or "",
        volume=text("volume"),
        issue=text("number", "issue"),
        year=int(year) if year else 0,
        published=entry.get("date") or year or None,
        publisher=text("publisher"),
        doi=entry.get("doi"),
        url=entry.get("url"),
    )


def derive(review: Review, paper: Paper) -> None:
    """Title, authors, venue and year from the paper's entry (nothing if the key is unknown:
    ``check`` reports it)."""
    entry = review.bibliography.entries.get(paper.key)
    paper.attach(meta(entry) if entry is not None else PaperMeta())


def cites(_review: Review, paper: Paper) -> Iterator[Cited]:
    """Its own entry: the paper's pages present it, so the report does not call it unused."""
    yield Cited(("key",), paper.key, None, f"The deep reading of {paper.title}")


def check(checker: Checker, ident: str, paper: Paper) -> Iterator[ContentError]:
    yield from checker.key("papers", ident, ("key",), paper.key)
    seen: set[str] = set()
    for i, section in enumerate(paper.sections):
        if section.id in seen:
            yield checker.error(
                "papers", ident, ("sections", i, "id"), f"duplicate section id '{section.id}'"
            )
        seen.add(section.id)
        for j, paragraph in enumerate(section.paragraphs):
            if paragraph.n != j + 1:
                yield checker.error(
                    "papers",
                    ident,
                    ("sections", i, "paragraphs", j, "n"),
                    f"paragraph numbers must run 1, 2, 3...; expected {j + 1}, got {paragraph.n}",
                )
    if paper.argument is None:
        return
    dimensions = {d.id for f in paper.argument.frameworks for d in f.dimensions} | {"overall"}
    for i, framework in enumerate(paper.argument.frameworks):
        if framework.where is not None:
            yield from checker.location(
                "papers", ident, ("argument", "frameworks", i, "where"), paper, framework.where
            )
    for i, verdict in enumerate(paper.argument.verdicts):
        loc: KeyPath = ("argument", "verdicts", i)
        if verdict.dimension not in dimensions:
            yield checker.error(
                "papers",
                ident,
                (*loc, "dimension"),
                f"unknown dimension '{verdict.dimension}'",
                f"use one of: {', '.join(sorted(dimensions))}",
            )
        yield from checker.location("papers", ident, (*loc, "where"), paper, verdict.where)


def quotations(paper: Paper) -> Iterator[Quotation]:
    for i, section in enumerate(paper.sections):
        for j, paragraph in enumerate(section.paragraphs):
            yield Quotation(("sections", i, "paragraphs", j, "opens"), paragraph.opens)
    for i, verdict in enumerate(paper.argument.verdicts if paper.argument else []):
        yield Quotation(("argument", "verdicts", i, "quote"), verdict.quote)


def url(ident: str, part: str = "index") -> str:
    return f"papers/{ident}/{part}.md"


def pages(site: Site) -> dict[str, GeneratedPage]:
    review = site.review
    out = {
        "papers/index.md": site.page(
            "papers_index.md.j2",
            "papers/index.md",
            "content/papers",
            papers=list(review.papers.values()),
        )
    }
    for paper in review.papers.values():
        out.update(_paper_pages(site, paper))
    return out


def _paper_pages(site: Site, paper: Paper) -> dict[str, GeneratedPage]:
    review = site.review
    source = site.source("papers", paper.id)
    claims = [c for c in review.claims.values() if c.paper == paper.id]
    by_paragraph: dict[tuple[str, int | None], list[Claim]] = defaultdict(list)
    for claim in claims:
        by_paragraph[(claim.where.section, claim.where.paragraph)].append(claim)
    notes = review.footnotes.get(paper.id)
    here = url(paper.id)
    out = {
        here: site.page(
            "paper.md.j2",
            here,
            source,
            paper=paper,
            citation_meta=paper_citation_meta(paper),
            claims=claims,
            notes=notes,
            reflist=review.reflists.get(paper.id),
            findings=[f for f in review.audit.values() if f.paper == paper.id],
        ),
        url(paper.id, "source-map"): site.page(
            "paper_source_map.md.j2",
            url(paper.id, "source-map"),
            source,
            paper=paper,
            by_paragraph=by_paragraph,
        ),
    }
    # The pages of per-paper kinds (notes, reference list) are parts of the paper's, in the
    # registry's order; the argument's pages follow the notes (the order of the site's pages).
    for kind in site.kinds:
        if kind.per_paper and kind.pages is not None and paper.id in review.of(kind.name):
            out.update(kind.pages(site, paper))
        if kind.name == "footnotes" and paper.argument is not None:
            out.update(_argument_pages(site, paper, claims, source))
    return out


def _argument_pages(
    site: Site, paper: Paper, claims: list[Claim], source: str
) -> dict[str, GeneratedPage]:
    assert paper.argument is not None  # noqa: S101 - checked by the caller
    review = site.review
    if site.only is not None and not site.only(url(paper.id, "argument"), source):
        return _left_out(paper, source)  # a preview of another file: no analysis
    languages = site.languages
    out: dict[str, GeneratedPage] = {}

    def add(part: str, template: str, **values: Any) -> None:
        here = url(paper.id, part)
        out[here] = site.page(template, here, source, paper=paper, **values)

    profile = analysis.evidence_profile(review, claims, languages)
    by_kind = analysis.paper_footnote_profile(review, paper)
    kind_rows = [(label, by_kind.get(kind, 0)) for kind, label in analysis.SOURCE_KINDS.items()]
    add(
        "argument",
        "paper_argument.md.j2",
        claims=claims,
        verdicts={v.dimension: v for v in paper.argument.verdicts},
    )
    add(
        "evidence",
        "paper_evidence.md.j2",
        profile=profile,
        citations=kind_rows,
        chart=diagrams.bar_chart(kind_rows, "Footnote citations by kind of source"),
        per_claim=[(c, analysis.evidence_profile(review, [c], languages)) for c in claims],
    )
    add(
        "matrix",
        "paper_matrix.md.j2",
        matrix=analysis.verdict_matrix(review, paper),
        kinds=analysis.SOURCE_KINDS,
    )
    here_map = url(paper.id, "map")

    def node_href(kind: str, ident: str) -> str:
        target = site.page_of("claims", ident) if kind == "claim" else site.reference_page(ident)
        return site.href(here_map, target)

    add(
        "map",
        "paper_map.md.j2",
        claims=claims,
        svg=diagrams.argument_map(review, paper, node_href, site.citations),
        keys_of={c.id: analysis.claim_keys(review, c) for c in claims},
    )
    for framework in paper.argument.frameworks:
        add(f"framework-{framework.id}", "framework.md.j2", framework=framework)
        for dimension in framework.dimensions:
            verdict = next(
                (v for v in paper.argument.verdicts if v.dimension == dimension.id), None
            )
            add(
                f"dimension-{dimension.id}",
                "dimension.md.j2",
                framework=framework,
                dimension=dimension,
                verdict=verdict,
                claims=[c for c in claims if dimension.id in c.dimensions],
            )
    return out


def _left_out(paper: Paper, source: str) -> dict[str, GeneratedPage]:
    """The argument pages, unrendered: a preview still needs them to link to."""
    assert paper.argument is not None  # noqa: S101 - checked by the caller
    parts = ["argument", "evidence", "matrix", "map"]
    for framework in paper.argument.frameworks:
        parts.append(f"framework-{framework.id}")
        parts += [f"dimension-{dimension.id}" for dimension in framework.dimensions]
    return {url(paper.id, part): GeneratedPage("", source, rendered=False) for part in parts}


KIND = Kind(
    name="papers",
    model=Paper,
    singular="paper",
    label="Papers",
    schema_name="paper",
    check=check,
    derive=derive,
    cites=cites,
    quotations=quotations,
    url=url,
    pages=pages,
)
