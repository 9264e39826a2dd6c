"""The named queries: each one Cypher file here and a NetworkX twin returning the same rows.

`run(name, params, data=...)` answers from loaded sources (NetworkX backend);
`run(name, params, driver=...)` answers from Neo4j. Rows come back as a DataFrame with the
same columns, order and values either way (dates as ISO text).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from graphkit.dates import format_dates, parse_date_option
from graphkit.errors import InputError
from graphkit.identities import frame_names, marked, names_on, organizations_on
from graphkit.lookup import find_org
from graphkit.model import PartnerData
from graphkit.projection import check_window, partner_graph, select_window_start
from graphkit.queries import Statement, statement

MAX_HOPS = 15


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # STRING, INTEGER, FLOAT, DATE
    help: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    params: tuple[Param, ...]
    networkx: Callable[[PartnerData, dict], pd.DataFrame]
    to_cypher: Callable[[dict], dict]  # user parameters -> Cypher parameters
    post: Callable[[pd.DataFrame, dict], pd.DataFrame] | None = None  # after Neo4j rows

    @property
    def cypher(self) -> Statement:
        return statement(self.name)


def _same(params: dict) -> dict:
    return {k: (v.date() if isinstance(v, pd.Timestamp) else v) for k, v in params.items()}


def _window(params: dict) -> dict:
    as_of = params["as_of"]
    return {**_same({k: v for k, v in params.items() if k != "years"}),
            "window_start": select_window_start(as_of, params["years"]).date()}


def _name(graph: nx.Graph, node: str) -> str:
    if node not in graph:
        return node
    return marked(graph.nodes[node].get("name", node), graph.nodes[node].get("identity_note"))


def _name_on(data: PartnerData, graph: nx.Graph, node: str, date: str | None) -> str:
    """The node's name as of `date` where the sources have dated names, else its name."""
    if date is None or data.identities.empty:
        return _name(graph, node)
    resolved = names_on(data.identities, pd.Timestamp(date), only=pd.Index([node])).names
    if node not in resolved.index or resolved.at[node, "name"] is None:
        return _name(graph, node)
    return marked(resolved.at[node, "name"], resolved.at[node, "identity_note"])


def _years(value: object) -> object:
    return None if value is None or pd.isna(value) else int(value)


def q_partners(data: PartnerData, p: dict) -> pd.DataFrame:
    """Each partner named as of the pair's latest deal, where a source has dated names (a
    partner of 2004 under a code reused since is named as it was in 2004)."""
    graph = partner_graph(data)
    org = p["org"]
    rows = [] if org not in graph else [
        {"id": v, "name": _name_on(data, graph, v, d.get("last_date")), "deals": d["deals"],
         "first_year": _years(d.get("first_year")), "last_year": _years(d.get("last_year"))}
        for _, v, d in graph.edges(org, data=True)]
    frame = pd.DataFrame(rows, columns=["id", "name", "deals", "first_year", "last_year"])
    return frame.sort_values(["deals", "id"], ascending=[False, True], kind="stable")


def _shared(graph: nx.Graph, a: str, b: str) -> pd.DataFrame:
    rows = []
    if a in graph and b in graph:
        for p in sorted(set(graph[a]) & set(graph[b]) - {a, b}):
            rows.append({"id": p, "name": _name(graph, p),
                         "deals_with_a": graph.edges[a, p]["deals"],
                         "deals_with_b": graph.edges[b, p]["deals"]})
    return pd.DataFrame(rows, columns=["id", "name", "deals_with_a", "deals_with_b"])


def q_shared_partners(data: PartnerData, p: dict) -> pd.DataFrame:
    frame = _shared(partner_graph(data), p["a"], p["b"])
    total = frame["deals_with_a"] + frame["deals_with_b"]
    return frame.assign(_t=total).sort_values(["_t", "id"], ascending=[False, True],
                                               kind="stable").drop(columns="_t")


