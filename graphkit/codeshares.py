"""Codeshare partnerships inferred from route data (OpenFlights), with their evidence.

OpenFlights flags a route "codeshare" when the listed (marketing) airline X sells it and
another airline operates it. The candidate operators of a flagged market (airport pair)
are the airlines listing the same market without the flag (X excluded); a flagged market
with no candidate is unmatched, and one with a single candidate is *unambiguous*.

Crediting a flagged route to every candidate makes a low-cost carrier that flies many busy
markets collect other airlines' codeshares (Ryanair got 12 "partners" that way). So each
directed pair (X markets, Y operates) is tested instead:

- observed: k, the number of X's matched flagged markets on which Y is a candidate;
- chance: Y's share p of the markets at the airports those flagged markets touch (every
  market some airline operates with an end at one of those airports), so a carrier that
  is everywhere at those airports is expected everywhere in X's codeshares too;
- test: one-sided binomial, P(K >= k) for K ~ Binomial(n, p), n = X's matched flagged
  markets (scipy.stats.binom); q-values by Benjamini-Hochberg over every directed pair
  tested (scipy.stats.false_discovery_control);
- explaining away: X's candidates are taken in order of their p-value, and each is tested
  again on the markets that stronger candidates (those that passed) do not fly. A carrier
  that flies the markets X codeshares on with its real partner (Virgin Atlantic beside
  British Airways on American's transatlantic codeshares) keeps few markets and fails;
- a pair is inferred when, in either direction, both tests give q <= `fdr` (default 0.05,
  each test family Benjamini-Hochberg corrected) and a lift k / (n p) >= `min_lift`
  (default 2: X's codeshares fall on Y's markets at least twice as often as Y's presence
  there explains). Without the effect-size bound, carriers that merely share hubs pass on
  sheer volume (United and Southwest, lift 1.6).

Assumptions: a flagged market's operator is one of its candidates; ambiguous markets
count as presence for every candidate (the test, not a split, decides), and the
unambiguous ones are reported apart; markets, not directions, are counted (A-B and B-A
are one market). Each pair also carries `weight`, its route evidence (each flagged route
split equally between its candidates), used as the tie strength of the codeshare graph.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy import stats

from graphkit.errors import InputError
from graphkit.model import PartnerData
from graphkit.projection import partner_graph

EXAMPLES = 5
FDR = 0.05
MIN_LIFT = 2.0


@dataclass
class CodeshareInference:
    """Inferred partner pairs with their evidence and tests."""

    pairs: pd.DataFrame  # a, b, routes, unambiguous_routes, expected_routes, lift, p_value,
    # q_value, weight, a_markets_on_b, b_markets_on_a, examples: the pairs that pass
    tests: pd.DataFrame  # every directed pair tested: marketer, operator, routes, markets,
    # expected_routes, lift, unambiguous_routes, p_value, q_value, routes_unexplained,
    # markets_unexplained, lift_unexplained, p_unexplained, q_unexplained, passed
    flagged_routes: int
    matched_routes: int
    fdr: float = FDR
    min_lift: float = MIN_LIFT

    @property
    def unmatched_routes(self) -> int:
        return self.flagged_routes - self.matched_routes

    def describe(self) -> str:
        """The method and threshold in one sentence, for outputs."""
        return (f"pairs whose codeshares fall on the partner's markets more often than its "
                f"presence at those airports explains, also on the markets stronger partners "
                f"leave unexplained (one-sided binomial tests, Benjamini-Hochberg q <= "
                f"{self.fdr:g}, lift >= {self.min_lift:g})")


def infer_codeshares(routes: pd.DataFrame, *, fdr: float = FDR,
                     min_lift: float = MIN_LIFT) -> CodeshareInference:
    """Codeshare partnerships from codeshare-flagged routes (see the module docstring)."""
    if routes.empty:
        raise InputError("no routes: codeshare inference needs OpenFlights routes.dat")
    if not 0 < fdr < 1:
        raise InputError(f"--fdr must be between 0 and 1, got {fdr:g}")
    if not min_lift >= 1:
        raise InputError(f"--min-lift must be at least 1, got {min_lift:g}")
    flags = routes["codeshare"].astype(bool)
    flagged = routes.loc[flags, ["org_id", "origin", "destination", "market"]].drop_duplicates(
        ["org_id", "origin", "destination"])
    operated = routes.loc[~flags, ["org_id", "market"]].drop_duplicates()
    airlines = pd.Index(sorted(set(routes["org_id"].astype(str))))
    markets = pd.Index(sorted(set(routes["market"])))
    op = _incidence(operated["org_id"].astype(str), operated["market"], airlines, markets)
    operators = np.asarray(op.sum(axis=0)).ravel()  # operators per market

    # X's flagged markets and how many candidates (operators other than X) each has
    marked = flagged.drop_duplicates(["org_id", "market"])
    fl = _incidence(marked["org_id"].astype(str), marked["market"], airlines, markets)
    self_operated = fl.multiply(op)
    candidates = (fl.multiply(operators[None, :]) - self_operated).tocsr()
    matched = (candidates > 0).astype(float)
    unambiguous = (candidates == 1).astype(float)
    n = np.asarray(matched.sum(axis=1)).ravel()
    k = (matched @ op.T).toarray()
    u = (unambiguous @ op.T).toarray()
    np.fill_diagonal(k, 0)
    np.fill_diagonal(u, 0)
    share = _presence_at_airports(matched, op, markets, operators > 0)

    x, y = np.nonzero(k)
    expected = n[x] * share[x, y]
    p_value = stats.binom.sf(k[x, y] - 1, n[x], share[x, y])
    lift = np.divide(k[x, y], expected, out=np.full(len(x), np.inf), where=expected > 0)
    tests = pd.DataFrame({
        "marketer": airlines[x], "operator": airlines[y], "routes": k[x, y].astype(int),
        "markets": n[x].astype(int), "expected_routes": expected, "lift": lift,
        "unambiguous_routes": u[x, y].astype(int), "p_value": p_value,
    })
    tests["q_value"] = _bh(tests["p_value"])
    alone = _explain_away(matched.tocsr(), op.tocsr(), share, k, airlines, fdr, min_lift)
    tests = tests.merge(alone, on=["marketer", "operator"], how="left")
    tests["q_unexplained"] = _bh(tests["p_unexplained"])
    tests["passed"] = ((tests["q_value"] <= fdr) & (tests["lift"] >= min_lift)
                       & (tests["q_unexplained"] <= fdr)
                       & (tests["lift_unexplained"] >= min_lift))
    pairs = _pairs(tests, flagged, operated)
    return CodeshareInference(pairs=pairs, tests=tests, flagged_routes=len(flagged),
                              matched_routes=int(_matched_routes(flagged, operated)),
                              fdr=fdr, min_lift=min_lift)


def _bh(p_values: pd.Series) -> np.ndarray:
    return (stats.false_discovery_control(p_values, method="bh") if len(p_values)
            else p_values.to_numpy())


def _explain_away(matched: sp.csr_matrix, op: sp.csr_matrix, share: np.ndarray,
                  k: np.ndarray, airlines: pd.Index, fdr: float,
                  min_lift: float) -> pd.DataFrame:
    """Each candidate tested again on the markets stronger candidates leave unexplained.

    For marketer X, candidates are taken in order of their p-value on all of X's markets;
    one that passes there (p <= fdr, lift >= min_lift) claims the markets it flies, and the
    next is tested on the rest. A carrier that flies the markets X codeshares on with its
    real partner (Virgin Atlantic beside British Airways on American's transatlantic
    codeshares) keeps few unexplained markets and fails this second test.
    """
    rows = []
    for x in range(matched.shape[0]):
        markets = matched.indices[matched.indptr[x]:matched.indptr[x + 1]]
        if not len(markets):
            continue
        candidates = np.flatnonzero(k[x])
        first = stats.binom.sf(k[x, candidates] - 1, len(markets), share[x, candidates])
        remaining = np.ones(len(markets), dtype=bool)
        for y, _ in sorted(zip(candidates, first, strict=True), key=lambda t: (t[1], t[0])):
            flies = op[y].toarray().ravel()[markets] > 0
            left = int(remaining.sum())
            hits = int((flies & remaining).sum())
            expected = left * share[x, y]
            p_value = float(stats.binom.sf(hits - 1, left, share[x, y])) if hits else 1.0
            lift = hits / expected if expected > 0 else 0.0
            rows.append((airlines[x], airlines[y], hits, left, lift, p_value))
            if p_value <= fdr and lift >= min_lift:
                remaining &= ~flies
    return pd.DataFrame(rows, columns=["marketer", "operator", "routes_unexplained",
                                       "markets_unexplained", "lift_unexplained",
                                       "p_unexplained"])


def _incidence(rows: pd.Series, cols: pd.Series, row_index: pd.Index,
               col_index: pd.Index) -> sp.csr_matrix:
    return sp.csr_matrix((np.ones(len(rows)), (row_index.get_indexer(rows),
                                               col_index.get_indexer(cols))),
                         shape=(len(row_index), len(col_index)))


def _presence_at_airports(matched: sp.csr_matrix, op: sp.csr_matrix, markets: pd.Index,
                          served: np.ndarray) -> np.ndarray:
    """share[x, y]: of the operated markets with an end at an airport of X's matched
    flagged markets, the fraction Y operates."""
    ends = markets.str.split("-", n=1, expand=True)
    airports = pd.Index(sorted(set(ends.get_level_values(0)) | set(ends.get_level_values(1))))
    rows = np.r_[np.arange(len(markets)), np.arange(len(markets))]
    cols = np.r_[airports.get_indexer(ends.get_level_values(0)),
                 airports.get_indexer(ends.get_level_values(1))]
    at = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(markets), len(airports)))
    touched = ((matched @ at) > 0).astype(float)
    background = ((touched @ at.T) > 0).multiply(served[None, :].astype(float)).tocsr()
    size = np.asarray(background.sum(axis=1)).ravel()
    return (background @ op.T).toarray() / np.maximum(size, 1)[:, None]


def _matched_routes(flagged: pd.DataFrame, operated: pd.DataFrame) -> int:
    cand = flagged.merge(operated, on="market", suffixes=("_m", "_o"))
    cand = cand[cand["org_id_m"] != cand["org_id_o"]]
    return len(cand.drop_duplicates(["org_id_m", "origin", "destination"]))


def _pairs(tests: pd.DataFrame, flagged: pd.DataFrame, operated: pd.DataFrame) -> pd.DataFrame:
    """One row per undirected pair with a passing direction, with both directions' counts
    and the route evidence (each flagged route split between its candidates)."""
    columns = ["a", "b", "routes", "unambiguous_routes", "expected_routes", "lift", "p_value",
               "q_value", "weight", "a_markets_on_b", "b_markets_on_a", "examples"]
    passing = tests[tests["passed"]]
    if passing.empty:
        return pd.DataFrame(columns=columns)
    keys = {tuple(sorted(t)) for t in zip(passing["marketer"], passing["operator"],
                                         strict=True)}
    t = tests.assign(a=np.where(tests["marketer"] < tests["operator"], tests["marketer"],
                                tests["operator"]),
                     b=np.where(tests["marketer"] < tests["operator"], tests["operator"],
                                tests["marketer"]))
    t = t[[key in keys for key in zip(t["a"], t["b"], strict=True)]]
    t = t.assign(a_markets=t["marketer"] == t["a"])
    best = t.sort_values("q_value").groupby(["a", "b"]).first()
    sums = t.groupby(["a", "b"])[["routes", "unambiguous_routes", "expected_routes"]].sum()
    directed = t.set_index(["a", "b", "a_markets"])["routes"]
    pairs = sums.join(best[["p_value", "q_value"]]).reset_index()
    pairs["lift"] = pairs["routes"] / pairs["expected_routes"]
    pairs["a_markets_on_b"] = [int(directed.get((a, b, True), 0))
                               for a, b in zip(pairs["a"], pairs["b"], strict=True)]
    pairs["b_markets_on_a"] = [int(directed.get((a, b, False), 0))
                               for a, b in zip(pairs["a"], pairs["b"], strict=True)]
    evidence = _evidence(flagged, operated)
    pairs = pairs.merge(evidence, on=["a", "b"], how="left")
    return pairs.sort_values(["q_value", "a", "b"]).reset_index(drop=True)[columns]


def _evidence(flagged: pd.DataFrame, operated: pd.DataFrame) -> pd.DataFrame:
    """Per pair: route evidence (each flagged route split equally between its candidate
    operators) and a few example routes."""
    cand = flagged.merge(operated, on="market", suffixes=("_m", "_o"))
    cand = cand[cand["org_id_m"] != cand["org_id_o"]].copy()
    route = cand["org_id_m"] + "|" + cand["origin"] + "|" + cand["destination"]
    cand["share"] = 1.0 / route.map(route.value_counts())
    marketer, operator = cand["org_id_m"].astype(str), cand["org_id_o"].astype(str)
    cand["a"] = np.where(marketer < operator, marketer, operator)
    cand["b"] = np.where(marketer < operator, operator, marketer)
    cand["label"] = (cand["org_id_m"] + " " + cand["origin"] + "-" + cand["destination"]
                     + " on " + cand["org_id_o"])
    grouped = cand.groupby(["a", "b"])
    return pd.DataFrame({
        "weight": grouped["share"].sum(),
        "examples": grouped["label"].agg(lambda s: "; ".join(sorted(s)[:EXAMPLES])),
    }).reset_index()


def codeshare_graph(data: PartnerData, inference: CodeshareInference,
                    as_of: pd.Timestamp | None = None) -> nx.Graph:
    """The network of inferred codeshares, its airlines described from `data` (named as of
    `as_of`, and marked with the alliance and role they held then when `data` has
    membership)."""
    from graphkit.groups import mark_groups, memberships_as_of
    from graphkit.identities import organizations_on

    inferred = codeshare_deals(inference, as_of=as_of)
    inferred.organizations = organizations_on(data, as_of)
    graph = partner_graph(inferred)
    graph.graph["selection"] = "codeshares inferred from routes"
    if not data.groups.empty:
        mark_groups(graph, memberships_as_of(data.groups, as_of))
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


def alliance_validation(pairs: pd.DataFrame, blocs: pd.Series,
                        airlines: set | None = None) -> dict[str, float]:
    """Inferred pairs against the alliances: precision, recall and chance baselines.

    Only pairs whose two airlines both belong to an alliance on the date count.
    - precision (`same_alliance_share`): the share of those pairs inside one alliance;
    - recall: inferred same-alliance pairs over all same-alliance pairs of the member
      airlines present in the route data (`airlines`; default: those in `pairs`);
    - uniform: a random pair of those airlines is in one alliance with probability
      Σ n_g (n_g − 1) / (N (N − 1));
    - degree-preserving: pairs drawn like the inferred ones, keeping each airline's number
      of inferred partners (configuration model): Σ_g D_g² / (2E)², D_g the partner count
      of alliance g's airlines, E the number of pairs.
    The evidence share weighs each pair by its route evidence.
    """
    both = pairs[pairs["a"].isin(blocs.index) & pairs["b"].isin(blocs.index)]
    same = (blocs.reindex(both["a"]).to_numpy() == blocs.reindex(both["b"]).to_numpy())
    inferred_airlines = pd.unique(np.concatenate([both["a"].to_numpy(), both["b"].to_numpy()]))
    n_g = blocs.reindex(inferred_airlines).value_counts()
    total = n_g.sum()
    uniform = float((n_g * (n_g - 1)).sum() / (total * (total - 1))) if total > 1 else np.nan
    degree = pd.concat([both["a"], both["b"]]).value_counts()
    d_g = degree.groupby(blocs.reindex(degree.index).to_numpy()).sum()
    edges = len(both)
    configuration = float((d_g ** 2).sum() / (2 * edges) ** 2) if edges else np.nan
    observed = float(same.mean()) if edges else np.nan
    members = blocs[blocs.index.isin(airlines if airlines is not None else inferred_airlines)]
    sizes = members.value_counts()
    possible = int((sizes * (sizes - 1) // 2).sum())
    return {
        "pairs_with_both_in_alliances": edges,
        "pairs_total": len(pairs),
        "same_alliance_share": observed,
        "same_alliance_pairs": int(same.sum()),
        "same_alliance_pairs_possible": possible,
        "same_alliance_recall": int(same.sum()) / possible if possible else np.nan,
        "same_alliance_evidence_share": float(both["weight"][same].sum() / both["weight"].sum())
        if edges else np.nan,
        "expected_uniform": uniform,
        "expected_degree_preserving": configuration,
        "lift_over_degree_preserving": observed / configuration if configuration else np.nan,
    }
