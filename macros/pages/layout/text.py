"""Label measure and wrapping, estimated without a browser.

Labels are drawn at ``FONT`` px; ``CHAR_W`` is a generous average advance of one character of
the theme's sans-serif at that size (Helvetica metrics and their free clones), so that a box
sized from it holds its text. The browser tests measure what Chromium really draws.
"""

from __future__ import annotations

FONT = 13
LINE = 16  # line height of a wrapped label
CHAR_W = 7.2
PAD = 6  # inner padding of a box


def text_width(text: str) -> float:
    return len(text) * CHAR_W


def wrap(text: str, width: float) -> list[str]:
    """The words of ``text`` in lines of at most ``width`` px (estimated); nothing is cut.

    A word longer than a line is split with a hyphen at the line's end.
    """
    limit = max(4, int(width / CHAR_W))
    lines: list[str] = []
    current = ""
    for whole in text.split():
        word = whole
        while len(word) > limit:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[: limit - 1] + "-")
            word = word[limit - 1 :]
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= limit:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines or [""]


def block_height(lines: int) -> float:
    """The height of a box holding ``lines`` lines of text."""
    return lines * LINE + 2 * PAD - 2
