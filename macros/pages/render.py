"""Markdown pages from the review model: ``{docs path: GeneratedPage}``, no MkDocs involved.

Templates in ``templates/`` loop and print; the values they print are prepared here. Every
value from content passes an escaping filter (``t``, ``prose``, ``attr``); HTML made by the
citation engine is stashed and put back after Markdown has run, so Markdown never touches it.
"""

from __future__ import annotations

import base64
import functools
import json
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import babel
import jinja2

from macros.bibliography import exports
from macros.bibliography.bibtex import SAFE_URL, BibEntry, source_keyword
from macros.bibliography.citations import CITED_BY_TOKEN, CitationRegistry
from macros.bibliography.citeproc import Formatted, item_title_text, rich_field
from macros.content.kind import Kind
from macros.content.model import Evidence, Footnote, Paper
from macros.content.review import Review
from macros.content.scaffold import schema_reference
from macros.pages import bibindex, diagrams, labels, links
from macros.pages.text import attr, md_code, md_prose, md_text, md_text_html, slug

TEMPLATES = Path(__file__).parent / "templates"
# An entity-like token: Markdown keeps it as it is, and content cannot forge it, since every
# "&" from content or BibTeX reaches the page as "&amp;" (a hand-written page can, but an
# unknown number is left alone).
STASH_TOKEN = "&lrhtml{};"
_TOKEN = re.compile(r"&lrhtml(\d{1,9});")
_ALONE_TOKEN = re.compile(r"<p>&lrhtml(\d{1,9});</p>")


@dataclass(frozen=True)
class GeneratedPage:
    markdown: str
    source: str  # the content file it came from, for "edit this page"
    rendered: bool = True  # False: left out of a preview (``Site.only``)


@dataclass
class HtmlStash:
    """HTML fragments kept out of Markdown's way, keyed by a plain-text token."""

    fragments: list[str] = field(default_factory=list)

    def put(self, fragment: str) -> str:
        self.fragments.append(fragment)
        return STASH_TOKEN.format(len(self.fragments) - 1)

    def referenced(self, rendered: str) -> list[str]:
        """The fragments whose tokens ``rendered`` holds, in order."""
        return [
            self.fragments[int(n)] for n in _TOKEN.findall(rendered) if int(n) < len(self.fragments)
        ]

    def restore(self, rendered: str) -> str:
        """Put back the fragments whose tokens this page holds (a regex pass, not a loop)."""

        def fragment(match: re.Match[str]) -> str:
            index = int(match[1])
            return self.fragments[index] if index < len(self.fragments) else match[0]

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
        code=md_code,
        prose=md_prose,
        attr=attr,
        h=md_text_html,  # what Markdown makes of ``t``: for HTML written by a template
        yaml=json.dumps,
        title=lambda v: md_text(v).replace('"', "&quot;"),
        unstop=labels.unstop,
        mid=labels.mid_sentence,
    )
    return env


