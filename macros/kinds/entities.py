"""Entities: anything a paper names (an actor, a program, a law, a term)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from macros.bibliography.citations import MENTIONED_IN_TOKEN
from macros.content.checks import Checker
from macros.content.errors import ContentError
from macros.content.kind import Cited, Found, Kind
from macros.content.model import Entity
from macros.content.review import Review
from macros.pages.render import GeneratedPage, Site


def check(checker: Checker, ident: str, entity: Entity) -> Iterator[ContentError]:
    review = checker.review
    yield from checker.ids("entities", ident, ("papers",), entity.papers, "papers")
    yield from checker.sources("entities", ident, entity.sources)
    for i, relation in enumerate(entity.relations):
        yield from checker.one_id(
            "entities", ident, ("relations", i, "target"), relation.target, "entities"
        )
    arguments = [review.papers[p].argument for p in entity.papers if p in review.papers]
    categories = {c.id for a in arguments if a is not None for c in a.categories}
    for i, category in enumerate(entity.categories):
        if category not in categories:
            yield checker.error(
                "entities",
                ident,
                ("categories", i),
                f"no paper of this entity has a category '{category}'",
                f"use one of: {', '.join(sorted(categories)) or '(none)'}",
            )


def cites(_review: Review, entity: Entity) -> Iterator[Cited]:
    for i, source in enumerate(entity.sources):
        yield Cited(("sources", i, "key"), source.key, source.locator, f"Source for {entity.name}")


def report(review: Review) -> Iterator[Found]:
    referred = {e for c in review.claims.values() for e in c.entities}
    referred |= {r.target for e in review.entities.values() for r in e.relations}
    referred |= {e.id for e in review.entities.values() if e.relations}
    for ident in sorted(set(review.entities) - referred):
        message = f"entity '{ident}' is not referred to by any claim or entity"
        yield Found("unmentioned", ident, (), message)


def pages(site: Site) -> dict[str, GeneratedPage]:
    review = site.review
    out: dict[str, GeneratedPage] = {}
    for entity in review.entities.values():
        here = KIND.page(entity.id)
        out[here] = site.page(
            "entity.md.j2",
            here,
            site.source("entities", entity.id),
            entity=entity,
            sources=site.cite_item(here, KIND, entity),
            claims=list(site.index["claims_about"].get(entity.id, [])),
            targets=review.entities,
            # Relations other entities declare towards this one: (type, source id).
            related=list(site.index["related"].get(entity.id, [])),
            events=list(site.index["events"].get(entity.id, [])),
            mentioned_in=MENTIONED_IN_TOKEN.format(entity.id),
            tags=entity_tags(review, entity),
        )
    out["entities/index.md"] = site.page(
        "entities_index.md.j2",
        "entities/index.md",
        "content/entities",
        groups=_groups(review),
        filters=ENTITY_FILTER_FORM,
    )
    return out


def _groups(review: Review) -> list[tuple[str, list[Any]]]:
    groups: dict[str, list[Any]] = defaultdict(list)
    for entity in sorted(review.entities.values(), key=lambda e: e.name.lower()):
        groups[entity.type].append(entity)
    return sorted(groups.items())


def entity_tags(review: Review, entity: Entity) -> list[str]:
    """Material tags: kind, country, analytical category (e.g. pillar), year."""
    tags: list[str] = [entity.type]
    tags += [
        f"country: {review.entities[r.target].name}"
        for r in entity.relations
        if r.target in review.entities and review.entities[r.target].type == "country"
    ]
    if entity.type == "country":
        tags.append(f"country: {entity.name}")
    tags += [f"category: {c}" for c in entity.categories]
    tags += [f"year: {y}" for y in entity.years]
    return tags


ENTITY_FILTER_FORM = (
    '<form class="lr-filters" data-items=".lr-entity" '
    'aria-label="Filter actors, programs and terms">'
    '<label>Kind <select data-facet="kind"><option value="">all</option></select></label> '
    '<label>Category <select data-facet="category"><option value="">all</option></select></label> '
    '<label>Year <select data-facet="year"><option value="">all</option></select></label> '
    '<output class="lr-filter-count" aria-live="polite"></output></form>'
)

KIND = Kind(
    name="entities",
    model=Entity,
    singular="entity",
    label="Entities",
    schema_name="entity",
    check=check,
    cites=cites,
    report=report,
    pages=pages,
)
