"""Extraction: the values each work gives for the review's fields, and the works x fields table.

A file per work, named after its BibTeX key (``content/extraction/<key>.yaml``). Each value is
checked against its field (``content/fields/``): the type, the vocabulary, one value or several;
a required field must have a value or say why not (``not reported``, ``not applicable``, or
``to do``, which the report lists).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import babel
from babel.core import get_global

from macros.bibliography import exports
from macros.content.checks import Checker
from macros.content.errors import ContentError, did_you_mean
from macros.content.kind import Cited, Found, Kind
from macros.content.model import ExtractedValue, Extraction, ExtractionField
from macros.content.review import Review
from macros.content.yamlload import KeyPath
from macros.kinds.fields import ordered
from macros.pages import links
from macros.pages.render import GeneratedPage, Site

STATUSES = ("not reported", "not applicable", "to do")
TO_DO = "to do"
_YEAR_RANGE = re.compile(r"^\s*(\d{4})\s*[-\u2013\u2014]\s*(\d{4})\s*$")
_LINK = re.compile(r"^https?://[^\s<>\"]+$")
_TYPE_NAMES = {
    "text": "text",
    "number": "a number",
    "choice": "one of the vocabulary",
    "country": "a country",
    "year": "a year or a range such as 2015-2019",
    "link": "an http(s) link",
}


@functools.cache
def countries() -> dict[str, str]:
    """ISO 3166 alpha-2 and alpha-3 codes and English names (lower case) -> English name
    (babel's CLDR territories; regions such as '001' and 'EU' left out)."""
    names = {
        code: name
        for code, name in babel.Locale("en").territories.items()
        if len(code) == 2 and code.isalpha() and code not in {"EU", "EZ", "UN", "ZZ", "QO"}
    }
    table = {code.lower(): name for code, name in names.items()}
    table |= {name.lower(): name for name in names.values()}
    for alias, targets in get_global("territory_aliases").items():
        if len(alias) == 3 and alias.isalpha() and len(targets) == 1 and targets[0] in names:
            table.setdefault(alias.lower(), names[targets[0]])
    return table


@dataclass(frozen=True)
class Problem:
    loc: KeyPath  # below the value's own key path
    message: str
    suggestion: str = ""


@dataclass
class Cell:
    """One work's value for one field, as the table shows it."""

    status: str = "value"  # value, not reported, not applicable, to do, missing
    shown: list[str] = field(default_factory=list)  # the values, normalised, for reading
    plain: list[str] = field(default_factory=list)  # the same for a spreadsheet (no unit)
    sort: str | float = ""
    quote: str | None = None
    locator: str | None = None

    @property
    def text(self) -> str:
        """The cell in a CSV file: its values, its status, or nothing."""
        if self.status == "missing":
            return ""
        return "; ".join(self.plain) if self.status == "value" else self.status


Shown = tuple[str | None, list[Problem]]


def _number(spec: ExtractionField, value: Any, loc: KeyPath) -> Shown:
    if not isinstance(value, int | float):
        return None, [_wrong(spec, value, loc)]
    return f"{value:,}" + (f" {spec.unit}" if spec.unit else ""), []


def _year(spec: ExtractionField, value: Any, loc: KeyPath) -> Shown:
    if isinstance(value, int) and 1000 <= value <= 2999:
        return str(value), []
    match = _YEAR_RANGE.match(value) if isinstance(value, str) else None
    if match is None:
        return None, [_wrong(spec, value, loc)]
    if int(match[1]) > int(match[2]):
        return None, [Problem(loc, f"year range '{value}' ends before it starts")]
    return f"{match[1]}\u2013{match[2]}", []


def _choice(spec: ExtractionField, value: Any, loc: KeyPath) -> Shown:
    text = str(value)
    if text in spec.vocabulary:
        return text, []
    message = f"'{text}' is not in the vocabulary of field '{spec.id}'"
    return None, [Problem(loc, message, did_you_mean(text, spec.vocabulary))]


def _country(_spec: ExtractionField, value: Any, loc: KeyPath) -> Shown:
    text = str(value).strip()
    name = countries().get(text.lower())
    if name is not None:
        return name, []
    message = f"unknown country '{text}' (an ISO 3166 name or code)"
    return None, [Problem(loc, message, did_you_mean(text, sorted(set(countries().values()))))]


def _link(spec: ExtractionField, value: Any, loc: KeyPath) -> Shown:
    if isinstance(value, str) and _LINK.match(value):
        return value, []
    return None, [_wrong(spec, value, loc)]


def _wrong(spec: ExtractionField, value: Any, loc: KeyPath) -> Problem:
    return Problem(loc, f"field '{spec.id}' takes {_TYPE_NAMES[spec.type]}, not {value!r}")


_READERS = {
    "text": lambda _spec, value, _loc: (str(value), []),
    "number": _number,
    "year": _year,
    "choice": _choice,
    "country": _country,
    "link": _link,
}


def _one(spec: ExtractionField, value: Any, loc: KeyPath) -> Shown:
    """One value checked against its field: the value as shown, or the problem."""
    if isinstance(value, bool):
        return None, [_wrong(spec, value, loc)]
    reader: Any = _READERS[spec.type]
    shown: Shown = reader(spec, value, loc)
    return shown


def read_value(spec: ExtractionField, raw: Any, loc: KeyPath) -> tuple[Cell, list[Problem]]:
    """A value as written (scalar, list, or ``{value, quote, locator}``) -> a cell, problems."""
    cell = Cell()
    if isinstance(raw, ExtractedValue):
        cell.quote, cell.locator = raw.quote, raw.locator
        raw, loc = raw.value, (*loc, "value")
    if raw is None or (isinstance(raw, str) and raw.strip().lower() == TO_DO):
        cell.status = TO_DO
        return cell, []
    if isinstance(raw, str) and raw.strip().lower() in STATUSES:
        cell.status = raw.strip().lower()
        return cell, []
    values = raw if isinstance(raw, list) else [raw]
    problems: list[Problem] = []
    if isinstance(raw, list) and not spec.multiple:
        problems.append(
            Problem(loc, f"field '{spec.id}' takes one value, not a list of {len(raw)}")
        )
        return cell, problems
    if isinstance(raw, list) and not raw:
        problems.append(Problem(loc, f"field '{spec.id}' has an empty list"))
    for i, value in enumerate(values):
        shown, found = _one(spec, value, (*loc, i) if isinstance(raw, list) else loc)
        problems += found
        if shown is not None:
            cell.shown.append(shown)
            cell.plain.append(str(value) if spec.type == "number" else shown)
    first = values[0] if values else ""
    cell.sort = (
        float(first)
        if isinstance(first, int | float) and not isinstance(first, bool)
        else (cell.shown[0].lower() if cell.shown else "")
    )
    return cell, problems


def check(checker: Checker, ident: str, item: Extraction) -> Iterator[ContentError]:
    yield from checker.key("extraction", ident, ("id",), ident)
    fields = checker.review.of("fields")
    for name, raw in item.values.items():
        spec = fields.get(name)
        if spec is None:
            if ("fields", name) not in checker.review.broken:
                yield checker.error(
                    "extraction",
                    ident,
                    ("values", name),
                    f"unknown field '{name}'",
                    f"define it in content/fields/{name}.yaml or fix the name",
                    suggestion=did_you_mean(name, fields),
                )
            continue
        _, problems = read_value(spec, raw, ("values", name))
        for problem in problems:
            yield checker.error(
                "extraction", ident, problem.loc, problem.message, suggestion=problem.suggestion
            )
    for spec in ordered(fields):
        if spec.required and spec.id not in item.values:
            loc = ("values",) if item.values else ("id",)
            yield checker.error(
                "extraction",
                ident,
                loc,
                f"missing required field '{spec.id}'",
                "give its value, or write 'not reported', 'not applicable' or 'to do'",
            )


def cites(_review: Review, item: Extraction) -> Iterator[Cited]:
    """The work itself: the table lists it, so the report does not call it unused."""
    yield Cited(("id",), item.id, None, "the extraction table")


def report(review: Review) -> Iterator[Found]:
    fields = review.of("fields")
    for ident, item in review.of("extraction").items():
        for name, raw in item.values.items():
            if name in fields and read_value(fields[name], raw, ())[0].status == TO_DO:
                yield Found("todo", ident, ("values", name), f"'{ident}': '{name}' is still to do")


def values_of(review: Review, key: str) -> list[tuple[ExtractionField, Cell]]:
    """One work's values, field by field in table order (for a work's own page)."""
    extraction = review.of("extraction").get(key)
    if extraction is None:
        return []
    return [
        (spec, read_value(spec, extraction.values[spec.id], ())[0])
        for spec in ordered(review.of("fields"))
        if spec.id in extraction.values
    ]


# --- the review's own JSON Schema of the values ------------------------------------------

VALUES_SCHEMA = "extraction-values.schema.json"


def _value_schema(spec: ExtractionField) -> dict[str, Any]:
    by_type: dict[str, dict[str, Any]] = {
        "text": {"type": ["string", "number"]},
        "number": {"type": "number"},
        "choice": {"enum": spec.vocabulary},
        "country": {"type": "string"},
        "year": {
            "anyOf": [
                {"type": "integer", "minimum": 1000, "maximum": 2999},
                {"type": "string", "pattern": _YEAR_RANGE.pattern},
            ]
        },
        "link": {"type": "string", "pattern": _LINK.pattern},
    }
    one = by_type[spec.type]
    if spec.multiple:
        one = {"anyOf": [one, {"type": "array", "items": one, "minItems": 1}]}
    plain = {"anyOf": [one, {"enum": list(STATUSES)}, {"type": "null"}]}
    read = {
        "type": "object",
        "properties": {"value": plain, "quote": {"type": "string"}, "locator": {"type": "string"}},
        "required": ["value"],
        "additionalProperties": False,
    }
    described = {"title": spec.label, "description": spec.description or spec.label}
    return {**described, "anyOf": [*plain["anyOf"], read]}


def values_schema(review: Review) -> dict[str, Any] | None:
    """A JSON Schema of this review's extraction files, from its fields (none: no fields):
    editors then offer each field, its vocabulary and the statuses while typing."""
    fields = ordered(review.of("fields"))
    if not fields:
        return None
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": VALUES_SCHEMA,
        "title": "Extraction (this review's fields)",
        "type": "object",
        "properties": {
            "id": {"type": "string", "description": "the work's BibTeX key"},
            "values": {
                "type": "object",
                "properties": {spec.id: _value_schema(spec) for spec in fields},
                "required": [spec.id for spec in fields if spec.required],
                "additionalProperties": False,
            },
        },
        "required": ["id", "values"],
        "additionalProperties": False,
    }


