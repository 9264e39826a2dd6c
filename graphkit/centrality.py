"""Centrality and position: one table, one row per organisation, value and rank.

Every measure equals NetworkX's own function on the same graph (tests check 1e-9):

| column | NetworkX reference | weights |
|---|---|---|
| degree | G.degree | partners (ties) |
| weighted_degree | G.degree(weight="weight") | strength: deal count |
| betweenness | betweenness_centrality(normalized=True, weight="length") | length 1/weight |
| closeness | closeness_centrality(distance="length"), Wasserman–Faust | length |
| eigenvector | eigenvector_centrality_numpy(weight="weight") | strength |
| pagerank | pagerank(alpha=0.85, weight="weight"), solved exactly (*) | strength |
| clustering | clustering (unweighted) | none |
| core_number | core_number | none |
| constraint | constraint(weight="weight") | strength |
| effective_size | effective_size(nodes=list(G), weight="weight") | strength |

(*) NetworkX iterates PageRank to tol 1e-6 (values within ~1e-6); at tol 1e-13 the two
agree to 1e-9. Closeness uses the Wasserman–Faust scaling for disconnected graphs.
NetworkX's all-nodes call `effective_size(G, weight=...)` takes a sparse-matrix path that
normalises by the wrong axis on weighted graphs (networkx PR #8906); graphkit follows the
definition, as NetworkX's per-node path, UCINET and igraph do.

Betweenness is exact up to `exact_limit` organisations; above, it is estimated from
`pivots` source organisations sampled with `seed` exactly as NetworkX's
`betweenness_centrality(k=pivots, seed=seed)` samples them (same pivots, same values).
Rank 1 is the most central; for constraint, rank 1 is the least constrained (the broker).
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from graphkit.engine import Indexed, index_graph
from graphkit.errors import InputError
from graphkit.forked import can_fork, forked_map, shared

MEASURES = ["degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank",
            "clustering", "core_number", "constraint", "effective_size"]
ASCENDING = {"constraint"}  # smaller is more central
EXACT_LIMIT = 5000
DEFAULT_PIVOTS = 256
# Sources × ties above which betweenness is shared out over processes.
PARALLEL_WORK = 20_000_000


@dataclass
class CentralityResult:
    """The table and how it was computed (betweenness sampling, if any)."""

    table: pd.DataFrame
    notes: dict[str, object] = field(default_factory=dict)


def check_measures(measures: list[str] | None) -> list[str]:
    """The measures asked for, in table order; one clear error for unknown names."""
    if not measures:
        return list(MEASURES)
    unknown = [m for m in measures if m not in MEASURES]
    if unknown:
        raise InputError(f"unknown measure(s) {', '.join(unknown)}; choose from "
                         f"{', '.join(MEASURES)}")
    return [m for m in MEASURES if m in measures]


def centrality_table(
    graph: nx.Graph | Indexed,
    measures: list[str] | None = None,
    *,
    pivots: int = DEFAULT_PIVOTS,
    seed: int = 0,
    exact_limit: int = EXACT_LIMIT,
) -> CentralityResult:
    """Compute the chosen measures (all by default) for every organisation."""
    wanted = check_measures(measures)
    ix = index_graph(graph)
    g = ix.graph
    notes: dict[str, object] = {}
    values: dict[str, np.ndarray] = {}
    for m in wanted:
        if m == "degree":
            values[m] = np.asarray(g.degree(), dtype=float)
        elif m == "weighted_degree":
            values[m] = np.asarray(g.strength(weights="weight"), dtype=float)
        elif m == "betweenness":
            values[m], notes["betweenness"] = betweenness(ix, pivots=pivots, seed=seed,
                                                          exact_limit=exact_limit)
        elif m == "closeness":
            values[m] = closeness(ix)
        elif m == "eigenvector":
            values[m] = eigenvector(ix)
        elif m == "pagerank":
            values[m] = np.asarray(g.pagerank(weights="weight", damping=0.85,
                                              implementation="prpack"))
        elif m == "clustering":
            values[m] = np.asarray(g.transitivity_local_undirected(mode="zero"))
        elif m == "core_number":
            values[m] = np.asarray(g.coreness(), dtype=float)
        elif m == "constraint":
            values[m] = np.asarray(g.constraint(weights="weight"), dtype=float)
        elif m == "effective_size":
            values[m] = effective_size(ix)
    table = pd.DataFrame({"id": ix.nodes, "name": ix.names})
    for m in wanted:
        table[m] = values[m]
        # Ranked on 12 significant digits: values equal but for floating-point noise (1e-15
        # apart, from summing in another order) share a rank, whatever the node order.
        table[f"{m}_rank"] = (pd.Series(_rounded(values[m])).rank(method="min",
                                                                  ascending=m in ASCENDING)
                              .astype("Int64").to_numpy())
    if wanted:
        table = table.sort_values([f"{wanted[0]}_rank", "id"], kind="stable")
    return CentralityResult(table=table.reset_index(drop=True), notes=notes)


def betweenness(ix: Indexed, *, pivots: int = DEFAULT_PIVOTS, seed: int = 0,
                exact_limit: int = EXACT_LIMIT, workers: int | None = None,
                hops: bool = False) -> tuple[np.ndarray, dict]:
    """Normalised betweenness on lengths 1/weight (or on hops, every tie one step, with
    `hops`); sampled above `exact_limit` nodes.

    Sources are shared out over `workers` processes (default: all cores) when the work
    is large; the sums are the same whatever the split.
    """
    n = ix.n
    if n < 3:
        return np.zeros(n), {"exact": True}
    if n <= exact_limit or pivots >= n:
        raw = _dependencies(ix, list(range(n)), workers, hops)
        return raw * 2.0 / ((n - 1) * (n - 2)), {"exact": True}
    # The same sample NetworkX draws for betweenness_centrality(k=pivots, seed=seed).
    sample = random.Random(seed).sample(range(n), pivots)
    raw = 2.0 * _dependencies(ix, sample, workers, hops)
    # igraph halves undirected sums; NetworkX (>= 3.5) normalises sampled sums per node:
    # a sampled source cannot lie inside its own paths, so it has one source fewer.
    scale = np.full(n, 1.0 / (pivots * (n - 2)))
    scale[sample] = 1.0 / ((pivots - 1) * (n - 2))
    return raw * scale, {"exact": False, "pivots": pivots, "seed": seed}


def _chunk_dependencies(sources: list[int]) -> np.ndarray:
    ix, lengths = shared()
    return np.asarray(ix.graph.betweenness(directed=False, weights=lengths, sources=sources))


def _path_lengths(ix: Indexed) -> str | list[float]:
    """The tie lengths for shortest paths. Which paths are shortest does not change when
    every length is scaled alike, so lengths below igraph's comparison tolerance (1e-10,
    ties of weight above 10^10) are scaled up rather than compared imprecisely."""
    if ix.graph.ecount() == 0:
        return "length"
    lengths = np.asarray(ix.graph.es["length"], dtype=float)
    shortest = float(lengths.min())
    return "length" if shortest >= 1e-6 else (lengths / shortest).tolist()


def _dependencies(ix: Indexed, sources: list[int], workers: int | None,
                  hops: bool = False) -> np.ndarray:
    """igraph's subset betweenness from `sources` to all nodes, in parallel when big."""
    workers = workers or os.cpu_count() or 1
    work = len(sources) * ix.graph.ecount()
    lengths = None if hops else _path_lengths(ix)
    if workers < 2 or work < PARALLEL_WORK or not can_fork():
        if len(sources) == ix.n:
            return np.asarray(ix.graph.betweenness(directed=False, weights=lengths))
        return np.asarray(ix.graph.betweenness(directed=False, weights=lengths,
                                               sources=sources))
    chunks = [c.tolist() for c in np.array_split(np.asarray(sources), workers) if len(c)]
    return np.sum(list(forked_map(_chunk_dependencies, chunks, (ix, lengths), workers)), axis=0)


