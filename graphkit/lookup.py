"""Finding an organisation by id or name, with suggestions when it is not there.

Every place that takes an organisation from the user (query parameters, `ego`, `compare`,
`map --ego`, the API) goes through `find_node` (a graph) or `find_org` (a loaded
organisations table): the id as given, then the id, name or any alias compared after
folding case, accents, punctuation and legal suffixes, then the first words of a name
followed only by words such as Airlines, Group, Holdings or Motor ('Continental' finds
Continental Airlines when no other name does; 'Societe' does not find Societe Generale).
Several matches or none are an error that names them or the closest names, never an empty
answer.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import pandas as pd

from graphkit.errors import InputError
from graphkit.names import normalize_name


def _find(query: str, records: Iterable[tuple[object, str, list]], where: str) -> object:
    """records: (id, name, aliases). One id, or one clear error."""
    records = list(records)
    text = str(query).strip()
    for org, _, _ in records:
        if str(org) == text:
            return org
    key = normalize_name(text)
    folded = text.casefold()
    matches = [org for org, name, aliases in records
               if str(org).casefold() == folded or (key and (
                   normalize_name(str(org)) == key or normalize_name(name) == key
                   or any(normalize_name(a) == key for a in aliases)))]
    matches = list(dict.fromkeys(matches))
    if not matches and key:  # the name's first words: 'Continental' is Continental Airlines
        matches = list(dict.fromkeys(org for org, name, _ in records
                                     if _generic_tail(normalize_name(name), key)))
    names = {org: name for org, name, _ in records}
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        listed = ", ".join(f"{names[m]} [{m}]" for m in matches[:5])
        raise InputError(f"'{text}' matches several organisations ({listed}): give the id "
                         "in brackets instead")
    raise InputError(f"no organisation '{text}' {where}" + _suggest(text, records))


# Words that add nothing to a name that begins with the query ('Continental Airlines' is
# 'Continental'); any other word makes it a different name ('Societe Generale').
GENERIC_TAIL = frozenset({"airlines", "airline", "airways", "air", "lines", "group",
                          "holdings", "holding", "international", "company", "companies",
                          "corporation", "incorporated", "limited", "motor", "motors",
                          "industries", "technologies", "systems", "enterprises"})


def _generic_tail(name_key: str, key: str) -> bool:
    if not name_key.startswith(key + " "):
        return False
    return all(word in GENERIC_TAIL for word in name_key[len(key) + 1:].split(" "))


def _suggest(text: str, records: list[tuple[object, str, list]]) -> str:
    from rapidfuzz import fuzz, process

    labels = [f"{name} [{org}]" for org, name, _ in records]
    keys = [normalize_name(name) or str(org).casefold() for org, name, _ in records]
    if not keys:
        return ""
    wanted = normalize_name(text) or text.casefold()
    # Names holding the query as whole words come first ('united' -> United Airlines).
    words = sorted((labels[i] for i, key in enumerate(keys) if f" {wanted} " in f" {key} "),
                   key=len)
    found = process.extract(wanted, keys, scorer=fuzz.WRatio, limit=12, score_cutoff=60)
    close = list(dict.fromkeys([*words, *(labels[i] for _, _, i in found)]))[:3]
    return f"; did you mean {', '.join(close)}?" if close else ""


def find_node(graph: nx.Graph, query: str) -> object:
    """The node whose id, name or alias matches `query` (see the module docstring)."""
    return _find(query, ((n, str(d.get("name", n)), list(d.get("aliases") or []))
                         for n, d in graph.nodes(data=True)), "is in the graph")


def find_org(organizations: pd.DataFrame, query: str) -> object:
    """The organisation (id in `organizations`) whose id, name or alias matches `query`."""
    aliases = (organizations["aliases"] if "aliases" in organizations
               else pd.Series([()] * len(organizations), index=organizations.index))
    return _find(query, ((o, str(n), list(a or [])) for o, n, a in
                         zip(organizations.index, organizations["name"], aliases, strict=True)),
                 "is in the sources")
