"""`graphkit demo`: the main job end to end on the bundled airline data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pandas as pd

from graphkit import bundled
from graphkit.atomic import atomic_open
from graphkit.footprints import route_counts
from graphkit.graph_io import write_graph
from graphkit.groups import groups_as_of
from graphkit.loaders import load_sources
from graphkit.maps import write_map
from graphkit.projection import partner_graph

SOURCE_NOTE = ("Data: OpenFlights routes (June 2014 snapshot, ODbL) and OpenTravelData "
               "alliance membership (CC BY 4.0).")


def run_demo(out_dir: str | Path, echo: Callable[[str], None] = print) -> dict[str, Path]:
    """Build the 2014 airline alliance network and write graph, tables, map and report."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    as_of = pd.Timestamp(bundled.ROUTES_DATE)
    data = load_sources([bundled.bundled(bundled.OPENFLIGHTS), bundled.bundled(bundled.MEMBERSHIP)])
    graph = partner_graph(data, as_of=as_of)
    alliance = groups_as_of(data.groups, as_of)
    counts = route_counts(data.routes)
    for node, attrs in graph.nodes(data=True):
        if node in alliance.index:
            attrs["alliance"] = alliance[node]
        if node in counts.index:
            attrs.update({k: int(v) for k, v in counts.loc[node].items()})

    table = organisation_table(graph)
    files = {
        "graph": out / "alliance_network_2014.graphml",
        "table": out / "organisations.csv",
        "map": out / "alliance_map_2014.html",
        "load summary": out / "load_summary.txt",
        "report": out / "report.md",
    }
    write_graph(graph, files["graph"])
    with atomic_open(files["table"]) as handle:
        table.to_csv(handle, index=False)
    write_map(graph, files["map"], color_by="alliance",
              title=f"Airline alliances on {as_of:%d %B %Y}",
              note=f"Ties: co-membership of an alliance ({graph.graph['selection']}). "
                   f"Node size: partners. {SOURCE_NOTE}")
    summary_lines = [line for s in data.summaries for line in s.lines()]
    with atomic_open(files["load summary"]) as handle:
        handle.write("\n".join(summary_lines) + "\n")
    with atomic_open(files["report"]) as handle:
        handle.write(report(graph, table, as_of))
    for label, path in files.items():
        echo(f"wrote {label}: {path}")
    return files


def organisation_table(graph: nx.Graph) -> pd.DataFrame:
    """One row per organisation: name, alliance, partners, deals, route footprint."""
    rows = []
    for node, d in graph.nodes(data=True):
        rows.append({
            "id": node, "name": d.get("name"), "country": d.get("country"),
            "alliance": d.get("alliance"), "partners": graph.degree(node),
            "deals": int(graph.degree(node, weight="deals")),
            "routes": d.get("routes", 0), "markets": d.get("markets", 0),
            "codeshare_routes": d.get("codeshare_routes", 0),
        })
    table = pd.DataFrame(rows)
    return table.sort_values(["partners", "routes", "id"], ascending=[False, False, True])


def report(graph: nx.Graph, table: pd.DataFrame, as_of: pd.Timestamp) -> str:
    """A short Markdown report of the demo's findings."""
    by_alliance = table.groupby("alliance").agg(
        airlines=("id", "size"), routes=("routes", "sum"), markets=("markets", "sum"))
    lines = [
        f"# Airline alliances on {as_of:%Y-%m-%d}",
        "",
        SOURCE_NOTE,
        "",
        f"Partner graph: {graph.number_of_nodes()} airlines, {graph.number_of_edges()} ties "
        f"({graph.graph['selection']}).",
        "",
        "| alliance | airlines | routes (OpenFlights) | markets served (sum) |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {a} | {r.airlines} | {r.routes:,} | {r.markets:,} |"
              for a, r in by_alliance.iterrows()]
    lines += ["", "Largest route networks among alliance members:", "",
              "| airline | alliance | routes | markets |", "|---|---|---:|---:|"]
    top = table.sort_values("routes", ascending=False).head(10)
    lines += [f"| {r['name']} [{r['id']}] | {r['alliance']} | {r['routes']:,} | "
              f"{r['markets']:,} |" for _, r in top.iterrows()]
    return "\n".join(lines) + "\n"
