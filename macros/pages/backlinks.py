"""What a page gets once every page is known: its notes, entity links, "cited by", "mentioned in".

``PageFinisher`` does the work of the plugin's page events without MkDocs: pages are named by
their docs-relative source path (``claims/x.md``) and URLs follow ``links.html_href``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Protocol

from macros.bibliography.citations import (
    CITED_BY_PATTERN,
    MENTIONED_IN_PATTERN,
    NOTE_TOKEN,
    Citation,
    CitationRegistry,
)
from macros.bibliography.citeproc import Formatted
from macros.pages import links
from macros.pages.mentions import MentionIndex
from macros.pages.previews import Preview
from macros.pages.render import HtmlStash
from macros.pages.text import attr

# What the lists say when empty, and how to find a list in a page already built.
NO_MENTIONS = "<p>No other page mentions it.</p>"
NOT_CITED = "<p>Not cited on this site.</p>"
UPDATING = "<p>Updating: the full build that follows fills this list.</p>"
SERVED_MENTIONED_IN = re.compile(
    r'<ul class="lr-mentioned-in">.*?</ul>|' + re.escape(NO_MENTIONS), re.DOTALL
)
SERVED_CITED_BY = re.compile(r'<ul class="lr-cited-by">.*?</ul>|' + re.escape(NOT_CITED), re.DOTALL)
Notes = dict[tuple[str, str | None], Formatted]
_CITE_CALLS = re.compile(r"\{\{\s*cite\(")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s|\n\s*\n")


class ContentCache(Protocol):
    """The render cache's part that finished pages use (``macros.site.pagecache``)."""

    def key(self, *parts: str) -> str: ...
    def get(self, key: str) -> object: ...
    def put(self, key: str, value: object) -> None: ...


def line_of_call(markdown: str, key: str) -> int:
    position = markdown.find(key)
    return markdown.count("\n", 0, max(position, 0)) + 1


def sentence_around_call(markdown: str, occurrence: int) -> str:
    """The sentence holding a page's ``occurrence``-th ``{{ cite(...) }}``, as plain text."""
    calls = [m.start() for m in _CITE_CALLS.finditer(markdown)]
    if occurrence >= len(calls):
        return ""
    start = calls[occurrence]
    # Template calls masked first: a locator ("p. 4", "ch. 3, n. 12") is no sentence end.
    masked = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", lambda m: "\0" * len(m[0]), markdown)
    before = _SENTENCE_END.split(masked[:start])[-1]
    after = _SENTENCE_END.split(masked[start:])[0]
    sentence = (before + after).replace("\0", "")
    return " ".join(re.sub(r"[*_`#>\[\]]", "", sentence).split())


class EntityLinks(dict[str, str]):
    """Entity id -> URL from one page, computed only for the entities the page mentions."""

    def __init__(self, here: str, *, directory_urls: bool) -> None:
        super().__init__()
        self.here = here
        self.directory_urls = directory_urls

    def __missing__(self, ident: str) -> str:
        url = links.html_href(
            self.here, links.entity_page(ident), directory_urls=self.directory_urls
        )
        self[ident] = url
        return url

    def __contains__(self, ident: object) -> bool:
        return True


@dataclass
class PageFinisher:
    """Notes, stashed fragments and entity links into a page's HTML; backlinks at the end."""

    registry: CitationRegistry
    notes: Notes
    stash: HtmlStash
    mentions: MentionIndex
    cache: ContentCache
    entities: frozenset[str]
    directory_urls: bool = True
    # Formats notes for citations the batch before the pages did not know (none usually).
    format_notes: Callable[[list[tuple[str, str | None]]], Notes] | None = None
    preview: Preview | None = None  # a preview's lists come from the page as served

    def href(self, here: str, to: str, anchor: str = "") -> str:
        return links.html_href(here, to, directory_urls=self.directory_urls, anchor=anchor)

    def content(self, here: str, url: str, title: str, html: str) -> str:
        """A page's HTML with its notes, fragments and entity links; from the cache if unchanged."""
        citations = self.registry.on_page(here)
        missing = [(c.key, c.locator) for c in citations if (c.key, c.locator) not in self.notes]
        if missing and self.format_notes is not None:
            self.notes.update(self.format_notes(missing))
        notes = [self.note_html(here, citation) for citation in citations]
        fragments = self.stash.referenced(html)
        # The result depends on these inputs only; a page that has not changed is not re-done.
        key = self.cache.key(
            "content",
            here,
            url,
            title,
            html,
            self.mentions.digest,
            str(len(notes)),
            *notes,
            *fragments,
        )
        cached = self.cache.get(key)
        if isinstance(cached, dict) and {"html", "mentions"} <= cached.keys():
            self.mentions.collect(here, title, cached["mentions"])
            return str(cached["html"])
        for i, note in enumerate(notes):
            html = html.replace(NOTE_TOKEN.format(i), note, 1)
        html = self.stash.restore(html)
        own = here.removeprefix("entities/").removesuffix(".md")
        html, mentioned = self.mentions.link(
            html,
            EntityLinks(here, directory_urls=self.directory_urls),
            skip=own if own in self.entities else None,
        )
        self.mentions.collect(here, title, mentioned)
        self.cache.put(key, {"html": html, "mentions": sorted(mentioned)})
        return html

    def note_html(self, here: str, citation: Citation) -> str:
        note = self.notes.get((citation.key, citation.locator))
        target = self.href(here, links.reference_page(citation.key))
        text = note.html if note else attr(citation.key)
        return f'{text} <a class="lr-entry-link" href="{attr(target)}">Entry</a>'

    def backlinks(self, here: str, output: str, dest: str) -> str:
        """Fill a built page's "mentioned in" and "cited by" lists, now that all are known."""
        if self.preview is not None:
            self.preview.rendered.append(dest)
            return fill_from_served(output, self.preview.served / dest)
        # One pass over the page for its placeholders: cost grows with the page, not the site.
        output = MENTIONED_IN_PATTERN.sub(lambda m: self.mentioned_in_html(here, m[1]), output)
        return CITED_BY_PATTERN.sub(lambda m: self.cited_by_html(here, m[1]), output)

    def mentioned_in_html(self, here: str, ident: str) -> str:
        items = [
            f'<li><a href="{attr(self.href(here, src))}">{attr(unescape(title or src))}</a></li>'
            for src, title in self.mentions.mentioned_in(ident).items()
        ]
        if not items:
            return NO_MENTIONS
        return '<ul class="lr-mentioned-in">' + "".join(items) + "</ul>"

    def cited_by_html(self, here: str, key: str) -> str:
        citations = self.registry.cited_by(key)
        if not citations:
            return NOT_CITED
        items = []
        for citation in citations:
            href = self.href(here, citation.page, citation.anchor)
            items.append(f'<li><a href="{attr(href)}">{attr(citation.context)}</a></li>')
        return '<ul class="lr-cited-by">' + "".join(items) + "</ul>"


def fill_from_served(output: str, served_page: Path) -> str:
    """A preview's lists, copied from the page as served (the full build replaces them)."""
    old = served_page.read_text("utf-8") if served_page.is_file() else ""

    def served_list(pattern: re.Pattern[str]) -> str:
        found = pattern.search(old)
        return found[0] if found else UPDATING

    output = MENTIONED_IN_PATTERN.sub(lambda _: served_list(SERVED_MENTIONED_IN), output)
    return CITED_BY_PATTERN.sub(lambda _: served_list(SERVED_CITED_BY), output)
