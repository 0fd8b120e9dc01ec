"""The PRISMA 2020 flow diagram: inline SVG drawn at build time, every box a link to the list
of its records, a table of the same counts as its text alternative, and the PRISMA2020 R
package's CSV template (data, node, box, boxtext, tooltips, url, n) as a download.

Every number comes from ``ledger.counts``; nothing is typed. Text is 14 px and the SVG is
drawn at its natural size (never scaled down), so it stays legible.
"""

from __future__ import annotations

import base64
import csv
import io
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from macros.bibliography.bibtex import SAFE_URL
from macros.content.review import Review
from macros.kinds import ledger as ledgers
from macros.kinds.ledger import DEFAULT_STAGES, ELIGIBILITY, SCREENING, Ledger, Ref, decision_of
from macros.pages import bibindex, links
from macros.pages.render import GeneratedPage, Site

PAGE = "screening/prisma.md"
FONT = 14
LINE = 18
PAD = 9
WIDTH = 250
GAP_X = 40
GAP_Y = 34
BAND = 34  # the phase band on the left
HEADER = 40
CHARS = 31  # characters per line at 14 px in a 250 px box

TYPE_LABELS = {
    "database": "Databases",
    "register": "Registers",
    "website": "Websites",
    "organisation": "Organisations",
    "citation-searching": "Citation searching",
    "other": "Other sources",
    "previous-studies": "Previous studies",
}

# Box id -> (title in the diagram and the lists, what its records are).
BOXES: dict[str, str] = {
    "identified": "Records identified from databases and registers",
    "duplicates": "Records removed before screening: duplicates",
    "screened": "Records screened",
    "excluded-screening": "Records excluded",
    "sought": "Reports sought for retrieval",
    "not-retrieved": "Reports not retrieved",
    "assessed": "Reports assessed for eligibility",
    "excluded-full-text": "Reports excluded",
    "included": "Studies included in review",
    "other-identified": "Records identified from other methods",
    "other-duplicates": "Other methods: duplicates removed",
    "other-sought": "Other methods: reports sought for retrieval",
    "other-not-retrieved": "Other methods: reports not retrieved",
    "other-assessed": "Other methods: reports assessed for eligibility",
    "other-excluded-full-text": "Other methods: reports excluded",
    "previous-included": "Studies included in previous version of review",
}


RECORDS_PER_PAGE = 2_000  # about 600 KB of record table: a box's list stays under 1 MB a page


def box_page(box: str) -> str:
    return f"screening/{box}.md"


@dataclass(frozen=True)
class ListPart:
    """One page of a long box list: records ``first``..``last`` (1-based) of the box."""

    page: str
    first: int
    last: int
    refs: tuple[Ref, ...]

    @property
    def label(self) -> str:
        return f"Records {self.first:,}\u2013{self.last:,}"


def box_parts(box: str, refs: Sequence[Ref]) -> list[ListPart]:
    """A box's records in pages of ``RECORDS_PER_PAGE`` (cut as the bibliography index is);
    none when they fit on the box's own page."""
    if len(refs) <= RECORDS_PER_PAGE:
        return []
    return [
        ListPart(
            f"screening/{box}-part-{start // RECORDS_PER_PAGE + 1}.md",
            start + 1,
            start + len(chunk),
            chunk,
        )
        for start, chunk in bibindex.chunked(refs, RECORDS_PER_PAGE)
    ]


@dataclass(frozen=True)
class Box:
    ident: str
    column: int
    row: int
    lines: list[str]
    label: str  # aria-label: the whole box in one sentence
    extra: tuple[str, ...] = ()  # the lines under its count: sources, reasons


def _wrap(text: str) -> list[str]:
    out: list[str] = []
    line = ""
    for word in filter(None, text.split(" ")):  # str.split() also breaks at no-break spaces
        if line and len(line) + 1 + len(word) > CHARS:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*out, line] if line else out


def _reason_lines(reasons: Counter[str], labels: dict[str, str]) -> list[str]:
    return [
        f"{labels.get(r, r) if r else 'no reason given'} (n\u00a0=\u00a0{n})"
        for r, n in sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
    ]


PHASES = {
    "excluded-screening": SCREENING,
    "excluded-full-text": ELIGIBILITY,
    "other-excluded-full-text": ELIGIBILITY,
}


