"""Markdown pages from the review model: ``{docs path: GeneratedPage}``, no MkDocs involved.

Templates in ``templates/`` loop and print; the values they print are prepared here. Every
value from content passes an escaping filter (``t``, ``prose``, ``attr``); HTML made by the
citation engine is stashed and put back after Markdown has run, so Markdown never touches it.
"""

from __future__ import annotations

import base64
import functools
import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import babel
import jinja2

from macros.bibliography import exports
from macros.bibliography.bibtex import SAFE_URL, BibEntry
from macros.bibliography.citations import CITED_BY_TOKEN, MENTIONED_IN_TOKEN, CitationRegistry
from macros.bibliography.citeproc import Formatted
from macros.content.model import Claim, Footnote, Paper
from macros.content.review import Review
from macros.content.scaffold import schema_reference
from macros.pages import analysis, diagrams, links
from macros.pages.report import SECTIONS as REPORT_SECTIONS
from macros.pages.report import Finding
from macros.pages.text import attr, md_prose, md_text, slug

TEMPLATES = Path(__file__).parent / "templates"
SEVERITY = {"major": 0, "moderate": 1, "minor": 2}
STASH_TOKEN = "LRHTML{}LRHTML"
_TOKEN = re.compile(r"LRHTML(\d+)LRHTML")
_ALONE_TOKEN = re.compile(r"<p>LRHTML(\d+)LRHTML</p>")


@dataclass(frozen=True)
class GeneratedPage:
    markdown: str
    source: str  # the content file it came from, for "edit this page"
    rendered: bool = True  # False: left out of a preview (``SiteRenderer.only``)


@dataclass
class HtmlStash:
    """HTML fragments kept out of Markdown's way, keyed by a plain-text token."""

    fragments: list[str] = field(default_factory=list)

    def put(self, fragment: str) -> str:
        self.fragments.append(fragment)
        return STASH_TOKEN.format(len(self.fragments) - 1)

    def referenced(self, rendered: str) -> list[str]:
        """The fragments whose tokens ``rendered`` holds, in order."""
        return [self.fragments[int(n)] for n in _TOKEN.findall(rendered)]

    def restore(self, rendered: str) -> str:
        """Put back the fragments whose tokens this page holds (a regex pass, not a loop)."""

        def fragment(match: re.Match[str]) -> str:
            return self.fragments[int(match[1])]

        # A fragment alone in its paragraph may be a block (a form, a div): no <p> around it.
        rendered = _ALONE_TOKEN.sub(fragment, rendered)
        return _TOKEN.sub(fragment, rendered)


@functools.cache  # compiled templates are kept: ``litreview serve`` renders again and again
def template_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["zip"] = zip
    env.filters.update(
        t=md_text,
        prose=md_prose,
        attr=attr,
        yaml=json.dumps,
        title=lambda v: md_text(v).replace('"', "&quot;"),
    )
    return env