# --- the works x fields table -------------------------------------------------------------


def _names(item: dict[str, Any]) -> str:
    people = item.get("author") or item.get("editor") or []
    family = [str(p.get("family") or p.get("literal") or "") for p in people]
    if not family:
        return ""
    if len(family) == 1:
        return family[0]
    return f"{family[0]} and {family[1]}" if len(family) == 2 else f"{family[0]} et al."


def _issued_year(item: dict[str, Any], fallback: str | None) -> str:
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    if parts[0]:
        return str(parts[0][0])
    return (fallback or "")[:4]


def rows(site: Site, here: str) -> list[dict[str, Any]]:
    review = site.review
    fields = ordered(review.of("fields"))
    items = {item["id"]: item for item in site.csl_items}
    entries = review.bibliography.entries
    out = []
    for key, extraction in review.of("extraction").items():
        entry = entries.get(key)
        item = items.get(key, {})
        title = item.get("title") or (entry.get("title") if entry else None) or key
        title = re.sub(r"[{}]", "", str(title))
        year = _issued_year(item, entry.get("date", "year") if entry else None)
        names = _names(item)
        label = f"{names} {year}".strip() if names else key
        cells = []
        for spec in fields:
            raw = extraction.values.get(spec.id)
            if spec.id in extraction.values:
                cell, _ = read_value(spec, raw, ())
            else:
                cell = Cell(status="missing")
            cells.append(cell)
        works = review.of("works")
        page = site.page_of("works", key) if key in works else links.reference_page(key)
        out.append(
            {
                "key": key,
                "label": label,
                "title": title,
                "year": year,
                "href": site.href(here, page),
                "cells": cells,
                "bibtex": exports.bibtex([entry]) if entry else "",
                "csl": exports.csl_json([item]) if item else "[]\n",
            }
        )
    # By year (works without one last), then by label.
    return sorted(out, key=lambda r: (not r["year"], r["year"], r["label"].lower(), r["key"]))


def table_html(site: Site, here: str) -> str:
    fields = ordered(site.review.of("fields"))
    table_rows = rows(site, here)
    quotes = []
    for row in table_rows:
        for spec, cell in zip(fields, row["cells"], strict=True):
            if cell.quote or cell.locator:
                quotes.append((row, spec, cell))
    return site.env.get_template("extraction_table.html").render(
        fields=fields, rows=table_rows, quotes=quotes, choices=_choices(fields)
    )


def _choices(fields: list[ExtractionField]) -> list[ExtractionField]:
    """The fields a reader filters by value: choices and countries."""
    return [f for f in fields if f.type in {"choice", "country"}]


def pages(site: Site) -> dict[str, GeneratedPage]:
    here = "extraction/index.md"
    review = site.review
    return {
        here: site.page(
            "extraction_index.md.j2",
            here,
            "content/extraction",
            fields=ordered(review.of("fields")),
            works=len(review.of("extraction")),
            table=functools.partial(table_html, site, here),
        )
    }


KIND = Kind(
    name="extraction",
    model=Extraction,
    singular="extraction",
    label="Extraction",
    schema_name="extraction",
    check=check,
    cites=cites,
    report=report,
    pages=pages,
    item_pages=False,
)
