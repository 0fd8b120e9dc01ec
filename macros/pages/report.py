"""The build report: things that are not errors but that a maintainer should look at."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from macros.bibliography.bibtex import BibEntry, missing_required_fields
from macros.content.review import Review


@dataclass(frozen=True, order=True)
class Finding:
    """One report line: ``path:line: warning: message``."""

    section: str
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: warning: {self.message}"


SECTIONS = {
    "unused": "Entries nothing on the site cites",
    "fields": "Entries missing fields their type needs",
    "duplicates": "Entries sharing a DOI or URL",
    "urls": "URLs that look broken (checked by shape, never fetched)",
    "unmentioned": "Entities no claim or other entity refers to",
}


def cited_keys(review: Review, extra: set[str] | None = None) -> set[str]:
    keys = set(extra or ())
    keys |= {c.key for notes in review.footnotes.values() for n in notes.notes for c in n.cites}
    keys |= {e.key for c in review.claims.values() for e in c.evidence if e.key}
    keys |= {s.key for e in review.entities.values() for s in e.sources}
    keys |= {s.key for f in review.audit.values() for s in f.sources}
    return keys


def url_problem(url: str) -> str | None:
    """Why a URL looks broken, judged by its shape only."""
    if re.search(r"\s|%0[AD]", url, re.IGNORECASE):
        return "contains a line break or space"
    parts = urlsplit(url)
    if not parts.scheme:
        return "has no scheme (http:// or https://)"
    if "." not in parts.netloc:
        return "has no valid host"
    if url.endswith(("-", "_", "%")):
        return "looks cut off"
    return None


def build_report(review: Review, cited_in_docs: set[str] | None = None) -> list[Finding]:
    bib = review.bibliography
    findings: list[Finding] = []
    used = cited_keys(review, cited_in_docs)
    for key, entry in bib.entries.items():
        if key not in used:
            findings.append(Finding("unused", bib.path, entry.line, f"'{key}' is never cited"))
        if missing := missing_required_fields(entry):
            fields = ", ".join(missing)
            findings.append(Finding("fields", bib.path, entry.line, f"'{key}' lacks {fields}"))
        url = entry.get("url")
        if url and (problem := url_problem(url.strip())):
            findings.append(Finding("urls", bib.path, entry.line, f"'{key}' url {problem}"))
    findings += _duplicates(bib.path, list(bib.entries.values()))
    # An explicit ``unsourced:`` is a recorded fact, shown on the claim's page, not a warning.
    referred = {e for c in review.claims.values() for e in c.entities}
    referred |= {r.target for e in review.entities.values() for r in e.relations}
    referred |= {e.id for e in review.entities.values() if e.relations}
    for ident in sorted(set(review.entities) - referred):
        source = review.sources[("entities", ident)]
        findings.append(
            Finding(
                "unmentioned",
                source.path,
                1,
                f"entity '{ident}' is not referred to by any claim or entity",
            )
        )
    return sorted(findings)


def _duplicates(path: str, entries: list[BibEntry]) -> list[Finding]:
    seen: dict[tuple[str, str], list[BibEntry]] = defaultdict(list)
    for entry in entries:
        for name in ("doi", "url"):
            value = entry.get(name)
            if value:
                seen[(name, value.strip().lower().rstrip("/"))].append(entry)
    return [
        Finding(
            "duplicates",
            path,
            group[1].line,
            f"'{group[1].key}' has the same {name} as '{group[0].key}'",
        )
        for (name, _), group in seen.items()
        if len(group) > 1
    ]
