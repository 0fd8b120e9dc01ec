"""Converts the research notes' search log (searches run for the shipped review's related works,
with every record looked at) into the review's searches, exclusion reasons and screening ledger.

Run once: ``python -m tests.scoping.convert_search_log /path/to/search-log.yml``; its output is
committed under ``content/``. Nothing is invented: every record is one of the log's, with its
title, address, decision, stage and the log's own words as its note. Mapping:

- a search: source and corpus, date, exact query. The tool returned at most 8 (``pages``) or 12
  (``docs``) results per query, and the log lists each address once, under the search that first
  returned it; which later searches returned it again is not recorded. So a search's
  ``records`` is the number of records first seen in it, and its note gives the results count.
- keep: included (title-abstract and full text), with its bibliography key;
- merged (another copy or record of a kept work): a duplicate of that work's kept record;
- leave whose reason names the record it duplicates ("duplicate of R031"): a duplicate of it;
- leave: excluded at the log's stage (a full-text exclusion passed title-abstract first), the
  reason one of the log's own categories (``make_log.py``), the log's words as the note.

"Full text" here means what the search tool returned of a work: excerpts, never whole pages.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

REASONS = {
    "not-a-work": "Not a research work or report (dataset, profile, video, press release...)",
    "news-or-opinion": "News, opinion or journalism",
    "not-on-topic": "Not on the topic of the review",
    "outside-the-period": "Reporting period outside the pandemic window (2020-2022)",
    "no-readable-text": "No readable text beyond the front matter",
    "no-bibliographic-data": "Bibliographic data not printed in the text read",
}


def category(reason: str) -> str:  # noqa: PLR0911 - the log's rules, in the log's order
    """The log's own categories (``make_log.py``, ``left_by_reason``), as reason ids."""
    low = reason.lower()
    if "nothing to extract" in reason or "no readable text" in reason:
        return "no-readable-text"
    if ("not printed" in reason or "not in the text read" in reason) and not reason.startswith(
        "about"
    ):
        return "no-bibliographic-data"
    if any(w in low for w in ("news", "opinion", "journalism", "blog")):
        return "news-or-opinion"
    if reason.startswith("not a work") or any(
        w in reason
        for w in (
            "profile",
            "video",
            "compendium",
            "encyclopaedia",
            "press release",
            "feature story",
            "announcement",
        )
    ):
        return "not-a-work"
    if reason.startswith("duplicate") or "reproduction" in reason:
        return "duplicate"
    if "reporting period" in reason:
        return "outside-the-period"
    if "only front matter" in reason:
        return "no-readable-text"
    return "not-on-topic"


def q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def convert(log: dict[str, Any], out: Path) -> None:
    records = log["records"]
    first_seen = Counter(r["search"] for r in records)
    kept_by_work = {r["work"]: r["id"].lower() for r in records if r["decision"] == "keep"}
    ids = {r["id"] for r in records}
    (out / "searches").mkdir(parents=True, exist_ok=True)
    (out / "reasons").mkdir(parents=True, exist_ok=True)
    (out / "screening").mkdir(parents=True, exist_ok=True)
    for search in log["searches"]:
        ident = search["id"].lower()
        corpus = re.search(r"corpus '(\w+)'", search["source"])
        seen = first_seen[search["id"]]
        note = (
            f"The tool returned {search['results']} results; {seen} were first seen in this "
            "search and are listed here"
            + (
                f"; the other {search['results'] - seen} had been returned by an earlier search "
                "(the log does not record which)."
                if seen < search["results"]
                else "."
            )
        )
        source = f"Stored-corpus search tool, corpus {corpus[1]!r}" if corpus else search["source"]
        (out / "searches" / f"{ident}.yaml").write_text(
            "# yaml-language-server: $schema=../../schemas/search.schema.json\n"
            f"id: {ident}\n"
            f"source: {q(source)}\n"
            "type: database\n"
            f"date: {q(search['date'])}\n"
            f"query: {q(search['query'])}\n"
            f"records: {seen}\n"
            f"note: {q(note)}\n",
            encoding="utf-8",
        )
    for ident, label in REASONS.items():
        (out / "reasons" / f"{ident}.yaml").write_text(
            "# yaml-language-server: $schema=../../schemas/reason.schema.json\n"
            f"id: {ident}\nlabel: {q(label)}\n",
            encoding="utf-8",
        )
    lines = []
    for r in records:
        record: dict[str, Any] = {"id": r["id"].lower()}
        if r["decision"] == "keep":
            record["key"] = r["work"]
        address = r["url"] if r["url"].startswith(("http://", "https://")) else None
        if address:
            record["url"] = address
        record |= {"title": r["title"], "found_by": [r["search"].lower()]}
        named = re.search(r"duplicate of (R\d{3})", r["reason"])
        if r["decision"] == "merged":
            record["duplicate_of"] = kept_by_work[r["work"]]
        elif r["decision"] == "leave" and named and named[1] in ids:
            record["duplicate_of"] = named[1].lower()
        elif r["decision"] == "keep":
            record["decisions"] = {"title-abstract": "include", "full-text": "include"}
        else:
            excluded = {"decision": "exclude", "reason": category(r["reason"])}
            record["decisions"] = (
                {"title-abstract": "include", "full-text": excluded}
                if r["stage"] == "full-text"
                else {"title-abstract": excluded}
            )
        where = "" if address else f" {r['url']}"
        record["note"] = f"{r['decision']} at {r['stage']}: {r['reason']}{where}"
        lines.append("  - " + json.dumps(record, ensure_ascii=False) + "\n")
    (out / "screening" / "related-works.yaml").write_text(
        "# yaml-language-server: $schema=../../schemas/screening.schema.json\n"
        "# Converted from the research notes' search-log.yml by "
        "tests/scoping/convert_search_log.py.\n"
        "id: related-works\n"
        f"description: {q(log['note'])}\n"
        "reviewer: litreview contributors\n"
        f"date: {q(log['searches'][0]['date'])}\n"
        "records:\n" + "".join(lines),
        encoding="utf-8",
    )


if __name__ == "__main__":
    source = Path(sys.argv[1])
    convert(yaml.safe_load(source.read_text(encoding="utf-8")), Path("content"))
