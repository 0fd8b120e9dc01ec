"""Words readers see in place of internal ids: short labels, short citations, relation names."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from macros.bibliography.citeproc import item_title_text, title_text

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


def counted(count: int, plural: str) -> str:
    """``1 paper``, ``2 papers``, ``1 audit finding``, ``1 entry``: a count with its noun."""
    if count == 1:
        head, _, last = plural.rpartition(" ")
        if last.endswith("ies"):
            last = last[:-3] + "y"
        elif last.endswith("s") and not last.endswith("ss"):
            last = last[:-1]
        plural = f"{head} {last}" if head else last
    return f"{count} {plural}"


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
    year = year or (str(literal) if literal else "")
    return f"{who} {year}".strip() if year else f"{who} (n.d.)"


def _distinct(items: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """Short citations by key; a label several entries share gets letters in the order of their
    titles, as author-date styles do: ``Smith 2021a``, ``Smith 2021b``; ``Agency (n.d.-a)``."""
    labels = {key: short_citation(item, key) for key, item in items.items()}
    groups: dict[str, list[str]] = {}
    for key, label in labels.items():
        groups.setdefault(label, []).append(key)
    out = dict(labels)
    for label, keys in groups.items():
        if len(keys) < 2 or len(keys) > 26:
            continue
        keys.sort(key=lambda k: (str(items[k].get("title") or "").lower(), k))
        for letter, key in zip("abcdefghijklmnopqrstuvwxyz", keys, strict=False):
            out[key] = f"{label[:-1]}-{letter})" if label.endswith("(n.d.)") else label + letter
    return out


class Citations:
    """Short citations by BibTeX key, from the bibliography's CSL-JSON items."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self._items = {str(item.get("id")): item for item in items}
        self._labels = _distinct(self._items)

    def __call__(self, key: str) -> str:
        return self._labels.get(key) or short_citation(None, key)

    def tab_title(self, key: str) -> str:
        """``Author Year: Short title`` for an entry page's tab (its full citation is below)."""
        item = self._items.get(key) or {}
        title = item_title_text(item) if item.get("title") else ""
        title = title_text(str(item["title-short"])) if item.get("title-short") else title
        who = self(key)
        return f"{who}: {short_label(title, words=7, chars=60)}" if title else who


def paper_short(authors: list[str], year: int | str) -> str:
    """``Smith 2020`` from a paper's printed author names (the last word of each)."""
    surnames = [name.split()[-1] for name in authors if name.split()]
    who = f"{surnames[0]} et al." if len(surnames) > 2 else " and ".join(surnames)
    return f"{who} {year}".strip()


ABBREVIATIONS = frozenset({"inc", "ltd", "co", "corp", "al", "etc", "no", "vol", "ed", "eds", "jr"})
ABBREVIATIONS |= {"sr", "st", "dr", "mr", "mrs", "ms", "prof", "dept", "univ", "approx", "cf"}
_LEADING_ARTICLE = re.compile(r"^(The|A|An) (?=\S)")


def unstop(text: str) -> str:
    """A value a template ends with its own full stop: without the stop it may already have,
    so that "work." + "." never prints as "work..". Abbreviations ("Inc.") keep theirs."""
    flat = " ".join(str(text).split())
    if flat.endswith(".") and not flat.endswith(".."):
        last = flat.rsplit(" ", 1)[-1]
        word = last[:-1].lstrip("(\"'\u201c\u2018")
        if last.count(".") == 1 and word.isalpha() and word.lower() not in ABBREVIATIONS:
            return flat[:-1]  # a word's full stop, not "Inc." or "U.N."
    return flat


def mid_sentence(text: str) -> str:
    """A value placed mid-sentence: a leading "The"/"A"/"An" in lower case ("attributed to the
    UNDP's ..."), unless the whole value is a title-cased name ("The Hague")."""
    flat = " ".join(str(text).split())
    match = _LEADING_ARTICLE.match(flat)
    if not match:
        return flat
    rest = flat[match.end() :].split()
    title_cased = len(rest) > 1 and all(w[:1].isupper() for w in rest if len(w) > 3)
    if title_cased:
        return flat
    return match[1].lower() + flat[len(match[1]) :]
