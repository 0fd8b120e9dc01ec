"""One set of checks for every command: what ``check`` reports is what ``build`` rejects.

``check_project`` loads the review, reads the citations written in hand-written pages and
checks the citation style. ``litreview check``, ``report`` and ``changes`` call it, and so does
the MkDocs plugin before it renders anything, so that a key cited in ``docs/`` but missing from
the bibliography fails ``check`` exactly as it fails ``build``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from macros.bibliography.citations import CITE_CALL, cite_call
from macros.bibliography.styles import style_error
from macros.content.confine import links_leaving
from macros.content.errors import ContentError
from macros.content.review import Review
from macros.content.settings import Settings
from macros.kinds import KINDS
from macros.pages.engine import collect_review
from macros.pages.links import review_collisions
from macros.pages.report import Finding, build_report

# Text mkdocs-macros shows as it is: a page may show the cite() syntax in a raw block.
_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}", re.DOTALL)

DocsCitation = tuple[str, str | None]


@dataclass
class Checked:
    """A checked project: its review, every error, and the citations its pages make."""

    settings: Settings
    review: Review
    errors: list[ContentError] = field(default_factory=list)
    docs_citations: list[DocsCitation] = field(default_factory=list)

    @property
    def cited_in_docs(self) -> set[str]:
        return {key for key, _ in self.docs_citations}

    def findings(self) -> list[Finding]:
        """The report's warnings (none while there are errors: the review is incomplete)."""
        return [] if self.errors else build_report(self.review, self.cited_in_docs)


def docs_pages(settings: Settings) -> list[Path]:
    docs = settings.docs_path
    return sorted(docs.rglob("*.md")) if docs.is_dir() else []


def citations_in_page(text: str) -> list[tuple[str, str | None, int]]:
    """``cite("key", "locator")`` calls of a hand-written page with their lines."""
    text = _RAW.sub(lambda m: "\n" * m[0].count("\n"), text)
    return [(*cite_call(m), text.count("\n", 0, m.start()) + 1) for m in CITE_CALL.finditer(text)]


def check_docs_citations(
    settings: Settings, pages: list[Path], known: frozenset[str] | set[str]
) -> tuple[list[DocsCitation], list[ContentError]]:
    """The pages' citations of known keys, and an error for each unknown one."""
    found: list[DocsCitation] = []
    errors: list[ContentError] = []
    for page in pages:
        text = page.read_text(encoding="utf-8", errors="replace")
        try:
            rel = page.relative_to(settings.root).as_posix()
        except ValueError:
            rel = page.as_posix()
        for key, locator, line in citations_in_page(text):
            if key in known:
                found.append((key, locator))
            else:
                errors.append(unknown_key(rel, line, key, settings.bibliography))
    return found, errors


def unknown_key(path: str, line: int, key: str, bibliography: str) -> ContentError:
    return ContentError(
        path,
        line,
        f"cite() names unknown bibliography key '{key}'",
        hint=f"add it to {bibliography} or fix the key",
    )


def check_project(settings: Settings, pages: list[Path] | None = None) -> Checked:
    """Everything a build would reject, found without building (``pages``: the docs pages)."""
    review, errors = collect_review(settings.root, settings.content_dir, settings.bibliography)
    review.settings = settings
    if style := style_error(settings.root, settings.csl):
        errors.append(style)
    if settings.docs_dir != "docs":  # the loader searched docs/ for links leaving the project
        errors += links_leaving(settings.root, [settings.docs_dir])
    # Two sources for one page: an error where the fix is made, never a silent overwrite.
    errors += review_collisions(
        review,
        settings.docs_path,
        KINDS,
        settings.docs_dir,
        directory_urls=settings.use_directory_urls,
    )
    found, docs_errors = check_docs_citations(
        settings,
        docs_pages(settings) if pages is None else pages,
        set(review.bibliography.entries),
    )
    # Unknown keys in pages matter only once the bibliography itself could be read whole.
    bib_broken = any(e.path == settings.bibliography for e in errors)
    errors += [] if bib_broken else docs_errors
    return Checked(settings, review, sorted(set(errors)), found)
