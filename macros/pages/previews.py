"""What a preview build (``litreview serve``) renders: only the pages made from changed files.

Every other page is still listed (so that links resolve) but left out of the build. Lists that
need every page rendered ("mentioned in", "cited by") are copied from the page as ``served``
until the full build that follows replaces it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from macros.pages import links


@dataclass(frozen=True)
class Preview:
    changed: frozenset[str]  # paths relative to the project folder
    served: Path
    rendered: list[str] = field(default_factory=list)  # output paths, filled by the build

    def renders(self, bibliography: str, changed_entries: set[str]) -> Callable[[str, str], bool]:
        """Which generated pages it renders (page path, source file): those made from a changed
        file; of the bibliography's pages, only those of entries that changed."""
        changed = self.changed
        entries = {links.reference_page(k) for k in changed_entries if bibliography in changed}
        return lambda here, source: (
            source in changed and (source != bibliography or here in entries)
        )

    def renders_doc(self, source: str) -> bool:
        """Whether a hand-written page (``docs/x.md``, from the project folder) is rendered."""
        return source in self.changed
