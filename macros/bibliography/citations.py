"""Citations made on the site: footnote labels, notes, and "cited by" (collect, then fill)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

CITE_CALL = re.compile(
    # Each string up to its own quote: a key may hold the other one (``cite("o'brien2020")``).
    r"""cite\(\s*(?:"([^"]+)"|'([^']+)')\s*(?:,\s*(?:locator\s*=\s*)?(?:"([^"]*)"|'([^']*)'))?"""
)
NOTE_TOKEN = "&lrnote{};"  # like render.STASH_TOKEN: content's "&" is always escaped
CITED_BY_TOKEN = "<!-- litreview:cited-by {} -->"
CITED_BY_PATTERN = re.compile(r"<!-- litreview:cited-by (\S+) -->")
MENTIONED_IN_TOKEN = "<!-- litreview:mentioned-in {} -->"
MENTIONED_IN_PATTERN = re.compile(r"<!-- litreview:mentioned-in (\S+) -->")


@dataclass(frozen=True)
class Citation:
    page: str  # docs-relative source path of the citing page
    key: str
    locator: str | None
    label: str  # footnote label on that page, e.g. "lr-3"
    context: str  # the sentence or claim the citation supports

    @property
    def anchor(self) -> str:
        return f"fnref:{self.label}"


@dataclass
class CitationRegistry:
    """Collects every citation of a build; entry pages read it once all pages are rendered."""

    known_keys: frozenset[str]
    citations: list[Citation] = field(default_factory=list)
    _per_page: dict[str, list[Citation]] = field(default_factory=dict)
    _per_key: dict[str, list[Citation]] = field(default_factory=dict)

    def cite(self, page: str, key: str, locator: str | None, context: str) -> str:
        """Record a citation and return the Markdown footnote reference for it."""
        if key not in self.known_keys:
            raise KeyError(key)
        on_page = self._per_page.setdefault(page, [])
        citation = Citation(page, key, locator or None, f"lr-{len(on_page) + 1}", context)
        on_page.append(citation)
        self.citations.append(citation)
        self._per_key.setdefault(key, []).append(citation)
        return f"[^{citation.label}]"

    def on_page(self, page: str) -> list[Citation]:
        return list(self._per_page.get(page, []))

    def definitions(self, page: str) -> str:
        """Markdown footnote definitions for a page; the note text is filled into the HTML."""
        lines = [f"[^{c.label}]: {NOTE_TOKEN.format(i)}" for i, c in enumerate(self.on_page(page))]
        return "\n\n" + "\n\n".join(lines) + "\n" if lines else ""

    def cited_by(self, key: str) -> list[Citation]:
        return list(self._per_key.get(key, []))

    def pairs(self) -> list[tuple[str, str | None]]:
        return sorted(
            {(c.key, c.locator) for c in self.citations}, key=lambda p: (p[0], p[1] or "")
        )


def cite_call(match: re.Match[str]) -> tuple[str, str | None]:
    """The key and the locator of a ``CITE_CALL`` match, whichever quotes each is in."""
    return match[1] or match[2], match[3] or match[4] or None


def citations_in_markdown(text: str) -> list[tuple[str, str | None]]:
    """Literal ``cite("key", "locator")`` calls in a hand-written page."""
    return [cite_call(m) for m in CITE_CALL.finditer(text)]


def citations_in_docs(docs: Path) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for page in sorted(docs.rglob("*.md")):
        found += citations_in_markdown(page.read_text(encoding="utf-8", errors="replace"))
    return found
