"""Words readers see in place of internal ids: short labels, short citations, relation names."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

SHORT_WORDS = 9
SHORT_CHARS = 64


def short_label(text: str, words: int = SHORT_WORDS, chars: int = SHORT_CHARS) -> str:
    """The first few words of a statement, cut at a word, for a tab's title or a link."""
    flat = " ".join(str(text).split())
    taken: list[str] = []
    for word in flat.split(" "):
        if len(taken) >= words or len(" ".join([*taken, word])) > chars:
            break
        taken.append(word)
    if not taken:
        return flat[:chars]
    label = " ".join(taken)
    if label == flat:
        return label
    return label.rstrip(",;:.-\u2013\u2014") + "…"


def words(ident: str) -> str:
    """``partners-with`` -> ``partners with``: an id-like value read as words."""
    return re.sub(r"[-_]+", " ", str(ident)).strip()


def _family(person: Mapping[str, Any]) -> str:
    return str(person.get("family") or person.get("literal") or person.get("given") or "").strip()


def short_citation(item: Mapping[str, Any] | None, key: str = "") -> str:
    """``Author Year``, ``A and B Year`` or ``A et al. Year`` from a CSL-JSON item."""
    if not item:
        return key
    people = item.get("author") or item.get("editor") or []
    names = [name for name in (_family(p) for p in people if isinstance(p, Mapping)) if name]
    who = f"{names[0]} et al." if len(names) > 2 else " and ".join(names)
    if not who:
        title = str(item.get("title-short") or item.get("title") or "").strip()
        who = short_label(title, words=5, chars=40) if title else key
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    year = str(parts[0][0]) if parts and parts[0] else ""
    literal = (item.get("issued") or {}).get("literal")
    year = year or (str(literal) if literal else "n.d.")
    return f"{who} {year}".strip()


class Citations:
    """Short citations by BibTeX key, from the bibliography's CSL-JSON items."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self._items = {str(item.get("id")): item for item in items}

    def __call__(self, key: str) -> str:
        return short_citation(self._items.get(key), key)


def paper_short(authors: list[str], year: int | str) -> str:
    """``Amalia 2021`` from a paper's printed author names (the last word of each)."""
    surnames = [name.split()[-1] for name in authors if name.split()]
    who = f"{surnames[0]} et al." if len(surnames) > 2 else " and ".join(surnames)
    return f"{who} {year}".strip()
