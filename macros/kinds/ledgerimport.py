"""``litreview import FILE.csv``: screening decisions in the shape ASReview exports, into the
screening ledger.

A row is a record: an id column (``doi``, ``openalex_id``, ``pmid`` or ``key``), a label
(``label_included`` or ``included``, 0 or 1) and, optionally, ``exclusion_reason`` and
``stage``. Rows with the same DOI or OpenAlex id (in the file, or already in the ledger) are
duplicates: one record is kept (an included one, if any) and the others point to it.

Stages, when a row has none: ASReview's label is the last decision made about the record. An
included record (1) passed every stage: include at title-abstract and at full text. An excluded
record (0) is taken as excluded at title-abstract, where screening tools such as ASReview work;
give a ``stage`` column (``title-abstract`` or ``full-text``) when exclusions were made on the
full text (then the record passed title-abstract). A review that declares its own stages
(``content/stages/``) names them in that column by id or label: a row excluded at a stage
passed every earlier one, a row included at a stage passed it and every earlier one, and a
row with no stage was excluded at the first stage or included at every stage.

The file becomes ``content/screening/<name>.yaml`` (split every 4,000 records, to stay within
the YAML limits) and, unless ``--search`` names one, a search ``content/searches/<name>.yaml``
whose ``records`` is the number of rows; unknown exclusion reasons become
``content/reasons/<reason>.yaml``. Nothing existing is rewritten.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from macros.content.errors import ContentError
from macros.kinds import ledger as ledgers
from macros.kinds.ledger import DEFAULT_STAGES, FULL_TEXT, TITLE_ABSTRACT, Stage, listing

PER_FILE = 4_000
HEADER = "# yaml-language-server: $schema=../../schemas/{}.schema.json\n"
_PLAIN = re.compile(r"^[A-Za-z][\w./()-]*$|^10\.\d{4,9}/[\w./()-]+$")
_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_OPENALEX = re.compile(r"^(?:https?://openalex\.org/)?(W\d{1,12})$", re.IGNORECASE)
_PMID = re.compile(r"^(?:https?://pubmed\.ncbi\.nlm\.nih\.gov/)?(\d{1,10})/?$")
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.+-]*$")
STAGE_NAMES = {
    "title-abstract": TITLE_ABSTRACT,
    "title_abstract": TITLE_ABSTRACT,
    "title/abstract": TITLE_ABSTRACT,
    "ta": TITLE_ABSTRACT,
    "full-text": FULL_TEXT,
    "full_text": FULL_TEXT,
    "fulltext": FULL_TEXT,
    "ft": FULL_TEXT,
}


class ScreeningImportError(Exception):
    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class ImportPlan:
    """What an import adds: files to write and the numbers of its report."""

    files: dict[str, str] = field(default_factory=dict)  # path from the project -> text
    rows: int = 0
    kept: int = 0
    duplicates: int = 0
    no_identifier: int = 0
    included: int = 0
    excluded: Counter[str] = field(default_factory=Counter)  # stage -> records
    reasons_added: list[str] = field(default_factory=list)
    search: str = ""

    def count(self, row: _Row, decisions: dict[str, Any], last: str) -> None:
        self.kept += 1
        if row.label == 1 and last in decisions:
            self.included += 1
        elif row.label == 0:
            self.excluded[list(decisions)[-1]] += 1

    def summary(self) -> str:
        excluded = ", ".join(f"{n} at {stage}" for stage, n in sorted(self.excluded.items()))
        lines = [
            f"{self.rows} records from search '{self.search}': {self.kept} kept, "
            f"{self.duplicates} duplicates removed (same DOI or OpenAlex id)",
            f"{self.included} included, excluded: {excluded or 'none'}",
        ]
        if self.no_identifier:
            lines.append(
                f"{self.no_identifier} rows had no identifier: kept as records named by their row"
            )
        if self.reasons_added:
            lines.append(f"exclusion reasons added: {', '.join(self.reasons_added)}")
        lines.append(f"files: {', '.join(self.files)}")
        return "\n".join(lines)


def _scalar(value: str) -> str:
    return value if _PLAIN.match(value) else json.dumps(value, ensure_ascii=False)


def _flow(data: dict[str, Any]) -> str:
    parts = []
    for name, value in data.items():
        if isinstance(value, list):
            text = "[" + ", ".join(_scalar(v) for v in value) + "]"
        elif isinstance(value, dict):
            text = _flow(value)
        else:
            text = _scalar(str(value))
        parts.append(f"{name}: {text}")
    return "{" + ", ".join(parts) + "}"


def slug(text: str) -> str:
    ident = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")
    return ident if ident[:1].isalpha() else f"x-{ident}" if ident else "x"


@dataclass
class _Row:
    number: int  # the CSV line
    ids: dict[str, str]
    label: int
    stage: str | None
    reason: str | None


def stage_names(stages: Sequence[Stage]) -> dict[str, str]:
    """What a ``stage`` cell may say (lower case) -> the stage's id."""
    if tuple(stages) == DEFAULT_STAGES:
        return STAGE_NAMES
    names = {s.label.lower(): s.id for s in stages}
    names.update({s.id: s.id for s in stages})
    return names


