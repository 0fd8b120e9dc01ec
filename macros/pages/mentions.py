"""Entity mentions across the site: link the first mention on each page, then list, on every
entity's page, the pages that mention it (collect while pages render, fill when all are done).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape as html_escape
from typing import Any

from macros.content.review import Review

# Text inside these elements is never turned into a link.
_NO_LINK = frozenset(
    {
        "a",
        "code",
        "pre",
        "blockquote",
        "script",
        "style",
        "svg",
        "button",
        "select",
        "option",
        "textarea",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "title",
        "label",
        # Headers and terms label what follows (a sort button wraps a table header's words).
        "th",
        "dt",
    }
)
# Quotations, formatted references and notes keep their words exactly as written.
_NO_LINK_CLASSES = frozenset(
    {
        "lr-formatted-ref",
        "lr-bib-entry",
        "footnote",
        "lr-cited-by",
        "lr-mentioned-in",
        "admonition-title",
    }
)
_CLASS = re.compile(r"""\bclass=["']([^"']*)["']""")
# Text inside these elements is left exactly as it is: no links and no abbreviation marks.
_NO_MARKUP = frozenset(
    {
        "code",
        "pre",
        "script",
        "style",
        "svg",
        "textarea",
        "option",
        "select",
        "title",
        "abbr",
        "kbd",
        "samp",
    }
)
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "col", "source"})
_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)")


def alias_table(review: Review) -> dict[str, str]:
    """Every name an entity goes by -> its id; names two entities share are left out."""
    owners: dict[str, set[str]] = defaultdict(set)
    for entity in review.entities.values():
        names = [entity.name, *entity.aliases, entity.original_name or ""]
        if entity.abbreviation:
            names.append(entity.abbreviation)
        for written in names:
            name = written.strip()
            if len(name) >= 3 or (len(name) == 2 and name.isupper()):
                owners[name].add(entity.id)
    return {name: next(iter(ids)) for name, ids in owners.items() if len(ids) == 1}


def trie_pattern(words: list[str]) -> str:
    """One regex for many words with shared prefixes factored out, so that matching costs
    grow with the text, not with the number of words (a plain alternation tries each word
    at each position)."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict[str, Any]) -> str:
    ends = "" in node
    branches = [
        re.escape(char) + _trie_regex(child) for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body


@dataclass
class MentionIndex:
    """Collects which pages mention which entities, links first mentions, marks abbreviations.

    ``abbreviations`` maps an abbreviation to its expansion: every occurrence on every page gets
    an ``<abbr title>`` (Material shows it as a tooltip), done here in the same pass over the
    page's text instead of by Markdown abbreviation definitions on each page.
    """

    aliases: dict[str, str]
    abbreviations: dict[str, str] = field(default_factory=dict)
    pattern: re.Pattern[str] | None = None
    pages: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))

    def __post_init__(self) -> None:
        self.digest = hashlib.sha256(
            json.dumps([self.aliases, self.abbreviations], sort_keys=True).encode()
        ).hexdigest()
        words = sorted(set(self.aliases) | set(self.abbreviations))
        if words:
            self.pattern = re.compile(rf"(?<![\w-]){trie_pattern(words)}(?![\w-])")

    def collect(self, page: str, title: str, entities: Iterable[str]) -> None:
        """Record that ``page`` (titled ``title``) mentions ``entities``."""
        for entity in entities:
            self.pages[entity][page] = title

    def link(
        self, html: str, href: dict[str, str], skip: str | None = None
    ) -> tuple[str, set[str]]:
        """``html`` with first mentions linked and abbreviations marked; the entities mentioned.

        ``href`` maps entity id -> URL relative to this page; ``skip`` is the entity whose own
        page this is. ``collect`` records the mentions for the "mentioned in" lists.
        """
        mentioned: set[str] = set()
        if self.pattern is None:
            return html, mentioned
        linked: set[str] = set()
        stack: list[tuple[str, bool, bool]] = []  # open elements: (tag, no links, no markup)
        out = []
        for part in _TAG.split(html):
            if not part.startswith("<"):
                no_link = any(flag for _, flag, _ in stack)
                no_markup = any(flag for _, _, flag in stack)
                out.append(
                    part
                    if no_markup
                    else self._text(part, mentioned, href, skip, linked, link=not no_link)
                )
                continue
            out.append(part)
            match = _TAG_NAME.match(part)
            if not match or match[2].lower() in _VOID or part.endswith("/>"):
                continue
            tag = match[2].lower()
            if match[1]:  # closing tag: pop up to the matching element
                while stack and stack.pop()[0] != tag:
                    pass
            else:
                classes = _CLASS.search(part)
                quoted = bool(classes and _NO_LINK_CLASSES & set(classes[1].split()))
                stack.append((tag, tag in _NO_LINK or quoted, tag in _NO_MARKUP))
        return "".join(out), mentioned

    def _text(
        self,
        text: str,
        mentioned: set[str],
        href: dict[str, str],
        skip: str | None,
        linked: set[str],
        *,
        link: bool,
    ) -> str:
        assert self.pattern is not None  # noqa: S101 - only called when there are aliases

        def replace(match: re.Match[str]) -> str:
            word = match[0]
            shown = word
            if word in self.abbreviations:
                shown = f'<abbr title="{html_escape(self.abbreviations[word])}">{word}</abbr>'
            entity = self.aliases.get(word)
            if entity is None or entity == skip:
                return shown
            mentioned.add(entity)
            if not link or entity in linked or entity not in href:
                return shown
            linked.add(entity)
            return f'<a class="lr-mention" href="{href[entity]}">{shown}</a>'

        return self.pattern.sub(replace, text)

    def mentioned_in(self, entity: str) -> dict[str, str]:
        return dict(sorted(self.pages.get(entity, {}).items()))


def abbreviation_table(review: Review) -> dict[str, str]:
    """Every entity's abbreviation -> its full name (for ``<abbr title>`` tooltips)."""
    return {
        e.abbreviation.strip(): " ".join(e.name.split())
        for e in sorted(review.entities.values(), key=lambda e: e.id)
        if e.abbreviation and e.abbreviation.strip()
    }