def q_shortest_paths(data: PartnerData, p: dict) -> pd.DataFrame:
    graph = partner_graph(data)
    try:
        paths = sorted(nx.all_shortest_paths(graph, p["a"], p["b"]))
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        paths = []
    paths = [path for path in paths if len(path) - 1 <= MAX_HOPS]
    return name_paths(pd.DataFrame({"path": paths, "ties": [len(x) - 1 for x in paths]},
                                   columns=["path", "ties"]), lambda n: _name(graph, n))


def _joined_names(rows: pd.DataFrame, _params: dict) -> pd.DataFrame:
    """Neo4j's list of names per path as the same 'A – B – C' text."""
    names = [" – ".join(n) for n in rows["names"]] if len(rows) else []
    return rows.assign(names=pd.Series(names, index=rows.index, dtype=object))[
        ["path", "names", "ties"]]


def name_paths(rows: pd.DataFrame, name) -> pd.DataFrame:
    """Paths (lists of ids) with a readable `names` column: 'A – B – C'."""
    rows.insert(1, "names", [" – ".join(name(n) for n in path) for path in rows["path"]])
    return rows


def q_ecosystem(data: PartnerData, p: dict) -> pd.DataFrame:
    hops = int(p["hops"])
    graph = partner_graph(data)
    reach = ({} if p["org"] not in graph else
             nx.single_source_shortest_path_length(graph, p["org"], cutoff=hops))
    rows = [{"id": n, "name": _name(graph, n), "hops": h} for n, h in reach.items()
            if n != p["org"]]
    frame = pd.DataFrame(rows, columns=["id", "name", "hops"])
    return frame.sort_values(["hops", "id"], kind="stable")


def _window_ties(data: PartnerData, p: dict) -> pd.DataFrame:
    graph = partner_graph(data, as_of=p["as_of"], window=p["years"])
    return pd.DataFrame(
        [{"a": min(u, v), "b": max(u, v), "a_name": _name(graph, min(u, v)),
          "b_name": _name(graph, max(u, v)), "weight": d["weight"]}
         for u, v, d in graph.edges(data=True)],
        columns=["a", "b", "a_name", "b_name", "weight"])


def rank_brokers(ties: pd.DataFrame, p: dict) -> pd.DataFrame:
    """Betweenness (length 1/weight) of the window's ties; the same for both backends."""
    from graphkit.centrality import centrality_table

    columns = ["id", "name", "betweenness", "rank"]
    if ties.empty:
        return pd.DataFrame(columns=columns)
    graph = nx.Graph()
    for t in ties.itertuples():
        graph.add_node(t.a, name=t.a_name)
        graph.add_node(t.b, name=t.b_name)
        graph.add_edge(t.a, t.b, weight=float(t.weight))
    table = centrality_table(graph, ["betweenness"]).table
    table = table.rename(columns={"betweenness_rank": "rank"})[columns]
    table["rank"] = table["rank"].astype(int)
    return table.sort_values(["rank", "id"]).head(int(p.get("limit", 10)))


def q_top_brokers(data: PartnerData, p: dict) -> pd.DataFrame:
    return rank_brokers(_window_ties(data, p), p)


def q_new_partners(data: PartnerData, p: dict) -> pd.DataFrame:
    """Partners whose first dated deal with `org` is on or after `since`; deals: every
    deal of the pair that has a date."""
    org, since = p["org"], p["since"]
    parts = data.participants
    mine = parts.loc[parts["org_id"] == org, "deal_id"]
    pairs = parts[parts["deal_id"].isin(mine) & (parts["org_id"] != org)]
    columns = ["announced", "count", *(["announced_precision"]
                                       if "announced_precision" in data.deals else [])]
    pairs = pairs.join(data.deals[columns], on="deal_id")
    pairs = pairs[pairs["announced"].notna()].sort_values(["announced", "deal_id"])
    first = pairs.groupby("org_id").first()
    deals = pairs.groupby("org_id")["count"].sum()
    first = first[first["announced"] >= since]
    names = frame_names(data.organizations)
    text = format_dates(first["announced"], first.get("announced_precision"))
    frame = pd.DataFrame({"id": first.index, "name": first.index.map(names),
                          "first_deal": text.to_numpy(),
                          "deals": deals.reindex(first.index).astype(int).to_numpy()})
    return frame.sort_values(["first_deal", "id"], kind="stable").reset_index(drop=True)


