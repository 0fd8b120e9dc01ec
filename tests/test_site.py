"""The built site as a whole: links and anchors, determinism, the offline zip."""

from __future__ import annotations

import zipfile
from pathlib import Path

import html5lib
import pytest

from macros.cli.main import build_site
from macros.cli.packaging import write_zip
from macros.cli.sitecheck import check_links
from tests.conftest import ROOT


def test_every_internal_link_and_anchor_resolves(real_site: Path) -> None:
    report = check_links(real_site)
    assert report.broken == []
    assert report.invalid_external == []


@pytest.mark.review
def test_the_reviewed_papers_doi_is_an_external_link(real_site: Path) -> None:
    assert "https://doi.org/10.21111/mediasi.v4i2.10036" in check_links(real_site).external


def test_the_link_checker_finds_a_broken_anchor(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(
        '<a href="b.html#nope">x</a><a href="c.html">y</a>', encoding="utf-8"
    )
    (tmp_path / "b.html").write_text('<h1 id="top">b</h1>', encoding="utf-8")
    assert check_links(tmp_path).broken == [
        "a.html: b.html#nope (no anchor 'nope')",
        "a.html: c.html (no such file)",
    ]


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_two_builds_are_byte_identical(real_site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert build_site(ROOT, again) == 0
    first, second = snapshot(real_site), snapshot(again)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_zip_is_deterministic_and_unpacks_to_the_site(real_site: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one.zip", tmp_path / "two.zip"
    count = write_zip(real_site, one, "review-1.0")
    write_zip(real_site, two, "review-1.0")
    assert one.read_bytes() == two.read_bytes()
    with zipfile.ZipFile(one) as archive:
        names = archive.namelist()
    assert len(names) == count
    assert "review-1.0/index.html" in names
    assert all(name.startswith("review-1.0/") for name in names)


def test_every_page_is_well_formed_html(real_site: Path) -> None:
    problems = []
    for page in sorted(real_site.rglob("*.html")):
        parser = html5lib.HTMLParser(strict=False)
        parser.parse(page.read_bytes())
        problems += [
            f"{page.relative_to(real_site)}:{line}:{column}: {code}"
            for (line, column), code, _ in parser.errors
        ]
    assert problems == []
