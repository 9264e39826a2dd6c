"""Codeshare-style overlaps: how much two organisations' footprints coincide.

A footprint is a set of items per organisation, optionally weighted: its partners in the
graph, or the airport-pair markets an airline serves (weighted by routes, seats or
frequency). For every pair with at least one shared item:

- shared: items in both; jaccard = shared / |A ∪ B|; overlap = shared / min(|A|, |B|);
- cosine = A·B / (|A| |B|) on the weights (on 0/1 for unweighted footprints);
- weighted_jaccard = Σ min(a, b) / Σ max(a, b), for weighted footprints.

All pairs come from sparse products (scipy.sparse) over row blocks, so memory stays
bounded by the block, not by n²; no Python loop runs over pairs.
"""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from graphkit.distinct import within
from graphkit.engine import Indexed, index_graph
from graphkit.errors import InputError, quoted

MEASURES = ["shared", "jaccard", "overlap", "cosine", "weighted_jaccard"]
BLOCK = 1024


def partner_footprints(graph: nx.Graph | Indexed, weighted: bool = False) -> pd.DataFrame:
    """Footprint = partners; weight = tie weight when `weighted`, else 1."""
    ix = index_graph(graph)
    nodes = np.asarray(ix.nodes, dtype=object)
    w = ix.weight if weighted else np.ones(len(ix.weight))
    return pd.DataFrame({
        "org_id": np.concatenate([nodes[ix.source], nodes[ix.target]]),
        "item": np.concatenate([nodes[ix.target], nodes[ix.source]]),
        "weight": np.concatenate([w, w]),
    })


def check_weight(by: str, weight: str) -> None:
    """The footprint weights each kind takes: ties for partners; routes, seats or
    frequency for markets (or none)."""
    fits = {"partners": ("none", "ties"), "markets": ("none", "routes", "seats", "frequency")}
    if by not in fits:
        raise InputError(f"overlaps are by partners or markets, not '{by}'")
    if weight not in fits[by]:
        raise InputError(f"--weight {weight} does not apply to --by {by}: choose "
                         + ", ".join(fits[by]))


def overlap_table(footprints: pd.DataFrame, names: pd.DataFrame, *, weight: str = "none",
                  top_k: int | None = None, min_shared: int = 1,
                  min_jaccard: float = 0.0) -> pd.DataFrame:
    """Every pair's overlap (see `overlaps`), with both organisations' names."""
    from graphkit.identities import with_names

    table = overlaps(footprints, weighted=weight != "none", top_k=top_k,
                     min_shared=min_shared, min_jaccard=min_jaccard)
    return with_names(table, names)


def market_footprints(routes: pd.DataFrame, weight: str | None = None,
                      operated_only: bool = False) -> pd.DataFrame:
    """Footprint = airport-pair markets; weight = None (sets), routes, seats or frequency
    (weighed by seats or frequency, the markets where they are above zero)."""
    if routes.empty:
        raise InputError("no routes in the sources: market overlaps need OpenFlights routes "
                         "or OPTD segments")
    frame = routes[~routes["codeshare"].astype(bool)] if operated_only else routes
    if weight in (None, "none"):
        out = frame[["org_id", "market"]].drop_duplicates().assign(weight=1.0)
    elif weight == "routes":
        out = frame.groupby(["org_id", "market"]).size().rename("weight").reset_index()
    elif weight in ("seats", "frequency"):
        if frame[weight].isna().all():
            raise InputError(f"the routes carry no {weight}: use OPTD segment files, or "
                             "--weight routes")
        out = frame.groupby(["org_id", "market"])[weight].sum().rename("weight").reset_index()
        # A market where the airline offers no seats (or flights) is not in the footprint
        # weighed by them: a zero weight would count in the set measures and leave cosine
        # 0/0 for an airline with nothing to weigh.
        out = out[out["weight"] > 0]
    else:
        raise InputError(f"unknown footprint weight {quoted(weight)}: "
                         "none, routes, seats, frequency")
    return out.rename(columns={"market": "item"})[["org_id", "item", "weight"]]


