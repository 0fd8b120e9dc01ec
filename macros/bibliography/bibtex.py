"""BibTeX loading with bibtexparser v2: every failed block becomes an error with its line.

Verbatim fields (URLs, DOIs) are kept byte for byte: bibtexparser's LaTeX decoding treats ``%``
as a comment and ``&`` as a column separator, which corrupts them. Display text is decoded by
pandoc in ``citeproc.py`` instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bibtexparser.entrypoint import parse_string
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    Field,
    ParsingFailedBlock,
)

from macros.bibliography.bibscan import join_parts
from macros.content.errors import ContentError

VERBATIM_FIELDS = frozenset({"url", "doi", "eprint", "file", "urlraw", "verba", "verbb", "pdf"})
URL_FIELDS = frozenset({"url", "urlraw", "pdf"})
SAFE_URL = re.compile(r"^(https?://|mailto:)[^\s<>\"]+$", re.IGNORECASE)
# A URL as printed may lack a scheme (``www.example.org``); that is safe to keep as text.
SCHEMELESS = re.compile(r"^[A-Za-z0-9][^\s:<>\"]*$")
ENTRY_TYPES = frozenset(
    {
        "article",
        "book",
        "mvbook",
        "inbook",
        "bookinbook",
        "suppbook",
        "booklet",
        "collection",
        "mvcollection",
        "incollection",
        "suppcollection",
        "dataset",
        "manual",
        "misc",
        "online",
        "patent",
        "periodical",
        "suppperiodical",
        "proceedings",
        "mvproceedings",
        "inproceedings",
        "reference",
        "mvreference",
        "inreference",
        "report",
        "set",
        "software",
        "thesis",
        "unpublished",
        "xdata",
        "mastersthesis",
        "phdthesis",
        "techreport",
        "conference",
        "electronic",
        "www",
        "legislation",
        "legal",
        "jurisdiction",
        "standard",
        "video",
        "audio",
        "image",
        "letter",
        "newsarticle",
        "webpage",
        # biblatex-gb7714 and biblatex-chicago types pandoc reads (as a generic item).
        "newspaper",
        "magazine",
    }
)
# What biber and BibTeX read as a key everywhere (letters of any script, digits, ``_-:./+``);
# keys end up in URLs, file names, HTML ids and pandoc citations.
# ``&`` too (BibDesk writes ``AT&T2010``); never a quote, which would end an attribute or a cite().
SAFE_KEY = re.compile(r"^[\w\-:./+&]+$")
MAX_KEY = 128
# Characters in one field: a printed field (a title, a journal) is short; an abstract or a
# note may be long, but never a book.
MAX_FIELD = 64_000
MAX_LONG_FIELD = 256_000
MAX_BRACE_DEPTH = 16  # {{An Agency}} is two; pandoc slows to minutes at thousands
# Fields pandoc reads into a formatted entry or the CSL-JSON the site shows: a ``%`` in any
# other (BibDesk's ``Bdsk-Url-1``, INSPIRE's ``SLACcitation``) is never printed, so harmless.
PRINTED_FIELDS = frozenset(
    {"title", "subtitle", "titleaddon", "shorttitle", "booktitle", "booksubtitle", "maintitle"}
    | {"mainsubtitle", "journaltitle", "journal", "journalsubtitle", "shortjournal", "series"}
    | {"eventtitle", "venue", "issuetitle", "origtitle", "reprinttitle", "author", "editor"}
    | {"translator", "bookauthor", "editora", "editorb", "editorc", "director", "holder"}
    | {"publisher", "location", "address", "institution", "school", "organization"}
    | {"howpublished", "pages", "volume", "number", "issue", "edition", "version", "chapter"}
    | {"volumes", "pagetotal", "part", "note", "addendum", "annotation", "abstract", "type"}
    | {"date", "year", "month", "eventdate", "origdate", "urldate", "isbn", "issn", "language"}
    | {
        "langid",
        "eprinttype",
        "eprintclass",
        "pubstate",
        "keywords",
        "entrysubtype",
        "origlocation",
    }
    | {"origpublisher", "shortauthor", "shorteditor", "nameaddon", "crossref", "xdata"}
)
LONG_FIELDS = frozenset({"abstract", "annotation", "annote", "note", "addendum", "file"})
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "article": ("author", "title", "journaltitle|journal", "date|year"),
    "book": ("author|editor", "title", "date|year"),
    "online": ("title", "url"),
    "report": ("title", "date|year"),
    "inproceedings": ("author", "title", "booktitle"),
    "thesis": ("author", "title", "institution|school"),
}


@dataclass(frozen=True)
class BibEntry:
    """One entry as written: raw field values, nothing decoded."""

    key: str
    entry_type: str
    fields: dict[str, str]
    line: int
    raw: str
    # The entry as pandoc is given it: ``raw`` unless pandoc would misread that (see
    # ``_for_pandoc``), then written again from ``fields``.
    pandoc: str = ""
    notes: tuple[str, ...] = ()  # what was read differently from how it is written

    @property
    def source(self) -> str:
        return self.pandoc or self.raw

    def get(self, *names: str) -> str | None:
        for name in names:
            if name in self.fields:
                return self.fields[name]
        return None


@dataclass(frozen=True)
class Bibliography:
    path: str
    text: str
    entries: dict[str, BibEntry]
    # Keys of blocks that failed to parse: reported once, not again where they are cited.
    broken_keys: frozenset[str] = frozenset()


def parse_bibliography(path: str, text: str) -> tuple[Bibliography, list[ContentError]]:
    """Parse BibTeX text; return all entries that parsed and an error for every problem."""
    library = parse_string(text)
    strings = {s.key.lower(): str(s.value) for s in library.strings}
    recovered = [b for b in library.failed_blocks if isinstance(b, DuplicateFieldKeyBlock)]
    failed = [b for b in library.failed_blocks if not isinstance(b, DuplicateFieldKeyBlock)]
    errors = [_failed_block_error(path, block) for block in failed]
    entries: dict[str, BibEntry] = {}
    blocks = list(library.entries) + [_first_fields(b) for b in recovered]
    for block in sorted(blocks, key=lambda b: b.start_line or 0):
        entry = _to_entry(block, strings)
        problems = _entry_problems(path, entry, block, strings)
        errors.extend(problems)
        if entry.key and entry.key not in entries:
            entries[entry.key] = entry
    broken = {m[1] for b in failed if (m := _BLOCK_KEY.match(b.raw or ""))}
    return Bibliography(path, text, entries, frozenset(broken - entries.keys())), errors


_BLOCK_START = re.compile(r"^(?=@)", re.MULTILINE)


def reparse_bibliography(before: Bibliography, text: str) -> Bibliography | None:
    """``text`` parsed by re-reading only the entries that changed since ``before``.

    Only for the simple, common edit: the same blocks in the same order, each changed one a
    single valid entry with its key and its number of lines kept, no ``@string`` anywhere,
    and no error before. Anything else returns None, and the caller parses the whole file.
    """
    if before.broken_keys or "@string" in text.lower() or "@string" in before.text.lower():
        return None
    old_blocks, new_blocks = _BLOCK_START.split(before.text), _BLOCK_START.split(text)
    if len(old_blocks) != len(new_blocks):
        return None
    entries = dict(before.entries)
    line = 1
    for old, new in zip(old_blocks, new_blocks, strict=True):
        if old != new:
            if old.count("\n") != new.count("\n"):
                return None
            parsed, errors = parse_bibliography(before.path, new)
            [(key, entry)] = parsed.entries.items() if len(parsed.entries) == 1 else [("", None)]
            if errors or entry is None or key not in before.entries or f"{{{key}," not in old:
                return None
            entries[key] = replace(entry, line=entry.line + line - 1)
        line += new.count("\n")
    return Bibliography(before.path, text, entries, before.broken_keys)


def _first_fields(block: DuplicateFieldKeyBlock) -> Entry:
    """The entry of a block with a field given twice, each field's first value kept.

    BibTeX keeps the first ("I'm ignoring ...'s extra ... field"); the entry is still read.
    """
    entry = block.ignore_error_block
    if not isinstance(entry, Entry):  # pragma: no cover - bibtexparser always gives one
        return Entry("misc", "", [], block.start_line, block.raw)
    kept: dict[str, Field] = {}
    for found in entry.fields:
        value, enclosing = str(found.value), "no-enclosing"
        if len(value) > 1 and (value[0], value[-1]) in {("{", "}"), ('"', '"')}:
            value, enclosing = value[1:-1], value[0]
        if found.key.lower() not in kept:
            kept[found.key.lower()] = Field(found.key, value, found.start_line)
            kept[found.key.lower()].enclosing = enclosing
    names = [f.key.lower() for f in entry.fields]
    twice = sorted({name for name in names if names.count(name) > 1})
    copy = Entry(entry.entry_type, entry.key, [kept[k] for k in kept], entry.start_line, block.raw)
    copy.parser_metadata["twice"] = twice
    return copy


def _to_entry(block: Entry, strings: dict[str, str] | None = None) -> BibEntry:
    fields: dict[str, str] = {}
    for found in block.fields:
        value = str(found.value)
        if found.enclosing == "no-enclosing" and "#" in value:
            value = _concatenated(value, strings or {})
        fields.setdefault(found.key.lower(), value)
    entry = BibEntry(
        block.key.strip(),
        block.entry_type.lower(),
        fields,
        (block.start_line or 0) + 1,
        block.raw or "",
    )
    twice = block.parser_metadata.get("twice") or []
    notes = tuple(f"{name} is given twice; the first value is used" for name in twice)
    return replace(entry, pandoc=_for_pandoc(entry, block, twice=bool(twice)), notes=notes)


def _concatenated(value: str, strings: dict[str, str]) -> str:
    """``dtv # { and Co}`` as BibTeX joins it; the value as written if it cannot be read."""
    return join_parts(value, strings)[0]


