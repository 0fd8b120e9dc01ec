"""The loaded review: every content item, its source file, and the bibliography."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from macros.bibliography.bibtex import Bibliography
from macros.content.model import (
    AuditFinding,
    Claim,
    Entity,
    Event,
    Evidence,
    Footnote,
    Footnotes,
    Paper,
    ReferenceList,
    Statistic,
    Strict,
)
from macros.content.settings import Settings
from macros.content.yamlload import KeyPath, YamlDocument


@dataclass(frozen=True)
class Source:
    """Where an item came from, for errors and "edit this page" links."""

    path: str
    lines: dict[KeyPath, int] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def of(cls, document: YamlDocument) -> Source:
        return cls(document.path, document.lines)

    def line_of(self, key_path: KeyPath) -> int:
        return YamlDocument(self.path, None, self.lines).line_of(key_path)


@dataclass
class Review:
    """Everything the site is built from, validated and cross-checked."""

    # Kind name (its folder under content/) -> id -> item, for every kind of the registry.
    items: dict[str, dict[str, Strict]] = field(default_factory=dict)
    bibliography: Bibliography = field(
        default_factory=lambda: Bibliography("references.bib", "", {})
    )
    sources: dict[tuple[str, str], Source] = field(default_factory=dict)
    # Items whose file has errors of its own: references to them are not reported again.
    broken: set[tuple[str, str]] = field(default_factory=set)
    _notes_by_number: dict[str, dict[int, Footnote]] = field(default_factory=dict, repr=False)
    # The project's settings when it was loaded from one (``check_project``): where it lives
    # (its git history) and its coverage date. None for a review loaded from a folder alone.
    settings: Settings | None = field(default=None, compare=False, repr=False)

    def of(self, kind: str) -> dict[str, Any]:
        """The items of one kind, by id (empty for a kind with no files)."""
        return self.items.setdefault(kind, {})

    # Typed views of the built-in kinds, for the code that reads them.
    @property
    def papers(self) -> dict[str, Paper]:
        return self.of("papers")

    @property
    def footnotes(self) -> dict[str, Footnotes]:
        return self.of("footnotes")

    @property
    def reflists(self) -> dict[str, ReferenceList]:
        return self.of("reflists")

    @property
    def entities(self) -> dict[str, Entity]:
        return self.of("entities")

    @property
    def claims(self) -> dict[str, Claim]:
        return self.of("claims")

    @property
    def audit(self) -> dict[str, AuditFinding]:
        return self.of("audit")

    @property
    def events(self) -> dict[str, Event]:
        return self.of("events")

    @property
    def statistics(self) -> dict[str, Statistic]:
        return self.of("statistics")

    def evidence_refs(self, paper_id: str, evidence: Evidence) -> list[tuple[str, str | None]]:
        """The (key, locator) pairs one evidence item rests on: its footnote's, or its own."""
        if evidence.footnote is not None:
            note = self.footnote(paper_id, evidence.footnote)
            return [(c.key, c.locator) for c in note.cites] if note else []
        return [(evidence.key, evidence.locator)] if evidence.key else []

    def footnote(self, paper_id: str, number: int) -> Footnote | None:
        notes = self.footnotes.get(paper_id)
        if notes is None:
            return None
        by_number = self._notes_by_number.get(paper_id)
        if by_number is None or len(by_number) != len(notes.notes):
            by_number = {n.number: n for n in reversed(notes.notes)}  # the first of a number wins
            self._notes_by_number[paper_id] = by_number
        return by_number.get(number)

    def counts(self) -> Counter[str]:
        return Counter(
            {
                "papers": len(self.papers),
                "sections": sum(len(p.sections) for p in self.papers.values()),
                "footnotes": sum(len(f.notes) for f in self.footnotes.values()),
                "entities": len(self.entities),
                "claims": len(self.claims),
                "audit findings": len(self.audit),
                "events": len(self.events),
                "statistics": len(self.statistics),
                "references": len(self.bibliography.entries),
            }
        )
