"""Where every item's page lives, and relative links between pages."""

from __future__ import annotations

import posixpath

from macros.text import slug


def paper_page(paper_id: str, part: str = "index") -> str:
    return f"papers/{paper_id}/{part}.md"


def claim_page(claim_id: str) -> str:
    return f"claims/{claim_id}.md"


def entity_page(entity_id: str) -> str:
    return f"entities/{entity_id}.md"


def audit_page(finding_id: str) -> str:
    return f"audit/{finding_id}.md"


def reference_page(key: str) -> str:
    return f"references/{slug(key)}.md"


def relative(from_page: str, to_page: str, anchor: str = "") -> str:
    """A Markdown link target from one docs-relative page to another (MkDocs checks it)."""
    target = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    return f"{target}#{anchor}" if anchor else target
