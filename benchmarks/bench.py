"""Build-cost benchmark: a synthetic review built by litreview against a bare MkDocs site.

``python -m benchmarks.bench`` (``make bench``) runs, per scale (1k references / 100 entities,
5k / 500, and with ``--with-20k`` 20k / 2k):

1. generate a synthetic review in a temporary folder (seeded, so every run builds the same
   content) and validate it with the loader: zero check errors or the benchmark stops;
2. build it with ``mkdocs build --strict``: cold (empty ``.cache/``) and warm (citation cache
   filled), each in its own child process, timing wall seconds and the peak RSS of that
   child's process tree (``os.wait4``);
3. build a bare mkdocs-material site with as many pages, of the same Markdown lengths, with
   the same theme, Markdown extensions and plugins minus litreview and macros;
4. edit one entity file, rebuild; edit one BibTeX entry, rebuild (both on the warm cache);
5. print a table, one JSON line per scale, and the seconds per page at the largest scale
   against the smallest.

``--profile`` also runs the 5k cold build under cProfile and writes the top functions, grouped
by where the time goes, to ``--profile-out``. Nothing here asserts on time; the numbers are
for docs/maintainers/performance.md.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import pstats
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import typing
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from macros.content.model import EntityType

SEED = 20240517


@dataclass(frozen=True)
class Scale:
    name: str
    refs: int
    entities: int


SCALES: dict[str, Scale] = {
    "1k": Scale("1k", 1_000, 100),
    "5k": Scale("5k", 5_000, 500),
    "20k": Scale("20k", 20_000, 2_000),
}
JSON_KEYS = (
    "scale",
    "refs",
    "entities",
    "pages",
    "litreview_cold_s",
    "litreview_warm_s",
    "bare_s",
    "ratio_cold",
    "ratio_warm",
    "s_per_page",
    "peak_rss_mb",
    "site_mb",
    "edit_yaml_s",
    "edit_bib_s",
    "serve_yaml_s",
    "serve_bib_s",
)


class BenchError(Exception):
    """The synthetic content is invalid or a build failed; the message says where."""


# --- synthetic content ---------------------------------------------------------------------

# Given names and surnames as a BibTeX file spells them: LaTeX accents, braces, raw Unicode.
GIVEN = (
    r"{\'E}mile",
    "Hans",
    r"J\"{o}rg",
    r"Fran\c{c}oise",
    r"Ren\'{e}e",
    "Ana",
    "Bo",
    "Kwame",
    "Mei",
    "Thị",
    "Siobhán",
    "Lars",
    "Ngozi",
    "Inês",
    r"Tom\'{a}s",
    "Yuki",
)
SURNAMES = (
    (r"M\"{u}ller", "muller"),
    (r"Garc\'{i}a", "garcia"),
    (r"Dvo\v{r}\'{a}k", "dvorak"),
    (r"S{\o}rensen", "sorensen"),
    (r"Pe\~{n}a", "pena"),
    (r"Lef\`{e}vre", "lefevre"),
    (r"Sch\"{o}n", "schon"),
    (r"Ko\c{c}", "koc"),
    ("Nguyễn", "nguyen"),
    ("Okafor", "okafor"),
    ("Nakamura", "nakamura"),
    ("Lindqvist", "lindqvist"),
    ("Haddad", "haddad"),
    ("Kowalski", "kowalski"),
    ("O'Brien", "obrien"),
    ("Silva", "silva"),
    ("Mensah", "mensah"),
    ("Rossi", "rossi"),
)
ORGANISATIONS = (
    "World Water Council",
    "Regional Transport Observatory",
    "Council for Rural Schools",
    "Open Data Institute of the North",
    "Centre for Housing Studies",
    "Lakeland Statistics Office",
)
TOPICS = (
    "rivers",
    "roads",
    "markets",
    "schools",
    "clinics",
    "water",
    "housing",
    "transport",
    "energy",
    "farming",
    "literacy",
    "bridges",
    "harbours",
    "forests",
    "railways",
    "wages",
)
ADJECTIVES = (
    "rural",
    "urban",
    "coastal",
    "informal",
    "public",
    "local",
    "seasonal",
    "regional",
    "small",
    "shared",
)
PLACES = (
    "the Northern Delta",
    "Riverside Province",
    "Lakeland",
    "the Eastern Highlands",
    "Port Avalon",
    "the Green Valley",
)
JOURNALS = (
    "Journal of Applied Infrastructure",
    "Review of Water Policy",
    "Comparative Education Quarterly",
    "Development Letters",
    "Studies in Regional Economics",
)
PUBLISHERS = (
    ("Northbridge University Press", "Cambridge, MA"),
    ("Harbour Books", r"Z\"{u}rich"),
    ("Lakeside Academic", "Montréal"),
    ("Meridian", "Lisbon"),
)
LANGIDS = ("english", "ngerman", "french", "spanish", "portuguese")
SOURCE_KINDS = ("academic", "own-org", "news", "government", "un-ngo")
ENTITY_TYPES: tuple[str, ...] = typing.get_args(EntityType)
RELATION_TYPES = ("funds", "partners-with", "implements", "regulates", "part-of", "organises")
CLAIM_KINDS = ("finding", "background", "definition", "verdict", "method")
AUDIT_CATEGORIES = ("misattribution", "inconsistency", "unsupported", "time-scope", "method")
SECTIONS = ("introduction", "background", "method", "findings", "discussion", "conclusion")
PARAGRAPHS_PER_SECTION = 5
NOTES_CITES = 2  # references a footnote cites (ibid notes cite one)


def _words(rng: random.Random, count: int) -> str:
    pool = TOPICS + ADJECTIVES + ("the", "of", "and", "in", "for", "with", "across", "between")
    return " ".join(rng.choice(pool) for _ in range(count))


def _sentence(rng: random.Random, count: int = 12) -> str:
    text = _words(rng, count)
    return text[0].upper() + text[1:] + "."


def _title(rng: random.Random) -> str:
    a, b = rng.sample(TOPICS, 2)
    adjective = rng.choice(ADJECTIVES)
    title = f"{adjective.capitalize()} {a} and {b}: Evidence from {rng.choice(PLACES)}"
    style = rng.random()
    if style < 0.2:
        title = title.replace(" and ", r" \& ", 1)
    elif style < 0.35:
        title += r", {GDP} and {OECD} Figures"
    elif style < 0.45:
        title += ", 1990--2020"
    return title


def _person(rng: random.Random) -> tuple[str, str]:
    surname, ascii_name = rng.choice(SURNAMES)
    return f"{surname}, {rng.choice(GIVEN)}", ascii_name


def bib_entry(rng: random.Random, index: int) -> tuple[str, str]:
    """One realistic biblatex entry: (key, text). Types, fields and spellings vary."""
    kind = ("article", "article", "online", "book", "report")[index % 5]
    year = 1990 + rng.randrange(34)
    people = [_person(rng) for _ in range(rng.randint(1, 3))]
    organisation = rng.choice(ORGANISATIONS)
    uses_org = kind in {"online", "report"} and rng.random() < 0.6
    lead = organisation.split()[0].lower() if uses_org else people[0][1]
    key = f"{lead}{year}{rng.choice(TOPICS)}{index:05d}"
    author = "{" + organisation + "}" if uses_org else " and ".join(p[0] for p in people)
    fields: list[tuple[str, str]] = [("author", author), ("title", _title(rng))]
    if kind == "article":
        first = rng.randint(1, 300)
        fields += [
            ("journaltitle", rng.choice(JOURNALS)),
            ("volume", str(rng.randint(1, 40))),
            ("number", str(rng.randint(1, 4))),
            ("pages", f"{first}--{first + rng.randint(8, 30)}"),
            ("date", str(year)),
        ]
        if rng.random() < 0.5:
            fields.append(("doi", f"10.5555/lr.{year}.{index:05d}"))
    elif kind == "online":
        fields += [
            (
                "url",
                f"https://example.org/files/Annual%20Report%20{year}.pdf?id={index}&lang=en",
            ),
            ("urldate", f"{2020 + index % 5}-0{1 + index % 9}-{10 + index % 18}"),
            ("date", f"{year}-0{1 + index % 9}"),
        ]
    elif kind == "book":
        publisher, location = rng.choice(PUBLISHERS)
        fields += [("publisher", publisher), ("location", location), ("date", str(year))]
    else:
        fields += [
            ("type", "Working Paper"),
            ("number", str(rng.randint(1, 99))),
            ("institution", organisation),
            ("date", str(year)),
        ]
        if rng.random() < 0.5:
            fields.append(("url", f"https://example.org/reports/{year}/wp%20{index}.pdf?a=1&b=2"))
            fields.append(("urldate", "2023-03-26"))
    if rng.random() < 0.3:
        fields.append(("langid", rng.choice(LANGIDS)))
    # A topic keyword as libraries carry them (the bibliography filters by keyword); taken from
    # the index, not the generator, so every other field stays as earlier runs generated it.
    topics = f"{TOPICS[index % len(TOPICS)]}, {TOPICS[index // 7 % len(TOPICS)]}"
    fields.append(("keywords", f"source:{rng.choice(SOURCE_KINDS)}, {topics}"))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return key, f"@{kind}{{{key},\n{body}}}\n"


def _dump(schema: str, data: dict[str, Any]) -> str:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return f"# yaml-language-server: $schema=../../schemas/{schema}.schema.json\n{text}"


def _where(rng: random.Random) -> dict[str, Any]:
    return {
        "section": rng.choice(SECTIONS),
        "paragraph": rng.randint(1, PARAGRAPHS_PER_SECTION),
    }


def _paper_entry(rng: random.Random, number: int) -> tuple[str, str]:
    """A paper's own BibTeX entry (its title, author, journal and year live there)."""
    key = f"paper{number:03d}"
    given, family = rng.choice(("Ana", "Bo", "Mei")), rng.choice(SURNAMES)[1].title()
    title = f"Paper {number}: {_title(rng)}"
    return key, (
        f"@article{{{key},\n  author = {{{family}, {given}}},\n  title = {{{title}}},\n"
        f"  journaltitle = {{{rng.choice(JOURNALS)}}},\n  volume = {{{rng.randint(1, 20)}}},\n"
        f"  number = {{{rng.randint(1, 4)}}},\n  date = {{{2000 + number % 24}}},\n"
        f"  doi = {{10.5555/paper.{number}}},\n  keywords = {{source:academic}},\n}}\n"
    )


