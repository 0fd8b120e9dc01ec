"""The last formatting of each bibliography in this process, for the previews that follow it.

A preview of an edit reformats only the entries that changed since the last full formatting,
and formats the edited entries' notes early, as they were cited in the last build.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from macros.bibliography.citeproc import Citeproc, CiteprocError, Formatted

Pair = tuple[str, str | None]


@dataclass
class FormattingMemory:
    bibliographies: dict[str, tuple[dict[str, str], dict[str, Formatted]]] = field(
        default_factory=dict
    )
    citations: dict[str, list[Pair]] = field(default_factory=dict)

    def bibliography(
        self, name: str, citeproc: Citeproc, *, preview: bool
    ) -> tuple[dict[str, Formatted], set[str]]:
        """The formatted bibliography and the keys of the entries changed since the last one."""
        raw = citeproc.raw_entries
        last = self.bibliographies.get(name)
        changed = {k for k, text in raw.items() if not last or last[0].get(k) != text}
        formatted = (
            citeproc.bibliography_since(*last) if preview and last else citeproc.bibliography()
        )
        self.bibliographies[name] = (raw, formatted)
        return formatted, changed

    def remember_citations(self, name: str, pairs: list[Pair]) -> None:
        self.citations[name] = pairs

    def prefetch_notes(self, name: str, citeproc: Citeproc, changed: set[str]) -> None:
        """Format the notes of changed entries as they were last cited (into pandoc's cache)."""
        wanted = [pair for pair in self.citations.get(name, []) if pair[0] in changed]
        if wanted:
            with contextlib.suppress(CiteprocError, KeyError):
                citeproc.notes(wanted, prune=False)


# One per process: ``litreview serve`` builds again and again in the same process.
MEMORY = FormattingMemory()
