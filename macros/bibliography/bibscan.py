"""A forgiving reader of real-world BibTeX, as BibTeX, biber and pandoc read it.

bibtexparser (``bibtex.py``) stays the strict reader of the curated library. This one reads
what reference managers write, for ``litreview import``:

- ``@type{key, ...}`` and ``@type(key, ...)`` blocks; anything between blocks is a comment;
- ``@string`` macros (also parenthesised) and the month macros ``jan`` ... ``dec``;
- ``#`` concatenation of braced, quoted, numeric and macro parts;
- ``@comment`` blocks skipped whole (JabRef keeps its groups tree in one), ``@preamble`` kept;
- field names compared lower-cased; a field given twice kept as BibTeX keeps it (the first
  value: bibtex.web says "I'm ignoring ...'s extra ... field"), the later value reported.

Values come out as the text between the delimiters, concatenated, nothing decoded; braces are
balanced as BibTeX counts them (a backslash does not escape a brace).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTH_MACROS = {name[:3].lower(): str(n) for n, name in enumerate(MONTH_NAMES, start=1)}

_IDENT = re.compile(r"[^\s\"#%'(),={}]+")
_TYPE = re.compile(r"[A-Za-z][\w-]*")
_SPACE = re.compile(r"\s*")


@dataclass
class ScannedField:
    name: str  # lower-cased
    value: str  # the parts joined, delimiters removed, nothing decoded
    line: int
    written_name: str  # as in the file, e.g. "Bdsk-Url-1"
    macros: list[str] = field(default_factory=list)  # undefined macros kept as their name
    month_macro: bool = False  # the whole value was one month macro (``month = oct``)
    concatenated: bool = False


@dataclass
class ScannedEntry:
    entry_type: str  # as written
    key: str  # "" when the entry has none
    line: int
    fields: dict[str, ScannedField]
    duplicates: list[ScannedField] = field(default_factory=list)  # later values, ignored
    parenthesised: bool = False


@dataclass(frozen=True)
class ScanError:
    line: int
    message: str


@dataclass
class ScanResult:
    entries: list[ScannedEntry] = field(default_factory=list)
    strings: dict[str, str] = field(default_factory=dict)
    string_count: int = 0
    comments: int = 0
    preambles: list[str] = field(default_factory=list)
    errors: list[ScanError] = field(default_factory=list)
    # True when the text ends inside an unclosed block: appending to it would be swallowed.
    unclosed_at_end: bool = False


class _SyntaxError(Exception):
    def __init__(self, position: int, message: str) -> None:
        super().__init__(message)
        self.position = position
        self.message = message


class _Scanner:
    def __init__(self, text: str, strings: dict[str, str] | None = None) -> None:
        self.text = text
        self.pos = 0
        self.result = ScanResult(strings=dict(strings or {}))
        self._line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]

    def line(self, position: int) -> int:
        return bisect.bisect_right(self._line_starts, position)

    def skip_space(self) -> None:
        match = _SPACE.match(self.text, self.pos)
        self.pos = match.end() if match else self.pos

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def expect(self, chars: str, what: str) -> str:
        self.skip_space()
        char = self.peek()
        if not char or char not in chars:
            found = f"'{char}'" if char else "the end of the file"
            raise _SyntaxError(self.pos, f"expected {what}, found {found}")
        self.pos += 1
        return char

    def scan(self) -> ScanResult:
        text = self.text
        while (at := text.find("@", self.pos)) >= 0:
            self.pos = at + 1
            self.skip_space()
            kind = _TYPE.match(text, self.pos)
            if not kind:
                continue
            after = kind.end()
            opener = _SPACE.match(text, after)
            open_at = opener.end() if opener else after
            if open_at >= len(text) or text[open_at] not in "{(":
                if kind[0].lower() != "comment":
                    self.pos = after
                    continue
                self.pos = after  # "@comment text": ignored up to the next @
                self.result.comments += 1
                continue
            self.pos = open_at + 1
            try:
                self.block(kind[0], at, text[open_at])
            except _SyntaxError as problem:
                at_end = problem.position >= len(text)
                line = self.line(at if at_end else problem.position)
                self.result.errors.append(ScanError(line, problem.message))
                self.result.unclosed_at_end = self.result.unclosed_at_end or at_end
                self.resync(at)
        return self.result

    def resync(self, start: int) -> None:
        """Continue at the next line that starts with ``@``, as BibTeX does after an error."""
        match = re.compile(r"^[ \t]*@", re.MULTILINE).search(self.text, start + 1)
        self.pos = match.start() if match else len(self.text)

    def block(self, kind: str, at: int, opener: str) -> None:
        closer = "}" if opener == "{" else ")"
        lowered = kind.lower()
        if lowered == "comment":
            self.balanced(opener, closer, at)
            self.result.comments += 1
        elif lowered == "preamble":
            self.result.preambles.append(self.value(at)[0])
            self.expect(closer, f"'{closer}' closing the @preamble")
        elif lowered == "string":
            self.string(closer)
        else:
            self.entry(kind, at, opener, closer)

    def balanced(self, opener: str, closer: str, at: int) -> str:
        """Text up to the matching closer (braces counted as BibTeX counts them)."""
        if opener == "{":
            return self.braced(at)
        depth, begin, text = 0, self.pos, self.text
        while self.pos < len(text):
            char = text[self.pos]
            self.pos += 1
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            elif char == closer and depth <= 0:
                return text[begin : self.pos - 1]
        raise _SyntaxError(len(text), f"the block opened on line {self.line(at)} is never closed")

    def string(self, closer: str) -> None:
        self.skip_space()
        name = _IDENT.match(self.text, self.pos)
        if not name:
            raise _SyntaxError(self.pos, "@string has no name")
        self.pos = name.end()
        self.expect("=", "'=' after the @string name")
        value = self.value(self.pos)[0]
        self.result.strings[name[0].lower()] = value
        self.result.string_count += 1
        self.skip_space()
        if self.peek() == ",":
            self.pos += 1
        self.expect(closer, f"'{closer}' closing the @string")

    def entry(self, kind: str, at: int, opener: str, closer: str) -> None:
        self.skip_space()
        key_start = self.pos
        text = self.text
        stops = ",\n\r\t =" + closer + ("}" if closer == ")" else "")
        while self.pos < len(text) and text[self.pos] not in stops:
            self.pos += 1
        key = text[key_start : self.pos]
        self.skip_space()
        if self.peek() == "=":  # "@book{title = ...": no key, the first word is a field
            self.pos, key = key_start, ""
        entry = ScannedEntry(kind, key, self.line(at), {}, parenthesised=opener == "(")
        self.skip_space()
        if self.peek() == closer:
            self.pos += 1
            self.result.entries.append(entry)
            return
        if key:
            self.expect(",", f"',' after the key '{key}'")
        while True:
            self.skip_space()
            char = self.peek()
            if char == closer:
                self.pos += 1
                break
            if char == ",":
                self.pos += 1
                continue
            if not char:
                raise _SyntaxError(len(text), f"entry '{key}' is never closed (a brace is missing)")
            if char == "@":
                raise _SyntaxError(self.pos, f"entry '{key}' is not closed before the next entry")
            self.field(entry, closer)
        self.result.entries.append(entry)

    def field(self, entry: ScannedEntry, closer: str) -> None:
        start = self.pos
        name = _IDENT.match(self.text, self.pos)
        if not name:
            raise _SyntaxError(self.pos, f"expected a field name in entry '{entry.key}'")
        self.pos = name.end()
        self.expect("=", f"'=' after the field name '{name[0]}'")
        value, macros, month, joined = self.value(start)
        scanned = ScannedField(
            name[0].lower(), value, self.line(start), name[0], macros, month, joined
        )
        if scanned.name in entry.fields:
            entry.duplicates.append(scanned)
        else:
            entry.fields[scanned.name] = scanned
        self.skip_space()
        if self.peek() not in ("," + closer):
            found = f"'{self.peek()}'" if self.peek() else "the end of the file"
            position = self.pos if self.peek() else len(self.text)
            raise _SyntaxError(position, f"expected ',' after the field '{name[0]}', found {found}")

    def value(self, start: int) -> tuple[str, list[str], bool, bool]:
        """A field value: parts joined by ``#``; returns (text, undefined macros, month, joined)."""
        parts: list[str] = []
        undefined: list[str] = []
        month = False
        while True:
            self.skip_space()
            char = self.peek()
            if char == "{":
                self.pos += 1
                parts.append(self.braced(start))
            elif char == '"':
                self.pos += 1
                parts.append(self.quoted(start))
            elif (word := _IDENT.match(self.text, self.pos)) is not None:
                self.pos = word.end()
                name = word[0]
                if name.isdigit():
                    parts.append(name)
                elif name.lower() in self.result.strings:
                    parts.append(self.result.strings[name.lower()])
                elif name.lower() in MONTH_MACROS:
                    parts.append(MONTH_NAMES[int(MONTH_MACROS[name.lower()]) - 1])
                    month = True
                else:
                    parts.append(name)
                    undefined.append(name)
            else:
                found = f"'{char}'" if char else "the end of the file"
                raise _SyntaxError(
                    self.pos if char else len(self.text), f"expected a value, found {found}"
                )
            self.skip_space()
            if self.peek() != "#":
                break
            self.pos += 1
        if month and len(parts) == 1:
            return MONTH_MACROS[parts[0][:3].lower()], undefined, True, False
        return "".join(parts), undefined, False, len(parts) > 1

    def braced(self, start: int) -> str:
        depth, begin, text = 1, self.pos, self.text
        while self.pos < len(text):
            char = text[self.pos]
            self.pos += 1
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    return text[begin : self.pos - 1]
        raise _SyntaxError(len(text), f"a brace opened on line {self.line(start)} is never closed")

    def quoted(self, start: int) -> str:
        depth, begin, text = 0, self.pos, self.text
        while self.pos < len(text):
            char = text[self.pos]
            self.pos += 1
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            elif char == '"' and depth == 0:
                return text[begin : self.pos - 1]
        raise _SyntaxError(len(text), f"a quote opened on line {self.line(start)} is never closed")


def scan(text: str, strings: dict[str, str] | None = None) -> ScanResult:
    """Every block of ``text``; errors carry their line, and reading goes on after them."""
    return _Scanner(text.removeprefix("\ufeff"), strings).scan()


def join_parts(value: str, strings: dict[str, str]) -> tuple[str, list[str]]:
    """An unbraced value such as ``dtv # { and Co}`` joined as BibTeX joins it.

    ``strings`` are the ``@string`` macros (lower-cased names); a part that is neither text
    nor a known macro stays as its name and is returned in the list of undefined macros. A
    value that cannot be read comes back as written, with itself as the undefined part.
    """
    scanner = _Scanner(value, strings)
    try:
        joined, undefined, month, _ = scanner.value(0)
    except _SyntaxError:
        return value, [value]
    if scanner.pos < len(value.rstrip()):
        return value, [value]
    return (MONTH_NAMES[int(joined) - 1] if month else joined), undefined
