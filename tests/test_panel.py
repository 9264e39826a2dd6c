"""The organisation-year panel: each measure against NetworkX where it has one, against
hand computation where it has not, and the windows against a deals table written by hand."""

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from graphkit.engine import index_graph
from graphkit.panel_measures import (
    PanelOptions,
    bonacich_power,
    burt_constraint,
    distance_weighted_reach,
    panel,
)


def weighted_sample() -> nx.Graph:
    graph = nx.Graph()
    graph.add_weighted_edges_from([("a", "b", 3), ("a", "c", 1), ("b", "c", 2), ("c", "d", 1),
                                   ("d", "e", 4), ("c", "e", 1), ("e", "f", 1), ("a", "g", 2)])
    return graph


def test_constraint_equals_networkx_and_hierarchy_a_hand_computation():
    graph = weighted_sample()
    ix = index_graph(graph)
    constraint, hierarchy = burt_constraint(ix)
    expected = nx.constraint(graph, weight="weight")
    for i, node in enumerate(ix.nodes):
        assert constraint[i] == pytest.approx(expected[node], rel=1e-12)
    # Ego 0 with partners 1, 2, 3 and one tie among them (1-2), all weights 1 (Burt 1992):
    # p = 1/3 each; c_01 = c_02 = (1/3 + 1/3 * 1/2)^2 = 1/4, c_03 = 1/9; C = 11/18;
    # r_j = c_0j / (C/3): 27/22, 27/22, 6/11; H = sum r ln r / (3 ln 3).
    star = nx.Graph([(0, 1), (0, 2), (0, 3), (1, 2)])
    nx.set_edge_attributes(star, 1, "weight")
    ix = index_graph(star)
    constraint, hierarchy = burt_constraint(ix)
    ego = ix.index[0]
    assert constraint[ego] == pytest.approx(11 / 18)
    r = [27 / 22, 27 / 22, 6 / 11]
    assert hierarchy[ego] == pytest.approx(sum(x * math.log(x) for x in r) / (3 * math.log(3)))
    # one partner: hierarchy undefined; partners alike (a star's hub): 0
    assert np.isnan(hierarchy[ix.index[3]])
    hub = index_graph(nx.star_graph(4))
    assert burt_constraint(hub)[1][hub.index[0]] == pytest.approx(0.0)


def test_bonacich_power_on_a_star_by_hand():
    """K1,3: lambda_max = sqrt(3); beta = 0.5/sqrt(3), so 3 beta^2 = 1/4. From
    x = A1 + beta A x: hub x_h = (3 + 3 beta)/(1 - 3 beta^2) = 4(1 + beta), leaves
    x_l = 1 + beta x_h; scaled so the squares sum to 4."""
    ix = index_graph(nx.star_graph(3))
    beta = 0.5 / math.sqrt(3)
    hub = 4 * (1 + beta)
    leaf = 1 + beta * hub
    scale = math.sqrt(4 / (hub ** 2 + 3 * leaf ** 2))
    got = bonacich_power(ix, 0.5)
    assert got[ix.index[0]] == pytest.approx(hub * scale)
    assert got[ix.index[1]] == pytest.approx(leaf * scale)
    # negative beta: the hub's partners are weak, which makes it powerful relative to them
    weak = bonacich_power(ix, -0.5)
    assert weak[ix.index[0]] / weak[ix.index[1]] > got[ix.index[0]] / got[ix.index[1]]


def test_reach_equals_networkx_harmonic_centrality_on_hops():
    graph = weighted_sample()
    graph.add_edge("x", "y", weight=5)  # another component
    ix = index_graph(graph)
    expected = nx.harmonic_centrality(graph)  # no weight: hops
    got = distance_weighted_reach(ix)
    for i, node in enumerate(ix.nodes):
        assert got[i] == pytest.approx(expected[node])


