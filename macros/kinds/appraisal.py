"""Appraisal: risk of bias or quality of the review's works, one tool per appraisal file.

A file (``content/appraisal/<id>.yaml``) names its tool: a built-in template (RoB 2, ROBINS-I,
a CASP-style checklist, MMAT) or the review's own domains and scale (``generic``). Each work
(a BibTeX key, or the id of a paper read in depth) has a judgement per domain, with the words it
rests on, their locator, a note and the audit findings behind it, and an overall judgement
(stated, or the worst of its domains when the file says so). Its page shows a traffic-light plot
and a summary bar plot (``macros.pages.appraisalplots``), a table, every judgement with its
quote, and a robvis CSV (Study, D1..Dn, Overall, Weight).
"""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from macros.content.checks import Checker
from macros.content.errors import ContentError, did_you_mean
from macros.content.kind import Cited, Kind
from macros.content.model import Appraisal, AppraisalDomain, AppraisedWork, Judgement
from macros.content.review import Review
from macros.kinds import themetree
from macros.pages import appraisalplots, links
from macros.pages.render import GeneratedPage, Site
from macros.pages.text import attr, slug


@dataclass(frozen=True)
class Tool:
    """A tool's domains and scale: ``scale`` from best to worst, ``unclear`` rates nothing."""

    name: str
    domains: tuple[AppraisalDomain, ...]
    scale: tuple[str, ...]
    unclear: tuple[str, ...]

    @property
    def judgements(self) -> tuple[str, ...]:
        return self.scale + self.unclear

    def domain_ids(self) -> list[str]:
        return [d.id for d in self.domains]


def _domains(*pairs: tuple[str, str]) -> tuple[AppraisalDomain, ...]:
    return tuple(AppraisalDomain(id=i, name=n) for i, n in pairs)


BUILT_IN: dict[str, Tool] = {
    "rob2": Tool(
        "RoB 2",
        _domains(
            ("d1", "Bias arising from the randomization process"),
            ("d2", "Bias due to deviations from intended interventions"),
            ("d3", "Bias due to missing outcome data"),
            ("d4", "Bias in measurement of the outcome"),
            ("d5", "Bias in selection of the reported result"),
        ),
        ("low", "some concerns", "high"),
        ("no information",),
    ),
    "robins-i": Tool(
        "ROBINS-I",
        _domains(
            ("d1", "Bias due to confounding"),
            ("d2", "Bias in selection of participants into the study"),
            ("d3", "Bias in classification of interventions"),
            ("d4", "Bias due to deviations from intended interventions"),
            ("d5", "Bias due to missing data"),
            ("d6", "Bias in measurement of outcomes"),
            ("d7", "Bias in selection of the reported result"),
        ),
        ("low", "moderate", "serious", "critical"),
        ("no information",),
    ),
    "casp": Tool(
        "CASP-style checklist",
        _domains(
            ("q1", "Was there a clear statement of the aims of the research?"),
            ("q2", "Is the methodology appropriate?"),
            ("q3", "Was the research design appropriate to address the aims?"),
            ("q4", "Was the recruitment strategy appropriate to the aims?"),
            ("q5", "Were the data collected in a way that addressed the research issue?"),
            ("q6", "Has the relationship between researcher and participants been considered?"),
            ("q7", "Have ethical issues been taken into consideration?"),
            ("q8", "Was the data analysis sufficiently rigorous?"),
            ("q9", "Is there a clear statement of findings?"),
        ),
        ("yes", "no"),
        ("can't tell",),
    ),
    "mmat": Tool(
        "MMAT",
        _domains(
            ("s1", "Are there clear research questions?"),
            ("s2", "Do the collected data allow to address the research questions?"),
            ("c1", "Criterion 1 of the study's design category"),
            ("c2", "Criterion 2 of the study's design category"),
            ("c3", "Criterion 3 of the study's design category"),
            ("c4", "Criterion 4 of the study's design category"),
            ("c5", "Criterion 5 of the study's design category"),
        ),
        ("yes", "no"),
        ("can't tell",),
    ),
}


def tool_of(appraisal: Appraisal) -> Tool:
    if appraisal.tool in BUILT_IN:
        return BUILT_IN[appraisal.tool]
    return Tool(
        "the review's own tool",
        tuple(appraisal.domains),
        tuple(s.lower() for s in appraisal.scale),
        tuple(s.lower() for s in appraisal.unclear),
    )


