"""What the readers of ``litreview import`` produce: one record per entry, and notes on fixes."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Note:
    """One thing the importer did or noticed, with where it came from."""

    kind: str  # short and stable, counted in the summary: "private field dropped"
    source: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}: " if self.line else f"{self.source}: "
        who = f"{self.key}: " if self.key else ""
        return f"{where}{who}{self.message}"


@dataclass(frozen=True)
class ReadError:
    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


@dataclass
class Record:
    """One entry read from any format: BibTeX-ready values (LaTeX where text), nothing decoded."""

    entry_type: str
    key: str
    fields: dict[str, str]
    source: str
    line: int
    notes: list[Note] = field(default_factory=list)
    # Line of each field in the source, when known.
    field_lines: dict[str, int] = field(default_factory=dict)

    def note(self, kind: str, message: str, name: str | None = None) -> None:
        line = self.field_lines.get(name, self.line) if name else self.line
        self.notes.append(Note(kind, self.source, line, self.key, message))


# --- plain text to BibTeX ----------------------------------------------------------------

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
}
_SPECIAL = re.compile(r"[\\{}%&$#_]")


def latex_text(text: str) -> str:
    """Plain Unicode text as a BibTeX value that reads back as the same text."""
    return _SPECIAL.sub(lambda m: _LATEX_SPECIALS[m[0]], " ".join(text.split()))


def verbatim_text(text: str) -> str:
    """A URL or DOI as a BibTeX value: kept as is, braces made safe."""
    return "".join(text.split()).replace("{", "%7B").replace("}", "%7D")


def bibtex_name(family: str, given: str = "", particle: str = "", suffix: str = "") -> str:
    """One name in BibTeX's ``von Last, Jr, First`` form, each part already plain text."""
    last = latex_text(" ".join(p for p in (particle, family) if p))
    if not given and not suffix:
        return "{" + last + "}" if " " in family else last
    if " and " in f" {family} " or "," in family:
        last = "{" + last + "}"
    parts = [last]
    if suffix:
        parts.append(latex_text(suffix))
    parts.append(latex_text(given))
    return ", ".join(parts)


# --- LaTeX to a comparable ASCII form ------------------------------------------------------

_ACCENT = re.compile(r"\\[^a-zA-Z\s{}]")  # \" \' \^ \` \~ \= \.
_COMMAND = re.compile(r"\\[a-zA-Z]+\*?\s*")


def folded(text: str) -> str:
    """Lower-case ASCII letters and digits of a LaTeX string: for keys and comparisons."""
    text = _COMMAND.sub("", _ACCENT.sub("", text))
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text.lower() if c.isascii() and (c.isalnum() or c == " "))


def words(text: str) -> list[str]:
    """The words of a LaTeX string, folded (non-Latin words survive as NFKC text)."""
    plain = _COMMAND.sub(" ", _ACCENT.sub("", text)).replace("{", "").replace("}", "")
    split = re.split(r"[\W_]+", unicodedata.normalize("NFKC", plain).casefold())
    return [word for word in split if word]


def split_names(value: str) -> list[str]:
    """The names of an author/editor list, split on ``and`` outside braces."""
    names, depth, start, index = [], 0, 0, 0
    while index < len(value):
        char = value[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and value[index : index + 5].lower() == " and " and index >= start:
            names.append(value[start:index].strip())
            start = index + 5
            index += 4
        index += 1
    names.append(value[start:].strip())
    return [n for n in names if n]


def surname(name: str) -> str:
    """The family part of one BibTeX name (``Last, First`` or ``First von Last``)."""
    name = name.strip()
    if name.startswith("{") and name.endswith("}") and "," not in name:
        return name[1:-1]
    if "," in name:
        return name.split(",", 1)[0]
    parts = name.split()
    if not parts:
        return ""
    # "First von Last": the lower-case words before the last are particles.
    index = len(parts) - 1
    while index > 0 and parts[index - 1][:1].islower():
        index -= 1
    return " ".join(parts[index:])
