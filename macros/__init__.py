"""litreview: a literature-review site generator (content/ + references.bib -> MkDocs pages).

mkdocs-macros imports this package (``module_name: macros``) and calls ``define_env``.
"""

from __future__ import annotations

from typing import Any


def define_env(env: Any) -> None:
    """Register the macros content authors may use in hand-written pages."""

    @env.macro  # type: ignore[untyped-decorator]
    def cite(key: str, locator: str | None = None) -> str:
        """A footnote citing ``key`` in the site's style: ``{{ cite("smith2020", "p. 4") }}``."""
        plugin = env.conf["plugins"]["litreview"]
        return str(plugin.cite(env.page, env.markdown, key, locator))
