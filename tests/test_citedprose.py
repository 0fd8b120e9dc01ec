"""A theme's synthesis cites works (``[@key, locator]``), links claims (``[claim:ID]``) and
holds math (``$TeX$``); everything else in it stays literal prose."""

from __future__ import annotations

from pathlib import Path

from macros.pages.citedprose import Marker, cited_prose, markers, tex_to_mathml
from macros.pages.engine import collect_review, load_review, render_site

SYNTHESIS = (
    'synthesis: "Müller finds rivers first [@muller2020rivers, p. 3], with $x^2$ growth; '
    'see [claim:roads-follow-rivers]. Prices of US$ 5 and $6 stay text, <b>so does this</b>."\n'
)


def with_synthesis(project: Path, line: str) -> Path:
    theme = project / "content/themes/rivers.yaml"
    kept = [x for x in theme.read_text("utf-8").splitlines(keepends=True) if "synthesis" not in x]
    theme.write_text("".join(kept) + line, encoding="utf-8")
    return project


def test_markers_are_citations_claims_and_formulas_in_order() -> None:
    text = "A [@k1] and [@k2, pp. 4–6] with $\\sqrt{s}$ and [claim:c-1]; US$ 5 and $6 are money."
    assert list(markers(text)) == [
        Marker("cite", "k1"),
        Marker("cite", "k2", "pp. 4–6"),
        Marker("math", "\\sqrt{s}"),
        Marker("claim", "c-1"),
    ]


def test_only_markers_become_markup_the_rest_stays_escaped() -> None:
    made = cited_prose(
        "See [@k, p. 2] and [claim:c] with $x$; <script>x</script> [^n] *em*",
        lambda key, locator: f"[^{key}-{locator}]",
        lambda ident: f"[C]({ident}.md)",
        lambda fragment: "TOKEN" if "<math" in fragment else "NO MATH",
    )
    assert (
        made
        == "See[^k-p. 2] and [C](c.md) with TOKEN; &lt;script&gt;x&lt;/script&gt; \\[\\^n\\] *em*"
    )


def test_a_formula_becomes_sanitised_mathml_and_bad_tex_stays_code() -> None:
    assert tex_to_mathml("\\sqrt{s} = 13").startswith('<math display="inline"')
    assert tex_to_mathml("\\frac{") == "<code>\\frac{</code>"


def test_a_theme_page_cites_links_and_shows_math(mini_project: Path) -> None:
    review = load_review(with_synthesis(mini_project, SYNTHESIS))
    site = render_site(review, {})
    page = site.pages["themes/rivers.md"]
    markdown = page.markdown
    assert "rivers first[^lr-1], with " in markdown
    assert "see [Roads tend to follow rivers.](../claims/roads-follow-rivers.md)." in markdown
    assert "US$ 5 and $6 stay text, &lt;b&gt;so does this&lt;/b&gt;." in markdown
    assert any("<math" in fragment for fragment in site.stash.referenced(markdown))
    # The synthesis' citation is one of the work's "cited by" places, with its locator.
    cited = [
        c for c in site.site.registry.cited_by("muller2020rivers") if c.page == "themes/rivers.md"
    ]
    assert "p. 3" in [c.locator for c in cited]


def test_an_unknown_key_or_claim_in_a_synthesis_is_a_path_line_error(mini_project: Path) -> None:
    line = 'synthesis: "As [@nosuchkey, p. 1] and [claim:no-such-claim] say."\n'
    _, errors = collect_review(with_synthesis(mini_project, line))
    messages = sorted(str(e) for e in errors)
    assert len(messages) == 2
    assert all(m.startswith("content/themes/rivers.yaml:") for m in messages)
    assert "unknown bibliography key 'nosuchkey'" in "".join(messages)
    assert "no-such-claim" in "".join(messages)
