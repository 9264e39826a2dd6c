"""GraphML, GEXF and node-link JSON graph files, as graphs and as model records."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree.ElementTree import ParseError

import networkx as nx
import pandas as pd

from graphkit.dates import DATE_DTYPE, parse_dates
from graphkit.errors import LONE_SURROGATE, InputError, one_line, without_surrogates
from graphkit.graph_io import LIST_ATTRIBUTES, restore_lists
from graphkit.loaders.tables import check_readable
from graphkit.model import (
    MAX_DEALS,
    MAX_WEIGHT,
    MIN_WEIGHT,
    WEIGHT_EXPECTED,
    PartnerData,
)
from graphkit.summary import LoadSummary, plural

GRAPH_SUFFIXES = {".graphml": "graphml", ".gexf": "gexf", ".json": "json"}


def read_graph_file(path: str | Path, format: str | None = None) -> nx.Graph:
    """Read a graph file (GraphML, GEXF or node-link JSON) into NetworkX."""
    p = check_readable(path)
    kind = format or GRAPH_SUFFIXES.get(p.suffix.lower())
    if kind is None:
        raise InputError("this command reads a graph file (.graphml, .gexf or .json), and "
                         f"this is not one: if it holds deals or routes, run `graphkit load "
                         f"{p} --out graph.graphml` first and give graph.graphml", file=p)
    try:
        if kind == "graphml":
            graph = nx.read_graphml(p)
        elif kind == "gexf":
            graph = nx.read_gexf(p)
        else:
            with open(p, encoding="utf-8-sig") as handle:  # a BOM is harmless
                document = json.load(handle)
            graph = nx.node_link_graph(_node_link(document, p), edges="edges")
        # GraphML readers leave their key defaults here; they are not the data's attributes.
        graph.graph.pop("node_default", None)
        graph.graph.pop("edge_default", None)
        graph = restore_lists(graph)
        for _, attrs in graph.nodes(data=True):  # a display copy of the name (write_graph)
            if "label" in attrs and attrs["label"] == attrs.get("name"):
                del attrs["label"]
    except InputError:
        raise
    except RecursionError:
        raise InputError(f"not a readable {kind} graph: nested too deeply", file=p) from None
    except (ParseError, nx.NetworkXError, KeyError, TypeError, ValueError, AttributeError,
            OverflowError, UnicodeDecodeError) as exc:
        raise InputError(f"not a readable {kind} graph: {_reader_problem(exc, p)}",
                         file=p) from None
    if kind in ("graphml", "gexf"):
        _check_unique_node_ids(p, graph, kind)
    graph = _clean_text(graph, p)
    if graph.is_directed():
        graph = _undirected(graph, p)
    check_graph(graph, p)
    return graph


_NODE_TAG = re.compile(rb"<(?:[\w.-]+:)?node[\s/>]")


def _check_unique_node_ids(path: Path, graph: nx.Graph, kind: str) -> None:
    """The XML readers merge two <node> elements with one id into one node, the last one's
    attributes winning: count the elements (a streamed byte scan) and, only when they
    outnumber the nodes read, name a repeated id."""
    keep = 32  # a tag split between two chunks is looked at in the next one
    count, tail = 0, b""
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 24), b""):
            data = tail + chunk
            cut = len(data) - keep
            count += sum(1 for m in _NODE_TAG.finditer(data) if m.start() < cut)
            tail = data[cut:] if cut > 0 else data
    count += len(_NODE_TAG.findall(tail))
    if count <= graph.number_of_nodes():
        return
    from lxml import etree

    seen: set[str] = set()
    for _, element in etree.iterparse(str(path), events=("end",), resolve_entities=False,
                                      no_network=True, huge_tree=True):
        if etree.QName(element).localname == "node":
            node = element.get("id")
            if node in seen:
                raise InputError(f"node id '{one_line(node)}' appears twice; the {kind} reader "
                                 "would merge the two into one organisation, the second's "
                                 "attributes winning: give each node its own id", file=path)
            seen.add(node)
        element.clear()


_TYPES = {"graphml": "boolean, int, long, float, double or string",
          "gexf": "boolean, integer, long, float, double, string, liststring or date"}


def _reader_problem(exc: Exception, path: Path) -> str:
    """What a graph reader's exception means, said in words (the readers name the bad
    value, not what it broke)."""
    text = one_line(exc)
    kind = "gexf" if path.suffix.lower() == ".gexf" else "graphml"
    if isinstance(exc, KeyError) and isinstance(exc.args[0], str):
        value = exc.args[0]
        declared = re.search(rb'type\s*=\s*["\']' + re.escape(value.encode()) + rb'["\']',
                             path.read_bytes())
        if declared:
            return f"an attribute is declared of type '{value}'; the types are {_TYPES[kind]}"
        return f"the value '{value}' stands where a boolean (true or false) is declared"
    number = re.fullmatch(r"(?:invalid literal for int\(\) with base 10|could not convert "
                          r"string to float): (.*)", text)
    if number:
        wanted = "whole number" if "int()" in text else "number"
        return f"the value {number[1]} stands where its attribute declares a {wanted}"
    return text


def _json_id(value: object, where: str, path: Path) -> str:
    """A node-link id as the text graphkit keeps (GraphML and GEXF ids are text)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, int)) or (isinstance(value, float) and value == value
                                          and abs(value) != float("inf")):
        return json.dumps(value)  # true, 12, 1.5: as the file writes them
    raise InputError(f"{where} has id {json.dumps(value)[:40] if value is not None else 'null'}"
                     ": expected text or a number", file=path)


