"""The diagrams' layouts (macros/pages/layout, macros/pages/diagrams): deterministic, no
overlapping boxes, fewer crossings than the input order, everything inside the viewBox."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from macros.content.review import Review
from macros.pages import diagrams
from macros.pages.engine import load_review
from macros.pages.layout.layered import crossings, order_layers
from macros.pages.layout.stress import Rect, overlap, remove_overlaps, stress_layout
from macros.pages.layout.text import wrap
from tests.conftest import MINI, ROOT, copy_project

SVG = "{http://www.w3.org/2000/svg}"
REVIEWS = {"mini": MINI, "shipped": ROOT}


@pytest.fixture(
    scope="module",
    params=["mini", pytest.param("shipped", marks=pytest.mark.review)],
)
def review(request: pytest.FixtureRequest) -> Review:
    return load_review(REVIEWS[request.param])


def href(kind: str, ident: str) -> str:
    return f"{kind}/{ident}.html"


def maps(review: Review) -> list[str]:
    return [svg for p in review.papers.values() if (svg := diagrams.argument_map(review, p, href))]


def network(review: Review) -> str:
    nodes, edges = diagrams.entity_network(review, lambda ident: f"{ident}.html")
    return diagrams.network(nodes, edges, "Network")


def boxes_of(svg: str) -> tuple[tuple[float, float], list[tuple[str, float, float, float, float]]]:
    """The viewBox size and every node's shape (id, x, y, width, height) of an SVG."""
    root = ET.fromstring(svg)  # noqa: S314 (our own markup)
    _, _, width, height = (float(n) for n in root.attrib["viewBox"].split())
    shapes = []
    for node in root.iter():
        ident = node.attrib.get("data-node")
        if ident is None:
            continue
        rect, circle = node.find(f"{SVG}rect"), node.find(f"{SVG}circle")
        if rect is not None:
            x, y = float(rect.attrib["x"]), float(rect.attrib["y"])
            shapes.append((ident, x, y, float(rect.attrib["width"]), float(rect.attrib["height"])))
        elif circle is not None:
            r = float(circle.attrib["r"])
            cx, cy = float(circle.attrib["cx"]), float(circle.attrib["cy"])
            shapes.append((ident, cx - r, cy - r, 2 * r, 2 * r))
    return (width, height), shapes


def test_the_same_review_gives_the_same_bytes(review: Review) -> None:
    assert maps(review) == maps(review)
    assert network(review) == network(review)


DIGEST = """
import hashlib, sys
from pathlib import Path
from tests.test_layout import maps, network
from macros.pages.engine import load_review
from tests.conftest import copy_project
review = load_review(Path(sys.argv[1]))
print(hashlib.sha256(("".join(maps(review)) + network(review)).encode()).hexdigest())
"""


@pytest.mark.review  # the shipped review's diagrams
def test_layouts_do_not_depend_on_the_hash_seed() -> None:
    # This process against one child with another fixed seed: one child process, not two.
    other = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    done = subprocess.run(
        [sys.executable, "-c", DIGEST, str(ROOT)],
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": other},
        capture_output=True,
        text=True,
        check=True,
    )
    here = load_review(ROOT)
    mine = hashlib.sha256(("".join(maps(here)) + network(here)).encode()).hexdigest()
    assert done.stdout.strip() == mine


def test_every_node_lies_inside_the_viewbox(review: Review) -> None:
    for svg in [*maps(review), network(review)]:
        (width, height), shapes = boxes_of(svg)
        assert shapes
        for ident, x, y, w, h in shapes:
            assert 0 <= x <= width - w, ident
            assert 0 <= y <= height - h, ident


def test_no_two_map_boxes_overlap(review: Review) -> None:
    for svg in maps(review):
        _, shapes = boxes_of(svg)
        for i, (a, ax, ay, aw, ah) in enumerate(shapes):
            for b, bx, by, bw, bh in shapes[i + 1 :]:
                assert not (ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah), (a, b)


