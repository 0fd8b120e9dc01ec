"""Exports of the bibliography: BibTeX as written, RIS and CSL-JSON from pandoc's CSL-JSON."""

from __future__ import annotations

import json
from typing import Any

from macros.bibliography.bibtex import BibEntry

RIS_TYPES = {
    "article-journal": "JOUR",
    "article-newspaper": "NEWS",
    "article-magazine": "MGZN",
    "book": "BOOK",
    "chapter": "CHAP",
    "webpage": "ELEC",
    "post-weblog": "BLOG",
    "report": "RPRT",
    "thesis": "THES",
    "legislation": "STAT",
    "paper-conference": "CPAPER",
    "dataset": "DATA",
    "manuscript": "UNPB",
}
_SIMPLE_RIS = (
    ("TI", "title"),
    ("T2", "container-title"),
    ("VL", "volume"),
    ("IS", "issue"),
    ("PB", "publisher"),
    ("CY", "publisher-place"),
    ("UR", "URL"),
    ("DO", "DOI"),
    ("LA", "language"),
    ("N1", "note"),
    ("AB", "abstract"),
)


def bibtex(entries: list[BibEntry]) -> str:
    """Entries as written in the library, so nothing is re-encoded; an entry with a private
    field (``file``, ``annote``, a local path) or an @string macro is written out without it."""
    return "\n\n".join(entry.source.strip() for entry in entries) + "\n"


def csl_json(items: list[dict[str, Any]]) -> str:
    return json.dumps(items, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _date(value: dict[str, Any] | None) -> str | None:
    if not value or not value.get("date-parts"):
        return None
    parts = [str(p) for p in value["date-parts"][0]]
    return "/".join(p.zfill(2) if i else p for i, p in enumerate(parts))


def person_name(person: dict[str, Any]) -> str:
    """``van der Berg, Jan``: the family name with its particles, then the given name."""
    if "literal" in person:
        return str(person["literal"])
    family = " ".join(
        str(p)
        for p in (
            person.get("dropping-particle"),
            person.get("non-dropping-particle"),
            person.get("family"),
        )
        if p
    )
    given = " ".join(str(p) for p in (person.get("given"),) if p)
    suffix = person.get("suffix")
    return ", ".join(p for p in (family, given, suffix) if p)


def named(people: list[dict[str, Any]]) -> list[str]:
    """Each person's name; BibTeX's ``and others`` is no person."""
    return [person_name(p) for p in people if p.get("literal") != "others"]


def ris_record(item: dict[str, Any]) -> str:
    lines = [f"TY  - {RIS_TYPES.get(item.get('type', ''), 'GEN')}", f"ID  - {item['id']}"]
    for role, tag in (("author", "AU"), ("editor", "ED")):
        lines += [f"{tag}  - {name}" for name in named(item.get(role, []))]
    for tag, name in _SIMPLE_RIS:
        if item.get(name):
            lines.append(f"{tag}  - {' '.join(str(item[name]).split())}")
    if (year := _date(item.get("issued"))) is not None:
        lines.append(f"PY  - {year}")
    if (accessed := _date(item.get("accessed"))) is not None:
        lines.append(f"Y2  - {accessed}")
    if item.get("page"):
        first, _, last = str(item["page"]).partition("-")
        lines.append(f"SP  - {first}")
        if last:
            lines.append(f"EP  - {last}")
    lines.append("ER  - ")
    return "\n".join(lines) + "\n"


def ris(items: list[dict[str, Any]]) -> str:
    return "\n".join(ris_record(item) for item in items)


def parse_ris(text: str) -> list[dict[str, list[str]]]:
    """Read RIS back into tag -> values, for round-trip checks and imports."""
    records: list[dict[str, list[str]]] = []
    current: dict[str, list[str]] = {}
    for line in text.splitlines():
        if len(line) < 5 or line[2:5] != "  -":
            continue
        tag, value = line[:2], line[6:].strip()
        if tag == "ER":
            records.append(current)
            current = {}
        else:
            current.setdefault(tag, []).append(value)
    return records


def library(entries: list[BibEntry], items: list[dict[str, Any]]) -> dict[str, str]:
    """The whole library in every format, by page path; each entry's page carries its own."""
    return {
        "references/exports/library.bib": bibtex(entries),
        "references/exports/library.ris": ris(items),
        "references/exports/library.json": csl_json(items),
    }
