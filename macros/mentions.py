"""Entity mentions across the site: link the first mention on each page, then list, on every
entity's page, the pages that mention it (collect while pages render, fill when all are done).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from macros.review import Review

# Text inside these elements is never turned into a link.
_NO_LINK = frozenset(
    {
        "a",
        "code",
        "pre",
        "script",
        "style",
        "svg",
        "button",
        "select",
        "option",
        "textarea",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "title",
        "label",
    }
)
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "col", "source"})
_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)")


def alias_table(review: Review) -> dict[str, str]:
    """Every name an entity goes by -> its id; names two entities share are left out."""
    owners: dict[str, set[str]] = defaultdict(set)
    for entity in review.entities.values():
        names = [entity.name, *entity.aliases, entity.original_name or ""]
        if entity.abbreviation:
            names.append(entity.abbreviation)
        for written in names:
            name = written.strip()
            if len(name) >= 3 or (len(name) == 2 and name.isupper()):
                owners[name].add(entity.id)
    return {name: next(iter(ids)) for name, ids in owners.items() if len(ids) == 1}


@dataclass
class MentionIndex:
    """Collects which pages mention which entities."""

    aliases: dict[str, str]
    pattern: re.Pattern[str] | None = None
    pages: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))

    def __post_init__(self) -> None:
        names = sorted(self.aliases, key=len, reverse=True)
        if names:
            alternation = "|".join(re.escape(n) for n in names)
            self.pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")

    def link_and_collect(
        self, html: str, page: str, title: str, href: dict[str, str], skip: str | None = None
    ) -> str:
        """Record the entities ``html`` mentions; link the first mention of each.

        ``href`` maps entity id -> URL relative to this page; ``skip`` is the entity whose own
        page this is.
        """
        if self.pattern is None:
            return html
        linked: set[str] = set()
        depth_no_link = 0
        out = []
        for part in _TAG.split(html):
            if part.startswith("<"):
                match = _TAG_NAME.match(part)
                if match and match[2].lower() in _NO_LINK and match[2].lower() not in _VOID:
                    closing = match[1] == "/"
                    depth_no_link += -1 if closing else (0 if part.endswith("/>") else 1)
                    depth_no_link = max(depth_no_link, 0)
                out.append(part)
                continue
            where = (page, title)
            out.append(self._text(part, where, href, skip, linked, link=depth_no_link == 0))
        return "".join(out)

    def _text(
        self,
        text: str,
        where: tuple[str, str],
        href: dict[str, str],
        skip: str | None,
        linked: set[str],
        *,
        link: bool,
    ) -> str:
        assert self.pattern is not None  # noqa: S101 - only called when there are aliases

        def replace(match: re.Match[str]) -> str:
            entity = self.aliases[match[0]]
            if entity == skip:
                return match[0]
            self.pages[entity][where[0]] = where[1]
            if not link or entity in linked or entity not in href:
                return match[0]
            linked.add(entity)
            return f'<a class="lr-mention" href="{href[entity]}">{match[0]}</a>'

        return self.pattern.sub(replace, text)

    def mentioned_in(self, entity: str) -> dict[str, str]:
        return dict(sorted(self.pages.get(entity, {}).items()))


def abbreviation_definitions(review: Review) -> str:
    """``*[WHO]: World Health Organization`` lines for every entity's abbreviation."""
    lines = []
    for entity in sorted(review.entities.values(), key=lambda e: e.abbreviation or ""):
        if entity.abbreviation:
            short = entity.abbreviation.replace("]", "")
            expansion = " ".join(entity.name.split())
            lines.append(f"*[{short}]: {expansion}")
    return "\n\n" + "\n".join(lines) + "\n" if lines else ""