# biblatex's ``language`` names pandoc's ``langid`` understands when ``langid`` is missing.
_PARENTHESISED = re.compile(r"^\s*@\w+\s*\(")
_ESCAPED = re.compile(r"\\([_%&#$~])")


# Fields a reference manager keeps for its user only (local files, private notes, user
# names): never given to pandoc, never exported. biblatex's ``annotation`` is public.
PRIVATE_FIELDS = frozenset(
    {"file", "pdf", "local-url", "localfile", "annote", "annotation", "owner", "__markedentry"}
)
_PRIVATE_PATTERN = re.compile(r"^(bdsk-file-\d+)$")
_PATHLIKE = re.compile(r"^(?:/|~/|[A-Za-z]:[\\/]|file:|\.\.?/)")


def private_field(name: str, value: str, *, annotation_public: bool = True) -> bool:
    """Whether a field is private to its owner's library (``file``, ``annote``, local paths)."""
    if name == "annotation":
        return not annotation_public
    return (
        name in PRIVATE_FIELDS
        or _PRIVATE_PATTERN.match(name) is not None
        or ("-" in name and _PATHLIKE.match(value) is not None and name not in ("url", "doi"))
    )


def _written(value: str) -> str:
    bare = value.isdigit() or value.lower() in MONTHS
    return value if bare else f"{{{value}}}"


