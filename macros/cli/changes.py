"""What a change does to the site: pages added or removed, new entries, new warnings."""

from __future__ import annotations

from pathlib import Path

from macros.content.settings import Settings
from macros.pages.checks import check_project


def _pages(site: Path) -> set[str]:
    return (
        {p.relative_to(site).as_posix() for p in site.rglob("*.html")} if site.is_dir() else set()
    )


def _review_facts(settings: Settings) -> tuple[set[str], set[str], int]:
    # The same checks and citation index as `litreview check` and the build (docs/ included).
    checked = check_project(settings)
    warnings = {f"{f.path}: {f.message}" for f in checked.findings()}
    return set(checked.review.bibliography.entries), warnings, len(checked.errors)


def change_summary(base: Settings, base_site: Path, head: Settings, head_site: Path) -> str:
    """A Markdown summary for a pull request's job page."""
    base_pages, head_pages = _pages(base_site), _pages(head_site)
    base_keys, base_warnings, _ = _review_facts(base)
    head_keys, head_warnings, head_errors = _review_facts(head)
    lines = [
        "## litreview: what this change does to the site",
        "",
        f"- Pages: {len(base_pages)} → {len(head_pages)}",
        f"- Bibliography entries: {len(base_keys)} → {len(head_keys)}",
        f"- Report warnings: {len(base_warnings)} → {len(head_warnings)}",
        f"- Content errors: {head_errors}",
        "",
    ]
    sections = (
        ("Pages added", head_pages - base_pages),
        ("Pages removed", base_pages - head_pages),
        ("New entries", head_keys - base_keys),
        ("Removed entries", base_keys - head_keys),
        ("New warnings", head_warnings - base_warnings),
    )
    for title, items in sections:
        if items:
            lines += [f"### {title} ({len(items)})", ""]
            lines += [f"- `{item}`" for item in sorted(items)[:200]]
            lines.append("")
    return "\n".join(lines)
