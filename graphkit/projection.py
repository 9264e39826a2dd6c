"""The analysable partner graph: deals projected onto organisations.

A deal with k participants gives k*(k-1)/2 ties. Each undirected edge carries
`deals` (number of deal records behind it), `weight` (sum of the records' weights, equal
to `deals` unless a source gave weights), `deal_ids`, `types` (sorted), `first_year`,
`last_year`, `first_date`, `last_date` (announcements; absent when no deal is dated), and
per deal, aligned with `deal_ids`, `deal_dates` and `deal_ends` (ISO dates or None),
`deal_types` (when the tie's deals differ in type) and `deal_statuses` (when any has
one): a graph file written from the graph carries its deals, so reading it back answers
the same questions, filters included (`graphkit.loaders.graph_files`).

Time filters (the one statement of the boundary rules; tests put deals exactly on each):
- `as_of=D`: deals in force on D: announced on or before D (so a deal announced on D
  counts) and not ended before D (a deal ending on D still counts on D). Undated deals
  are left out and counted.
- `as_of=D, window=Y`: deals announced in the Y years up to D and not ended before D: the
  window runs from D minus Y calendar years (a fractional Y: round(Y * 365.2425) days),
  exclusive, to D, inclusive (five years to 2014-06-30 start after 2009-06-30; two years
  to 2020-12-31 after 2018-12-31, so a deal dated only "2019" counts). Alliances lapse:
  an old announcement without a recorded end does not count for ever.
- `window=Y` alone uses the latest announcement date in the data as D.
- A deal whose status says it ended (Terminated, Expired, ...) with no end date is in
  force on D by default (when it ended is unknown); `ended_undated="drop"` leaves such
  deals out of every dated selection.
- Partial dates were read as their period's first day (announcements) and last day
  (ends) by `graphkit.dates`, so a deal is in force on any day it may have been.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from graphkit.dates import check_plausible, format_dates, to_timestamp
from graphkit.distinct import within
from graphkit.engine import collector_paused
from graphkit.errors import InputError, quoted
from graphkit.model import PartnerData, ended_status
from graphkit.names import normalize_name

# A date as users give it: ISO text, datetime.date, datetime or pandas.Timestamp.
DateLike = object

MAX_WINDOW = 200  # years: longer than any dated deal table can span
MIN_WINDOW = 1 / 365.2425  # one day: a shorter window holds no day at all


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
            span = "year" if self.window == 1 else f"{self.window:g} years"
            parts.append(f"deals announced in the {span} to "
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
    ended_undated: str = "keep",
) -> tuple[pd.Index, Selection]:
    """The ids of the deals that pass the filters, and an account of the selection."""
    as_of, window = check_selection(as_of, window)
    if ended_undated not in ("keep", "drop"):
        raise InputError(f"--ended-undated is keep or drop, got {quoted(ended_undated)}")
    if window is not None and as_of is None:
        latest = deals["announced"].max()
        if pd.isna(latest):
            raise InputError("--window needs dated deals, and no deal has a date")
        as_of = latest
    # A record read from a graph file may stand for several deals (`count`): counts are
    # of deals, not records.
    count = deals["count"] if "count" in deals else pd.Series(1, index=deals.index)
    sel = Selection(as_of=as_of, window=window, types=types, statuses=statuses,
                    deals_in=int(count.sum()))
    keep = pd.Series(True, index=deals.index)

    def cut(mask: pd.Series, reason: str) -> None:
        nonlocal keep
        dropped = int(count[keep & ~mask].sum())
        if dropped:
            sel.left_out[reason] = dropped
        keep &= mask

    if types:
        cut(value_filter(deals["type"], types, "--types", "deal type"), "other deal type")
    if statuses:
        cut(value_filter(deals["status"], statuses, "--status", "status"), "other status")
    if as_of is not None:
        announced = deals["announced"]
        cut(announced.notna(), "undated (cannot place in time)")
        cut(announced <= as_of, "announced after the date")
        cut(deals["ended"].isna() | (deals["ended"] >= as_of), "ended before the date")
        if ended_undated == "drop":
            cut(~(deals["ended"].isna() & deals["status"].map(ended_status)),
                "status says ended, no end date")
        if window is not None:
            cut(announced > select_window_start(as_of, window),
                f"announced more than {window:g} year{'' if window == 1 else 's'} before the date")
    sel.deals_used = int(count[keep].sum())
    return deals.index[keep.to_numpy()], sel


def check_selection(as_of: object, window: float | None) -> tuple[pd.Timestamp | None,
                                                                   float | None]:
    """The date and window rules every backend applies: a plausible date, cut to its day
    (a time of day has no meaning for deal dates), and a window from one day to
    MAX_WINDOW years (`check_window`)."""
    as_of = check_plausible(to_timestamp(as_of, "as_of"), "as_of")
    if as_of is not None:
        as_of = as_of.normalize()
    return as_of, check_window(window)


def check_window(window: float | None, option: str = "--window") -> float | None:
    """A window length in years from one day (0.0028) to MAX_WINDOW, or one clear error."""
    if window is not None and not (math.isfinite(window)
                                   and MIN_WINDOW - 1e-12 <= window <= MAX_WINDOW):
        raise InputError(f"{option}: expected a number of years from one day (0.0028) to "
                         f"{MAX_WINDOW}, got {window:g}")
    return window


def value_filter(values: pd.Series, wanted: list[str], option: str, what: str) -> pd.Series:
    """Which deals carry one of the wanted values (a type or status).

    Values match after folding case, accents and punctuation ('joint-venture' is 'Joint
    Venture'), and a wanted value also matches one part of a combined value ('completed'
    matches SDC's 'Completed/Signed'). A wanted value that matches no deal is an error
    listing the values present, never an empty selection.
    """
    keys = {normalize_name(w): w for w in wanted}
    distinct = pd.Series(pd.unique(values.dropna().astype(str)))
    parts = {v: {normalize_name(v), *(normalize_name(p) for p in re.split(r"[/;,|]", v))}
             for v in distinct}
    for key, given in keys.items():
        if not any(key in p for p in parts.values()):
            if not parts:
                raise InputError(f"{option} '{given}' matches no deal: no deal in the data "
                                 f"has a {what} (no column gave one)")
            present = ", ".join(f"'{v}'" for v in sorted(parts)[:20])
            more = f" and {len(parts) - 20:,} more" if len(parts) > 20 else ""
            raise InputError(f"{option} '{given}' matches no deal; the {what} values in the "
                             f"data are {present}{more}")
    hit = {v for v, p in parts.items() if p & keys.keys()}
    return values.map(lambda v: isinstance(v, str) and v in hit)


def select_window_start(as_of: pd.Timestamp, window: float) -> pd.Timestamp:
    """The (exclusive) start of a window of `window` years ending on `as_of`: whole years
    by the calendar (5 years to 2014-06-30 start after 2009-06-30, 2 years to 2020-12-31
    after 2018-12-31, so whole calendar years stay whole), fractions as 365.2425 days a
    year (1.5 years = 548 days)."""
    if float(window).is_integer():
        return as_of - pd.DateOffset(years=int(window))
    return as_of - pd.DateOffset(days=round(window * 365.2425))


def _text_rank(ids: pd.Index) -> np.ndarray:
    """Each id's place in the order of the ids as text (equal texts, such as 1 and '1',
    share a place): comparing places is comparing the texts."""
    text = np.asarray(ids.astype(str), dtype=object)
    order = np.argsort(text, kind="stable")
    ordered = text[order]
    rank = np.empty(len(text), dtype=np.int64)
    rank[order] = np.cumsum(np.r_[True, ordered[1:] != ordered[:-1]]) - 1 if len(text) else 0
    return rank


@collector_paused()
def tie_table(data: PartnerData, deal_ids: pd.Index | None = None, *,
              detail: bool = True) -> pd.DataFrame:
    """One row per tie (a, b) with deals, weight, first/last year and, when `detail`,
    the lists deal_ids and types. Vectorised on integer codes: no Python loop per tie."""
    parts = data.participants
    if deal_ids is not None:
        parts = parts[within(parts["deal_id"], deal_ids)]
    org_code, orgs = pd.factorize(parts["org_id"])
    deal_code, deals = pd.factorize(parts["deal_id"])
    frame = pd.DataFrame({"deal": deal_code, "org": org_code})
    pairs = frame.merge(frame, on="deal", suffixes=("_a", "_b"))
    pairs = pairs[pairs["org_a"].to_numpy() < pairs["org_b"].to_numpy()]
    info = data.deals.reindex(deals)
    deal = pairs["deal"].to_numpy()
    key = pairs["org_a"].to_numpy(dtype=np.int64) * len(orgs) + pairs["org_b"].to_numpy()
    first = info["announced"]
    # An aggregated record (read from a graph file) may stand for deals up to a later date.
    last = (info["last_announced"].fillna(first) if "last_announced" in info else first)
    # Pairs sorted by tie, each tie's run summed: groupby's answer without its hashing.
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    starts = (np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]]) if len(key)
              else np.zeros(0, dtype=np.int64))
    by_pair = deal[order]

    def runs(values: np.ndarray, how: np.ufunc) -> np.ndarray:
        return how.reduceat(values[by_pair], starts) if len(starts) else values[:0]

    ties = pd.DataFrame({
        "deals": runs(info["count"].to_numpy(dtype=np.int64), np.add),
        "weight": runs(info["weight"].to_numpy(dtype=float), np.add),
        # fmin and fmax pass over missing dates (NaT), as groupby's min and max do.
        "first_date": runs(first.to_numpy(), np.fmin),
        "last_date": runs(last.to_numpy(), np.fmax),
    }, index=pd.Index(sorted_key[starts], name="key"))
    ties.insert(2, "first_year", ties["first_date"].dt.year.astype(float))
    ties.insert(3, "last_year", ties["last_date"].dt.year.astype(float))
    keys = ties.index.to_numpy()
    # Every tie runs from the smaller id to the larger (as text), once for all outputs:
    # Neo4j's PARTNERS_WITH is MERGEd in that direction, so no order of rows can add a
    # reverse copy.
    lower, upper = keys // len(orgs), keys % len(orgs)
    rank = _text_rank(orgs)  # ids compared as text, once per organisation, not per tie
    swap = rank[lower] > rank[upper]
    ids = np.asarray(orgs, dtype=object)
    ties.insert(0, "a", ids[np.where(swap, upper, lower)])
    ties.insert(1, "b", ids[np.where(swap, lower, upper)])
    if detail:
        ends = np.r_[starts[1:], len(order)] if len(key) else key
        ids = np.asarray(deals, dtype=object)[deal[order]].tolist()
        spans = list(zip(starts.tolist(), ends.tolist(), strict=True))
        ties["deal_ids"] = [ids[i:j] for i, j in spans]
        for column, role in (("deal_dates", "announced"), ("deal_ends", "ended")):
            level = info.get(f"{role}_precision")
            text = format_dates(info[role], level).to_numpy(dtype=object)[deal[order]].tolist()
            ties[column] = [text[i:j] for i, j in spans]
        kinds = info["type"].to_numpy(dtype=object)[deal[order]]
        kinds = [None if k is None or k != k else k for k in kinds.tolist()]  # NaN: none
        ties["deal_types"] = [kinds[i:j] for i, j in spans]
        states = info["status"].to_numpy(dtype=object)[deal[order]]
        states = [None if k is None or k != k else k for k in states.tolist()]
        ties["deal_statuses"] = [states[i:j] for i, j in spans]
        types = pd.DataFrame({"key": key, "type": info["type"].to_numpy()[deal]})
        types = types.dropna().drop_duplicates().sort_values(["key", "type"])
        type_keys = types["key"].to_numpy()
        lo = np.searchsorted(type_keys, keys, side="left").tolist()
        hi = np.searchsorted(type_keys, keys, side="right").tolist()
        names = types["type"].tolist()
        ties["types"] = [names[i:j] for i, j in zip(lo, hi, strict=True)]
    return ties.reset_index(drop=True)


def _iso(dates: pd.Series) -> pd.Series:
    """Dates as 'YYYY-MM-DD' text, None where unknown."""
    text = dates.dt.strftime("%Y-%m-%d")
    return text.astype(object).where(dates.notna(), None)


def graph_from_ties(ties: pd.DataFrame, organizations: pd.DataFrame) -> nx.Graph:
    """The NetworkX partner graph from a tie table (a, b, deals, weight, first_year,
    last_year; optionally first_date, last_date, deal_ids, types, deal_dates, deal_ends)
    and the organisations' attributes (missing values left out)."""
    graph = nx.Graph()
    # One order whatever the source (a file, Neo4j rows in any order): ties by (a, b), so
    # node order, and with it sampled betweenness, is the same on every backend.
    text = pd.DataFrame({"a": ties["a"].astype(str), "b": ties["b"].astype(str)})
    order = np.lexsort((text["b"].to_numpy(), text["a"].to_numpy()))
    if len(order) and not np.array_equal(order, np.arange(len(order))):
        ties = ties.iloc[order].reset_index(drop=True)
    nodes = pd.unique(np.concatenate([ties["a"].to_numpy(), ties["b"].to_numpy()]))
    records = organizations.reindex(nodes).to_dict("index")
    graph.add_nodes_from(
        (n, {k: (list(v) if isinstance(v, tuple) else v) for k, v in records[n].items()
             if v is not None and not (isinstance(v, float) and np.isnan(v))
             and not (isinstance(v, (tuple, list)) and len(v) == 0)})
        for n in nodes
    )
    years = ties[["first_year", "last_year"]]
    dated = years["first_year"].notna().to_numpy()
    n = len(ties)
    lists = {c: ties[c].tolist() if c in ties else [None] * n
             for c in ("deal_ids", "types", "deal_dates", "deal_ends", "deal_types",
                       "deal_statuses")}
    dates = {c: _iso(pd.to_datetime(ties[c])).tolist() if c in ties else [None] * n
             for c in ("first_date", "last_date")}
    graph.add_edges_from(
        (a, b, {"deals": int(d), "weight": float(w),
                **({"deal_ids": ids} if ids is not None else {}),
                "types": t if t is not None else [],
                **({"first_year": int(f), "last_year": int(la)} if ok else {}),
                **({"first_date": fd, "last_date": ld} if fd is not None else {}),
                **({"deal_dates": dd} if dd is not None else {}),
                **({"deal_ends": de} if de is not None and any(de) else {}),
                # each deal's type, when the tie's deals differ in type
                **({"deal_types": dt} if dt is not None and len(set(dt)) > 1 else {}),
                # each deal's status (Completed, Terminated...), which filters read
                **({"deal_statuses": ds} if ds is not None and any(ds) else {})})
        for a, b, d, w, ids, t, f, la, ok, fd, ld, dd, de, dt, ds in zip(
            ties["a"].tolist(), ties["b"].tolist(), ties["deals"].tolist(),
            ties["weight"].tolist(), lists["deal_ids"], lists["types"],
            years["first_year"].tolist(), years["last_year"].tolist(), dated.tolist(),
            dates["first_date"], dates["last_date"], lists["deal_dates"],
            lists["deal_ends"], lists["deal_types"], lists["deal_statuses"], strict=True)
    )
    return graph


