"""Ecosystems: communities of organisations, their stability, fit to known blocs, profiles.

Algorithms (all weighted by tie `weight`, seeded):
- louvain: igraph's multilevel modularity optimisation (C), with a resolution parameter.
- leiden: leidenalg (C++), modularity (resolution 1) or RB configuration (other resolutions).
- labelprop: igraph's label propagation.
Modularity is igraph's, equal to `networkx.community.modularity` (tests check 1e-9).
Agreement between partitions uses igraph's `compare_communities` (NMI, adjusted Rand).
"""

from __future__ import annotations

import contextlib
import itertools
from dataclasses import dataclass

import igraph as ig
import leidenalg
import networkx as nx
import numpy as np
import pandas as pd

from graphkit import display
from graphkit.engine import Indexed, index_graph, seeded
from graphkit.errors import InputError, quoted, shown

ALGORITHMS = ["louvain", "leiden", "labelprop"]


@dataclass
class Partition:
    """One ecosystem per organisation (labels 0.. by decreasing size) and its quality."""

    membership: pd.Series  # organisation id -> ecosystem number
    modularity: float
    algorithm: str
    seed: int
    resolution: float

    @property
    def count(self) -> int:
        return int(self.membership.nunique())


def _relabel(membership: list[int]) -> np.ndarray:
    """Ecosystem 0 is the largest; ties broken by first appearance."""
    labels = np.asarray(membership)
    sizes = pd.Series(labels).value_counts(sort=False)
    first = pd.Series(np.arange(len(labels))).groupby(labels).min()
    order = sorted(sizes.index, key=lambda c: (-sizes[c], first[c]))
    mapping = {c: i for i, c in enumerate(order)}
    return np.array([mapping[c] for c in labels], dtype=int)


def detect(
    graph: nx.Graph | Indexed,
    algorithm: str = "louvain",
    *,
    seed: int = 0,
    resolution: float = 1.0,
) -> Partition:
    """Partition the organisations into ecosystems."""
    if algorithm not in ALGORITHMS:
        raise InputError(f"unknown community algorithm {quoted(algorithm)}; choose from "
                         f"{', '.join(ALGORITHMS)}")
    if resolution <= 0:
        raise InputError(f"resolution must be positive, got {resolution:g}")
    ix = index_graph(graph)
    g = ix.graph
    if ix.n == 0:
        return Partition(pd.Series(dtype=int), 0.0, algorithm, seed, resolution)
    if algorithm == "louvain":
        with seeded(seed):
            membership = g.community_multilevel(weights="weight", resolution=resolution).membership
    elif algorithm == "leiden":
        if resolution == 1.0:
            part = leidenalg.find_partition(g, leidenalg.ModularityVertexPartition,
                                            weights="weight", seed=seed, n_iterations=-1)
        else:
            part = leidenalg.find_partition(g, leidenalg.RBConfigurationVertexPartition,
                                            weights="weight", seed=seed, n_iterations=-1,
                                            resolution_parameter=resolution)
        membership = part.membership
    else:
        with seeded(seed):
            membership = g.community_label_propagation(weights="weight").membership
    labels = _relabel(membership)
    quality = g.modularity(labels.tolist(), weights="weight", resolution=resolution)
    return Partition(pd.Series(labels, index=pd.Index(ix.nodes, name="id"), name="ecosystem"),
                     float(quality), algorithm, seed, resolution)


def agreement(a: pd.Series, b: pd.Series) -> dict[str, float]:
    """NMI and adjusted Rand index between two labelings of the same organisations."""
    common = a.index.intersection(b.index)
    if len(common) < 2:
        return {"nmi": float("nan"), "ari": float("nan"), "organisations": len(common)}
    la = pd.factorize(a.loc[common])[0].tolist()
    lb = pd.factorize(b.loc[common])[0].tolist()
    ari = float(ig.compare_communities(la, lb, method="adjusted_rand"))
    if np.isnan(ari):
        # 0/0 arises only when both labelings are one group, or both all singletons:
        # identical partitions, 1.0 by scikit-learn's convention for these limit cases.
        ari = 1.0
    return {
        "nmi": float(ig.compare_communities(la, lb, method="nmi")),
        "ari": ari,
        "organisations": len(common),
    }


