"""Who partners next: the signals against NetworkX's link-prediction functions, the
candidate sampling and the new-tie labels against hand counts, the backtest on planted
triadic closure (the model must beat random and degree product) and on the bundled
alliance history, and the command's messages."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import graphkit as gk
from graphkit.tie_forecast import (
    ForecastOptions,
    _precision_at,
    new_ties,
    snapshot,
)


def closure_deals(orgs: int = 300, start: int = 2000, end: int = 2014, per_year: int = 60,
                  closure: float = 0.7, seed: int = 0) -> pd.DataFrame:
    """Two-party deals where, with probability `closure`, an organisation partners with a
    partner of one of its partners (triadic closure), else with anyone at random."""
    rng = random.Random(seed)
    partners: dict[int, set[int]] = {i: set() for i in range(orgs)}
    rows = []
    for year in range(start, end + 1):
        for k in range(per_year):
            u, w = rng.randrange(orgs), None
            if rng.random() < closure and partners[u]:
                z = rng.choice(sorted(partners[u]))
                choices = sorted(partners[z] - partners[u] - {u})
                w = rng.choice(choices) if choices else None
            while w is None or w == u:
                w = rng.randrange(orgs)
            partners[u].add(w)
            partners[w].add(u)
            day = f"{year}-{1 + k * 12 // per_year:02d}-15"
            deal = f"d{len(rows) // 2}"
            rows += [(deal, f"Org {u:03d}", day), (deal, f"Org {w:03d}", day)]
    return pd.DataFrame(rows, columns=["deal_id", "participant", "announced"])


@pytest.fixture(scope="module")
def closure_data(tmp_path_factory):
    path = tmp_path_factory.mktemp("closure") / "deals.csv"
    closure_deals().to_csv(path, index=False)
    return gk.read(path)


DEALS = """deal_id,participant,announced,ended
d1,Alpha,2001-03-01,
d1,Beta,2001-03-01,
d2,Beta,2002-05-01,
d2,Gamma,2002-05-01,
d3,Gamma,2003-01-10,
d3,Delta,2003-01-10,
d4,Alpha,2003-06-01,2004-06-01
d4,Epsilon,2003-06-01,2004-06-01
d5,Alpha,2006-02-01,
d5,Gamma,2006-02-01,
d6,Zeta,2006-03-01,
d6,Beta,2006-03-01,
d7,Delta,2007-01-01,
d7,Epsilon,2007-01-01,
"""


@pytest.fixture()
def small(tmp_path):
    path = tmp_path / "deals.csv"
    path.write_text(DEALS, encoding="utf-8")
    data = gk.read(path)
    ids = {n: data.organizations.index[data.organizations["name"] == n][0]
           for n in ("Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta")}
    return data, ids


def test_signals_equal_networkx_link_prediction(small):
    """On 2005-12-31 the ties in force are Alpha-Beta, Beta-Gamma, Gamma-Delta (d4 ended
    2004-06-01). Every candidate's signals equal NetworkX's functions on that graph;
    Alpha-Epsilon are former partners (one deal, ended)."""
    data, ids = small
    date = pd.Timestamp("2005-12-31")
    snap = snapshot(data, date, ForecastOptions(as_of=date))
    graph = nx.Graph([(ids["Alpha"], ids["Beta"]), (ids["Beta"], ids["Gamma"]),
                      (ids["Gamma"], ids["Delta"])])
    graph.add_node(ids["Epsilon"])  # known (a deal by then), no tie in force
    assert set(snap.orgs) == set(graph)  # Zeta's first deal is in 2006: not known yet
    pairs = snap.pairs.assign(a=snap.orgs[snap.pairs["u"]], b=snap.orgs[snap.pairs["v"]])
    assert len(pairs) == 10 - 3  # every non-tied pair of five (few pairs: all listed)
    asked = list(zip(pairs["a"], pairs["b"], strict=True))
    ra = {(u, v): p for u, v, p in nx.resource_allocation_index(graph, asked)}
    pa = {(u, v): p for u, v, p in nx.preferential_attachment(graph, asked)}
    for row in pairs.itertuples(index=False):
        assert row.common_partners == len(list(nx.common_neighbors(graph, row.a, row.b)))
        assert row.resource_allocation == pytest.approx(ra[row.a, row.b])
        assert row.preferential_attachment == pa[row.a, row.b]
        assert row.linked == float(nx.has_path(graph, row.a, row.b))
        assert row.weight == 1.0
    former = pairs.set_index(["a", "b"])["former_deals"]
    key = tuple(sorted((ids["Alpha"], ids["Epsilon"]), key=str))
    assert former[key] == 1 and former.drop(key).eq(0).all()
    # PageRank relative to the average: joint centrality of Alpha and Delta (the path's
    # two ends) equals sqrt(pr_a pr_d) * n with NetworkX's PageRank on the 4-node path
    rank = nx.pagerank(graph.subgraph([ids[n] for n in ("Alpha", "Beta", "Gamma", "Delta")]))
    end_pair = tuple(sorted((ids["Alpha"], ids["Delta"]), key=str))
    joint = pairs.set_index(["a", "b"])["joint_centrality"][end_pair]
    assert joint == pytest.approx(np.sqrt(rank[ids["Alpha"]] * rank[ids["Delta"]]) * 4,
                                  rel=1e-5)


def test_new_ties_count_only_what_a_ranking_could_name(small):
    """After 2005-12-31 by 2007-12-31: Alpha-Gamma (d5) and Delta-Epsilon (d7) are new
    ties between known organisations; Zeta-Beta (d6) involves Zeta, unknown on the date."""
    data, ids = small
    date = pd.Timestamp("2005-12-31")
    snap = snapshot(data, date, ForecastOptions(as_of=date))
    formed, unreachable = new_ties(data, date, pd.Timestamp("2007-12-31"), snap.orgs,
                                   snap.partners)
    n = len(snap.orgs)
    named = {tuple(sorted((snap.orgs[k // n], snap.orgs[k % n]), key=str)) for k in formed}
    assert named == {tuple(sorted((ids["Alpha"], ids["Gamma"]), key=str)),
                     tuple(sorted((ids["Delta"], ids["Epsilon"]), key=str))}
    assert unreachable == 1


def test_candidates_all_near_pairs_and_an_honest_sample_of_the_rest(closure_data):
    """Every non-tied pair with a shared partner is a candidate (checked against NetworkX);
    the rest is sampled without replacement, never a tied or near pair, and the weights
    make the sample stand for exactly the pairs it was drawn from."""
    date = pd.Timestamp("2010-12-31")
    options = ForecastOptions(as_of=date, sample=5_000, seed=3)
    import graphkit.tie_forecast as forecast

    old = forecast.ENUMERATE_LIMIT
    forecast.ENUMERATE_LIMIT = 0  # force sampling on this small network
    try:
        snap = snapshot(closure_data, date, options)
        again = snapshot(closure_data, date, options)
    finally:
        forecast.ENUMERATE_LIMIT = old
    graph = gk.partner_graph(closure_data, as_of=date)
    known = list(snap.orgs)
    graph.add_nodes_from(known)
    index = {o: i for i, o in enumerate(known)}
    near = {tuple(sorted((index[a], index[b]))) for z in graph for a in graph[z]
            for b in graph[z] if a != b and not graph.has_edge(a, b)}
    pairs = snap.pairs
    got = pairs[pairs["stratum"] == "shared partner"]
    assert set(zip(got["u"], got["v"], strict=True)) == near
    drawn = pairs[pairs["stratum"] == "other"]
    assert len(drawn) == 5_000 and not drawn.duplicated(["u", "v"]).any()
    assert (drawn["common_partners"] == 0).all()
    assert not any(graph.has_edge(known[u], known[v]) for u, v in zip(drawn["u"], drawn["v"],
                                                                      strict=True))
    n = len(known)
    rest = n * (n - 1) // 2 - graph.number_of_edges() - len(near) - snap.strata["former"]
    assert snap.strata["other"] == rest
    assert drawn["weight"].sum() == pytest.approx(rest)
    pd.testing.assert_frame_equal(pairs, again.pairs)  # seeded: the same sample


def test_precision_at_k_counts_the_pairs_a_sampled_pair_stands_for():
    """Ranked scores 0.9 (new tie, weight 1), 0.8 (no tie, weight 3), 0.1 (new tie): at
    k = 2 the list reaches into the weighted pair, so precision = 1 / (1 + 3)."""
    y = np.array([True, False, True])
    score = np.array([0.9, 0.8, 0.1])
    weight = np.array([1.0, 3.0, 1.0])
    assert _precision_at(y, score, weight, 1, seed=0) == 1.0
    assert _precision_at(y, score, weight, 2, seed=0) == pytest.approx(1 / 4)
    assert _precision_at(y, score, weight, 5, seed=0) == pytest.approx(2 / 5)


def test_planted_triadic_closure_the_model_beats_random_and_degree_product(closure_data):
    """Seventy per cent of new ties close a triangle: the backtest's model must rank far
    better than a random ranking and than preferential attachment (degree product)."""
    result = gk.predict(closure_data, "2014-12-31", horizon=2, backtest=True, top=50)
    scores = result.backtest.scores.set_index("ranking")
    model, rand, degree = (scores.loc[r] for r in ("model", "random",
                                                    "preferential_attachment"))
    assert model["roc_auc"] > 0.65 and abs(rand["roc_auc"] - 0.5) < 0.1
    assert model["roc_auc"] > degree["roc_auc"] + 0.05
    assert model["average_precision"] > 3 * degree["average_precision"]
    assert model["average_precision"] > 5 * rand["average_precision"]
    assert result.backtest.positives > 50
    # the likeliest pairs close triangles, and say so by name
    top = result.table.head(10)
    assert (top["common_partners"] >= 2).all()
    assert top["reason"].str.contains(r"shared partners \(Org \d{3}").all()
    assert result.table["probability"].is_monotonic_decreasing


def test_backtest_on_the_bundled_alliance_history():
    """Alliance co-memberships: on 2011-12-31 -> 2014-12-31, 52 new ties join airlines
    already in an alliance (switches such as TAM and US Airways to OneWorld), counted here
    from the deal table itself; 652 more bring in a new member, which no ranking can name."""
    data = gk.read(*gk.bundled_data("optd/optd_airline_alliance_membership.csv"))
    result = gk.predict(data, "2014-12-31", horizon=3, backtest=True)
    deals = data.deals
    parts = data.participants.merge(deals[["announced", "ended"]], left_on="deal_id",
                                    right_index=True)
    asked, until = pd.Timestamp("2011-12-31"), pd.Timestamp("2014-12-31")
    known = set(parts.loc[parts["announced"] <= asked, "org_id"])
    pairs = parts.groupby("deal_id")["org_id"].apply(lambda s: tuple(sorted(s)))
    when = deals["announced"]
    in_force = {pairs[d] for d in deals.index
                if when[d] <= asked and (pd.isna(deals["ended"][d]) or deals["ended"][d] >= asked)}
    formed = {pairs[d] for d in deals.index if asked < when[d] <= until}
    reachable = {p for p in formed if set(p) <= known and p not in in_force}
    assert result.backtest.positives == len(reachable) == 52
    assert result.backtest.unreachable == len(formed - reachable - in_force) == 652
    scores = result.backtest.scores.set_index("ranking")["roc_auc"]
    assert scores["model"] > scores["random"]
    assert result.backtest.constant == ["common_partners", "resource_allocation"]


def test_the_dyad_panel_is_what_the_model_learnt_from(closure_data, tmp_path):
    """Refitting scikit-learn's logistic regression on the written dyad panel gives the
    model's coefficients; its labels are the new ties counted from the deals by hand."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from graphkit.console.cli import main
    from graphkit.tie_forecast import COUNT_FEATURES, FEATURES

    path, out = tmp_path / "deals.csv", tmp_path / "dyads.parquet"
    closure_deals().to_csv(path, index=False)
    ran = CliRunner().invoke(main, ["predict", str(path), "--as-of", "2014-12-31",
                                    "--horizon", "2", "--top", "3", "--dyads", str(out)])
    assert ran.exit_code == 0, ran.output
    table = pd.read_parquet(out)
    assert sorted(table["date"].dt.strftime("%Y-%m-%d").unique()) == [
        "2008-12-31", "2010-12-31", "2012-12-31"]
    assert f"wrote {out}: {len(table):,} pairs from 3 networks" in ran.output
    X = np.column_stack([np.log1p(table[f]) if f in COUNT_FEATURES else table[f]
                         for f in FEATURES])
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    model.fit(X, table["formed"], logisticregression__sample_weight=table["weight"])
    result = gk.predict(closure_data, "2014-12-31", horizon=2, top=3)
    assert np.allclose(model[-1].coef_[0], list(result.coefficients.values()))
    # labels by hand: pairs first tied in (2012-12-31, 2014-12-31] among organisations
    # with a deal by 2012-12-31, not tied on that date
    deals = closure_deals()
    pairs = {d: tuple(sorted(g["participant"])) for d, g in deals.groupby("deal_id")}
    day = deals.groupby("deal_id")["announced"].first()
    before = {p for d, p in pairs.items() if day[d] <= "2012-12-31"}
    known = {o for p in before for o in p}
    formed = {p for d, p in pairs.items() if "2012-12-31" < day[d] <= "2014-12-31"
              and set(p) <= known and p not in before}
    last = table[table["date"] == "2012-12-31"]  # 300 organisations: every pair listed
    assert len(last) == len(known) * (len(known) - 1) // 2 - len(before & _all(known))
    labelled = zip(last["a_name"], last["b_name"], last["formed"], strict=True)
    assert {tuple(sorted((a, b))) for a, b, f in labelled if f} == formed



