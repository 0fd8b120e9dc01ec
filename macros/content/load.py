"""Load ``content/`` and the bibliography into a ``Review``; collect every error with its line."""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar, cast, get_args

from pydantic import ValidationError

from macros.bibliography.bibtex import Bibliography, parse_bibliography, reparse_bibliography
from macros.content.errors import (
    ContentError,
    InvalidContentError,
    closest,
    did_you_mean,
    format_key_path,
)
from macros.content.model import (
    KINDS,
    PER_PAPER_KINDS,
    Evidence,
    Location,
    Paper,
    SourceRef,
    Strict,
)
from macros.content.review import Review, Source
from macros.content.yamlload import KeyPath, YamlDocument, load_yaml

_T = TypeVar("_T")
SINGULAR = {
    "papers": "paper",
    "entities": "entity",
    "claims": "claim",
    "audit": "audit finding",
    "events": "event",
    "statistics": "statistic",
}


def load_review(
    root: Path,
    content_dir: str = "content",
    bibliography: str = "references.bib",
) -> Review:
    """Load and cross-check everything; raise ``InvalidContentError`` listing all problems."""
    review, errors = collect_review(root, content_dir, bibliography)
    if errors:
        raise InvalidContentError(errors)
    return review


def collect_review(
    root: Path,
    content_dir: str = "content",
    bibliography: str = "references.bib",
) -> tuple[Review, list[ContentError]]:
    review = Review()
    errors: list[ContentError] = []
    bib_path = root / bibliography
    if bib_path.is_file():
        text = bib_path.read_text(encoding="utf-8", errors="replace")
        review.bibliography, bib_errors = _remembered(
            ("bib", bibliography), text.encode(), lambda: _parse_bib(bibliography, text)
        )
        errors += bib_errors
    else:
        errors.append(ContentError(bibliography, 1, "bibliography file not found"))
    content = root / content_dir
    if not content.is_dir():
        errors.append(ContentError(content_dir, 1, "content directory not found"))
        return review, errors
    for path in sorted(content.rglob("*")):
        if path.is_file():
            errors += _load_file(review, root, content, path)
    errors += list(check_references(review))
    errors += list(check_quotations(review, root))
    return review, errors


def _load_file(review: Review, root: Path, content: Path, path: Path) -> list[ContentError]:
    rel = path.relative_to(root).as_posix()
    kind = path.parent.name
    if path.suffix not in {".yaml", ".yml"}:
        return [ContentError(rel, 1, "not a YAML file", hint="content files end in .yaml")]
    if kind not in KINDS or path.parent.parent != content:
        known = ", ".join(f"content/{k}/" for k in KINDS)
        return [ContentError(rel, 1, f"unknown content kind '{kind}'", hint=f"put it in {known}")]
    data = path.read_bytes()
    document, item, errors = _remembered(("yaml", rel), data, lambda: _parse(rel, kind, data))
    errors = list(errors)
    if document is None:
        # Its own errors say what is wrong; references to it are not reported as missing.
        review.broken.add((kind, path.stem))
        return errors
    if item is None:
        review.broken.add((kind, path.stem))
        return errors
    ident = item.paper if kind in PER_PAPER_KINDS else item.id  # type: ignore[attr-defined]
    if ident != path.stem:
        field = "paper" if kind in PER_PAPER_KINDS else "id"
        errors.append(
            ContentError(
                rel,
                document.line_of((field,)),
                f"{field} '{ident}' does not match the file name '{path.stem}'",
                field,
                f"rename the file to {ident}.yaml or change the {field}",
            )
        )
        return errors
    getattr(review, kind)[ident] = item
    review.sources[(kind, ident)] = Source.of(document)
    return errors


def _parse_bib(path: str, text: str) -> tuple[Bibliography, list[ContentError]]:
    """The whole file, or, after an edit to a few entries, only those (see the memo below)."""
    known = _MEMO.get(("bib", path))
    if known is not None:
        before, errors = known[1]
        again = None if errors else reparse_bibliography(before, text)
        if again is not None:
            return again, []
    return parse_bibliography(path, text)


def _parse(
    rel: str, kind: str, data: bytes
) -> tuple[YamlDocument | None, Strict | None, list[ContentError]]:
    document, errors = load_yaml(rel, data)
    if document is None:
        return None, None, errors
    item, model_errors = _validate(document, KINDS[kind])
    return document, item, errors + model_errors


