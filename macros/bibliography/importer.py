"""``litreview import``: bring a library of any provenance into the review's bibliography.

Reads BibTeX/biblatex (``bibscan.py``: Zotero, Better BibTeX, JabRef, Mendeley, BibDesk,
INSPIRE, DBLP, Google Scholar, Paperpile), RIS (``ris.py``) and CSL-JSON (``csljson.py``);
normalises every entry so that it stands alone and passes ``litreview check``; merges
duplicates (DOI, arXiv id, ISBN, or title + year + first author) within the input and against
the bibliography; and appends the new entries to the bibliography, never rewriting a byte of it.

A field given twice: BibTeX keeps the first value ("I'm ignoring ...'s extra ... field"),
pandoc 3.9 the last. The importer keeps the first, as BibTeX and LaTeX users expect, and says
which value it left out; repeated ``keywords`` are joined instead (Mendeley writes one per line).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from macros.bibliography import csljson, jabref, ris
from macros.bibliography.bibscan import ScannedEntry, scan
from macros.bibliography.bibtex import (
    ENTRY_TYPES,
    KEY_REFUSED,
    SAFE_URL,
    SCHEMELESS,
    VERBATIM_FIELDS,
    private_field,
)
from macros.bibliography.records import Note, ReadError, Record, folded, split_names, surname
from macros.content.settings import load_settings

DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*|DOI\s+)", re.IGNORECASE)
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
ARXIV_NEW = r"\d{4}\.\d{4,5}"
ARXIV_OLD = r"[a-z-]+(?:\.[A-Z]{2})?/\d{7}"
ARXIV_ID = re.compile(rf"^(?:arxiv:)?({ARXIV_NEW}|{ARXIV_OLD})(?:v\d+)?$", re.IGNORECASE)
ARXIV_IN_TEXT = re.compile(
    rf"(?:arxiv\.org/(?:abs|pdf)/|arxiv:\s*)({ARXIV_NEW}|{ARXIV_OLD})", re.IGNORECASE
)
# Types pandoc does not read, as the nearest type it does (and a subtype where biblatex has one).
TYPE_MAP: dict[str, tuple[str, dict[str, str]]] = {
    "newspaper": ("article", {"entrysubtype": "newspaper"}),
    "magazine": ("article", {"entrysubtype": "magazine"}),
    "review": ("article", {}),
    "journal": ("periodical", {}),
    "artwork": ("image", {}),
    "movie": ("video", {}),
    "music": ("audio", {}),
    "letters": ("letter", {}),
    "commentary": ("book", {}),
    "inbookwithoutauthor": ("inbook", {}),
    "misc": ("misc", {}),
}
BOOK_TYPES = frozenset(
    {"book", "mvbook", "collection", "mvcollection", "proceedings", "mvproceedings", "reference"}
    | {"mvreference", "manual", "booklet", "periodical"}
)
# Fields no style prints that only carry noise (INSPIRE's "%%CITATION = ...;%%").
NOISE_FIELDS = frozenset({"slaccitation"})
KEY_FIELDS = ("crossref", "xref", "xdata", "entryset", "related")
KEY_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f" + re.escape(KEY_REFUSED) + "]")  # as bibtex.SAFE_KEY
LANGUAGE_CODES = {
    "en": "english",
    "de": "ngerman",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "nl": "dutch",
    "ru": "russian",
    "zh": "chinese",
    "ja": "japanese",
    "id": "bahasai",
    "ms": "malay",
}
STOP_WORDS = frozenset({"a", "an", "the", "on", "of", "in", "to", "for", "and", "de", "la", "le"})


class LibraryImportError(Exception):
    """Input that cannot be read; its lines are ``FILE:LINE: message``."""

    def __init__(self, errors: list[ReadError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


# --- reading BibTeX ----------------------------------------------------------------------


def read_bibtex(source: str, text: str) -> tuple[list[Record], list[ReadError], list[Note]]:
    """Records of a BibTeX file, with a note per thing resolved on the way."""
    scanned = scan(text)
    errors = [ReadError(source, e.line, e.message) for e in scanned.errors]
    notes: list[Note] = []
    if scanned.string_count:
        notes.append(
            Note(
                "@string macros resolved",
                source,
                0,
                "",
                f"{scanned.string_count} @string macro(s) resolved into the entries that use them",
            )
        )
    if scanned.comments:
        notes.append(
            Note("@comment skipped", source, 0, "", f"{scanned.comments} @comment block(s) skipped")
        )
    if scanned.preambles:
        notes.append(
            Note(
                "@preamble skipped",
                source,
                0,
                "",
                f"{len(scanned.preambles)} @preamble block(s) skipped (LaTeX only)",
            )
        )
    records = []
    for entry in scanned.entries:
        values = {name: " ".join(f.value.split()) for name, f in entry.fields.items()}
        record = Record(
            entry.entry_type,
            entry.key,
            values,
            source,
            entry.line,
            field_lines={name: f.line for name, f in entry.fields.items()},
        )
        _scan_notes(record, entry)
        records.append(record)
    notes += jabref.apply_groups(source, text, records)  # JabRef's groups tree -> keywords
    return records, errors, notes


def _scan_notes(record: Record, entry: ScannedEntry) -> None:
    """Notes on what reading one entry resolved: blocks, case, macros, repeated fields."""
    if entry.parenthesised:
        record.note("parenthesised block", "@type(key, ...) written as @type{key, ...}")
    if entry.entry_type != entry.entry_type.lower():
        record.note(
            "entry type lower-cased", f"@{entry.entry_type} written @{entry.entry_type.lower()}"
        )
    renamed = [f.written_name for f in entry.fields.values() if f.written_name != f.name]
    if renamed:
        record.note("field names lower-cased", f"field names lower-cased: {', '.join(renamed)}")
    for scanned_field in entry.fields.values():
        name = scanned_field.name
        if scanned_field.concatenated:
            record.note("# concatenation joined", f"{name}: '#' parts joined into one value", name)
        if scanned_field.month_macro:
            record.note("month macro resolved", f"{name}: month macro written as a number", name)
        for macro in scanned_field.macros:
            record.note(
                "undefined @string kept as text",
                f"{name}: '{macro}' is not a defined @string; kept as text",
                name,
            )
    for extra in entry.duplicates:
        value = " ".join(extra.value.split())
        if extra.name == "keywords":
            record.fields["keywords"] = ", ".join(
                k for k in (record.fields.get("keywords", ""), value) if k
            )
            record.note("repeated field joined", "keywords given again: joined", extra.name)
            continue
        record.notes.append(
            Note(
                "repeated field: first kept",
                record.source,
                extra.line,
                record.key,
                f"{extra.name} given twice; kept the first value, as BibTeX does, "
                f"left out '{value[:60]}'",
            )
        )


# --- normalising one record ----------------------------------------------------------------


def _clean_verbatim(value: str) -> str:
    value = re.sub(r"^\\url\{(.*)\}$", r"\1", value.strip())
    value = re.sub(r"\{\\([_%&#~])\}|\\([_%&#~])", lambda m: m[1] or m[2], value)
    value = value.replace("\\textasciitilde{}", "~").replace("{\\textasciitilde}", "~")
    return value.replace("$\\sim$", "~").strip()


def normalise(record: Record) -> None:
    """Fix the record in place so that it stands alone and passes ``litreview check``."""
    fields = record.fields
    _normalise_type(record)
    for name in list(fields):
        if not fields[name].strip():
            del fields[name]
            record.note("empty field dropped", f"{name} is empty: dropped", name)
    _drop_private(record)
    _normalise_doi(record)
    _normalise_urls(record)
    if "eprint" in fields:
        fields["eprint"] = _clean_verbatim(fields["eprint"])
    if "language" in fields and "langid" not in fields:
        langid = _langid(fields["language"])
        if langid:
            fields["langid"] = langid
            record.note(
                "language mapped to langid",
                f"language '{fields['language']}' -> langid {langid}",
                "language",
            )
    _escape_percent(record)


def _escape_percent(record: Record) -> None:
    fields = record.fields
    for name, value in list(fields.items()):
        if name in VERBATIM_FIELDS:
            continue
        escaped = re.sub(r"(?<!\\)%", r"\\%", value)
        if escaped != value:
            fields[name] = escaped
            record.note(
                "% escaped", f"{name}: % written \\% (a bare % starts a LaTeX comment)", name
            )


def _drop_private(record: Record) -> None:
    fields = record.fields
    for name in sorted(fields):
        value = fields[name]
        if private_field(name, value, annotation_public=False):
            del fields[name]
            record.note("private field dropped", f"{name} dropped (private to your library)", name)
        elif name in NOISE_FIELDS:
            del fields[name]
            record.note("unprinted field dropped", f"{name} dropped (no style prints it)", name)
    bdsk = sorted((n for n in fields if re.fullmatch(r"bdsk-url-\d+", n)), key=lambda n: int(n[9:]))
    for index, name in enumerate(bdsk):
        value = fields.pop(name)
        if index == 0 and "url" not in fields:
            fields["url"] = value
            record.note("BibDesk URL moved", f"{name} written as url", name)
        else:
            record.note("private field dropped", f"{name} dropped (BibDesk's copy of a link)", name)


def _normalise_type(record: Record) -> None:
    kind = record.entry_type.lower()
    if kind in TYPE_MAP and TYPE_MAP[kind][0] != kind:
        mapped, extra = TYPE_MAP[kind]
        for name, value in extra.items():
            record.fields.setdefault(name, value)
        # pandoc reads @newspaper as an untyped item; @article with a subtype is typed.
        record.note("entry type mapped", f"@{kind} is not a standard type: written @{mapped}")
        kind = mapped
    elif kind not in ENTRY_TYPES:
        record.note("entry type mapped", f"@{kind} is not a type pandoc reads: written @misc")
        kind = "misc"
    record.entry_type = kind


def _normalise_doi(record: Record) -> None:
    raw = record.fields.get("doi")
    if raw is None:
        return
    value = DOI_PREFIX.sub("", _clean_verbatim(raw)).strip()
    candidates = value.split()
    value = candidates[0] if candidates else ""
    if len(candidates) > 1:
        record.note("doi cleaned", f"doi holds {len(candidates)} DOIs: kept the first", "doi")
    if not DOI.match(value):
        del record.fields["doi"]
        record.note("invalid doi dropped", f"doi '{raw[:60]}' is not a DOI: dropped", "doi")
        return
    if value != raw:
        record.fields["doi"] = value
        record.note("doi cleaned", f"doi '{raw[:60]}' written {value}", "doi")


def _normalise_urls(record: Record) -> None:
    for name in ("url", "urlraw"):
        raw = record.fields.get(name)
        if raw is None:
            continue
        value = _clean_verbatim(raw)
        if not (SAFE_URL.match(value) or SCHEMELESS.match(value)):
            found = re.search(r"https?://\S+", value)
            value = found[0] if found else value
            if found and " " in raw.strip():
                record.note("url cleaned", f"{name}: text around the link dropped", name)
        if not (SAFE_URL.match(value) or SCHEMELESS.match(value)):
            del record.fields[name]
            record.note(
                "invalid url dropped", f"{name} '{raw[:60]}' is not a web link: dropped", name
            )
            continue
        if value != raw:
            record.fields[name] = value
            record.note("url cleaned", f"{name} '{raw[:60]}' written {value[:60]}", name)


def _langid(language: str) -> str | None:
    first = re.split(r"\s+and\s+|[,;]", language.replace("{", "").replace("}", ""))[0]
    first = first.strip().lower()
    first = LANGUAGE_CODES.get(first.split("-")[0], first) if len(first) <= 5 else first
    return first if re.fullmatch(r"[a-z]+", first) else None


# --- duplicates --------------------------------------------------------------------------


def year_of(fields: dict[str, str]) -> str:
    for name in ("year", "date"):
        if found := re.search(r"\d{4}", fields.get(name, "")):
            return found[0]
    return ""


def first_surname(fields: dict[str, str]) -> str:
    for role in ("author", "editor"):
        if names := split_names(fields.get(role, "")):
            return surname(names[0])
    return ""


def arxiv_id(fields: dict[str, str]) -> str | None:
    prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "").lower()
    eprint = fields.get("eprint", "").strip()
    if eprint and (match := ARXIV_ID.match(eprint)) and (prefix in ("", "arxiv")):
        return match[1].lower()
    for name in ("url", "journal", "journaltitle", "note", "howpublished"):
        if match := ARXIV_IN_TEXT.search(fields.get(name, "")):
            return match[1].lower()
    return None


def _isbn13(value: str) -> str | None:
    digits = re.sub(r"[^0-9Xx]", "", value).upper()
    if len(digits) == 10:
        core = "978" + digits[:9]
        check = (10 - sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(core)) % 10) % 10
        return core + str(check)
    return digits if len(digits) == 13 else None


def identities(entry_type: str, fields: dict[str, str]) -> list[str]:
    """What makes two entries the same work: DOI, arXiv id, ISBN, title + year + author."""
    found = []
    dois = DOI_PREFIX.sub("", _clean_verbatim(fields.get("doi", ""))).split()
    if dois and DOI.match(dois[0]):
        found.append("doi:" + dois[0].lower())
    if arxiv := arxiv_id(fields):
        found.append("arxiv:" + arxiv)
    if entry_type in BOOK_TYPES:
        parts = re.split(r"[,;]|\s+and\s+", fields.get("isbn", ""))
        found.extend("isbn:" + isbn for part in parts if (isbn := _isbn13(part)))
    title = folded(fields.get("title", "")).split()
    year, author = year_of(fields), folded(first_surname(fields)).replace(" ", "")
    if title and (year or author):
        found.append(f"title:{' '.join(title)}|{year}|{author}")
    return found


# --- keys --------------------------------------------------------------------------------


def generated_key(fields: dict[str, str]) -> str:
    """authorYEARfirstword, ASCII only: ``muller2020rivers``."""
    author = folded(first_surname(fields)).replace(" ", "") or "anon"
    title = [w for w in folded(fields.get("title", "")).split() if w not in STOP_WORDS]
    return f"{author}{year_of(fields) or 'nd'}{title[0] if title else ''}"


# --- the plan ----------------------------------------------------------------------------


@dataclass
class Merge:
    record: Record
    into: str  # the key it merged into
    existing: bool  # into an entry already in the bibliography
    added_fields: list[str]  # fields the kept entry took from this one (new entries only)
    differing: list[str]  # fields both have, with different values (the kept one's stays)
    missing: list[str]  # fields an existing entry lacks (never written: existing entries stay)


@dataclass
class Plan:
    bibliography: str
    read: int = 0
    added: list[Record] = field(default_factory=list)
    merged: list[Merge] = field(default_factory=list)
    skipped: list[Record] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def fix_counts(self) -> Counter[str]:
        return Counter(note.kind for note in self.all_notes())

    def all_notes(self) -> list[Note]:
        out = list(self.notes)
        for record in self.added:
            out.extend(record.notes)
        for merge in self.merged:
            out.extend(merge.record.notes)
        return out


@dataclass
class _Existing:
    keys: dict[str, str]  # casefolded key -> key
    fields: dict[str, dict[str, str]]  # key -> fields
    types: dict[str, str]


def _existing(text: str) -> tuple[_Existing, dict[str, str]]:
    scanned = scan(text)
    known = _Existing({}, {}, {})
    identity_index: dict[str, str] = {}
    for entry in scanned.entries:
        if not entry.key or entry.key.casefold() in known.keys:
            continue
        values = {n: " ".join(f.value.split()) for n, f in entry.fields.items()}
        known.keys[entry.key.casefold()] = entry.key
        known.fields[entry.key] = values
        known.types[entry.key] = entry.entry_type.lower()
        for identity in identities(entry.entry_type.lower(), values):
            identity_index.setdefault(identity, entry.key)
    return known, identity_index


def plan_import(bibliography: str, existing_text: str, records: list[Record]) -> Plan:
    """Which records are added (with which key), which merge into which entry."""
    plan = Plan(bibliography, read=len(records))
    known, index = _existing(existing_text)
    taken = dict(known.keys)
    new_by_key: dict[str, Record] = {}
    renames: dict[tuple[str, str], str] = {}
    for record in records:
        normalise(record)
        ids = identities(record.entry_type, record.fields)
        target = next((index[i] for i in ids if i in index), None)
        if target is None and record.key and record.key.casefold() in known.keys:
            same = known.keys[record.key.casefold()]
            if known.fields[same] == record.fields and known.types[same] == record.entry_type:
                plan.skipped.append(record)
                renames[(record.source, record.key)] = same
                continue
        if target is not None:
            merge = _merge(record, target, known, new_by_key)
            renames[(record.source, record.key)] = target
            if merge.existing and not merge.missing and not merge.differing:
                record.notes = [
                    n for n in record.notes if n.kind != "duplicate of an existing entry"
                ]
                plan.skipped.append(record)
            else:
                plan.merged.append(merge)
            continue
        key = _assign_key(record, taken)
        renames[(record.source, record.key)] = key
        if key != record.key:
            record.key = key
        taken[key.casefold()] = key
        new_by_key[key] = record
        for identity in ids:
            index.setdefault(identity, key)
        plan.added.append(record)
    for record in plan.added:
        _rewrite_key_fields(record, renames)
    return plan


def _assign_key(record: Record, taken: dict[str, str]) -> str:
    key = record.key
    if key and KEY_UNSAFE.search(key):
        safe = KEY_UNSAFE.sub("", key)
        record.note(
            "key made citable",
            f"key '{key}' has characters a citation cannot carry: '{safe or '(generated)'}'",
        )
        key = safe
    if not key:
        key = generated_key(record.fields)
        if not record.key:
            record.note("key generated", f"entry has no key: {key}")
    base, n = key, 2
    while key.casefold() in taken:
        key = f"{base}-{n}"
        n += 1
    if key != base:
        record.note("key suffixed", f"key '{base}' is taken by another entry: written '{key}'")
    return key


def _merge(record: Record, target: str, known: _Existing, new: dict[str, Record]) -> Merge:
    if target in new:
        kept = new[target]
        added = [n for n in record.fields if n not in kept.fields]
        for name in added:
            kept.fields[name] = record.fields[name]
        differing = [
            n
            for n in record.fields
            if n in kept.fields and n not in added and kept.fields[n] != record.fields[n]
        ]
        where = f"{kept.source}:{kept.line}"
        detail = f"; took {', '.join(added)}" if added else ""
        record.note(
            "duplicate merged", f"same work as '{target}' ({where}): merged into it{detail}"
        )
        return Merge(
            record, target, existing=False, added_fields=added, differing=differing, missing=[]
        )
    have = known.fields[target]
    missing = [n for n in record.fields if n not in have]
    differing = [n for n in record.fields if n in have and have[n] != record.fields[n]]
    detail = (
        f"; it lacks {', '.join(missing)} (not added: existing entries are never rewritten)"
        if missing
        else ""
    )
    record.note(
        "duplicate of an existing entry",
        f"same work as '{target}' already in the bibliography{detail}",
    )
    return Merge(
        record, target, existing=True, added_fields=[], differing=differing, missing=missing
    )


def _rewrite_key_fields(record: Record, renames: dict[tuple[str, str], str]) -> None:
    for name in KEY_FIELDS:
        if name not in record.fields:
            continue
        keys = [k.strip() for k in record.fields[name].split(",")]
        new = [renames.get((record.source, k), k) for k in keys]
        new = [k for k in dict.fromkeys(new) if k and k != record.key]
        if not new:
            del record.fields[name]
            record.note(
                "reference to a renamed key", f"{name} named only this entry: dropped", name
            )
        elif new != keys:
            record.fields[name] = ",".join(new)
            record.note(
                "reference to a renamed key",
                f"{name} follows the new key(s): {', '.join(new)}",
                name,
            )


# --- writing -----------------------------------------------------------------------------


def render_entry(record: Record) -> str:
    """One entry in the form ``litreview bibfmt`` accepts: fields sorted, two-space indent."""
    lines = [f"  {name} = {{{record.fields[name]}}}" for name in sorted(record.fields)]
    return f"@{record.entry_type}{{{record.key},\n" + ",\n".join(lines) + "\n}"


def appended_text(existing: str, plan: Plan) -> str:
    """The bibliography with the plan's entries after its last byte; nothing before changes."""
    if not plan.added:
        return existing
    newline = "\r\n" if "\r\n" in existing else "\n"
    body = "\n\n".join(render_entry(r) for r in plan.added) + "\n"
    if not existing or existing.endswith(("\n\n", "\r\n\r\n")):
        separator = ""
    elif existing.endswith("\n"):
        separator = "\n"
    else:
        separator = "\n\n"
    return existing + (separator + body).replace("\n", newline)