def test_predict_command(tmp_path, closure_data):
    from graphkit.console.cli import main

    path = tmp_path / "deals.csv"
    closure_deals().to_csv(path, index=False)
    out = tmp_path / "predictions.csv"
    runner = CliRunner()
    result = runner.invoke(main, ["predict", str(path), "--as-of", "2014-12-31",
                                  "--horizon", "2", "--top", "5", "--backtest",
                                  "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = result.output
    assert "learnt from the networks on 2012-12-31, 2010-12-31 and 2008-12-31" in text
    assert "pairs with a shared partner" in text and "ROC AUC" in text
    written = pd.read_csv(out)
    assert len(written) == 5 and list(written["rank"]) == [1, 2, 3, 4, 5]
    assert (tmp_path / "predictions_backtest.csv").exists()
    mine = tmp_path / "org7.csv"
    one = runner.invoke(main, ["predict", str(path), "--as-of", "2014-12-31", "--org",
                               "org 007", "--top", "3", "--out", str(mine)])
    assert one.exit_code == 0, one.output
    assert "likeliest new partners of Org 007 from 2014-12-31" in one.output
    assert "every organisation known on the date that is not yet a partner" in one.output
    asked = pd.read_csv(mine)  # the organisation asked about is a in every row
    assert set(asked["a_name"]) == {"Org 007"} and "Org 007" not in set(asked["b_name"])
    for args, words in (
            (["--org", "Org 7x"], "no organisation 'Org 7x'"),
            (["--as-of", "1990-12-31"], "fewer than two organisations"),
            (["--horizon", "0"], "--horizon"),
            (["--as-of", "2014"], "--as-of"),
            (["--out", str(tmp_path / "p.xlsx")], "p.xlsx: this is written as CSV")):
        call = ["predict", str(path), *(["--as-of", "2014-12-31"]
                                        if "--as-of" not in args else []), *args]
        bad = runner.invoke(main, call)
        assert bad.exit_code != 0 and words in bad.output, (args, bad.output)
        assert "Traceback" not in bad.output


def test_each_reason_states_the_pair_and_the_direction_the_model_weighs(closure_data):
    """A reason is checked against the network on the date (NetworkX): the shared partners
    it names are shared partners, the partner counts are the two degrees, and 'more' or
    'fewer' follows the sign of the weight the model learnt (a signal with a negative
    weight raises a pair's score by being low, and the reason must say so)."""
    import re

    deals = closure_deals()
    graph = nx.Graph()
    for _, group in deals[deals["announced"] <= "2014-12-31"].groupby("deal_id"):
        graph.add_edge(*group["participant"])
    overall = gk.predict(closure_data, "2014-12-31", horizon=2, top=40)
    mine = gk.predict(closure_data, "2014-12-31", horizon=2, top=50, org="Org 007")
    pa_weight = overall.coefficients["preferential_attachment"]
    assert pa_weight < 0  # closure, not popularity: the low-degree branch is exercised
    checked = degrees_seen = 0
    for row in [*overall.table.itertuples(), *mine.table.itertuples()]:
        a, b = row.a_name, row.b_name
        assert not graph.has_edge(a, b)
        shared = set(graph[a]) & set(graph[b])
        assert row.common_partners == len(shared)
        for clause in row.reason.split("; "):
            named = re.match(r"(\d+) shared partners? \((.*)\)$", clause)
            if named:
                count, names = int(named[1]), named[2].split(" and ")[0].split(", ")
                assert count == len(shared) and set(names) <= shared
                checked += 1
            degrees = re.search(r"(more|fewer) partners than the average candidate pair "
                                r"\((\d+) and (\d+)\)", clause)
            if degrees:
                assert (int(degrees[2]), int(degrees[3])) == (graph.degree(a), graph.degree(b))
                assert (degrees[1] == "more") == (pa_weight > 0)
                degrees_seen += 1
    assert checked >= 60 and degrees_seen >= 10


def _all(orgs: set[str]) -> set[tuple[str, str]]:
    return {(a, b) for a in orgs for b in orgs if a < b}
