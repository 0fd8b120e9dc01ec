"""The site folder a build replaces: never one that holds the project's files or that a build
did not make (its marker), so that no setting or flag can make a build delete a user's work.
Also the log line the plugin writes for ``litreview build``'s summary."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from macros.content.settings import Settings


SUMMARY_LINE = "litreview: {} references, {} report warnings"


# Every folder a build makes holds this file; a build replaces or removes no folder without it.
# MkDocs neither copies nor cleans dotfiles, and the text says what it is to whoever finds it.
MARKER = ".litreview-site"


MARKER_TEXT = (
    "This folder was made by `litreview build`, which replaces it on every build.\n"
    "Keep nothing of your own in it.\n"
)


def site_dir_problem(
    root: Path, target: Path, settings: Settings, *, require_ours: bool
) -> str | None:
    """Why replacing ``target`` by a build could delete a user's files, or None.

    Refused: a folder that is or contains the project, its docs or content folder, ``.git``
    or ``mkdocs.yml``, or lies inside docs, content or ``.git``; with ``require_ours``, also
    a file, or a folder that is not empty and was not made by ``litreview build``.
    """
    root = root.resolve()
    real = target.resolve()
    shown = display_path(root, target)
    protected = {
        root: "the project folder",
        root / settings.docs_dir: f"{settings.docs_dir}/",
        root / settings.content_dir: f"{settings.content_dir}/",
        root / ".git": ".git/",
        root / "mkdocs.yml": "mkdocs.yml",
    }
    why = ""
    for place, name in protected.items():
        path = place.resolve()
        if real == path:
            why = f"it is {name}"
        elif real in path.parents:
            why = f"it contains {name}"
        elif path != root and path in real.parents:
            why = f"it is inside {name}"
        if why:
            break
    if not why and require_ours and real.exists() and not real.is_dir():
        why = "it is not a folder"
    elif (
        not why
        and require_ours
        and real.is_dir()
        and any(real.iterdir())
        and not is_ours(real, legacy=True)
    ):
        why = f"it is not empty and was not made by litreview build (it has no {MARKER})"
    if not why:
        return None
    return (
        f"{shown}: refused as the site folder: {why}, and a build replaces the whole "
        "site folder. Hint: use a folder of its own, such as site/ (empty or made by "
        "litreview build)."
    )


def is_ours(folder: Path, *, legacy: bool) -> bool:
    """Whether ``folder`` is a real folder made by a build (its marker, or, with ``legacy``,
    the pages and assets of a site built before markers)."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    if (folder / MARKER).is_file():
        return True
    return legacy and all(
        (folder / name).is_file() for name in ("index.html", "assets/litreview/litreview.js")
    )


def mark(folder: Path) -> None:
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def display_path(root: Path, target: Path) -> str:
    try:
        return target.relative_to(root.absolute()).as_posix() or "."
    except ValueError:
        return str(target)
