"""Interactive pyvis maps of a partner graph."""

from __future__ import annotations

import html
import math
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from graphkit.atomic import atomic_open

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
           "#17becf", "#bcbd22", "#7f7f7f"]
OTHER_COLOUR = "#b0b0b0"


def write_map(
    graph: nx.Graph,
    path: str | Path,
    *,
    color_by: str | None = None,
    title: str = "Partner network",
    note: str = "",
) -> dict[str, str]:
    """Write an interactive map; nodes coloured by attribute `color_by`, sized by partners.

    Returns the legend (group -> colour).
    """
    groups = sorted({str(d[color_by]) for _, d in graph.nodes(data=True)
                     if color_by and d.get(color_by) is not None})
    legend = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(groups)}
    net = Network(height="760px", width="100%", cdn_resources="in_line", heading="")
    # Bulk lists: pyvis's add_edge scans all edges for duplicates on every call.
    net.nodes = [
        {
            "id": str(n),
            "label": str(d.get("name", n)),
            "title": _tooltip(n, d, graph.degree(n), color_by),
            "color": legend.get(str(d.get(color_by)), OTHER_COLOUR) if color_by else PALETTE[0],
            "size": 8 + 4 * math.sqrt(graph.degree(n)),
            "shape": "dot",
        }
        for n, d in graph.nodes(data=True)
    ]
    net.node_ids = [str(n) for n in graph.nodes]
    net.node_map = {node["id"]: node for node in net.nodes}
    net.edges = [
        {"from": str(u), "to": str(v), "value": float(d.get("weight", 1)),
         "title": f"{d.get('deals', 1)} deals; " + ", ".join(d.get("types") or [])}
        for u, v, d in graph.edges(data=True)
    ]
    net.toggle_physics(graph.number_of_nodes() <= 500)
    page = net.generate_html()
    legend_html = "".join(
        f'<span style="margin-right:1em"><span style="display:inline-block;width:12px;'
        f'height:12px;border-radius:6px;background:{c}"></span> {html.escape(g)}</span>'
        for g, c in legend.items()
    )
    header = (f'<div style="font-family:sans-serif;padding:8px"><h2 style="margin:0">'
              f'{html.escape(title)}</h2><div>{legend_html}</div>'
              f'<div style="color:#555;font-size:0.9em">{html.escape(note)}</div></div>')
    page = page.replace("<body>", "<body>\n" + header, 1)
    with atomic_open(path, "w") as handle:
        handle.write(page)
    return legend


def _tooltip(node: object, data: dict, partners: int, color_by: str | None) -> str:
    # Plain text: current vis-network shows title strings as text, not HTML.
    lines = [f"{data.get('name', node)} [{node}]", f"partners: {partners}"]
    for key in ("country", color_by, "routes", "markets"):
        if key and data.get(key) is not None:
            lines.append(f"{key}: {data[key]}")
    return "\n".join(lines)
