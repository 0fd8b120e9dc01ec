"""Crossing minimisation for a layered drawing: the barycentre heuristic (Sugiyama et al.),
swept down and up the layers; nodes keep their group and groups keep their order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

Layer = list[tuple[str, str]]  # (node id, group id), top to bottom


def crossings(layers: Sequence[Layer], edges: Sequence[tuple[str, str]]) -> int:
    """Edge crossings between neighbouring layers (edges inside a layer are not counted)."""
    rank = {
        node: (index, i) for index, layer in enumerate(layers) for i, (node, _) in enumerate(layer)
    }
    total = 0
    for index in range(len(layers) - 1):
        pairs = []
        for a, b in edges:
            if a not in rank or b not in rank:
                continue
            (la, ia), (lb, ib) = rank[a], rank[b]
            if (la, lb) == (index, index + 1):
                pairs.append((ia, ib))
            elif (la, lb) == (index + 1, index):
                pairs.append((ib, ia))
        pairs.sort()
        for i, (a1, b1) in enumerate(pairs):
            total += sum(1 for a2, b2 in pairs[i + 1 :] if a2 > a1 and b2 < b1)
    return total


def order_layers(
    layers: Sequence[Layer], edges: Sequence[tuple[str, str]], sweeps: int = 8
) -> list[Layer]:
    """The layers reordered to cross fewer edges; the best ordering seen is kept.

    Inside a layer, nodes move only within their group and groups keep their given order.
    Ties keep the previous order, so the result depends on the input alone.
    """
    neighbours: dict[str, list[str]] = defaultdict(list)
    for a, b in edges:
        neighbours[a].append(b)
        neighbours[b].append(a)
    current = [list(layer) for layer in layers]
    best, best_count = [list(layer) for layer in current], crossings(current, edges)
    for sweep in range(sweeps):
        down = sweep % 2 == 0
        sequence = range(1, len(current)) if down else range(len(current) - 2, -1, -1)
        for index in sequence:
            fixed = current[index - 1] if down else current[index + 1]
            place = {node: float(i) for i, (node, _) in enumerate(fixed)}
            current[index] = _sorted(current[index], neighbours, place)
        count = crossings(current, edges)
        if count < best_count:
            best, best_count = [list(layer) for layer in current], count
    return best


def _sorted(layer: Layer, neighbours: dict[str, list[str]], place: dict[str, float]) -> Layer:
    groups = list(dict.fromkeys(group for _, group in layer))
    rank = {group: i for i, group in enumerate(groups)}
    position = {node: i for i, (node, _) in enumerate(layer)}

    def barycentre(node: str) -> float:
        known = [place[n] for n in neighbours.get(node, ()) if n in place]
        if not known:
            return float(position[node]) * len(place) / max(len(layer), 1)
        return sum(known) / len(known)

    return sorted(layer, key=lambda item: (rank[item[1]], barycentre(item[0]), position[item[0]]))
