"""Own-words prose that cites: ``[@key]`` or ``[@key, p. 4]`` for a work (a footnote, as
``cite()`` makes on a hand-written page), ``[claim:ID]`` for a claim (a link named by its short
statement) and ``$TeX$`` for math (MathML from pandoc, sanitised). Everything else stays the
literal, escaped prose of ``md_prose``.

The markers are pandoc's own citation syntax, so a synthesis reads the same in a Markdown editor.
Markers are swapped for private-use placeholders before escaping and put back after, so nothing
a marker holds is ever read as Markdown or HTML.
"""

from __future__ import annotations

import functools
import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import escape

import pypandoc

from macros.bibliography.citeproc import safe_html
from macros.pages.text import md_prose

CITATION = re.compile(r"\[@([^\s,;\]\[]+)(?:,\s*([^\]\[]+?))?\s*\]")
CLAIM = re.compile(r"\[claim:([a-z0-9][a-z0-9-]*)\]")
# $...$ with no space inside either dollar and no digit after the closing one (pandoc's rule),
# so "US$ 5 and $6" stays text.
MATH = re.compile(r"(?<![\\$\w])\$(?![\s$])([^$\n]+?)(?<![\s\\])\$(?!\d)")
MARKER = re.compile(f"{CITATION.pattern}|{CLAIM.pattern}|{MATH.pattern}")
_HOLE = "\ue000{}\ue001"
_HOLES = re.compile("\ue000(\\d+)\ue001")


@dataclass(frozen=True)
class Marker:
    kind: str  # "cite", "claim" or "math"
    value: str  # the key, the claim id or the TeX
    locator: str | None = None


def markers(text: str) -> Iterator[Marker]:
    """The citations, claim links and formulas a piece of prose holds, in order."""
    for match in MARKER.finditer(text):
        yield _marker(match)


def _marker(match: re.Match[str]) -> Marker:
    if match[1] is not None:
        return Marker("cite", match[1], match[2])
    if match[3] is not None:
        return Marker("claim", match[3])
    return Marker("math", match[4])


def cited_prose(
    text: str,
    cite: Callable[[str, str | None], str],
    claim: Callable[[str], str],
    stash: Callable[[str], str],
) -> str:
    """Markdown for ``text``: its markers as footnote references, claim links and stashed
    MathML; the rest as ``md_prose`` makes it."""
    made: list[str] = []

    def hole(match: re.Match[str]) -> str:
        marker = _marker(match)
        if marker.kind == "cite":
            made.append(cite(marker.value, marker.locator))
        elif marker.kind == "claim":
            made.append(claim(marker.value))
        else:
            made.append(stash(tex_to_mathml(marker.value)))
        return _HOLE.format(len(made) - 1)

    escaped = md_prose(MARKER.sub(hole, text))
    # A footnote mark sits on the word it follows, as cite() writes it; a run of marks keeps
    # its spaces so that their numbers stay apart.
    escaped = re.sub(r"(?<=[^\s\ue001])\s+(?=\ue000(\d+)\ue001)", _glue(made), escaped)
    return _HOLES.sub(lambda m: made[int(m[1])], escaped)


def _glue(made: list[str]) -> Callable[[re.Match[str]], str]:
    def glue(match: re.Match[str]) -> str:
        return "" if made[int(match[1])].startswith("[^") else match[0]

    return glue


@functools.cache
def tex_to_mathml(tex: str) -> str:
    """One inline formula as sanitised MathML; TeX pandoc cannot read stays TeX in ``<code>``."""
    command = [pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "html", "--mathml"]
    result = subprocess.run(command, input=f"${tex}$", capture_output=True, text=True, check=False)
    fragment = safe_html(result.stdout.strip().removeprefix("<p>").removesuffix("</p>"))
    if "<math" not in fragment:
        return f"<code>{escape(tex)}</code>"
    return fragment
