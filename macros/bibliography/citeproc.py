"""Citation formatting with pandoc's citeproc and a CSL style, batched and cached.

pandoc costs about half a second to start, so work goes to it in batches, never one call per
citation, and every result is cached on disk by the hash of everything that goes into it:

1. BibTeX -> CSL-JSON (decoded Unicode fields for entry pages and the exports): cached per
   entry, so editing one entry re-converts only that one;
2. BibTeX -> the formatted bibliography, sorted as the style says: one call for the whole
   library, because sorting and disambiguation depend on every entry;
3. BibTeX -> one note per (key, locator) used on the site: cached per citation.

Missing entries and notes are formatted in batches of at most ``BATCH`` items, in parallel on
the machine's CPUs, so that no pandoc process holds the whole library (a single notes call
over 25,000 citations took 2.1 GB).

Formatting reads the BibTeX itself, not the CSL-JSON: pandoc's CSL-JSON writer drops the case
protection of braces (``{amid}`` would come out as "Amid"). Notes are formatted from
per-citation copies of the entries so that every note comes out in its full first-citation
form, never as "Ibid." or a short form of an earlier one.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TypeVar

import pypandoc

from macros.bibliography.bibtex import parse_bibliography

CACHE_VERSION = "3"
RICH = "_lr_rich"  # an item's fields holding TeX math, as HTML with MathML and as plain text
RICH_FIELDS = ("title", "abstract", "note")
_HAS_MATH = re.compile(r"(?<!\\)\$|\\\(|\\\[")
BATCH = 1000  # entries or citations per pandoc call: bounds its memory (about 100 MB)
_T = TypeVar("_T")
_STRING = re.compile(
    r"^[ \t]*@string\s*[{(].*?[})][ \t]*$", re.IGNORECASE | re.MULTILINE | re.DOTALL
)
_COPY = "_lrcite_"
# Fields pandoc reads differently in an entry and in its as-written copy, besides the titles
# taken from the copy: the language, and title fields the copy's title does not replace.
_READ_TWICE = re.compile(
    r"(?:^|[,{(])\s*(?!(?:title|journaltitle|journal|booktitle|series)\s*=)"
    r"(?:langid|language|hyphenation|\w*title\w*|short\w*)\s*=",
    re.IGNORECASE | re.MULTILINE,
)
_ENTRY = re.compile(
    r'<div id="ref-(?P<key>[^"]+)" class="csl-entry"[^>]*>\s*(?P<body>.*?)\s*</div>', re.DOTALL
)
_NOTE = re.compile(
    r'<li id="fn(?P<n>\d+)"[^>]*>(?:<p>)?(?P<body>.*?)(?:<a href="#fnref\d+"[^>]*>'
    r".*?</a>)?(?:</p>)?\s*</li>",
    re.DOTALL,
)
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


# pandoc's HTML for a formatted entry or note, reduced to what formatting needs. BibTeX is
# contributed text: ``\\includegraphics{javascript:...}`` would otherwise be an <img>.
SAFE_TAGS = frozenset(
    {"a", "abbr", "b", "bdi", "br", "cite", "code", "em", "i", "q", "small", "span", "strong"}
    | {"sub", "sup"}
)
# MathML as pandoc's --mathml writes it: presentation elements only. No MathML element or
# attribute here can link or script (no href, xlink:href, maction, annotation-xml, on*).
MATHML_TAGS = frozenset(
    {"math", "semantics", "annotation", "mrow", "mi", "mo", "mn", "ms", "mtext", "mspace"}
    | {"msqrt", "mroot", "mfrac", "msub", "msup", "msubsup", "munder", "mover", "munderover"}
    | {"mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom", "menclose", "mmultiscripts"}
    | {"mprescripts", "none"}
)
_MATHML_ATTRIBUTES = frozenset(
    {"display", "mathvariant", "stretchy", "fence", "separator", "form", "accent", "lspace"}
    | {"accentunder", "rspace", "linethickness", "columnalign", "rowalign", "displaystyle"}
    | {"scriptlevel", "largeop", "movablelimits", "symmetric", "minsize", "maxsize", "width"}
    | {"height", "depth", "notation", "encoding", "columnspacing", "rowspacing", "columnlines"}
)
_MATHML_VALUE = re.compile(r"^[A-Za-z0-9 .%#+-/]*$")
_SAFE_ATTRIBUTES = frozenset({"class", "lang", "dir", "title"})
_VOID_TAGS = frozenset({"br"})
# Elements whose content is not text either: dropped with everything in them.
_DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "template", "textarea", "title", "iframe", "object", "noscript", "svg"}
    | {"select", "xmp", "noembed", "noframes", "plaintext", "annotation-xml", "maction"}
)
_CLASS_VALUE = re.compile(r"^[A-Za-z0-9 _-]*$")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def safe_url(url: str) -> bool:
    """http(s), mailto, a fragment or a relative URL: no ``javascript:``, ``data:``..."""
    # Browsers ignore control characters and whitespace in a scheme ("java\tscript:").
    compact = _INVISIBLE.sub("", url)
    scheme = _SCHEME.match(compact)
    return scheme is None or scheme[1].lower() in {"http", "https", "mailto"}


class _Sanitiser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.dropping: list[str] = []  # inside an element dropped with its content

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.dropping or tag in _DROPPED_WITH_CONTENT:
            if tag not in _VOID_TAGS:
                self.dropping.append(tag)
            return
        if tag in MATHML_TAGS:
            self._mathml(tag, attrs)
            return
        if tag not in SAFE_TAGS:
            return  # the tag goes, its text stays
        kept = []
        for name, value in attrs:
            text = value or ""
            if name == "href" and tag == "a":
                kept.append((name, text if safe_url(text) else "#"))
            elif name in _SAFE_ATTRIBUTES and (name != "class" or _CLASS_VALUE.match(text)):
                kept.append((name, text))
        self.out.append(f"<{tag}" + "".join(f' {n}="{html.escape(v)}"' for n, v in kept) + ">")
        if tag not in _VOID_TAGS:
            self.open.append(tag)

    def _mathml(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "annotation" and dict(attrs).get("encoding") != "application/x-tex":
            self.dropping.append(tag)
            return
        kept = [
            (name, value or "")
            for name, value in attrs
            if name in _MATHML_ATTRIBUTES and _MATHML_VALUE.match(value or "")
        ]
        if tag == "math":
            kept.append(("xmlns", "http://www.w3.org/1998/Math/MathML"))
        self.out.append(f"<{tag}" + "".join(f' {n}="{html.escape(v)}"' for n, v in kept) + ">")
        self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"mspace", "none", "mprescripts"}:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)
            return
        if tag in _VOID_TAGS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.dropping:
            if tag == self.dropping[-1]:
                self.dropping.pop()
            return
        if tag in self.open:
            while self.open:
                closed = self.open.pop()
                self.out.append(f"</{closed}>")
                if closed == tag:
                    break

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(html.escape(data, quote=False))

    def result(self) -> str:
        self.close()
        return "".join(self.out) + "".join(f"</{tag}>" for tag in reversed(self.open))


def safe_html(fragment: str) -> str:
    """pandoc's HTML with only formatting tags, a few attributes and safe links left.

    Rebuilt from a parse, never patched: a tag outside ``SAFE_TAGS`` is dropped (its text
    kept), an attribute outside the list is dropped, an unsafe link points to ``#``.
    """
    sanitiser = _Sanitiser()
    sanitiser.feed(fragment)
    return sanitiser.result()


safe_links = safe_html  # its earlier name, when it only neutralised links


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
        self.raw_entries = raw_entries if raw_entries is not None else _raw_entries(bib_text)
        # Entries are sent to pandoc in batches: each batch needs the @string definitions.
        self.strings = "\n".join(_braced_string(m[0]) for m in _STRING.finditer(bib_text))
        # An entry's ``crossref`` and ``xdata`` parents go to pandoc with it.
        self.parents = {key: _parents(key, self.raw_entries) for key in self.raw_entries}
        self.csl_path = csl_path
        self.csl_text = csl_path.read_text(encoding="utf-8")
        self.csl_digest = hashlib.sha256(self.csl_text.encode()).hexdigest()
        self.cache_dir = cache_dir
        self._csl_json: list[dict[str, Any]] | None = None

    # -- public -------------------------------------------------------------------------

    def csl_json(self) -> list[dict[str, Any]]:
        """One CSL-JSON item per entry, in the order of the BibTeX file."""
        if self._csl_json is None:
            keys = list(self.raw_entries)
            digests = {key: self._digest("csljson", self._source(key)) for key in keys}
            items = self._per_item("csljson", digests, self._run_csljson)
            # Fields holding TeX math as MathML: another pandoc run, for those entries only.
            with_math = [key for key in keys if _HAS_MATH.search(self.raw_entries[key])]
            rich = self._per_item(
                "rich",
                {k: self._digest("rich", self._source(k)) for k in with_math},
                self._run_rich,
            )
            self._csl_json = [_with_rich(_item(items[key]), rich.get(key)) for key in keys]
        return self._csl_json

    def bibliography(self) -> dict[str, Formatted]:
        """Every entry, in the order the style sorts them."""
        out = self._cached("bibliography", [self._whole(), self.csl_text], self._run_bibliography)
        return self._complete(_bibliography_entries(out))

    def bibliography_since(
        self, raw_before: dict[str, str], before: dict[str, Formatted]
    ) -> dict[str, Formatted]:
        """For a preview: an earlier formatting with only the entries changed since done again.

        One pandoc call for the changed entries instead of the whole library; their place in
        the order (and any disambiguation) waits for the next full formatting.
        """
        changed = [
            key
            for key, raw in self.raw_entries.items()
            if raw_before.get(key) != raw or key not in before
        ]
        if not changed and len(before) == len(self.raw_entries):
            return before
        if self._cache_path("bibliography", [self._whole(), self.csl_text]).is_file():
            return self.bibliography()
        fresh: dict[str, Formatted] = {}
        if changed:
            nocite = ", ".join(f"@{{{key}}}" for key in changed)
            bib = self._batch_bib([self.raw_entries[k] for k in changed], changed)
            fresh = self._complete(_bibliography_entries(self._run_citeproc(bib, _nocite(nocite))))
        ordered = {k: fresh.get(k, v) for k, v in before.items() if k in self.raw_entries}
        return ordered | fresh

    def notes(
        self, citations: Iterable[tuple[str, str | None]], *, prune: bool = True
    ) -> dict[tuple[str, str | None], Formatted]:
        """The full note for each (key, locator); ``prune`` drops other cached notes."""
        wanted = sorted(set(citations), key=lambda c: (c[0], c[1] or ""))
        digests = {
            cite: self._digest("note", self.csl_digest, self._source(cite[0]), cite[1] or "")
            for cite in wanted
        }
        bodies = self._per_item("notes", digests, self._run_notes, prune=prune)
        notes = {cite: _formatted(bodies[cite]) for cite in wanted}
        return {
            cite: self._complete({cite[0]: note}, cite[0])[cite[0]] if _empty(note) else note
            for cite, note in notes.items()
        }

    def _complete(
        self, formatted: dict[str, Formatted], only: str | None = None
    ) -> dict[str, Formatted]:
        """A ``@set`` as its members, an entry with nothing to print as its key, never "n.d."."""
        out = dict(formatted)
        for key in [only] if only else list(out):
            if not _empty(out.get(key)):
                continue
            members = _members(self.raw_entries.get(key, ""))
            shown = [
                out[m] if m in out and not _empty(out[m]) else self.member(m)
                for m in members
                if m in self.raw_entries
            ]
            if shown:
                out[key] = Formatted(
                    "; ".join(f.html.removesuffix(".") for f in shown) + ".",
                    "; ".join(f.text.removesuffix(".") for f in shown) + ".",
                )
            else:
                key_html = html.escape(key)
                out[key] = Formatted(
                    f'<code>{key_html}</code> <span class="lr-incomplete">(incomplete entry:'
                    " no title, author or date)</span>",
                    f"{key} (incomplete entry: no title, author or date)",
                )
        return out

    def member(self, key: str) -> Formatted:
        """One member of a ``@set``, formatted on its own (cached with the notes)."""
        return self.notes([(key, None)], prune=False)[(key, None)]

    def _source(self, key: str) -> str:
        return "\n".join(self.raw_entries[k] for k in [key, *self.parents.get(key, [])])

    def _whole(self) -> str:
        return self._batch_bib(list(self.raw_entries.values()), list(self.raw_entries))

    # -- caches -------------------------------------------------------------------------

    def _digest(self, *parts: str) -> str:
        text = "\0".join([CACHE_VERSION, pandoc_identity(), self.strings, *parts])
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def _per_item(
        self,
        name: str,
        digests: dict[_T, str],
        run: Callable[[list[_T]], list[str]],
        *,
        prune: bool = True,
    ) -> dict[_T, str]:
        """Results for each item: from the cache, the missing ones from pandoc in batches."""
        path = self.cache_dir / f"{name}-items.json"
        cache = _read_items(path)
        missing = [item for item, digest in digests.items() if digest not in cache]
        if missing:
            batches = [missing[i : i + BATCH] for i in range(0, len(missing), BATCH)]
            with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
                for batch, results in zip(batches, pool.map(run, batches), strict=True):
                    cache.update(zip((digests[i] for i in batch), results, strict=True))
        # The cache keeps what this build used: an edited entry's old result goes.
        used = {digest: cache[digest] for digest in digests.values()} if prune else cache
        if missing or len(used) != len(cache):
            _write_atomically(path, json.dumps(used, ensure_ascii=False, sort_keys=True))
            _ITEMS_READ[path] = (path.stat().st_mtime_ns, used)
        return {item: cache[digest] for item, digest in digests.items()}

    def _cache_path(self, name: str, parts: list[str]) -> Path:
        key = [CACHE_VERSION, pandoc_identity(), name, *parts]
        digest = hashlib.sha256("\0".join(key).encode()).hexdigest()
        return self.cache_dir / f"{name}-{digest[:32]}.txt"

    def _cached(self, name: str, parts: list[str], run: Callable[[], str]) -> str:
        target = self._cache_path(name, parts)
        if target.is_file():
            return target.read_text(encoding="utf-8")
        text = run()
        _write_atomically(target, text)
        return text

    # -- pandoc runs --------------------------------------------------------------------

    def _batch_bib(
        self, entries: list[str], keys: list[str], present: Iterable[str] | None = None
    ) -> str:
        """Entries for one pandoc call, with the @strings and every parent they inherit from.

        ``present``: the keys whose own entry is among ``entries`` (default: all ``keys``).
        """
        inside = set(keys if present is None else present)
        parents = [p for k in keys for p in self.parents.get(k, []) if p not in inside]
        extra = [self.raw_entries[p] for p in dict.fromkeys(parents)]
        return self.strings + "\n\n" + "\n\n".join(entries + extra) + "\n"

    def _run_csljson(self, keys: list[str]) -> list[str]:
        """CSL-JSON items; titles as written (pandoc sentence-cases English ones for CSL).

        pandoc reads each entry's as-written copy (``_as_written``); the entry itself only when
        it reads differently in more than the titles taken from the copy: a language, or a title
        field of its own (``shorttitle``, ``maintitle``...). Most entries need one reading, not
        two (tests/test_citeproc_csljson.py checks both ways give the same items).
        """
        copies = {k: _as_written(self.raw_entries[k], k, f"{k}{_COPY}") for k in keys}
        originals = [
            k for k in keys if _read_twice(self._source(k)) or f"{k}{_COPY}," not in copies[k]
        ]
        with tempfile.TemporaryDirectory() as tmp:
            bib = Path(tmp, "references.bib")
            entries = [self.raw_entries[k] for k in originals] + list(copies.values())
            bib.write_text(self._batch_bib(entries, keys, originals), encoding="utf-8")
            items = {
                item["id"]: item
                for item in json.loads(_pandoc([str(bib), "-f", "biblatex", "-t", "csljson"]))
            }
        alone = set(originals)
        for key in keys:
            written = items.get(f"{key}{_COPY}", {})
            if key not in alone and written:  # the copy is the entry, but for id and language
                items[key] = {k: v for k, v in written.items() if k != "language"} | {"id": key}
                continue
            for name in ("title", "container-title", "collection-title"):
                if name in written:
                    items[key][name] = written[name]
        return [json.dumps(items[key], ensure_ascii=False, sort_keys=True) for key in keys]

    def _run_rich(self, keys: list[str]) -> list[str]:
        """Each entry's math-holding fields as written, as HTML with MathML (JSON per entry)."""
        copies = [_as_written(self.raw_entries[k], k, f"{_COPY}{i}") for i, k in enumerate(keys)]
        fields = "".join(f"@@LR-FIELD {n}@@$references.{n}$\n" for n in RICH_FIELDS)
        template = f"$for(references)$\n@@LR-ITEM $references.id$@@\n{fields}$endfor$\n"
        with tempfile.TemporaryDirectory() as tmp:
            bib, tpl = Path(tmp, "references.bib"), Path(tmp, "fields.html")
            bib.write_text(self._batch_bib(copies, keys), encoding="utf-8")
            tpl.write_text(template, encoding="utf-8")
            options = ["-t", "html", "--mathml", "--wrap=none", f"--template={tpl}"]
            out = _pandoc([str(bib), "-f", "biblatex", *options])
        found: dict[str, dict[str, str]] = {}
        for block in out.split("@@LR-ITEM ")[1:]:
            ident, _, rest = block.partition("@@\n")
            parts = re.split(r"^@@LR-FIELD (\w+)@@", rest, flags=re.M)
            found[ident] = {
                name: value.strip()
                for name, value in zip(parts[1::2], parts[2::2], strict=True)
                if "<math" in value or 'class="math' in value
            }
        return [
            json.dumps(found.get(f"{_COPY}{i}", {}), ensure_ascii=False, sort_keys=True)
            for i in range(len(keys))
        ]

    def _run_bibliography(self) -> str:
        return self._run_citeproc(self._whole(), _nocite("@*"))

    def _run_notes(self, wanted: list[tuple[str, str | None]]) -> list[str]:
        copies, paragraphs = [], []
        for i, (key, locator) in enumerate(wanted):
            copy_key = f"{key}{_COPY}{i}"
            copies.append(
                re.sub(
                    r"^(\s*@\w+\s*[{(]\s*)" + re.escape(key),
                    rf"\g<1>{copy_key}",
                    self.raw_entries[key],
                    count=1,
                )
            )
            suffix = f", {_escape_locator(locator)}" if locator else ""
            paragraphs.append(f"[@{{{copy_key}}}{suffix}]")
        bib = self._batch_bib(copies, [key for key, _ in wanted])
        out = self._run_citeproc(bib, "\n\n".join(paragraphs) + "\n")
        bodies = {int(m["n"]): m["body"] for m in _NOTE.finditer(out)}
        return [bodies.get(i + 1, "") for i in range(len(wanted))]

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
                    "--mathml",
                ]
            )