DEALS = """deal_id,participant,announced,country
d1,Alpha,2001-03-01,US
d1,Beta,2001-03-01,JP
d2,Alpha,2002-05-01,US
d2,Beta,2002-05-01,JP
d2,Gamma,2002-05-01,JP
d3,Gamma,2003-01-10,JP
d3,Delta,2003-01-10,DE
d4,Alpha,2004-07-01,US
d4,Epsilon,2004-07-01,FR
"""


def test_windows_of_a_hand_written_deals_table(tmp_path):
    """Two-year windows ending 2002, 2003 and 2004 over four deals, every figure counted
    by hand from the table."""
    import graphkit as gk

    path = tmp_path / "deals.csv"
    path.write_text(DEALS, encoding="utf-8")
    data = gk.read(path)
    table = panel(data, PanelOptions(window=2, start=2002, end=2004, attribute="country"))
    row = table.set_index(["window_end", "id"]).sort_index()

    def at(year, org):
        return row.loc[(pd.Timestamp(f"{year}-12-31").date(), org)]

    ids = {name: data.organizations.index[data.organizations["name"] == name][0]
           for name in ("Alpha", "Beta", "Gamma", "Delta", "Epsilon")}
    # 2001-2002: d1 (Alpha-Beta) and d2 (Alpha-Beta-Gamma): Alpha-Beta twice
    alpha = at(2002, ids["Alpha"])
    assert (alpha["degree"], alpha["deals"], alpha["repeated_ties"]) == (2, 2, 1)
    assert alpha["weighted_degree"] == 3 and alpha["closure"] == 1
    assert alpha["ego_density"] == 1.0 and alpha["clustering"] == 1.0
    # partners Beta (JP) and Gamma (JP): one country
    assert alpha["blau"] == 0.0 and alpha["hhi"] == 1.0
    assert pd.isna(alpha["new_partners"])  # the first window has no previous one
    # 2002-2003: d2 and d3; Alpha keeps Beta and Gamma, Gamma gains Delta
    gamma = at(2003, ids["Gamma"])
    assert (gamma["degree"], gamma["new_partners"], gamma["lost_partners"]) == (3, 1, 0)
    # Gamma's partners: Alpha (US), Beta (JP), Delta (DE): three countries
    assert gamma["blau"] == pytest.approx(1 - 3 * (1 / 3) ** 2)
    assert gamma["component_size"] == 4
    # 2003-2004: d3 and d4; Alpha lost Beta and Gamma, gained Epsilon
    alpha = at(2004, ids["Alpha"])
    assert (alpha["degree"], alpha["new_partners"], alpha["lost_partners"]) == (1, 1, 2)
    assert alpha["hhi"] == 1.0 and pd.isna(alpha["hierarchy"])  # one partner
    assert set(row.loc[pd.Timestamp("2004-12-31").date()].index) == {
        ids[n] for n in ("Alpha", "Gamma", "Delta", "Epsilon")}
    # measures shared with `analyze` come from the same functions on the same window
    window = gk.partner_graph(data, as_of="2003-12-31", window=2)
    expected = nx.constraint(window, weight="weight")
    for org in window:
        assert at(2003, org)["constraint"] == pytest.approx(expected[org])