def excluded_lines(ledger: Ledger, box: str, labels: dict[str, str]) -> list[str]:
    """An exclusion box's reasons: one line per reason, or, when its phase has several
    stages, one line per stage ("Title screening: off topic (n = 3), ...")."""
    stages = ledger.phase(PHASES[box])
    if len(stages) < 2:
        return _reason_lines(ledger.reasons[box], labels)
    by_stage = ledger.stage_reasons[box]
    return [
        f"{s.label}: {', '.join(_reason_lines(by_stage[s.id], labels))}"
        for s in stages
        if any(by_stage[s.id])
    ]


def boxes(ledger: Ledger, n: dict[str, int], labels: dict[str, str]) -> list[Box]:
    """The boxes of the diagram, in reading order, with their column and row."""
    other = "other" in ledger.arms
    previous = "previous" in ledger.arms
    main_col = 1 if previous else 0
    out: list[Box] = []

    def add(ident: str, column: int, row: int, head: str, extra: Sequence[str] = ()) -> None:
        count = f"(n\u00a0=\u00a0{n.get(ident, 0)})"  # never split across lines
        lines = [*_wrap(f"{head} {count}"), *(x for e in extra for x in _wrap(e))]
        # The accessible name is the visible text, whole (axe: label-content-name-mismatch).
        label = " ".join(lines).replace("\u00a0", " ")
        out.append(Box(ident, column, row, lines, label, tuple(extra)))

    if previous:
        add("previous-included", 0, 0, "Studies included in previous version of review")
    by_type = Counter[str]()
    for ident, search in ledger.searches.items():
        by_type[search.type] += ledger.found[ident]
    sources = Counter[str]()
    for ident, search in ledger.searches.items():
        if search.type in ledgers.MAIN_TYPES:
            sources[search.source] += ledger.found[ident]
    add(
        "identified",
        main_col,
        0,
        "Records identified",
        [
            f"{TYPE_LABELS[t]} (n\u00a0=\u00a0{by_type[t]})"
            for t in ("database", "register")
            if by_type[t]
        ]
        + (
            [f"{s} (n\u00a0=\u00a0{c})" for s, c in sorted(sources.items())]
            if len(sources) > 1
            else []
        ),
    )
    add("duplicates", main_col + 1, 0, "Duplicate records removed before screening")
    waiting = n.get("awaiting-screening", 0)
    add(
        "screened",
        main_col,
        1,
        "Records screened",
        [f"awaiting a decision (n\u00a0=\u00a0{waiting})"] if waiting else [],
    )
    add(
        "excluded-screening",
        main_col + 1,
        1,
        "Records excluded",
        excluded_lines(ledger, "excluded-screening", labels)
        if any(ledger.reasons["excluded-screening"])
        else [],
    )
    add("sought", main_col, 2, "Reports sought for retrieval")
    add("not-retrieved", main_col + 1, 2, "Reports not retrieved")
    waiting = n.get("awaiting-assessment", 0)
    add(
        "assessed",
        main_col,
        3,
        "Reports assessed for eligibility",
        [f"awaiting a decision (n\u00a0=\u00a0{waiting})"] if waiting else [],
    )
    add(
        "excluded-full-text",
        main_col + 1,
        3,
        "Reports excluded",
        excluded_lines(ledger, "excluded-full-text", labels),
    )
    add(
        "included",
        main_col,
        4,
        "Studies included in review",
        [f"Reports of included studies (n\u00a0=\u00a0{n.get('included', 0)})"],
    )
    if other:
        col = main_col + 2
        add(
            "other-identified",
            col,
            0,
            "Records identified",
            [
                f"{TYPE_LABELS[t]} (n\u00a0=\u00a0{by_type[t]})"
                for t in sorted(ledgers.OTHER_TYPES)
                if by_type[t]
            ],
        )
        add("other-sought", col, 2, "Reports sought for retrieval")
        add("other-not-retrieved", col + 1, 2, "Reports not retrieved")
        add("other-assessed", col, 3, "Reports assessed for eligibility")
        add(
            "other-excluded-full-text",
            col + 1,
            3,
            "Reports excluded",
            excluded_lines(ledger, "other-excluded-full-text", labels),
        )
    return out