def test_no_two_network_labels_overlap_or_leave_the_picture(review: Review) -> None:
    nodes, edges = diagrams.entity_network(review, lambda ident: ident)
    boxes, lines, width, height = diagrams.network_layout(nodes, edges)
    assert len(boxes) == len(nodes)
    assert len(lines) == len(nodes)
    for i, a in enumerate(boxes):
        assert 0 <= a.x0 <= width - a.width
        assert 0 <= a.y0 <= height - a.height
        for b in boxes[i + 1 :]:
            assert min(overlap(a, b, 0.0)) <= 0


@pytest.mark.review  # the shipped review's diagrams
def test_crossing_minimisation_beats_the_input_order() -> None:
    review = load_review(ROOT)
    for paper in review.papers.values():
        layout = diagrams.map_layout(review, paper, href, lambda key: key)
        assert layout is not None
        edges = layout.evidence + [(a, b) for a, b, _ in layout.relations]
        before, after = crossings(layout.layers, edges), crossings(layout.ordered, edges)
        assert after < before
        # Groups keep their order and their members.
        for old, new in zip(layout.layers, layout.ordered, strict=True):
            assert sorted(old) == sorted(new)
            assert list(dict.fromkeys(g for _, g in old)) == list(dict.fromkeys(g for _, g in new))


def test_barycentre_untangles_a_crossed_pair() -> None:
    layers = [[("a", ""), ("b", "")], [("x", ""), ("y", "")]]
    edges = [("a", "y"), ("b", "x")]
    assert crossings(layers, edges) == 1
    assert crossings(order_layers(layers, edges), edges) == 0


def test_overlap_removal_separates_boxes_piled_on_one_point() -> None:
    boxes = [Rect(0.0, 0.0, 2.0, 5.0, 60.0, 10.0) for _ in range(30)]
    remove_overlaps(boxes)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert min(overlap(a, b, 0.0)) <= 0


def test_stress_layout_puts_neighbours_nearer_than_strangers() -> None:
    points = stress_layout(4, [(0, 1), (1, 2), (2, 3)], 100.0)
    near = abs(complex(*points[0]) - complex(*points[1]))
    far = abs(complex(*points[0]) - complex(*points[3]))
    assert 80 < near < 120
    assert far > 2 * near


def test_wrapped_labels_keep_every_word() -> None:
    text = "An extraordinarily-long-hyphenated-compound word and some more words to wrap"
    lines = wrap(text, 100)
    assert len(lines) > 2
    assert "".join(lines).replace("-", "").replace(" ", "") == text.replace("-", "").replace(
        " ", ""
    )
    assert "…" not in "".join(lines)


def test_an_empty_review_draws_nothing(tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "mini")
    (project / "content/claims/roads-differ.yaml").unlink()  # beta's one claim
    review = load_review(project)
    beta = review.papers["beta"]
    assert diagrams.argument_map(review, beta, href) == ""  # no claims
    assert diagrams.network([], [], "Network") == ""


@pytest.mark.review  # the shipped review's diagrams
def test_hover_titles_show_names_not_ids() -> None:
    review = load_review(ROOT)
    svg = network(review)
    root = ET.fromstring(svg)  # noqa: S314 (our own markup)
    titles = [t.text or "" for t in root.iter(f"{SVG}title")]
    ids = set(review.entities)
    assert titles
    assert not [t for t in titles if any(word in ids for word in t.split())]


@pytest.mark.parametrize("count", [120, 400])
def test_a_large_network_keeps_labels_apart(count: int) -> None:
    # 120 nodes take the stress layout with fewer sweeps; 400 a grid (past WORK_LIMIT).
    nodes = [
        diagrams.NetNode(f"e{i}", f"Actor number {i} of many", "x", "ngo") for i in range(count)
    ]
    edges = [(f"e{i}", f"e{(i * 7) // 10}", "funds") for i in range(1, count)]
    boxes, _, width, height = diagrams.network_layout(nodes, edges)
    for i, a in enumerate(boxes):
        assert 0 <= a.x0 <= width - a.width
        assert 0 <= a.y0 <= height - a.height
        for b in boxes[i + 1 :]:
            assert min(overlap(a, b, 0.0)) <= 0
