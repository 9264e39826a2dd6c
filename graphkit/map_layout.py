"""Where each organisation sits on a map: seeded, ecosystems apart, components packed.

A large connected component drawn by one force layout is a ball with every ecosystem
mixed through it (a 6,130-organisation network drew as a grey ball a few dozen pixels
wide). Here each ecosystem is laid out by itself in a disc, the discs are placed by a
force layout of the ecosystems (ties between them pull them together) and pushed apart
until none overlap, and disconnected components are packed in rows around the main one.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

from graphkit.engine import Indexed, index_graph, seeded

# Nearest organisations this far apart (px, median): nodes are up to 40 px in radius, so
# in a small component two of the largest do not touch and a clique (an alliance, where
# every member ties to every other) opens into a disc instead of a blob; a large one is
# drawn tighter, so the browser's fitted view is not zoomed out past its labels.
SPACING = 100.0
SPACING_LARGE = 60.0  # components above LARGE organisations
LARGE = 60
GAP = 150.0  # between packed components
CLUSTER_GAP = 120.0  # between two ecosystems' discs
# Discs for this many of a component's largest ecosystems at most (pushing discs apart
# compares every pair); members of smaller ones sit beside their placed partners.
MAX_DISCS = 300


def layout(graph: nx.Graph, seed: int = 0, reuse: dict | None = None,
           indexed: Indexed | None = None, clusters: dict | None = None) -> dict:
    """Positions in pixels: reused where given, else laid out afresh (seeded).

    `clusters` (organisation -> ecosystem) puts each ecosystem of a large component in
    a disc of its own; without it a component is one force layout. New organisations of
    a reused layout go to the centre of their placed partners (or a seeded random spot),
    so the same network at two dates keeps every organisation in place.
    """
    reuse = reuse or {}
    nodes = list(graph.nodes)
    placed = {n: tuple(map(float, reuse[n])) for n in nodes if n in reuse}
    if len(placed) == len(nodes):
        return placed
    rng = np.random.default_rng(seed)
    if placed:
        return _extended(graph, placed, rng)
    ix = indexed or index_graph(graph)
    # Deal counts are heavy-tailed: attraction grows with their logarithm, or the strongest
    # ties would pull everything into one knot.
    full = ix.graph.copy()  # the engine's graph stays as it is
    full.es["pull"] = (1.0 + np.log1p(ix.weight)).tolist()
    full.vs["position"] = list(range(ix.n))
    codes: dict = {}
    full.vs["cluster"] = ([codes.setdefault(clusters[n], len(codes)) for n in ix.nodes]
                          if clusters else [0] * ix.n)
    pieces = []
    with seeded(seed):
        for members in sorted(full.connected_components(), key=len, reverse=True):
            sub = full.induced_subgraph(members)
            if sub.vcount() > LARGE and len(set(sub.vs["cluster"])) > 1:
                xy = _clustered_layout(sub, rng)
            else:
                xy = _component_layout(sub)
            pieces.append((sub.vs["position"], xy))
    xy = np.zeros((ix.n, 2))
    for members, where in _packed(pieces):
        xy[members] = where
    return {n: (round(float(x), 2), round(float(y), 2)) for n, (x, y) in zip(ix.nodes, xy,
                                                                              strict=True)}


def _extended(graph: nx.Graph, placed: dict, rng: np.random.Generator) -> dict:
    """A reused layout with its new organisations beside their placed partners."""
    xs = np.array(list(placed.values()))
    spread = float(np.abs(xs).max()) or 100.0
    out = dict(placed)
    for n in graph.nodes:
        if n in out:
            continue
        anchors = [placed[m] for m in graph[n] if m in placed]
        if anchors:
            out[n] = tuple(np.mean(anchors, axis=0) + rng.normal(0, spread * 0.03, 2))
        else:
            out[n] = tuple(rng.uniform(-spread, spread, 2))
    return out


def _component_layout(sub, spacing: float | None = None) -> np.ndarray:
    """One graph (an igraph graph with `pull` edge weights) laid out by itself, seeded by
    the caller, centred and scaled so the median distance to the nearest organisation is
    `spacing` (SPACING, or SPACING_LARGE above LARGE organisations)."""
    if sub.vcount() == 1:
        return np.zeros((1, 2))
    # Fruchterman-Reingold at every size (6,100 organisations and 50,800 ties in 0.4 s,
    # where DrL took 29 s); fewer iterations on dense graphs, as each costs a pass over
    # every tie.
    niter = 1000 if sub.ecount() < 20_000 else 300
    # igraph's grid (repulsion from nearby cells only) is on by itself above 1,000
    # organisations; from 200 it makes an ecosystem of 969 take 0.15 s instead of 2.6 s.
    coords = sub.layout_fruchterman_reingold(weights="pull", niter=niter,
                                             grid=sub.vcount() > 200)
    xy = np.asarray(coords.coords, dtype=float).reshape(-1, 2)
    xy -= xy.mean(axis=0)
    nearest = cKDTree(xy).query(xy, k=2)[0][:, 1]
    scale = float(np.median(nearest[nearest > 0])) if (nearest > 0).any() else 1.0
    if spacing is None:
        spacing = SPACING if sub.vcount() <= LARGE else SPACING_LARGE
    return xy * (spacing / scale)


def _clustered_layout(sub, rng: np.random.Generator) -> np.ndarray:
    """A large component with each ecosystem (`cluster`) in a disc of its own: members
    laid out among themselves, discs placed by a force layout of the ecosystems weighted
    by the ties between them, then pushed apart until no two overlap."""
    label = np.asarray(sub.vs["cluster"])
    kinds, label = np.unique(label, return_inverse=True)
    sizes = np.bincount(label)
    discs = np.argsort(-sizes, kind="stable")[:MAX_DISCS]
    xy = np.full((sub.vcount(), 2), np.nan)
    radius = np.zeros(len(discs))
    for i, c in enumerate(discs):
        members = np.flatnonzero(label == c)
        part = _component_layout(sub.induced_subgraph(members.tolist()), SPACING_LARGE)
        xy[members] = part
        radius[i] = float(np.hypot(*part.T).max()) + SPACING_LARGE / 2

    # The ecosystems as one graph: a tie between two is the sum of their members' pulls.
    order = np.full(len(kinds), -1)
    order[discs] = np.arange(len(discs))
    ends = np.array(sub.get_edgelist(), dtype=int).reshape(-1, 2)
    a, b = order[label[ends[:, 0]]], order[label[ends[:, 1]]]
    crossing = (a != b) & (a >= 0) & (b >= 0)
    import igraph as ig

    pairs: dict = {}
    for u, v, w in zip(a[crossing], b[crossing], np.asarray(sub.es["pull"])[crossing],
                       strict=True):
        key = (min(u, v), max(u, v))
        pairs[key] = pairs.get(key, 0.0) + float(w)
    quotient = ig.Graph(n=len(discs), edges=list(pairs))
    quotient.es["pull"] = [math.log1p(w) for w in pairs.values()]
    centres = np.asarray(quotient.layout_fruchterman_reingold(
        weights="pull" if pairs else None, niter=1000).coords, dtype=float).reshape(-1, 2)
    centres = _apart(centres, radius, rng)
    for i, c in enumerate(discs):
        xy[label == c] += centres[i]

    # Members of ecosystems past MAX_DISCS: beside their placed partners, or at the edge.
    loose = np.flatnonzero(np.isnan(xy[:, 0]))
    for _ in range(3):
        for v in loose:
            near = [u for u in sub.neighbors(int(v)) if not np.isnan(xy[u, 0])]
            if near:
                xy[v] = xy[near].mean(axis=0) + rng.normal(0, SPACING_LARGE / 2, 2)
        loose = np.flatnonzero(np.isnan(xy[:, 0]))
    if len(loose):
        edge = float(np.nanmax(np.hypot(*np.nan_to_num(xy).T)))
        angle = rng.uniform(0, 2 * math.pi, len(loose))
        xy[loose] = np.c_[np.cos(angle), np.sin(angle)] * edge
    return xy - xy.mean(axis=0)


def _apart(centres: np.ndarray, radius: np.ndarray, rng: np.random.Generator,
           rounds: int = 500) -> np.ndarray:
    """Disc centres moved as little as it takes for no two discs to overlap: scaled so
    the discs would fill a circle of their total area, then every overlapping pair
    pushed apart (the smaller disc moving more) until none overlap."""
    k = len(radius)
    if k == 1:
        return np.zeros((1, 2))
    c = centres - centres.mean(axis=0)
    reach = float(np.hypot(*c.T).max()) or 1.0
    c *= math.sqrt(float(((radius + CLUSTER_GAP / 2) ** 2).sum())) / reach
    c += rng.normal(0, 1e-3, c.shape)  # no two centres exactly together
    area = radius ** 2
    share = area[None, :] / (area[:, None] + area[None, :])  # how much of a push i takes
    need = radius[:, None] + radius[None, :] + CLUSTER_GAP
    np.fill_diagonal(need, 0.0)
    for _ in range(rounds):
        d = c[:, None, :] - c[None, :, :]
        dist = np.hypot(d[..., 0], d[..., 1])
        over = need - dist
        np.fill_diagonal(over, 0.0)
        if over.max() <= 1e-6:
            break
        over = np.clip(over, 0.0, None)
        unit = d / np.where(dist > 0, dist, 1.0)[..., None]
        c += (unit * (over * share)[..., None]).sum(axis=1) * 0.5
    return c


def _packed(pieces: list[tuple[list[int], np.ndarray]]):
    """Components side by side in rows, largest first, rows about as wide as the whole is
    tall: the main component fills the view instead of sitting in the middle of an empty
    page with two-organisation components scattered far around it."""
    boxes = []
    for members, xy in pieces:
        low, high = xy.min(axis=0), xy.max(axis=0)
        boxes.append((members, xy - (low + high) / 2, high - low + GAP))
    area = sum(float(w * h) for _, _, (w, h) in boxes)
    width = max(math.sqrt(area) * 1.2, float(boxes[0][2][0]) if boxes else 0.0)
    x = y = row = 0.0
    placed = []
    for members, xy, (w, h) in boxes:
        if x > 0 and x + w > width:
            x, y, row = 0.0, y + row, 0.0
        placed.append((members, xy + np.array([x + w / 2, y + h / 2])))
        x, row = x + w, max(row, h)
    if placed:
        every = np.vstack([xy for _, xy in placed])
        centre = (every.min(axis=0) + every.max(axis=0)) / 2
        placed = [(members, xy - centre) for members, xy in placed]
    return placed