def q_group_members(data: PartnerData, p: dict) -> pd.DataFrame:
    groups = data.groups
    as_of = p["as_of"]
    live = groups[(groups["group"] == p["group"]) & (groups["start"] <= as_of)
                  & (groups["end"].isna() | (groups["end"] >= as_of))]
    names = frame_names(organizations_on(data, as_of))

    def iso(v: object) -> object:
        return None if pd.isna(v) else pd.Timestamp(v).strftime("%Y-%m-%d")

    frame = pd.DataFrame({"id": live["org_id"], "name": live["org_id"].map(names),
                          "role": live["role"], "start": live["start"].map(iso),
                          "end": live["end"].map(iso)})
    return frame.sort_values(["id", "start"], kind="stable")


def q_market_overlap(data: PartnerData, p: dict) -> pd.DataFrame:
    routes = data.routes
    am = set(routes.loc[routes["org_id"] == p["a"], "market"])
    bm = set(routes.loc[routes["org_id"] == p["b"], "market"])
    shared = len(am & bm)
    union = len(am | bm)
    smaller = min(len(am), len(bm))
    return pd.DataFrame([{"shared": shared, "a_markets": len(am), "b_markets": len(bm),
                          "jaccard": shared / union if union else 0.0,
                          "overlap": shared / smaller if smaller else 0.0}])


def q_rival_bridges(data: PartnerData, p: dict) -> pd.DataFrame:
    graph = partner_graph(data, as_of=p["as_of"], window=p["years"])
    frame = _shared(graph, p["a"], p["b"])
    low = frame[["deals_with_a", "deals_with_b"]].min(axis=1)
    return frame.assign(_m=low).sort_values(["_m", "id"], ascending=[False, True],
                                             kind="stable").drop(columns="_m")


def _p(name: str, kind: str, text: str) -> Param:
    return Param(name, kind, text)


ORG = _p("org", "ORGANISATION", "organisation id or name")
A = _p("a", "ORGANISATION", "first organisation, id or name")
B = _p("b", "ORGANISATION", "second organisation, id or name")
AS_OF = _p("as_of", "DATE", "end of the window / date")
YEARS = _p("years", "FLOAT", "window length in years")

QUERIES: dict[str, NamedQuery] = {q.name: q for q in [
    NamedQuery("partners", (ORG,), q_partners, _same),
    NamedQuery("shared_partners", (A, B), q_shared_partners, _same),
    NamedQuery("shortest_paths", (A, B), q_shortest_paths, _same, post=_joined_names),
    NamedQuery("ecosystem", (ORG, _p("hops", "INTEGER", "ties away, 1 to 15")), q_ecosystem,
               _same),
    NamedQuery("top_brokers", (AS_OF, YEARS, _p("limit", "INTEGER", "rows to return")),
               q_top_brokers, lambda p: {k: v for k, v in _window(p).items() if k != "limit"},
               post=rank_brokers),
    NamedQuery("new_partners", (ORG, _p("since", "DATE", "first date counted as new")),
               q_new_partners, _same),
    NamedQuery("group_members", (_p("group", "GROUP", "group name, e.g. Star Alliance"),
                                 AS_OF), q_group_members, _same),
    NamedQuery("market_overlap", (A, B), q_market_overlap, _same),
    NamedQuery("rival_bridges", (A, B, AS_OF, YEARS), q_rival_bridges, _window),
]}
DEFAULTS = {"limit": 10}