def _read(name: str, text: str, stages: Sequence[Stage] = DEFAULT_STAGES) -> list[_Row]:
    reader = csv.DictReader(io.StringIO(text))
    columns = {c.strip().lower(): c for c in reader.fieldnames or []}
    label_column = columns.get("label_included") or columns.get("included")
    if label_column is None:
        raise ScreeningImportError(
            [ContentError(name, 1, "no label_included or included column (0 or 1)")]
        )
    if not {"doi", "openalex_id", "pmid", "key"} & set(columns):
        raise ScreeningImportError(
            [ContentError(name, 1, "no id column: give doi, openalex_id, pmid or key")]
        )
    rows: list[_Row] = []
    errors: list[ContentError] = []
    names = stage_names(stages)
    for row in reader:
        line = reader.line_num

        def cell(column: str, row: dict[str, Any] = row) -> str:
            original = columns.get(column)
            return (row.get(original) or "").strip() if original else ""

        ids: dict[str, str] = {}
        for column, pattern, name_ in (
            ("doi", _DOI, "doi"),
            ("openalex_id", _OPENALEX, "openalex"),
            ("pmid", _PMID, "pmid"),
            ("key", _KEY, "key"),
        ):
            value = cell(column)
            if not value:
                continue
            match = pattern.match(value)
            if match is None:
                errors.append(ContentError(name, line, f"{column} '{value[:80]}' is not valid"))
                continue
            ids[name_] = match[1] if name_ != "key" else value
            if name_ == "openalex":
                ids[name_] = ids[name_].upper()
        label = cell(label_column.lower())
        if label not in {"0", "1"}:
            errors.append(ContentError(name, line, f"label '{label[:20]}' is not 0 or 1"))
            continue
        stage_text = " ".join(cell("stage").lower().split())
        stage = names.get(stage_text) if stage_text else None
        if stage_text and stage is None:
            use = listing([s.id for s in stages])
            errors.append(ContentError(name, line, f"stage '{stage_text[:40]}': use {use}"))
            continue
        reason = cell("exclusion_reason") or None
        rows.append(_Row(line, ids, int(label), stage, reason))
    if errors:
        raise ScreeningImportError(errors)
    return rows


def _decisions(
    row: _Row, reason: str | None, stages: Sequence[Stage] = DEFAULT_STAGES
) -> dict[str, Any]:
    """Include at every stage before the row's own; there, its label's decision."""
    excluded: Any = {"decision": "exclude", "reason": reason} if reason else "exclude"
    ids = [s.id for s in stages]
    if row.label == 1:
        upto = ids.index(row.stage) + 1 if row.stage else len(ids)
        return dict.fromkeys(ids[:upto], "include")
    at = ids.index(row.stage) if row.stage else 0
    return {**dict.fromkeys(ids[:at], "include"), ids[at]: excluded}