def _node_link(document: object, path: Path) -> dict:
    """Node-link JSON checked, with every id as text and edges under "edges" (files from
    NetworkX before 3.4 call them "links")."""
    if not isinstance(document, dict) or not isinstance(document.get("nodes"), list):
        raise InputError("expected node-link JSON: an object with a list of \"nodes\" and a "
                         "list of \"edges\"", file=path)
    if not isinstance(document.get("graph", {}), dict):
        raise InputError("expected node-link JSON whose \"graph\" is an object of attributes",
                         file=path)
    edges = document.get("edges", document.get("links", []))
    if not isinstance(edges, list):
        raise InputError("expected node-link JSON whose \"edges\" is a list", file=path)
    nodes, first = [], {}
    for i, node in enumerate(document["nodes"], 1):
        if not isinstance(node, dict) or "id" not in node:
            raise InputError(f'node {i} in "nodes" has no "id"', file=path)
        text = _json_id(node["id"], f'node {i} in "nodes"', path)
        if text in first:
            j, raw = first[text]
            hint = "" if raw == node["id"] else " (once written as text)"
            raise InputError(f'nodes {j} and {i} in "nodes" have the same id '
                             f"'{text}'{hint}: ids must be distinct", file=path)
        first[text] = (i, node["id"])
        nodes.append({**node, "id": text})
    links = []
    for i, edge in enumerate(edges, 1):
        if not isinstance(edge, dict) or "source" not in edge or "target" not in edge:
            raise InputError(f'edge {i} in "edges" needs a "source" and a "target"', file=path)
        links.append({**edge, "source": _json_id(edge["source"], f"edge {i}'s source", path),
                      "target": _json_id(edge["target"], f"edge {i}'s target", path)})
    return {**document, "nodes": nodes, "edges": links}


def _text(value: object) -> object:
    """Text without lone surrogates (JSON may escape them; no file can hold them)."""
    return without_surrogates(value) if isinstance(value, str) else value


def _clean_text(graph: nx.Graph, path: Path) -> nx.Graph:
    """Ids, attribute names and text values with lone surrogates replaced by U+FFFD."""
    def clean(attrs: dict) -> dict:
        return {_text(k): [_text(x) for x in v] if isinstance(v, list) else _text(v)
                for k, v in attrs.items()}

    def dirty(attrs: dict) -> bool:  # repr() would escape the surrogates it should find
        return any(isinstance(x, str) and LONE_SURROGATE.search(x) for k, v in attrs.items()
                   for x in (k, *(v if isinstance(v, list) else [v])))

    records = [graph.graph, *(d for _, d in graph.nodes(data=True)),
               *(d for *_, d in graph.edges(data=True))]
    if not any(LONE_SURROGATE.search(str(n)) for n in graph) and not any(map(dirty, records)):
        return graph
    ids = {n: _text(n) for n in graph}
    if len(set(ids.values())) < len(ids):
        raise InputError("two node ids differ only in characters no file can hold (lone "
                         "surrogates): ids must be distinct", file=path)
    clean_graph = graph.__class__()
    clean_graph.graph.update(clean(graph.graph))
    clean_graph.add_nodes_from((ids[n], clean(d)) for n, d in graph.nodes(data=True))
    clean_graph.add_edges_from((ids[u], ids[v], clean(d)) for u, v, d in
                               graph.edges(data=True))
    return clean_graph