STYLE = (
    "<style>.lr-prisma{max-width:none;height:auto}"
    ".lr-prisma text{font-size:14px;fill:var(--md-default-fg-color,#000)}"
    ".lr-prisma rect.b{fill:var(--md-default-bg-color,#fff);"
    "stroke:var(--md-default-fg-color,#000);stroke-width:1.2}"
    ".lr-prisma rect.h{fill:var(--md-default-fg-color--lightest,#eee)}"
    ".lr-prisma a:focus rect.b,.lr-prisma a:hover rect.b{stroke-width:3;"
    "stroke:var(--md-accent-fg-color,#000)}"
    ".lr-prisma path{stroke:var(--md-default-fg-color,#000);fill:none;stroke-width:1.2}"
    ".lr-prisma .ah{fill:var(--md-default-fg-color,#000)}</style>"
    '<defs><marker id="lr-prisma-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
    'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
    '<path class="ah" d="M0 0L10 5L0 10z"/></marker></defs>'
)
DOWN = (
    ("identified", "screened"),
    ("screened", "sought"),
    ("sought", "assessed"),
    ("assessed", "included"),
    ("other-identified", "other-sought"),
    ("other-sought", "other-assessed"),
)
RIGHT = (
    ("identified", "duplicates"),
    ("screened", "excluded-screening"),
    ("sought", "not-retrieved"),
    ("assessed", "excluded-full-text"),
    ("other-sought", "other-not-retrieved"),
    ("other-assessed", "other-excluded-full-text"),
)


class _Layout:
    """Where each box is: columns of fixed width, rows as tall as their tallest box."""

    def __init__(self, items: list[Box]) -> None:
        self.where = {b.ident: b for b in items}
        self.heights: dict[int, int] = {}
        for b in items:
            self.heights[b.row] = max(self.heights.get(b.row, 0), len(b.lines) * LINE + 2 * PAD)
        self.tops: dict[int, int] = {}
        y = HEADER
        for row in range(5):
            self.tops[row] = y
            y += self.heights.get(row, 0) + GAP_Y
        self.height = y - GAP_Y + 10
        columns = max(b.column for b in items) + 1
        self.width = BAND + 10 + columns * WIDTH + (columns - 1) * GAP_X + 10

    @staticmethod
    def x_of(column: int) -> int:
        return BAND + 10 + column * (WIDTH + GAP_X)

    def rect(self, ident: str) -> tuple[int, int, int, int]:
        b = self.where[ident]
        return self.x_of(b.column), self.tops[b.row], WIDTH, self.heights[b.row]

    def arrows(self) -> Iterator[str]:
        for start, end in DOWN:
            if start in self.where and end in self.where:
                x, y, w, h = self.rect(start)
                yield f"M{x + w / 2} {y + h}V{self.rect(end)[1]}"
        for start, end in RIGHT:
            if start in self.where and end in self.where:
                x, y, w, h = self.rect(start)
                yield f"M{x + w} {y + h / 2}H{self.rect(end)[0]}"
        ix, iy, iw, ih = self.rect("included")
        if "other-assessed" in self.where:
            x, y, w, h = self.rect("other-assessed")
            yield f"M{x + w / 2} {y + h}V{iy + ih / 2}H{ix + iw}"
        if "previous-included" in self.where:
            x, y, w, h = self.rect("previous-included")
            yield f"M{x + w / 2} {y + h}V{iy + ih / 2}H{ix}"

    def headings(self) -> Iterator[str]:
        """The arms' headings above, the phases (identification ...) on the left."""
        heads = [(self.where["identified"].column, 2, "Identification via databases and registers")]
        if "other-identified" in self.where:
            column = self.where["other-identified"].column
            heads.append((column, 2, "Identification via other methods"))
        if "previous-included" in self.where:
            heads.append((0, 1, "Previous studies"))
        for column, span, text in heads:
            w = span * WIDTH + (span - 1) * GAP_X
            x = self.x_of(column)
            yield f'<rect class="h" x="{x}" y="4" width="{w}" height="28" rx="4"/>'
            yield f'<text x="{x + 8}" y="23">{escape(text)}</text>'
        for name, first, last in (
            ("Identification", 0, 0),
            ("Screening", 1, 3),
            ("Included", 4, 4),
        ):
            top = self.tops[first]
            bottom = self.tops[last] + self.heights.get(last, 0)
            mid = (top + bottom) / 2
            centre = BAND / 2 + 2
            size = f'width="{BAND - 6}" height="{bottom - top}"'
            yield f'<rect class="h" x="4" y="{top}" {size} rx="4"/>'
            yield (
                f'<text x="{centre}" y="{mid}" text-anchor="middle" dominant-baseline="middle" '
                f'transform="rotate(-90 {centre} {mid})">{name}</text>'
            )


