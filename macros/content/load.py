"""Load ``content/`` and the bibliography into a ``Review``; collect every error with its line."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast, get_args

from pydantic import ValidationError

from macros.bibliography.bibtex import Bibliography, parse_bibliography, reparse_bibliography
from macros.content.checks import Checker, normalise
from macros.content.confine import inside, links_leaving, source_outside
from macros.content.errors import (
    ContentError,
    InvalidContentError,
    closest,
    did_you_mean,
    format_key_path,
)
from macros.content.kind import Kind
from macros.content.model import Strict
from macros.content.review import Review, Source
from macros.content.yamlload import KeyPath, YamlDocument, load_yaml

_T = TypeVar("_T")


def load_review(
    root: Path,
    content_dir: str = "content",
    bibliography: str = "references.bib",
    *,
    kinds: Sequence[Kind],
) -> Review:
    """Load and cross-check everything; raise ``InvalidContentError`` listing all problems.

    ``kinds`` is the registry (``macros.kinds.KINDS``): the folders read and how each is checked.
    """
    review, errors = collect_review(root, content_dir, bibliography, kinds=kinds)
    if errors:
        raise InvalidContentError(errors)
    return review


def collect_review(
    root: Path,
    content_dir: str = "content",
    bibliography: str = "references.bib",
    *,
    kinds: Sequence[Kind],
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
    by_name = {kind.name: kind for kind in kinds}
    for kind in kinds:
        review.of(kind.name)  # every kind has its table, files or not
    # Nothing is read from outside the project (docs/ is copied into the site as it is).
    errors += links_leaving(root, (content_dir, "docs", "seeds", bibliography))
    for path in sorted(content.rglob("*")):
        # Hidden files (.gitkeep, editors' swap files) are no content, as MkDocs skips them.
        if path.is_file() and not path.name.startswith(".") and inside(root, path):
            errors += _load_file(review, root, content, path, by_name)
    for kind in kinds:
        for item in review.of(kind.name).values():
            kind.derive(review, item)
    errors += list(check_references(review, kinds))
    errors += list(check_quotations(review, root, kinds))
    return review, errors


def _load_file(
    review: Review, root: Path, content: Path, path: Path, kinds: dict[str, Kind]
) -> list[ContentError]:
    rel = path.relative_to(root).as_posix()
    if path.suffix not in {".yaml", ".yml"}:
        return [ContentError(rel, 1, "not a YAML file", hint="content files end in .yaml")]
    spec = kinds.get(path.parent.name)
    if spec is None or path.parent.parent != content:
        known = ", ".join(f"content/{k}/" for k in kinds)
        message = f"unknown content kind '{path.parent.name}'"
        return [ContentError(rel, 1, message, hint=f"put it in {known}")]
    kind = spec.name
    data = path.read_bytes()
    document, item, errors = _remembered(("yaml", rel), data, lambda: _parse(rel, spec.model, data))
    errors = list(errors)
    if document is None:
        # Its own errors say what is wrong; references to it are not reported as missing.
        review.broken.add((kind, path.stem))
        return errors
    if item is None:
        review.broken.add((kind, path.stem))
        return errors
    ident = spec.ident(item)
    if ident != path.stem:
        field = spec.own_key
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
    review.of(kind)[ident] = item
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
    rel: str, model: type[Strict], data: bytes
) -> tuple[YamlDocument | None, Strict | None, list[ContentError]]:
    document, errors = load_yaml(rel, data)
    if document is None:
        return None, None, errors
    item, model_errors = _validate(document, model)
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


# --- cross references and quotations: each kind's own checks, on one shared checker ------


def check_references(review: Review, kinds: Sequence[Kind]) -> Iterator[ContentError]:
    checker = Checker(review, kinds)
    for kind in kinds:
        for ident, item in review.of(kind.name).items():
            yield from kind.check(checker, ident, item)


def check_quotations(review: Review, root: Path, kinds: Sequence[Kind]) -> Iterator[ContentError]:
    """Every quotation and paragraph opening must be found, word for word, in the source text."""
    texts: dict[str, str | None] = {}
    for paper in review.papers.values():
        if paper.source_text is None:
            continue
        path = root / paper.source_text
        if source_outside(root, paper.source_text):
            source = review.sources[("papers", paper.id)]
            yield ContentError(
                source.path,
                source.line_of(("source_text",)),
                f"source text '{paper.source_text}' is outside the project",
                "source_text",
                "give its path from the project folder, e.g. seeds/<paper>.txt",
            )
            continue
        if not path.is_file():
            source = review.sources[("papers", paper.id)]
            yield ContentError(
                source.path,
                source.line_of(("source_text",)),
                f"source text '{paper.source_text}' not found",
                "source_text",
            )
            continue
        texts[paper.id] = normalise(path.read_text(encoding="utf-8", errors="replace"))
    for kind in kinds:
        for ident, item in review.of(kind.name).items():
            paper_id = kind.paper_of(ident, item)
            text = texts.get(paper_id)
            if text is None:
                continue
            for loc, quote in kind.quotations(item):
                if normalise(quote) not in text:
                    source = review.sources[(kind.name, ident)]
                    yield ContentError(
                        source.path,
                        source.line_of(loc),
                        f"quotation not found in {review.papers[paper_id].source_text}",
                        format_key_path(loc),
                        "copy the words exactly as printed, or paraphrase outside quotes",
                    )