# --- the command's steps -----------------------------------------------------------------


def read_any(path: Path, label: str) -> tuple[list[Record], list[ReadError], list[Note]]:
    """Records of one input file, by its format (by extension, then by content)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        return [], [ReadError(label, line, "not UTF-8 text; save the export as UTF-8")], []
    except OSError as exc:
        return [], [ReadError(label, 1, f"cannot read this file: {exc.strerror or exc}")], []
    suffix = path.suffix.lower()
    stripped = text.lstrip()
    if suffix == ".json" or (suffix not in (".bib", ".ris") and stripped.startswith(("[", "{"))):
        records, errors = csljson.read_csljson(label, text)
        return records, errors, []
    if suffix in (".ris", ".txt") or (suffix != ".bib" and re.match(r"TY  - ", stripped)):
        records, errors = ris.read_ris(label, text)
        return records, errors, []
    return read_bibtex(label, text)


def import_files(root: Path, files: list[Path]) -> tuple[Plan, str, str]:
    """The plan, the bibliography's current text and its text after the import.

    Raises ``LibraryImportError`` when an input cannot be read or the bibliography ends in a broken
    entry; nothing is written here.
    """
    bibliography = load_settings(root).bibliography
    target = root / bibliography
    try:
        existing = target.read_bytes().decode("utf-8") if target.is_file() else ""
    except UnicodeDecodeError:
        raise LibraryImportError([ReadError(bibliography, 1, "not UTF-8 text")]) from None
    scanned = scan(existing)
    if scanned.unclosed_at_end:
        last = scanned.errors[-1] if scanned.errors else None
        line = last.line if last else 1
        message = (
            "the last entry is not closed: fix it before importing "
            "(an entry appended after it would be swallowed)"
        )
        raise LibraryImportError([ReadError(bibliography, line, message)])
    records: list[Record] = []
    errors: list[ReadError] = []
    notes: list[Note] = []
    for path in files:
        label = _label(root, path)
        found, problems, file_notes = read_any(path, label)
        records += found
        errors += problems
        notes += file_notes
    if errors:
        raise LibraryImportError(errors)
    plan = plan_import(bibliography, existing, records)
    plan.notes = notes + plan.notes
    return plan, existing, appended_text(existing, plan)


def _label(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