def _undirected(graph: nx.Graph, path: Path) -> nx.Graph:
    """Partner ties have no direction: a directed graph is read as undirected, unless it
    holds both a -> b and b -> a (which of the two would the tie be?)."""
    both = next(((u, v) for u, v in graph.edges() if u != v and graph.has_edge(v, u)), None)
    if both is not None:
        raise InputError(f"the graph is directed and holds both {both[0]} -> {both[1]} and "
                         f"{both[1]} -> {both[0]}: partner ties have no direction; merge "
                         "each pair into one edge", file=path)
    return graph.to_undirected(as_view=False)


_SCALARS = (str, int, float, bool, type(None))
_LONG = 2**63  # GraphML's long; a larger integer is no count or year


def check_graph(graph: nx.Graph, path: Path) -> None:
    """A graph's attributes and edge numbers as the rules say (one clear error naming the
    node or edge otherwise); deal counts become whole numbers."""
    _check_attributes(graph, path)
    _check_edge_numbers(graph, path)


def _check_attributes(graph: nx.Graph, path: Path) -> None:
    """Every attribute value is text, a number or a list of them (GEXF's `viz` aside), and
    an edge's deal lists are as long as its deal ids: one clear error otherwise."""
    def problem(value: object) -> str | None:
        items = value if isinstance(value, list) else [value]
        for item in items:
            if not isinstance(item, _SCALARS):
                return ("a list inside a list" if isinstance(item, list) else
                        "an object" if isinstance(item, dict) else "not text or a number")
            if isinstance(item, int) and not isinstance(item, bool) and abs(item) >= _LONG:
                return f"an integer of {len(str(abs(item))):,} digits, too large for any count"
        return None

    elements = [(f"node {n}", d) for n, d in graph.nodes(data=True)]
    elements += [(f"edge {u} - {v}", d) for u, v, d in graph.edges(data=True)]
    for where, attrs in elements:
        for key, value in attrs.items():
            if key == "viz":
                continue
            why = problem(value)
            if why:
                raise InputError(f"{where}: attribute '{key}' is {why}; expected text, a number "
                                 "(below 2^63 if whole) or a list of them", file=path)
        for key in LIST_ATTRIBUTES & attrs.keys():  # one value given: a list of one
            if not isinstance(attrs[key], list):
                attrs[key] = [] if attrs[key] in (None, "") else [attrs[key]]
        ids = attrs.get("deal_ids")
        for key in ("deal_dates", "deal_ends", "deal_types", "deal_statuses"):
            listed = attrs.get(key)
            if isinstance(ids, list) and listed is not None and (
                    not isinstance(listed, list) or len(listed) != len(ids)):
                count = len(listed) if isinstance(listed, list) else 1
                raise InputError(f"{where} lists {len(ids):,} deal_ids but {count:,} {key}: "
                                 "each deal needs its own", file=path)


def _check_edge_numbers(graph: nx.Graph, path: Path) -> None:
    """Every edge's weight is within the weight range (graphkit.model) and its deal count
    a whole number from 1 to MAX_DEALS: one clear error naming the edge otherwise."""
    for u, v, d in graph.edges(data=True):
        for key, whole in (("weight", False), ("deals", True)):
            if key not in d:
                continue
            value = d[key]
            try:
                number = float(value)
            except (TypeError, ValueError, OverflowError):
                number = float("nan")
            ok = (1 <= number <= MAX_DEALS and number.is_integer() if whole
                  else MIN_WEIGHT <= number <= MAX_WEIGHT)
            if not ok:
                expected = (f"a whole number from 1 to {MAX_DEALS:,}" if whole else
                            WEIGHT_EXPECTED)
                shown = one_line(value)
                shown = shown if len(shown) <= 30 else shown[:27] + "..."
                raise InputError(f"edge {u} - {v} has {key} {shown}: expected {expected}",
                                 file=path)
            d[key] = int(number) if whole else number


