"""Time: snapshots at dates, moving windows, and ties that appear or lapse."""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx
import pandas as pd

from graphkit.dates import EARLIEST, latest
from graphkit.ecosystems import detect
from graphkit.errors import InputError
from graphkit.identities import graph_names
from graphkit.model import PartnerData
from graphkit.projection import partner_graph

DEFAULT_WINDOW = 5.0


def snapshot_stats(graph: nx.Graph, *, seed: int = 0, top: int = 3) -> dict:
    """Size, density, largest component share, top organisations, ecosystem count."""
    n = graph.number_of_nodes()
    largest = max((len(c) for c in nx.connected_components(graph)), default=0)
    ranked = sorted(graph.degree(weight="weight"), key=lambda x: (-x[1], str(x[0])))[:top]
    names = graph_names(graph)
    ecosystems = detect(graph, "louvain", seed=seed) if n else None
    return {
        "organisations": n,
        "ties": graph.number_of_edges(),
        "density": nx.density(graph) if n > 1 else 0.0,
        "largest_component_share": largest / n if n else 0.0,
        "top_organisations": "; ".join(str(names[k]) for k, _ in ranked),
        "ecosystems": ecosystems.count if ecosystems else 0,
        "modularity": ecosystems.modularity if ecosystems else 0.0,
    }


def evolution_table(
    data: PartnerData | Callable[[pd.Timestamp], nx.Graph],
    dates: list[pd.Timestamp],
    *,
    window: float | None = DEFAULT_WINDOW,
    types: list[str] | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """One row per date: the graph of deals in the `window` years to that date (or in
    force on it when window is None) and its statistics. `data` is loaded data, or a
    function giving the graph of a date (as Neo4j reads it, `read_partner_graph`)."""
    if not dates:
        raise InputError("no dates to evaluate")
    rows = []
    for date in dates:
        graph = (data(date) if callable(data) else
                 partner_graph(data, as_of=date, window=window, types=types))
        rows.append({"date": f"{date:%Y-%m-%d}", **snapshot_stats(graph, seed=seed)})
    return pd.DataFrame(rows)



def yearly_dates(data: PartnerData | None, start: int | None = None, end: int | None = None,
                 step: int = 1) -> list[pd.Timestamp]:
    """Year ends from `start` to `end` (default: the data's first and last years; without
    data, as when Neo4j holds it, both must be given)."""
    if data is None:
        if start is None or end is None:
            raise InputError("give --start YEAR and --end YEAR (the server's deals are not "
                             "read to find them)")
        first = last = None
    else:
        first, last = data.time_span()
        if first is None:
            raise InputError("the deals carry no dates: evolution needs dated deals")
    start = start if start is not None else first.year
    end = end if end is not None else last.year
    if end < start:
        raise InputError(f"--end {end} is before --start {start}")
    for option, year in (("--start", start), ("--end", end)):
        if not EARLIEST.year <= year <= latest().year:
            raise InputError(f"{option} {year} is outside the years graphkit accepts "
                             f"({EARLIEST.year} to {latest().year})")
    if step < 1:
        raise InputError("--step must be at least 1 year")
    return [pd.Timestamp(year=y, month=12, day=31) for y in range(start, end + 1, step)]


def tie_changes(before: nx.Graph, after: nx.Graph) -> pd.DataFrame:
    """Ties present only after (new) or only before (lapsed)."""
    def key(u: object, v: object) -> tuple[str, str]:
        a, b = sorted((str(u), str(v)))
        return a, b

    old = {key(u, v): (u, v) for u, v in before.edges()}
    new = {key(u, v): (u, v) for u, v in after.edges()}
    rows = []
    for change, keys, graph in (("new", new.keys() - old.keys(), after),
                                ("lapsed", old.keys() - new.keys(), before)):
        for k in sorted(keys):
            u, v = (new if change == "new" else old)[k]
            names = graph_names(graph)
            rows.append({"change": change, "a": u, "b": v,
                         "a_name": names[u],
                         "b_name": names[v],
                         "deals": graph.edges[u, v].get("deals", 1),
                         "types": ", ".join(graph.edges[u, v].get("types") or [])})
    return pd.DataFrame(rows, columns=["change", "a", "b", "a_name", "b_name", "deals", "types"])
