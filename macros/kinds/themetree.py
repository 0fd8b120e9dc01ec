"""The theme tree and who belongs where, built once per review, in time linear in its size.

Themes come from ``content/themes/`` and, for a tagged library, from the bibliography itself:
every BibTeX ``keywords`` tag is a theme (Zotero tags as they are; JabRef's hierarchical
``Parent > Child`` as a path in the tree), so that a tagged library is a browsable review
without hand-written YAML. Namespaced tags (``source:news``) are facets, not themes. A theme
file with the id of a tag's theme gives it a definition and a synthesis.

Membership: a work belongs to the themes its ``content/works/`` file names and to the themes of
its tags. Works are bibliography keys; a work with neither is in no theme.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from macros.bibliography.bibtex import BibEntry
from macros.content.model import Theme, Work
from macros.content.review import Review

NAMESPACED = re.compile(r"^[A-Za-z][\w-]*:\S")
SEPARATOR = ">"


@dataclass
class Tree:
    themes: dict[str, Theme] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    members: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    of_work: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    derived: dict[str, int] = field(default_factory=dict)  # theme id -> first tagging line

    def roots(self) -> list[str]:
        return [t for t, theme in self.themes.items() if not theme.parents]

    def below(self, ident: str) -> list[str]:
        """The theme and every theme under it, each once (the tree has no cycles when built)."""
        seen: dict[str, None] = {}
        stack = [ident]
        while stack:
            current = stack.pop()
            if current not in seen:
                seen[current] = None
                stack.extend(reversed(self.children.get(current, [])))
        return list(seen)


def theme_id(path: list[str]) -> str:
    """The id of a tag's theme: its path, each part a slug, joined by ``--``."""
    parts = [re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") or "x" for p in path]
    ident = "--".join(parts)
    if not ident[0].isalpha():
        ident = "t-" + ident
    if len(ident) > 80:
        digest = hashlib.sha1(ident.encode()).hexdigest()[:8]  # noqa: S324 - not security
        ident = f"{ident[:70].rstrip('-')}-{digest}"
    return ident


def tag_paths(entry: BibEntry) -> list[list[str]]:
    """The theme paths of an entry's ``keywords`` (comma- or semicolon-separated)."""
    return keyword_paths(entry.get("keywords") or "")


def keyword_paths(raw: str) -> list[list[str]]:
    """The theme paths of a ``keywords`` value as written."""
    paths = []
    for written in re.split(r"[,;]", raw.replace("{", "").replace("}", "")):
        tag = " ".join(written.split())
        if not tag or NAMESPACED.match(tag):
            continue
        path = [p.strip() for p in tag.split(SEPARATOR) if p.strip()]
        if path:
            paths.append(path)
    return paths


_CACHE: list[tuple[object, Tree]] = []


def tree(review: Review, owner: object) -> Tree:
    """The review's theme tree, built once per ``owner`` (one render of the site: the review
    may change between renders, while ``litreview serve`` runs)."""
    for known, built in _CACHE:
        if known is owner:
            return built
    built = build(review)
    _CACHE[:] = [(owner, built)]
    return built


def build(review: Review) -> Tree:
    out = Tree()
    explicit: dict[str, Theme] = review.of("themes")
    for entry in review.bibliography.entries.values():
        for path in tag_paths(entry):
            parent: str | None = None
            for depth in range(len(path)):
                ident = theme_id(path[: depth + 1])
                if ident not in out.themes:
                    out.themes[ident] = Theme(
                        id=ident, name=path[depth], parents=[parent] if parent else []
                    )
                    out.derived[ident] = entry.line
                parent = ident
            assert parent is not None  # noqa: S101 - a path has at least one part
            out.of_work[entry.key].append(parent)
    for ident, theme in explicit.items():
        keep = ident in out.themes and not theme.parents
        parents = {"parents": out.themes[ident].parents} if keep else {}
        out.themes[ident] = theme.model_copy(update=parents)
        out.derived.pop(ident, None)
    works: dict[str, Work] = review.of("works")
    for key, work in works.items():
        out.of_work[key].extend(t.id for t in work.themes)
    for ident, theme in out.themes.items():
        for parent in dict.fromkeys(theme.parents):
            out.children[parent].append(ident)
    for key, themes in out.of_work.items():
        themes[:] = [t for t in dict.fromkeys(themes) if t in out.themes]
        for ident in themes:
            out.members[ident].append(key)
    return out


def cycle(themes: dict[str, Theme]) -> list[str] | None:
    """A cycle of parents (as a list of ids, first repeated last), or None."""
    state: dict[str, int] = {}  # 1: on the path, 2: done
    for start in themes:
        if start in state:
            continue
        path: list[str] = []
        stack: list[tuple[str, int]] = [(start, 0)]
        while stack:
            node, i = stack.pop()
            if i == 0:
                state[node] = 1
                path.append(node)
            parents = [p for p in themes[node].parents if p in themes]
            if i < len(parents):
                stack.append((node, i + 1))
                nxt = parents[i]
                if state.get(nxt) == 1:
                    return [*path[path.index(nxt) :], nxt]
                if nxt not in state:
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                path.pop()
    return None
