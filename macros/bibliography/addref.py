"""``litreview add-ref``: append a normalised BibTeX entry to the library, never rewriting it."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

from bibtexparser.entrypoint import parse_string, write_string
from bibtexparser.library import Library
from bibtexparser.middlewares import SortFieldsAlphabeticallyMiddleware
from bibtexparser.model import Block, DuplicateBlockKeyBlock
from bibtexparser.writer import BibtexFormat

from macros.bibliography.bibtex import parse_bibliography, private_field, unprintable
from macros.content.errors import ContentError
from macros.content.safewrite import newline_of

DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
RESOLVER = "https://doi.org/"


class AddRefError(Exception):
    """What went wrong, in words a contributor can act on."""


def bibtex_for_doi(doi: str, resolver: str = RESOLVER, timeout: float = 10.0) -> str:
    """BibTeX for a DOI from the DOI resolver (content negotiation)."""
    request = urllib.request.Request(resolver + doi, headers={"Accept": "application/x-bibtex"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        msg = (
            f"could not reach the DOI resolver at {resolver} ({reason}). "
            "Paste the entry's BibTeX instead: litreview add-ref - < entry.bib"
        )
        raise AddRefError(msg) from None


def normalised(
    snippet: str, existing: set[str], dois: dict[str, str] | None = None
) -> tuple[str, list[str]]:
    """One formatted entry per new key; refuses bad BibTeX, keys already in the library, a
    DOI already in it (``dois``: DOI -> key) and an entry its style cannot print.

    Private fields (``file``, ``annote``, local paths) are left out.
    """
    parsed, errors = parse_bibliography("<input>", snippet)
    if errors:
        raise AddRefError("\n".join(str(e) for e in errors))
    if not parsed.entries:
        msg = "no BibTeX entry found in the input"
        raise AddRefError(msg)
    clashes = sorted(set(parsed.entries) & existing)
    if clashes:
        msg = f"already in the library: {', '.join(clashes)}; choose another key"
        raise AddRefError(msg)
    known = {doi.lower(): key for doi, key in (dois or {}).items()}
    for key, entry in parsed.entries.items():
        doi = (entry.get("doi") or "").strip().lower()
        if doi and doi in known:
            msg = f"'{key}' has DOI {doi}, already in the library as '{known[doi]}'; cite that"
            raise AddRefError(msg)
        if lacking := unprintable(entry):
            msg = f"'{key}' cannot be printed by the style: it has {lacking}; add them"
            raise AddRefError(msg)
    library = parse_string(snippet)
    for block in library.entries:
        for field in list(block.fields):
            if private_field(field.key.lower(), str(field.value)):
                block.pop(field.key)
    library = SortFieldsAlphabeticallyMiddleware().transform(library)
    text = write_string(Library(list[Block](library.entries)), bibtex_format=_format())
    return text.strip() + "\n", sorted(parsed.entries)


def _format() -> BibtexFormat:
    layout = BibtexFormat()  # type: ignore[no-untyped-call]
    layout.indent = "  "
    layout.block_separator = "\n\n"
    return layout


def append(library_text: str, entry_text: str) -> str:
    """The library with the entry added at the end; nothing before it changes.

    The entry takes the library's line ending (CRLF stays CRLF).
    """
    nl = newline_of(library_text)
    entry_text = entry_text.replace("\r\n", "\n").replace("\n", nl)
    separator = (
        ""
        if library_text.endswith(2 * nl) or not library_text
        else (nl if library_text.endswith(nl) else 2 * nl)
    )
    return library_text + separator + entry_text


def appended(path: str, library_text: str, entry_text: str, keys: list[str]) -> str:
    """``append``, refusing a library with a broken block (it would swallow the new entry).

    Raises ``AddRefError`` with the broken block's ``path:line:``; the result is checked to
    hold every new key, so no new text ever disappears into an unclosed entry.
    """
    before = parse_string(library_text.replace("\r\n", "\n"))
    for block in before.failed_blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            continue  # a duplicate is an error for check, not a risk for the new entry
        raise AddRefError(
            str(
                ContentError(
                    path,
                    (block.start_line or 0) + 1,
                    "this block does not parse, so an entry appended after it could be "
                    "swallowed by it; nothing was added",
                    hint="fix the block (litreview check shows why), then run add-ref again",
                )
            )
        )
    text = append(library_text, entry_text)
    after, _ = parse_bibliography(path, text.replace("\r\n", "\n"))
    lost = [key for key in keys if key not in after.entries]
    if lost or len(parse_string(text.replace("\r\n", "\n")).failed_blocks) > len(
        before.failed_blocks
    ):
        line = library_text.count("\n") + 1
        raise AddRefError(
            f"{path}:{line}: the new entry would not parse at the end of the library "
            f"({', '.join(lost) or 'a broken block'}); nothing was added."
        )
    return text


def formatted_entry(raw: str) -> str:
    """The canonical form of one entry: fields sorted, two-space indent, bibtexparser's writer."""
    library = SortFieldsAlphabeticallyMiddleware().transform(parse_string(raw))
    return write_string(Library(list[Block](library.entries)), bibtex_format=_format()).strip()


def _layout_lines(text: str) -> list[str]:
    lines = [line.strip().removesuffix(",") for line in text.strip().splitlines()]
    lines = [re.sub(r"^([\w-]+)\s*=\s*", r"\1 = ", line) for line in lines]
    return sorted([lines[0].lower(), *lines[1:]]) if lines else []


def managers_layout(raw: str, canonical: str) -> bool:
    """Whether an entry is in the layout Zotero Better BibTeX or JabRef write by default.

    The canonical form but for the order of the fields, the case of the type (``@Article``),
    the indent, aligned ``=`` and a comma after the last field: one field per line, nothing
    else changed. Such a library is accepted as it is, so that an auto-export passes.
    """
    return _layout_lines(raw) == _layout_lines(canonical)


def reformat_library(text: str) -> tuple[str, list[tuple[int, str]]]:
    """The library with every entry in canonical form, and (line, key) of those that changed.

    Comments, @string blocks, the order of entries and entries already in form stay as they are.
    """
    bibliography, _ = parse_bibliography("references.bib", text)
    changed: list[tuple[int, str]] = []
    for key, entry in bibliography.entries.items():
        canonical = formatted_entry(entry.raw)
        if entry.raw.strip() != canonical and not managers_layout(entry.raw, canonical):
            text = text.replace(entry.raw.strip(), canonical, 1)
            changed.append((entry.line, key))
    return text, changed
