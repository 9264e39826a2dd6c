"""Rivals and egos: one organisation's neighbourhood, two organisations side by side."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd

from graphkit.centrality import centrality_table
from graphkit.ecosystems import Ecosystems
from graphkit.errors import InputError
from graphkit.identities import graph_names
from graphkit.lookup import find_node


@dataclass
class Ego:
    """An organisation's ecosystem within `depth` ties, with metrics."""

    node: object
    depth: int
    graph: nx.Graph
    partners: pd.DataFrame  # direct partners with tie deals, weight, types
    metrics: pd.DataFrame  # centrality inside the ego network


def ego_network(graph: nx.Graph, org: str, depth: int = 1,
                ecosystems: Ecosystems | None = None) -> Ego:
    """The ego network of `org` (id or name) up to `depth` ties away; with `ecosystems`
    (of the whole graph), each partner's ecosystem label."""
    node = find_node(graph, org)
    sub = nx.ego_graph(graph, node, radius=depth)
    names = graph_names(graph)
    partners = pd.DataFrame(
        [{"id": v, "name": names[v], "deals": d.get("deals", 1),
          "weight": d.get("weight", 1.0), "types": ", ".join(d.get("types") or []),
          "first_year": d.get("first_year"), "last_year": d.get("last_year")}
         for _, v, d in graph.edges(node, data=True)],
        columns=["id", "name", "deals", "weight", "types", "first_year", "last_year"],
    ).sort_values(["weight", "id"], ascending=[False, True]).reset_index(drop=True)
    if ecosystems is not None:
        partners["ecosystem"] = partners["id"].map(ecosystems.label_of)
    metrics = centrality_table(sub, ["degree", "weighted_degree", "betweenness",
                                     "pagerank", "constraint"]).table
    return Ego(node=node, depth=depth, graph=sub, partners=partners, metrics=metrics)


@dataclass
class Comparison:
    """Two organisations side by side."""

    a: object
    b: object
    shared: list
    only_a: list
    only_b: list
    measures: dict  # shared, jaccard, overlap, cosine of partner sets
    path: list | None  # shortest partnership path (fewest ties), None if unconnected
    weighted_path: list | None  # shortest by length 1/weight
    ecosystems: dict  # node -> ecosystem label (if ecosystems were given)

    def partner_table(self, names: dict | None = None) -> pd.DataFrame:
        """One row per partner of either: id, name, and whose partner it is ('both', or
        the id of the one it partners)."""
        names = names or {}
        rows = [(n, names.get(n, n), whose) for whose, group in
                (("both", self.shared), (self.a, self.only_a), (self.b, self.only_b))
                for n in group]
        return pd.DataFrame(rows, columns=["id", "name", "partner_of"])


def compare(graph: nx.Graph, org_a: str, org_b: str,
            ecosystems: Ecosystems | None = None) -> Comparison:
    """Shared and exclusive partners, overlap of partner sets, paths, ecosystems."""
    a, b = find_node(graph, org_a), find_node(graph, org_b)
    if a == b:
        raise InputError(f"'{org_a}' and '{org_b}' are the same organisation "
                         f"({graph.nodes[a].get('name', a)} [{a}]): name two different ones")
    # Partner sets leave out the two rivals themselves, and the measures are of these sets,
    # so the printed lists and the figures agree.
    pa, pb = set(graph[a]) - {b}, set(graph[b]) - {a}
    shared, union = len(pa & pb), len(pa | pb)
    smaller = min(len(pa), len(pb))
    measures = {
        "shared": shared,
        "jaccard": shared / union if union else 0.0,
        "overlap": shared / smaller if smaller else 0.0,
        "cosine": shared / (len(pa) * len(pb)) ** 0.5 if pa and pb else 0.0,
        "direct_tie": graph.has_edge(a, b),
    }
    try:
        path = nx.shortest_path(graph, a, b)
        lengths = {(u, v): 1.0 / float(d.get("weight", 1.0)) for u, v, d in graph.edges(data=True)}
        weighted = nx.shortest_path(
            graph, a, b, weight=lambda u, v, _d: lengths.get((u, v), lengths.get((v, u))))
    except nx.NetworkXNoPath:
        path = weighted = None
    ecos = {} if ecosystems is None else {a: ecosystems.label_of(a), b: ecosystems.label_of(b)}
    return Comparison(a=a, b=b, shared=sorted(pa & pb, key=str), only_a=sorted(pa - pb, key=str),
                      only_b=sorted(pb - pa, key=str), measures=measures, path=path,
                      weighted_path=weighted, ecosystems=ecos)