def _nocite(citations: str) -> str:
    """A document that cites nothing but lists ``citations`` in its bibliography."""
    return f"---\nnocite: '{citations}'\n...\n"


def _bibliography_entries(html_out: str) -> dict[str, Formatted]:
    """pandoc's bibliography HTML -> key: formatted entry, in the order printed."""
    return {html.unescape(m["key"]): _formatted(m["body"]) for m in _ENTRY.finditer(html_out)}


_PARENT = re.compile(r"(?:^|[,{(])\s*(crossref|xdata)\s*=\s*[{\"]([^}\"]*)[}\"]", re.I | re.M)
_ENTRYSET = re.compile(r"(?:^|[,{(])\s*entryset\s*=\s*[{\"]([^}\"]*)[}\"]", re.I | re.M)


_LANGID = re.compile(r"((?:^|[,{(])\s*langid\s*=\s*)([{\"])[^}\"]*([}\"])", re.I | re.M)


_TITLE = re.compile(r"(?:^|[,{(])\s*title\s*=\s*", re.IGNORECASE | re.MULTILINE)


def _read_twice(source: str) -> bool:
    """Whether pandoc may read ``source`` (an entry and its parents) and its as-written copy
    differently beyond the titles taken from the copy. A title with a colon gets a short
    title (the part before it), sentence-cased unless written: unchanged when that part has
    no capital but its first letter."""
    if _READ_TWICE.search(source):
        return True
    for match in _TITLE.finditer(source):
        rest = source[match.end() :]
        if not rest.startswith("{"):
            return True  # quoted or a macro: not worth parsing here
        depth, end = 0, len(rest)
        for i, char in enumerate(rest):
            depth += {"{": 1, "}": -1}.get(char, 0)
            if depth == 0:
                end = i
                break
        head = re.split(r"[:?!.]", rest[1:end], maxsplit=1)[0]
        if any(c.isupper() for c in head[1:]) or re.search(r"\\[A-Za-z]", head):
            return True
    return False


