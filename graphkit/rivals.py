"""Rivals and egos: one organisation's neighbourhood, two organisations side by side."""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from graphkit import display
from graphkit.centrality import centrality_table
from graphkit.ecosystems import Ecosystems
from graphkit.errors import InputError
from graphkit.identities import graph_names
from graphkit.lookup import find_node
from graphkit.summary import plural


@dataclass
class Ego:
    """An organisation's ecosystem within `depth` ties, with metrics."""

    node: object
    depth: int
    graph: nx.Graph
    partners: pd.DataFrame  # direct partners with tie deals, weight, types
    metrics: pd.DataFrame  # centrality inside the ego network
    name: str = ""  # the organisation's name as tables show it

    @property
    def reach(self) -> str:
        """'11 partners; up to 1 tie away: 12 organisations, 15 ties' (also printed by
        `graphkit ego`)."""
        return (f"{plural(len(self.partners), 'partner')}; up to {plural(self.depth, 'tie')} "
                f"away: {plural(self.graph.number_of_nodes(), 'organisation')}, "
                f"{plural(self.graph.number_of_edges(), 'tie')}")

    def _facts(self) -> tuple[str, list[str]]:
        return f"Ego network of {self.name or self.node} [{self.node}]", [self.reach]

    def __repr__(self) -> str:
        title, lines = self._facts()
        top = [f"{r['name']} [{r['id']}] (weight {r['weight']:g}, "
               f"{plural(int(r['deals']), 'deal')})" for _, r in
               self.partners.head(5).iterrows()]
        return display.text(title, lines + (["strongest ties: " + "; ".join(top)]
                                            if top else []))

    def _repr_html_(self) -> str:
        title, lines = self._facts()
        return display.rich(title, lines, self.partners.set_index("id"),
                            "partners by tie weight")


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
    return Ego(node=node, depth=depth, graph=sub, partners=partners, metrics=metrics,
               name=names[node])


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

    names: dict = field(default_factory=dict)  # id -> name as tables show it

    def label(self, node: object) -> str:
        """'Lufthansa [LH]': a name as tables show it, with its id."""
        return f"{self.names.get(node, node)} [{node}]"

    @property
    def title(self) -> str:
        """'Lufthansa [LH] vs United Airlines [UA] (direct partners)'."""
        return f"{self.label(self.a)} vs {self.label(self.b)}" + (
            " (direct partners)" if self.measures["direct_tie"] else "")

    @property
    def overlap(self) -> str:
        """The shared partners and the overlap measures, saying which sets they are of:
        the partner sets without each other, so the lists of partners match the figures
        (`graphkit overlap` keeps direct partners in each other's sets)."""
        m = self.measures
        each_other = " other than each other" if m["direct_tie"] else ""
        return (f"shared partners: {m['shared']} (of their partners{each_other}: Jaccard "
                f"{m['jaccard']:.3f}, overlap {m['overlap']:.3f}, cosine {m['cosine']:.3f})")

    def _facts(self) -> tuple[str, list[str]]:
        lines = [self.overlap,
                 f"only {self.label(self.a)}: {len(self.only_a)}; only {self.label(self.b)}: "
                 f"{len(self.only_b)}",
                 "no partnership path" if self.path is None else
                 "shortest path: " + " - ".join(self.label(n) for n in self.path)]
        return self.title, lines

    def __repr__(self) -> str:
        return display.text(*self._facts())

    def _repr_html_(self) -> str:
        title, lines = self._facts()
        return display.rich(title, lines, self.partner_table().set_index("id"),
                            "partners of either")

    def partner_table(self) -> pd.DataFrame:
        """One row per partner of either: id, name, and whose partner it is ('both', or
        the id of the one it partners)."""
        rows = [(n, self.names.get(n, n), whose) for whose, group in
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
                      weighted_path=weighted, ecosystems=ecos, names=graph_names(graph))
