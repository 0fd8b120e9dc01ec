"""What a content kind is: the one description every part of the engine reads.

The kinds themselves (papers, claims, ...) are defined in ``macros/kinds/``, one module each,
and listed once in ``macros/kinds/__init__.py``. This module imports nothing but the model, so
that loading, schemas and scaffolding can take the list as an argument.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from macros.content.model import Strict
from macros.content.yamlload import KeyPath

if TYPE_CHECKING:
    from macros.content.checks import Checker
    from macros.content.errors import ContentError
    from macros.content.review import Review


class Cited(NamedTuple):
    """One bibliography key an item cites: where in its file, with locator and context."""

    loc: KeyPath
    key: str
    locator: str | None
    context: str  # the sentence the citation supports, for "cited by" lists


class Quotation(NamedTuple):
    """Words an item says are printed in its paper: checked against the paper's source text."""

    loc: KeyPath
    text: str


class Found(NamedTuple):
    """A report line (a warning) about one item: section, item id, key path, message."""

    section: str
    ident: str
    loc: KeyPath
    message: str


def _none(*_: Any) -> Iterator[Any]:
    return iter(())


def _nothing(*_: Any) -> None:
    return None


@dataclass(frozen=True)
class Kind:
    """Everything about one content kind. ``name`` is its folder under ``content/``."""

    name: str
    model: type[Strict]
    singular: str  # "audit finding": messages say "unknown audit finding id 'x'"
    label: str  # plural, for people: "Audit findings"
    schema_name: str  # schemas/<schema_name>.schema.json
    # Per paper: the file is named after the paper it belongs to (its `paper` field), and its
    # pages are parts of the paper's (``papers/<paper>/<part>.md``).
    per_paper: bool = False
    # Cross-references (ids, keys, footnote numbers, places in the paper): errors with lines.
    check: Callable[[Checker, str, Any], Iterator[ContentError]] = _none
    # Fills in what an item takes from elsewhere (a paper's title from its entry), on every load.
    derive: Callable[[Review, Any], None] = _nothing
    # The bibliography keys an item cites: the report, "cited by" and the pages use these.
    cites: Callable[[Review, Any], Iterator[Cited]] = _none
    # Words printed in the item's paper (``item.paper``, or the item itself for a paper).
    quotations: Callable[[Any], Iterator[Quotation]] = _none
    # Report lines (warnings) about the kind's items.
    report: Callable[[Review], Iterator[Found]] = _none
    # Its page: ``<name>/<id>.md`` unless given; ``part`` picks a sub-page (papers).
    url: Callable[[str, str], str] | None = None
    # Its pages and its index page: ``pages(site)`` -> {docs path: GeneratedPage}, from a
    # ``macros.pages.render.Site``; a per-paper kind's ``pages(site, paper)`` makes the parts
    # of one paper's pages. None: no pages.
    pages: Callable[..., dict[str, Any]] | None = None
    # False: its pages are only its own index or table, no page per item (extraction).
    item_pages: bool = True
    # Pages of items with no file of their own (derived from the bibliography, e.g. themes
    # from keywords): ``(page, what, line in the bibliography)`` for the page plan.
    derived_pages: Callable[[Review], Iterator[tuple[str, str, int]]] = _none

    def page(self, ident: str, part: str = "index") -> str:
        """The docs path of an item's page (MkDocs turns it into a URL)."""
        if self.url is not None:
            return self.url(ident, part)
        return f"{self.name}/{ident}.md"

    @property
    def own_key(self) -> str:
        """The field that names the file: ``paper`` for per-paper kinds, else ``id``."""
        return "paper" if self.per_paper else "id"

    def ident(self, item: Any) -> str:
        return str(getattr(item, self.own_key))

    def paper_of(self, ident: str, item: Any) -> str:
        """The paper whose text holds the item's quotations."""
        return str(getattr(item, "paper", ident))
