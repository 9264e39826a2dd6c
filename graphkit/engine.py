"""The fast engine behind the analyses: an igraph copy of a NetworkX partner graph.

NetworkX stays the user-facing graph; analyses convert once and run igraph's C code.
Weight conventions (one place, used by every measure):
- `weight` (deal count unless the source gave weights) is a *strength*: degree,
  PageRank, eigenvector, Louvain/Leiden and overlaps use it as is.
- `length = 1 / weight` is a *distance*: betweenness, closeness and shortest paths use
  it, so a tie backed by more deals is a shorter, stronger path.
"""

from __future__ import annotations

import contextlib
import gc
import random
from collections.abc import Iterator
from dataclasses import dataclass

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from graphkit.errors import InputError, quoted
from graphkit.identities import frame_names, marked


@dataclass
class Indexed:
    """A partner graph as integer-indexed arrays plus an igraph Graph."""

    nodes: list  # position -> NetworkX node (organisation id)
    index: dict  # NetworkX node -> position
    names: list  # position -> display name
    graph: ig.Graph  # edge attributes: weight, length
    weight: np.ndarray  # per igraph edge
    source: np.ndarray
    target: np.ndarray

    @property
    def n(self) -> int:
        return len(self.nodes)

    def adjacency(self, weighted: bool = True) -> sp.csr_array:
        """Symmetric adjacency matrix (weights, or ones)."""
        values = self.weight if weighted else np.ones_like(self.weight)
        rows = np.concatenate([self.source, self.target])
        cols = np.concatenate([self.target, self.source])
        return sp.csr_array((np.concatenate([values, values]), (rows, cols)),
                            shape=(self.n, self.n))


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while building many small objects that hold
    no cycles (a map's 250,000 ties as dicts and lists, a loader's names, ids and tuples):
    its repeated full passes over them, and over everything else the session holds, cost
    a 246,000-tie map 12 of its 30 s, and reading 100,000 deals 0.7 of its 1.05 s beside
    3 million other objects. Restored as it was, even on error; also a decorator."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _build(nodes: list, names: list, source: np.ndarray, target: np.ndarray,
           w: np.ndarray) -> Indexed:
    with np.errstate(divide="ignore", over="ignore"):
        length = 1.0 / w
    bad = ~np.isfinite(w) | (w <= 0) | ~np.isfinite(length)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"the tie {nodes[int(source[i])]} - {nodes[int(target[i])]} has weight "
                         f"{float(w[i])}: tie weights must be finite and positive (they are "
                         "strengths, and 1/weight is a tie's length in path measures)")
    # Pairs of Python ints: igraph reads them 3x faster than a NumPy array of pairs.
    g = ig.Graph(n=len(nodes), edges=list(zip(source.tolist(), target.tolist(), strict=True)),
                 directed=False)
    g.es["weight"] = w
    g.es["length"] = length
    return Indexed(nodes=nodes, index={node: i for i, node in enumerate(nodes)}, names=names,
                   graph=g, weight=w, source=source, target=target)


@collector_paused()
def index_graph(graph: nx.Graph | Indexed, weight: str = "weight") -> Indexed:
    """Convert once: node order is the NetworkX order; self-loops are ignored."""
    if isinstance(graph, Indexed):
        return graph
    nodes = list(graph.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    edges = [(index[u], index[v], _number(d.get(weight, 1.0), u, v, weight))
             for u, v, d in graph.edges(data=True) if u != v]
    arr = np.array(edges, dtype=float).reshape(-1, 3)
    names = [marked(graph.nodes[n].get("name", n), graph.nodes[n].get("identity_note"))
             for n in nodes]
    return _build(nodes, names, arr[:, 0].astype(np.int64), arr[:, 1].astype(np.int64),
                  arr[:, 2])


def _number(value: object, u: object, v: object, key: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InputError(f"the tie {u} - {v} has {key} {quoted(value)}: "
                         "expected a number") from None


@collector_paused()
def index_ties(ties: pd.DataFrame, organizations: pd.DataFrame | None = None) -> Indexed:
    """Build straight from a tie table (a, b, weight), skipping NetworkX: the fast path
    for large data. Names come from `organizations` when given."""
    codes, nodes = pd.factorize(pd.concat([ties["a"], ties["b"]], ignore_index=True))
    m = len(ties)
    node_list = list(nodes)
    if organizations is not None and "name" in organizations:
        names = frame_names(organizations).reindex(nodes).fillna(
            pd.Series(nodes, index=nodes))
        name_list = names.tolist()
    else:
        name_list = node_list
    return _build(node_list, name_list, codes[:m].astype(np.int64), codes[m:].astype(np.int64),
                  ties["weight"].to_numpy(dtype=float))


@contextlib.contextmanager
def seeded(seed: int) -> Iterator[None]:
    """Run igraph's randomised algorithms from a private, seeded generator."""
    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)
