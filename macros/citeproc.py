"""Citation formatting with pandoc's citeproc and a CSL style, batched and cached.

pandoc costs about half a second to start, so each kind of output is one batched call per
build, and its result is cached on disk by the hash of everything that goes into it:

1. BibTeX -> CSL-JSON (decoded Unicode fields; also the CSL-JSON export),
2. CSL-JSON -> the formatted bibliography, sorted as the style says,
3. CSL-JSON -> one note per (key, locator) used on the site.

Notes are formatted from per-citation copies of the entries so that every note comes out in
its full first-citation form, never as "Ibid." or a short form of an earlier one.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypandoc

CACHE_VERSION = "1"
_COPY = "_lrcite_"
_ENTRY = re.compile(r'<div id="ref-(?P<key>[^"]+)" class="csl-entry"[^>]*>\s*(?P<body>.*?)\s*</div>',
                    re.DOTALL)
_NOTE = re.compile(r'<li id="fn(?P<n>\d+)"[^>]*>(?:<p>)?(?P<body>.*?)(?:<a href="#fnref\d+"[^>]*>'
                   r'.*?</a>)?(?:</p>)?\s*</li>', re.DOTALL)
_HREF = re.compile(r'href="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")


class CiteprocError(Exception):
    """pandoc failed or printed a warning; the message names the input."""


@dataclass(frozen=True)
class Formatted:
    """A formatted reference or note: safe HTML and its plain text."""

    html: str
    text: str


def plain_text(fragment: str) -> str:
    return html.unescape(_TAG.sub("", fragment)).strip()


def safe_links(fragment: str) -> str:
    """Drop any link whose scheme is not http(s) or mailto (defence in depth)."""

    def check(match: re.Match[str]) -> str:
        url = html.unescape(match.group(1))
        if re.match(r"^(https?:|mailto:|#)", url, re.IGNORECASE):
            return match.group(0)
        return 'href="#"'

    return _HREF.sub(check, fragment)


class Citeproc:
    """Formats one bibliography with one CSL style."""

    def __init__(self, bib_text: str, csl_path: Path, cache_dir: Path) -> None:
        self.bib_text = bib_text
        self.csl_path = csl_path
        self.csl_text = csl_path.read_text(encoding="utf-8")
        self.cache_dir = cache_dir
        self._csl_json: list[dict[str, Any]] | None = None

    # -- public -------------------------------------------------------------------------

    def csl_json(self) -> list[dict[str, Any]]:
        if self._csl_json is None:
            text = self._cached("csljson", [self.bib_text], self._run_csljson)
            self._csl_json = json.loads(text)
        return self._csl_json

    def bibliography(self) -> dict[str, Formatted]:
        """Every entry, in the order the style sorts them."""
        items = json.dumps(self.csl_json(), ensure_ascii=False, sort_keys=True)
        out = self._cached("bibliography", [items, self.csl_text], self._run_bibliography)
        return {m["key"]: _formatted(m["body"]) for m in _ENTRY.finditer(out)}

    def notes(self, citations: Iterable[tuple[str, str | None]]) -> dict[tuple[str, str | None],
                                                                            Formatted]:
        wanted = sorted(set(citations), key=lambda c: (c[0], c[1] or ""))
        if not wanted:
            return {}
        items = json.dumps(self.csl_json(), ensure_ascii=False, sort_keys=True)
        payload = json.dumps(wanted, ensure_ascii=False)
        out = self._cached("notes", [items, self.csl_text, payload],
                           lambda: self._run_notes(wanted))
        bodies = {int(m["n"]): m["body"] for m in _NOTE.finditer(out)}
        return {cite: _formatted(bodies.get(i + 1, "")) for i, cite in enumerate(wanted)}

    def prepare(self, citations: Sequence[tuple[str, str | None]]) -> None:
        """Run the bibliography and notes calls side by side (each is cached)."""
        self.csl_json()
        with ThreadPoolExecutor(max_workers=2) as pool:
            jobs = [pool.submit(self.bibliography), pool.submit(self.notes, citations)]
            for job in jobs:
                job.result()

    # -- pandoc runs --------------------------------------------------------------------

    def _cached(self, name: str, parts: list[str], run: Any) -> str:
        digest = hashlib.sha256("\0".join([CACHE_VERSION, name, *parts]).encode()).hexdigest()
        target = self.cache_dir / f"{name}-{digest[:32]}.txt"
        if target.is_file():
            return target.read_text(encoding="utf-8")
        text: str = run()
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(".tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(target)
        return text

    def _run_csljson(self) -> str:
        with tempfile.TemporaryDirectory() as tmp:
            bib = Path(tmp, "references.bib")
            bib.write_text(self.bib_text, encoding="utf-8")
            return _pandoc([str(bib), "-f", "biblatex", "-t", "csljson"])

    def _run_bibliography(self) -> str:
        return self._run_citeproc(self.csl_json(), "---\nnocite: '@*'\n...\n")

    def _run_notes(self, wanted: list[tuple[str, str | None]]) -> str:
        by_id = {item["id"]: item for item in self.csl_json()}
        copies, paragraphs = [], []
        for i, (key, locator) in enumerate(wanted):
            copies.append({**by_id[key], "id": f"{key}{_COPY}{i}"})
            suffix = f", {_escape_locator(locator)}" if locator else ""
            paragraphs.append(f"[@{{{key}{_COPY}{i}}}{suffix}]")
        return self._run_citeproc(copies, "\n\n".join(paragraphs) + "\n")

    def _run_citeproc(self, items: list[dict[str, Any]], markdown: str) -> str:
        with tempfile.TemporaryDirectory() as tmp:
            items_path = Path(tmp, "items.json")
            items_path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
            doc = Path(tmp, "doc.md")
            doc.write_text(markdown, encoding="utf-8")
            return _pandoc([str(doc), "-f", "markdown", "-t", "html", "--citeproc",
                            f"--bibliography={items_path}", f"--csl={self.csl_path}",
                            "--wrap=none"])


def _escape_locator(locator: str) -> str:
    return re.sub(r"([\[\]@;\\])", r"\\\1", locator)


def _formatted(body: str) -> Formatted:
    fragment = safe_links(body.strip())
    return Formatted(fragment, re.sub(r"\s+", " ", plain_text(fragment)))


def _pandoc(arguments: list[str]) -> str:
    command = [pypandoc.get_pandoc_path(), "--fail-if-warnings", *arguments]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        message = result.stderr.strip() or f"pandoc exited with {result.returncode}"
        raise CiteprocError(message)
    return result.stdout