@dataclass
class SiteRenderer:
    """Renders every generated page of a review."""

    review: Review
    formatted: dict[str, Formatted]
    registry: CitationRegistry
    directory_urls: bool = True
    stash: HtmlStash = field(default_factory=HtmlStash)
    env: jinja2.Environment = field(default_factory=template_environment)
    # A preview renders only the pages this accepts (page path, source file); None: all.
    only: Callable[[str, str], bool] | None = None

    def render_all(self) -> dict[str, GeneratedPage]:
        pages: dict[str, GeneratedPage] = {}
        review = self.review
        pages["papers/index.md"] = self._page(
            "papers_index.md.j2",
            "papers/index.md",
            "content/papers",
            papers=list(review.papers.values()),
        )
        for paper in review.papers.values():
            pages.update(self._paper_pages(paper))
        for entity in review.entities.values():
            here = links.entity_page(entity.id)
            pages[here] = self._page(
                "entity.md.j2",
                here,
                self._source("entities", entity.id),
                entity=entity,
                sources=self._cite_all(
                    here, [(s.key, s.locator) for s in entity.sources], f"Source for {entity.name}"
                ),
                claims=self._claims_about(entity.id),
                targets=review.entities,
                related=self._related(entity.id),
                events=list(self._index["events"].get(entity.id, [])),
                mentioned_in=MENTIONED_IN_TOKEN.format(entity.id),
                tags=entity_tags(review, entity),
            )
        pages["entities/index.md"] = self._page(
            "entities_index.md.j2",
            "entities/index.md",
            "content/entities",
            groups=self._entity_groups(),
            filters=ENTITY_FILTER_FORM,
        )
        for claim in review.claims.values():
            here = links.claim_page(claim.id)
            pages[here] = self._page(
                "claim.md.j2",
                here,
                self._source("claims", claim.id),
                claim=claim,
                paper=review.papers[claim.paper],
                evidence=self._evidence(here, claim),
                incoming=self._incoming(claim.id),
            )
        pages["claims/index.md"] = self._page(
            "claims_index.md.j2",
            "claims/index.md",
            "content/claims",
            claims=list(review.claims.values()),
        )
        for finding in review.audit.values():
            here = links.audit_page(finding.id)
            pages[here] = self._page(
                "audit.md.j2",
                here,
                self._source("audit", finding.id),
                finding=finding,
                paper=review.papers[finding.paper],
                sources=self._cite_all(
                    here, [(s.key, s.locator) for s in finding.sources], finding.title
                ),
                concerned=self._concerned(finding.id),
            )
        pages["audit/index.md"] = self._page(
            "audit_index.md.j2",
            "audit/index.md",
            "content/audit",
            findings=sorted(review.audit.values(), key=lambda f: (SEVERITY[f.severity], f.id)),
        )
        pages.update(self._reference_pages())
        pages.update(self._entity_views())
        return pages

    def report_page(self, findings: list[Finding]) -> GeneratedPage:
        groups = {name: [f for f in findings if f.section == name] for name in REPORT_SECTIONS}
        return self._page(
            "report.md.j2",
            "report.md",
            self.review.bibliography.path,
            groups=groups,
            sections=REPORT_SECTIONS,
        )

    # -- events, statistics, glossary, network -------------------------------------------

    def _entity_views(self) -> dict[str, GeneratedPage]:
        review = self.review
        pages: dict[str, GeneratedPage] = {}
        events = sorted(review.events.values(), key=lambda e: (e.date, e.id))
        for event in events:
            here = links.event_page(event.id)
            pages[here] = self._page(
                "event.md.j2",
                here,
                self._source("events", event.id),
                event=event,
                paper=review.papers[event.paper],
                flags=event_flags(review, event),
                sources=self._cite_all(
                    here, [(s.key, s.locator) for s in event.sources], event.title
                ),
            )
        pages["events/index.md"] = self._page(
            "timeline.md.j2",
            "events/index.md",
            "content/events",
            rows=[(e, event_flags(review, e)) for e in events],
        )
        for statistic in review.statistics.values():
            here = links.statistic_page(statistic.id)
            evidence = [
                {
                    "footnote": review.footnote(statistic.paper, e.footnote)
                    if e.footnote
                    else None,
                    "key": e.key,
                    "unsourced": e.unsourced,
                    "refs": self._cite_all(
                        here, self._evidence_refs(statistic.paper, e), statistic.measures
                    ),
                }
                for e in statistic.evidence
            ]
            pages[here] = self._page(
                "statistic.md.j2",
                here,
                self._source("statistics", statistic.id),
                statistic=statistic,
                paper=review.papers[statistic.paper],
                evidence=evidence,
            )
        ordered = sorted(
            review.statistics.values(),
            key=lambda s: (
                s.paper,
                self._section_order(s.paper, s.where.section),
                s.where.paragraph or 0,
                s.id,
            ),
        )
        pages["statistics/index.md"] = self._page(
            "statistics_index.md.j2",
            "statistics/index.md",
            "content/statistics",
            statistics=ordered,
        )
        terms = sorted(
            (
                e
                for e in review.entities.values()
                if e.abbreviation or e.type == "term" or e.original_name
            ),
            key=lambda e: (e.abbreviation or e.original_name or e.name).lower(),
        )
        pages["glossary.md"] = self._page(
            "glossary.md.j2", "glossary.md", "content/entities", terms=terms
        )
        pages["entities/network.md"] = self._network_page()
        pages["maintainers/schema.md"] = self._page(
            "schema.md.j2",
            "maintainers/schema.md",
            "macros/content/model.py",
            kinds=schema_reference(),
        )
        return pages

    def _evidence_refs(self, paper_id: str, item: Any) -> list[tuple[str, str | None]]:
        if item.footnote is not None:
            note = self.review.footnote(paper_id, item.footnote)
            return [(c.key, c.locator) for c in note.cites] if note else []
        return [(item.key, item.locator)] if item.key else []

    def _section_order(self, paper_id: str, section_id: str) -> int:
        sections = [s.id for s in self.review.papers[paper_id].sections]
        return sections.index(section_id) if section_id in sections else len(sections)

    def _network_page(self) -> GeneratedPage:
        review = self.review
        here = "entities/network.md"
        edges = [(e.id, r.target, r.type) for e in review.entities.values() for r in e.relations]
        involved = sorted(
            {i for edge in edges for i in edge[:2]},
            key=lambda i: (review.entities[i].type, review.entities[i].name),
        )
        nodes = [
            (
                i,
                review.entities[i].name,
                f"lr-type-{review.entities[i].type}",
                links.html_href(here, links.entity_page(i), directory_urls=self.directory_urls),
            )
            for i in involved
        ]
        svg = diagrams.network(
            nodes, edges, "Who funds, partners with, implements, regulates or is part of whom"
        )
        return self._page("network.md.j2", here, "content/entities", svg=svg, edges=edges)

    # -- helpers used by several pages ------------------------------------------------------

    def _page(self, template: str, here: str, source: str, **values: Any) -> GeneratedPage:
        if self.only is not None and not self.only(here, source):
            return GeneratedPage("", source, rendered=False)

        def link(to: str, anchor: str = "") -> str:
            return links.relative(here, to, anchor)

        def href(to: str, anchor: str = "") -> str:
            return links.html_href(here, to, directory_urls=self.directory_urls, anchor=anchor)

        context: dict[str, Any] = {
            "here": here,
            "link": link,
            "href": href,
            "html": self.stash.put,
            "links": links,
            "review": self.review,
            "formatted": self.formatted,
            "cited_by": CITED_BY_TOKEN.format,
            "facets": entry_facets,
            "safe_url": lambda url: bool(SAFE_URL.match(str(url))),
            "filters": FILTER_FORM,
            "slug": slug(values["key"]) if "key" in values else "",
        }
        markdown = self.env.get_template(template).render({**context, **values})
        return GeneratedPage(markdown, source)

    def _source(self, kind: str, ident: str) -> str:
        return self.review.sources[(kind, ident)].path

    def _cite(self, here: str, key: str, locator: str | None, context: str) -> str:
        return self.registry.cite(here, key, locator, context)

    def _cite_all(
        self,
        here: str,
        refs: list[tuple[str, str | None]],
        context: str,
    ) -> list[dict[str, Any]]:
        return [
            {"key": key, "locator": locator, "marker": self._cite(here, key, locator, context)}
            for key, locator in refs
        ]

    @functools.cached_property
    def _index(self) -> dict[str, dict[str, list[Any]]]:
        """Who points at whom, built once, so that no page scans the whole review."""
        index: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        review = self.review
        for claim in review.claims.values():
            for entity_id in claim.entities:
                index["claims_about"][entity_id].append(claim)
            for relation in claim.relations:
                index["incoming"][relation.target].append((relation.type, claim))
            for finding in claim.audit:
                index["claims_flagged"][finding].append(claim)
        for entity in review.entities.values():
            for link in entity.relations:
                index["related"][link.target].append((link.type, entity.id))
        for event in review.events.values():
            for ident in dict.fromkeys(event.actors + event.programs):
                index["events"][ident].append(event)
        for paper_id, notes in review.footnotes.items():
            for note in notes.notes:
                for finding in note.audit:
                    index["notes_flagged"][finding].append((paper_id, note))
        return index

    def _claims_about(self, entity_id: str) -> list[Claim]:
        return list(self._index["claims_about"].get(entity_id, []))

    def _related(self, entity_id: str) -> list[tuple[str, str]]:
        """Relations other entities declare towards this one: (type, source id)."""
        return list(self._index["related"].get(entity_id, []))

    def _entity_groups(self) -> list[tuple[str, list[Any]]]:
        groups: dict[str, list[Any]] = defaultdict(list)
        for entity in sorted(self.review.entities.values(), key=lambda e: e.name.lower()):
            groups[entity.type].append(entity)
        return sorted(groups.items())

    def _incoming(self, claim_id: str) -> list[tuple[str, Claim]]:
        return list(self._index["incoming"].get(claim_id, []))

    def _concerned(self, finding_id: str) -> dict[str, list[Any]]:
        return {
            "claims": list(self._index["claims_flagged"].get(finding_id, [])),
            "notes": list(self._index["notes_flagged"].get(finding_id, [])),
        }

    def _evidence(self, here: str, claim: Claim) -> list[dict[str, Any]]:
        rows = []
        for item in claim.evidence:
            row: dict[str, Any] = {
                "footnote": None,
                "key": item.key,
                "quote": item.quote,
                "unsourced": item.unsourced,
                "refs": [],
            }
            if item.footnote is not None:
                row["footnote"] = self.review.footnote(claim.paper, item.footnote)
                refs = [(c.key, c.locator) for c in row["footnote"].cites]
                row["refs"] = self._cite_all(here, refs, claim.statement)
            elif item.key is not None:
                row["refs"] = self._cite_all(here, [(item.key, item.locator)], claim.statement)
            rows.append(row)
        return rows

    # -- per paper ------------------------------------------------------------------------

    def _paper_pages(self, paper: Paper) -> dict[str, GeneratedPage]:
        review = self.review
        source = self._source("papers", paper.id)
        claims = [c for c in review.claims.values() if c.paper == paper.id]
        by_paragraph: dict[tuple[str, int | None], list[Claim]] = defaultdict(list)
        for claim in claims:
            by_paragraph[(claim.where.section, claim.where.paragraph)].append(claim)
        notes = review.footnotes.get(paper.id)
        pages = {
            links.paper_page(paper.id): self._page(
                "paper.md.j2",
                links.paper_page(paper.id),
                source,
                paper=paper,
                citation_meta=paper_citation_meta(paper),
                claims=claims,
                notes=notes,
                reflist=review.reflists.get(paper.id),
                findings=[f for f in review.audit.values() if f.paper == paper.id],
            ),
            links.paper_page(paper.id, "source-map"): self._page(
                "paper_source_map.md.j2",
                links.paper_page(paper.id, "source-map"),
                source,
                paper=paper,
                by_paragraph=by_paragraph,
            ),
        }
        if notes is not None:
            here = links.paper_page(paper.id, "notes")
            rows = [self._note_row(here, paper, note) for note in notes.notes]
            pages[here] = self._page(
                "paper_notes.md.j2",
                here,
                self._source("footnotes", paper.id),
                paper=paper,
                rows=rows,
            )
        if paper.argument is not None:
            pages.update(self._argument_pages(paper, claims, source))
        reflist = review.reflists.get(paper.id)
        if reflist is not None:
            here = links.paper_page(paper.id, "reference-list")
            pages[here] = self._page(
                "paper_reflist.md.j2",
                here,
                self._source("reflists", paper.id),
                paper=paper,
                reflist=reflist,
                comparison=self._compare(reflist.entries),
            )
        return pages

    def _argument_pages(
        self, paper: Paper, claims: list[Claim], source: str
    ) -> dict[str, GeneratedPage]:
        assert paper.argument is not None  # noqa: S101 - checked by the caller
        review = self.review
        if self.only is not None and not self.only(links.paper_page(paper.id, "argument"), source):
            return self._left_out(paper, source)  # a preview of another file: no analysis
        languages = self._languages
        pages: dict[str, GeneratedPage] = {}

        def add(part: str, template: str, **values: Any) -> None:
            here = links.paper_page(paper.id, part)
            pages[here] = self._page(template, here, source, paper=paper, **values)

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
        here_map = links.paper_page(paper.id, "map")

        def node_href(kind: str, ident: str) -> str:
            target = links.claim_page(ident) if kind == "claim" else links.reference_page(ident)
            return links.html_href(here_map, target, directory_urls=self.directory_urls)

        add(
            "map",
            "paper_map.md.j2",
            claims=claims,
            svg=diagrams.argument_map(review, paper, node_href),
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
        return pages

    def _left_out(self, paper: Paper, source: str) -> dict[str, GeneratedPage]:
        """The argument pages, unrendered: a preview still needs them to link to."""
        assert paper.argument is not None  # noqa: S101 - checked by the caller
        parts = ["argument", "evidence", "matrix", "map"]
        for framework in paper.argument.frameworks:
            parts.append(f"framework-{framework.id}")
            parts += [f"dimension-{dimension.id}" for dimension in framework.dimensions]
        return {
            links.paper_page(paper.id, part): GeneratedPage("", source, rendered=False)
            for part in parts
        }

    @functools.cached_property
    def _languages(self) -> dict[str, str]:
        return {
            key: entry_facets(entry)["language"]
            for key, entry in self.review.bibliography.entries.items()
        }

    def _note_row(self, here: str, paper: Paper, note: Footnote) -> dict[str, Any]:
        section = next(s for s in paper.sections if s.id == note.where.section)
        gist = (
            section.paragraphs[note.where.paragraph - 1].gist
            if note.where.paragraph
            else section.heading
        )
        context = f"Note {note.number} of {paper.title}: {gist}"
        return {
            "note": note,
            "section": section,
            "refs": self._cite_all(here, [(c.key, c.locator) for c in note.cites], context),
        }

    def _compare(self, entries: list[Any]) -> list[dict[str, Any]]:
        rows = []
        for entry in entries:
            site_line = self.formatted[entry.key].text if entry.key in self.formatted else ""
            rows.append(
                {
                    "entry": entry,
                    "site": site_line,
                    "match": normalise_line(site_line) == normalise_line(entry.printed),
                }
            )
        return rows

    # -- bibliography ---------------------------------------------------------------------

    def _reference_pages(self) -> dict[str, GeneratedPage]:
        pages: dict[str, GeneratedPage] = {}
        bibliography = self.review.bibliography
        printed = {
            (paper_id, e.key): e for paper_id, r in self.review.reflists.items() for e in r.entries
        }
        notes_by_key: dict[str, list[tuple[str, Footnote]]] = defaultdict(list)
        for paper_id, notes in self.review.footnotes.items():
            for note in notes.notes:
                for cite in note.cites:
                    notes_by_key[cite.key].append((paper_id, note))
        ordered = [k for k in self.formatted if k in bibliography.entries]
        ordered += sorted(set(bibliography.entries) - set(ordered))
        details = {item["id"]: item for item in self.csl_items}
        printed_by_key: dict[str, list[tuple[str, Any]]] = defaultdict(list)
        for (paper_id, key_printed), entry in printed.items():
            printed_by_key[key_printed].append((paper_id, entry))
        for key in ordered:
            here = links.reference_page(key)
            pages[here] = self._page(
                "reference.md.j2",
                here,
                bibliography.path,
                key=key,
                entry=bibliography.entries[key],
                item=_item_view(details.get(key, {})),
                citation_meta=item_citation_meta(details.get(key, {})),
                # Made only if the page is rendered (a preview renders few).
                downloads=functools.partial(
                    entry_downloads, bibliography.entries[key], details.get(key)
                ),
                printed=printed_by_key.get(key, []),
                notes=notes_by_key.get(key, []),
            )
        pages["references/index.md"] = self._page(
            "references_index.md.j2",
            "references/index.md",
            bibliography.path,
            keys=ordered,
            entries=bibliography.entries,
            items=details,
        )
        return pages

    csl_items: list[dict[str, Any]] = field(default_factory=list)


def entry_downloads(entry: BibEntry, item: dict[str, Any] | None) -> str:
    """Download links for one entry's BibTeX, RIS and CSL-JSON, the files inside the links.

    ``data:`` URLs rather than three files per entry: they work from ``file://`` too, and a
    5,000-entry library would otherwise add 15,000 files to every build.
    """
    files = (
        ("BibTeX", "bib", "application/x-bibtex", exports.bibtex([entry])),
        ("RIS", "ris", "application/x-research-info-systems", exports.ris([item] if item else [])),
        (
            "CSL-JSON",
            "json",
            "application/vnd.citationstyles.csl+json",
            exports.csl_json([item] if item else []),
        ),
    )
    name = slug(entry.key)
    return " · ".join(
        f'<a href="data:{kind};charset=utf-8;base64,'
        f'{base64.b64encode(text.encode()).decode()}" download="{attr(name)}.{suffix}">{label}</a>'
        for label, suffix, kind, text in files
    )


CURLY_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


def normalise_line(line: str) -> str:
    """Compare reference lines as a reader would: quotes, spacing and markup set aside."""
    text = line.translate(CURLY_QUOTES)
    text = text.replace("*", "").replace("<", "").replace(">", "")
    return " ".join(text.split())


# biblatex/babel language names that are neither a language code nor an English name.
BABEL_NAMES = {
    "bahasai": "id",
    "bahasa": "id",
    "bahasam": "ms",
    "american": "en",
    "british": "en",
    "australian": "en",
    "canadian": "en",
    "newzealand": "en",
    "ngerman": "de",
    "nswissgerman": "de",
    "brazil": "pt",
    "portuges": "pt",
    "nynorsk": "nn",
}


@functools.cache
def language_code(langid: str) -> str:
    """A babel name, a BCP 47 code or an English name -> the BCP 47 language code."""
    by_name = {name.lower(): code for code, name in babel.Locale("en").languages.items()}
    value = langid.strip().lower()
    return BABEL_NAMES.get(value) or by_name.get(value) or value.replace("_", "-").split("-")[0]


@functools.cache  # babel's table of names is built on each lookup otherwise
def language_name(langid: str) -> str:
    """A babel name, a BCP 47 code or an English name -> the language's English name."""
    return str(babel.Locale("en").languages.get(language_code(langid), langid))


ENTITY_FILTER_FORM = (
    '<form class="lr-filters" data-items=".lr-entity" '
    'aria-label="Filter actors, programs and terms">'
    '<label>Kind <select data-facet="kind"><option value="">all</option></select></label> '
    '<label>Category <select data-facet="category"><option value="">all</option></select></label> '
    '<label>Year <select data-facet="year"><option value="">all</option></select></label> '
    '<output class="lr-filter-count" aria-live="polite"></output></form>'
)
FILTER_FORM = (
    '<form class="lr-filters" aria-label="Filter the bibliography">'
    '<label>Type <select data-facet="type"><option value="">all</option></select></label> '
    '<label>Language <select data-facet="language"><option value="">all</option></select></label> '
    '<label>Source <select data-facet="source"><option value="">all</option></select></label> '
    '<output class="lr-filter-count" aria-live="polite"></output></form>'
)


def entry_facets(entry: BibEntry) -> dict[str, str]:
    """Type, language and source kind of an entry, for filters and the evidence profile."""
    langid = entry.get("langid", "language") or "english"
    keywords = [k.strip() for k in (entry.get("keywords") or "").split(",")]
    source = next(
        (k.removeprefix("source:") for k in keywords if k.startswith("source:")), "unclassified"
    )
    return {"type": entry.entry_type, "language": language_name(langid), "source": source}


def _item_view(item: dict[str, Any]) -> dict[str, Any]:
    """The CSL-JSON fields entry pages print, each present (None when the entry lacks it)."""
    names = ("title", "URL", "DOI", "abstract", "annotation", "note")
    return {name: item.get(name) for name in names}


def paper_citation_meta(paper: Paper) -> list[tuple[str, str]]:
    """Highwire Press tags for a reviewed paper, as Google Scholar and Zotero read them."""
    meta = [("citation_title", paper.title)]
    meta += [("citation_author", author.name) for author in paper.authors]
    meta += [
        ("citation_publication_date", str(paper.year)),
        ("citation_journal_title", paper.journal),
    ]
    optional = (
        ("citation_volume", paper.volume),
        ("citation_issue", paper.issue),
        ("citation_publisher", paper.publisher),
        ("citation_doi", paper.doi),
        ("citation_language", paper.language),
    )
    meta += [(name, value) for name, value in optional if value]
    meta += [("citation_keywords", keyword) for keyword in paper.keywords]
    return meta


def item_citation_meta(item: dict[str, Any]) -> list[tuple[str, str]]:
    """Highwire Press tags for a bibliography entry, from its CSL-JSON."""
    if not item.get("title"):
        return []
    meta = [("citation_title", str(item["title"]))]
    for person in item.get("author", []):
        name = person.get("literal") or ", ".join(
            p for p in (person.get("family"), person.get("given")) if p
        )
        meta.append(("citation_author", str(name)))
    date = (item.get("issued") or {}).get("date-parts") or [[]]
    if date[0]:
        meta.append(("citation_publication_date", "/".join(str(p) for p in date[0])))
    names = {
        "container-title": "citation_journal_title",
        "volume": "citation_volume",
        "issue": "citation_issue",
        "publisher": "citation_publisher",
        "DOI": "citation_doi",
        "URL": "citation_public_url",
        "language": "citation_language",
    }
    meta += [(tag, str(item[field])) for field, tag in names.items() if item.get(field)]
    meta = [(tag, language_code(v) if tag == "citation_language" else v) for tag, v in meta]
    if item.get("page"):
        first, _, last = str(item["page"]).partition("-")
        meta.append(("citation_firstpage", first))
        if last:
            meta.append(("citation_lastpage", last))
    return meta


def date_bounds(partial: str) -> tuple[str, str]:
    """``2021`` -> (2021-01-01, 2021-12-31); ``2021-07`` -> (2021-07-01, 2021-07-31)."""
    lo = (partial + "-01-01")[:10] if len(partial) == 4 else (partial + "-01")[:10]
    hi = (partial + "-12-31")[:10] if len(partial) == 4 else (partial + "-31")[:10]
    return lo, hi


def event_flags(review: Review, event: Any) -> list[str]:
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


def entity_tags(review: Review, entity: Any) -> list[str]:
    """Material tags: kind, country, analytical category (e.g. pillar), year."""
    tags = [entity.type]
    tags += [
        f"country: {review.entities[r.target].name}"
        for r in entity.relations
        if r.target in review.entities and review.entities[r.target].type == "country"
    ]
    if entity.type == "country":
        tags.append(f"country: {entity.name}")
    tags += [f"category: {c}" for c in entity.categories]
    tags += [f"year: {y}" for y in entity.years]
    return tags
