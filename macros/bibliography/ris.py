"""RIS records as BibTeX-ready records, for ``litreview import``.

Follows the RIS format specification (Research Information Systems, "RIS Format
Specifications", 2011/2012 edition: ``TAG  - value`` lines, ``TY`` first and ``ER`` last) and
the tag use of Zotero's RIS export (``A2`` editors of a chapter, ``T2`` its container, ``DA``
the full date, ``L1``/``L4`` attached files, which are private and never imported).
"""

from __future__ import annotations

import re

from macros.bibliography.records import (
    ReadError,
    Record,
    bibtex_name,
    latex_text,
    verbatim_text,
)

TYPES = {
    "JOUR": "article",
    "JFULL": "article",
    "ABST": "article",
    "MGZN": "article",
    "NEWS": "article",
    "BOOK": "book",
    "EBOOK": "book",
    "EDBOOK": "collection",
    "CHAP": "incollection",
    "ECHAP": "incollection",
    "CONF": "inproceedings",
    "CPAPER": "inproceedings",
    "RPRT": "report",
    "THES": "thesis",
    "ELEC": "online",
    "WEB": "online",
    "BLOG": "online",
    "DATA": "dataset",
    "COMP": "software",
    "UNPB": "unpublished",
    "MANSCPT": "unpublished",
    "PAT": "patent",
    "STAT": "legislation",
    "BILL": "legislation",
    "CASE": "jurisdiction",
    "STAND": "standard",
    "VIDEO": "video",
    "MPCT": "video",
    "SOUND": "audio",
    "MUSIC": "audio",
    "ENCYC": "inreference",
    "DICT": "inreference",
    "GEN": "misc",
}
SUBTYPES = {"NEWS": "newspaper", "MGZN": "magazine"}
CONTAINER = {"incollection": "booktitle", "inproceedings": "booktitle", "inreference": "booktitle"}
_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
_TEXT = {
    "TI": "title",
    "T1": "title",
    "T3": "series",
    "VL": "volume",
    "IS": "number",
    "PB": "publisher",
    "CY": "location",
    "AB": "abstract",
    "N2": "abstract",
    "N1": "note",
    "ET": "edition",
    "LA": "language",
    "M3": "type",
}
_PRIVATE = {"L1", "L2", "L4"}


def read_ris(source: str, text: str) -> tuple[list[Record], list[ReadError]]:
    records: list[Record] = []
    errors: list[ReadError] = []
    tags: list[tuple[str, str, int]] | None = None
    start = 0
    last_line = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        last_line = number
        if not line.strip():
            continue
        match = _TAG.match(line)
        if match is None:
            if tags:  # a value wrapped onto the next line
                tag, value, at = tags[-1]
                tags[-1] = (tag, f"{value} {line.strip()}", at)
                continue
            errors.append(ReadError(source, number, f"not a RIS line: '{line[:40]}'"))
            continue
        tag, value = match[1], (match[2] or "").strip()
        if tag == "TY":
            if tags is not None:
                errors.append(ReadError(source, start, "record has no ER line before the next TY"))
            tags, start = [(tag, value, number)], number
        elif tags is None:
            errors.append(
                ReadError(source, number, f"{tag} outside a record (a record starts with TY)")
            )
        elif tag == "ER":
            records.append(_record(source, start, tags))
            tags = None
        else:
            tags.append((tag, value, number))
    if tags is not None:
        errors.append(ReadError(source, start or last_line, "record has no ER line"))
    if not records and not errors:
        errors.append(ReadError(source, 1, "no RIS record found (a record starts with 'TY  - ')"))
    return records, errors


def _record(source: str, line: int, tags: list[tuple[str, str, int]]) -> Record:
    ris_type = tags[0][1].upper()
    kind = TYPES.get(ris_type, "misc")
    record = Record(kind, "", {}, source, line)
    values: dict[str, list[tuple[str, int]]] = {}
    for tag, value, at in tags[1:]:
        if value:
            values.setdefault(tag, []).append((value, at))
    for tag, items in values.items():
        if tag in _PRIVATE:
            record.note("private field dropped", f"{tag} (attached file) dropped")
        elif tag in _TEXT and _TEXT[tag] not in record.fields:
            record.fields[_TEXT[tag]] = latex_text(items[0][0])
            record.field_lines[_TEXT[tag]] = items[0][1]
    if "ID" in values:
        record.key = values["ID"][0][0].strip()
    if ris_type in SUBTYPES:
        record.fields["entrysubtype"] = SUBTYPES[ris_type]
    _names(record, values)
    _container(record, values)
    _numbers(record, {tag: [v for v, _ in items] for tag, items in values.items()})
    return record


def _names(record: Record, values: dict[str, list[tuple[str, int]]]) -> None:
    authors = [v for tag in ("AU", "A1") for v, _ in values.get(tag, [])]
    editors = [v for tag in ("ED", "A2") for v, _ in values.get(tag, [])]
    if authors:
        record.fields["author"] = " and ".join(_name(n) for n in authors)
    edited = ("incollection", "inproceedings", "collection", "book", "inreference")
    if editors and record.entry_type in edited:
        record.fields["editor"] = " and ".join(_name(n) for n in editors)


def _container(record: Record, values: dict[str, list[tuple[str, int]]]) -> None:
    tags = ("T2", "JO", "JF", "JA", "BT")
    container = next((values[t][0][0] for t in tags if t in values), None)
    if not container:
        return
    kind, text = record.entry_type, latex_text(container)
    if kind == "article":
        record.fields["journaltitle"] = text
    elif kind in CONTAINER:
        record.fields["booktitle"] = text
    elif kind in ("book", "collection", "report"):
        record.fields.setdefault("series", text)
    else:
        record.fields.setdefault("howpublished", text)


def _numbers(record: Record, values: dict[str, list[str]]) -> None:
    """Dates, pages, standard numbers, links and keywords."""
    fields = record.fields
    date = next((values[t][0] for t in ("DA", "PY", "Y1") if t in values), "")
    if iso := _date(date):
        fields["date"] = iso
    if accessed := _date(values.get("Y2", [""])[0]):
        fields["urldate"] = accessed
    if "SP" in values:
        first, last = values["SP"][0], values.get("EP", [""])[0]
        fields["pages"] = f"{first}--{last}" if last and last != first else first
    if "SN" in values:
        books = ("book", "collection", "incollection")
        fields["isbn" if record.entry_type in books else "issn"] = latex_text(values["SN"][0])
    if "UR" in values:
        fields["url"] = verbatim_text(values["UR"][0])
    if "DO" in values:
        fields["doi"] = verbatim_text(values["DO"][0])
    if "KW" in values:
        fields["keywords"] = ", ".join(latex_text(k) for k in values["KW"])


def _name(value: str) -> str:
    if "," not in value:
        return "{" + latex_text(value) + "}" if " " in value.strip() else latex_text(value)
    parts = [p.strip() for p in value.split(",")]
    given = parts[1] if len(parts) > 1 else ""
    suffix = parts[2] if len(parts) > 2 else ""
    return bibtex_name(parts[0], given, "", suffix)


def _date(value: str) -> str | None:
    """RIS dates are ``YYYY/MM/DD/other`` (any part may be empty) or ``YYYY-MM-DD``."""
    parts = re.split(r"[/-]", value.strip())[:3]
    if not re.fullmatch(r"\d{4}", parts[0]):
        found = re.search(r"\d{4}", value)
        return found[0] if found else None
    out = [parts[0]]
    for part in parts[1:]:
        if not part.isdigit():
            break
        out.append(part.zfill(2))
    return "-".join(out)
