"""What the counts mean: deals (distinct deal records) apart from deal-ties.

A deal with k participants gives k(k-1)/2 ties, and each of those ties counts it once in
its `deals` attribute. So adding `deals` over ties counts *deal-ties*, not deals: an
organisation party to one three-party deal has 2 deal-ties from 1 deal. Deals are
counted here as distinct deal ids (`deal_ids` on each tie). Where a tie does not list
one id per deal (a graph file written by another tool, or an aggregated edge that
stands for several deals), the number of deals cannot be known and is None: callers say
"unknown" rather than print deal-ties under the name of deals.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd


def _listed(data: dict) -> list | None:
    """The tie's deal ids when they are one per deal, else None."""
    ids = data.get("deal_ids")
    if not isinstance(ids, list) or len(ids) != int(data.get("deals", len(ids))):
        return None
    return ids


def deal_memberships(graph: nx.Graph) -> pd.DataFrame | None:
    """(org, deal) pairs: who is party to which deal; None if any tie lacks its ids."""
    orgs: list = []
    deals: list = []
    for u, v, d in graph.edges(data=True):
        ids = _listed(d)
        if ids is None:
            return None
        orgs.extend([u] * len(ids) + [v] * len(ids))
        deals.extend(ids + ids)
    return pd.DataFrame({"org": orgs, "deal": deals}).drop_duplicates()


def deals_per_organisation(graph: nx.Graph) -> dict | None:
    """Organisation -> number of distinct deals it is party to (None if unknown)."""
    pairs = deal_memberships(graph)
    if pairs is None:
        return None
    counts = pairs.groupby("org", sort=False).size().to_dict()
    return {n: int(counts.get(n, 0)) for n in graph}


def deal_count(graph: nx.Graph) -> int | None:
    """Distinct deals behind the graph's ties (None if unknown)."""
    pairs = deal_memberships(graph)
    return None if pairs is None else int(pairs["deal"].nunique())


def deal_ties(graph: nx.Graph, node: object | None = None) -> int:
    """Sum of the ties' deal counts (of `node`'s ties, or of all ties)."""
    edges = graph.edges(node, data=True) if node is not None else graph.edges(data=True)
    return sum(int(d.get("deals", 1)) for *_, d in edges)
