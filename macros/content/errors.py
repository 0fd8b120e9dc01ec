"""Errors that name the file and line a contributor must fix."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in one input file, printed as ``path:line: message``."""

    path: str
    line: int
    message: str
    key_path: str = ""
    hint: str = field(default="", compare=False)

    def __str__(self) -> str:
        where = f" (at {self.key_path})" if self.key_path else ""
        hint = f" Hint: {self.hint.rstrip('.')}." if self.hint else ""
        return f"{self.path}:{self.line}: {self.message}{where}.{hint}"


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