def _paper(rng: random.Random, paper_id: str, key: str) -> dict[str, Any]:
    sections = [
        {
            "id": section,
            "heading": f"{i + 1}. {section.capitalize()}",
            "level": 1,
            "summary": _sentence(rng),
            "paragraphs": [
                {"n": n, "opens": _words(rng, 4).capitalize(), "gist": _sentence(rng, 10)}
                for n in range(1, PARAGRAPHS_PER_SECTION + 1)
            ],
        }
        for i, section in enumerate(SECTIONS)
    ]
    return {
        "id": paper_id,
        "key": key,
        "keywords": rng.sample(TOPICS, 3),
        "summary": {
            "question": _sentence(rng),
            "method": "A *reading* of " + _words(rng, 6) + ".",
            "conclusion": _sentence(rng) + " {{ 7*7 }} stays literal.",
        },
        "argument": {
            "question": _sentence(rng),
            "frameworks": [
                {
                    "id": "effect",
                    "name": "Effect framework",
                    "attributed_to": "A. Scholar",
                    "as_printed": ["A. Scholar"],
                    "summary": _sentence(rng),
                    "where": {"section": "background", "paragraph": 1},
                    "dimensions": [
                        {"id": "output", "name": "Output", "summary": "What was done."},
                        {"id": "impact", "name": "Impact", "summary": "What changed."},
                    ],
                }
            ],
            "categories": [
                {"id": "access", "name": "Access", "summary": "Who can reach it."},
                {"id": "quality", "name": "Quality", "summary": "How good it is."},
            ],
            "verdicts": [
                {
                    "dimension": "overall",
                    "verdict": "effective",
                    "statement": _sentence(rng),
                    "quote": _words(rng, 5),
                    "where": {"section": "conclusion", "paragraph": 1},
                }
            ],
        },
        "sections": sections,
    }


