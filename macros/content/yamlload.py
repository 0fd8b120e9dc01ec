"""YAML loading with safe_load semantics, line numbers per key path, and duplicate-key errors.

PyYAML's safe loader silently keeps the last of two equal keys and forgets line numbers, so we
compose the node graph ourselves and build plain Python values from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from macros.content.errors import ContentError, format_key_path

KeyPath = tuple[str | int, ...]
# Aliases can expand a small file into billions of nodes ("billion laughs"); a real content
# file has a few thousand.
MAX_NODES = 100_000
MAX_BYTES = 2_000_000
# Parsers recurse per level (libyaml's composer in C: a crash, not an error); real content
# nests five or six levels deep.
MAX_DEPTH = 64
MAX_SCALAR = 100_000  # characters in one value: a long abstract is some 3,000
# libyaml (the C parser) reads five to ten times faster; same safe constructors.
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PLAIN_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})


@dataclass
class YamlDocument:
    """A loaded file: its data plus the line of every key path in it."""

    path: str
    data: Any
    lines: dict[KeyPath, int]

    def line_of(self, key_path: KeyPath) -> int:
        """Line of the deepest known prefix of ``key_path`` (missing keys point at their parent)."""
        for end in range(len(key_path), -1, -1):
            line = self.lines.get(tuple(key_path[:end]))
            if line is not None:
                return line
        return 1


class _Builder:
    def __init__(self, path: str, loader: yaml.SafeLoader) -> None:
        self.path = path
        self.loader = loader
        self.lines: dict[KeyPath, int] = {}
        self.errors: list[ContentError] = []
        self.nodes = 0

    def build(self, node: yaml.Node, key_path: KeyPath) -> Any:
        self.nodes += 1
        collection = isinstance(node, yaml.MappingNode | yaml.SequenceNode)
        if collection and len(key_path) >= MAX_DEPTH:  # aliases nest without nesting the text
            raise _FatalError(_too_deep(self.path, node.start_mark.line + 1))
        if self.nodes > MAX_NODES:
            raise _FatalError(
                ContentError(
                    self.path,
                    node.start_mark.line + 1,
                    f"more than {MAX_NODES:,} YAML nodes (alias expansion?)",
                    hint="do not nest aliases",
                )
            )
        self.lines.setdefault(key_path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in PLAIN_TAGS:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"could not determine a constructor for the tag {node.tag!r}",
                node.start_mark,
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, key_path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*key_path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _scalar(self, node: yaml.Node) -> Any:
        if isinstance(node.value, str) and len(node.value) > MAX_SCALAR:
            raise _FatalError(
                ContentError(
                    self.path,
                    node.start_mark.line + 1,
                    f"a value of {len(node.value):,} characters, over the {MAX_SCALAR:,} limit",
                    hint="shorten it; long texts belong in the paper, not in a field",
                )
            )
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, KeyError, AttributeError, TypeError, OverflowError) as exc:
            # PyYAML resolves some plain scalars (2021-02-30, !!int abc) and fails on them.
            message = (
                str(exc)
                if isinstance(exc, ValueError)
                else (f"cannot read {node.value!r} as {node.tag.rsplit(':', 1)[-1]}")
            )
            hint = "quote the value to keep it as text"
            if node.tag == "tag:yaml.org,2002:timestamp":
                message = f"'{node.value}' is not a date of the calendar ({message})"
                hint = "give a real date as YYYY-MM-DD, or quote the value to keep it as text"
            raise _FatalError(
                ContentError(
                    self.path, node.start_mark.line + 1, f"invalid YAML: {message}", hint=hint
                )
            ) from None

    def _mapping(self, node: yaml.MappingNode, key_path: KeyPath) -> dict[str, Any]:
        self.loader.flatten_mapping(node)  # resolves YAML merge keys (<<) like safe_load does
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                key = str(key)
            child = (*key_path, key)
            if key in result:
                self.errors.append(
                    ContentError(
                        self.path,
                        line,
                        f"duplicate key '{key}' (first defined on line {self.lines[child]})",
                        format_key_path(child),
                        "remove or rename one of the two",
                    )
                )
                continue
            self.lines[child] = line
            result[key] = self.build(value_node, child)
        return result


class _FatalError(Exception):
    """A problem that stops reading the file; carries the error to report."""

    def __init__(self, error: ContentError) -> None:
        self.error = error


def load_yaml(path: str, text: bytes) -> tuple[YamlDocument | None, list[ContentError]]:
    """Parse ``text``; return the document (None on fatal errors) and every error found."""
    try:
        source = _decode(path, text)
        try:
            return _parse(path, source, _FAST_LOADER)
        except _SyntaxProblemError:
            # libyaml words its errors differently; the pure-Python parser's messages and
            # lines are the ones users see (and tests pin), so a broken file is read again.
            return _parse(path, source, yaml.SafeLoader)
    except (_FatalError, _SyntaxProblemError) as exc:
        return None, [exc.error]


class _SyntaxProblemError(_FatalError):
    """The YAML itself cannot be read (as opposed to a value or size problem)."""


def _parse(path: str, source: str, loader_class: Any) -> tuple[YamlDocument, list[ContentError]]:
    if _may_nest_deeply(source):
        _check_depth(path, source, loader_class)
    try:
        loader = loader_class(source)
    except yaml.reader.ReaderError as exc:
        raise _SyntaxProblemError(_reader_error(path, source, exc)) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise _FatalError(
                ContentError(path, 1, "file is empty", hint="add the fields of its kind")
            )
        builder = _Builder(path, loader)
        data = builder.build(node, ())
    except yaml.reader.ReaderError as exc:
        raise _SyntaxProblemError(_reader_error(path, source, exc)) from None
    except yaml.MarkedYAMLError as exc:
        raise _SyntaxProblemError(_marked_error(path, exc)) from None
    finally:
        loader.dispose()
    return YamlDocument(path, data, builder.lines), builder.errors


# Leading indentation, dashes and question marks: how deep block nesting can go on one line.
_BLOCK_PREFIX = re.compile(r"^[ \t?:-]*", re.MULTILINE)


def _may_nest_deeply(source: str) -> bool:
    """A cheap over-estimate: could this text nest more than ``MAX_DEPTH`` levels?"""
    flow = source.count("[") + source.count("{")
    block = max((len(m[0]) for m in _BLOCK_PREFIX.finditer(source)), default=0) + 1
    return flow + block > MAX_DEPTH


def _check_depth(path: str, source: str, loader_class: Any) -> None:
    """Walk the parser's events (no recursion) and stop at the first level too deep."""
    try:
        loader = loader_class(source)
    except yaml.reader.ReaderError as exc:
        raise _SyntaxProblemError(_reader_error(path, source, exc)) from None
    depth = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark else 1
                    raise _FatalError(_too_deep(path, line))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.reader.ReaderError as exc:
        raise _SyntaxProblemError(_reader_error(path, source, exc)) from None
    except yaml.MarkedYAMLError as exc:
        raise _SyntaxProblemError(_marked_error(path, exc)) from None
    finally:
        loader.dispose()