def svg(ledger: Ledger, n: dict[str, int], labels: dict[str, str], href: Any) -> str:
    """The diagram; ``href(box)`` is the link of a box's list page."""
    items = boxes(ledger, n, labels)
    layout = _Layout(items)
    parts = [
        f'<svg class="lr-prisma" xmlns="http://www.w3.org/2000/svg" width="{layout.width}" '
        f'height="{layout.height}" viewBox="0 0 {layout.width} {layout.height}" role="group" '
        'aria-label="PRISMA 2020 flow diagram">',
        STYLE,
        *layout.headings(),
        *(f'<path d="{d}" marker-end="url(#lr-prisma-arrow)"/>' for d in layout.arrows()),
    ]
    for b in items:
        x, y, w, h = layout.rect(b.ident)
        parts.append(
            f'<a href="{escape(href(b.ident))}" aria-label="{escape(b.label)}" '
            f'id="prisma-{b.ident}"><title>{escape(b.label)}</title>'
            f'<rect class="b" x="{x}" y="{y}" width="{w}" height="{h}" rx="3"/>'
        )
        # One text, a line per tspan, spaces between: read as the words it shows.
        lines = " ".join(
            f'<tspan x="{x + PAD}" y="{y + PAD + (i + 1) * LINE - 4}">{escape(line)}</tspan>'
            for i, line in enumerate(b.lines)
        )
        parts.append(f"<text>{lines}</text></a>")
    parts.append("</svg>")
    return "".join(parts)


CSV_ROWS = (
    # data, node, box, boxtext, our box
    (
        "previous_studies",
        "node5",
        "box1",
        "Studies included in previous version of review",
        "previous-included",
    ),
    (
        "previous_reports",
        "NA",
        "box1",
        "Reports of studies included in previous version of review",
        "previous-included",
    ),
    ("database_results", "node7", "box2", "Databases", "identified-database"),
    ("register_results", "NA", "box2", "Registers", "identified-register"),
    ("website_results", "node17", "box11", "Websites", "identified-website"),
    ("organisation_results", "NA", "box11", "Organisations", "identified-organisation"),
    ("citations_results", "NA", "box11", "Citation searching", "identified-citation-searching"),
    ("duplicates", "node8", "box3", "Duplicate records", "duplicates"),
    ("excluded_automatic", "NA", "box3", "Records marked as ineligible by automation tools", ""),
    ("excluded_other", "NA", "box3", "Records removed for other reasons", ""),
    ("records_screened", "node9", "box4", "Records screened", "screened"),
    ("records_excluded", "node10", "box5", "Records excluded", "excluded-screening"),
    ("dbr_sought_reports", "node11", "box6", "Reports sought for retrieval", "sought"),
    ("dbr_notretrieved_reports", "node12", "box7", "Reports not retrieved", "not-retrieved"),
    ("other_sought_reports", "node18", "box12", "Reports sought for retrieval", "other-sought"),
    (
        "other_notretrieved_reports",
        "node19",
        "box13",
        "Reports not retrieved",
        "other-not-retrieved",
    ),
    ("dbr_assessed", "node13", "box8", "Reports assessed for eligibility", "assessed"),
    ("dbr_excluded", "node14", "box9", "Reports excluded", "excluded-full-text"),
    ("other_assessed", "node20", "box14", "Reports assessed for eligibility", "other-assessed"),
    ("other_excluded", "node21", "box15", "Reports excluded", "other-excluded-full-text"),
    ("new_studies", "node15", "box10", "New studies included in review", "new-included"),
    ("new_reports", "NA", "box10", "Reports of new included studies", "new-included"),
    ("total_studies", "node22", "box16", "Total studies included in review", "included"),
    ("total_reports", "NA", "box16", "Reports of total included studies", "included"),
)