# A process that loads the review again and again (``litreview serve``) parses only the files
# that changed since. The models are frozen, so sharing them between loads is safe.
_MEMO: dict[tuple[str, str], tuple[str, Any]] = {}


def _remembered(name: tuple[str, str], data: bytes, parse: Callable[[], _T]) -> _T:
    digest = hashlib.sha256(data).hexdigest()
    known = _MEMO.get(name)
    if known is not None and known[0] == digest:
        return cast("_T", known[1])
    value = parse()
    _MEMO[name] = (digest, value)
    return value


def _validate(
    document: YamlDocument, model: type[Strict]
) -> tuple[Strict | None, list[ContentError]]:
    if not isinstance(document.data, dict):
        return None, [
            ContentError(
                document.path, 1, "expected a mapping of keys to values at the top of the file"
            )
        ]
    try:
        return model.model_validate(document.data), []
    except ValidationError as exc:
        problems = exc.errors()
    # A misspelt key is one error ("unknown key 'sumary'; did you mean 'summary'"), not that
    # plus "missing required key 'summary'".
    missing = {tuple(err["loc"]) for err in problems if err["type"] == "missing"}
    renames: dict[KeyPath, str] = {}
    for err in problems:
        loc: KeyPath = tuple(err["loc"])
        if err["type"] == "extra_forbidden" and isinstance(loc[-1], str):
            absent = [str(m[-1]) for m in missing if m[:-1] == loc[:-1]]
            match = closest(loc[-1], absent)
            taken = {name for other, name in renames.items() if other[:-1] == loc[:-1]}
            if match is not None and match not in taken:
                renames[loc] = match
    renamed = {(*loc[:-1], name) for loc, name in renames.items()}
    errors = [
        _pydantic_error(document, err, model)
        for err in problems
        if not (err["type"] == "missing" and tuple(err["loc"]) in renamed)
    ]
    unknown = [tuple(err["loc"]) for err in problems if err["type"] == "extra_forbidden"]
    if len(unknown) + len(renamed) < len(problems):
        return None, errors
    # Only unknown keys were wrong: keep the item without them (a misspelt one under the name
    # it was meant to have) so that its references are still checked and every error of the
    # file shows in one run.
    try:
        return model.model_validate(_without(document.data, unknown, renames)), errors
    except ValidationError:
        return None, errors


def _without(data: Any, paths: list[KeyPath], renames: dict[KeyPath, str]) -> Any:
    trimmed = copy.deepcopy(data)
    for path in paths:
        parent = trimmed
        for part in path[:-1]:
            parent = parent[part]
        value = parent.pop(path[-1], None)
        if path in renames:
            parent[renames[path]] = value
    return trimmed


