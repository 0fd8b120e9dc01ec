"""The shared checker every kind's cross-reference checks use: errors with file and line."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from macros.content.errors import ContentError, did_you_mean, format_key_path
from macros.content.kind import Kind
from macros.content.model import Evidence, Location, Paper, SourceRef
from macros.content.review import Review
from macros.content.yamlload import KeyPath

CURLY_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


def normalise(text: str, *, curly_quotes: bool = False) -> str:
    """Compare text as a reader would: line breaks, emphasis markers and the ``<>`` around
    printed URLs set aside (and, if asked, curly quotes read as straight ones)."""
    if curly_quotes:
        text = text.translate(CURLY_QUOTES)
    return " ".join(re.sub(r"[*<>]", "", text).split())


class Checker:
    """Yields an error for every id, key or footnote number that points nowhere."""

    def __init__(self, review: Review, kinds: Sequence[Kind]) -> None:
        self.review = review
        self.singular = {kind.name: kind.singular for kind in kinds}

    def error(
        self,
        kind: str,
        ident: str,
        loc: KeyPath,
        message: str,
        hint: str = "",
        *,
        suggestion: str = "",
    ) -> ContentError:
        source = self.review.sources[(kind, ident)]
        return ContentError(
            source.path, source.line_of(loc), message, format_key_path(loc), hint, suggestion
        )

    def key(self, kind: str, ident: str, loc: KeyPath, key: str) -> Iterator[ContentError]:
        bibliography = self.review.bibliography
        if key not in bibliography.entries and key not in bibliography.broken_keys:
            yield self.error(
                kind,
                ident,
                loc,
                f"unknown bibliography key '{key}'",
                f"add @type{{{key}, ...}} to {self.review.bibliography.path}",
                suggestion=did_you_mean(key, bibliography.entries),
            )

    def sources(self, kind: str, ident: str, sources: list[SourceRef]) -> Iterator[ContentError]:
        for i, source in enumerate(sources):
            yield from self.key(kind, ident, ("sources", i, "key"), source.key)

    def ids(
        self, kind: str, ident: str, loc: KeyPath, targets: list[str], table: str
    ) -> Iterator[ContentError]:
        for i, target in enumerate(targets):
            yield from self.one_id(kind, ident, (*loc, i), target, table)

    def one_id(
        self, kind: str, ident: str, loc: KeyPath, target: str, table: str
    ) -> Iterator[ContentError]:
        if target not in self.review.of(table) and (table, target) not in self.review.broken:
            yield self.error(
                kind,
                ident,
                loc,
                f"unknown {self.singular.get(table, table)} id '{target}'",
                f"create content/{table}/{target}.yaml or fix the id",
                suggestion=did_you_mean(target, self.review.of(table)),
            )

    def location(
        self, kind: str, ident: str, loc: KeyPath, paper: Paper, where: Location
    ) -> Iterator[ContentError]:
        section = next((s for s in paper.sections if s.id == where.section), None)
        if section is None:
            yield self.error(
                kind,
                ident,
                (*loc, "section"),
                f"paper '{paper.id}' has no section '{where.section}'",
                "use a section id from the paper file",
            )
            return
        if where.paragraph is not None and where.paragraph > len(section.paragraphs):
            yield self.error(
                kind,
                ident,
                (*loc, "paragraph"),
                f"section '{section.id}' has "
                f"{len(section.paragraphs)} paragraphs, not {where.paragraph}",
            )
        if where.footnote is not None and self.review.footnote(paper.id, where.footnote) is None:
            yield self.error(
                kind,
                ident,
                (*loc, "footnote"),
                f"paper '{paper.id}' has no footnote {where.footnote}",
            )

    def paper(
        self, kind: str, ident: str, paper_id: str
    ) -> tuple[Paper | None, list[ContentError]]:
        """The paper an item names (None if unknown) and the error if it names none."""
        if paper_id in self.review.papers:
            return self.review.papers[paper_id], []
        if ("papers", paper_id) in self.review.broken:
            return None, []  # the paper is broken; its own errors say why
        return None, [
            self.error(
                kind,
                ident,
                ("paper",),
                f"unknown paper id '{paper_id}'",
                f"create content/papers/{paper_id}.yaml",
                suggestion=did_you_mean(paper_id, self.review.papers),
            )
        ]

    def owning_paper(
        self, kind: str, ident: str, paper_id: str, where: Location
    ) -> tuple[Paper | None, list[ContentError]]:
        """The paper an item belongs to (None if unknown) and the problems with its place in it."""
        paper, problems = self.paper(kind, ident, paper_id)
        if paper is None:
            return None, problems
        return paper, list(self.location(kind, ident, ("where",), paper, where))

    def evidence(
        self, kind: str, ident: str, paper: Paper, evidence: list[Evidence]
    ) -> Iterator[ContentError]:
        for i, item in enumerate(evidence):
            if item.footnote is not None and self.review.footnote(paper.id, item.footnote) is None:
                yield self.error(
                    kind,
                    ident,
                    ("evidence", i, "footnote"),
                    f"paper '{paper.id}' has no footnote {item.footnote}",
                )
            if item.key is not None:
                yield from self.key(kind, ident, ("evidence", i, "key"), item.key)