def template_csv(ledger: Ledger, n: dict[str, int], labels: dict[str, str]) -> str:
    """The counts in the PRISMA2020 package's template shape: one row per box."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["data", "node", "box", "boxtext", "tooltips", "url", "n"])
    values = dict(n)
    values["new-included"] = n.get("included", 0) - n.get("previous-included", 0)
    for data, node, box, text, ours in CSV_ROWS:
        if ours in ("excluded-full-text", "other-excluded-full-text"):
            count = (
                "; ".join(
                    f"{labels.get(r, r) if r else 'no reason given'}, {c}"
                    for r, c in sorted(ledger.reasons[ours].items())
                )
                or "0"
            )
        else:
            count = str(values.get(ours, 0)) if ours else "0"
        page = ours if ours in BOXES else ""
        url = f"../{page}/" if page else "NA"
        writer.writerow([data, node, box, text, text if node != "NA" else "NA", url, count])
    return buffer.getvalue()


def data_link(text: str, name: str, label: str) -> str:
    data = base64.b64encode(text.encode()).decode()
    return (
        f'<a href="data:text/csv;charset=utf-8;base64,{data}" download="{escape(name)}">'
        f"{escape(label)}</a>"
    )


# --- record lists ---------------------------------------------------------------------------


def _record_cell(site: Site, here: str, record: Any) -> str:
    parts: list[str] = []
    if record.title:
        parts.append(escape(record.title))
    if record.key and record.key in site.review.bibliography.entries:
        href = site.href(here, links.reference_page(record.key))
        parts.append(f'<a href="{escape(href)}">{escape(site.citations(record.key))}</a>')
    elif record.key:
        parts.append(escape(record.key))
    for name, prefix in (
        ("doi", "https://doi.org/"),
        ("openalex", "https://openalex.org/"),
        ("pmid", "https://pubmed.ncbi.nlm.nih.gov/"),
        ("arxiv", "https://arxiv.org/abs/"),
    ):
        value = getattr(record, name)
        if value:
            url = prefix + value
            shown = f"{name if name != 'doi' else 'doi'}:{value}"
            if SAFE_URL.match(url):
                parts.append(f'<a href="{escape(url)}">{escape(shown)}</a>')
            else:
                parts.append(escape(shown))
    if record.url and SAFE_URL.match(record.url):
        parts.append(f'<a href="{escape(record.url)}">{escape(record.url)}</a>')
    if not parts and record.id:
        parts.append(escape(record.id))
    return "<br>".join(parts) or "(no identifier)"


def _search_label(search: Any) -> str:
    """A search as readers know it: its query (cut at a word), else its source; never its id."""
    words = (search.query or search.source).split()
    short = " ".join(words[:6]) + (" …" if len(words) > 6 else "")
    return f"“{short}”" if search.query else short


def _kept_label(site: Site, ledger: Ledger, target: str) -> str:
    """The record a duplicate repeats, named by its title or entry (escaped HTML)."""
    kept = [ledger.record(ref) for ref in ledger.resolve(target)]
    for record in kept:
        if record.key and record.key in site.review.bibliography.entries:
            return escape(site.citations(record.key))
        if record.title:
            return f"“{escape(record.title)}”"
    return escape(target)


def record_table(site: Site, here: str, ledger: Ledger, refs: Sequence[Ref], start: int = 1) -> str:
    """An HTML table of records, for a template's ``html()``: a 10,000-row list never goes
    through Markdown."""
    labels = {r.id: r.label for r in site.review.of("reasons").values()}
    rows = [
        '<div class="lr-records"><table><thead><tr><th scope="col">#</th>'
        '<th scope="col">Record</th>'
        '<th scope="col">Found by</th>'
        + "".join(f'<th scope="col">{escape(s.label)}</th>' for s in ledger.stages)
        + '<th scope="col">Notes</th></tr></thead><tbody>'
    ]
    for number, ref in enumerate(refs, start):
        batch = ledger.batches[ref.batch]
        record = ledger.record(ref)
        found = ", ".join(
            f'<a href="{escape(site.href(here, f"searches/{s}.md"))}">'
            f"{escape(_search_label(ledger.searches[s]))}</a>"
            if s in ledger.searches
            else escape(s)
            for s in record.found_by
        )
        cells = []
        for stage in ledger.stages:
            decided = decision_of(batch, record, stage.id)
            if decided is None:
                cells.append("")
                continue
            text = decided.decision
            if decided.reason:
                text += f": {labels.get(decided.reason, decided.reason)}"
            by = ", ".join(x for x in (decided.reviewer, decided.date) if x)
            by = "; ".join(x for x in (by, decided.note) if x)
            cells.append(escape(text) + (f" <small>({escape(by)})</small>" if by else ""))
        notes = []
        if record.duplicate_of:
            notes.append(f"duplicate of {_kept_label(site, ledger, record.duplicate_of)}")
        if record.retrieval == "not-retrieved":
            notes.append("full text not retrieved")
        if record.note:
            notes.append(escape(record.note))
        rows.append(
            f"<tr><td>{number}</td><td>{_record_cell(site, here, record)}</td><td>{found}</td>"
            + "".join(f"<td>{c}</td>" for c in cells)
            + f"<td>{'; '.join(notes)}</td></tr>"
        )
    rows.append("</tbody></table></div>")
    return "".join(rows)


def derived_pages(review: Review) -> Iterator[tuple[str, str, int]]:
    """The diagram and its boxes' lists: made from the whole ledger (line 0)."""
    yield PAGE, "the PRISMA 2020 flow diagram", 0
    if not review.of("screening") and not review.of("searches"):
        return
    ledger = ledgers.build(review)
    n = ledgers.counts(ledger)
    for b in boxes(ledger, n, {}):
        yield box_page(b.ident), f"the PRISMA box '{b.ident}'", 0
        for part in box_parts(b.ident, ledger.boxes.get(b.ident, [])):
            yield part.page, f"the PRISMA box '{b.ident}' ({part.label})", 0


