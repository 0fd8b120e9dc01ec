"""Rendered pages cached by content hash, so that a rebuild converts only what changed.

Python-Markdown is the largest cost of a build: MkDocs makes a new converter, with every
extension, for every page. A generated page whose Markdown, Markdown settings and set of site
files are the same as in an earlier build comes out the same, so its HTML, table of contents,
anchors and the log records its conversion produced are kept on disk under a key made of all
of those. On a hit the records are logged again, so a warning (and ``--strict``) still counts.

Nothing here knows MkDocs: the adapter turns pages into ``Rendered`` and back.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

CACHE_VERSION = "1"


@dataclass
class Rendered:
    """What converting one page's Markdown gave."""

    content: str
    toc: list[dict[str, Any]]  # Python-Markdown toc tokens: level, id, name, children
    title: str | None
    anchors: list[str]
    links_to_anchors: dict[str, dict[str, str]]  # target src_uri -> anchor -> url
    records: list[tuple[str, int, str]] = field(default_factory=list)  # logger, level, text


@dataclass
class RenderCache:
    """One folder of rendered pages; ``salt`` covers everything but the page itself."""

    directory: Path
    salt: str
    used: set[str] = field(default_factory=set)
    hits: int = 0
    misses: int = 0

    def key(self, *parts: str) -> str:
        text = "\0".join((CACHE_VERSION, self.salt, *parts))
        return hashlib.sha256(text.encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def load(self, key: str) -> Rendered | None:
        data = self.get(key)
        try:
            rendered = Rendered(**data) if isinstance(data, dict) else None
        except TypeError:  # written by another version
            rendered = None
        if rendered is None:
            return None
        rendered.records = [(str(n), int(lv), str(m)) for n, lv, m in rendered.records]
        return rendered

    def store(self, key: str, rendered: Rendered) -> None:
        self.put(key, asdict(rendered))

    def get(self, key: str) -> Any:
        """The JSON value stored under ``key``, or None."""
        self.used.add(key)
        try:
            value = json.loads(self._path(key).read_text("utf-8"))
        except (OSError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        self.used.add(key)
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(value, ensure_ascii=False), "utf-8")
        temporary.replace(path)

    def prune(self) -> int:
        """Remove the pages this build did not use; returns how many."""
        removed = 0
        for path in self.directory.glob("*/*.json"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


def salt(*parts: Any) -> str:
    """A digest of settings; values JSON cannot write are taken by their repr."""
    text = json.dumps(parts, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


def replay(records: list[tuple[str, int, str]]) -> None:
    for name, level, message in records:
        logging.getLogger(name).log(level, message)


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


@contextmanager
def recording(logger: str) -> Iterator[list[tuple[str, int, str]]]:
    """The records ``logger`` and its children emit meanwhile (they are still logged)."""
    recorder = _Recorder()
    target = logging.getLogger(logger)
    target.addHandler(recorder)
    try:
        yield recorder.records
    finally:
        target.removeHandler(recorder)
