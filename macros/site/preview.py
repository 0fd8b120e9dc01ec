"""Fast previews for ``litreview serve``: render only the pages an edit changed.

A full build of a large review takes as long as MkDocs needs for every page. A preview runs
the same MkDocs build in this process, with the litreview plugin told which files changed:
it renders only the pages made from them and leaves every other page out of the build, so
that the edited page is in the browser in about a second. The full build runs right after
and replaces the whole site, as always.

Loading is quick the second time because the loader remembers the files it parsed.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from macros.pages.previews import Preview
from macros.site.plugin import LitreviewPlugin

# What a preview can show: edits to content, the bibliography and hand-written pages.
# A change to mkdocs.yml (or anything else) waits for the full build.
PREVIEWABLE_SUFFIXES = (".yaml", ".yml", ".bib", ".md")


def previewable(root: Path, changed: Iterable[Path]) -> frozenset[str] | None:
    """``changed`` as paths relative to ``root``, or None when a preview cannot show them."""
    relative = set()
    for path in changed:
        try:
            rel = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return None
        if not rel.endswith(PREVIEWABLE_SUFFIXES) or rel == "mkdocs.yml":
            return None
        relative.add(rel)
    return frozenset(relative)


def preview(root: Path, served: Path, changed: frozenset[str]) -> list[str]:
    """Build the pages made from ``changed`` and put them into ``served``; their paths.

    With nothing changed it renders nothing: a warm-up that fills the loader's memory.
    Raises whatever the build raises (invalid content included); ``served`` is then untouched.
    """
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    with tempfile.TemporaryDirectory(prefix=".preview-", dir=served.parent) as folder:
        config = load_config(str(root / "mkdocs.yml"), site_dir=folder, strict=False)
        plugin = config.plugins.get("litreview")
        if not isinstance(plugin, LitreviewPlugin):
            return []
        plugin.preview = Preview(changed, served)
        config.theme.static_templates.clear()  # 404.html and the sitemap: not previewed
        config.plugins.on_startup(command="build", dirty=False)
        quiet = logging.getLogger("mkdocs")
        level = quiet.level
        quiet.setLevel(logging.CRITICAL)  # the full build that follows reports problems
        try:
            build(config)
        finally:
            quiet.setLevel(level)
            config.plugins.on_shutdown()
        for page in plugin.preview.rendered:
            target = served / page
            target.parent.mkdir(parents=True, exist_ok=True)
            (Path(folder) / page).replace(target)  # one rename: never a half-written page
        return list(plugin.preview.rendered)
