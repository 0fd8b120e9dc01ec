"""The citation style a project names: a bundled CSL file or a path to one."""

from __future__ import annotations

from pathlib import Path

from macros.content.errors import ContentError

STYLES = Path(__file__).parent / "csl"


def bundled_styles() -> list[str]:
    return sorted(p.stem for p in STYLES.glob("*.csl"))


def style_path(root: Path, value: str) -> Path:
    """The CSL file ``value`` names: ``apa`` (bundled) or ``styles/mine.csl`` (in the project)."""
    return root / value if value.endswith(".csl") else STYLES / f"{value}.csl"


def style_error(root: Path, value: str, config: str = "mkdocs.yml") -> ContentError | None:
    """Why ``value`` names no style, or None when it does."""
    if style_path(root, value).is_file():
        return None
    return ContentError(
        config,
        1,
        f"plugins.litreview.csl: no style '{value}'",
        hint=f"use a bundled style ({', '.join(bundled_styles())}) or a path to a .csl file",
    )
