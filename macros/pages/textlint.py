"""A lint over built pages for what a reader would notice: glitches in the words, empty parts.

``lint_page(html)`` returns one message per problem (``line: message``); the build tests run it
over every page of the shipped site and the mini fixture. It reads the page's article only (not
the theme's navigation) and skips code, preformatted text, scripts and styles.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

SKIPPED = frozenset({"code", "pre", "script", "style", "kbd", "samp", "svg", "template"})
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Void elements never get an end tag: they must not count as open.
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"})
VOID |= {"source", "track", "wbr", "param"}

# Elements whose edges end a sentence-like run of text.
BLOCKS = frozenset({"p", "li", "td", "th", "tr", "div", "dt", "dd", "blockquote", "section"})
BLOCKS |= {"nav", "figcaption", "caption", "header", "footer", "aside", "summary", "br", "hr"}
BLOCKS |= set(HEADINGS) | {"table", "ul", "ol", "dl", "figure", "details", "form", "label"}
# Where a title is printed as it is ("in The Journal of ..."): not checked for articles.
TITLED = frozenset({"a", "cite", "em", "i", "q", "strong", "b"})
BREAK = "\u2029"
DOUBLED = re.compile(r"(?<![.\d])(\.\.|,,|;;|,\.|;\.|:\.)(?![.\d])|(?<=\w) [.,;](?= |$)")
# "1 papers": one followed by a plural; "0 claims": a zero count shown instead of nothing.
COUNTABLE = r"[a-z]*[^s\W]s"
ONE_PLURAL = re.compile(rf"(?<![\d.,])\b1 ({COUNTABLE})\b")
ZERO_COUNT = re.compile(rf"(?<![\d.,])\b0 ({COUNTABLE})\b")
NOT_PLURAL = frozenset({"news", "series", "species", "is", "was", "has", "this", "thus", "its"})
NOT_PLURAL |= {"says", "shows", "gives", "lists", "reads", "cites", "prints", "names", "means"}
# "attributed to The UNDP": a capitalised article after a lower-case word, mid-sentence.
MID_ARTICLE = re.compile(r"\b[a-z]{2,} (The|An) (?=[A-Za-z])")
# "... Roads- Note 2": two Markdown list items run together into one (a template lost a newline).
JOINED_ITEMS = re.compile(r"(?<=[\w.)\u201d\u2019])- (?=[A-Z\d\u201c])")


@dataclass
class _Block:
    tag: str
    line: int
    text: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    """Collects the article's text by block, its headings' structure and its table rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside <article>
        self.skip = 0
        self.texts: list[tuple[int, str, bool]] = []  # line, text, inside a title-like element
        self.titled = 0
        self.problems: list[str] = []
        self.heading: tuple[str, int, str] | None = None  # tag, line, text (open heading)
        self.pending: tuple[str, int, str] | None = None  # heading waiting for content
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.row_line = 0
        self.in_header_row = False
        self.term = ""  # the last <dt>'s text
        self.definition: list[str] | None = None  # an open <dd>'s text (None: none open)
        self.definition_line = 0

    # The parts of a page that are its content: Material's <article>.
    def handle_starttag(self, tag: str, _attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
            return
        if self.depth and tag in BLOCKS:
            self.texts.append((self.getpos()[0], BREAK, False))
        if not self.depth or tag in VOID:
            if self.depth and tag == "img":
                self._content()
            return
        self._start_definition(tag)
        if tag in TITLED:
            self.titled += 1
        if tag in SKIPPED:
            self.skip += 1
            self._content()
            if not self.skip - 1:  # code reads as a word in the sentence around it
                self.texts.append((self.getpos()[0], "CODE", True))
                if self.cell is not None:
                    self.cell.append("CODE")
        elif tag in HEADINGS:
            self._close_pending(tag)
            self.heading = (tag, self.getpos()[0], "")
        elif tag == "tr":
            self.row, self.row_line, self.in_header_row = [], self.getpos()[0], False
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
            self.in_header_row = self.in_header_row or tag == "th"
        elif tag in ("table", "ul", "ol", "dl", "figure", "details", "form", "iframe"):
            self._content()

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self.depth:
            self.depth -= 1
            if not self.depth:
                self._close_pending(None)
            return
        if not self.depth:
            return
        if tag in BLOCKS:
            self.texts.append((self.getpos()[0], BREAK, False))
        self._end_definition(tag)
        if tag in TITLED and self.titled:
            self.titled -= 1
        if tag in SKIPPED and self.skip:
            self.skip -= 1
        elif tag in HEADINGS and self.heading is not None:
            kind, line, text = self.heading
            self.heading = None
            if not text.strip():
                self.problems.append(f"{line}: empty heading <{kind}>")
            self.pending = (kind, line, " ".join(text.split()))
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            cells, self.row = self.row, None
            if not self.in_header_row and cells and not any(cells[1:] if len(cells) > 1 else cells):
                label = f" '{cells[0]}'" if cells[0] else ""
                self.problems.append(f"{self.row_line}: empty table row{label}")

    def handle_data(self, data: str) -> None:
        if not self.depth or self.skip:
            return
        if self.heading is not None:
            kind, line, text = self.heading
            self.heading = (kind, line, text + data.replace("¶", ""))
            return
        if data.strip():
            self._content()
        if self.cell is not None:
            self.cell.append(data)
        if self.definition is not None:
            self.definition.append(data)
        elif self.lasttag == "dt":
            self.term += data
        self.texts.append((self.getpos()[0], data, bool(self.titled)))

    def _start_definition(self, tag: str) -> None:
        if tag == "dt":
            self.term = ""
        elif tag == "dd":
            self.definition, self.definition_line = [], self.getpos()[0]
        elif self.definition is not None:
            self.definition.append(tag)  # an element (a link, code, a button) is content

    def _end_definition(self, tag: str) -> None:
        """A definition (``<dd>``) with nothing in it: an empty row of a metadata list."""
        if tag != "dd" or self.definition is None:
            return
        if not "".join(self.definition).strip():
            label = f" '{' '.join(self.term.split())}'" if self.term.strip() else ""
            self.problems.append(f"{self.definition_line}: empty definition{label}")
        self.definition = None

    def _content(self) -> None:
        self.pending = None

    def _close_pending(self, next_heading: str | None) -> None:
        """A heading followed by nothing, or by a heading of its own level or above, is empty."""
        if self.pending is None:
            return
        kind, line, text = self.pending
        if next_heading is None or next_heading <= kind:
            self.problems.append(f"{line}: heading '{text}' has nothing under it")
        self.pending = None


def lint_page(page: str) -> list[str]:
    """The problems a reader would see on one built page (its article only)."""
    reader = _Reader()
    reader.feed(page)
    reader.close()
    problems = list(reader.problems)
    # Text runs are joined so that "work." + "." across an element boundary is seen as "..".
    line_of: list[int] = []
    text = plain = ""
    for line, data, titled in reader.texts:
        line_of.extend([line] * len(data))
        text += data
        plain += "X" * len(data) if titled and data != BREAK else data
    flat = text.replace("\n", " ")
    for pattern, message, where_text in (
        (DOUBLED, "doubled or stray punctuation", flat),
        (MID_ARTICLE, "capitalised article mid-sentence", plain.replace("\n", " ")),
        (JOINED_ITEMS, "two list items run together", flat),
    ):
        for match in pattern.finditer(where_text):
            where = line_of[match.start()] if line_of else 1
            around = " ".join(flat[max(0, match.start() - 30) : match.end() + 20].split())
            problems.append(f"{where}: {message}: '{around}'")
    for pattern, message in ((ONE_PLURAL, "'1' with a plural"), (ZERO_COUNT, "a zero count")):
        for match in pattern.finditer(flat):
            if match[1] in NOT_PLURAL or match[1].endswith(("ss", "us", "is")):
                continue
            where = line_of[match.start()] if line_of else 1
            problems.append(f"{where}: {message}: '{match[0]}'")
    return problems


_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_PARTS = re.compile(r"[,;:()\[\]|·]|\s[-\u2013\u2014]\s|¶\s*\d+|\s+\d+$")


def visible_values(page: str) -> list[str]:
    """What a reader reads as separate values: the tab title's parts and each text run of the
    article (split at commas, semicolons, brackets and dashes), without code."""
    reader = _Reader()
    reader.feed(page)
    reader.close()
    title = _TITLE.search(page)
    runs = [html.unescape(title[1]).split(" - ")[0]] if title else []
    runs += [data for _, data, _ in reader.texts if data not in (BREAK, "CODE")]
    return [part.strip() for run in runs for part in _PARTS.split(run) if part.strip()]


def id_like(ident: str) -> bool:
    """An id no reader would take for a word: with a hyphen, an underscore or a digit."""
    return bool(re.search(r"[-_\d]", ident)) and not ident.isdigit()


def ids_shown(page: str, ids: set[str]) -> list[str]:
    """The internal ids a page shows as a value (a link's text, a cell, a list item, a title)
    outside code and URLs: an id inserted where a name or a label belongs. An id-like word
    inside a sentence ("Covid-19 cases") is prose, not a value."""
    wanted = {i for i in ids if id_like(i)}
    # Key-like ids (letters run into digits: ``smith2020``) are found even inside a sentence.
    keylike = {i for i in wanted if re.fullmatch(r"[a-z]+\d{4}[a-z]*", i)}
    found = set()
    for value in visible_values(page):
        if value in wanted:
            found.add(value)
        found |= keylike.intersection(re.findall(r"[\w-]+", value))
    return sorted(found)