def _as_written(raw: str, key: str, copy_key: str) -> str:
    """A copy of an entry under ``copy_key`` whose language keeps pandoc from re-casing titles."""
    has_langid = _LANGID.search(raw) is not None
    added = "" if has_langid else "\n  langid = {x-as-written},"
    renamed = re.sub(
        r"^(\s*@\w+\s*[{(]\s*)" + re.escape(key) + r"\s*,",
        lambda m: f"{m[1]}{copy_key},{added}",
        raw,
        count=1,
    )
    return _LANGID.sub(r"\1\2x-as-written\3", renamed) if has_langid else renamed


def _parents(key: str, raw_entries: dict[str, str]) -> list[str]:
    """The keys an entry inherits from (``crossref``, ``xdata``), and theirs, each once."""
    found: list[str] = []
    todo = [key]
    while todo:
        for match in _PARENT.finditer(raw_entries.get(todo.pop(), "")):
            for parent in (p.strip() for p in match[2].split(",")):
                if parent in raw_entries and parent != key and parent not in found:
                    found.append(parent)
                    todo.append(parent)
    return found


def _members(raw: str) -> list[str]:
    match = _ENTRYSET.search(raw)
    return [m.strip() for m in match[1].split(",") if m.strip()] if match else []


def _empty(formatted: Formatted | None) -> bool:
    return formatted is not None and formatted.text.strip(" .").lower() in {"", "n.d"}


