"""GraphML, GEXF and node-link JSON graph files, as graphs and as model records."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree.ElementTree import ParseError

import networkx as nx
import pandas as pd

from graphkit.dates import DATE_DTYPE, parse_dates
from graphkit.errors import InputError
from graphkit.graph_io import restore_lists
from graphkit.loaders.tables import check_readable
from graphkit.model import PartnerData
from graphkit.summary import LoadSummary

GRAPH_SUFFIXES = {".graphml": "graphml", ".gexf": "gexf", ".json": "json"}


def read_graph_file(path: str | Path, format: str | None = None) -> nx.Graph:
    """Read a graph file (GraphML, GEXF or node-link JSON) into NetworkX."""
    p = check_readable(path)
    kind = format or GRAPH_SUFFIXES.get(p.suffix.lower())
    if kind is None:
        raise InputError("unknown graph format: expected .graphml, .gexf or .json", file=p)
    try:
        if kind == "graphml":
            graph = nx.read_graphml(p)
        elif kind == "gexf":
            graph = nx.read_gexf(p)
        else:
            with open(p, encoding="utf-8") as handle:
                graph = nx.node_link_graph(json.load(handle), edges="edges")
    except (ParseError, nx.NetworkXError, KeyError, TypeError, ValueError,
            UnicodeDecodeError) as exc:
        raise InputError(f"not a readable {kind} graph: {exc}", file=p) from None
    # GraphML readers leave their key defaults here; they are not the data's attributes.
    graph.graph.pop("node_default", None)
    graph.graph.pop("edge_default", None)
    return restore_lists(graph)


def load_graph_file(path: str | Path, format: str | None = None) -> PartnerData:
    """Nodes become organisations, each edge one tie record keeping its weight.

    An edge's `deals` (else 1) is the deal count it stands for, `weight` (else `deals`)
    its strength, `type`/`types` its type, `date` or `first_year` its date. Parallel edges
    of a multigraph stay separate records. Nodes without edges are not kept.
    """
    graph = read_graph_file(path, format)
    summary = LoadSummary(source=str(path), format=format or Path(path).suffix.lstrip("."))
    summary.read.update({"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()})
    isolates = list(nx.isolates(graph))
    summary.drop("node without edges (the partner graph holds organisations with ties)",
                 len(isolates), [str(n) for n in isolates[:5]])
    edges = list(graph.edges(data=True))
    self_loops = [(u, v, d) for u, v, d in edges if u == v]
    summary.drop("self-loop", len(self_loops), [str(u) for u, _, _ in self_loops[:5]])
    edges = [(u, v, d) for u, v, d in edges if u != v]
    ids = [f"{Path(path).stem}:edge{i}" for i in range(len(edges))]
    dates = pd.Series([d.get("date", d.get("first_year")) for _, _, d in edges], dtype=object)
    announced, bad = parse_dates(dates)
    summary.drop("edge date not understood: kept undated", int(bad.sum()))
    counts = [int(d.get("deals", 1)) for _, _, d in edges]
    deals = pd.DataFrame(
        {
            "type": [_type(d) for _, _, d in edges],
            "announced": announced.astype(DATE_DTYPE).to_numpy(),
            "ended": pd.NaT,
            "status": None,
            "source": Path(path).name,
            "count": counts,
            "weight": [float(d.get("weight", c)) for (_, _, d), c in zip(edges, counts,
                                                                          strict=True)],
        },
        index=pd.Index(ids, name="deal_id", dtype=object),
    )
    deals["ended"] = deals["ended"].astype(DATE_DTYPE)
    participants = pd.DataFrame(
        {"deal_id": ids * 2, "org_id": [str(u) for u, _, _ in edges] +
         [str(v) for _, v, _ in edges]}
    )
    nodes = [n for n in graph.nodes if graph.degree(n) > 0]
    organizations = pd.DataFrame(
        {
            "name": [str(graph.nodes[n].get("name", graph.nodes[n].get("label", n)))
                     for n in nodes],
            "country": [graph.nodes[n].get("country") for n in nodes],
            "sector": [graph.nodes[n].get("sector") for n in nodes],
            "kind": [graph.nodes[n].get("kind") for n in nodes],
            "aliases": [tuple(graph.nodes[n].get("aliases") or ()) for n in nodes],
        },
        index=pd.Index([str(n) for n in nodes], name="id", dtype=object),
    )
    if any("last_year" in d for _, _, d in edges):
        summary.notes.append("edges carry first_year and last_year: time filters on this "
                             "source use first_year")
    summary.kept.update({"organisations": len(organizations), "ties": len(deals)})
    return PartnerData(organizations=organizations, deals=deals, participants=participants,
                       summaries=[summary])


def _type(data: dict) -> str | None:
    value = data.get("type", data.get("types"))
    if isinstance(value, list):
        return ";".join(map(str, value)) or None
    return None if value in (None, "") else str(value)