def footprint_matrix(footprints: pd.DataFrame) -> tuple[sp.csr_array, pd.Index]:
    """Organisations × items matrix of weights (duplicates summed)."""
    # Hash, then sort only the distinct ids (np.unique sorts every row's text: 5x slower).
    org_codes, found = _text_codes(footprints["org_id"])
    order = np.argsort(np.asarray(found, dtype=object), kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    org_codes, orgs = rank[org_codes], np.asarray(found, dtype=object)[order]
    item_codes, _ = _text_codes(footprints["item"])
    matrix = sp.csr_array(
        (footprints["weight"].to_numpy(dtype=float), (org_codes, item_codes)),
        shape=(len(orgs), int(item_codes.max()) + 1 if len(item_codes) else 0),
    )
    matrix.sum_duplicates()
    return matrix, pd.Index(orgs, name="org_id")


def _text_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """`pd.factorize(values.astype(str))`, with each distinct value made text once rather
    than every cell (ids that read alike as text, such as 1 and '1', are one)."""
    codes, found = pd.factorize(values, use_na_sentinel=False)
    merged, texts = pd.factorize(pd.Index(found).astype(str))
    return merged[codes], texts


def overlaps(
    footprints: pd.DataFrame,
    *,
    weighted: bool = False,
    top_k: int | None = None,
    min_shared: int = 1,
    min_jaccard: float = 0.0,
    among: list | None = None,
    block: int = BLOCK,
) -> pd.DataFrame:
    """All pairs of organisations whose footprints share items, with overlap measures.

    top_k keeps, for each organisation, its k pairs with the highest Jaccard (rows are
    then directed: a is the organisation, b its partner-in-overlap); otherwise each pair
    appears once (a < b). `among` restricts both sides to the given organisations.
    """
    if min_shared < 1:
        raise InputError("min-shared must be at least 1")
    if top_k is not None and top_k < 1:
        raise InputError("top-k must be at least 1")
    fp = footprints
    if among is not None:  # ids compared as text, once per distinct id
        codes, texts = _text_codes(fp["org_id"])
        fp = fp[within(texts, [str(a) for a in among])[codes]]
    F, orgs = footprint_matrix(fp)
    binary = F.copy()
    binary.data[:] = 1.0
    sizes = np.asarray(binary.sum(axis=1)).ravel()
    norms = np.sqrt(np.asarray(F.multiply(F).sum(axis=1)).ravel())
    binary_t = binary.T.tocsr()
    weights_t = F.T.tocsr()
    parts = []
    for start in range(0, F.shape[0], block):
        stop = min(start + block, F.shape[0])
        counts = (binary[start:stop] @ binary_t).tocoo()
        a = counts.row.astype(np.int64) + start
        b = counts.col.astype(np.int64)
        shared = counts.data
        keep = (b != a) if top_k else (b > a)
        keep &= shared >= min_shared
        a, b, shared = a[keep], b[keep], shared[keep]
        jaccard = shared / (sizes[a] + sizes[b] - shared)
        keep = jaccard >= min_jaccard
        a, b, shared, jaccard = a[keep], b[keep], shared[keep], jaccard[keep]
        if top_k:
            order = np.lexsort((b, -shared, -jaccard, a))
            a, b, shared, jaccard = a[order], b[order], shared[order], jaccard[order]
            rank = _rank_within(a)
            keep = rank < top_k
            a, b, shared, jaccard = a[keep], b[keep], shared[keep], jaccard[keep]
        if weighted:
            dots = _pair_values(F[start:stop] @ weights_t, a - start, b)
            cosine = dots / (norms[a] * norms[b])
        else:
            cosine = shared / np.sqrt(sizes[a] * sizes[b])
        part = {"a": a, "b": b, "shared": shared.astype(np.int64), "size_a": sizes[a],
                "size_b": sizes[b], "jaccard": jaccard,
                "overlap": shared / np.minimum(sizes[a], sizes[b]), "cosine": cosine}
        if weighted:
            part["weighted_jaccard"] = _weighted_jaccard(F, a, b)
        parts.append(part)
    columns = ["a", "b", "shared", "size_a", "size_b", "jaccard", "overlap", "cosine"] + (
        ["weighted_jaccard"] if weighted else [])
    if not parts:
        return pd.DataFrame(columns=columns).astype({"size_a": np.int64, "size_b": np.int64})
    values = {c: np.concatenate([part[c] for part in parts]) for c in columns}
    # Sorted as numbers before any text is made: by organisation (codes follow the ids'
    # order) and Jaccard for top_k, else by Jaccard and shared partners, ties kept in order.
    order = (np.lexsort((-values["jaccard"], values["a"])) if top_k
             else np.lexsort((-values["shared"], -values["jaccard"])))
    table = pd.DataFrame({c: values[c][order] for c in columns})
    ids = np.asarray(orgs, dtype=object)  # a take from an array, not from Arrow text
    table["a"] = ids[values["a"][order]]
    table["b"] = ids[values["b"][order]]
    return table.astype({"size_a": np.int64, "size_b": np.int64})


def _rank_within(groups: np.ndarray) -> np.ndarray:
    """0-based position of each element within its run of equal, sorted group keys."""
    if len(groups) == 0:
        return groups
    starts = np.r_[0, np.flatnonzero(np.diff(groups)) + 1]
    run_start = np.repeat(starts, np.diff(np.r_[starts, len(groups)]))
    return np.arange(len(groups)) - run_start


def _pair_values(product: sp.sparray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """product[rows[i], cols[i]] for every i, from a sparse matrix."""
    csr = product.tocsr()
    return np.asarray(csr[rows, cols]).ravel()


def _weighted_jaccard(F: sp.csr_array, a: np.ndarray, b: np.ndarray,
                      chunk: int = 200_000) -> np.ndarray:
    """Σ min / Σ max of two weight rows, for each pair, in bounded chunks."""
    totals = np.asarray(F.sum(axis=1)).ravel()
    out = np.empty(len(a))
    for start in range(0, len(a), chunk):
        ia, ib = a[start:start + chunk], b[start:start + chunk]
        smallest = np.asarray(F[ia].minimum(F[ib]).sum(axis=1)).ravel()
        out[start:start + chunk] = smallest / (totals[ia] + totals[ib] - smallest)
    return out


def bloc_pair_overlaps(footprints: pd.DataFrame, blocs: pd.Series) -> pd.DataFrame:
    """Every pair of bloc members that has a footprint, including pairs that share nothing
    (measures 0), with `same_bloc` telling whether the two are in one bloc."""
    members = sorted(set(footprints["org_id"].astype(str)) & {str(b) for b in blocs.index})
    pairs = pd.DataFrame(list(itertools.combinations(members, 2)), columns=["a", "b"])
    measured = overlaps(footprints, among=members)
    merged = pairs.merge(measured[["a", "b", "shared", "jaccard", "overlap", "cosine"]],
                         on=["a", "b"], how="left")
    merged = merged.fillna({"shared": 0, "jaccard": 0.0, "overlap": 0.0, "cosine": 0.0})
    merged = merged.astype({"shared": int})
    merged["same_bloc"] = (merged["a"].map(blocs).to_numpy()
                           == merged["b"].map(blocs).to_numpy())
    return merged
