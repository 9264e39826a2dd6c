"""Finding an organisation by id or name, with suggestions when it is not there."""

from __future__ import annotations

import difflib

import networkx as nx

from graphkit.errors import InputError
from graphkit.names import normalize_name


def find_node(graph: nx.Graph, query: str) -> object:
    """The node whose id, name or alias matches `query` (exactly, then normalised)."""
    if query in graph:
        return query
    key = normalize_name(query)
    matches = [n for n, d in graph.nodes(data=True)
               if normalize_name(str(n)) == key or normalize_name(str(d.get("name", ""))) == key
               or any(normalize_name(a) == key for a in d.get("aliases") or [])]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        listed = ", ".join(f"{graph.nodes[m].get('name', m)} [{m}]" for m in matches[:5])
        raise InputError(f"{query!r} matches several organisations: {listed}; give the id")
    labels = {f"{d.get('name', n)} [{n}]": n for n, d in graph.nodes(data=True)}
    names = {str(d.get("name", n)): f"{d.get('name', n)} [{n}]" for n, d in graph.nodes(data=True)}
    close = difflib.get_close_matches(query, list(names), n=3, cutoff=0.6)
    close += [label for label in labels if str(labels[label]).casefold() == query.casefold()]
    hint = f"; did you mean {', '.join(names.get(c, c) for c in close)}?" if close else ""
    raise InputError(f"organisation {query!r} is not in the graph{hint}")
