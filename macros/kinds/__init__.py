"""The kind registry: every content kind, in one list, the only place a kind is registered.

Each module of this package holds everything about one kind (see ``macros.content.kind.Kind``):
folder, model, labels, checks, the keys it cites, the quotations it holds, its URL and its pages.
Loading, the review, links, the report, schemas, ``litreview new``, the editor settings and the
schema page all iterate ``KINDS``. The order is the order of the site's pages and of the schema
page. Adding a kind: see docs/maintainers/adding-a-kind.md.
"""

from __future__ import annotations

from macros.content.kind import Kind
from macros.kinds import (
    appraisal,
    audit,
    claims,
    entities,
    events,
    extraction,
    fields,
    footnotes,
    gapmaps,
    papers,
    reasons,
    reflists,
    screening,
    searches,
    stages,
    statistics,
    synthesis,
    themes,
    works,
)

KINDS: list[Kind] = [
    papers.KIND,
    footnotes.KIND,
    reflists.KIND,
    entities.KIND,
    claims.KIND,
    audit.KIND,
    events.KIND,
    statistics.KIND,
    works.KIND,
    themes.KIND,
    synthesis.KIND,
    fields.KIND,
    extraction.KIND,
    searches.KIND,
    reasons.KIND,
    stages.KIND,
    screening.KIND,
    appraisal.KIND,
    gapmaps.KIND,
]
