"""Works: every work is a bibliography entry; its catalogue layer (``content/works/<key>.yaml``:
themes, own-words summary, date added, status, what was read) is optional and joined on the
BibTeX key. Title, authors, venue and DOI come from the entry. One page per work in a theme or
with a catalogue layer, linking to its deep reading (``content/papers/``) if there is one."""

from __future__ import annotations

from collections.abc import Iterator

from macros.bibliography.importer import year_of
from macros.content.checks import Checker
from macros.content.errors import ContentError, did_you_mean
from macros.content.kind import Cited, Found, Kind
from macros.content.model import Work
from macros.content.review import Review
from macros.kinds import appraisal, themetree
from macros.kinds.extraction import values_of
from macros.pages import bibindex
from macros.pages.histogram import year_histogram
from macros.pages.labels import short_label
from macros.pages.render import GeneratedPage, Site
from macros.pages.text import slug


def check(checker: Checker, ident: str, work: Work) -> Iterator[ContentError]:
    yield from checker.key("works", ident, ("id",), work.id)
    yield from checker.sources("works", ident, work.sources)
    known = themetree.tree(checker.review, checker).themes
    for i, theme in enumerate(work.themes):
        if theme.id not in known and ("themes", theme.id) not in checker.review.broken:
            yield checker.error(
                "works",
                ident,
                ("themes", i, "id"),
                f"unknown theme id '{theme.id}'",
                f"create content/themes/{theme.id}.yaml or fix the id",
                suggestion=did_you_mean(theme.id, known),
            )


def cites(_review: Review, work: Work) -> Iterator[Cited]:
    # The summary's own words are the context readers see in "cited by", never the work's key.
    context = short_label(str(work.summary)) if work.summary else "A work's summary"
    for i, source in enumerate(work.sources):
        yield Cited(("sources", i, "key"), source.key, source.locator, context)


def report(review: Review) -> Iterator[Found]:
    of_work = themetree.build(review).of_work
    for key in review.of("works"):
        if not of_work.get(key):
            yield Found("unthemed", key, ("themes",), f"work '{key}' is in no theme")


def derived_pages(review: Review) -> Iterator[tuple[str, str, int]]:
    works = review.of("works")
    entries = review.bibliography.entries
    of_work = themetree.build(review).of_work
    for key, themes in of_work.items():
        if themes and key not in works and key in entries:
            yield url(key), f"work '{key}'", entries[key].line
    keys = [k for k in entries if k in works or of_work.get(k)]
    for page, label, _ in list_parts(keys):
        yield page, f"the list of {label}", 0


WORKS_PER_PAGE = 2_000  # about 400 KB of table: 10,000 works stay under 1 MB a page


def list_parts(keys: list[str]) -> list[tuple[str, str, list[str]]]:
    """The works table of a big review over pages (cut as the bibliography index is):
    (page, "works 1-2,000", keys) each; none when one page holds them all."""
    if len(keys) <= WORKS_PER_PAGE:
        return []
    return [
        (
            f"works/all-{start // WORKS_PER_PAGE + 1}.md",
            f"works {start + 1:,}\u2013{start + len(chunk):,}",
            list(chunk),
        )
        for start, chunk in bibindex.chunked(keys, WORKS_PER_PAGE)
    ]


def url(ident: str, _part: str = "index") -> str:
    return f"works/{slug(ident)}.md"


def year(review: Review, key: str) -> str:
    entry = review.bibliography.entries.get(key)
    return year_of(entry.fields) if entry is not None else ""


def deep_reading(review: Review, key: str) -> str | None:
    """The paper (deep reading) of a work: the paper whose ``key`` (or id) is the work's key."""
    for paper in review.papers.values():
        if getattr(paper, "key", None) == key or paper.id == key:
            return paper.id
    return None


def of_paper(review: Review, paper_id: str) -> str | None:
    """The work (bibliography key) a paper is the deep reading of, if it is one."""
    paper = review.papers.get(paper_id)
    if paper is None:
        return None
    key = getattr(paper, "key", None) or paper.id
    return key if key in review.bibliography.entries else None


def pages(site: Site) -> dict[str, GeneratedPage]:
    review = site.review
    tree = themetree.tree(review, site)
    works: dict[str, Work] = review.of("works")
    entries = review.bibliography.entries
    keys = [k for k in entries if k in works or tree.of_work.get(k)]
    cells: dict[str, list[object]] = {}
    for cell in review.of("synthesis").values():
        cells.setdefault(cell.work, []).append(cell)
    titles = {str(i.get("id")): str(i["title"]) for i in site.csl_items if i.get("title")}
    names = {t: theme.name for t, theme in tree.themes.items()}
    out: dict[str, GeneratedPage] = {}
    for key in keys:
        here = url(key)
        work = works.get(key)
        out[here] = site.page(
            "work.md.j2",
            here,
            site.source("works", key) if work is not None else review.bibliography.path,
            key=key,
            title=titles.get(key, key),
            theme_names=names,
            work=work,
            themes=[tree.themes[t] for t in tree.of_work.get(key, [])],
            rationale={t.id: t.rationale for t in work.themes} if work else {},
            cells=cells.get(key, []),
            paper=deep_reading(review, key),
            extracted=values_of(review, key),
            appraised=appraisal.summary_of_work(review, key),
            sources=site.cite_item(here, KIND, work) if work is not None else [],
        )
    # The review's coverage date (``coverage:`` of the litreview plugin in mkdocs.yml).
    coverage = review.settings.coverage if review.settings is not None else ""
    years = {k: year(review, k) for k in keys}
    parts = list_parts(keys)
    listing = [(label, page) for page, label, _ in parts]
    table = {"years": years, "themes_of": tree.of_work, "theme_names": names, "parts": listing}
    out["works/index.md"] = site.page(
        "works_index.md.j2",
        "works/index.md",
        "content/works",
        keys=keys,
        rows=[] if parts else keys,
        coverage=coverage,
        chart=year_histogram(list(years.values()), "Works per year"),
        part=None,
        **table,
    )
    for page, label, chunk in parts:
        out[page] = site.page(
            "works_index.md.j2",
            page,
            "content/works",
            keys=keys,
            rows=chunk,
            coverage=coverage,
            chart="",
            part=label,
            **table,
        )
    added = sorted(
        ((w.added, k) for k, w in works.items() if w.added is not None and k in entries),
        reverse=True,
    )
    out["works/recent.md"] = site.page(
        "works_recent.md.j2",
        "works/recent.md",
        "content/works",
        added=added,
        coverage=coverage,
        latest=max((d for d, _ in added), default=None),
    )
    return out


KIND = Kind(
    name="works",
    model=Work,
    singular="work",
    label="Works",
    schema_name="work",
    check=check,
    cites=cites,
    report=report,
    url=url,
    pages=pages,
    derived_pages=derived_pages,
)