def _too_deep(path: str, line: int) -> ContentError:
    return ContentError(
        path,
        line,
        f"lists and mappings nested more than {MAX_DEPTH} levels deep",
        hint="content files nest a few levels; close the brackets or flatten the data",
    )


def _decode(path: str, text: bytes) -> str:
    if len(text) > MAX_BYTES:
        raise _FatalError(
            ContentError(
                path,
                1,
                f"file is {len(text):,} bytes, over the {MAX_BYTES:,} limit",
                hint="split it into smaller files",
            )
        )
    try:
        return text.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = text[: exc.start].count(b"\n") + 1
        raise _FatalError(
            ContentError(
                path, line, f"not valid UTF-8 (byte {exc.start})", hint="save the file as UTF-8"
            )
        ) from None


def _marked_error(path: str, exc: yaml.MarkedYAMLError) -> ContentError:
    context = exc.context or ""
    problem = exc.problem or context or "invalid YAML"
    if context.startswith("while scanning a quoted scalar") and exc.context_mark:
        # The end of the file is not where the mistake is; the opening quote is.
        return ContentError(
            path,
            exc.context_mark.line + 1,
            f"invalid YAML: {context}, {problem}",
            hint="close the quote",
        )
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    return ContentError(path, line, f"invalid YAML: {problem}", hint=_yaml_hint(problem))


def _reader_error(path: str, source: str, exc: yaml.reader.ReaderError) -> ContentError:
    line = source[: exc.position].count("\n") + 1
    character = exc.character if isinstance(exc.character, str) else chr(exc.character)
    message = f"unacceptable character #x{ord(character):04x}: {exc.reason}"
    return ContentError(
        path, line, f"invalid YAML: {message}", hint="delete the invisible control character"
    )


def _yaml_hint(problem: str) -> str:
    if "\\t" in problem or "tab" in problem:
        return "indent with spaces, not tabs"
    if "constructor" in problem:
        return "YAML tags such as !!python/object are not allowed; write plain values"
    if "quoted scalar" in problem:
        return "close the quote"
    return "check indentation and quoting on this line and the one before"