def _fields_at(model: type[Strict], loc: KeyPath) -> list[str]:
    """The keys the model allows at ``loc`` (a mapping inside the file), or none if unknown."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue  # an item of a list: its model was found from the list's annotation
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return []
        current = _inner_model(fields[part].annotation)
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    """``Section`` from ``Section``, ``list[Section]`` or ``Section | None``."""
    if isinstance(annotation, type) and issubclass(annotation, Strict):
        return annotation
    for arg in get_args(annotation):
        if (found := _inner_model(arg)) is not None:
            return found
    return None


# What a required field left empty (``summary:`` as ``litreview new`` writes it) should hold.
_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
    "literal_error": "one of the listed values",
}


def _pydantic_error(
    document: YamlDocument, err: Any, model: type[Strict] | None = None
) -> ContentError:
    loc: KeyPath = tuple(err["loc"])
    key_path = format_key_path(loc)
    kind = err["type"]
    line = document.line_of(loc)
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1]) if model is not None else []
        suggestion = did_you_mean(str(loc[-1]), allowed)
        hint = "" if suggestion else "check the spelling against the schema"
        return ContentError(
            document.path, line, f"unknown key '{loc[-1]}'", key_path, hint, suggestion
        )
    if kind == "missing":
        return ContentError(
            document.path, line, f"missing required key '{loc[-1]}'", key_path, "add it"
        )
    given = err.get("input")
    if given is None and loc in document.lines and kind in _EXPECTED:
        return ContentError(
            document.path,
            line,
            f"'{loc[-1]}' is still an empty placeholder",
            key_path,
            f"replace the placeholder with {_EXPECTED[kind]}, as the comment above it describes",
        )
    message = err["msg"].removeprefix("Value error, ")
    hint = "" if isinstance(given, dict | list) else f"got {str(given)[:60]!r}"
    return ContentError(document.path, line, message, key_path, hint)


# --- cross references --------------------------------------------------------------------


class _Checker:
    """Yields an error for every id, key or footnote number that points nowhere."""

    def __init__(self, review: Review) -> None:
        self.review = review

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
        self,
        kind: str,
        ident: str,
        loc: KeyPath,
        targets: list[str],
        table: str,
    ) -> Iterator[ContentError]:
        for i, target in enumerate(targets):
            yield from self.one_id(kind, ident, (*loc, i), target, table)

    def one_id(
        self,
        kind: str,
        ident: str,
        loc: KeyPath,
        target: str,
        table: str,
    ) -> Iterator[ContentError]:
        if target not in getattr(self.review, table) and (table, target) not in self.review.broken:
            yield self.error(
                kind,
                ident,
                loc,
                f"unknown {SINGULAR[table]} id '{target}'",
                f"create content/{table}/{target}.yaml or fix the id",
                suggestion=did_you_mean(target, getattr(self.review, table)),
            )

    def location(
        self,
        kind: str,
        ident: str,
        loc: KeyPath,
        paper: Paper,
        where: Location,
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


def check_references(review: Review) -> Iterator[ContentError]:
    checker = _Checker(review)
    for paper in review.papers.values():
        yield from _check_paper(checker, paper)
    per_item = (
        (review.footnotes, _check_footnotes),
        (review.reflists, _check_reflist),
        (review.entities, _check_entity),
        (review.claims, _check_claim),
        (review.events, _check_event),
        (review.statistics, _check_statistic),
        (review.audit, _check_audit),
    )
    for table, check in per_item:
        for ident in table:
            yield from check(checker, ident)


def _check_reflist(checker: _Checker, paper_id: str) -> Iterator[ContentError]:
    if (paper_error := _unknown_paper(checker, "reflists", paper_id, paper_id)) is not None:
        yield from _real(paper_error)
        return
    for i, entry in enumerate(checker.review.reflists[paper_id].entries):
        yield from checker.key("reflists", paper_id, ("entries", i, "key"), entry.key)


def _check_entity(checker: _Checker, ident: str) -> Iterator[ContentError]:
    review = checker.review
    entity = review.entities[ident]
    yield from checker.ids("entities", ident, ("papers",), entity.papers, "papers")
    yield from checker.sources("entities", ident, entity.sources)
    for i, relation in enumerate(entity.relations):
        yield from checker.one_id(
            "entities", ident, ("relations", i, "target"), relation.target, "entities"
        )
    arguments = [review.papers[p].argument for p in entity.papers if p in review.papers]
    categories = {c.id for a in arguments if a is not None for c in a.categories}
    for i, category in enumerate(entity.categories):
        if category not in categories:
            yield checker.error(
                "entities",
                ident,
                ("categories", i),
                f"no paper of this entity has a category '{category}'",
                f"use one of: {', '.join(sorted(categories)) or '(none)'}",
            )


def _owning_paper(
    checker: _Checker,
    kind: str,
    ident: str,
    paper_id: str,
    where: Location,
) -> tuple[Paper | None, list[ContentError]]:
    """The paper an item belongs to (None if unknown) and the problems with its place in it."""
    if (paper_error := _unknown_paper(checker, kind, ident, paper_id)) is not None:
        return None, list(_real(paper_error))
    paper = checker.review.papers[paper_id]
    return paper, list(checker.location(kind, ident, ("where",), paper, where))


def _check_audit(checker: _Checker, ident: str) -> Iterator[ContentError]:
    finding = checker.review.audit[ident]
    paper, problems = _owning_paper(checker, "audit", ident, finding.paper, finding.where)
    yield from problems
    if paper is None:
        return
    yield from checker.sources("audit", ident, finding.sources)


def _unknown_paper(checker: _Checker, kind: str, ident: str, paper_id: str) -> ContentError | None:
    if paper_id in checker.review.papers:
        return None
    if ("papers", paper_id) in checker.review.broken:
        return _SKIP
    return checker.error(
        kind,
        ident,
        ("paper",),
        f"unknown paper id '{paper_id}'",
        f"create content/papers/{paper_id}.yaml",
        suggestion=did_you_mean(paper_id, checker.review.papers),
    )


_SKIP = ContentError("", 0, "")  # the paper is broken; its own errors say why


def _real(error: ContentError) -> Iterator[ContentError]:
    if error is not _SKIP:
        yield error


def _check_paper(checker: _Checker, paper: Paper) -> Iterator[ContentError]:
    seen: set[str] = set()
    for i, section in enumerate(paper.sections):
        if section.id in seen:
            yield checker.error(
                "papers", paper.id, ("sections", i, "id"), f"duplicate section id '{section.id}'"
            )
        seen.add(section.id)
        for j, paragraph in enumerate(section.paragraphs):
            if paragraph.n != j + 1:
                yield checker.error(
                    "papers",
                    paper.id,
                    ("sections", i, "paragraphs", j, "n"),
                    f"paragraph numbers must run 1, 2, 3...; expected {j + 1}, got {paragraph.n}",
                )
    if paper.argument is None:
        return
    dimensions = {d.id for f in paper.argument.frameworks for d in f.dimensions} | {"overall"}
    for i, framework in enumerate(paper.argument.frameworks):
        if framework.where is not None:
            yield from checker.location(
                "papers", paper.id, ("argument", "frameworks", i, "where"), paper, framework.where
            )
    for i, verdict in enumerate(paper.argument.verdicts):
        loc: KeyPath = ("argument", "verdicts", i)
        if verdict.dimension not in dimensions:
            yield checker.error(
                "papers",
                paper.id,
                (*loc, "dimension"),
                f"unknown dimension '{verdict.dimension}'",
                f"use one of: {', '.join(sorted(dimensions))}",
            )
        yield from checker.location("papers", paper.id, (*loc, "where"), paper, verdict.where)


def _check_footnotes(checker: _Checker, paper_id: str) -> Iterator[ContentError]:
    review = checker.review
    if (paper_error := _unknown_paper(checker, "footnotes", paper_id, paper_id)) is not None:
        yield from _real(paper_error)
        return
    paper = review.papers[paper_id]
    numbers: set[int] = set()
    for i, note in enumerate(review.footnotes[paper_id].notes):
        loc: KeyPath = ("notes", i)
        if note.number in numbers:
            yield checker.error(
                "footnotes", paper_id, (*loc, "number"), f"footnote {note.number} appears twice"
            )
        numbers.add(note.number)
        yield from checker.location("footnotes", paper_id, (*loc, "where"), paper, note.where)
        for j, cite in enumerate(note.cites):
            yield from checker.key("footnotes", paper_id, (*loc, "cites", j, "key"), cite.key)
        if note.ibid_of is not None and (
            note.ibid_of >= note.number or review.footnote(paper_id, note.ibid_of) is None
        ):
            yield checker.error(
                "footnotes",
                paper_id,
                (*loc, "ibid_of"),
                f"'ibid_of: {note.ibid_of}' must name an earlier footnote",
            )
        yield from checker.ids("footnotes", paper_id, (*loc, "audit"), note.audit, "audit")


def _check_claim(checker: _Checker, ident: str) -> Iterator[ContentError]:
    claim = checker.review.claims[ident]
    paper, problems = _owning_paper(checker, "claims", ident, claim.paper, claim.where)
    yield from problems
    if paper is None:
        return
    argument = paper.argument
    categories = {c.id for c in argument.categories} if argument else set()
    dimensions = {d.id for f in argument.frameworks for d in f.dimensions} if argument else set()
    for name, values, known in (
        ("categories", claim.categories, categories),
        ("dimensions", claim.dimensions, dimensions),
    ):
        for i, value in enumerate(values):
            if value not in known:
                yield checker.error(
                    "claims",
                    ident,
                    (name, i),
                    f"paper '{paper.id}' has no "
                    f"{name[:-1] if name != 'categories' else 'category'} '{value}'",
                    f"use one of: {', '.join(sorted(known)) or '(none defined)'}",
                )
    yield from _check_evidence(checker, "claims", ident, paper, claim.evidence)
    for i, relation in enumerate(claim.relations):
        if relation.target == ident:
            yield checker.error(
                "claims", ident, ("relations", i, "target"), "a claim cannot relate to itself"
            )
        else:
            yield from checker.one_id(
                "claims", ident, ("relations", i, "target"), relation.target, "claims"
            )
    yield from checker.ids("claims", ident, ("entities",), claim.entities, "entities")
    yield from checker.ids("claims", ident, ("audit",), claim.audit, "audit")


# --- quotations against the paper's text -------------------------------------------------


def _normalise(text: str) -> str:
    """Compare ignoring line breaks, emphasis markers and the ``<>`` around printed URLs."""
    return " ".join(re.sub(r"[*<>]", "", text).split())


def check_quotations(review: Review, root: Path) -> Iterator[ContentError]:
    """Every quotation and paragraph opening must be found, word for word, in the source text."""
    for paper in review.papers.values():
        if paper.source_text is None:
            continue
        path = root / paper.source_text
        if not path.is_file():
            source = review.sources[("papers", paper.id)]
            yield ContentError(
                source.path,
                source.line_of(("source_text",)),
                f"source text '{paper.source_text}' not found",
                "source_text",
            )
            continue
        text = _normalise(path.read_text(encoding="utf-8", errors="replace"))
        for kind, ident, loc, quote in _quotations(review, paper):
            if _normalise(quote) not in text:
                source = review.sources[(kind, ident)]
                yield ContentError(
                    source.path,
                    source.line_of(loc),
                    f"quotation not found in {paper.source_text}",
                    format_key_path(loc),
                    "copy the words exactly as printed, or paraphrase outside quotes",
                )


def _quotations(review: Review, paper: Paper) -> Iterator[tuple[str, str, KeyPath, str]]:
    for i, section in enumerate(paper.sections):
        for j, paragraph in enumerate(section.paragraphs):
            yield "papers", paper.id, ("sections", i, "paragraphs", j, "opens"), paragraph.opens
    for i, verdict in enumerate(paper.argument.verdicts if paper.argument else []):
        yield "papers", paper.id, ("argument", "verdicts", i, "quote"), verdict.quote
    for ident, claim in review.claims.items():
        if claim.paper == paper.id:
            yield "claims", ident, ("quote",), claim.quote
            for i, evidence in enumerate(claim.evidence):
                if evidence.quote and evidence.key is None:
                    yield "claims", ident, ("evidence", i, "quote"), evidence.quote
    for ident, finding in review.audit.items():
        if finding.paper == paper.id:
            yield "audit", ident, ("quote",), finding.quote
    for ident, statistic in review.statistics.items():
        if statistic.paper == paper.id:
            yield "statistics", ident, ("wording",), statistic.wording
    notes = review.footnotes.get(paper.id)
    for i, note in enumerate(notes.notes if notes else []):
        yield "footnotes", paper.id, ("notes", i, "printed"), note.printed


def _check_evidence(
    checker: _Checker, kind: str, ident: str, paper: Paper, evidence: list[Evidence]
) -> Iterator[ContentError]:
    for i, item in enumerate(evidence):
        if item.footnote is not None and checker.review.footnote(paper.id, item.footnote) is None:
            yield checker.error(
                kind,
                ident,
                ("evidence", i, "footnote"),
                f"paper '{paper.id}' has no footnote {item.footnote}",
            )
        if item.key is not None:
            yield from checker.key(kind, ident, ("evidence", i, "key"), item.key)


def _check_event(checker: _Checker, ident: str) -> Iterator[ContentError]:
    event = checker.review.events[ident]
    paper, problems = _owning_paper(checker, "events", ident, event.paper, event.where)
    yield from problems
    if paper is None:
        return
    for name, table in (("actors", "entities"), ("programs", "entities"), ("claims", "claims")):
        yield from checker.ids("events", ident, (name,), getattr(event, name), table)
    yield from checker.sources("events", ident, event.sources)
    if event.end_date is not None and event.end_date < event.date:
        yield checker.error("events", ident, ("end_date",), "end_date is before date")


def _check_statistic(checker: _Checker, ident: str) -> Iterator[ContentError]:
    statistic = checker.review.statistics[ident]
    paper, problems = _owning_paper(checker, "statistics", ident, statistic.paper, statistic.where)
    yield from problems
    if paper is None:
        return
    yield from _check_evidence(checker, "statistics", ident, paper, statistic.evidence)
    yield from checker.ids(
        "statistics", ident, ("conflicts_with",), statistic.conflicts_with, "statistics"
    )
    yield from checker.ids("statistics", ident, ("claims",), statistic.claims, "claims")