def parse_params(query: NamedQuery, raw: dict[str, str]) -> dict:
    """Typed parameters from text (k=v on the command line); one clear error otherwise."""
    known = {p.name: p for p in query.params}
    unknown = set(raw) - set(known)
    if unknown:
        raise InputError(f"query {query.name} has no parameter {sorted(unknown)[0]!r}; it "
                         f"takes {', '.join(known)}")
    out = {}
    for name, param in known.items():
        if name not in raw:
            if name in DEFAULTS:
                out[name] = DEFAULTS[name]
                continue
            raise InputError(f"query {query.name} needs --param {name}=... ({param.help})")
        text = raw[name]
        if param.kind == "DATE":  # as every date option: ISO, within the plausible years
            out[name] = parse_date_option(text, f"--param {name}")
            continue
        try:
            if param.kind == "INTEGER":
                out[name] = int(text)
                if out[name] < 1:
                    raise ValueError(text)
            elif param.kind == "FLOAT":
                out[name] = float(text)
                if not (math.isfinite(out[name]) and out[name] > 0):
                    raise ValueError(text)
                if name == "years":  # a window, with the rules of --window
                    check_window(out[name], f"--param {name}")
            else:
                out[name] = text
        except (ValueError, TypeError):
            shown = " ".join(text.split())
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            raise InputError(f"--param {name}: expected a positive {param.kind.lower()} "
                             f"({param.help}), got '{shown}'") from None
    return out


NEEDS = {"group_members": ("groups", "alliance membership (an OPTD alliance membership file)"),
         "market_overlap": ("routes", "routes (OpenFlights routes.dat or OPTD segments)")}


def run(name: str, params: dict, *, data: PartnerData | None = None, driver=None,
        database: str | None = None) -> pd.DataFrame:
    """Answer a named query from loaded data (NetworkX) or from Neo4j (driver).

    Organisations are given by id or name (case and accents ignored), groups by name in
    any case; an unknown one is an error that names the closest, never an empty answer.
    """
    if name not in QUERIES:
        raise InputError(f"unknown query '{name}'; `graphkit query --list` shows them")
    query = QUERIES[name]
    if driver is None:
        if data is None:
            raise InputError("the networkx backend answers from SOURCES: give the files")
        if name in NEEDS and getattr(data, NEEDS[name][0]).empty:
            raise InputError(f"query {name} needs {NEEDS[name][1]} among the SOURCES; the "
                             "sources given hold none")
        orgs = lambda value: find_org(data.organizations, value)  # noqa: E731
        group_names = pd.unique(data.groups["group"]).tolist()
        params = resolve_params(query, params, orgs, group_names)
        return query.networkx(data, params).reset_index(drop=True)
    from graphkit.neo4j_store import read_rows

    def orgs(value: str) -> str:
        rows = read_rows(driver, statement("organizations").text, {}, database)
        table = pd.DataFrame({"name": rows["name"].tolist(), "aliases": rows["aliases"].tolist()},
                             index=rows["id"].tolist()) if len(rows) else pd.DataFrame(
            {"name": [], "aliases": []})
        return find_org(table, value)

    def group_names() -> list[str]:
        return read_rows(driver, statement("groups").text, {}, database)["name"].tolist()

    params = resolve_params(query, params, orgs, group_names)
    rows = read_rows(driver, query.cypher.text, query.to_cypher(params), database)
    if query.post is not None:
        rows = query.post(rows, params)
    return rows.reset_index(drop=True)


def resolve_params(query: NamedQuery, params: dict, find, groups) -> dict:
    """Organisation parameters as ids (found by id or name), groups by their stored name."""
    out = dict(params)
    if "hops" in out and not 1 <= int(out["hops"]) <= MAX_HOPS:  # both backends, before any query
        raise InputError(f"hops must be 1 to {MAX_HOPS}, got {out['hops']}")
    for param in query.params:
        if param.name not in out:
            continue
        if param.kind == "ORGANISATION":
            out[param.name] = find(str(out[param.name]))
        elif param.kind == "GROUP":
            names = groups() if callable(groups) else groups
            wanted = str(out[param.name]).casefold().strip()
            match = [g for g in names if str(g).casefold() == wanted]
            if not match:
                listed = ", ".join(f"'{g}'" for g in names) or "none in these sources"
                raise InputError(f"no group '{out[param.name]}'; the groups are {listed}")
            out[param.name] = match[0]
    if "a" in out and "b" in out and out["a"] == out["b"] and any(
            p.kind == "ORGANISATION" for p in query.params):
        raise InputError(f"'{params['a']}' and '{params['b']}' are the same organisation "
                         f"[{out['a']}]: name two different ones")
    return out
