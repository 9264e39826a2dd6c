"""A graph's vital statistics, as printed by `graphkit info`."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pandas as pd


def graph_info(graph: nx.Graph, top: int = 10) -> dict:
    """Nodes, edges, components, density, time span, tie types and best-connected nodes."""
    components = sorted((len(c) for c in nx.connected_components(graph)), reverse=True)
    firsts = [d["first_year"] for _, _, d in graph.edges(data=True) if "first_year" in d]
    lasts = [d["last_year"] for _, _, d in graph.edges(data=True) if "last_year" in d]
    types: Counter[str] = Counter()
    for _, _, d in graph.edges(data=True):
        types.update(d.get("types") or ["(no type)"])
    return {
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "deals": sum(int(d.get("deals", 1)) for _, _, d in graph.edges(data=True)),
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
    """Organisations ranked by number of partners, then by deal count."""
    rows = [
        {"id": n, "name": graph.nodes[n].get("name", n), "partners": graph.degree(n),
         "deals": sum(int(d.get("deals", 1)) for _, _, d in graph.edges(n, data=True))}
        for n in graph.nodes
    ]
    table = pd.DataFrame(rows, columns=["id", "name", "partners", "deals"])
    return table.sort_values(["partners", "deals", "id"], ascending=[False, False, True]).head(top)


def info_lines(info: dict) -> list[str]:
    """The statistics as aligned text lines."""
    span = (f"{info['first_year']}–{info['last_year']}" if info["first_year"] is not None
            else "no dated ties")
    lines = [
        f"nodes:       {info['nodes']:,}",
        f"edges:       {info['edges']:,} ({info['deals']:,} deals)",
        f"components:  {info['components']:,} (largest {info['largest_component']:,} nodes)",
        f"density:     {info['density']:.4f}",
        f"time span:   {span}",
    ]
    if info.get("selection"):
        lines.append(f"selection:   {info['selection']}")
    lines.append("ties by type: " + (", ".join(f"{t} {n:,}" for t, n in
                                              info["ties_by_type"].items()) or "none"))
    lines.append("top organisations by partners:")
    for i, row in enumerate(info["top_by_partners"], 1):
        lines.append(f"  {i:>2}. {row['name']} [{row['id']}]: {row['partners']} partners, "
                     f"{row['deals']} deals")
    return lines