def _chunk_closeness(vertices: list[int]) -> np.ndarray:
    ix, lengths = shared()
    return np.asarray(ix.graph.closeness(vertices=vertices, weights=lengths,
                                         normalized=True), dtype=float)


def closeness(ix: Indexed, workers: int | None = None, hops: bool = False) -> np.ndarray:
    """NetworkX closeness (Wasserman–Faust improved) on lengths 1/weight, or on hops
    (every tie one step, NetworkX's closeness with no distance) with `hops`.

    One Dijkstra run per organisation, shared out over `workers` processes (default:
    all cores) when the work is large, as betweenness is; each value is the same
    whatever the split.
    """
    n = ix.n
    if n <= 1:
        return np.zeros(n)
    workers = workers or os.cpu_count() or 1
    # Distances themselves count here: never rescaled.
    lengths = None if hops or ix.graph.ecount() == 0 else "length"
    if workers < 2 or n * ix.graph.ecount() < PARALLEL_WORK or not can_fork():
        raw = np.asarray(ix.graph.closeness(weights=lengths, normalized=True), dtype=float)
    else:
        chunks = [c.tolist() for c in np.array_split(np.arange(n), workers) if len(c)]
        raw = np.concatenate(list(forked_map(_chunk_closeness, chunks, (ix, lengths),
                                             workers)))
    within = np.nan_to_num(raw)
    components = ix.graph.connected_components()
    reach = np.asarray(components.sizes())[components.membership]
    return within * (reach - 1) / (n - 1)