@dataclass
class Stability:
    """How stable ecosystems are across seeds."""

    per_organisation: pd.Series  # share of runs agreeing with the reference run
    mean_nmi: float
    mean_ari: float
    modularity: list[float]
    reference: Partition


def stability(graph: nx.Graph | Indexed, algorithm: str = "louvain", *, seeds: int = 10,
              resolution: float = 1.0) -> Stability:
    """Run `seeds` seeds; compare each organisation's ecosystem with the best run's.

    An organisation is consistent in a run when its ecosystem there overlaps most with
    its ecosystem in the reference (highest-modularity) run. Mean pairwise NMI and ARI
    are over all pairs of runs.
    """
    if seeds < 1:
        raise InputError("--seeds must be at least 1")
    ix = index_graph(graph)
    runs = [detect(ix, algorithm, seed=s, resolution=resolution)
            for s in range(seeds)]
    reference = max(runs, key=lambda p: p.modularity)
    ref = reference.membership
    consistent = pd.Series(0.0, index=ref.index)
    for run in runs:
        table = pd.crosstab(run.membership, ref)
        best = table.idxmax(axis=1)  # each community of this run -> reference community
        consistent += (run.membership.map(best) == ref).astype(float)
    pairs = list(itertools.combinations(runs, 2))
    scores = [agreement(a.membership, b.membership) for a, b in pairs]
    return Stability(
        per_organisation=consistent / len(runs),
        mean_nmi=float(np.mean([s["nmi"] for s in scores])) if scores else 1.0,
        mean_ari=float(np.mean([s["ari"] for s in scores])) if scores else 1.0,
        modularity=[r.modularity for r in runs],
        reference=reference,
    )


@dataclass
class BlocComparison:
    """Detected ecosystems against known blocs (e.g. alliances)."""

    nmi: float
    ari: float
    organisations: int  # in both the partition and the known grouping
    ungrouped: int  # organisations in the graph without a known bloc (left out)
    contingency: pd.DataFrame  # rows: known blocs, columns: ecosystems


def compare_with_blocs(partition: Partition, known: pd.Series) -> BlocComparison:
    """NMI, adjusted Rand and contingency table on organisations that have a bloc."""
    members = partition.membership
    grouped = members.index.intersection(known.dropna().index)
    scores = agreement(members.loc[grouped], known.loc[grouped])
    table = pd.crosstab(known.loc[grouped].rename("bloc"),
                        members.loc[grouped].rename("ecosystem"))
    return BlocComparison(nmi=scores["nmi"], ari=scores["ari"], organisations=len(grouped),
                          ungrouped=len(members) - len(grouped), contingency=table)


def profiles(graph: nx.Graph, partition: Partition, centrality: pd.Series,
             top_members: int = 10, hubs: dict[int, object] | None = None,
             labels: dict[int, str] | None = None) -> pd.DataFrame:
    """Per ecosystem: size, hub (top by `centrality`), members, internal density, and the
    share of its organisations' ties that cross to other ecosystems."""
    from graphkit.identities import graph_names

    names = graph_names(graph)
    members = partition.membership
    rows = []
    numbers = sorted(members.unique())  # a partition read from a file numbers them freely
    internal = pd.Series(0, index=numbers)
    crossing = pd.Series(0, index=numbers)
    for u, v in graph.edges():
        cu, cv = members[u], members[v]
        if cu == cv:
            internal[cu] += 1
        else:
            crossing[cu] += 1
            crossing[cv] += 1
    for eco, group in members.groupby(members):
        ids = list(group.index)
        ranked = centrality.reindex(ids).sort_values(ascending=False, kind="stable")
        hub = (hubs or {}).get(int(eco), ranked.index[0])
        size = len(ids)
        possible = size * (size - 1) / 2
        touching = internal[eco] + crossing[eco]
        rows.append({
            "ecosystem": int(eco),
            "label": (labels or {}).get(int(eco), f"ecosystem {int(eco)}"),
            "size": size,
            "hub": hub,
            "hub_name": names[hub],
            "members": "; ".join(str(names[n]) for n in ranked.index[:top_members]),
            "internal_ties": int(internal[eco]),
            "internal_density": internal[eco] / possible if possible else 0.0,
            "crossing_ties": int(crossing[eco]),
            "crossing_share": crossing[eco] / touching if touching else 0.0,
        })
    return pd.DataFrame(rows)