@dataclass
class Site:
    """What every page builder uses: the review, the citation registry, the page maker.

    The pages themselves are built by the kinds (``macros/kinds/``) and by the functions below
    for the pages that belong to no kind (bibliography, glossary, network, schema, report).
    """

    review: Review
    formatted: dict[str, Formatted]
    registry: CitationRegistry
    kinds: Sequence[Kind]
    directory_urls: bool = True
    csl_items: list[dict[str, Any]] = field(default_factory=list)
    stash: HtmlStash = field(default_factory=HtmlStash)
    env: jinja2.Environment = field(default_factory=template_environment)
    # A preview renders only the pages this accepts (page path, source file); None: all.
    only: Callable[[str, str], bool] | None = None

    def page(self, template: str, here: str, source: str, **values: Any) -> GeneratedPage:
        if self.only is not None and not self.only(here, source):
            return GeneratedPage("", source, rendered=False)

        def link(to: str, anchor: str = "") -> str:
            return links.relative(here, to, anchor)

        def href(to: str, anchor: str = "") -> str:
            return self.href(here, to, anchor)

        context: dict[str, Any] = {
            "here": here,
            "link": link,
            "href": href,
            "html": self.stash.put,
            "links": links,
            "page_of": self.page_of,
            "review": self.review,
            "formatted": self.formatted,
            "cited_by": CITED_BY_TOKEN.format,
            "facets": entry_facets,
            "safe_url": lambda url: bool(SAFE_URL.match(str(url))),
            "filters": FILTER_FORM,
            "slug": slug(values["key"]) if "key" in values else "",
            "short": labels.short_label,
            "cite": self.citations,
            "words": labels.words,
            "who": self.paper_label,
            "heading": self.section_heading,
            "named": self.argument_name,
        }
        markdown = self.env.get_template(template).render({**context, **values})
        return GeneratedPage(markdown, source)

    @functools.cached_property
    def citations(self) -> labels.Citations:
        """``Author Year`` for a BibTeX key: what readers see instead of the key."""
        return labels.Citations(self.csl_items)

    def paper_label(self, paper_id: str) -> str:
        """``Author Year`` for a paper id (the id itself if the paper is unknown)."""
        paper = self.review.papers.get(paper_id)
        if paper is None:
            return paper_id
        return labels.paper_short([a.name for a in paper.authors], paper.year)

    def section_heading(self, paper_id: str, section_id: str) -> str:
        """A section's printed heading for its id, as readers see it in the paper."""
        paper = self.review.papers.get(paper_id)
        for section in paper.sections if paper else []:
            if section.id == section_id:
                return section.heading
        return labels.words(section_id)

    def argument_name(self, paper_id: str, ident: str) -> str:
        """The name of a paper's category or framework dimension, for its id."""
        paper = self.review.papers.get(paper_id)
        argument = paper.argument if paper else None
        if argument is not None:
            names = {c.id: c.name for c in argument.categories}
            names |= {d.id: d.name for f in argument.frameworks for d in f.dimensions}
            if ident in names:
                return names[ident]
        return labels.words(ident)

    def page_of(self, kind: str, ident: str, part: str = "index") -> str:
        """The docs path of an item's page: the one URL rule, the kind's."""
        return self._kinds[kind].page(ident, part)

    @staticmethod
    def reference_page(key: str) -> str:
        return links.reference_page(key)

    def href(self, here: str, to: str, anchor: str = "") -> str:
        return links.html_href(here, to, directory_urls=self.directory_urls, anchor=anchor)

    def source(self, kind: str, ident: str) -> str:
        return self.review.sources[(kind, ident)].path

    def cite_all(
        self, here: str, refs: list[tuple[str, str | None]], note: str
    ) -> list[dict[str, Any]]:
        return [
            {"key": key, "locator": locator, "marker": self.registry.cite(here, key, locator, note)}
            for key, locator in refs
        ]

    def cite_item(self, here: str, kind: Kind, item: Any) -> list[dict[str, Any]]:
        """Cite on ``here`` every key the item cites (its ``cites``), each with its context."""
        return [
            {
                "key": cited.key,
                "locator": cited.locator,
                "marker": self.registry.cite(here, cited.key, cited.locator, cited.context),
            }
            for cited in kind.cites(self.review, item)
        ]

    def evidence_rows(
        self, here: str, paper_id: str, evidence: list[Evidence], context: str
    ) -> list[dict[str, Any]]:
        """One row per evidence item: its footnote, key or reason, and the citations made."""
        return [
            {
                "footnote": self.review.footnote(paper_id, item.footnote)
                if item.footnote is not None
                else None,
                "key": item.key,
                "quote": item.quote,
                "unsourced": item.unsourced,
                "refs": self.cite_all(here, self.review.evidence_refs(paper_id, item), context),
            }
            for item in evidence
        ]

    def section_order(self, paper_id: str, section_id: str) -> int:
        sections = [s.id for s in self.review.papers[paper_id].sections]
        return sections.index(section_id) if section_id in sections else len(sections)

    @functools.cached_property
    def _kinds(self) -> dict[str, Kind]:
        return {kind.name: kind for kind in self.kinds}

    @functools.cached_property
    def index(self) -> dict[str, dict[str, list[Any]]]:
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

    @functools.cached_property
    def languages(self) -> dict[str, str]:
        return {
            key: entry_facets(entry)["language"]
            for key, entry in self.review.bibliography.entries.items()
        }


# --- pages that belong to no content kind (the report page: ``engine.py``) --------------


