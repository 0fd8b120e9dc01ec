"""The bibliography index at thousands of entries: the listing split into pages by letter and by
year (each at most ``PART_SIZE`` entries, so no page grows past about 1 MB), and the filter data as
a JavaScript file (``fetch()`` fails from ``file://``; a ``<script src>`` does not).

A library of at most ``PART_SIZE`` entries keeps its single page with every entry on it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from macros.bibliography.bibtex import BibEntry
from macros.bibliography.citeproc import Formatted
from macros.pages.text import attr, slug

PART_SIZE = 250  # entries on one letter or year page: about 150 KB of formatted HTML
DATA_FILE = "references/bibindex.js"
DATA_GLOBAL = "litreviewBibIndex"
NO_YEAR = "n.d."
_YEAR = re.compile(r"\b(\d{4})\b")


@dataclass(frozen=True)
class Part:
    """One page of the split listing: its group (a letter or a year), its number in the group."""

    facet: str  # "letter" or "year"
    group: str
    number: int
    keys: tuple[str, ...]

    @property
    def page(self) -> str:
        name = self.group if self.group != "#" else "other"
        name = "nd" if name == NO_YEAR else name.lower()
        suffix = f"-{self.number}" if self.number > 1 else ""
        return f"references/by-{self.facet}/{name}{suffix}.md"

    @property
    def label(self) -> str:
        return self.group if self.number == 1 else f"{self.group} ({self.number})"


def is_split(keys: Sequence[str]) -> bool:
    return len(keys) > PART_SIZE


def letter(text: str) -> str:
    """The letter a formatted line is filed under: its first letter without accents, or "#"."""
    for char in unicodedata.normalize("NFKD", text):
        if char.isalnum():
            upper = char.upper()[:1]  # ß -> S
            return upper if "A" <= upper <= "Z" else "#"
    return "#"


def year(entry: BibEntry, item: dict[str, Any]) -> str:
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    if parts and parts[0] and str(parts[0][0]).isdigit():
        return str(parts[0][0])
    found = _YEAR.search(entry.get("year", "date") or "")
    return found.group(1) if found else NO_YEAR


def authors(item: dict[str, Any]) -> list[str]:
    people = item.get("author") or item.get("editor") or []
    names = [p.get("family") or p.get("literal") or "" for p in people if isinstance(p, dict)]
    return [name for name in names if name]


def keywords(entry: BibEntry) -> list[str]:
    raw = entry.get("keywords") or ""
    words = (k.strip() for k in re.split(r"[,;]", raw))
    return [w for w in words if w and not w.startswith("source:")]


def _groups(keys: Sequence[str], group_of: Callable[[str], str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for key in keys:
        groups.setdefault(group_of(key), []).append(key)
    return groups


T = TypeVar("T")


def chunked(items: Sequence[T], size: int) -> list[tuple[int, tuple[T, ...]]]:
    """``items`` in pages of at most ``size``, in order: (0-based start, items) each. Every
    long listing is cut this way: the bibliography index, the works index, the PRISMA boxes."""
    return [(start, tuple(items[start : start + size])) for start in range(0, len(items), size)]


def split(
    facet: str, keys: Sequence[str], group_of: Callable[[str], str], *, newest_first: bool = False
) -> list[Part]:
    """The listing for one facet in pages of at most ``PART_SIZE`` entries, keys in given order."""
    groups = _groups(keys, group_of)
    names = sorted(groups, reverse=newest_first)
    if NO_YEAR in names:  # undated last
        names.remove(NO_YEAR)
        names.append(NO_YEAR)
    parts: list[Part] = []
    for name in names:
        members = groups[name]
        for start, chunk in chunked(members, PART_SIZE):
            parts.append(Part(facet, name, start // PART_SIZE + 1, chunk))
    return parts


@dataclass(frozen=True)
class Index:
    """The split listing and the filter records of one library."""

    letters: list[Part]
    years: list[Part]
    records: list[list[Any]]


def build_index(
    keys: Sequence[str],
    entries: dict[str, BibEntry],
    items: dict[str, dict[str, Any]],
    formatted: dict[str, Formatted],
    facets: Callable[[BibEntry], dict[str, str]],
) -> Index:
    text = {k: formatted[k].text if k in formatted else k for k in keys}
    years = {k: year(entries[k], items.get(k, {})) for k in keys}
    records: list[list[Any]] = []
    for key in keys:
        entry, item = entries[key], items.get(key, {})
        f = facets(entry)
        records.append(
            [
                slug(key),
                text[key],
                "; ".join(authors(item)),
                years[key],
                f["type"],
                "; ".join(keywords(entry)),
                f["language"],
                letter(text[key]),
            ]
        )
    return Index(
        split("letter", keys, lambda k: letter(text[k])),
        split("year", keys, years.__getitem__, newest_first=True),
        records,
    )


FIELDS = ("slug", "text", "authors", "year", "type", "keywords", "language", "letter")


def data_script(records: list[list[Any]]) -> str:
    """The filter data as a script: one global, fields named once, one array per entry."""
    data = json.dumps({"fields": FIELDS, "entries": records}, ensure_ascii=False)
    # JSON is valid JavaScript; "</" and the line separators are escaped for good measure.
    data = data.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.{DATA_GLOBAL} = {data};\n"


def ordered_keys(formatted: dict[str, Formatted], entries: dict[str, BibEntry]) -> list[str]:
    """Keys as the citation style sorts them, then any it did not format, by key."""
    ordered = [k for k in formatted if k in entries]
    return ordered + sorted(set(entries) - set(ordered))


def jump_nav(index: Index, href: Callable[[str], str]) -> str:
    """Links to every letter and year page: a plain list that works without JavaScript."""

    def nav(label: str, parts: list[Part]) -> str:
        links = " ".join(
            f'<a href="{attr(href(p.page))}" title="{len(p.keys)} entries">{attr(p.label)}</a>'
            for p in parts
        )
        return (
            f'<nav class="lr-jump" aria-label="{attr(label)}"><b>{attr(label)}:</b> {links}</nav>'
        )

    return nav("By letter", index.letters) + "\n" + nav("By year", index.years)


FILTER_FIELDS = (
    ("Type", "type"),
    ("Keyword", "keywords"),
    ("Language", "language"),
    ("Year", "year"),
)


def filter_form(entry_href: str, data_src: str) -> str:
    """The filter over the whole library; hidden until its script has loaded the data."""
    selects = " ".join(
        f'<label>{label} <select data-field="{field}">'
        '<option value="">all</option></select></label>'
        for label, field in FILTER_FIELDS
    )
    return (
        f'<form class="lr-bibindex" hidden role="search" aria-label="Filter the bibliography" '
        f'data-index="{attr(data_src)}" data-href="{attr(entry_href)}">'
        '<label>Text <input type="search" data-field="text" autocomplete="off"></label> '
        '<label>Author <input type="search" data-field="authors" list="lr-bib-authors" '
        'autocomplete="off"></label><datalist id="lr-bib-authors"></datalist> '
        f"{selects} "
        '<output class="lr-filter-count" aria-live="polite"></output></form>'
        '<ol class="lr-bib-results"></ol>'
    )


SLUG_TOKEN = "LRSLUG"  # stands for an entry's slug in the form's link template