def bridges(graph: nx.Graph, partition: Partition, top: int = 5) -> pd.DataFrame:
    """For each pair of ecosystems, the organisations with the most tie weight across."""
    members = partition.membership
    rows = []
    for u, v, d in graph.edges(data=True):
        cu, cv = int(members[u]), int(members[v])
        if cu != cv:
            w = float(d.get("weight", 1.0))
            pair = (min(cu, cv), max(cu, cv))
            rows.append((*pair, u, w))
            rows.append((*pair, v, w))
    if not rows:
        return pd.DataFrame(columns=["ecosystem_a", "ecosystem_b", "id", "name", "cross_weight",
                                     "cross_ties"])
    frame = pd.DataFrame(rows, columns=["ecosystem_a", "ecosystem_b", "id", "w"])
    agg = frame.groupby(["ecosystem_a", "ecosystem_b", "id"]).agg(
        cross_weight=("w", "sum"), cross_ties=("w", "size")).reset_index()
    agg = agg.sort_values(["ecosystem_a", "ecosystem_b", "cross_weight", "id"],
                          ascending=[True, True, False, True])
    agg = agg.groupby(["ecosystem_a", "ecosystem_b"]).head(top)
    from graphkit.identities import graph_names

    names = graph_names(graph)
    agg.insert(3, "name", [names[n] for n in agg["id"]])
    return agg.reset_index(drop=True)


DEFAULT_SEEDS = 5


@dataclass
class Ecosystems:
    """One partition of a graph into ecosystems, named by their hubs: what every command
    shows for the same graph and options (`find_ecosystems`)."""

    partition: Partition
    stability: Stability | None  # None when read from a file
    hubs: dict[int, object]  # ecosystem -> hub organisation
    labels: dict[int, str]  # ecosystem -> "ecosystem 3: United Airlines"
    method: str  # how it was found, for outputs

    def label_of(self, node: object) -> str:
        """The ecosystem label of an organisation."""
        return self.labels[int(self.partition.membership[node])]

    @property
    def table(self) -> pd.DataFrame:
        """One row per ecosystem, largest first: its label, hub and size."""
        sizes = self.partition.membership.value_counts().sort_index()
        return pd.DataFrame({"label": [self.labels[int(e)] for e in sizes.index],
                             "hub": [self.hubs.get(int(e)) for e in sizes.index],
                             "organisations": sizes.to_numpy()},
                            index=pd.Index(sizes.index.astype(int), name="ecosystem"))

    def _facts(self) -> tuple[str, list[str]]:
        part = self.partition
        return (f"{part.count:,} ecosystems ({self.method})",
                [f"modularity {part.modularity:.4f}"]
                + ([f"agreement between seeds: mean pairwise NMI {self.stability.mean_nmi:.3f}"]
                   if self.stability is not None else []))

    def __repr__(self) -> str:
        title, lines = self._facts()
        top = self.table.head(5)
        return display.text(title, lines + [f"{r['label']} ({r['organisations']})"
                                            for _, r in top.iterrows()])

    def _repr_html_(self) -> str:
        return display.rich(*self._facts(), self.table, "ecosystems, largest first")