def load_graph_file(path: str | Path, format: str | None = None) -> PartnerData:
    """Nodes become organisations; edges become deal records.

    A graph written by graphkit lists each tie's deals (`deal_ids`, with `deal_dates` and
    `deal_ends`): its deals are rebuilt exactly (a deal's participants are the ends of
    the ties that list it), so questions answered from the file equal those answered
    from the table it was made from. Any other graph gives one record per edge: its
    `deals` (else 1) is the count it stands for, `weight` (else `deals`) its strength,
    `type`/`types` its type, and `first_date`/`date`/`first_year` to `last_date`/
    `last_year` the span of its announcements. Parallel edges of a multigraph stay
    separate records. Nodes without edges are organisations without partners.
    """
    return graph_data(read_graph_file(path, format), Path(path),
                      format or Path(path).suffix.lstrip("."))


def graph_data(graph: nx.Graph, path: Path, format: str) -> PartnerData:
    """The organisations and deal records a graph holds (see `load_graph_file`); `path`
    names its source in summaries and deal ids."""
    summary = LoadSummary(source=str(path), format=format)
    summary.read.update({"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()})
    isolates = list(nx.isolates(graph))
    if isolates:  # kept, so every command finds them (as `ego` and `info` on the file do)
        summary.notes.append(f"{plural(len(isolates), 'node')} without edges (e.g. "
                             f"{', '.join(str(n) for n in isolates[:5])}): known to lookups "
                             "and queries, with no partners; the partner graph holds "
                             "organisations with ties")
    edges = list(graph.edges(data=True))
    self_loops = [(u, v, d) for u, v, d in edges if u == v]
    summary.drop("self-loop", len(self_loops), [str(u) for u, _, _ in self_loops[:5]])
    edges = [(u, v, d) for u, v, d in edges if u != v]
    if edges and all(_lists_deals(d) for _, _, d in edges):
        deals, participants = _rebuilt_deals(edges, Path(path).name)
        summary.notes.append("the ties list their deals: the deal records are rebuilt "
                             "(participants, announcement and end dates)")
        summary.kept["deals"] = len(deals)
    else:
        listing = next(((u, v, d) for u, v, d in edges if "deal_ids" in d), None)
        if listing is not None:
            u, v, _ = next((e for e in edges if not _lists_deals(e[2])), listing)
            summary.notes.append(
                f"edge {u} - {v} does not list its deals consistently (deal_ids, deal_dates, "
                "deals and weight disagree, or are missing): every edge is read as one record "
                "standing for its `deals`, and the deal lists are not used")
        deals, participants = _edge_records(edges, Path(path), summary)
        summary.kept["tie records"] = len(deals)
    nodes = list(graph.nodes)
    attrs = [graph.nodes[n] for n in nodes]
    organizations = pd.DataFrame(
        {
            "name": [str(a.get("name", a.get("label", n))) for n, a in zip(nodes, attrs,
                                                                            strict=True)],
            "country": [a.get("country") for a in attrs],
            "sector": [a.get("sector") for a in attrs],
            "kind": [a.get("kind") for a in attrs],
            "aliases": [tuple(a.get("aliases") or ()) for a in attrs],
            "identity_note": [a.get("identity_note") for a in attrs],
        },
        index=pd.Index([str(n) for n in nodes], name="id", dtype=object),
    )
    summary.kept["organisations"] = len(organizations)
    return PartnerData(organizations=organizations, deals=deals, participants=participants,
                       summaries=[summary])


def _lists_deals(data: dict) -> bool:
    ids = data.get("deal_ids")
    dates = data.get("deal_dates")
    return (isinstance(ids, list) and isinstance(dates, list) and len(ids) == len(dates)
            == int(data.get("deals", -1)) and float(data.get("weight", -1)) == len(ids))


def _rebuilt_deals(edges: list, source: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Deal records from ties that list them (see `load_graph_file`)."""
    rows = []
    for u, v, d in edges:
        ends = d.get("deal_ends") or [None] * len(d["deal_ids"])
        types = d.get("types") or []
        # Each deal's own type where the tie lists them (`deal_types`); else a tie of one
        # type gives it to every deal (older files), and a tie of several to none.
        kinds = d.get("deal_types") or [types[0] if len(types) == 1 else None] * len(ends)
        states = d.get("deal_statuses") or [None] * len(ends)
        for deal_id, date, end, kind, state in zip(d["deal_ids"], d["deal_dates"], ends,
                                                   kinds, states, strict=False):
            rows.append((str(deal_id), str(u), str(v), date, end,
                         None if kind in (None, "") else str(kind),
                         None if state in (None, "") else str(state)))
    frame = pd.DataFrame(rows, columns=["deal_id", "u", "v", "announced", "ended", "type",
                                        "status"])
    participants = pd.concat([
        frame[["deal_id", "u"]].rename(columns={"u": "org_id"}),
        frame[["deal_id", "v"]].rename(columns={"v": "org_id"})]).drop_duplicates()
    grouped = frame.groupby("deal_id", sort=False)
    announced, _, a_level = parse_dates(grouped["announced"].first())
    ended, _, e_level = parse_dates(grouped["ended"].first(), period_end=True)
    deals = pd.DataFrame({
        "type": grouped["type"].agg(lambda t: t.dropna().iloc[0]
                                    if t.dropna().nunique() == 1 else None),
        "announced": announced.astype(DATE_DTYPE), "ended": ended.astype(DATE_DTYPE),
        "status": grouped["status"].first(), "source": source, "count": 1, "weight": 1.0,
        "announced_precision": a_level, "ended_precision": e_level,
    })
    deals.index.name = "deal_id"
    return deals, participants.reset_index(drop=True)


def _edge_records(edges: list, path: Path, summary: LoadSummary):
    """One deal record per edge, standing for its `deals` (see `load_graph_file`)."""
    ids = [f"{path.stem}:edge{i}" for i in range(len(edges))]

    def first(d: dict) -> object:
        return d.get("first_date", d.get("date", d.get("first_year")))

    def last(d: dict) -> object:
        return d.get("last_date", d.get("last_year"))

    announced, bad, _ = parse_dates(pd.Series([first(d) for _, _, d in edges], dtype=object))
    latest, _, _ = parse_dates(pd.Series([last(d) for _, _, d in edges], dtype=object),
                               period_end=False)
    summary.drop("edge date not understood: kept undated", int(bad.sum()))
    backwards = (latest < announced).to_numpy()
    if backwards.any():
        u, v, d = edges[int(backwards.argmax())]
        raise InputError(f"edge {u} - {v} runs from {one_line(first(d))} to {one_line(last(d))}: "
                         "expected the first date on or before the last", file=path)
    counts = [int(d.get("deals", 1)) for _, _, d in edges]
    deals = pd.DataFrame(
        {
            "type": [_type(d) for _, _, d in edges],
            "announced": announced.astype(DATE_DTYPE).to_numpy(),
            "ended": pd.NaT,
            "status": None,
            "source": path.name,
            "count": counts,
            "weight": [float(d.get("weight", c)) for (_, _, d), c in zip(edges, counts,
                                                                          strict=True)],
            "last_announced": latest.astype(DATE_DTYPE).to_numpy(),
        },
        index=pd.Index(ids, name="deal_id", dtype=object),
    )
    deals["ended"] = deals["ended"].astype(DATE_DTYPE)
    if deals["last_announced"].notna().any():
        summary.notes.append("edges give a span of years (first to last): time filters on "
                             "this source use the first")
    participants = pd.DataFrame(
        {"deal_id": ids * 2, "org_id": [str(u) for u, _, _ in edges] +
         [str(v) for _, v, _ in edges]}
    )
    return deals, participants


def _type(data: dict) -> str | None:
    value = data.get("type", data.get("types"))
    if isinstance(value, list):
        return ";".join(map(str, value)) or None
    return None if value in (None, "") else str(value)
