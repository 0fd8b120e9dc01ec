"""Real MkDocs builds into tmp_path: the fixture's HTML, atomic swaps, failing inputs."""

from __future__ import annotations

import re
from pathlib import Path

from macros.cli.main import build_site


def read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def test_both_papers_appear_and_link_to_the_shared_entity(mini_site: Path) -> None:
    papers = read(mini_site, "papers/index.html")
    assert 'href="alpha/index.html"' in papers
    assert 'href="beta/index.html"' in papers
    agency = read(mini_site, "entities/example-agency.html")
    assert 'href="../papers/alpha/index.html"' in agency
    assert 'href="../papers/beta/index.html"' in agency


def test_cited_by_links_to_the_citing_anchors(mini_site: Path) -> None:
    entry = read(mini_site, "references/muller2020rivers.html")
    cited_by = entry[entry.index('class="lr-cited-by"') :]
    links = re.findall(r'href="([^"]+)"', cited_by.split("</ul>")[0])
    assert "../index.html#fnref:lr-1" in links
    assert "../claims/roads-follow-rivers.html#fnref:lr-1" in links
    for link in links:
        page, anchor = link.split("#")
        target = (mini_site / "references" / page).resolve()
        assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), link


def test_hand_written_citation_becomes_a_footnote_with_the_note(mini_site: Path) -> None:
    home = read(mini_site, "index.html")
    assert '<sup id="fnref:lr-1"><a class="footnote-ref" href="#fn:lr-1">1</a></sup>' in home
    assert "Hans Müller and Thị Nguyễn" in home
    assert "(2020): 12." in home
    assert 'href="references/muller2020rivers.html">Entry</a>' in home


def test_urls_reach_href_unchanged_and_text_is_escaped(mini_site: Path) -> None:
    entry = read(mini_site, "references/agency2021report.html")
    assert 'href="https://example.org/files/Annual%20Report%202021.pdf?a=1&amp;b=2"' in entry
    program = read(mini_site, "entities/river-program.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in program
    for page in mini_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "alert(1)</script>" not in text, page
        assert 'href="javascript:' not in text.lower(), page


def test_edit_links_point_to_the_yaml_source(mini_site: Path) -> None:
    claim = read(mini_site, "claims/roads-follow-rivers.html")
    assert "content/claims/roads-follow-rivers.yaml" in claim or "edit" not in claim


def test_failed_build_leaves_the_previous_site(mini_project: Path) -> None:
    site = mini_project / "site"
    assert build_site(mini_project, site) == 0
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    claim = mini_project / "content/claims/overall-works.yaml"
    claim.write_text(claim.read_text(encoding="utf-8") + "colour: red\n", encoding="utf-8")
    assert build_site(mini_project, site) == 1
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert not list(mini_project.glob(".site-*"))


def test_unknown_citation_key_in_markdown_fails_with_file_and_line(
    mini_project: Path, capfd: object
) -> None:
    page = mini_project / "docs/extra.md"
    page.write_text("# Extra\n\nText.\n\nMore {{ cite('nobody1999') }}.\n", encoding="utf-8")
    assert build_site(mini_project, mini_project / "site") == 1
    err = capfd.readouterr().err  # type: ignore[attr-defined]
    assert "docs/extra.md:5: cite() names unknown bibliography key 'nobody1999'" in err
