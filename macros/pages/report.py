"""The build report: things that are not errors but that a maintainer should look at."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from macros.bibliography.bibtex import BibEntry, Bibliography, missing_required_fields, unprintable
from macros.bibliography.citeproc import RICH, Formatted, unconverted_math
from macros.content.kind import Kind
from macros.content.review import Review
from macros.kinds import KINDS


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
    "unthemed": "Works in no theme",
    "todo": "Extraction values still to do",
    "math": "TeX math pandoc could not convert (shown as TeX)",
    "screening": "Screening: records awaiting a decision, exclusions without a reason",
}


def cited_keys(
    review: Review, extra: set[str] | None = None, kinds: Sequence[Kind] = KINDS
) -> set[str]:
    """Every key an item of any kind cites (its kind's ``cites``), and ``extra``."""
    keys = set(extra or ())
    for kind in kinds:
        for item in review.of(kind.name).values():
            keys |= {cited.key for cited in kind.cites(review, item)}
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


def build_report(
    review: Review, cited_in_docs: set[str] | None = None, kinds: Sequence[Kind] = KINDS
) -> list[Finding]:
    bib = review.bibliography
    findings: list[Finding] = []
    used = cited_keys(review, cited_in_docs, kinds)
    for key, entry in bib.entries.items():
        if key not in used:
            findings.append(Finding("unused", bib.path, entry.line, f"'{key}' is never cited"))
        if lacking := unprintable(entry):
            message = f"'{key}' has {lacking}: shown with what it has"
            findings.append(Finding("fields", bib.path, entry.line, message))
        findings += [Finding("fields", bib.path, entry.line, f"'{key}': {n}") for n in entry.notes]
        if missing := missing_required_fields(entry):
            fields = ", ".join(missing)
            findings.append(Finding("fields", bib.path, entry.line, f"'{key}' lacks {fields}"))
        url = entry.get("url")
        if url and (problem := url_problem(url.strip())):
            findings.append(Finding("urls", bib.path, entry.line, f"'{key}' url {problem}"))
    findings += _duplicates(bib.path, list(bib.entries.values()))
    # An explicit ``unsourced:`` is a recorded fact, shown on the claim's page, not a warning.
    for kind in kinds:
        for found in kind.report(review):
            source = review.sources[(kind.name, found.ident)]
            line = source.line_of(found.loc) if found.loc else 1
            findings.append(Finding(found.section, source.path, line, found.message))
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


def math_findings(
    bib: Bibliography, formatted: dict[str, Formatted], items: Sequence[dict[str, Any]]
) -> list[Finding]:
    """An entry whose TeX math pandoc could not convert: named with its line, per formula."""
    shown: dict[str, list[str]] = defaultdict(list)
    for key, done in formatted.items():
        shown[key] += unconverted_math(done.html)
    for item in items:
        for rich in (item.get(RICH) or {}).values():
            shown[str(item.get("id"))] += unconverted_math(rich.html)
    findings = []
    for key, formulas in shown.items():
        entry = bib.entries.get(key)
        for formula in dict.fromkeys(formulas) if entry else ():
            message = f"'{key}': pandoc cannot convert the TeX math {formula!r}: shown as TeX"
            findings.append(Finding("math", bib.path, entry.line if entry else 1, message))
    return sorted(findings)
