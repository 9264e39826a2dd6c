"""Who partners next: pairs that are not partners on a date, ranked by how likely they
are to form a tie within a horizon, with the reasons, and a backtest that says how far
the ranking is to be trusted.

The network on the date T is the partner graph `graphkit` projects for `as_of=T` (and
`window`, when ties lapse). The organisations that can be ranked are those with a deal
announced by T; an organisation that first appears later cannot be named by any ranking
(the backtest counts those new ties apart).

Signals for a pair (u, v) (N(x) the partners of x on T):

| feature | value | reference |
|---|---|---|
| common_partners | abs(N(u) & N(v)) | Gulati & Gargiulo 1999 (indirect ties) |
| resource_allocation | sum over shared partners z of 1 / abs(N(z)) | Zhou, Lu & Zhang 2009 |
| preferential_attachment | abs(N(u)) * abs(N(v)) | Barabasi & Albert 1999 |
| joint_centrality | sqrt(PageRank(u) * PageRank(v)) * n: 1 for two average organisations | |
| same_ecosystem | both in one ecosystem (Louvain on deal counts, seeded) | |
| linked | a chain of partners joins them (same component) | |
| former_deals | deals between them announced by T and no longer in force | Gulati 1995 |

The model is scikit-learn's logistic regression on those signals (counts as log(1 + x),
standardised), fitted on the networks h, 2h and 3h years earlier (`history`), each with
the ties formed in the h years after it as the answers (all known by T), then applied on
T. A pair's reason lists the signals that
raise its score most (coefficient times standardised value).

Candidate pairs are sampled honestly: every pair with a shared partner and every pair of
former partners, plus a seeded random sample of the other pairs (uniform, without
replacement), each sampled pair weighted by how many pairs it stands for, in fitting and
in every backtest figure (ROC AUC, average precision and precision at k are computed with
those weights). Below `ENUMERATE_LIMIT` pairs in all, every pair is a candidate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from graphkit.errors import InputError
from graphkit.model import PartnerData
from graphkit.summary import plural

FEATURES = {
    "common_partners": "partners the two share",
    "resource_allocation": "sum over shared partners of 1 / that partner's partner count",
    "preferential_attachment": "product of the two partner counts",
    "joint_centrality": "geometric mean of the two PageRanks times n (1 = two average)",
    "same_ecosystem": "1 if both are in one ecosystem on the date",
    "linked": "1 if a chain of partners joins them on the date",
    "former_deals": "deals between them announced by the date and no longer in force",
}
# Plain rankings the model is measured against (besides a random ranking).
HEURISTICS = ["common_partners", "resource_allocation", "preferential_attachment",
              "joint_centrality"]
COUNT_FEATURES = ("common_partners", "resource_allocation", "preferential_attachment",
                  "joint_centrality", "former_deals")
ENUMERATE_LIMIT = 2_000_000
DEFAULT_SAMPLE = 200_000
DYAD_COLUMNS = ["date", "a", "b", "stratum", "weight", *FEATURES, "formed"]
FEW_POSITIVES = 50  # below this many new ties to learn from, the output says so


@dataclass
class ForecastOptions:
    """How the network is read and the candidates drawn; every random choice is seeded."""

    as_of: pd.Timestamp
    horizon: float = 3.0
    window: float | None = None  # years of deals that make a tie on a date (None: in force)
    sample: int = DEFAULT_SAMPLE  # pairs without a shared partner or former tie, sampled
    near_sample: int = 1_000_000  # pairs with a shared partner (or former), above: sampled
    seed: int = 0
    k: int = 100  # precision at k in the backtest
    history: int = 3  # earlier networks (h years apart) the model learns from


@dataclass
class Snapshot:
    """The network on one date, the candidate pairs and their signals."""

    date: pd.Timestamp
    orgs: pd.Index  # organisations with a deal announced by the date (code -> id)
    partners: sp.csr_array  # binary adjacency of the ties on the date
    pairs: pd.DataFrame  # u, v (codes), weight (pairs it stands for), stratum, features
    strata: dict[str, int]  # pairs in each stratum, and how many were drawn


@dataclass
class Backtest:
    """Figures of a ranking fitted on T - 2h, asked on T - h and checked on (T - h, T]."""

    fitted_on: list[pd.Timestamp]  # the networks the model learnt from
    asked_on: pd.Timestamp
    checked_to: pd.Timestamp
    positives: int  # new ties among candidates (weighted: pairs they stand for)
    positives_drawn: int
    unreachable: int  # new ties with an organisation that had no deal by the date
    strata: dict[str, int]
    k: int
    scores: pd.DataFrame  # ranking -> roc_auc, average_precision, precision_at_k
    constant: list[str] = field(default_factory=list)  # heuristics equal on every pair


@dataclass
class Forecast:
    """The ranked pairs (or one organisation's likeliest partners) and how they came."""

    table: pd.DataFrame
    strata: dict[str, int]
    fitted_on: list[pd.Timestamp]
    training_positives: int
    coefficients: dict[str, float] = field(default_factory=dict)
    # (first rank, candidates in all) sharing the last listed probability, when the list
    # cuts through such a group: the signals cannot order those pairs
    tied: tuple[int, int] | None = None
    backtest: Backtest | None = None
    focus: str | None = None  # the organisation asked about (--org), named as on the date
    dyads: pd.DataFrame | None = None  # the dyad panel the model learnt from (`dyads`)


def shift(date: pd.Timestamp, years: float) -> pd.Timestamp:
    """`date` moved by `years` (whole years by the calendar, as the windows are)."""
    if float(years).is_integer():
        return date + pd.DateOffset(years=int(years))
    return date + pd.DateOffset(days=round(years * 365.2425))


def snapshot(data: PartnerData, date: pd.Timestamp, options: ForecastOptions,
             org: int | None = None, orgs: pd.Index | None = None) -> Snapshot:
    """The network on `date` and its candidate pairs (all pairs with `org`, when given)."""
    from graphkit.projection import partner_index

    so_far = data.deals.index[(data.deals["announced"] <= date).to_numpy()]
    if orgs is None:
        orgs = _known(data, date)
    n = len(orgs)
    if n < 2:
        raise InputError(f"fewer than two organisations have a deal with a partner by "
                         f"{date:%Y-%m-%d}: choose a later --as-of")
    ix, _ = partner_index(data, as_of=date, window=options.window)
    code = orgs.get_indexer(ix.nodes)
    u, v = code[ix.source], code[ix.target]
    A = sp.csr_array((np.ones(2 * len(u)), (np.r_[u, v], np.r_[v, u])), shape=(n, n))
    A.sum_duplicates()
    degree = np.asarray(A.sum(axis=1)).ravel()
    rank = np.zeros(n)
    ecosystem = np.full(n, -1)
    component = np.full(n, -1)
    if ix.n:
        from graphkit.ecosystems import detect

        rank[code] = np.asarray(ix.graph.pagerank(weights="weight", damping=0.85,
                                                  implementation="prpack")) * ix.n
        ecosystem[code] = detect(ix, "louvain", seed=options.seed).membership \
            .reindex(ix.nodes).to_numpy()
        component[code] = ix.graph.connected_components().membership
    # Shared partners and resource allocation of every pair at two steps: one sparse
    # product each (same pattern), read back by key rather than pair by pair.
    inverse = sp.diags_array(np.where(degree > 0, 1.0 / np.maximum(degree, 1), 0.0))
    two = _Keyed(A @ A, n)
    allocation = two.alike(A @ (inverse @ A))
    tied = _Keyed(A, n)
    former = _Keyed(_former_deals(data, so_far, orgs, tied), n)
    if org is not None:
        others = np.setdiff1d(np.arange(n), np.r_[org, A[[org]].indices])
        pu, pv = np.full(len(others), org), others
        lo, hi = np.minimum(pu, pv), np.maximum(pu, pv)
        weight = np.ones(len(others))
        stratum = np.where(former.at(lo, hi) > 0, "former",
                           np.where(two.at(lo, hi) > 0, "shared partner", "other"))
        pu, pv = lo, hi
        strata = {"all pairs with the organisation": len(others)}
    else:
        pu, pv, weight, stratum, strata = _candidates(tied, two, former, n, options)
    pairs = pd.DataFrame({
        "u": pu, "v": pv, "weight": weight, "stratum": stratum,
        "common_partners": two.at(pu, pv),
        "resource_allocation": allocation.at(pu, pv),
        "preferential_attachment": degree[pu] * degree[pv],
        "joint_centrality": np.sqrt(rank[pu] * rank[pv]),
        "same_ecosystem": ((ecosystem[pu] == ecosystem[pv]) & (ecosystem[pu] >= 0))
        .astype(float),
        "linked": ((component[pu] == component[pv]) & (component[pu] >= 0)).astype(float),
        "former_deals": former.at(pu, pv),
    })
    return Snapshot(date=date, orgs=orgs, partners=A, pairs=pairs, strata=strata)


class _Keyed:
    """The upper triangle of a symmetric sparse matrix as sorted keys u * n + v (u < v)
    and values: a value for millions of pairs by binary search, and the pairs as keys."""

    def __init__(self, matrix: sp.sparray, n: int) -> None:
        # Row by row with sorted columns, the keys come out sorted: no triangle copy
        # and no sort of tens of millions of keys.
        matrix = sp.csr_array(matrix)
        matrix.sum_duplicates()
        row = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))
        self._mask, self.n = matrix.indices > row, n
        self.keys = (row * n + matrix.indices)[self._mask]
        self.values = matrix.data[self._mask].astype(float)
        self._pattern = (matrix.indptr, matrix.indices)

    def alike(self, matrix: sp.sparray) -> _Keyed:
        """Another matrix's values at these keys: the same pattern (checked), no keys
        built again."""
        matrix = sp.csr_array(matrix)
        matrix.sum_duplicates()
        indptr, indices = self._pattern
        if not (np.array_equal(matrix.indptr, indptr)
                and np.array_equal(matrix.indices, indices)):
            return _Keyed(matrix, self.n)
        other = object.__new__(_Keyed)
        other.n, other.keys, other._mask, other._pattern = self.n, self.keys, self._mask, \
            self._pattern
        other.values = matrix.data[self._mask].astype(float)
        return other

    def at(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Values at pairs (u < v); 0 where the matrix has none."""
        if len(self.keys) == 0 or len(u) == 0:
            return np.zeros(len(u))
        wanted = np.asarray(u, dtype=np.int64) * self.n + np.asarray(v)
        pos = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        return np.where(self.keys[pos] == wanted, self.values[pos], 0.0)


def _former_deals(data: PartnerData, so_far: pd.Index, orgs: pd.Index,
                  tied: _Keyed) -> sp.coo_array:
    """Deals between two organisations announced by the date, for pairs not tied on it."""
    from graphkit.projection import tie_table

    n = len(orgs)
    ties = tie_table(data, so_far, detail=False)
    a, b = orgs.get_indexer(ties["a"]), orgs.get_indexer(ties["b"])
    keep = (a >= 0) & (b >= 0)
    lo, hi = np.minimum(a, b)[keep], np.maximum(a, b)[keep]
    deals = ties["deals"].to_numpy(dtype=float)[keep]
    lapsed = tied.at(lo, hi) == 0
    return sp.coo_array((deals[lapsed], (lo[lapsed], hi[lapsed])), shape=(n, n))


def _contains(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Which `keys` are in `sorted_keys` (binary search: no sort of the big array)."""
    if len(sorted_keys) == 0:
        return np.zeros(len(keys), dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return sorted_keys[pos] == keys


def _draw(keys: np.ndarray, limit: int, rng: np.random.Generator) -> np.ndarray:
    """All of `keys`, or a uniform sample of `limit` of them (sorted)."""
    if len(keys) <= limit:
        return keys
    return np.sort(rng.choice(keys, size=limit, replace=False))


def _complement(taken: np.ndarray, n: int) -> np.ndarray:
    """Every pair key u * n + v (u < v) not in the sorted `taken`, row by row."""
    out = []
    for u in range(n - 1):
        row = np.arange(u + 1, n, dtype=np.int64) + u * n
        lo, hi = np.searchsorted(taken, [row[0], row[-1] + 1])
        out.append(np.setdiff1d(row, taken[lo:hi], assume_unique=True))
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def _candidates(tied: _Keyed, two: _Keyed, former: _Keyed, n: int,
                options: ForecastOptions):
    """Pairs with a shared partner and former partners (all, or a uniform sample above
    `options.near_sample`), and a uniform sample of the rest (`options.sample`); each
    sampled pair stands for the pairs of its stratum it was drawn from."""
    # The key arrays are sorted and, once filtered, disjoint: binary searches and one
    # sort stand in for set operations, which hash tens of millions of keys.
    near_all = two.keys[~_contains(tied.keys, two.keys)]
    lapsed_all = former.keys[~_contains(near_all, former.keys)]
    taken = np.sort(np.concatenate([tied.keys, near_all, lapsed_all]))
    total = n * (n - 1) // 2
    rest = total - len(taken)
    rng = np.random.default_rng(options.seed)
    near = _draw(near_all, options.near_sample, rng)
    lapsed = _draw(lapsed_all, options.near_sample, rng)
    if total <= ENUMERATE_LIMIT or rest <= options.sample:
        drawn = _complement(taken, n)
    else:
        drawn = np.zeros(0, dtype=np.int64)
        while len(drawn) < options.sample:
            size = 2 * (options.sample - len(drawn)) + 1000
            a, b = rng.integers(0, n, size=size), rng.integers(0, n, size=size)
            lo, hi = np.minimum(a, b), np.maximum(a, b)
            keys = lo.astype(np.int64) * n + hi
            keys = keys[(lo != hi) & ~_contains(taken, keys)]
            drawn = np.unique(np.r_[drawn, keys])
        drawn = np.sort(rng.permutation(drawn)[:options.sample])
    keys = np.r_[near, lapsed, drawn]
    stratum = np.r_[np.full(len(near), "shared partner"), np.full(len(lapsed), "former"),
                    np.full(len(drawn), "other")]
    weight = np.r_[np.full(len(near), len(near_all) / max(len(near), 1)),
                   np.full(len(lapsed), len(lapsed_all) / max(len(lapsed), 1)),
                   np.full(len(drawn), rest / max(len(drawn), 1))]
    strata = {"shared partner": len(near_all), "shared partner drawn": len(near),
              "former": len(lapsed_all), "former drawn": len(lapsed),
              "other": rest, "other drawn": len(drawn)}
    return keys // n, keys % n, weight, stratum, strata


def new_ties(data: PartnerData, after: pd.Timestamp, until: pd.Timestamp,
             orgs: pd.Index, partners: sp.csr_array) -> tuple[set[int], int]:
    """Pairs (as u * n + v keys, u < v) that form a tie by a deal announced in
    (after, until] and were not partners on `after`; and how many new ties involve an
    organisation with no deal by then (no ranking can name those)."""
    from graphkit.projection import tie_table

    announced = data.deals["announced"]
    ids = data.deals.index[((announced > after) & (announced <= until)).to_numpy()]
    ties = tie_table(data, ids, detail=False)
    a, b = orgs.get_indexer(ties["a"]), orgs.get_indexer(ties["b"])
    known = (a >= 0) & (b >= 0)
    unreachable = int((~known).sum())
    lo, hi = np.minimum(a, b)[known], np.maximum(a, b)[known]
    fresh = _Keyed(partners, len(orgs)).at(lo, hi) == 0
    return set((lo[fresh].astype(np.int64) * len(orgs) + hi[fresh]).tolist()), unreachable


def _labels(snap: Snapshot, formed: set[int]) -> np.ndarray:
    keys = snap.pairs["u"].to_numpy(np.int64) * len(snap.orgs) + snap.pairs["v"].to_numpy()
    return _contains(np.sort(np.fromiter(formed, dtype=np.int64, count=len(formed))), keys)


def _matrix(pairs: pd.DataFrame) -> np.ndarray:
    columns = [np.log1p(pairs[f].to_numpy(float)) if f in COUNT_FEATURES
               else pairs[f].to_numpy(float) for f in FEATURES]
    return np.column_stack(columns)


def _memo(cache: dict | None, key: tuple, compute):
    """compute(), or its value kept in `cache` under `key`: a forecast with its backtest
    reads the networks on the same dates twice."""
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def dyads(data: PartnerData, end: pd.Timestamp, options: ForecastOptions,
          cache: dict | None = None) -> pd.DataFrame:
    """The dyad panel the model learns from: the candidate pairs of the networks on
    end - h, end - 2h, ... (up to `options.history`, none before the first deal), each
    with its signals, the pairs it stands for (`weight`, for weighted estimation) and
    whether the two formed a tie within h years (`formed`, all by `end`)."""
    first = data.deals["announced"].min()
    frames = []
    for step in range(1, options.history + 1):
        date = shift(end, -step * options.horizon)
        if pd.isna(first) or date < first or len(_known(data, date)) < 2:
            break
        snap = _memo(cache, ("snapshot", date), lambda d=date: snapshot(data, d, options))
        until = shift(date, options.horizon)
        formed, _ = _memo(cache, ("new ties", date, until), lambda d=date, u=until, s=snap:
                          new_ties(data, d, u, s.orgs, s.partners))
        pairs = snap.pairs
        frames.append(pd.DataFrame({
            "date": date, "a": snap.orgs[pairs["u"]], "b": snap.orgs[pairs["v"]],
            **{c: pairs[c].to_numpy() for c in ("stratum", "weight", *FEATURES)},
            "formed": _labels(snap, formed).astype(np.int8)}))  # 0/1, as Stata and R read
    if not frames:
        return pd.DataFrame(columns=DYAD_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def fit(data: PartnerData, end: pd.Timestamp, options: ForecastOptions,
        cache: dict | None = None):
    """Logistic regression of 'forms a tie within the horizon' on the signals of the
    dyad panel (`dyads`), each pair weighted by the pairs it stands for. Returns the
    model, its positives, the dates it read and the panel."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    table = dyads(data, end, options, cache)
    y = table["formed"].to_numpy(bool)
    if y.sum() == 0:
        raise InputError(f"no two organisations known {_years(options.horizon)} before "
                         f"{end:%Y-%m-%d} (or earlier) formed a new tie in the "
                         f"{_years(options.horizon)} that followed, so the model has "
                         "nothing to learn from: choose a later --as-of or a longer "
                         "--horizon")
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000,
                                                               random_state=options.seed))
    model.fit(_matrix(table), y,
              logisticregression__sample_weight=table["weight"].to_numpy(float))
    dates = [pd.Timestamp(d) for d in pd.unique(table["date"])]
    return model, int(y.sum()), dates, table


def _contributions(model, pairs: pd.DataFrame) -> np.ndarray:
    scaler, logistic = model[0], model[-1]
    return (_matrix(pairs) - scaler.mean_) / scaler.scale_ * logistic.coef_[0]


def _score_table(snap: Snapshot) -> dict[str, np.ndarray]:
    return {f: snap.pairs[f].to_numpy(float) for f in HEURISTICS}


def backtest(data: PartnerData, options: ForecastOptions,
             cache: dict | None = None) -> Backtest:
    """Fit on deals up to T - h (the networks on T - 2h, T - 3h, ... and the ties each
    saw form by T - h), rank the pairs of T - h, and check the ranking against the ties
    formed in (T - h, T]."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    asked = shift(options.as_of, -options.horizon)
    model, _, fitted, _ = fit(data, asked, options, cache)
    test = _memo(cache, ("snapshot", asked), lambda: snapshot(data, asked, options))
    formed, unreachable = _memo(cache, ("new ties", asked, options.as_of), lambda:
                                new_ties(data, asked, options.as_of, test.orgs,
                                         test.partners))
    y = _labels(test, formed)
    weight = test.pairs["weight"].to_numpy()
    if y.sum() == 0 or y.all():
        raise InputError(f"no new tie formed between {asked:%Y-%m-%d} and "
                         f"{options.as_of:%Y-%m-%d} among organisations known by then: "
                         "the backtest has nothing to check; choose a later --as-of or a "
                         "longer --horizon")
    rankings = {"model": model.predict_proba(_matrix(test.pairs))[:, 1],
                **_score_table(test),
                "random": np.random.default_rng(options.seed).random(len(y))}
    rows = []
    for name, score in rankings.items():
        rows.append({"ranking": name,
                     "roc_auc": roc_auc_score(y, score, sample_weight=weight),
                     "average_precision": average_precision_score(y, score,
                                                                  sample_weight=weight),
                     "precision_at_k": _precision_at(y, score, weight, options.k,
                                                     options.seed)})
    return Backtest(fitted_on=fitted, asked_on=asked, checked_to=options.as_of,
                    positives=round(float(weight[y].sum())),
                    positives_drawn=int(y.sum()), unreachable=unreachable,
                    strata=test.strata, k=options.k, scores=pd.DataFrame(rows),
                    constant=[name for name, score in rankings.items()
                              if name in HEURISTICS and np.ptp(score) == 0])


def _precision_at(y: np.ndarray, score: np.ndarray, weight: np.ndarray, k: int,
                  seed: int) -> float:
    """Share of new ties among the k pairs ranked first (ties in score broken at random,
    seeded; a sampled pair counts for the pairs it stands for)."""
    jitter = np.random.default_rng(seed + 1).random(len(score))
    order = np.lexsort((jitter, -score))
    cumulative = np.cumsum(weight[order])
    cut = int(np.searchsorted(cumulative, k)) + 1
    taken = order[:cut]
    return float(weight[taken][y[taken]].sum() / weight[taken].sum())


def forecast(data: PartnerData, options: ForecastOptions, *, top: int = 50,
             org: str | None = None, with_backtest: bool = False) -> Forecast:
    """The `top` likeliest new ties after `options.as_of` within `options.horizon`
    years (or `org`'s likeliest new partners), with each pair's reason."""
    from graphkit.lookup import find_org

    if options.horizon <= 0:
        raise InputError("--horizon is a number of years above 0, e.g. --horizon 3")
    if options.sample < 1:
        raise InputError("--sample is a number of pairs, at least 1")
    from graphkit.identities import organizations_on

    if len(_known(data, options.as_of)) < 2:
        raise InputError(f"fewer than two organisations have a deal with a partner by "
                         f"{options.as_of:%Y-%m-%d}: choose a later --as-of")
    cache: dict = {}
    model, positives, fitted, panel = fit(data, options.as_of, options, cache)
    names = organizations_on(data, options.as_of)["name"]  # as they were on the date
    panel.insert(2, "a_name", panel["a"].map(names).fillna(panel["a"]))
    panel.insert(4, "b_name", panel["b"].map(names).fillna(panel["b"]))
    focus = None
    if org is not None:
        wanted = find_org(data.organizations, org)
        everyone = _known(data, options.as_of)
        if wanted not in everyone:
            raise InputError(f"{_name(names, wanted)} has no deal with a partner by "
                             f"{options.as_of:%Y-%m-%d}: choose a later --as-of")
        focus = int(everyone.get_loc(wanted))
    snap = snapshot(data, options.as_of, options, org=focus)
    pairs = snap.pairs
    score = model.predict_proba(_matrix(pairs))[:, 1]
    order = np.lexsort((pairs["v"].to_numpy(), pairs["u"].to_numpy(), -score))[:top]
    chosen = pairs.iloc[order].reset_index(drop=True)
    reasons = _reasons(chosen, _contributions(model, chosen), model[-1].coef_[0], snap,
                       names)
    ids = snap.orgs
    a, b = chosen["u"].to_numpy(), chosen["v"].to_numpy()
    if focus is not None:  # the organisation asked about is always a, its partner b
        a, b = np.where(a == focus, a, b), np.where(a == focus, b, a)
    table = pd.DataFrame({
        "rank": np.arange(1, len(chosen) + 1),
        "a": ids[a], "a_name": [_name(names, o) for o in ids[a]],
        "b": ids[b], "b_name": [_name(names, o) for o in ids[b]],
        "probability": score[order],
        **{f: chosen[f].to_numpy() for f in FEATURES},
        "reason": reasons,
    })
    coefficients = dict(zip(FEATURES, model[-1].coef_[0].tolist(), strict=True))
    tied = _tied(score, order)
    return Forecast(table=table, strata=snap.strata, fitted_on=fitted,
                    training_positives=positives, coefficients=coefficients, tied=tied,
                    backtest=backtest(data, options, cache) if with_backtest else None,
                    focus=None if focus is None else _name(names, ids[focus]),
                    dyads=panel)


def _tied(score: np.ndarray, order: np.ndarray) -> tuple[int, int] | None:
    """When the listed pairs end inside a group of equal probabilities, where the group
    starts in the list and how many candidates share it."""
    if len(order) == 0:
        return None
    last = score[order[-1]]
    same = np.isclose(score, last, rtol=1e-9, atol=0)
    listed = np.isclose(score[order], last, rtol=1e-9, atol=0)
    if same.sum() <= listed.sum():
        return None
    return int(np.argmax(listed)) + 1, int(same.sum())


def _known(data: PartnerData, date: pd.Timestamp) -> pd.Index:
    """Organisations with a deal with a partner announced by `date`: the ones a ranking
    on that date can name."""
    announced = data.deals["announced"]
    so_far = data.deals.index[(announced <= date).to_numpy()]
    from graphkit.distinct import within

    parts = data.participants[within(data.participants["deal_id"], so_far)]
    multi = parts["deal_id"].duplicated(keep=False)
    return pd.Index(sorted(pd.unique(parts.loc[multi, "org_id"]), key=str))


def _name(names: pd.Series, org: object) -> str:
    return str(names[org]) if org in names.index and pd.notna(names[org]) else str(org)


def _reasons(pairs: pd.DataFrame, contributions: np.ndarray, weights: np.ndarray,
             snap: Snapshot, names: pd.Series) -> list[str]:
    """Each pair's signals that raise its score, strongest first, as a phrase. A signal
    raises it by being above the average candidate where its weight is positive, below
    where the model learnt a negative weight: the phrase says which."""
    A = snap.partners
    degree = np.diff(A.indptr)
    out = []
    for i, row in enumerate(pairs.itertuples(index=False)):
        phrases = []
        for j in np.argsort(-contributions[i]):
            if contributions[i, j] <= 0 or len(phrases) == 3:
                break
            high = weights[j] > 0  # the value is above the average candidate's
            phrase = _phrase(list(FEATURES)[j], high, row, A, degree, snap, names)
            if phrase:
                phrases.append(phrase)
        out.append("; ".join(phrases) or "no signal above the average pair")
    return out


def _phrase(feature: str, high: bool, row, A: sp.csr_array, degree: np.ndarray,
            snap: Snapshot, names: pd.Series) -> str:
    if feature == "common_partners":
        count = int(row.common_partners)
        if not high:
            return "no shared partner" if count == 0 else f"only {plural(count, 'shared partner')}"
        shared = np.intersect1d(A[[row.u]].indices, A[[row.v]].indices)
        named = [_name(names, snap.orgs[z]) for z in shared[:3]]
        more = f" and {len(shared) - 3} more" if len(shared) > 3 else ""
        return f"{plural(count, 'shared partner')} ({', '.join(named)}{more})"
    if feature == "resource_allocation" and row.resource_allocation:
        return f"shared partners with {'few' if high else 'many'} partners of their own"
    if feature == "preferential_attachment":
        return (f"{'more' if high else 'fewer'} partners than the average candidate pair "
                f"({degree[row.u]:,} and {degree[row.v]:,})")
    if feature == "joint_centrality":
        return (f"{'more' if high else 'less'} central than the average candidate pair "
                f"(PageRank {row.joint_centrality:.1f} times the average organisation's)")
    if feature == "same_ecosystem":
        return "same ecosystem" if high else "different ecosystems"
    if feature == "linked":
        return "joined by a chain of partners" if high else "no chain of partners joins them"
    if feature == "former_deals":
        count = int(row.former_deals)
        return (f"former partners ({plural(count, 'earlier deal')})" if high
                else "never partners before")
    return ""


def strata_line(strata: dict[str, int], seed: int) -> str:
    """The candidate pairs, said as a sentence."""
    if "all pairs with the organisation" in strata:
        return ("candidates: every organisation known on the date that is not yet a partner "
                f"({strata['all pairs with the organisation']:,})")
    def part(key: str, label: str) -> str:
        drawn, count = strata[f"{key} drawn"], strata[key]
        if count == 0:
            return f"no {label}"
        if drawn == count:
            return f"all {count:,} {label}"
        return (f"{drawn:,} of the {count:,} {label} drawn at random (seed {seed}), each "
                f"standing for {count / max(drawn, 1):,.1f} in the figures")

    return (f"candidates: {part('shared partner', 'pairs with a shared partner')}; "
            f"{part('former', 'pairs of former partners')}; {part('other', 'other pairs')}")


def positive_rate(result: Backtest) -> float:
    """New ties per candidate pair: a random ranking's expected average precision."""
    total = result.strata["shared partner"] + result.strata["former"] + result.strata["other"]
    return result.positives / total if total else math.nan


def _years(years: float) -> str:
    return f"{years:g} year" + ("" if years == 1 else "s")


def _dates(dates: list[pd.Timestamp]) -> str:
    text = [f"{d:%Y-%m-%d}" for d in dates]
    return text[0] if len(text) == 1 else ", ".join(text[:-1]) + " and " + text[-1]


def summary_lines(result: Forecast, options: ForecastOptions) -> list[str]:
    """What `graphkit predict` prints above the table, as sentences."""
    until = shift(options.as_of, options.horizon)
    lines = [
        f"model: logistic regression (seed {options.seed}) learnt from the networks on "
        f"{_dates(result.fitted_on)} and the {plural(result.training_positives, 'new tie')} "
        f"that formed within {_years(options.horizon)} of each",
        strata_line(result.strata, options.seed),
        ("likeliest new ties" if result.focus is None else
         f"likeliest new partners of {result.focus}")
        + f" from {options.as_of:%Y-%m-%d} to {until:%Y-%m-%d} "
        "(probability from the model; reason: the signals that raise it most):",
    ]
    if result.training_positives < FEW_POSITIVES:
        lines.append(f"note: only {plural(result.training_positives, 'new tie')} to learn "
                     "from, so the model's weights are rough: --backtest compares it with "
                     "the plain heuristics")
    if result.tied:
        first, count = result.tied
        lines.append(f"note: from rank {first} on, the list cuts through {count:,} "
                     "candidate pairs with the same probability: their signals are alike, "
                     "so their order (by id) means nothing")
    return lines


def backtest_lines(result: Backtest, seed: int) -> list[str]:
    """The backtest's figures as sentences and a small table."""
    table = result.scores.rename(columns={
        "roc_auc": "ROC AUC", "average_precision": "average precision",
        "precision_at_k": f"precision at {result.k}"})
    lines = [
        f"backtest: learnt from the networks on {_dates(result.fitted_on)}, asked on "
        f"{result.asked_on:%Y-%m-%d}, checked against the ties formed by "
        f"{result.checked_to:%Y-%m-%d}",
        strata_line(result.strata, seed),
        f"new ties: {result.positives:,} between organisations known on "
        f"{result.asked_on:%Y-%m-%d} ({result.positives_drawn:,} among the pairs drawn); "
        f"{result.unreachable:,} more involve an organisation with no deal by then, which "
        "no ranking can name",
        table.to_string(index=False, float_format=lambda x: f"{x:.3f}"),
        f"(random: a seeded random ranking; its expected average precision is the share "
        f"of new ties among candidate pairs, {positive_rate(result):.4f})",
    ]
    if result.constant:
        one = len(result.constant) == 1
        lines.append(f"({' and '.join(result.constant)} {'is' if one else 'are'} the same "
                     f"for every candidate pair here, so {'it ranks' if one else 'they rank'} "
                     "nothing: ROC AUC 0.5 by construction)")
    return lines
