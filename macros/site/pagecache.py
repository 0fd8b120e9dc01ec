"""Rendered pages cached by content hash, so that a rebuild converts only what changed.

Python-Markdown is the largest cost of a build: MkDocs makes a new converter, with every
extension, for every page. A generated page whose Markdown, Markdown settings and set of site
files are the same as in an earlier build comes out the same, so its HTML, table of contents,
anchors and the log records its conversion produced are kept on disk under a key made of all
of those. On a hit the records are logged again, so a warning (and ``--strict``) still counts.

Nothing here knows MkDocs: the adapter turns pages into ``Rendered`` and back.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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
    """One SQLite file of rendered pages; ``salt`` covers everything but the page itself.

    One file rather than one per page: a 5k-reference site has 12,000 entries, and opening
    that many files costs more than the lookups.
    """

    path: Path
    salt: str
    used: set[str] = field(default_factory=set)
    hits: int = 0
    misses: int = 0
    _db: sqlite3.Connection | None = None

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=60)
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
        return self._db

    def key(self, *parts: str) -> str:
        text = "\0".join((CACHE_VERSION, self.salt, *parts))
        return hashlib.sha256(text.encode()).hexdigest()

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
        self.put(key, vars(rendered))  # as asdict() gives it, without its deep copy

    def get(self, key: str) -> Any:
        """The JSON value stored under ``key``, or None."""
        self.used.add(key)
        row = self.db.execute("SELECT value FROM pages WHERE key = ?", (key,)).fetchone()
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        return json.loads(row[0])

    def put(self, key: str, value: Any) -> None:
        self.used.add(key)
        text = json.dumps(value, ensure_ascii=False)
        self.db.execute("INSERT OR REPLACE INTO pages VALUES (?, ?)", (key, text))

    def close(self, *, prune: bool) -> int:
        """Save; with ``prune``, first drop what this build did not use. Returns how many."""
        if self._db is None:
            return 0
        removed = 0
        if prune:
            db = self._db
            db.execute("CREATE TEMP TABLE used (key TEXT PRIMARY KEY)")
            db.executemany("INSERT INTO used VALUES (?)", ((k,) for k in self.used))
            removed = db.execute(
                "DELETE FROM pages WHERE key NOT IN (SELECT key FROM used)"
            ).rowcount
            db.execute("DROP TABLE used")
        self._db.commit()
        self._db.close()
        self._db = None
        return removed


def salt(*parts: Any) -> str:
    """A digest of settings and of the engine's own code; values JSON cannot write are taken
    by their repr."""
    text = json.dumps([engine_digest(), *parts], sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


@functools.cache
def engine_digest() -> str:
    """The engine's code, templates and assets: a new litreview (or a local edit to it) must
    never be served pages an older one finished. About 150 files, read once per process."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".j2", ".html", ".js", ".css", ".csl"}:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


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
