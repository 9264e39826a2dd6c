"""The analysable partner graph: deals projected onto organisations.

A deal with k participants gives k*(k-1)/2 ties. Each undirected edge carries
`deals` (number of deal records behind it), `weight` (sum of the records' weights, equal
to `deals` unless a source gave weights), `deal_ids`, `types` (sorted), and `first_year`,
`last_year` (announcement years; absent when no deal is dated).

Time filters:
- `as_of=D`: deals in force on D: announced on or before D (undated deals are left out)
  and not ended before D.
- `as_of=D, window=Y`: deals announced in the Y years up to D (after D minus Y years, up
  to and including D) and not ended before D. Alliances lapse: an old announcement
  without a recorded end does not count for ever.
- `window=Y` alone uses the latest announcement date in the data as D.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from graphkit.errors import InputError
from graphkit.model import PartnerData


@dataclass
class Selection:
    """Which deals a projection used, and why others were left out."""

    as_of: pd.Timestamp | None = None
    window: float | None = None
    types: list[str] | None = None
    statuses: list[str] | None = None
    deals_in: int = 0
    deals_used: int = 0
    left_out: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        parts = []
        if self.window is not None and self.as_of is not None:
            parts.append(f"deals announced in the {self.window:g} years to "
                         f"{self.as_of:%Y-%m-%d}")
        elif self.as_of is not None:
            parts.append(f"deals in force on {self.as_of:%Y-%m-%d}")
        if self.types:
            parts.append("types " + ", ".join(self.types))
        if self.statuses:
            parts.append("status " + ", ".join(self.statuses))
        return "; ".join(parts) or "all deals"


def select_deals(
    deals: pd.DataFrame,
    *,
    as_of: pd.Timestamp | None = None,
    window: float | None = None,
    types: list[str] | None = None,
    statuses: list[str] | None = None,
) -> tuple[pd.Index, Selection]:
    """The ids of the deals that pass the filters, and an account of the selection."""
    if window is not None and window <= 0:
        raise InputError(f"--window must be a positive number of years, got {window:g}")
    if window is not None and as_of is None:
        latest = deals["announced"].max()
        if pd.isna(latest):
            raise InputError("--window needs dated deals, and no deal has a date")
        as_of = latest
    sel = Selection(as_of=as_of, window=window, types=types, statuses=statuses,
                    deals_in=len(deals))
    keep = pd.Series(True, index=deals.index)

    def cut(mask: pd.Series, reason: str) -> None:
        nonlocal keep
        dropped = int((keep & ~mask).sum())
        if dropped:
            sel.left_out[reason] = dropped
        keep &= mask

    if types:
        wanted = {t.casefold() for t in types}
        cut(deals["type"].map(lambda t: isinstance(t, str) and t.casefold() in wanted),
            "other deal type")
    if statuses:
        wanted_s = {s.casefold() for s in statuses}
        cut(deals["status"].map(lambda s: isinstance(s, str) and s.casefold() in wanted_s),
            "other status")
    if as_of is not None:
        announced = deals["announced"]
        cut(announced.notna(), "undated (cannot place in time)")
        cut(announced <= as_of, "announced after the date")
        cut(deals["ended"].isna() | (deals["ended"] >= as_of), "ended before the date")
        if window is not None:
            start = as_of - pd.DateOffset(days=round(window * 365.2425))
            cut(announced > start, f"announced more than {window:g} years before the date")
    sel.deals_used = int(keep.sum())
    return deals.index[keep.to_numpy()], sel


def tie_table(data: PartnerData, deal_ids: pd.Index | None = None) -> pd.DataFrame:
    """One row per tie (a < b) with deals, weight, deal_ids, types, first/last year."""
    parts = data.participants
    if deal_ids is not None:
        parts = parts[parts["deal_id"].isin(deal_ids)]
    pairs = parts.merge(parts, on="deal_id", suffixes=("_a", "_b"))
    pairs = pairs[pairs["org_id_a"] < pairs["org_id_b"]]
    info = data.deals[["type", "announced", "count", "weight"]]
    pairs = pairs.join(info, on="deal_id")
    pairs["year"] = pairs["announced"].dt.year
    grouped = pairs.groupby(["org_id_a", "org_id_b"], sort=False)
    ties = grouped.agg(deals=("count", "sum"), weight=("weight", "sum"),
                       first_year=("year", "min"), last_year=("year", "max"))
    ties["deal_ids"] = grouped["deal_id"].agg(list)
    ties["types"] = grouped["type"].agg(lambda s: sorted({t for t in s if isinstance(t, str)}))
    return ties.reset_index().rename(columns={"org_id_a": "a", "org_id_b": "b"})


def partner_graph(
    data: PartnerData,
    *,
    as_of: pd.Timestamp | None = None,
    window: float | None = None,
    types: list[str] | None = None,
    statuses: list[str] | None = None,
) -> nx.Graph:
    """Project the deals that pass the filters onto organisations (see module docstring).

    Nodes are the organisations with at least one tie, with their table columns as
    attributes (missing values left out). The graph attribute `selection` describes the
    filters and `sources` the files read.
    """
    deal_ids, sel = select_deals(data.deals, as_of=as_of, window=window, types=types,
                                 statuses=statuses)
    ties = tie_table(data, deal_ids)
    graph = nx.Graph()
    nodes = pd.unique(np.concatenate([ties["a"].to_numpy(), ties["b"].to_numpy()]))
    orgs = data.organizations.reindex(nodes)
    records = orgs.to_dict("index")
    graph.add_nodes_from(
        (n, {k: (list(v) if isinstance(v, tuple) else v) for k, v in records[n].items()
             if v is not None and not (isinstance(v, float) and np.isnan(v))
             and v != ()})
        for n in nodes
    )
    years = ties[["first_year", "last_year"]]
    dated = years["first_year"].notna().to_numpy()
    first = years["first_year"].to_numpy()
    last = years["last_year"].to_numpy()
    graph.add_edges_from(
        (a, b, {"deals": int(d), "weight": float(w), "deal_ids": ids, "types": t,
                **({"first_year": int(f), "last_year": int(la)} if ok else {})})
        for a, b, d, w, ids, t, f, la, ok in zip(
            ties["a"], ties["b"], ties["deals"], ties["weight"], ties["deal_ids"],
            ties["types"], first, last, dated, strict=True)
    )
    graph.graph.update(
        {"selection": sel.describe(),
         "sources": [s.source for s in data.summaries if s.format != "combine"]}
    )
    if sel.as_of is not None:
        graph.graph["as_of"] = f"{sel.as_of:%Y-%m-%d}"
    if sel.window is not None:
        graph.graph["window_years"] = sel.window
    graph.graph["deals_used"] = sel.deals_used
    if sel.left_out:
        graph.graph["deals_left_out"] = dict(sel.left_out)
    return graph