def test_panel_command_writes_parquet_and_refuses_what_it_cannot_do(tmp_path):
    from graphkit.console.cli import main

    path = tmp_path / "deals.csv"
    path.write_text(DEALS, encoding="utf-8")
    runner = CliRunner()
    out = tmp_path / "panel.parquet"
    result = runner.invoke(main, ["panel", str(path), "--window", "2", "--start", "2002",
                                  "--end", "2004", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "3 windows of 2 years" in result.output
    table = pd.read_parquet(out)
    assert len(table) == 3 + 4 + 4 and table["degree"].dtype == "Int64"
    for args, words in ((["--attribute", "sector"], "no organisation carries 'sector'"),
                        (["--start", "2005", "--end", "2001"], "--end 2001 is before"),
                        (["--beta", "1.5"], "between -1 and 1")):
        result = runner.invoke(main, ["panel", str(path), *args, "--out", str(out)])
        assert result.exit_code != 0 and words in result.output, result.output
        assert "Traceback" not in result.output
    result = runner.invoke(main, ["panel", str(path), "--out", str(tmp_path / "p.xlsx")])
    assert result.exit_code != 0 and ".parquet or .csv" in result.output


def test_path_measures_on_hops_and_on_inverse_deals_equal_networkx():
    """Betweenness and closeness: on hops (the panel's default, the binary network) they
    equal NetworkX without weights; with lengths "deals" NetworkX on length 1/deals."""
    from graphkit.centrality import betweenness, closeness

    graph = weighted_sample()
    graph.add_edge("x", "y", weight=5)  # another component: Wasserman-Faust scaling
    for *_, d in graph.edges(data=True):
        d["length"] = 1 / d["weight"]
    ix = index_graph(graph)
    cases = ((True, None), (False, "length"))
    for hops, length in cases:
        between = betweenness(ix, hops=hops)[0]
        close = closeness(ix, hops=hops, workers=1)
        expected_b = nx.betweenness_centrality(graph, weight=length)
        expected_c = nx.closeness_centrality(graph, distance=length)
        for i, node in enumerate(ix.nodes):
            assert between[i] == pytest.approx(expected_b[node], abs=1e-12)
            assert close[i] == pytest.approx(expected_c[node], abs=1e-12)
    # the two conventions differ on this graph (a-b has 3 deals: a shorter path via it)
    assert not np.allclose(closeness(ix, hops=True), closeness(ix, hops=False))


def test_windows_side_by_side_give_the_same_panel_as_one_by_one(monkeypatch):
    """Windows computed in two processes equal the same windows computed in this one."""
    import graphkit.panel_measures as measures
    from graphkit.loaders.deals import deals_from_frame
    from graphkit.synthetic import synthetic_deals

    data = deals_from_frame(synthetic_deals(3000, seed=2))
    options = dict(window=3, start=2005, end=2009)
    serial = panel(data, PanelOptions(**options, workers=1))
    monkeypatch.setattr(measures, "PARALLEL_ROWS", 0)
    seen = []
    parallel = panel(data, PanelOptions(**options, workers=2), on_window=seen.append)
    pd.testing.assert_frame_equal(serial, parallel)
    assert [d.year for d in seen] == [2005, 2006, 2007, 2008, 2009]
    assert serial["name"].notna().all() and serial["window_end"].nunique() == 5


def test_in_force_panel_of_the_bundled_alliance_history():
    """Memberships do not lapse after five years: with window=None each year's network is
    the co-memberships in force on 31 December. On 2014-12-31 every member's degree is its
    alliance's other members that day, counted from the membership table itself."""
    import graphkit as gk

    data = gk.read(*gk.bundled_data("optd/optd_airline_alliance_membership.csv"))
    table = panel(data, PanelOptions(window=None, start=2014, end=2014))
    day = pd.Timestamp("2014-12-31")
    groups = data.groups
    on = groups[(groups["start"] <= day) & (groups["end"].isna() | (groups["end"] >= day))]
    sizes = on.groupby("group")["org_id"].nunique()
    expected = {org: sizes[group] - 1 for org, group in zip(on["org_id"], on["group"],
                                                              strict=True)}
    got = table.set_index("id")["degree"].to_dict()
    assert got == expected
    # three cliques: full ego density and clustering, no brokerage, hierarchy exactly 0
    assert (table["ego_density"] == 1).all() and (table["clustering"] == 1).all()
    assert (table["betweenness"] == 0).all() and (table["hierarchy"] == 0).all()
    assert table["ecosystem"].nunique() == 3 and table["window_start"].isna().all()
    names = table.set_index("id")["name"]
    assert names["LH"] == "Lufthansa" and names["AA"] == "American Airlines"
