"""RIS records as BibTeX-ready records, for ``litreview import``.

Follows the RIS format specification (Research Information Systems, "RIS Format
Specifications", 2011/2012 edition: ``TAG  - value`` lines, ``TY`` first and ``ER`` last) and
the tag use of Zotero's RIS export (``A2`` editors of a chapter, ``T2`` its container, ``DA``
the full date, ``L1``/``L4`` attached files, which are private and never imported).
"""

from __future__ import annotations

import re

from macros.bibliography.records import ReadError, Record, bibtex_name, latex_text, verbatim_text

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
    fields = record.fields
    values: dict[str, list[tuple[str, int]]] = {}
    for tag, value, at in tags[1:]:
        if value:
            values.setdefault(tag, []).append((value, at))
    for tag, items in values.items():
        if tag in _PRIVATE:
            record.note("private field dropped", f"{tag} (attached file) dropped")
            continue
        first, at = items[0]
        if tag in _TEXT and _TEXT[tag] not in fields:
            fields[_TEXT[tag]] = latex_text(first)
            record.field_lines[_TEXT[tag]] = at
    if "ID" in values:
        record.key = values["ID"][0][0].strip()
    authors = [v for tag in ("AU", "A1") for v, _ in values.get(tag, [])]
    editors = [v for tag in ("ED", "A2") for v, _ in values.get(tag, [])]
    if authors:
        fields["author"] = " and ".join(_name(n) for n in authors)
    if editors and kind in ("incollection", "inproceedings", "collection", "book", "inreference"):
        fields["editor"] = " and ".join(_name(n) for n in editors)
    container = next((values[t][0][0] for t in ("T2", "JO", "JF", "JA", "BT") if t in values), None)
    if container:
        if kind == "article":
            fields["journaltitle"] = latex_text(container)
        elif kind in CONTAINER:
            fields["booktitle"] = latex_text(container)
        elif kind in ("book", "collection", "report") and "series" not in fields:
            fields["series"] = latex_text(container)
        else:
            fields.setdefault("howpublished", latex_text(container))
    if ris_type in SUBTYPES:
        fields["entrysubtype"] = SUBTYPES[ris_type]
    date = next((values[t][0][0] for t in ("DA", "PY", "Y1") if t in values), "")
    if iso := _date(date):
        fields["date"] = iso
    if "Y2" in values and (accessed := _date(values["Y2"][0][0])):
        fields["urldate"] = accessed
    if "SP" in values:
        first = values["SP"][0][0]
        last = values["EP"][0][0] if "EP" in values else ""
        fields["pages"] = f"{first}--{last}" if last and last != first else first
    if "SN" in values:
        number = values["SN"][0][0]
        fields["isbn" if kind in ("book", "collection", "incollection") else "issn"] = latex_text(
            number
        )
    if "UR" in values:
        fields["url"] = verbatim_text(values["UR"][0][0])
    if "DO" in values:
        fields["doi"] = verbatim_text(values["DO"][0][0])
    if "KW" in values:
        fields["keywords"] = ", ".join(latex_text(k) for k, _ in values["KW"])
    return record


def _name(value: str) -> str:
    if "," not in value:
        return "{" + latex_text(value) + "}" if " " in value.strip() else latex_text(value)
    parts = [p.strip() for p in value.split(",")]
    given = parts[1] if len(parts) > 1 else ""
    suffix = parts[2] if len(parts) > 2 else ""
    return bibtex_name(parts[0], given, "", suffix)


def _date(value: str) -> str | None:
    """RIS dates are ``YYYY/MM/DD/other`` (any part may be empty) or ``YYYY-MM-DD``."""
    parts = [p for p in re.split(r"[/-]", value.strip())[:3]]
    if not parts or not re.fullmatch(r"\d{4}", parts[0]):
        found = re.search(r"\d{4}", value)
        return found[0] if found else None
    out = [parts[0]]
    for part in parts[1:]:
        if not part.isdigit():
            break
        out.append(part.zfill(2))
    return "-".join(out)
