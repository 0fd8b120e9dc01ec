"""``litreview add-ref``: append a normalised BibTeX entry to the library, never rewriting it."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

from bibtexparser.entrypoint import parse_string, write_string
from bibtexparser.library import Library
from bibtexparser.middlewares import SortFieldsAlphabeticallyMiddleware
from bibtexparser.model import Block
from bibtexparser.writer import BibtexFormat

from macros.bibliography.bibtex import parse_bibliography

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


def normalised(snippet: str, existing: set[str]) -> tuple[str, list[str]]:
    """One formatted entry per new key; refuses bad BibTeX and keys already in the library."""
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
    library = parse_string(snippet)
    library = SortFieldsAlphabeticallyMiddleware().transform(library)
    text = write_string(Library(list[Block](library.entries)), bibtex_format=_format())
    return text.strip() + "\n", sorted(parsed.entries)


def _format() -> BibtexFormat:
    layout = BibtexFormat()  # type: ignore[no-untyped-call]
    layout.indent = "  "
    layout.block_separator = "\n\n"
    return layout


def append(library_text: str, entry_text: str) -> str:
    """The library with the entry added at the end; nothing before it changes."""
    separator = (
        ""
        if library_text.endswith("\n\n") or not library_text
        else ("\n" if library_text.endswith("\n") else "\n\n")
    )
    return library_text + separator + entry_text


def formatted_entry(raw: str) -> str:
    """The canonical form of one entry: fields sorted, two-space indent, bibtexparser's writer."""
    library = SortFieldsAlphabeticallyMiddleware().transform(parse_string(raw))
    return write_string(Library(list[Block](library.entries)), bibtex_format=_format()).strip()


def reformat_library(text: str) -> tuple[str, list[tuple[int, str]]]:
    """The library with every entry in canonical form, and (line, key) of those that changed.

    Comments, @string blocks, the order of entries and entries already in form stay as they are.
    """
    bibliography, _ = parse_bibliography("references.bib", text)
    changed: list[tuple[int, str]] = []
    for key, entry in bibliography.entries.items():
        canonical = formatted_entry(entry.raw)
        if entry.raw.strip() != canonical:
            text = text.replace(entry.raw.strip(), canonical, 1)
            changed.append((entry.line, key))
    return text, changed
