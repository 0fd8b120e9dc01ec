"""A stress layout (stress majorisation, Gansner, Koren and North 2004) and overlap removal
for labelled boxes, in plain Python: no numpy, no system binary, deterministic."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

Point = tuple[float, float]
WORK_BUDGET = 600_000  # node pairs one layout visits, at most (well under a second)
WORK_LIMIT = 300  # nodes


def graph_distances(count: int, edges: Sequence[tuple[int, int]]) -> list[list[float]]:
    """Shortest path lengths (undirected); nodes in different components sit one step further
    apart than the longest path, so that components stay near each other."""
    adjacent: list[list[int]] = [[] for _ in range(count)]
    for a, b in edges:
        if a != b:
            adjacent[a].append(b)
            adjacent[b].append(a)
    far = [[-1.0] * count for _ in range(count)]
    for start in range(count):
        row = far[start]
        row[start] = 0.0
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for other in adjacent[node]:
                if row[other] < 0:
                    row[other] = row[node] + 1
                    queue.append(other)
    longest = max((d for row in far for d in row), default=0.0)
    return [[d if d >= 0 else longest + 1 for d in row] for row in far]


def stress_layout(
    count: int, edges: Sequence[tuple[int, int]], length: float, iterations: int = 60
) -> list[Point]:
    """Positions whose distances follow the graph distances times ``length`` (px).

    Starts from a circle in the given order and moves one node at a time to the weighted
    average its distances ask for (weights ``d**-2``).
    """
    if count == 0:
        return []
    radius = length * max(1.0, count / (2 * math.pi))
    xs = [radius * math.cos(2 * math.pi * i / count) for i in range(count)]
    ys = [radius * math.sin(2 * math.pi * i / count) for i in range(count)]
    # Each sweep costs count**2 steps: large graphs get fewer sweeps (none past WORK_LIMIT
    # nodes, where a drawing of every node is an index, not a picture: then a grid).
    iterations = min(iterations, WORK_BUDGET // (count * count))
    if iterations <= 0 or count > WORK_LIMIT:
        side = math.ceil(math.sqrt(count))
        return [(length * 2 * (i % side), length * (i // side)) for i in range(count)]
    distance = graph_distances(count, edges)
    others = [[j for j in range(count) if j != i] for i in range(count)]
    weights = [[1.0 / (d * d) if d else 0.0 for d in row] for row in distance]
    totals = [sum(row) for row in weights]
    for _ in range(iterations):
        moved = 0.0
        for i in range(count):
            sx = sy = 0.0
            xi, yi, row, wrow = xs[i], ys[i], distance[i], weights[i]
            for j in others[i]:
                dx, dy = xi - xs[j], yi - ys[j]
                pull = wrow[j] * row[j] * length / (math.hypot(dx, dy) or 1e-9)
                sx += wrow[j] * xs[j] + pull * dx
                sy += wrow[j] * ys[j] + pull * dy
            nx, ny = sx / totals[i], sy / totals[i]
            moved = max(moved, abs(nx - xi) + abs(ny - yi))
            xs[i], ys[i] = nx, ny
        if moved < 0.05:
            break
    return list(zip(xs, ys, strict=True))


@dataclass
class Rect:
    """A node's box: ``x``, ``y`` is its anchor (the node), the box spans ``left`` to the right
    and ``top`` above the anchor."""

    x: float
    y: float
    left: float
    top: float
    width: float
    height: float

    @property
    def x0(self) -> float:
        return self.x - self.left

    @property
    def y0(self) -> float:
        return self.y - self.top


def overlap(a: Rect, b: Rect, gap: float) -> tuple[float, float]:
    """How far ``a`` and ``b`` (with ``gap`` between them) overlap along x and y; <= 0: apart."""
    ox = min(a.x0 + a.width, b.x0 + b.width) + gap - max(a.x0, b.x0)
    oy = min(a.y0 + a.height, b.y0 + b.height) + gap - max(a.y0, b.y0)
    return ox, oy


def _offsets(step: float, reach: int) -> list[tuple[float, float]]:
    """Grid offsets nearest first (vertical moves cost less: labels are wide and short)."""
    cells = [
        (dx * step, dy * step) for dx in range(-reach, reach + 1) for dy in range(-reach, reach + 1)
    ]
    return sorted(cells, key=lambda c: (c[0] * c[0] * 2.0 + c[1] * c[1], c[0], c[1]))


def remove_overlaps(
    boxes: list[Rect], order: Sequence[int] | None = None, gap: float = 6.0, step: float = 8.0
) -> None:
    """Moves each box, in ``order`` (the most connected first), to the free place nearest its
    layout position: no two boxes then overlap. Greedy and deterministic; the search widens
    until a place is found, so it always ends."""
    placed: list[tuple[float, float, float, float]] = []  # left, top, right, bottom (+ gap)
    reach = 12
    offsets = _offsets(step, reach)
    for index in order if order is not None else range(len(boxes)):
        box = boxes[index]
        left, top = box.x0, box.y0
        width, height = box.width + gap, box.height + gap
        while True:
            span = reach * step  # only boxes the search can reach are checked
            near = [
                p
                for p in placed
                if left - span < p[2] and p[0] < left + width + span
                if top - span < p[3] and p[1] < top + height + span
            ]
            for dx, dy in offsets:
                x0, y0 = left + dx, top + dy
                x1, y1 = x0 + width, y0 + height
                if not any(x0 < r and a < x1 and y0 < b and t < y1 for a, t, r, b in near):
                    break
            else:
                reach *= 2
                offsets = _offsets(step, reach)
                continue
            break
        box.x, box.y = box.x + dx, box.y + dy
        placed.append((x0, y0, x1, y1))