def _for_pandoc(entry: BibEntry, block: Entry, *, twice: bool) -> str:
    """The entry written again when pandoc would misread it as written, else "".

    pandoc reads neither ``@type(key, ...)`` nor ``#`` joins of its own, takes the last of a
    field given twice, keeps ``\\_`` in a URL or DOI (a dead link), and ignores ``language``;
    private fields never reach it, and @string macros are written out (exports use this too).
    """
    private = [name for name, value in entry.fields.items() if private_field(name, value)]
    macros = any(
        f.enclosing == "no-enclosing"
        and not str(f.value).strip().isdigit()
        and str(f.value).strip().lower() not in MONTHS
        for f in block.fields
    )
    escaped = any(_ESCAPED.search(entry.fields.get(name, "")) for name in ("url", "doi"))
    joined = any(f.enclosing == "no-enclosing" and "#" in str(f.value) for f in block.fields)
    language = "language" in entry.fields and "langid" not in entry.fields
    if not (twice or escaped or joined or language or private or macros) and not (
        _PARENTHESISED.match(entry.raw)
    ):
        return ""
    fields = {name: value for name, value in entry.fields.items() if name not in private}
    for name in ("url", "doi"):
        if name in fields:
            fields[name] = _ESCAPED.sub(r"\1", fields[name])
    if language:
        fields["langid"] = fields["language"]
    body = "".join(f"  {name} = {_written(value)},\n" for name, value in fields.items())
    return f"@{entry.entry_type}{{{entry.key},\n{body}}}"


