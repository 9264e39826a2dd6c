"""Codeshare inference from route data (OpenFlights), and its check against alliances.

OpenFlights flags a route "codeshare" when the listed (marketing) airline sells it but
another airline operates it. For a flagged route M: A->B, the candidate operators are the
airlines listing the same A->B without the flag (M itself excluded). Each flagged route
gives one unit of evidence, split equally between its candidates; routes with no
candidate are counted as unmatched. Pairs are undirected: evidence for M on O and for O
on M add up.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from graphkit.errors import InputError
from graphkit.model import PartnerData
from graphkit.projection import partner_graph

EXAMPLES = 5


@dataclass
class CodeshareInference:
    """Inferred partner pairs with their evidence."""

    pairs: pd.DataFrame  # a, b, weight, routes, a_markets_on_b, b_markets_on_a, examples
    flagged_routes: int
    matched_routes: int

    @property
    def unmatched_routes(self) -> int:
        return self.flagged_routes - self.matched_routes


def infer_codeshares(routes: pd.DataFrame) -> CodeshareInference:
    """Candidate marketing-operator partnerships from codeshare-flagged routes."""
    if routes.empty:
        raise InputError("no routes: codeshare inference needs OpenFlights routes.dat")
    flagged = routes[routes["codeshare"].astype(bool)][["org_id", "origin", "destination"]]
    operated = routes[~routes["codeshare"].astype(bool)][["org_id", "origin", "destination"]]
    operated = operated.drop_duplicates()
    flagged = flagged.drop_duplicates().reset_index(drop=True)
    flagged["route"] = np.arange(len(flagged))
    cand = flagged.merge(operated, on=["origin", "destination"], suffixes=("_m", "_o"))
    cand = cand[cand["org_id_m"] != cand["org_id_o"]]
    cand["share"] = 1.0 / cand.groupby("route")["route"].transform("size")
    marketer, operator = cand["org_id_m"].astype(str), cand["org_id_o"].astype(str)
    cand["a"] = np.where(marketer < operator, marketer, operator)
    cand["b"] = np.where(marketer < operator, operator, marketer)
    cand["a_markets"] = marketer == cand["a"]
    cand["label"] = cand["org_id_m"] + " " + cand["origin"] + "-" + cand["destination"] + \
        " on " + cand["org_id_o"]
    grouped = cand.groupby(["a", "b"])
    pairs = grouped.agg(weight=("share", "sum"), routes=("route", "size"),
                        a_markets_on_b=("a_markets", "sum")).reset_index()
    pairs["b_markets_on_a"] = pairs["routes"] - pairs["a_markets_on_b"]
    examples = grouped["label"].agg(lambda s: "; ".join(sorted(s)[:EXAMPLES]))
    pairs["examples"] = examples.to_numpy()
    pairs = pairs.sort_values(["weight", "a", "b"], ascending=[False, True, True])
    return CodeshareInference(pairs=pairs.reset_index(drop=True),
                              flagged_routes=len(flagged),
                              matched_routes=int(cand["route"].nunique()))


def codeshare_graph(data: PartnerData, inference: CodeshareInference,
                    as_of: pd.Timestamp | None = None) -> nx.Graph:
    """The network of inferred codeshares, its airlines described from `data` (named as of
    `as_of`)."""
    from graphkit.identities import organizations_on

    inferred = codeshare_deals(inference, as_of=as_of)
    inferred.organizations = organizations_on(data, as_of)
    graph = partner_graph(inferred)
    graph.graph["selection"] = "codeshares inferred from routes"
    return graph


def codeshare_deals(inference: CodeshareInference, as_of: pd.Timestamp | None = None,
                    source: str = "inferred from routes.dat") -> PartnerData:
    """Inferred pairs as tie records of type "codeshare" (weight = split evidence)."""
    pairs = inference.pairs
    ids = [f"codeshare:{a}+{b}" for a, b in zip(pairs["a"], pairs["b"], strict=True)]
    deals = pd.DataFrame(
        {"type": "codeshare", "announced": as_of, "ended": pd.NaT, "status": "inferred",
         "source": source, "count": 1, "weight": pairs["weight"].to_numpy()},
        index=pd.Index(ids, name="deal_id", dtype=object),
    )
    deals["announced"] = pd.to_datetime(deals["announced"]).astype("datetime64[us]")
    deals["ended"] = deals["ended"].astype("datetime64[us]")
    participants = pd.DataFrame({"deal_id": ids * 2,
                                 "org_id": [*pairs["a"], *pairs["b"]]})
    return PartnerData(deals=deals, participants=participants)


def alliance_validation(pairs: pd.DataFrame, blocs: pd.Series) -> dict[str, float]:
    """Share of inferred pairs inside one alliance, against two chance baselines.

    Only pairs whose two airlines both belong to an alliance on the date count.
    - uniform: a random pair of those airlines is in one alliance with probability
      Σ n_g (n_g − 1) / (N (N − 1)).
    The evidence share weighs each pair by its inferred route evidence.
    - degree-preserving: pairs drawn like the inferred ones, keeping each airline's number
      of inferred partners (configuration model): Σ_g D_g² / (2E)², D_g the partner count
      of alliance g's airlines, E the number of pairs.
    """
    both = pairs[pairs["a"].isin(blocs.index) & pairs["b"].isin(blocs.index)]
    same = (blocs.reindex(both["a"]).to_numpy() == blocs.reindex(both["b"]).to_numpy())
    airlines = pd.unique(np.concatenate([both["a"].to_numpy(), both["b"].to_numpy()]))
    n_g = blocs.reindex(airlines).value_counts()
    total = n_g.sum()
    uniform = float((n_g * (n_g - 1)).sum() / (total * (total - 1))) if total > 1 else np.nan
    degree = pd.concat([both["a"], both["b"]]).value_counts()
    d_g = degree.groupby(blocs.reindex(degree.index).to_numpy()).sum()
    edges = len(both)
    configuration = float((d_g ** 2).sum() / (2 * edges) ** 2) if edges else np.nan
    observed = float(same.mean()) if edges else np.nan
    return {
        "pairs_with_both_in_alliances": edges,
        "pairs_total": len(pairs),
        "same_alliance_share": observed,
        "same_alliance_evidence_share": float(both["weight"][same].sum() / both["weight"].sum())
        if edges else np.nan,
        "expected_uniform": uniform,
        "expected_degree_preserving": configuration,
        "lift_over_degree_preserving": observed / configuration if configuration else np.nan,
    }