def overall_of(appraisal: Appraisal, entry: AppraisedWork) -> str | None:
    """A work's overall judgement: stated, or (rule 'worst') the worst of its rated domains."""
    if entry.overall is not None:
        return entry.overall.judgement.lower()
    if appraisal.overall_rule != "worst":
        return None
    tool = tool_of(appraisal)
    rated = [j.judgement.lower() for j in entry.domains.values()]
    ranks = [tool.scale.index(j) for j in rated if j in tool.scale]
    if ranks:
        return tool.scale[max(ranks)]
    return next((j for j in rated if j in tool.unclear), None)


# --- checks ---------------------------------------------------------------------------------


def _judgement(
    checker: Checker, ident: str, loc: tuple[str | int, ...], tool: Tool, judgement: Judgement
) -> Iterator[ContentError]:
    if judgement.judgement.lower() not in tool.judgements:
        yield checker.error(
            "appraisal",
            ident,
            (*loc, "judgement"),
            f"judgement '{judgement.judgement}' is not on the scale of {tool.name} "
            f"({', '.join(tool.judgements)})",
            suggestion=did_you_mean(judgement.judgement.lower(), tool.judgements),
        )
    yield from checker.ids("appraisal", ident, (*loc, "audit"), judgement.audit, "audit")


def check(checker: Checker, ident: str, appraisal: Appraisal) -> Iterator[ContentError]:
    builtin = appraisal.tool in BUILT_IN
    for field in ("domains", "scale", "unclear"):
        if builtin and getattr(appraisal, field):
            yield checker.error(
                "appraisal",
                ident,
                (field,),
                f"tool '{appraisal.tool}' has its own {field}",
                f"remove {field}, or write tool: generic to define your own",
            )
    if not builtin and (not appraisal.domains or not appraisal.scale):
        yield checker.error(
            "appraisal",
            ident,
            ("tool",),
            "a generic tool needs its domains and its scale",
            "list domains: [{id, name}] and scale: [best, ..., worst], or name a built-in tool "
            "(rob2, robins-i, casp, mmat)",
        )
    yield from _check_works(checker, ident, appraisal)


def _check_works(checker: Checker, ident: str, appraisal: Appraisal) -> Iterator[ContentError]:
    tool = tool_of(appraisal)
    seen: set[str] = set()
    for i, own in enumerate(appraisal.domains):
        if own.id in seen:
            yield checker.error(
                "appraisal", ident, ("domains", i, "id"), f"domain '{own.id}' is listed twice"
            )
        seen.add(own.id)
    levels = [s.lower() for s in (*appraisal.scale, *appraisal.unclear)]
    for i, level in enumerate(levels):
        if level in levels[:i]:
            yield checker.error(
                "appraisal", ident, ("scale",), f"judgement '{level}' is on the scale twice"
            )
    works: set[str] = set()
    domain_ids = tool.domain_ids()
    for i, entry in enumerate(appraisal.works):
        loc: tuple[str | int, ...] = ("works", i)
        if entry.work in works:
            yield checker.error(
                "appraisal", ident, (*loc, "work"), f"work '{entry.work}' is appraised twice"
            )
        works.add(entry.work)
        if entry.work not in checker.review.papers:
            yield from checker.key("appraisal", ident, (*loc, "work"), entry.work)
        for name, judgement in entry.domains.items():
            if name not in domain_ids:
                yield checker.error(
                    "appraisal",
                    ident,
                    (*loc, "domains", name),
                    f"domain '{name}' is not in the tool ({', '.join(domain_ids)})",
                    suggestion=did_you_mean(name, domain_ids),
                )
                continue
            yield from _judgement(checker, ident, (*loc, "domains", name), tool, judgement)
        if entry.overall is not None:
            yield from _judgement(checker, ident, (*loc, "overall"), tool, entry.overall)
        elif appraisal.overall_rule == "given":
            yield checker.error(
                "appraisal",
                ident,
                (*loc, "work"),
                f"work '{entry.work}' has no overall judgement",
                "give overall: {judgement: ...}, or write overall_rule: worst in the file",
            )


def cites(review: Review, appraisal: Appraisal) -> Iterator[Cited]:
    """Each appraised work once (a paper read in depth is no bibliography entry)."""
    for i, entry in enumerate(appraisal.works):
        if entry.work in review.bibliography.entries:
            overall = overall_of(appraisal, entry) or "not judged"
            context = f"Appraisal ({appraisal.title}): overall {overall}"
            yield Cited(("works", i, "work"), entry.work, None, context)


