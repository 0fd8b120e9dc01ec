"""Convert the cv-in-logistics survey into a litreview project (run once; output committed).

Source: a-nau/cv-in-logistics, commit 02d36d3423c047ce9511d17c1fc6ef1fb1752b1b, MIT (LICENSE,
Alexander Naumann and Felix Hertlein). Reads its ``_posts/*.md`` front matter and
``_data/tags.yml``; writes ``references.bib`` (each post's BibTeX, under the post's id),
``content/fields/`` (the five tag facets as choice fields, the dataset and link fields) and
``content/works/<key>.yaml`` (the catalogue layer: included), ``content/extraction/<key>.yaml``
(each post's tags, dataset and links as values); each
entry's ``keywords`` get its tags as ``Facet > Tag`` paths (the theme tree). The posts'
one-line summaries and abstracts are the survey authors' words and are left out.

    python examples/cv-in-logistics/convert.py [PATH-TO-THE-SURVEY-CHECKOUT]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parents[2] / "shared" / "corpora" / "cv-in-logistics"
FACETS = {  # facet in tags.yml -> field id
    "Objects": "objects",
    "CV Tasks": "cv-tasks",
    "Data Type": "data-type",
    "Approach Type": "approach",
    "Application": "application",
}
LINKS = {  # key under urls -> (field id, label)
    "paper": ("paper-link", "Paper"),
    "arxiv": ("arxiv", "arXiv"),
    "code": ("code", "Code"),
    "dataset": ("dataset-link", "Dataset link"),
    "project": ("project", "Project page"),
}
DATASET = {  # key under dataset -> (field id, label)
    "name": ("dataset-name", "Dataset"),
    "comment": ("dataset-comment", "Dataset size and notes"),
    "description": ("dataset-description", "Dataset description"),
}
HEADER = "# Converted by convert.py from a-nau/cv-in-logistics (MIT); do not edit by hand.\n"


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    _, block, _ = text.split("---", 2)
    data = yaml.safe_load(block)
    assert isinstance(data, dict), path
    return data


def dump(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(HEADER + text, encoding="utf-8")


def short_doi_as_url(bibtex: str) -> str:
    """Zotero wrote short DOIs (``10/gh547b``), which are not DOIs but resolve at doi.org: such
    a ``doi`` field becomes ``shortdoi``, and the entry's ``url`` if it has none."""
    match = re.search(r"^\s*doi\s*=\s*\{(10/[^}]+)\},?\n", bibtex, re.MULTILINE)
    if match is None:
        return bibtex
    url = "" if re.search(r"^\s*url\s*=", bibtex, re.MULTILINE) else (
        f" url = {{https://doi.org/{match[1]}}},\n"
    )
    kept = f" shortdoi = {{{match[1]}}},\n"  # nothing lost; no style prints it
    return bibtex[: match.start()] + kept + url + bibtex[match.end() :]


def with_keywords(bibtex: str, tags: list[str]) -> str:
    """The entry with ``keywords = {tag, tag}`` as its first field (it has none of its own)."""
    if not tags:
        return bibtex
    assert not re.search(r"^\s*keywords\s*=", bibtex, re.MULTILINE), bibtex
    head, _, rest = bibtex.partition("\n")
    return f"{head}\n keywords = {{{', '.join(tags)}}},\n{rest}"


def main(source: Path) -> None:
    tags = yaml.safe_load((source / "_data" / "tags.yml").read_text(encoding="utf-8"))
    code_of: dict[str, tuple[str, str]] = {}
    for order, (facet, field_id) in enumerate(FACETS.items(), start=1):
        labels = tags[facet]
        code_of |= {code: (field_id, label) for code, label in labels.items()}
        dump(
            HERE / "content" / "fields" / f"{field_id}.yaml",
            {
                "id": field_id,
                "label": facet,
                "type": "choice",
                "multiple": True,
                "vocabulary": list(labels.values()),
                "required": True,
                "description": f"The survey's '{facet}' tags.",
                "order": order,
            },
        )
    extra = list(DATASET.values()) + list(LINKS.values())
    for order, (field_id, label) in enumerate(extra, start=len(FACETS) + 1):
        is_link = (field_id, label) in LINKS.values()
        dump(
            HERE / "content" / "fields" / f"{field_id}.yaml",
            {
                "id": field_id,
                "label": label,
                "type": "link" if is_link else "text",
                "description": "As the survey lists it.",
                "order": order,
            },
        )
    entries: list[tuple[str, str]] = []
    tagged: dict[str, list[str]] = {}
    for post in sorted((source / "_posts").glob("*.md")):
        data = front_matter(post)
        key = str(data["id"])
        # Two posts' BibTeX keys differ from their ids: the id (their page's name) wins.
        bibtex = re.sub(r"^(\s*@\w+\{)[^,]+,", rf"\g<1>{key},", data["bibtex"].strip())
        entries.append((key, short_doi_as_url(bibtex)))
        values: dict[str, Any] = {}
        for code in filter(None, (c.strip(" '\"") for c in str(data["tags"]).split(","))):
            if code not in code_of:  # the survey has one: '95', in no facet
                print(f"{key}: tag '{code}' is in no facet; left out", file=sys.stderr)
                continue
            field_id, label = code_of[code]
            if label not in values.setdefault(field_id, []):
                values[field_id].append(label)
        for facet_field in FACETS.values():
            values.setdefault(facet_field, "not reported")
        for name, (field_id, _) in DATASET.items():
            value = ((data.get("dataset") or {}).get(name) or "").strip()
            if value:
                values[field_id] = value
        for name, (field_id, _) in LINKS.items():
            value = ((data.get("urls") or {}).get(name) or "").strip()
            if value:
                values[field_id] = value
        dump(HERE / "content" / "extraction" / f"{key}.yaml", {"id": key, "values": values})
        # The catalogue layer: every work of the survey is in it; no summary (the survey's
        # are its authors' words), its themes come from the keywords below.
        dump(HERE / "content" / "works" / f"{key}.yaml", {"id": key, "status": "included"})
        tagged[key] = [
            f"{facet} > {label}"
            for facet, field_id in FACETS.items()
            if isinstance(values[field_id], list)  # else "not reported"
            for label in values[field_id]
        ]
    # The facets also go into each entry's keywords as JabRef-style paths (Facet > Tag): the
    # theme tree a tagged library gives, without a theme file written by hand.
    bib = [with_keywords(text, tagged[key]) for key, text in entries]
    (HERE / "references.bib").write_text(
        HEADER.replace("# ", "% ", 1) + "\n" + "\n\n".join(bib) + "\n", encoding="utf-8"
    )
    print(f"{len(entries)} works, {len(FACETS) + len(extra)} fields")  # noqa: T201


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE)
