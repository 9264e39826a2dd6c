"""A graph's vital statistics, as printed by `graphkit info`."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pandas as pd

from graphkit.counts import deal_count, deal_ties, deals_per_organisation
from graphkit.identities import graph_names
from graphkit.summary import plural, small_number


def graph_info(graph: nx.Graph, top: int = 10) -> dict:
    """Nodes, ties, deals, components, density, time span, tie types and the
    organisations with most partners.

    `deals` is the number of distinct deal records (None when the ties do not list their
    deal ids); `deal_ties` adds every tie's deal count (a three-party deal counts 3).
    """
    components = sorted((len(c) for c in nx.connected_components(graph)), reverse=True)
    firsts = [d["first_year"] for _, _, d in graph.edges(data=True) if "first_year" in d]
    lasts = [d["last_year"] for _, _, d in graph.edges(data=True) if "last_year" in d]
    types: Counter[str] = Counter()
    for _, _, d in graph.edges(data=True):
        types.update(d.get("types") or ["(no type)"])
    return {
        "organisations": graph.number_of_nodes(),
        "ties": graph.number_of_edges(),
        "deals": deal_count(graph),
        "deal_ties": deal_ties(graph),
        "components": len(components),
        "largest_component": components[0] if components else 0,
        "density": nx.density(graph) if graph.number_of_nodes() > 1 else 0.0,
        "first_year": min(firsts) if firsts else None,
        "last_year": max(lasts) if lasts else None,
        "ties_by_type": dict(types.most_common()),
        "top_by_partners": top_by_partners(graph, top).to_dict("records"),
        "selection": graph.graph.get("selection"),
    }


def top_by_partners(graph: nx.Graph, top: int = 10) -> pd.DataFrame:
    """Organisations ranked by number of partners, then by deals (distinct deal records
    they are party to; None when unknown), then deal-ties."""
    deals = deals_per_organisation(graph)
    names = graph_names(graph)
    rows = [
        {"id": n, "name": names[n], "partners": graph.degree(n),
         "deals": deals[n] if deals is not None else None, "deal_ties": deal_ties(graph, n)}
        for n in graph.nodes
    ]
    table = pd.DataFrame(rows, columns=["id", "name", "partners", "deals", "deal_ties"])
    order = ["partners", "deals", "deal_ties", "id"] if deals is not None else [
        "partners", "deal_ties", "id"]
    return table.sort_values(order, ascending=[False] * (len(order) - 1) + [True]).head(top)


def info_lines(info: dict) -> list[str]:
    """The statistics as aligned text lines."""
    span = (f"{info['first_year']}–{info['last_year']}" if info["first_year"] is not None
            else "no dated ties")
    deals = (f"{info['deals']:,}" if info["deals"] is not None
             else "unknown (the ties do not list their deal ids)")
    lines = [
        f"organisations: {info['organisations']:,}",
        f"ties:          {info['ties']:,} (partner pairs)",
        f"deals:         {deals}",
        f"deal-ties:     {info['deal_ties']:,} (each tie counted once per deal behind it)",
        f"components:    {info['components']:,} (largest "
        f"{plural(info['largest_component'], 'organisation')})",
        f"density:       {small_number(info['density'], 4)}",
        f"time span:     {span}",
    ]
    if info.get("selection"):
        lines.append(f"selection:     {info['selection']}")
    lines.append("ties by type:  " + (", ".join(f"{t} {n:,}" for t, n in
                                               info["ties_by_type"].items()) or "none"))
    lines.append("top organisations by partners:")
    for i, row in enumerate(info["top_by_partners"], 1):
        deals_text = f"{plural(row['deals'], 'deal')}, " if row["deals"] is not None else ""
        lines.append(f"  {i:>2}. {row['name']} [{row['id']}]: "
                     f"{plural(row['partners'], 'partner')}, {deals_text}"
                     f"{plural(row['deal_ties'], 'deal-tie')}")
    return lines