def eigenvector(ix: Indexed) -> np.ndarray:
    """Leading eigenvector of the weighted adjacency, unit norm, positive (as NetworkX).

    NetworkX refuses disconnected graphs (the answer is ambiguous); here each connected
    component gets its own leading eigenvector with unit norm, so values compare within
    a component, and equal NetworkX's on a connected graph.
    """
    out = np.zeros(ix.n)
    A = ix.adjacency(weighted=True).tocsr()
    for members in ix.graph.connected_components():
        idx = np.asarray(members)
        if len(idx) == 1:
            out[idx] = 1.0
            continue
        sub = A[idx][:, idx]
        if len(idx) < 3:
            vec = np.linalg.eigh(sub.toarray())[1][:, -1]
        else:
            vec = spla.eigsh(sub, k=1, which="LA", tol=0)[1][:, 0]
        vec = vec * np.sign(vec.sum() or 1.0)
        out[idx] = vec / np.linalg.norm(vec)
    return out


def effective_size(ix: Indexed) -> np.ndarray:
    """Burt's effective size, weighted as NetworkX's effective_size(weight="weight").

    e_i = sum_j (1 - sum_q p_iq m_jq) over neighbours j of i, where p_iq = w_iq / s_i and
    m_jq = w_jq / max_k w_jk; the inner sum runs over triangles (i, j, q), enumerated by
    igraph in C, so the cost follows the number of triangles, not n^2.
    """
    n = ix.n
    degree = np.asarray(ix.graph.degree(), dtype=float)
    if n == 0:
        return degree
    A = ix.adjacency(weighted=True).tocsr()
    strength = np.asarray(A.sum(axis=1)).ravel()
    row_max = A.max(axis=1)
    maxw = (row_max.toarray() if sp.issparse(row_max) else np.asarray(row_max)).ravel()
    tri = np.asarray(ix.graph.list_triangles(), dtype=np.int64).reshape(-1, 3)
    redundancy = np.zeros(n)
    if len(tri):
        def w(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            return np.asarray(A[a, b]).ravel()

        for i, j, q in [(0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0)]:
            a, b, c = tri[:, i], tri[:, j], tri[:, q]
            # ego a, neighbour b, shared contact c: p_ac * m_bc
            np.add.at(redundancy, a, w(a, c) / strength[a] * w(b, c) / maxw[b])
    out = degree - redundancy
    out[degree == 0] = np.nan
    return out


def _rounded(values: np.ndarray, digits: int = 12) -> np.ndarray:
    """Values rounded to `digits` significant digits (zeros and NaN unchanged)."""
    values = np.asarray(values, dtype=float)
    magnitude = np.where(values == 0, 0, np.floor(np.log10(np.abs(np.where(values == 0, 1,
                                                                            values)))))
    return np.round(values / 10 ** magnitude, digits - 1) * 10 ** magnitude
