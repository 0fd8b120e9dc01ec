"""Escaping of user text for generated Markdown and HTML.

Content and BibTeX come from contributors and pull requests: every value is escaped before it
reaches a page, so ``<script>``, Markdown and Jinja syntax in a field show literally.
"""

from __future__ import annotations

import hashlib
import html
import re

# Characters Python-Markdown and pymdown extensions give meaning to inline. The site enables
# pymdownx.escapeall, so a backslash makes any of them literal. ``<`` and ``&`` become entities.
_INLINE_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|~^=:])")
# In prose we keep *emphasis* and _emphasis_ but nothing that links, embeds or runs.
_PROSE_SPECIALS = re.compile(r"([\\`{}\[\]()#!|~^=:])")
_LINE_START = re.compile(r"^(\s*)([-+*]|\d+[.)])(\s)", re.MULTILINE)


def md_text(value: object) -> str:
    """Any value as literal inline Markdown text on one line."""
    text = " ".join(str(value).split())
    return _INLINE_SPECIALS.sub(r"\\\1", html.escape(text, quote=False))


def md_prose(value: object) -> str:
    """Own-words prose: paragraphs and emphasis kept, everything else literal."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", str(value)) if p.strip()]
    escaped = [_PROSE_SPECIALS.sub(r"\\\1", html.escape(p, quote=False)) for p in paragraphs]
    return "\n\n".join(_LINE_START.sub(r"\1\\\2\3", p) for p in escaped)


def attr(value: object) -> str:
    """A value for an HTML attribute inside double quotes."""
    return html.escape(" ".join(str(value).split()), quote=True)


def slug(key: str) -> str:
    """A file-name-safe slug that depends only on the key, so URLs never shift.

    Keys that are already safe are used as they are; others get a short hash so that two keys
    which differ only in unsafe characters cannot collide.
    """
    safe = re.sub(r"[^a-z0-9_-]+", "-", key.lower()).strip("-") or "entry"
    if safe == key:
        return key
    return f"{safe}-{hashlib.sha1(key.encode()).hexdigest()[:6]}"  # noqa: S324 - not security