_BLOCK_KEY = re.compile(r"\s*@\w+\s*[{(]\s*([^,\s{}()]+)\s*,")
_NO_KEY = re.compile(r"\s*@(\w+)\s*[{(]\s*(?:,|[^,]*=)")  # "@book{," or "@book{ title = ..."


def _failed_block_error(path: str, block: ParsingFailedBlock) -> ContentError:
    line = (block.start_line or 0) + 1
    if isinstance(block, DuplicateBlockKeyBlock):
        return ContentError(
            path,
            line,
            f"duplicate entry key '{block.key}'",
            hint="each entry needs its own key; merge or rename one",
        )
    if no_key := _NO_KEY.match(block.raw or ""):
        return ContentError(
            path, line, f"@{no_key[1].lower()} entry has no key", hint="write @type{key, ...}"
        )
    lines = str(block.error or "").strip().splitlines()
    detail = lines[0] if lines else "a brace or quote is not closed before the next entry"
    return ContentError(
        path,
        line,
        f"cannot parse this block: {detail}",
        hint="check braces and commas; every field is name = {value},",
    )


def _field_line(entry: BibEntry, name: str) -> int:
    for offset, text in enumerate(entry.raw.splitlines()):
        if re.match(rf"\s*{re.escape(name)}\s*=", text, re.IGNORECASE):
            return entry.line + offset
    return entry.line


def _brace_depth(value: str) -> int:
    depth = deepest = 0
    for match in re.finditer(r"(?<!\\)[{}]", value):
        depth += 1 if match[0] == "{" else -1
        deepest = max(deepest, depth)
    return deepest