# --- derived values -------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One work of an appraisal, ready to print: its label, page, judgements and weight."""

    key: str
    label: str
    page: str  # docs path of the work's page
    anchor: str  # the id of its entry on the appraisal page
    judgements: dict[str, Judgement]  # domain id -> judgement (as written)
    overall: str | None
    overall_note: Judgement | None
    weight: float | None


def work_label(site: Site, key: str) -> str:
    return site.paper_label(key) if key in site.review.papers else site.citations(key)


def work_page(site: Site, key: str) -> str:
    """The page a work's name links to: its deep reading, its work page, or its entry."""
    if key in site.review.papers:
        return site.page_of("papers", key)
    if key in site.review.of("works") or themetree.tree(site.review, site).of_work.get(key):
        return site.page_of("works", key)
    return links.reference_page(key)


def distinct(labels: list[str]) -> list[str]:
    """Labels told apart: a repeated ``Author Year`` gets a letter (``2020a``, ``2020b``)."""
    seen: dict[str, int] = {}
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
    counter: dict[str, int] = {}
    out = []
    for label in labels:
        if seen[label] == 1:
            out.append(label)
            continue
        n = counter.get(label, 0)
        counter[label] = n + 1
        letter = chr(ord("a") + n) if n < 26 else str(n + 1)
        out.append(f"{label}{letter}" if label[-1:].isdigit() else f"{label} {letter}")
    return out


def rows(site: Site, appraisal: Appraisal) -> list[Row]:
    names = distinct([work_label(site, entry.work) for entry in appraisal.works])
    return [
        Row(
            entry.work,
            name,
            work_page(site, entry.work),
            f"w-{slug(entry.work)}",
            dict(entry.domains),
            overall_of(appraisal, entry),
            entry.overall,
            entry.weight,
        )
        for entry, name in zip(appraisal.works, names, strict=True)
    ]


def work_title(site: Site, key: str) -> str:
    """A work's title, for the heading of its judgements (its label may be ambiguous)."""
    if key in site.review.papers:
        return site.review.papers[key].title
    for item in site.csl_items:
        if item.get("id") == key:
            return str(item.get("title") or "")
    return ""


def shares(
    tool: Tool, judgements: list[tuple[str | None, float | None]]
) -> list[tuple[str, float, int]]:
    """Per judgement of the scale: its share (weights counted if any work has one), count.
    ``judgements`` holds (judgement or None, weight); works without a judgement are left out."""
    weighted = any(w is not None for _, w in judgements)
    total = 0.0
    sums: dict[str, float] = {}
    counts: dict[str, int] = {}
    for judgement, weight in judgements:
        if judgement is None:
            continue
        value = (weight if weight is not None else 1.0) if weighted else 1.0
        total += value
        sums[judgement] = sums.get(judgement, 0.0) + value
        counts[judgement] = counts.get(judgement, 0) + 1
    return [
        (j, (sums[j] / total) if total else 0.0, counts[j]) for j in tool.judgements if j in counts
    ]


def summary_of(
    tool: Tool, table: list[Row]
) -> list[tuple[AppraisalDomain, list[tuple[str, float, int]]]]:
    """Per domain, then overall: the share and count of each judgement."""
    out = []
    for domain in tool.domains:
        judged = [
            (
                r.judgements[domain.id].judgement.lower() if domain.id in r.judgements else None,
                r.weight,
            )
            for r in table
        ]
        out.append((domain, shares(tool, judged)))
    overall = AppraisalDomain(id="overall", name="Overall")
    out.append((overall, shares(tool, [(r.overall, r.weight) for r in table])))
    return out


def robvis_csv(appraisal: Appraisal, labels: dict[str, str]) -> str:
    """The robvis table: Study, D1..Dn, Overall, Weight (judgements as the tool writes them)."""
    tool = tool_of(appraisal)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["Study", *[f"D{i + 1}" for i in range(len(tool.domains))], "Overall", "Weight"]
    )
    for entry in appraisal.works:
        cells = [
            entry.domains[d.id].judgement.lower() if d.id in entry.domains else ""
            for d in tool.domains
        ]
        weight = f"{entry.weight:g}" if entry.weight is not None else "1"
        overall = overall_of(appraisal, entry) or ""
        writer.writerow([labels.get(entry.work, entry.work), *cells, overall, weight])
    return out.getvalue()