def pages(site: Site) -> dict[str, GeneratedPage]:
    review = site.review
    if not review.of("screening") and not review.of("searches"):  # a new review: how to start
        return {PAGE: site.page("prisma_empty.md.j2", PAGE, "content/screening")}
    ledger = ledgers.build(review)
    n = ledgers.counts(ledger)
    labels = {r.id: r.label for r in review.of("reasons").values()}
    out: dict[str, GeneratedPage] = {}
    shown = {b.ident for b in boxes(ledger, n, labels)}
    split: dict[str, list[ListPart]] = {}
    for box in sorted(shown):
        here = box_page(box)
        refs = ledger.boxes.get(box, [])
        split[box] = parts = box_parts(box, refs)
        values = {
            "count": n.get(box, 0),
            "listed": len(refs),
            "box": box,
            "reasons": excluded_lines(ledger, box, labels) if box in ledger.reasons else [],
        }
        out[here] = site.page(
            "prisma_box.md.j2",
            here,
            "content/screening",
            title=BOXES[box],
            parts=[(p.label, p.page) for p in parts],
            part="",
            table="" if parts else record_table(site, here, ledger, refs),
            **values,
        )
        for part in parts:
            out[part.page] = site.page(
                "prisma_box.md.j2",
                part.page,
                "content/screening",
                title=f"{BOXES[box]}: {part.label}",
                parts=[(p.label, p.page) for p in parts],
                part=part.label,
                table=record_table(site, part.page, ledger, part.refs, part.first),
                **values,
            )
    diagram = svg(ledger, n, labels, lambda box: site.href(PAGE, box_page(box)))
    rows = [
        (
            BOXES[b.ident],
            b.ident,
            n.get(b.ident, 0),
            b.extra,
            [(p.label, p.page) for p in split.get(b.ident, [])],
        )
        for b in boxes(ledger, n, labels)
    ]
    out[PAGE] = site.page(
        "prisma.md.j2",
        PAGE,
        "content/screening",
        svg=diagram,
        rows=rows,
        box_page=box_page,
        download=data_link(
            template_csv(ledger, n, labels), "PRISMA.csv", "PRISMA2020 CSV template"
        ),
        records=sum(len(b.records) for b in ledger.batches.values()),
        **_stage_words(ledger),
    )
    return out


def _stage_words(ledger: Ledger) -> dict[str, str]:
    """How the diagram's note names the stages that pass a record on."""
    if ledger.stages == DEFAULT_STAGES:
        return {"screening_stages": "title-abstract", "eligibility_stages": "full text"}
    return {
        "screening_stages": " and ".join(s.label for s in ledger.phase(SCREENING)) or "screening",
        "eligibility_stages": " or ".join(s.label for s in ledger.phase(ELIGIBILITY))
        or "eligibility",
    }
