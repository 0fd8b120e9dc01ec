"""JabRef's groups tree (``@Comment{jabref-meta: grouping: ...}``) imported as themes: each
member entry gets its group's path as a hierarchical keyword, with one report line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from macros.bibliography.importer import read_bibtex
from macros.bibliography.jabref import read_groups
from macros.cli.main import main
from macros.kinds import themetree
from macros.pages.engine import load_review
from tests.conftest import ROOT

CORPUS = ROOT / "tests/corpora/bibtex/jabref-groups.bib"

LIBRARY = r"""@article{a1, title = {Filters and banks}, keywords = {filter, dsp}, groups = {Read}}
@article{b2, title = {Adders}, keywords = {arithmetic}}
@article{c3, title = {Old style}, journal = {J. Filter Design}}

@Comment{jabref-meta: grouping:
0 AllEntriesGroup:;
1 StaticGroup:Status\;0\;1\;\;\;\;;
2 StaticGroup:Read\;0\;0\;\;\;\;;
2 ExplicitGroup:Old, listed\;0\;c3\;b2\;;
1 KeywordGroup:Filtering\;0\;keywords\;FILTER\;0\;0\;1\;\;\;\;;
2 KeywordGroup:Journals, by word\;0\;journal\;^J\. Filter\;1\;1\;1\;\;\;\;;
1 SearchGroup:Big ones\;0\;title\;1\;0\;;
}
"""


def test_the_tree_and_who_is_in_each_group() -> None:
    groups = read_groups(LIBRARY)
    assert [(g.path, g.kind) for g in groups] == [
        (["Status"], "StaticGroup"),
        (["Status", "Read"], "StaticGroup"),
        (["Status", "Old listed"], "ExplicitGroup"),
        (["Filtering"], "KeywordGroup"),
        (["Filtering", "Journals by word"], "KeywordGroup"),
        (["Big ones"], "SearchGroup"),
    ]
    records, errors, notes = read_bibtex("lib.bib", LIBRARY)
    assert errors == []
    keywords = {r.key: r.fields.get("keywords") for r in records}
    assert keywords == {
        "a1": "filter, dsp, Status > Read, Filtering",  # groups field; keyword, any case
        "b2": "arithmetic, Status > Old listed",  # listed by key in the group itself
        "c3": "Status > Old listed, Filtering > Journals by word",  # a regular expression
    }
    assert str(notes[-1]) == (
        "lib.bib:5: JabRef groups: 6 group(s) read as themes, 3 entries placed in 4 of them "
        "(as keywords 'Parent > Child'); 1 group(s) without stored members left out "
        "(SearchGroup)"
    )


def test_a_jabref_library_imported_becomes_a_themes_tree(tmp_path: Path) -> None:
    project = tmp_path / "review"
    result = CliRunner().invoke(main, ["init", str(project), "--title", "Groups"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["--root", str(project), "import", str(CORPUS)])
    assert result.exit_code == 0, result.output
    assert (
        "tests/corpora/bibtex/jabref-groups.bib:3034: JabRef groups: 8 group(s) read as themes, "
        "66 entries placed in 7 of them (as keywords 'Parent > Child')"
    ) in result.output.replace(str(ROOT) + "/", "")
    tree = themetree.build(load_review(project))
    assert tree.themes["by-status--skimmed"].parents == ["by-status"]
    assert tree.themes["by-status--skimmed"].name == "Skimmed"
    assert sorted(tree.members["by-status--skimmed"]) == [
        "AlamGustafsson2014",
        "StrauchKoppLeymannEtAl2011",
    ]
    assert sorted(tree.children["by-status"]) == [
        "by-status--last-read",
        "by-status--skimmed",
        "by-status--to-be-read",
    ]
    assert len(tree.members["by-rating"]) == 36
    assert "for-project-x" in tree.themes
