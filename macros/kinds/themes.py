"""Themes: the review's topics, a tree in which a theme may have several parents, each with a
definition and an own-words synthesis. Tagged libraries get theme pages from their keywords
(``macros.kinds.themetree``). Each theme page lists its works (sortable, filterable), its
sub-themes, a per-year histogram and where the synthesis matrix says its works agree or
conflict."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from macros.content.checks import Checker
from macros.content.errors import ContentError
from macros.content.kind import Cited, Found, Kind
from macros.content.model import Theme
from macros.content.review import Review
from macros.kinds import claims, themetree, works
from macros.pages import citedprose, links
from macros.pages.histogram import year_histogram
from macros.pages.labels import short_label
from macros.pages.render import GeneratedPage, Site
from macros.pages.text import md_text


def check(checker: Checker, ident: str, theme: Theme) -> Iterator[ContentError]:
    known = themetree.tree(checker.review, checker).themes
    for i, parent in enumerate(theme.parents):
        if parent not in known and ("themes", parent) not in checker.review.broken:
            yield checker.error(
                "themes",
                ident,
                ("parents", i),
                f"unknown theme id '{parent}'",
                f"create content/themes/{parent}.yaml or fix the id",
            )
    yield from checker.sources("themes", ident, theme.sources)
    for marker in citedprose.markers(theme.synthesis or ""):
        if marker.kind == "cite":
            yield from checker.key("themes", ident, ("synthesis",), marker.value)
        elif marker.kind == "claim":
            yield from checker.one_id("themes", ident, ("synthesis",), marker.value, "claims")
    yield from checker.ids("themes", ident, ("claims",), theme.claims, "claims")
    loop = themetree.cycle(known)
    if loop is not None and ident == min(loop) and ident in checker.review.of("themes"):
        yield checker.error(
            "themes",
            ident,
            ("parents",),
            f"themes form a cycle: {' > '.join(loop)}",
            "a theme cannot be its own ancestor; remove one of these parents",
        )


def cites(_review: Review, theme: Theme) -> Iterator[Cited]:
    for i, source in enumerate(theme.sources):
        yield Cited(("sources", i, "key"), source.key, source.locator, f"Theme {theme.name}")
    for marker in citedprose.markers(theme.synthesis or ""):
        if marker.kind == "cite":
            yield Cited(("synthesis",), marker.value, marker.locator, f"Theme {theme.name}")


def synthesis_markdown(site: Site, here: str, theme: Theme) -> str:
    """The theme's synthesis as Markdown: its ``[@key, locator]`` citations as footnotes, its
    ``[claim:ID]`` links named by the claim's short statement, its ``$TeX$`` as MathML."""
    claims_of = site.review.of("claims")
    context = f"Theme {theme.name}"

    def cite(key: str, locator: str | None) -> str:
        return site.registry.cite(here, key, locator, context)

    def claim(ident: str) -> str:
        name = md_text(short_label(claims_of[ident].statement))
        return f"[{name}]({links.relative(here, site.page_of('claims', ident))})"

    return citedprose.cited_prose(theme.synthesis or "", cite, claim, site.stash.put)


def sources_of(site: Site, here: str, theme: Theme) -> list[dict[str, object]]:
    """The theme's ``sources`` list, each cited once (inline citations are not repeated)."""
    return [
        {
            "key": source.key,
            "locator": source.locator,
            "marker": site.registry.cite(here, source.key, source.locator, f"Theme {theme.name}"),
        }
        for source in theme.sources
    ]


def report(review: Review) -> Iterator[Found]:
    tree = themetree.build(review)
    for ident in review.of("themes"):
        if not tree.members.get(ident) and not tree.children.get(ident):
            yield Found("unmentioned", ident, (), f"theme '{ident}' has no works")


def derived_pages(review: Review) -> Iterator[tuple[str, str, int]]:
    for ident, line in themetree.build(review).derived.items():
        yield KIND.page(ident), f"theme '{ident}' (from keywords)", line


def works_table(site: Site, here: str, members: list[str], years: dict[str, str]) -> str:
    """The theme's works as a table that sorts by work, year and title and filters by text
    (``litreview-table.js``, from ``file://``); a plain table without script."""
    cite, titles = site.citations, _titles(site)
    rows = [
        {
            "key": key,
            "label": cite(key),
            "year": years.get(key, ""),
            "title": titles.get(key, ""),
            "href": site.href(here, works.url(key)),
        }
        for key in members
    ]
    return site.env.get_template("theme_works.html").render(rows=rows)


def _titles(site: Site) -> dict[str, str]:
    """Each work's title: CSL-JSON's, else the entry's as written (braces dropped)."""
    titles = {k: e.get("title") or "" for k, e in site.review.bibliography.entries.items()}
    titles.update((str(i.get("id")), str(i["title"])) for i in site.csl_items if i.get("title"))
    return {k: re.sub(r"[{}]", "", t) for k, t in titles.items()}


def pages(site: Site) -> dict[str, GeneratedPage]:
    review = site.review
    tree = themetree.tree(review, site)
    entries = review.bibliography.entries
    years = {k: works.year(review, k) for k in tree.of_work}
    cells_of: dict[str, list[Any]] = {}
    for cell in review.of("synthesis").values():
        cells_of.setdefault(cell.theme, []).append(cell)
    work_of = {p: works.of_paper(review, p) for p in review.papers}
    relations = [
        (a, r, b, work_of.get(a.paper), work_of.get(b.paper)) for a, r, b in claims.related(review)
    ]
    out: dict[str, GeneratedPage] = {}
    for ident, theme in tree.themes.items():
        here = KIND.page(ident)
        members = [k for k in tree.members.get(ident, []) if k in entries]
        members.sort(key=lambda k: (years.get(k, ""), k))
        below = tree.below(ident)
        all_works = {k for t in below for k in tree.members.get(t, [])}
        source = site.source("themes", ident) if ident in review.of("themes") else ""
        cells = cells_of.get(ident, [])
        out[here] = site.page(
            "theme.md.j2",
            here,
            source or review.bibliography.path,
            theme=theme,
            parents=[tree.themes[p] for p in theme.parents if p in tree.themes],
            children=[
                (tree.themes[c], len(tree.members.get(c, []))) for c in tree.children.get(ident, [])
            ],
            members=members,
            table=works_table(site, here, members, years) if members else "",
            total=len(all_works),
            chart=year_histogram([years.get(k, "") for k in members], f"Works on {theme.name}"),
            cells=cells,
            # Claims relating to each other when both their works sit in the theme (or below).
            relations=[
                (a, r, b) for a, r, b, wa, wb in relations if wa in all_works and wb in all_works
            ],
            synthesis=synthesis_markdown(site, here, theme),
            sources=sources_of(site, here, theme),
        )
    out["themes/index.md"] = site.page(
        "themes_index.md.j2",
        "themes/index.md",
        "content/themes",
        tree=tree,
        # A theme's count includes its sub-themes' works (a grouping theme holds none itself).
        totals={
            t: len({k for below in tree.below(t) for k in tree.members.get(below, [])})
            for t in tree.themes
        },
        roots=sorted(tree.roots(), key=lambda t: tree.themes[t].name.lower()),
        unthemed=[k for k in review.of("works") if not tree.of_work.get(k)],
    )
    return out


KIND = Kind(
    name="themes",
    model=Theme,
    singular="theme",
    label="Themes",
    schema_name="theme",
    check=check,
    cites=cites,
    report=report,
    pages=pages,
    derived_pages=derived_pages,
)
