"""BibTeX field values as plain text for reading: braces, escapes and accent commands undone.

Enough for titles, names and venues shown beside a paper (the formatted reference itself comes
from the citation processor); anything it does not know stays as written.
"""

from __future__ import annotations

import re
import unicodedata

from macros.bibliography.records import split_names

_ACCENTS = {
    '"': "\u0308",
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
}
_ACCENT = re.compile(r"\\([\"'`^~=.]|[uvHc](?=[\s{]))\s*(?:\{(\w)\}|(\w))")
_ESCAPED = re.compile(r"\\([&%$#_{}])")


def plain(value: str) -> str:
    """``Rivers \\& {Roads} in M\\"{u}nchen`` -> ``Rivers & Roads in München``."""
    text = _ACCENT.sub(
        lambda m: unicodedata.normalize("NFC", (m[2] or m[3]) + _ACCENTS[m[1]]), value
    )
    text = _ESCAPED.sub(lambda m: "\x00" + m[1], text)
    text = text.replace("{", "").replace("}", "").replace("---", "\u2014").replace("--", "\u2013")
    return " ".join(text.replace("\x00", "").split())


def display_names(value: str) -> list[str]:
    """The names of an ``author`` field as people read them: ``Doe, Jane Q.`` ->
    ``Jane Q. Doe``; a braced organisation stays whole."""
    names = []
    for name in split_names(value):
        depth, parts, start = 0, [], 0
        for i, char in enumerate(name):
            depth += {"{": 1, "}": -1}.get(char, 0)
            if char == "," and depth == 0:
                parts.append(name[start:i])
                start = i + 1
        parts.append(name[start:])
        parts = [plain(p) for p in parts]
        if len(parts) == 1:
            names.append(parts[0])
        elif len(parts) == 2:
            names.append(f"{parts[1]} {parts[0]}".strip())
        else:  # von Last, Jr, First
            names.append(f"{parts[2]} {parts[0]} {parts[1]}".strip())
    return names
