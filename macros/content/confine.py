"""Nothing is read or copied from outside the project: symbolic links that leave it are errors.

A link that stays inside the project (``docs/readme.md -> ../README.md``) keeps working; one
that leaves it (``docs/env.txt -> /proc/self/environ``) would copy or read whatever it names.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from macros.content.errors import ContentError

LINK_HINT = "copy what it names into the project, or remove the link"


def inside(root: Path, path: Path) -> bool:
    """Whether ``path``, every symbolic link on the way followed, is inside ``root``."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))


def links_leaving(root: Path, names: Iterable[str]) -> list[ContentError]:
    """Every symbolic link at or under the project paths ``names`` that leads outside it.

    Folders are searched through the links that stay inside (each real folder once).
    """
    errors: list[ContentError] = []
    seen: set[str] = set()
    for name in names:
        path = root / name
        if not path.is_symlink() and not path.exists():
            continue
        if path.is_symlink() and not inside(root, path):
            errors.append(_leaving(path, name))
        elif path.is_dir():
            _search(root, path, name, seen, errors)
    return errors


def _search(
    root: Path, folder: Path, shown: str, seen: set[str], errors: list[ContentError]
) -> None:
    real = os.path.realpath(folder)
    if real in seen:
        return
    seen.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        path = Path(entry.path)
        rel = f"{shown}/{entry.name}"
        if entry.is_symlink() and not inside(root, path):
            errors.append(_leaving(path, rel))
        elif entry.is_dir():  # a link to a folder inside the project is searched too
            _search(root, path, rel, seen, errors)


def _leaving(path: Path, shown: str) -> ContentError:
    try:
        target = str(path.readlink())
    except OSError:
        target = "?"
    return ContentError(
        shown, 1, f"symbolic link to a path outside the project ({target})", hint=LINK_HINT
    )


def source_outside(root: Path, value: str) -> bool:
    """A path a content file names (``source_text``) that is absolute or leads outside."""
    return (
        Path(value).is_absolute() or value.startswith(("/", "\\")) or not inside(root, root / value)
    )
