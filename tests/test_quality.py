"""Project rules that no linter checks: a generic engine and schemas in sync with the model."""

from __future__ import annotations

import json
import re

import pytest

from macros.content.schemas import schema_texts
from macros.kinds import KINDS
from macros.pages.engine import collect_review
from tests.conftest import ROOT

# Words of the shipped review that must never appear in the engine.
PAPER_WORDS = re.compile(r"trafficking|\bIOM\b|Indonesia|Amalia|Malaysia", re.IGNORECASE)


def engine_files() -> list[str]:
    return sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "macros").rglob("*")
        if p.is_file() and p.suffix in {".py", ".j2", ".js", ".css"}
    )


@pytest.mark.parametrize("path", engine_files())
def test_engine_knows_nothing_of_the_paper(path: str) -> None:
    text = (ROOT / path).read_text(encoding="utf-8")
    assert PAPER_WORDS.findall(text) == []


def test_committed_schemas_match_the_model() -> None:
    for name, text in schema_texts(KINDS).items():
        assert (ROOT / "schemas" / name).read_text(encoding="utf-8") == text, name


def test_every_content_file_names_its_schema() -> None:
    for path in sorted((ROOT / "content").rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        kind = json.loads((ROOT / "schemas" / first.rsplit("/", 1)[-1]).read_text())["title"]
        assert first.startswith("# yaml-language-server: $schema=../../schemas/"), path
        assert kind, path


@pytest.mark.review
def test_quotes_are_verbatim_from_the_seed_text() -> None:
    review, errors = collect_review(ROOT)
    assert errors == []
    assert review.claims, "the shipped review has claims"