def _entry_problems(
    path: str, entry: BibEntry, block: Entry, strings: dict[str, str]
) -> list[ContentError]:
    errors: list[ContentError] = []
    if not entry.key:
        errors.append(
            ContentError(
                path,
                entry.line,
                f"@{entry.entry_type} entry has no key",
                hint="write @type{key, ...}",
            )
        )
        return errors
    if len(entry.key) > MAX_KEY:
        errors.append(
            ContentError(
                path,
                entry.line,
                f"key '{entry.key[:40]}...' is {len(entry.key)} characters long, over {MAX_KEY}",
                hint="use a short key such as author2020word",
            )
        )
    elif not SAFE_KEY.match(entry.key):
        errors.append(
            ContentError(
                path,
                entry.line,
                f"key '{entry.key}' has characters other than letters, digits and - _ : . / +",
                hint="rename the key (and its citations) to use only those",
            )
        )
    for name, value in entry.fields.items():
        limit = MAX_LONG_FIELD if name in LONG_FIELDS else MAX_FIELD
        if len(value) > limit:
            errors.append(
                ContentError(
                    path,
                    _field_line(entry, name),
                    f"{name} is {len(value):,} characters long, over the {limit:,} limit",
                    f"{entry.key}.{name}",
                    "shorten the field",
                )
            )
        elif value.count("{") > MAX_BRACE_DEPTH and _brace_depth(value) > MAX_BRACE_DEPTH:
            errors.append(
                ContentError(
                    path,
                    _field_line(entry, name),
                    f"{name} nests braces more than {MAX_BRACE_DEPTH} levels deep",
                    f"{entry.key}.{name}",
                    "one or two levels of {braces} protect a name or capitals; remove the rest",
                )
            )
    if entry.entry_type not in ENTRY_TYPES:
        errors.append(
            ContentError(
                path,
                entry.line,
                f"unknown entry type @{entry.entry_type}",
                entry.key,
                "use a biblatex type such as @article or @online",
            )
        )
    for name in URL_FIELDS & entry.fields.keys():
        value = entry.fields[name].strip()
        if not (SAFE_URL.match(value) or SCHEMELESS.match(value)):
            errors.append(
                ContentError(
                    path,
                    _field_line(entry, name),
                    f"{name} '{value[:60]}' is not an http(s) or mailto link",
                    f"{entry.key}.{name}",
                    "only http, https and mailto URLs are allowed",
                )
            )
    doi = entry.fields.get("doi")
    if doi is not None and not re.match(r"^10\.\d{4,9}/\S+$", doi.strip()):
        errors.append(
            ContentError(
                path,
                _field_line(entry, "doi"),
                f"doi '{doi[:60]}' is not a DOI",
                f"{entry.key}.doi",
                "write the bare DOI, 10.xxxx/yyy",
            )
        )
    for field in block.fields:
        errors.extend(_bare_value_problems(path, entry, field, strings))
        if field.key.lower() in PRINTED_FIELDS and re.search(r"(?<!\\)%", str(field.value)):
            errors.append(
                ContentError(
                    path,
                    _field_line(entry, field.key),
                    "unescaped % starts a LaTeX comment and drops the rest of the line",
                    f"{entry.key}.{field.key}",
                    "write \\% for a percent sign",
                )
            )
    return errors


MONTHS = frozenset(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
)


def _bare_value_problems(
    path: str, entry: BibEntry, field: Field, strings: dict[str, str]
) -> list[ContentError]:
    """Unbraced values that cannot be resolved: ``#`` joins of unknown @strings, bad syntax."""
    name, text = field.key, str(field.value).strip()
    if field.enclosing != "no-enclosing" or text.isdigit() or text.lower() in MONTHS:
        return []
    undefined = join_parts(text, strings)[1] if "#" in text else [text]
    if not undefined:
        return []
    return [
        ContentError(
            path,
            _field_line(entry, name),
            f"'{undefined[0][:40]}' is not a defined @string",
            f"{entry.key}.{name}",
            "put the value in braces, or define it with @string",
        )
    ]


def unprintable(entry: BibEntry) -> str:
    """What an entry lacks that every style needs ("no title", "no author, editor or year")."""
    lacking = []
    if not entry.get("title"):
        lacking.append("no title")
    if not entry.get("author", "editor") and not entry.get("date", "year"):
        lacking.append("no author, editor or year")
    return " and ".join(lacking)


def missing_required_fields(entry: BibEntry) -> list[str]:
    """Fields the entry's type needs that it lacks (alternatives written ``a|b``)."""
    needed = REQUIRED_FIELDS.get(entry.entry_type, ("title",))
    return [spec for spec in needed if not any(alt in entry.fields for alt in spec.split("|"))]


def source_keyword(entry: BibEntry | None) -> str:
    """The kind of source an entry is, from ``keywords = {..., source:news}``; "" if none."""
    keywords = [k.strip() for k in ((entry.get("keywords") if entry else None) or "").split(",")]
    return next((k.removeprefix("source:") for k in keywords if k.startswith("source:")), "")
