"""Writing and reading projected graphs: GraphML, GEXF and node-link JSON.

GraphML and GEXF hold only scalar attributes, so list attributes (deal ids, types,
aliases) are stored as JSON text and their names listed in the graph attribute
`graphkit_lists`; `restore_lists` turns them back into lists on reading.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx

from graphkit.atomic import atomic_open, make_folder
from graphkit.errors import InputError, quoted

FORMATS = {".graphml": "graphml", ".gexf": "gexf", ".json": "json"}
LIST_KEY = "graphkit_lists"
# Always restored: GEXF keeps no graph attributes, so LIST_KEY may be lost there.
LIST_ATTRIBUTES = ("deal_ids", "types", "aliases", "deal_dates", "deal_ends", "deal_types",
                   "deal_statuses")


_SUFFIX_OF = {kind: suffix for suffix, kind in FORMATS.items()}


def format_for(path: str | Path, format: str | None = None) -> str:
    """The graph format named by `format` or by the file suffix."""
    suffix = Path(path).suffix.lower()
    if format:
        if format not in FORMATS.values():
            raise InputError(f"unknown output format {quoted(format)}: "
                             "choose graphml, gexf or json")
        if FORMATS.get(suffix, format) != format:
            raise InputError(f"{Path(path).name} names a {FORMATS[suffix]} file, and the format "
                             f"asked for is {format}: name it "
                             f"{Path(path).with_suffix(_SUFFIX_OF[format]).name}, or drop the "
                             "format option to write what the name says")
        return format
    if suffix not in FORMATS:
        raise InputError(f"cannot tell the output format from {quoted(Path(path).name)}: "
                         "give a .graphml, .gexf or .json name")
    return FORMATS[suffix]


# XML 1.0 forbids these characters anywhere, escaped or not: a name holding one would make
# a GraphML or GEXF file no reader accepts. Each becomes U+FFFD (the replacement mark).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: object) -> object:
    """Text that XML can hold (see _NOT_XML); other values unchanged."""
    return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value


def _scalar_copy(graph: nx.Graph, keep_viz: bool = False) -> nx.Graph:
    """A copy with list attributes as JSON text, missing values left out and text XML can
    hold; GEXF keeps its `viz` (colour, size, position) structure."""
    lists: set[str] = set()

    def flat(attrs: dict) -> dict:
        out = {}
        for key, value in attrs.items():
            if value is None or (key == "viz" and not keep_viz):
                continue
            name = xml_text(key)  # attribute names are text in the file too
            if key == "viz":
                out[key] = value
            elif isinstance(value, (list, tuple, set)):
                lists.add(name)
                out[name] = xml_text(json.dumps(list(value), ensure_ascii=False))
            elif isinstance(value, dict):  # listed with the lists: read back as a dict
                lists.add(name)
                out[name] = xml_text(json.dumps(value, ensure_ascii=False))
            else:
                out[name] = xml_text(value)
        return out

    copy = graph.__class__()
    copy.add_nodes_from((xml_text(n), flat(d)) for n, d in graph.nodes(data=True))
    copy.add_edges_from((xml_text(u), xml_text(v), flat(d)) for u, v, d in
                        graph.edges(data=True))
    copy.graph.update(flat(graph.graph))
    copy.graph[LIST_KEY] = ",".join(sorted(lists))
    return copy


def write_graph(graph: nx.Graph, path: str | Path, format: str | None = None) -> str:
    """Write `graph` atomically; returns the format used."""
    kind = format_for(path, format)
    with atomic_open(path, "wb") as handle:
        if kind == "json":
            data = nx.node_link_data(graph, edges="edges")
            handle.write(json.dumps(data, ensure_ascii=False, indent=1, default=str)
                         .encode("utf-8"))
        elif kind == "graphml":
            copy = _scalar_copy(graph)
            _labelled(copy)
            nx.write_graphml(copy, handle, encoding="utf-8")
        else:
            copy = _scalar_copy(graph, keep_viz=True)
            _labelled(copy)
            _write_gexf(copy, graph.graph, handle)
    return kind


def _labelled(graph: nx.Graph) -> None:
    """Gephi, Cytoscape and yEd show a node's `label`: the name, not the id ('LH')."""
    for _, attrs in graph.nodes(data=True):
        if "name" in attrs:
            attrs.setdefault("label", attrs["name"])