def data_url(text: str, kind: str) -> str:
    return f"data:{kind};charset=utf-8;base64,{base64.b64encode(text.encode()).decode()}"


def of_work(review: Review, key: str) -> list[tuple[Appraisal, AppraisedWork]]:
    """Every appraisal of one work (for the work's own page)."""
    return [
        (appraisal, entry)
        for appraisal in review.of("appraisal").values()
        for entry in appraisal.works
        if entry.work == key
    ]


def summary_of_work(review: Review, key: str) -> list[dict[str, object]]:
    """One work's appraisals for its own page: title, page, anchor, overall, judgements."""
    out: list[dict[str, object]] = []
    for item, entry in of_work(review, key):
        tool = tool_of(item)
        out.append(
            {
                "title": item.title,
                "page": url(item.id),
                "anchor": f"w-{slug(key)}",
                "overall": overall_of(item, entry),
                "judgements": [
                    (d.name, entry.domains[d.id].judgement.lower())
                    for d in tool.domains
                    if d.id in entry.domains
                ],
            }
        )
    return out


# --- pages ----------------------------------------------------------------------------------


def url(ident: str, _part: str = "index") -> str:
    return f"appraisal/{ident}.md"


def _plots(
    site: Site,
    here: str,
    *,
    appraisal: Appraisal,
    table: list[Row],
    summary: list[tuple[AppraisalDomain, list[tuple[str, float, int]]]],
    csv_text: str,
) -> dict[str, str]:
    """The page's HTML parts: the plots, the legend, the tables, the entries, the download."""
    tool = tool_of(appraisal)
    marks = appraisalplots.marks(tool.scale, tool.unclear)
    audits = site.review.of("audit")
    values = {
        "domains": tool.domains,
        "rows": table,
        "marks": marks,
        "summary": summary,
        "judgements": tool.judgements,
        "weighted": any(r.weight is not None for r in table),
        "href": lambda to: site.href(here, to),
        "audit_page": lambda a: site.page_of("audit", a),
        "title_of": lambda key: work_title(site, key),
        "audit_title": lambda a: audits[a].title if a in audits else a,
    }
    name = f"{appraisal.id}-robvis.csv"
    return {
        "traffic": '<div class="lr-plot-scroll">'
        + appraisalplots.traffic_light(appraisal.title, tool.domains, table, marks)
        + "</div>",
        "bars": '<div class="lr-plot-scroll">'
        + appraisalplots.summary_bars(appraisal.title, summary, marks)
        + "</div>",
        "legend": appraisalplots.legend(marks),
        "tables": site.env.get_template("appraisal_body.html").render(values),
        "entries": site.env.get_template("appraisal_entries.html").render(values),
        "download": f'<a href="{data_url(csv_text, "text/csv")}" download="{attr(name)}">'
        f"{attr(name)}</a>",
    }


def pages(site: Site) -> dict[str, GeneratedPage]:
    review = site.review
    appraisals: dict[str, Appraisal] = review.of("appraisal")
    out: dict[str, GeneratedPage] = {}
    for ident, appraisal in appraisals.items():
        here = url(ident)
        tool = tool_of(appraisal)
        table = rows(site, appraisal)
        summary = summary_of(tool, table)
        labels = {r.key: r.label for r in table}
        csv_text = robvis_csv(appraisal, labels)
        out[here] = site.page(
            "appraisal.md.j2",
            here,
            site.source("appraisal", ident),
            appraisal=appraisal,
            tool=tool,
            rows=table,
            weighted=any(r.weight is not None for r in table),
            sources=site.cite_item(here, KIND, appraisal),
            plots=_plots(
                site, here, appraisal=appraisal, table=table, summary=summary, csv_text=csv_text
            ),
        )
    out["appraisal/index.md"] = site.page(
        "appraisal_index.md.j2",
        "appraisal/index.md",
        "content/appraisal",
        appraisals=list(appraisals.values()),
        tools={i: tool_of(a) for i, a in appraisals.items()},
    )
    return out


KIND = Kind(
    name="appraisal",
    model=Appraisal,
    singular="appraisal",
    label="Appraisal",
    schema_name="appraisal",
    check=check,
    cites=cites,
    url=url,
    pages=pages,
)