def find_ecosystems(graph: nx.Graph, algorithm: str = "louvain", *,
                    seeds: int = DEFAULT_SEEDS, resolution: float = 1.0,
                    hub_values: pd.Series | None = None,
                    partition_file: str | None = None, ix: Indexed | None = None) -> Ecosystems:
    """The ecosystems of `graph`: the best-modularity run over seeds 0..seeds-1 (or the
    partition saved in `partition_file`), each named by its hub, the member with the
    highest `hub_values` (default: weighted degree, the sum of tie weights).

    `analyze`, `compare`, `ego` and `map` all call this, so one graph and one set of
    options give one partition everywhere.
    """
    if partition_file is not None:
        partition = read_partition(partition_file, graph)
        stable = None
        method = f"read from {partition_file}"
    else:
        stable = stability(ix or graph, algorithm, seeds=seeds, resolution=resolution)
        partition = stable.reference
        method = (f"{algorithm}, resolution {resolution:g}, best modularity of {seeds} "
                  f"seed{'s' if seeds > 1 else ''} (seed {partition.seed})")
    if hub_values is None:
        hub_values = pd.Series(dict(graph.degree(weight="weight")), dtype=float)
    from graphkit.identities import graph_names

    names = graph_names(graph)
    hubs: dict[int, object] = {}
    for eco, group in partition.membership.groupby(partition.membership):
        values = hub_values.reindex(group.index)
        top = values.max()
        hubs[int(eco)] = min((n for n in group.index if values[n] == top), key=str)
    labels = {eco: f"ecosystem {eco}: {names[hub]}" for eco, hub in hubs.items()}
    return Ecosystems(partition=partition, stability=stable, hubs=hubs, labels=labels,
                      method=method)


def _partition_nodes(graph: nx.Graph, keys: pd.Series) -> dict:
    """Row position -> node, for rows naming an organisation by id, or by name or alias as
    every lookup does (`graphkit.lookup`); rows naming nothing in the graph are left out."""
    from graphkit.lookup import find_node

    ids = {str(n): n for n in graph}
    names = {str(d.get("name", n)).casefold(): n for n, d in graph.nodes(data=True)}
    found, unsure = {}, []
    for position, key in keys.items():
        node = ids.get(key, names.get(key.casefold()))
        if node is None:
            unsure.append(position)
        else:
            found[position] = node
    if len(unsure) <= 1000:  # a few hand-written spellings; a wrong file is not searched
        for position in unsure:
            with contextlib.suppress(InputError):
                found[position] = find_node(graph, keys[position])
    return found


def read_partition(path, graph: nx.Graph) -> Partition:
    """A partition saved by `graphkit analyze` (ecosystems.csv: id, ecosystem), checked to
    cover every organisation of `graph`."""
    from graphkit.loaders.tables import read_table, require_columns

    table = read_table(path)
    cols = require_columns(table, {"id": ["id", "org_id", "organisation", "organization"],
                                   "ecosystem": ["ecosystem", "community", "cluster"]})
    ids = table.frame[cols["id"]].astype(str)
    values = pd.to_numeric(table.frame[cols["ecosystem"]], errors="coerce")
    bad = values.isna() | (values != values.round()) | (values.abs() >= 2**31)
    if bad.any():
        first = bad.idxmax()
        raise InputError(f"expected a whole ecosystem number (below 2,147,483,648), got "
                         f"{shown(table.frame.at[first, cols['ecosystem']])}", file=path,
                         row=table.row_number(first), column=cols["ecosystem"])
    found = _partition_nodes(graph, ids)
    placed: dict = {}
    for position, node in found.items():
        number = int(values[position])
        if placed.setdefault(node, number) != number:
            raise InputError(f"{graph.nodes[node].get('name', node)} is listed in two "
                             "ecosystems", file=path, row=table.row_number(position),
                             column=cols["id"])
    missing = [str(graph.nodes[n].get("name", n)) for n in graph if n not in placed]
    if missing:
        raise InputError(f"the partition does not cover {len(missing):,} organisations of the "
                         f"graph (e.g. {', '.join(missing[:3])}): save it with `graphkit "
                         "analyze` from the same graph", file=path)
    membership = pd.Series(placed, dtype=int)
    membership.index.name = "id"
    membership.name = "ecosystem"  # the file's numbers, so they match the analysis saved
    quality = nx.community.modularity(
        graph, [set(g.index) for _, g in membership.groupby(membership)], weight="weight")
    return Partition(membership, float(quality), "file", -1, 1.0)