def _write_gexf(graph: nx.Graph, about: dict, handle) -> None:
    """GEXF has no graph attributes: what the graph holds (its selection, date, window,
    sources) goes into the file's <meta><description>, which Gephi shows."""
    from xml.etree.ElementTree import SubElement

    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8")
    writer.add_graph(graph)
    facts = [f"{key.replace('_', ' ')}: {_fact(about[key])}" for key in
             ("selection", "as_of", "window_years", "deals_used", "sources") if key in about]
    if facts:
        meta = writer.xml.find("meta")
        SubElement(meta, "description").text = xml_text("graphkit partner graph; "
                                                        + "; ".join(facts))
    writer.write(handle)


def _fact(value: object) -> str:
    return ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


def restore_lists(graph: nx.Graph) -> nx.Graph:
    """Undo the JSON text encoding of list attributes written by `write_graph`."""
    names = {n for n in str(graph.graph.pop(LIST_KEY, "") or "").split(",") if n}
    names |= set(LIST_ATTRIBUTES)
    records = [d for _, d in graph.nodes(data=True)] + [d for *_, d in graph.edges(data=True)]
    for data in [graph.graph, *records]:  # graph attributes too (the sources read)
        for name in names & data.keys():
            data[name] = _as_list(data[name])
    return graph


def _as_list(value: object) -> object:
    """JSON list (or object) text back to a list (or dict); anything else unchanged."""
    if isinstance(value, str) and value.startswith(("[", "{")):
        try:
            parsed = json.loads(value)
        except (ValueError, RecursionError):
            return value
        return parsed if isinstance(parsed, (list, dict)) else value
    return value


def with_viz(graph: nx.Graph, payload: dict) -> nx.Graph:
    """A copy carrying GEXF `viz` colours, sizes and positions from a map's payload, so
    Gephi opens it as laid out."""
    copy = graph.copy()
    keys = {str(n): n for n in copy}
    for node in payload["nodes"]:
        key = keys.get(node["id"])
        if key is None:
            continue
        colour = node["color"].lstrip("#")
        r, g, b = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
        copy.nodes[key]["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0},
                                  "size": float(node["size"]),
                                  "position": {"x": float(node["x"]), "y": -float(node["y"]),
                                               "z": 0.0}}
        copy.nodes[key]["group"] = node["group"]
    return copy


def write_tables(graph: nx.Graph, folder: str | Path) -> tuple[Path, Path]:
    """nodes.csv and edges.csv (lists joined with '; ', an unknown item left empty; each
    edge with its ends' names). Cells keep their type: a year is 2014, not 2014.0 because
    another tie has none. `graphkit load edges.csv` reads the file back as the graph it
    came from (`graphkit.loaders.edges`: ids, names, deals with their dates and types)."""
    import pandas as pd

    from graphkit.outputs import display_table, write_csv

    def flat(value: object) -> object:
        if isinstance(value, (list, tuple)):
            return "; ".join("" if item is None else str(item) for item in value)
        return value

    out = make_folder(folder)
    nodes = pd.DataFrame([{"id": n, **{k: flat(v) for k, v in d.items()}}
                          for n, d in graph.nodes(data=True)])
    names = {n: d.get("name", n) for n, d in graph.nodes(data=True)}
    edges = pd.DataFrame([{"source": u, "target": v, "source_name": names[u],
                           "target_name": names[v], **{k: flat(x) for k, x in d.items()}}
                          for u, v, d in graph.edges(data=True)])
    return (write_csv(display_table(nodes), out / "nodes.csv"),
            write_csv(display_table(edges), out / "edges.csv"))