def partner_index(data: PartnerData, *, as_of: DateLike = None,
                  window: float | None = None, types: list[str] | None = None,
                  statuses: list[str] | None = None, ended_undated: str = "keep"):
    """The same selection as `partner_graph`, as the engine's indexed graph (ids, names,
    weights) without building NetworkX objects or per-tie lists: the path for millions of
    ties (`graphkit analyze deals.csv`)."""
    from graphkit.engine import index_ties
    from graphkit.identities import organizations_on

    deal_ids, sel = select_deals(data.deals, as_of=as_of, window=window, types=types,
                                 statuses=statuses, ended_undated=ended_undated)
    ties = tie_table(data, deal_ids, detail=False)
    text = pd.DataFrame({"a": ties["a"].astype(str), "b": ties["b"].astype(str)})
    ties = ties.iloc[np.lexsort((text["b"].to_numpy(), text["a"].to_numpy()))]
    return index_ties(ties.reset_index(drop=True), organizations_on(data, sel.as_of)), sel


def partner_graph(
    data: PartnerData,
    *,
    as_of: DateLike = None,
    window: float | None = None,
    types: list[str] | None = None,
    statuses: list[str] | None = None,
    ended_undated: str = "keep",
) -> nx.Graph:
    """Project the deals that pass the filters onto organisations (see module docstring).

    Nodes are the organisations with at least one tie, with their table columns as
    attributes (missing values left out), named as of the selection's date where a source
    gives dated names (`graphkit.identities`). The graph attribute `selection` describes the
    filters and `sources` the files read.
    """
    from graphkit.identities import organizations_on

    deal_ids, sel = select_deals(data.deals, as_of=as_of, window=window, types=types,
                                 statuses=statuses, ended_undated=ended_undated)
    graph = graph_from_ties(tie_table(data, deal_ids), organizations_on(data, sel.as_of))
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
