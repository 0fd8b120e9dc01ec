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
# What opens a list item at the start of a line: "-", "+", "*" or "1." / "1)" before a space.
_BLOCK_START = re.compile(r"^(\s*\d*)([-+*.)])(?=\s|$)")
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")


def md_text(value: object) -> str:
    """Any value as literal inline Markdown text on one line.

    A template may start a line with it (a block quote, a list item), so what would open a
    list or a rule there is escaped too.
    """
    text = " ".join(str(value).split())
    escaped = _INLINE_SPECIALS.sub(r"\\\1", html.escape(text, quote=False))
    escaped = re.sub(r"^([-+])", r"\\\1", escaped)  # a list item or a rule ("---")
    return _BLOCK_START.sub(r"\1\\\2", escaped)


def md_text_html(value: object) -> str:
    """The HTML Markdown makes of ``md_text(value)``: for HTML a template writes itself."""
    return html.escape(" ".join(str(value).split()), quote=False)


def md_prose(value: object) -> str:
    """Own-words prose: paragraphs and emphasis kept, everything else literal."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", str(value)) if p.strip()]
    escaped = []
    for paragraph in paragraphs:
        if _RULE.match(paragraph):  # "---", "* * *": text, not a horizontal rule
            escaped.append(re.sub(r"([-*_])", r"\\\1", paragraph))
            continue
        text = _PROSE_SPECIALS.sub(r"\\\1", html.escape(paragraph, quote=False))
        escaped.append(_BLOCK_START.sub(r"\1\\\2", text))
    return "\n\n".join(escaped)


def md_code(value: object) -> str:
    """A value as a Markdown code span, whatever backticks it holds (its text stays literal)."""
    text = " ".join(str(value).split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return f"{fence}{padded}{fence}"


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
