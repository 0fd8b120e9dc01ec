"""Claim-to-claim relations: a claim supports, contradicts or qualifies another claim (of any
paper), with an optional note; checked (unknown id, self-reference) and shown on both claims'
pages and on the pages of themes that hold both claims' works."""

from __future__ import annotations

from pathlib import Path

from macros.pages.engine import collect_review, load_review, render_site

DIFFER = "content/claims/roads-differ.yaml"


def _errors(project: Path) -> list[str]:
    _, errors = collect_review(project)
    return [str(e) for e in sorted(errors)]


def _retarget(project: Path, target: str) -> None:
    path = project / DIFFER
    text = path.read_text("utf-8").replace("target: roads-follow-rivers", f"target: {target}")
    path.write_text(text, encoding="utf-8")


def test_an_unknown_related_claim_is_a_path_line_error(mini_project: Path) -> None:
    _retarget(mini_project, "roads-follow-river")
    assert _errors(mini_project) == [
        f"{DIFFER}:11: unknown claim id 'roads-follow-river' (at relations[0].target); "
        "did you mean 'roads-follow-rivers'? Hint: create content/claims/roads-follow-river.yaml "
        "or fix the id."
    ]


def test_a_claim_relating_to_itself_is_a_path_line_error(mini_project: Path) -> None:
    _retarget(mini_project, "roads-differ")
    assert _errors(mini_project) == [
        f"{DIFFER}:11: a claim cannot relate to itself (at relations[0].target)."
    ]


def test_both_claims_pages_show_the_relation_and_its_note(mini_project: Path) -> None:
    pages = render_site(load_review(mini_project), {}).pages
    source = pages["claims/roads-differ.md"].markdown
    target = pages["claims/roads-follow-rivers.md"].markdown
    note = "Beta finds the roads leave the valleys."
    assert "**Contradicts**" in source
    assert "[Roads tend to follow rivers.](roads-follow-rivers.md)" in source
    assert "**Contradicted by**" in target
    assert f"[Roads differ from rivers.](roads-differ.md) (Second 2022): {note}" in target
    assert "**Supported by**" in pages["claims/overall-works.md"].markdown


def test_a_theme_shows_relations_between_claims_of_its_works(mini_project: Path) -> None:
    heading = "## Claims that support or contradict each other"
    before = render_site(load_review(mini_project), {}).pages
    assert heading not in before["themes/rivers.md"].markdown  # the papers are no works yet

    # The two papers' entries become works: alpha under Rivers, beta under Roads, a sub-theme
    # of Rivers.
    for key, theme in (("example2021alpha", "rivers"), ("second2022beta", "roads")):
        (mini_project / f"content/works/{key}.yaml").write_text(
            f"id: {key}\nstatus: included\nthemes: [{{id: {theme}}}]\n", encoding="utf-8"
        )
    assert _errors(mini_project) == []
    pages = render_site(load_review(mini_project), {}).pages
    rivers = pages["themes/rivers.md"].markdown
    assert heading in rivers
    assert (
        "- [Roads differ from rivers.](../claims/roads-differ.md) (Second 2022) **contradicts** "
        "[Roads tend to follow rivers.](../claims/roads-follow-rivers.md) (Example 2021): "
        "Beta finds the roads leave the valleys."
    ) in rivers
    assert "**supports**" in rivers  # alpha's own two claims
    assert heading not in pages["themes/roads.md"].markdown  # alpha's work is not under Roads