@dataclass
class _Plan:
    """The ids of everything, and who cites what: footnotes and audit ids per paper."""

    papers: list[str]
    keys: list[str]
    entities: list[str]
    claims: list[str]
    notes: dict[str, list[dict[str, Any]]]
    findings: dict[str, list[str]]


def _footnotes(rng: random.Random, keys: list[str], findings: list[str]) -> list[dict[str, Any]]:
    notes: list[dict[str, Any]] = []
    pending = list(keys)
    while pending:
        number = len(notes) + 1
        if notes and number % 10 == 0:  # "Ibid." of the note before, with a new page
            previous = notes[-1]
            page = rng.randint(1, 300)
            notes.append(
                {
                    "number": number,
                    "printed": f"Ibid., {page}.",
                    "where": previous["where"],
                    "cites": [{"key": previous["cites"][0]["key"], "locator": str(page)}],
                    "ibid_of": previous["number"],
                }
            )
            continue
        cited, pending = pending[:NOTES_CITES], pending[NOTES_CITES:]
        cites: list[dict[str, Any]] = [{"key": cited[0], "locator": f"p. {rng.randint(1, 300)}"}]
        cites += [{"key": key} for key in cited[1:]]
        note: dict[str, Any] = {
            "number": number,
            "printed": "; ".join(f"{k.capitalize()}, {_words(rng, 4)}" for k in cited) + ".",
            "where": _where(rng),
            "cites": cites,
        }
        if findings and number % 25 == 0:
            note["audit"] = [findings[(number // 25) % len(findings)]]
        notes.append(note)
    return notes


def generate_review(root: Path, refs: int, entities: int, seed: int = SEED) -> None:
    """Write a synthetic review (content/, references.bib, mkdocs.yml, docs/) and validate it.

    ``entities // 50`` papers (at least one) with six sections of five paragraphs; every
    reference is cited by a footnote of one paper (about 250 notes a paper at the default
    scales), each paper prints a reference list and has two audit findings; ``entities``
    entities and as many claims cite footnotes, entries and each other.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible content, not security
    if root.exists():
        shutil.rmtree(root)
    content = root / "content"
    for kind in ("papers", "footnotes", "reflists", "entities", "claims", "audit"):
        (content / kind).mkdir(parents=True)
    (root / "docs").mkdir()

    entries = [bib_entry(rng, i) for i in range(refs)]
    keys = [key for key, _ in entries]
    (root / "references.bib").write_text("\n".join(text for _, text in entries), "utf-8")

    paper_ids = [f"paper-{i:03d}" for i in range(1, max(1, entities // 50) + 1)]
    per_paper = math.ceil(refs / len(paper_ids))
    notes_of: dict[str, list[dict[str, Any]]] = {}
    findings_of: dict[str, list[str]] = {}
    for i, paper_id in enumerate(paper_ids):
        paper_key, paper_bib = _paper_entry(rng, i + 1)
        with (root / "references.bib").open("a", encoding="utf-8") as library:
            library.write("\n" + paper_bib)
        paper = _paper(rng, paper_id, paper_key)
        (content / "papers" / f"{paper_id}.yaml").write_text(_dump("paper", paper), "utf-8")
        own = keys[i * per_paper : (i + 1) * per_paper]
        findings_of[paper_id] = [f"{paper_id}-finding-{n}" for n in (1, 2)] if own else []
        notes_of[paper_id] = _footnotes(rng, own, findings_of[paper_id])
        if own:
            _write_paper_files(rng, content, paper_id, notes_of[paper_id], findings_of[paper_id])

    plan = _Plan(
        paper_ids,
        keys,
        [f"entity-{i:05d}" for i in range(1, entities + 1)],
        [f"claim-{i:05d}" for i in range(1, entities + 1)],
        notes_of,
        findings_of,
    )
    for i, entity_id in enumerate(plan.entities):
        entity = _entity(rng, i, plan)
        (content / "entities" / f"{entity_id}.yaml").write_text(_dump("entity", entity), "utf-8")
    for i, claim_id in enumerate(plan.claims):
        claim = _claim(rng, i, plan)
        (content / "claims" / f"{claim_id}.yaml").write_text(_dump("claim", claim), "utf-8")

    (root / "mkdocs.yml").write_text(litreview_config(), "utf-8")
    cited = [keys[i] for i in range(0, len(keys), max(1, len(keys) // 5))][:5]
    index = "# Synthetic review\n\nA generated review for the build benchmark.\n\n" + "".join(
        f'{_sentence(rng)[:-1]}{{{{ cite("{key}", locator="p. {n + 4}") }}}}. '
        for n, key in enumerate(cited)
    )
    (root / "docs" / "index.md").write_text(index + "\n", "utf-8")
    validate(root)


def _write_paper_files(
    rng: random.Random,
    content: Path,
    paper_id: str,
    notes: list[dict[str, Any]],
    findings: list[str],
) -> None:
    (content / "footnotes" / f"{paper_id}.yaml").write_text(
        _dump("footnotes", {"paper": paper_id, "notes": notes}), "utf-8"
    )
    listed = list(dict.fromkeys(c["key"] for n in notes for c in n["cites"]))
    reflist = {
        "paper": paper_id,
        "heading": "References",
        "entries": [
            {
                "key": key,
                "printed": f"{key.capitalize()}. “{_words(rng, 6)}.” {rng.randint(1990, 2023)}.",
            }
            for key in listed
        ],
    }
    (content / "reflists" / f"{paper_id}.yaml").write_text(_dump("reflist", reflist), "utf-8")
    flagged = {f: n for n in notes for f in n.get("audit", [])}
    for n, finding_id in enumerate(findings):
        note = flagged.get(finding_id, notes[0])
        finding = {
            "id": finding_id,
            "paper": paper_id,
            "title": f"Note {note['number']} does not support the sentence",
            "category": AUDIT_CATEGORIES[n % len(AUDIT_CATEGORIES)],
            "severity": ("minor", "moderate", "major")[n % 3],
            "where": {**note["where"], "footnote": note["number"]},
            "quote": _words(rng, 6),
            "explanation": _sentence(rng, 20) + "\n\n" + _sentence(rng, 16),
            "sources": [{"key": note["cites"][0]["key"], "locator": "p. 3"}],
        }
        (content / "audit" / f"{finding_id}.yaml").write_text(_dump("audit", finding), "utf-8")


def _entity(rng: random.Random, index: int, plan: _Plan) -> dict[str, Any]:
    entity_id, entity_ids, paper_ids, keys = (
        plan.entities[index],
        plan.entities,
        plan.papers,
        plan.keys,
    )
    kind = ENTITY_TYPES[index % len(ENTITY_TYPES)]
    name = f"{rng.choice(ADJECTIVES).capitalize()} {rng.choice(TOPICS)} {kind} {index + 1}"
    entity: dict[str, Any] = {"id": entity_id, "name": name, "type": kind}
    if rng.random() < 0.4:
        entity["abbreviation"] = "".join(w[0] for w in name.split()[:3]).upper() + str(index)
    if rng.random() < 0.3:
        entity["aliases"] = [f"the {kind}", f"{name.split()[1]} body"]
    if rng.random() < 0.2:
        entity["original_name"] = f"Agence régionale {index + 1} pour l'eau"
    entity["summary"] = f"{_sentence(rng, 16)} It is *often* named.\n\n{_sentence(rng, 14)}"
    entity["papers"] = sorted(set(rng.sample(paper_ids, min(2, len(paper_ids)))))
    entity["sources"] = [
        {"key": rng.choice(keys), "locator": f"p. {rng.randint(1, 99)}"},
        {"key": rng.choice(keys)},
    ]
    if index > 0 and rng.random() < 0.5:
        entity["relations"] = [
            {"type": rng.choice(RELATION_TYPES), "target": entity_ids[rng.randrange(index)]}
        ]
    return entity


def _claim(rng: random.Random, index: int, plan: _Plan) -> dict[str, Any]:
    claim_id, claim_ids, entity_ids = plan.claims[index], plan.claims, plan.entities
    paper_id = plan.papers[index % len(plan.papers)]
    notes = plan.notes[paper_id]
    findings = plan.findings[paper_id]
    evidence: list[dict[str, Any]] = []
    if notes:
        note = rng.choice(notes)
        where = note["where"]
        evidence.append({"footnote": note["number"]})
    else:
        where = _where(rng)
    if rng.random() < 0.5:
        evidence.append(
            {"key": rng.choice(plan.keys), "locator": f"p. {rng.randint(1, 99)}", "quote": "so"}
        )
    if not evidence or rng.random() < 0.2:
        evidence.append({"unsourced": "No source for the word " + rng.choice(TOPICS) + "."})
    claim: dict[str, Any] = {
        "id": claim_id,
        "paper": paper_id,
        "kind": CLAIM_KINDS[index % len(CLAIM_KINDS)],
        "statement": _sentence(rng, 14),
        "where": where,
        "quote": _words(rng, 6),
        "categories": rng.sample(["access", "quality"], rng.randint(0, 2)),
        "dimensions": rng.sample(["output", "impact"], rng.randint(0, 2)),
        "evidence": evidence,
    }
    if index > 0 and rng.random() < 0.4:
        claim["relations"] = [
            {
                "type": rng.choice(("supports", "contradicts", "qualifies")),
                "target": claim_ids[rng.randrange(index)],
            }
        ]
    claim["entities"] = sorted(set(rng.sample(entity_ids, min(len(entity_ids), 2))))
    if findings and index % 20 == 0:
        claim["audit"] = [findings[0]]
    return claim


def validate(root: Path) -> None:
    """Fail loudly unless the generated review has zero check errors."""
    from macros.pages.engine import collect_review  # noqa: PLC0415 - keep `--help` fast

    _, errors = collect_review(root)
    if errors:
        shown = "\n".join(str(e) for e in sorted(set(errors))[:20])
        raise BenchError(f"generated content has {len(errors)} check error(s):\n{shown}")


# The configuration of the test fixture (tests/fixtures/mini/mkdocs.yml), read from the
# checkout when there is one so that the benchmark follows it; this copy otherwise.
FIXTURE_CONFIG = Path(__file__).resolve().parent.parent / "tests/fixtures/mini/mkdocs.yml"
MKDOCS_YML = """\
site_name: Mini review
docs_dir: docs
strict: true
theme:
  name: material
  font: false
  features: [content.footnote.tooltips]
plugins:
  - search
  - litreview
  - macros:
      modules: [macros]
      on_undefined: strict
      on_error_fail: true
  - offline
markdown_extensions:
  [abbr, admonition, attr_list, footnotes, tables, {toc: {permalink: true}}, pymdownx.escapeall]
validation:
  nav: {omitted_files: warn, not_found: warn, absolute_links: warn}
  links: {not_found: warn, anchors: warn, absolute_links: warn, unrecognized_links: warn}
nav:
  - Home: index.md
  - Papers: papers/index.md
  - Claims: claims/index.md
  - Audit: audit/index.md
  - Entities: entities/index.md
  - Bibliography: references/index.md
  - Report: report.md
"""
# The bare site's own nav: five of its pages; the others are not_in_nav, as litreview marks
# its generated pages.
BARE_NAV = """\
not_in_nav: |
  /pages/
nav:
  - Home: index.md
  - First: pages/p00001.md
  - Second: pages/p00002.md
  - Third: pages/p00003.md
  - Fourth: pages/p00004.md
  - Fifth: pages/p00005.md
"""


def litreview_config() -> str:
    """The fixture's mkdocs.yml: plugins search, litreview, macros, offline."""
    if FIXTURE_CONFIG.is_file():
        return FIXTURE_CONFIG.read_text("utf-8")
    return MKDOCS_YML


def bare_config(config: str) -> str:
    """``config`` minus the litreview and macros plugins, with the bare site's nav."""
    out: list[str] = []
    block = ""  # the top-level key we are in
    dropping = -1  # indent of a dropped plugin item, -1 when not dropping
    for line in config.splitlines():
        indent = len(line) - len(line.lstrip())
        if line.strip() and indent == 0:
            block = line.split(":", 1)[0]
            dropping = -1
        if block == "nav" or line.startswith("site_name:"):
            continue
        if dropping >= 0 and (indent > dropping or not line.strip()):
            continue
        dropping = -1
        item = re.match(r"^(\s*)- (litreview|macros)\b", line)
        if block == "plugins" and item:
            dropping = len(item[1])
            continue
        out.append(line)
    return "site_name: Bare site\n" + "\n".join(out) + "\n" + BARE_NAV


def generate_bare(root: Path, lengths: Sequence[int], seed: int = SEED) -> None:
    """A plain MkDocs project: ``docs/index.md`` plus one page per further length.

    Pages mix what generated pages hold (front matter, a heading, a field table, links to
    other pages, a footnote, paragraphs) until they reach their Markdown length.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible content, not security
    if root.exists():
        shutil.rmtree(root)
    pages = root / "docs" / "pages"
    pages.mkdir(parents=True)
    (root / "mkdocs.yml").write_text(bare_config(litreview_config()), "utf-8")
    count = max(len(lengths) - 1, 5)  # the nav names five pages
    links = "".join(f"- [Page {i}](pages/p{i:05d}.md)\n" for i in range(1, min(count, 20) + 1))
    index = f"# Bare site\n\n{links}\n"
    (root / "docs" / "index.md").write_text(_pad(rng, index, lengths[0] if lengths else 0))
    for i in range(1, count + 1):
        length = lengths[i] if i < len(lengths) else lengths[-1] if lengths else 500
        others = sorted({1 + (i * 7 + k * 13) % count for k in range(3)} - {i}) or [i]
        head = (
            f"---\ntitle: Page {i}\ndescription: Page {i} of the bare benchmark site\n---\n\n"
            f"# Page {i}: {_sentence(rng, 5)[:-1]}\n\n"
            "| Field | Value |\n|---|---|\n"
            f"| Kind | {rng.choice(ENTITY_TYPES)} |\n| Year | {1990 + i % 34} |\n\n"
            + "".join(f"- [Page {o}](p{o:05d}.md) — {_sentence(rng, 6)}\n" for o in others)
            + f"\n{_sentence(rng)}[^1]\n\n## Notes\n\n"
        )
        text = _pad(rng, head, length - 40) + f"\n[^1]: {_sentence(rng, 8)}\n"
        (pages / f"p{i:05d}.md").write_text(text, "utf-8")


def _pad(rng: random.Random, text: str, length: int) -> str:
    parts = [text]
    size = len(text)
    while size < length:
        paragraph = " ".join(_sentence(rng, 14) for _ in range(4)) + "\n\n"
        parts.append(paragraph)
        size += len(paragraph)
    return "".join(parts)


def litreview_markdown_lengths(root: Path) -> list[int]:
    """Markdown length of every page litreview makes for ``root``: hand-written first.

    Uses the engine in-process with the citation cache a cold build left behind.
    """
    from macros.bibliography.citeproc import Citeproc  # noqa: PLC0415
    from macros.pages.engine import load_review, render_site  # noqa: PLC0415
    from macros.site.plugin import STYLES  # noqa: PLC0415

    review = load_review(root)
    entries = review.bibliography.entries
    citeproc = Citeproc(
        review.bibliography.text,
        STYLES / "chicago-notes-bibliography-litreview.csl",
        root / ".cache" / "litreview",
        raw_entries={key: entry.raw for key, entry in entries.items()},
    )
    rendered = render_site(review, citeproc.bibliography(), csl_items=citeproc.csl_json())
    written = [len(p.read_text("utf-8")) for p in sorted((root / "docs").rglob("*.md"))]
    return written + [len(page.markdown) for page in rendered.pages.values()]


# --- builds --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Build:
    seconds: float
    cpu_seconds: float  # user + system, the child and its waited-for children
    peak_rss_mb: float  # largest process of the build's process tree (mkdocs or pandoc)
    html_pages: int
    load: float  # 1-minute load average when the build started: other work on the machine


def mkdocs_build(project: Path, site: Path, log: Path, profile: Path | None = None) -> Build:
    """``mkdocs build --strict`` of ``project`` into an empty ``site`` in a child process."""
    shutil.rmtree(site, ignore_errors=True)
    command = [sys.executable]
    if profile is not None:
        command += ["-m", "cProfile", "-o", str(profile)]
    command += ["-m", "mkdocs", "build", "--strict", "--config-file", str(project / "mkdocs.yml")]
    command += ["--site-dir", str(site)]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="0")
    load = os.getloadavg()[0]
    with log.open("wb") as out:
        start = time.perf_counter()
        child = subprocess.Popen(
            command, cwd=project, stdout=out, stderr=subprocess.STDOUT, env=env
        )
        # wait4 reports this child's own usage, its waited-for children (pandoc) included.
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        tail = "\n".join(log.read_text("utf-8", errors="replace").splitlines()[-30:])
        raise BenchError(f"mkdocs build of {project} failed (log: {log}):\n{tail}")
    pages = sum(1 for _ in site.rglob("*.html"))
    cpu = usage.ru_utime + usage.ru_stime
    return Build(seconds, cpu, usage.ru_maxrss / 1024, pages, load)


def site_megabytes(site: Path) -> float:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6


def edit_entity(project: Path) -> Path:
    """Change one entity's summary, as a contributor would."""
    path = sorted((project / "content" / "entities").glob("*.yaml"))[0]
    path.write_text(path.read_text("utf-8").replace("summary: ", "summary: Revised. ", 1), "utf-8")
    return path


def edit_bib(project: Path) -> Path:
    """Change the title of one BibTeX entry."""
    path = project / "references.bib"
    path.write_text(path.read_text("utf-8").replace("title = {", "title = {Revised ", 1), "utf-8")
    return path


def _served(server: Any, page: str) -> str:
    """The page as the dev server serves it now (empty while it is missing)."""
    try:
        with urllib.request.urlopen(server.url + page, timeout=10) as response:  # noqa: S310
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def _page_of(site: Path, stem: str) -> str:
    """The served path of a page, whichever URL style the site uses."""
    return f"{stem}.html" if (site / f"{stem}.html").is_file() else f"{stem}/"


def _seconds_until_served(server: Any, page: str, marker: str, limit: float = 120.0) -> float:
    """Seconds from now until ``page`` holds ``marker`` (the edit was just saved)."""
    start = time.perf_counter()
    while marker not in _served(server, page):
        if time.perf_counter() - start > limit:
            raise BenchError(f"serve never showed the edit on {page}")
        time.sleep(0.02)
    return time.perf_counter() - start


def _wait_for_builds(server: Any, count: int, limit: float = 900.0) -> None:
    deadline = time.monotonic() + limit
    while server.state.builds < count:
        if time.monotonic() > deadline:
            raise BenchError("serve's full build did not finish")
        time.sleep(0.1)


def measure_serve(project: Path) -> tuple[float, float]:
    """``litreview serve`` on the project: seconds from saving an edit to the served page
    showing it, for one entity's YAML and for one BibTeX entry (each after the full build of
    the edit before has finished, as when someone edits, looks, edits again)."""
    from macros.cli.devserver import DevServer  # noqa: PLC0415 - imports MkDocs
    from macros.pages.text import slug  # noqa: PLC0415

    server = DevServer(project, port=0, report=lambda _: None, say=lambda _: None)
    server.start()
    try:
        server.warmed.wait(timeout=600)
        entity = sorted((project / "content" / "entities").glob("*.yaml"))[1]
        entity.write_text(
            entity.read_text("utf-8").replace("summary: ", "summary: Served edit. ", 1), "utf-8"
        )
        page = _page_of(server.site, f"entities/{entity.stem}")
        yaml_s = _seconds_until_served(server, page, "Served edit.")
        _wait_for_builds(server, 2)
        bib = project / "references.bib"
        text = bib.read_text("utf-8")
        key = re.findall(r"^@\w+\{([^,]+),", text, re.MULTILINE)[1]
        start = text.index(f"{{{key},")
        edited = text[:start] + text[start:].replace("title = {", "title = {Served ", 1)
        bib.write_text(edited, "utf-8")
        page = _page_of(server.site, f"references/{slug(key)}")
        bib_s = _seconds_until_served(server, page, "Served ")
        _wait_for_builds(server, 3)
    finally:
        server.stop()
    return yaml_s, bib_s


def run_scale(
    scale: Scale, workdir: Path, progress: Callable[[str], None] = lambda _: None
) -> dict[str, Any]:
    """Generate, build cold, warm and bare, edit twice; the scale's result row."""
    project = workdir / f"review-{scale.name}"
    bare = workdir / f"bare-{scale.name}"
    site = workdir / f"site-{scale.name}"
    logs = workdir / "logs"
    logs.mkdir(parents=True, exist_ok=True)

    def build(name: str, root: Path) -> Build:
        progress(f"{scale.name}: {name} build ...")
        result = mkdocs_build(root, site, logs / f"{scale.name}-{name}.log")
        progress(
            f"{scale.name}: {name} build {result.seconds:.1f} s ({result.cpu_seconds:.1f} s CPU),"
            f" {result.html_pages} pages, {result.peak_rss_mb:.0f} MB, load {result.load:.2f}"
        )
        return result

    progress(f"{scale.name}: generating {scale.refs} references, {scale.entities} entities")
    generate_review(project, scale.refs, scale.entities)
    shutil.rmtree(project / ".cache", ignore_errors=True)
    cold = build("cold", project)
    site_mb = site_megabytes(site)
    warm = build("warm", project)
    lengths = litreview_markdown_lengths(project)
    generate_bare(bare, _fit(lengths, cold.html_pages - 1))  # 404.html is not a page
    plain = build("bare", bare)
    if plain.html_pages != cold.html_pages:
        msg = f"bare site has {plain.html_pages} pages, litreview {cold.html_pages}"
        raise BenchError(msg)
    edit_entity(project)
    edit_yaml = build("edit-yaml", project)
    edit_bib(project)
    edit_bibtex = build("edit-bib", project)
    shutil.rmtree(site, ignore_errors=True)
    progress(f"{scale.name}: serve, an entity edit and a BibTeX edit ...")
    serve_yaml, serve_bib = measure_serve(project)
    progress(f"{scale.name}: serve showed the edits in {serve_yaml:.2f} s and {serve_bib:.2f} s")
    shutil.rmtree(project / "site", ignore_errors=True)
    litreview_builds = (cold, warm, edit_yaml, edit_bibtex)
    return {
        "scale": scale.name,
        "refs": scale.refs,
        "entities": scale.entities,
        "pages": cold.html_pages,
        "litreview_cold_s": round(cold.seconds, 2),
        "litreview_warm_s": round(warm.seconds, 2),
        "bare_s": round(plain.seconds, 2),
        "ratio_cold": round(cold.seconds / plain.seconds, 2),
        "ratio_warm": round(warm.seconds / plain.seconds, 2),
        "s_per_page": round(warm.seconds / cold.html_pages, 5),
        "peak_rss_mb": round(max(b.peak_rss_mb for b in litreview_builds), 1),
        "site_mb": round(site_mb, 1),
        "edit_yaml_s": round(edit_yaml.seconds, 2),
        "edit_bib_s": round(edit_bibtex.seconds, 2),
        "serve_yaml_s": round(serve_yaml, 2),
        "serve_bib_s": round(serve_bib, 2),
        # Beyond the required keys: CPU seconds are less disturbed by other work on the
        # machine than wall seconds, and the load average says how much there was.
        "litreview_cold_cpu_s": round(cold.cpu_seconds, 2),
        "litreview_warm_cpu_s": round(warm.cpu_seconds, 2),
        "bare_cpu_s": round(plain.cpu_seconds, 2),
        "ratio_warm_cpu": round(warm.cpu_seconds / plain.cpu_seconds, 2),
        "bare_rss_mb": round(plain.peak_rss_mb, 1),
        "md_chars_per_page": round(sum(lengths) / len(lengths)),
        "max_load": round(max(b.load for b in (*litreview_builds, plain)), 2),
    }


def _fit(lengths: list[int], count: int) -> list[int]:
    """``count`` lengths: the measured ones, cycled if the site has more pages than them."""
    if not lengths:
        return [500] * count
    return [lengths[i % len(lengths)] for i in range(count)]


def json_line(row: dict[str, Any]) -> str:
    return json.dumps({key: row[key] for key in (*JSON_KEYS, *sorted(set(row) - set(JSON_KEYS)))})


TABLE_COLUMNS = (
    ("scale", "scale", "{}"),
    ("refs", "refs", "{}"),
    ("entities", "ent.", "{}"),
    ("pages", "pages", "{}"),
    ("litreview_cold_s", "cold s", "{:.1f}"),
    ("litreview_warm_s", "warm s", "{:.1f}"),
    ("bare_s", "bare s", "{:.1f}"),
    ("ratio_cold", "cold/bare", "{:.2f}"),
    ("ratio_warm", "warm/bare", "{:.2f}"),
    ("s_per_page", "s/page", "{:.4f}"),
    ("peak_rss_mb", "RSS MB", "{:.0f}"),
    ("site_mb", "site MB", "{:.1f}"),
    ("edit_yaml_s", "edit yaml s", "{:.1f}"),
    ("edit_bib_s", "edit bib s", "{:.1f}"),
    ("serve_yaml_s", "serve yaml s", "{:.2f}"),
    ("serve_bib_s", "serve bib s", "{:.2f}"),
)


def table(rows: list[dict[str, Any]]) -> str:
    """A Markdown table of the result rows."""
    head = "| " + " | ".join(title for _, title, _ in TABLE_COLUMNS) + " |"
    rule = "|" + "|".join("---:" for _ in TABLE_COLUMNS) + "|"
    lines = [
        "| " + " | ".join(fmt.format(row[key]) for key, _, fmt in TABLE_COLUMNS) + " |"
        for row in rows
    ]
    return "\n".join([head, rule, *lines])


def scaling_line(rows: list[dict[str, Any]]) -> str:
    small = min(rows, key=lambda r: r["refs"])
    large = max(rows, key=lambda r: r["refs"])
    factor = large["s_per_page"] / small["s_per_page"]
    return (
        f"seconds per page (warm build): {large['scale']} {large['s_per_page']:.4f} vs "
        f"{small['scale']} {small['s_per_page']:.4f} = {factor:.2f}x"
    )


# --- profile -------------------------------------------------------------------------------

StatKey = tuple[str, int, str]
# (group, module path suffix, function, only when called from this function or "")
PROFILE_GROUPS: tuple[tuple[str, str, str, str], ...] = (
    ("pandoc (citeproc subprocesses)", "macros/bibliography/citeproc.py", "_pandoc", ""),
    ("YAML + pydantic + BibTeX loading", "macros/content/load.py", "collect_review", ""),
    ("engine Jinja rendering (render_site)", "macros/pages/engine.py", "render_site", ""),
    ("exports (BibTeX/RIS/CSL-JSON files)", "macros/site/plugin.py", "_exports", ""),
    ("mkdocs-macros Jinja pass per page", "mkdocs_macros/plugin.py", "on_page_markdown", ""),
    ("Markdown rendering (Page.render)", "mkdocs/structure/pages.py", "render", ""),
    ("litreview HTML fill-in (on_page_content)", "macros/site/plugin.py", "on_page_content", ""),
    ("litreview cited-by fill-in (on_post_page)", "macros/site/plugin.py", "on_post_page", ""),
    ("theme templates (Material Jinja)", "jinja2/environment.py", "render", "_build_page"),
    ("search index: per page", "material/plugins/search/plugin.py", "on_page_context", ""),
    ("search index: write", "material/plugins/search/plugin.py", "on_post_build", ""),
    ("writing files", "mkdocs/utils/__init__.py", "write_file", ""),
    ("copying files", "mkdocs/structure/files.py", "copy_file", ""),
    ("link and anchor validation", "mkdocs/structure/pages.py", "validate_anchor_links", ""),
)


def profile_groups(stats: pstats.Stats) -> tuple[float, list[tuple[str, float]]]:
    """Total seconds and cumulative seconds per group of ``PROFILE_GROUPS``."""
    table: dict[StatKey, tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    total = max((row[3] for row in table.values()), default=0.0)
    out: list[tuple[str, float]] = []
    for group, path, function, caller in PROFILE_GROUPS:
        seconds = 0.0
        for (file, _, name), row in table.items():
            if not (file.replace("\\", "/").endswith(path) and name == function):
                continue
            if not caller:
                seconds += row[3]
                continue
            callers: dict[StatKey, tuple[Any, ...]] = row[4]
            seconds += sum(c[3] for k, c in callers.items() if k[2] == caller)
        out.append((group, seconds))
    return total, out


def profile_report(profile: Path, title: str) -> str:
    stats = pstats.Stats(str(profile))
    total, groups = profile_groups(stats)
    lines = [f"# {title}", "", f"total profiled: {total:.1f} s", ""]
    lines += ["| where the time goes | cumulative s | share |", "|---|---:|---:|"]
    lines += [f"| {g} | {s:.1f} | {s / total:.0%} |" for g, s in groups if total]
    lines.append("")
    for order in ("cumulative", "tottime"):
        stream = io.StringIO()
        pstats.Stats(str(profile), stream=stream).strip_dirs().sort_stats(order).print_stats(40)
        lines += [f"## top 40 by {order}", "", stream.getvalue()]
    return "\n".join(lines)


def profile_scale(scale: Scale, workdir: Path, out: Path) -> Path:
    """A cold build of ``scale`` under cProfile; the report goes to ``out``."""
    project = workdir / f"review-{scale.name}"
    generate_review(project, scale.refs, scale.entities)
    shutil.rmtree(project / ".cache", ignore_errors=True)
    raw = out.with_suffix(".prof")
    out.parent.mkdir(parents=True, exist_ok=True)
    logs = workdir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    site = workdir / f"site-{scale.name}-profile"
    build = mkdocs_build(project, site, logs / f"{scale.name}-profile.log", profile=raw)
    shutil.rmtree(site, ignore_errors=True)
    title = f"cProfile of a cold {scale.name} build ({build.seconds:.1f} s under the profiler)"
    out.write_text(profile_report(raw, title), "utf-8")
    return out


# --- command line --------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench",
        description="Build cost of litreview against a bare MkDocs site of as many pages.",
    )
    parser.add_argument(
        "--scales", default="1k,5k", help=f"comma-separated, of {', '.join(SCALES)}"
    )
    parser.add_argument("--with-20k", action="store_true", help="add the 20k scale")
    parser.add_argument(
        "--profile", action="store_true", help="also profile a cold 5k build with cProfile"
    )
    parser.add_argument(
        "--profile-out",
        type=Path,
        default=Path(".cache/bench/profile-5k.txt"),
        help="where the profile table goes",
    )
    parser.add_argument(
        "--library",
        default="1000,3000",
        help="entries of the bibliography-heavy case, comma-separated ('' for none); "
        "ratios per page added to a small review, and for each real corpus (tests/corpora)",
    )
    parser.add_argument("--no-corpora", action="store_true", help="skip the real corpora")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="bibliography-heavy case: run each build N times, count the median CPU run",
    )
    parser.add_argument("--json-only", action="store_true", help="print only the JSON lines")
    parser.add_argument("--workdir", type=Path, help="keep the generated projects here")
    return parser.parse_args(argv)


def scales_report(rows: list[dict[str, Any]], *, json_only: bool) -> None:
    """The table, JSON lines and scaling line of the synthetic-review scales."""
    if not json_only:
        print(f"litreview build benchmark ({os.cpu_count()} CPUs, {sys.version.split()[0]})")
        print(table(rows))
    for row in rows:
        print(json_line(row))
    if not json_only and len(rows) > 1:
        print(scaling_line(rows))
    busiest = max(row["max_load"] for row in rows)
    if not json_only and busiest > (os.cpu_count() or 1):
        print(
            f"note: the load average reached {busiest:.1f} on {os.cpu_count()} CPUs, so wall"
            " times include other work; the *_cpu_s keys are less disturbed by it"
        )


def library_case(args: argparse.Namespace, workdir: Path, progress: Callable[[str], None]) -> None:
    """The bibliography-heavy case (``benchmarks.library``): its table and JSON lines."""
    sizes = [int(n) for n in args.library.split(",") if n.strip()]
    if not sizes and args.no_corpora:
        return
    from benchmarks import library  # noqa: PLC0415 - it imports this module

    costs = library.library_costs(
        sizes, workdir, progress, corpora=not args.no_corpora, repeat=max(1, args.repeat)
    )
    if not args.json_only:
        print("bibliography-heavy builds (added_*: per page added to a 50-entry review)")
        print(library.cost_table(costs))
    for cost in costs:
        print(json.dumps(cost))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    names = [n.strip() for n in args.scales.split(",") if n.strip()]
    if args.with_20k and "20k" not in names:
        names.append("20k")
    unknown = [n for n in names if n not in SCALES]
    if unknown or (not names and not args.library.strip() and args.no_corpora):
        print(f"unknown scale(s): {', '.join(unknown)}; use {', '.join(SCALES)}", file=sys.stderr)
        return 2

    def progress(message: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    temporary = None if args.workdir else tempfile.TemporaryDirectory(prefix="litreview-bench-")
    workdir = args.workdir or Path(temporary.name)  # type: ignore[union-attr]
    try:
        rows = [run_scale(SCALES[name], workdir, progress) for name in names]
        if rows:
            scales_report(rows, json_only=args.json_only)
        library_case(args, workdir, progress)
        if args.profile:
            progress("5k: cold build under cProfile ...")
            report = profile_scale(SCALES["5k"], workdir, args.profile_out)
            progress(f"profile written to {report}")
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    finally:
        if temporary is not None:
            temporary.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
