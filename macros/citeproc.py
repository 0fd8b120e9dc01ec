"""Citation formatting with pandoc's citeproc and a CSL style, batched and cached.

pandoc costs about half a second to start, so each kind of output is one batched call per
build, and its result is cached on disk by the hash of everything that goes into it:

1. BibTeX -> CSL-JSON (decoded Unicode fields for entry pages and the CSL-JSON export),
2. BibTeX -> the formatted bibliography, sorted as the style says,
3. BibTeX -> one note per (key, locator) used on the site.

Formatting reads the BibTeX itself, not the CSL-JSON: pandoc's CSL-JSON writer drops the case
protection of braces (``{amid}`` would come out as "Amid"). Notes are formatted from
per-citation copies of the entries so that every note comes out in its full first-citation
form, never as "Ibid." or a short form of an earlier one.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypandoc

from macros.bibliography import parse_bibliography

CACHE_VERSION = "1"
_COPY = "_lrcite_"
_ENTRY = re.compile(
    r'<div id="ref-(?P<key>[^"]+)" class="csl-entry"[^>]*>\s*(?P<body>.*?)\s*</div>', re.DOTALL
)
_NOTE = re.compile(
    r'<li id="fn(?P<n>\d+)"[^>]*>(?:<p>)?(?P<body>.*?)(?:<a href="#fnref\d+"[^>]*>'
    r".*?</a>)?(?:</p>)?\s*</li>",
    re.DOTALL,
)
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

    def __init__(
        self,
        bib_text: str,
        csl_path: Path,
        cache_dir: Path,
        raw_entries: dict[str, str] | None = None,
    ) -> None:
        self.bib_text = bib_text
        self.raw_entries = raw_entries
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
        out = self._cached("bibliography", [self.bib_text, self.csl_text], self._run_bibliography)
        return {m["key"]: _formatted(m["body"]) for m in _ENTRY.finditer(out)}

    def notes(
        self, citations: Iterable[tuple[str, str | None]]
    ) -> dict[tuple[str, str | None], Formatted]:
        wanted = sorted(set(citations), key=lambda c: (c[0], c[1] or ""))
        if not wanted:
            return {}
        payload = json.dumps(wanted, ensure_ascii=False)
        out = self._cached(
            "notes", [self.bib_text, self.csl_text, payload], lambda: self._run_notes(wanted)
        )
        bodies = {int(m["n"]): m["body"] for m in _NOTE.finditer(out)}
        return {cite: _formatted(bodies.get(i + 1, "")) for i, cite in enumerate(wanted)}

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
        return self._run_citeproc(self.bib_text, "---\nnocite: '@*'\n...\n")

    def _run_notes(self, wanted: list[tuple[str, str | None]]) -> str:
        raw = self.raw_entries if self.raw_entries is not None else _raw_entries(self.bib_text)
        copies, paragraphs = [], []
        for i, (key, locator) in enumerate(wanted):
            copy_key = f"{key}{_COPY}{i}"
            copies.append(
                re.sub(
                    r"^(\s*@\w+\s*[{(]\s*)" + re.escape(key),
                    rf"\g<1>{copy_key}",
                    raw[key],
                    count=1,
                )
            )
            suffix = f", {_escape_locator(locator)}" if locator else ""
            paragraphs.append(f"[@{{{copy_key}}}{suffix}]")
        # The original text stays in front so that @string definitions still apply.
        bib = self.bib_text + "\n\n" + "\n\n".join(copies) + "\n"
        return self._run_citeproc(bib, "\n\n".join(paragraphs) + "\n")

    def _run_citeproc(self, bib_text: str, markdown: str) -> str:
        with tempfile.TemporaryDirectory() as tmp:
            bib = Path(tmp, "references.bib")
            bib.write_text(bib_text, encoding="utf-8")
            doc = Path(tmp, "doc.md")
            doc.write_text(markdown, encoding="utf-8")
            return _pandoc(
                [
                    str(doc),
                    "-f",
                    "markdown",
                    "-t",
                    "html",
                    "--citeproc",
                    f"--bibliography={bib}",
                    f"--csl={self.csl_path}",
                    "--wrap=none",
                ]
            )


def _raw_entries(bib_text: str) -> dict[str, str]:
    bibliography, _ = parse_bibliography("references.bib", bib_text)
    return {key: entry.raw for key, entry in bibliography.entries.items()}


def _escape_locator(locator: str) -> str:
    """A locator is text: every ASCII punctuation character is escaped for pandoc's Markdown."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", locator)


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
