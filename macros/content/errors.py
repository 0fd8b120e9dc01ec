"""Errors that name the file and line a contributor must fix."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in one input file, printed as ``path:line: message``."""

    path: str
    line: int
    message: str
    key_path: str = ""
    hint: str = field(default="", compare=False)
    # "did you mean 'summary'", printed as a question after the message (see ``did_you_mean``).
    suggestion: str = field(default="", compare=False)

    def __str__(self) -> str:
        where = f" (at {self.key_path})" if self.key_path else ""
        hint = f" Hint: {self.hint.rstrip('.')}." if self.hint else ""
        end = f"; {self.suggestion}?" if self.suggestion else "."
        return f"{self.path}:{self.line}: {self.message}{where}{end}{hint}"


class InvalidContentError(Exception):
    """Raised with every error of a run, never only the first."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(e) for e in self.errors))


def format_key_path(parts: tuple[str | int, ...]) -> str:
    """``('sections', 2, 'id')`` -> ``sections[2].id``."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The one of ``choices`` that ``word`` is most likely a misspelling of, if any is close."""
    close = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``did you mean 'summary'`` for ``ContentError.suggestion``, or ``""`` if nothing is close."""
    match = closest(word, choices)
    return f"did you mean '{match}'" if match is not None else ""