def glossary_page(site: Site) -> GeneratedPage:
    terms = sorted(
        (
            e
            for e in site.review.entities.values()
            if e.abbreviation or e.type == "term" or e.original_name
        ),
        key=lambda e: (e.abbreviation or e.original_name or e.name).lower(),
    )
    return site.page("glossary.md.j2", "glossary.md", "content/entities", terms=terms)


def network_page(site: Site) -> GeneratedPage:
    review = site.review
    here = "entities/network.md"
    nodes, edges = diagrams.entity_network(
        review, lambda ident: site.href(here, site.page_of("entities", ident))
    )
    svg = diagrams.network(
        nodes, edges, "Who funds, partners with, implements, regulates or is part of whom"
    )
    return site.page("network.md.j2", here, "content/entities", svg=svg, edges=edges)


def schema_page(site: Site) -> GeneratedPage:
    return site.page(
        "schema.md.j2",
        "maintainers/schema.md",
        "macros/content/model.py",
        kinds=schema_reference(site.kinds),
    )


def reference_pages(site: Site) -> dict[str, GeneratedPage]:
    pages: dict[str, GeneratedPage] = {}
    review = site.review
    bibliography = review.bibliography
    printed = {(paper_id, e.key): e for paper_id, r in review.reflists.items() for e in r.entries}
    notes_by_key: dict[str, list[tuple[str, Footnote]]] = defaultdict(list)
    for paper_id, notes in review.footnotes.items():
        for note in notes.notes:
            for cite in note.cites:
                notes_by_key[cite.key].append((paper_id, note))
    ordered = bibindex.ordered_keys(site.formatted, bibliography.entries)
    details = {item["id"]: item for item in site.csl_items}
    printed_by_key: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    for (paper_id, key_printed), entry in printed.items():
        printed_by_key[key_printed].append((paper_id, entry))
    for key in ordered:
        here = links.reference_page(key)
        pages[here] = site.page(
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
    pages.update(bibliography_index(site, ordered, details))
    return pages


def bibliography_index(
    site: Site, ordered: list[str], details: dict[str, dict[str, Any]]
) -> dict[str, GeneratedPage]:
    """The bibliography's index: one page, or split by letter and by year (``bibindex``)."""
    bibliography = site.review.bibliography
    here = "references/index.md"
    values: dict[str, Any] = {"entries": bibliography.entries, "total": len(ordered)}
    if not bibindex.is_split(ordered):
        return {
            here: site.page(
                "references_index.md.j2", here, bibliography.path, keys=ordered, **values
            )
        }
    index = bibindex.build_index(
        ordered, bibliography.entries, details, site.formatted, entry_facets
    )
    entry_href = site.href(here, f"references/{bibindex.SLUG_TOKEN}.md")
    pages = {
        here: site.page(
            "references_index.md.j2",
            here,
            bibliography.path,
            keys=[],
            jump=bibindex.jump_nav(index, lambda to: site.href(here, to)),
            form=bibindex.filter_form(entry_href, posixpath.basename(bibindex.DATA_FILE)),
            **values,
        )
    }
    parts = index.letters + index.years
    for part in parts:
        pages[part.page] = site.page(
            "references_part.md.j2",
            part.page,
            bibliography.path,
            part=part,
            keys=list(part.keys),
            jump=bibindex.jump_nav(index, functools.partial(site.href, part.page)),
            **values,
        )
    return pages


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
    source = source_keyword(entry) or "unclassified"
    return {"type": entry.entry_type, "language": language_name(langid), "source": source}


def _item_view(item: dict[str, Any]) -> dict[str, Any]:
    """The CSL-JSON fields entry pages print, each present (None when the entry lacks it)."""
    names = ("title", "URL", "DOI", "abstract", "annotation", "note")
    view = {name: item.get(name) for name in names}
    view["title"] = item_title_text(item) if item.get("title") else None
    # Fields holding TeX math: HTML with MathML (the plain ``title`` stays for the tab and meta).
    view["html"] = {name: rich.html for name in names if (rich := rich_field(item, name))}
    return view


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
    meta = [("citation_title", item_title_text(item))]
    meta += [("citation_author", name) for name in exports.named(item.get("author", []))]
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