def plan_import(
    csv_path: Path,
    *,
    content: Path,
    existing: dict[str, str],
    known_reasons: set[str],
    search: str | None = None,
    today: datetime.date | None = None,
    stages: Sequence[Stage] = DEFAULT_STAGES,
) -> ImportPlan:
    """The files an import of ``csv_path`` writes. ``existing``: identifier -> the ledger's
    kept record it belongs to (so that a record already in the ledger is a duplicate)."""
    name = csv_path.name
    try:
        text = csv_path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScreeningImportError([ContentError(name, 1, f"cannot be read: {exc}")]) from None
    rows = _read(name, text, stages)
    batch = slug(csv_path.stem)
    search_id = search or batch
    plan = ImportPlan(rows=len(rows), search=search_id)
    for folder, ident in (("screening", batch), ("searches", None if search else batch)):
        if ident is not None and (content / folder / f"{ident}.yaml").exists():
            where = f"content/{folder}/{ident}.yaml"
            raise ScreeningImportError([ContentError(where, 1, "already exists: nothing written")])
    targets = _duplicate_targets(rows, existing)
    reasons: dict[str, str] = {}
    lines: list[str] = []
    for i, row in enumerate(rows):
        record: dict[str, Any] = dict(row.ids)
        if not row.ids:
            record = {"id": f"{batch}-row-{row.number}"}
            plan.no_identifier += 1
        record["found_by"] = [search_id]
        if targets[i] is not None:
            record["duplicate_of"] = targets[i]
            plan.duplicates += 1
        else:
            reason = slug(row.reason) if row.reason and row.label == 0 else None
            if reason is not None and reason not in known_reasons:
                reasons.setdefault(reason, str(row.reason))
            record["decisions"] = _decisions(row, reason, stages)
            plan.count(row, record["decisions"], stages[-1].id)
        lines.append(f"  - {_flow(record)}\n")
    day = (today or datetime.date.today()).isoformat()
    for part, start in enumerate(range(0, max(len(lines), 1), PER_FILE)):
        ident = batch if part == 0 else f"{batch}-{part + 1}"
        chunk = "".join(lines[start : start + PER_FILE])
        plan.files[f"content/screening/{ident}.yaml"] = (
            f"{HEADER.format('screening')}# Imported from {name} by litreview import on {day}.\n"
            f"id: {ident}\n"
            f"description: {json.dumps(f'Screening decisions imported from {name}.')}\n"
            + (f"records:\n{chunk}" if chunk else "records: []\n")
        )
    if not search:
        note = (
            f"Imported from {name}: the file does not say which database or query gave its "
            "records; describe the search here."
        )
        plan.files[f"content/searches/{batch}.yaml"] = (
            f"{HEADER.format('search')}id: {batch}\n"
            f"source: {json.dumps(f'The records of {name}')}\ntype: database\n"
            f"date: {day}\nnote: {json.dumps(note)}\nrecords: {len(rows)}\n"
        )
    for reason, label in sorted(reasons.items()):
        plan.files[f"content/reasons/{reason}.yaml"] = (
            f"{HEADER.format('reason')}id: {reason}\n"
            f"label: {json.dumps(label[:600], ensure_ascii=False)}\n"
        )
        plan.reasons_added.append(reason)
    return plan


def _duplicate_targets(rows: list[_Row], existing: dict[str, str]) -> list[str | None]:
    """Per row, the record it duplicates (None: kept). Rows sharing a DOI or an OpenAlex id
    form a group (union-find); a group with a record already in the ledger points to it, else
    one row is kept (an included one, if any) and the others point to it."""
    parent = list(range(len(rows)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_of: dict[str, int] = {}
    for i, row in enumerate(rows):
        for ident in _matchable(row):
            if ident in first_of:
                parent[root(i)] = root(first_of[ident])
            else:
                first_of[ident] = i
    kept: dict[int, int] = {}
    earlier: dict[int, str] = {}
    for i, row in enumerate(rows):
        group = root(i)
        if group not in kept or (row.label == 1 and rows[kept[group]].label == 0):
            kept[group] = i
        found = _earlier(row, existing)
        if found is not None:
            earlier.setdefault(group, found)
    return [
        earlier.get(root(i)) or (_handle(rows[kept[root(i)]]) if kept[root(i)] != i else None)
        for i in range(len(rows))
    ]


def _matchable(row: _Row) -> list[str]:
    return [v.lower() for k, v in row.ids.items() if k in {"doi", "openalex"}]


def _handle(row: _Row) -> str:
    """How a duplicate names the kept record: its OpenAlex id, else its DOI, PMID or key."""
    for name in ("openalex", "doi", "pmid", "key"):
        if name in row.ids:
            return row.ids[name]
    return ""


def _earlier(row: _Row, existing: dict[str, str]) -> str | None:
    for ident in _matchable(row):
        if ident in existing:
            return existing[ident]
    return None


def existing_identifiers(review: Any) -> dict[str, str]:
    """Identifier (lower-cased DOI or OpenAlex id) -> how to name the ledger's kept record."""
    out: dict[str, str] = {}
    built = ledgers.build(review)
    for ref in built.all_refs():
        record = built.record(ref)
        if record.duplicate_of is not None:
            continue
        handle = record.id or record.openalex or record.doi or ""
        for value in (record.doi, record.openalex):
            if value:
                out.setdefault(value.lower(), handle)
    return out
