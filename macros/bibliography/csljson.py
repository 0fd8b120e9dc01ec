"""CSL-JSON items as BibTeX-ready records, for ``litreview import``.

Follows the CSL-JSON schema (citation-style-language/schema, ``csl-data.json`` v1.0:
``type``, ``id``, name variables as ``family``/``given``/particles/``literal``, dates as
``date-parts``, ``raw`` or ``literal``) as Zotero and pandoc write it; Zotero's Better
CSL JSON adds ``citation-key``. Rich text in titles (``<i>``, ``<b>``, ``<sup>``, ``<sub>``,
``<span class="nocase">``) becomes the LaTeX that reads back as the same markup.
"""

from __future__ import annotations

import json
import re
from typing import Any

from macros.bibliography.records import (
    ReadError,
    Record,
    bibtex_name,
    latex_text,
    verbatim_text,
)

TYPES = {
    "article": "article",
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "review": "article",
    "review-book": "article",
    "book": "book",
    "chapter": "incollection",
    "paper-conference": "inproceedings",
    "report": "report",
    "thesis": "thesis",
    "webpage": "online",
    "post": "online",
    "post-weblog": "online",
    "dataset": "dataset",
    "software": "software",
    "manuscript": "unpublished",
    "legislation": "legislation",
    "bill": "legislation",
    "legal_case": "jurisdiction",
    "patent": "patent",
    "motion_picture": "video",
    "broadcast": "video",
    "song": "audio",
    "graphic": "image",
    "personal_communication": "letter",
    "entry-encyclopedia": "inreference",
    "entry-dictionary": "inreference",
    "entry": "inreference",
    "standard": "standard",
    "periodical": "periodical",
}
SUBTYPES = {"article-newspaper": "newspaper", "article-magazine": "magazine"}
_TEXT = {
    "title": "title",
    "collection-title": "series",
    "volume": "volume",
    "issue": "number",
    "number": "number",
    "edition": "edition",
    "publisher": "publisher",
    "publisher-place": "location",
    "abstract": "abstract",
    "note": "note",
    "genre": "type",
    "event-title": "eventtitle",
    "ISBN": "isbn",
    "ISSN": "issn",
    "language": "language",
    "title-short": "shorttitle",
}
_MARKUP = (
    (re.compile(r"<i>(.*?)</i>"), r"\\emph{\1}"),
    (re.compile(r"<b>(.*?)</b>"), r"\\textbf{\1}"),
    (re.compile(r"<sup>(.*?)</sup>"), r"\\textsuperscript{\1}"),
    (re.compile(r"<sub>(.*?)</sub>"), r"\\textsubscript{\1}"),
    (re.compile(r'<span class="nocase">(.*?)</span>'), r"{\1}"),
)
_SAFE_KEY = re.compile(r"^[\w:./+-]+$")
# Zotero's ids are item URIs or "library/ITEMKEY": not keys a writer chose.
_ZOTERO_ID = re.compile(r"://|^\d+/[A-Z0-9]{8}$")


def read_csljson(source: str, text: str) -> tuple[list[Record], list[ReadError]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [ReadError(source, exc.lineno, f"not JSON: {exc.msg}")]
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        return [], [ReadError(source, 1, "CSL-JSON is a list of items")]
    lines = _item_lines(text)
    records, errors = [], []
    for index, item in enumerate(data):
        line = lines[index] if index < len(lines) else 1
        if not isinstance(item, dict):
            errors.append(ReadError(source, line, f"item {index + 1} is not an object"))
            continue
        records.append(_record(source, line, item))
    return records, errors


def _item_lines(text: str) -> list[int]:
    """The line of each top-level item's opening brace (for FILE:LINE in notes)."""
    lines, depth, line, in_string, escaped = [], 0, 1, False, False
    for char in text:
        if char == "\n":
            line += 1
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if char == "{" and depth == 2:
                lines.append(line)
        elif char in "]}":
            depth -= 1
    return lines


def _rich(value: Any) -> str:
    text = latex_text(str(value))
    # latex_text escaped nothing of the tags (no special characters in them), so undo per tag.
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    return text


def _record(source: str, line: int, item: dict[str, Any]) -> Record:
    csl_type = str(item.get("type", ""))
    kind = TYPES.get(csl_type, "misc")
    key = str(item.get("citation-key") or item.get("id") or "")
    citable = _SAFE_KEY.match(key) and not _ZOTERO_ID.search(key)
    record = Record(kind, key if citable else "", {}, source, line)
    fields = record.fields
    for name, target in _TEXT.items():
        if item.get(name) not in (None, "") and target not in fields:
            fields[target] = _rich(item[name])
    if container := item.get("container-title"):
        fields[_container_field(kind)] = _rich(container)
    if csl_type in SUBTYPES:
        fields["entrysubtype"] = SUBTYPES[csl_type]
    for role in ("author", "editor", "translator"):
        names = item.get(role)
        if isinstance(names, list) and names:
            fields[role] = " and ".join(_name(n) for n in names if isinstance(n, dict))
    _numbers(fields, item)
    if key and not record.key:
        record.note("key generated", f"id '{key[:60]}' cannot be a citation key")
    return record


def _container_field(kind: str) -> str:
    if kind == "article":
        return "journaltitle"
    return "howpublished" if kind in ("online", "misc") else "booktitle"


def _numbers(fields: dict[str, str], item: dict[str, Any]) -> None:
    """Dates, pages, links and keywords."""
    if date := _date(item.get("issued")):
        fields["date"] = date
    if accessed := _date(item.get("accessed")):
        fields["urldate"] = accessed
    if item.get("page"):
        fields["pages"] = latex_text(re.sub(r"\s*[-\u2013]\s*", "--", str(item["page"])))
    if item.get("URL"):
        fields["url"] = verbatim_text(str(item["URL"]))
    if item.get("DOI"):
        fields["doi"] = verbatim_text(str(item["DOI"]))
    if keywords := item.get("keyword"):
        fields["keywords"] = latex_text(str(keywords))


def _name(person: dict[str, Any]) -> str:
    if "literal" in person:
        return "{" + latex_text(str(person["literal"])) + "}"
    particle = " ".join(
        str(person[p]) for p in ("dropping-particle", "non-dropping-particle") if person.get(p)
    )
    return bibtex_name(
        str(person.get("family", "")),
        str(person.get("given", "")),
        particle,
        str(person.get("suffix", "")),
    )


def _date(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        dates = [
            "-".join(str(p).zfill(2) if i else str(p) for i, p in enumerate(d)) for d in parts if d
        ]
        return "/".join(dates[:2])
    for name in ("raw", "literal"):
        if found := re.search(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", str(value.get(name, ""))):
            return found[0]
    return None
