"""Relative links between pages, and where bibliography entries' pages live.

A content item's page is its kind's (``Kind.page``, templates: ``page_of(kind, id)``).
"""

from __future__ import annotations

import posixpath

from macros.pages.text import slug


def entity_page(entity_id: str) -> str:
    """An entity's page, for the plugin's mention links: ``macros.kinds.entities``' URL."""
    return f"entities/{entity_id}.md"


def reference_page(key: str) -> str:
    return f"references/{slug(key)}.md"


def relative(from_page: str, to_page: str, anchor: str = "") -> str:
    """A Markdown link target from one docs-relative page to another (MkDocs checks it)."""
    target = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    return f"{target}#{anchor}" if anchor else target


def page_url(page: str, *, directory_urls: bool) -> str:
    """The URL MkDocs gives a docs page (``a/b.md`` -> ``a/b/`` or ``a/b.html``)."""
    stem = page.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def html_href(from_page: str, to_page: str, *, directory_urls: bool, anchor: str = "") -> str:
    """A link for raw HTML (which MkDocs does not rewrite) from one page to another."""
    source = page_url(from_page, directory_urls=directory_urls)
    target = page_url(to_page, directory_urls=directory_urls)
    base = source if source.endswith("/") or not source else posixpath.dirname(source) + "/"
    relative_target = posixpath.relpath(target or ".", base.rstrip("/") or ".")
    if target.endswith("/") and not relative_target.endswith("/"):
        relative_target += "/"
    if relative_target == "./":
        relative_target = "./"
    return f"{relative_target}#{anchor}" if anchor else relative_target