def _braced_string(block: str) -> str:
    """``@string(name = ...)`` as ``@string{name = ...}``: pandoc reads only braces."""
    match = re.match(r"(\s*@string\s*)\((.*)\)(\s*)$", block, re.I | re.S)
    return f"{match[1]}{{{match[2]}}}{match[3]}" if match else block


def _write_atomically(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(target)


def _raw_entries(bib_text: str) -> dict[str, str]:
    bibliography, _ = parse_bibliography("references.bib", bib_text)
    return {key: entry.source for key, entry in bibliography.entries.items()}


def _escape_locator(locator: str) -> str:
    """A locator is text: every ASCII punctuation character is escaped for pandoc's Markdown."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", locator)


# A process that formats again and again (``litreview serve``) reads and parses each cached
# result once. Formatted is frozen and the CSL-JSON items are never changed after parsing.
_ITEMS_READ: dict[Path, tuple[int, dict[str, str]]] = {}


def _read_items(path: Path) -> dict[str, str]:
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        return {}
    known = _ITEMS_READ.get(path)
    if known is None or known[0] != stamp:
        known = (stamp, json.loads(path.read_text("utf-8")))
        _ITEMS_READ[path] = known
    return dict(known[1])


@functools.lru_cache(maxsize=65_536)
def _item(text: str) -> dict[str, Any]:
    return dict(json.loads(text))


def _with_rich(item: dict[str, Any], rich: str | None) -> dict[str, Any]:
    """The item, with its math-holding fields as ``Formatted`` under ``RICH`` (never exported)."""
    fields = _rich_fields(rich) if rich else {}
    return {**item, RICH: fields} if fields else item


@functools.lru_cache(maxsize=65_536)
def _rich_fields(rich: str) -> dict[str, Formatted]:
    return {name: _formatted(body) for name, body in json.loads(rich).items()}


def rich_field(item: dict[str, Any], name: str) -> Formatted | None:
    """A CSL-JSON field holding TeX math, as safe HTML with MathML and as plain text."""
    found = (item.get(RICH) or {}).get(name)
    return found if isinstance(found, Formatted) else None


def item_title_text(item: dict[str, Any]) -> str:
    """An item's title as plain text: no markup, no TeX (math as Unicode text where it can)."""
    rich = rich_field(item, "title")
    return rich.text if rich else title_text(str(item.get("title") or ""))


def unconverted_math(fragment: str) -> list[str]:
    """The formulas pandoc could not convert, each shown as its TeX in ``<code>``."""
    return [html.unescape(m) for m in re.findall(r'<code class="lr-tex">(.*?)</code>', fragment)]


# A formula pandoc could not convert to MathML: shown as its TeX, in <code>.
_MATH_AS_TEX = re.compile(r'<span class="math (?:inline|display)">(.*?)</span>', re.DOTALL)
_MATH = re.compile(r"<math\b.*?</math>", re.DOTALL)
_TEX = re.compile(r'<annotation encoding="application/x-tex">(.*?)</annotation>', re.DOTALL)


def _tex_code(match: re.Match[str]) -> str:
    tex = re.sub(r"^(\$\$?|\\[(\[])|(\$\$?|\\[)\]])$", "", match[1].strip())
    return f'<code class="lr-tex">{tex}</code>'


_DOLLAR_MATH = re.compile(r"(?<!\\)\$(.+?)(?<!\\)\$")


def title_text(title: str) -> str:
    """A CSL-JSON title as plain text: its markup (``<i>``) gone, ``$x$`` as the TeX ``x``."""
    return " ".join(plain_text(_DOLLAR_MATH.sub(r"\1", title)).split())


def math_text(fragment: str) -> str:
    """Plain text of HTML with MathML: each formula as Unicode text (``√s = 13``), no markup."""
    fragment = _MATH.sub(lambda m: html.escape(mathml_text(m[0]), quote=False), fragment)
    return re.sub(r"\s+", " ", plain_text(fragment)).strip()


class _MathTree(HTMLParser):
    """MathML as nested lists: ``[tag, child...]``, text as strings."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[list[Any]] = [["root"]]

    def handle_starttag(self, tag: str, _attrs: list[tuple[str, str | None]]) -> None:
        node: list[Any] = [tag]
        self.stack[-1].append(node)
        if tag not in {"mspace", "none", "mprescripts"}:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, _attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].append([tag])

    def handle_endtag(self, tag: str) -> None:
        while len(self.stack) > 1:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        self.stack[-1].append(data)


_MINUS = "\u2212"
_SUPERSCRIPT = str.maketrans(
    f"0123456789+-{_MINUS}=()ni",
    "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"
    "\u207a\u207b\u207b\u207c\u207d\u207e\u207f\u2071",
)
_SUBSCRIPT = str.maketrans(
    f"0123456789+-{_MINUS}=()",
    "\u2080\u2081\u2082\u2083\u2084\u2085\u2086\u2087\u2088\u2089"
    "\u208a\u208b\u208b\u208c\u208d\u208e",
)
# An accent over one letter (``\bar{B}``) as the combining character after it.
_ACCENTS = {"\u00af": "\u0304", "\u203e": "\u0305", "\u2015": "\u0305", "^": "\u0302"}
_ACCENTS |= {"\u02c6": "\u0302", "~": "\u0303", "\u02dc": "\u0303", "\u2192": "\u20d7"}
_ACCENTS |= {"\u20d7": "\u20d7", "\u02d9": "\u0307", "\u00a8": "\u0308"}
# Operators printed with a space either side: = < > <= >= != ~ -> <- <-> +- x => in.
_SPACED = frozenset("=<>\u2264\u2265\u2260\u2248\u223c\u2192\u2190\u2194\u00b1\u00d7\u21d2\u2208")


def _script(text: str, table: dict[int, int], mark: str) -> str:
    turned = text.translate(table)
    if all(c != o for c, o in zip(turned, text, strict=True)):
        return turned
    return mark + _grouped(text)


def _grouped(text: str) -> str:
    return text if len(text) <= 1 or text.isalnum() else f"({text})"


def _over(kids: list[str], tag: str) -> str:
    if tag == "mover" and kids[1] in _ACCENTS:
        return kids[0] + _ACCENTS[kids[1]] if len(kids[0]) == 1 else kids[0]
    return kids[0] + _script(kids[1], _SUPERSCRIPT, "^")


_LAYOUT: dict[tuple[str, int], Callable[[list[str], str], str]] = {
    ("msqrt", -1): lambda kids, _: "\u221a" + _grouped("".join(kids)),
    ("mroot", 2): lambda kids, _: f"{kids[1]}\u221a{_grouped(kids[0])}",
    ("mfrac", 2): lambda kids, _: f"{_grouped(kids[0])}/{_grouped(kids[1])}",
    ("msup", 2): _over,
    ("mover", 2): _over,
    ("msub", 2): lambda kids, _: kids[0] + _script(kids[1], _SUBSCRIPT, "_"),
    ("munder", 2): lambda kids, _: kids[0] + _script(kids[1], _SUBSCRIPT, "_"),
    ("msubsup", 3): lambda kids, _: (
        kids[0] + _script(kids[1], _SUBSCRIPT, "_") + _script(kids[2], _SUPERSCRIPT, "^")
    ),
}
_LAYOUT[("munderover", 3)] = _LAYOUT[("msubsup", 3)]


def _math_node(node: list[Any] | str) -> str:
    if isinstance(node, str):
        return node
    tag = node[0]
    if tag == "annotation":
        return ""
    kids = [_math_node(k) for k in node[1:] if not isinstance(k, str) or k.strip()]
    if tag == "mo":
        text = "".join(kids).strip()
        return f" {text} " if text in _SPACED else text
    layout = _LAYOUT.get((tag, len(kids))) or _LAYOUT.get((tag, -1))
    if layout:
        return layout(kids, tag)
    return " " if tag == "mspace" else "".join(kids)


def mathml_text(fragment: str) -> str:
    """One MathML formula as plain Unicode text: ``√s = 13``, ``x²``, ``1/2``; no TeX."""
    tree = _MathTree()
    tree.feed(fragment)
    tree.close()
    return " ".join(_math_node(tree.stack[0]).split())


@functools.lru_cache(maxsize=65_536)
def _formatted(body: str) -> Formatted:
    fragment = safe_html(_MATH_AS_TEX.sub(_tex_code, body.strip()))
    return Formatted(_searchable(fragment), math_text(fragment))


def _searchable(fragment: str) -> str:
    """Each formula kept out of the search index, which gets its plain text instead (hidden)."""
    return _MATH.sub(
        lambda m: (
            f"<span data-search-exclude>{m[0]}</span><span class="
            f'"lr-math-text" hidden>{html.escape(mathml_text(m[0]), quote=False)}</span>'
        ),
        fragment,
    )


_MATH_WARNING = "[WARNING] Could not convert TeX math"


@functools.cache
def pandoc_identity() -> str:
    """Which pandoc formats, for the cache keys: another pandoc may format differently, so its
    results must not be served from the cache. The size of the binary pypandoc ships (another
    release differs), read without running it: ``pandoc --version`` costs a warm build 0.5 s.
    """
    bundled = Path(pypandoc.__file__).parent / "files" / "pandoc"
    found = bundled if bundled.is_file() else shutil.which("pandoc")
    return f"pandoc:{Path(found).stat().st_size}" if found else "pandoc:?"


def _pandoc(arguments: list[str]) -> str:
    """pandoc's output; any warning but a formula it shows as TeX (see ``_formatted``) fails."""
    command = [pypandoc.get_pandoc_path(), *arguments]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    warnings = [w for w in re.split(r"^(?=\[WARNING\])", result.stderr, flags=re.M) if w.strip()]
    serious = [w for w in warnings if not w.startswith(_MATH_WARNING)]
    if result.returncode != 0 or serious:
        message = "".join(serious).strip() or f"pandoc exited with {result.returncode}"
        raise CiteprocError(message)
    return result.stdout
