"""Codeshare inference: hand-computed tests, the real routes, controls, alliances and a
held-out check (figures asserted; graphkit/codeshares.py states the method)."""

import pandas as pd
import pytest
from scipy import stats

from graphkit.codeshare_checks import control_report, held_out_check, load_controls
from graphkit.codeshares import alliance_validation, infer_codeshares
from graphkit.model import ROUTE_COLUMNS


def routes(rows):
    frame = pd.DataFrame(rows, columns=["org_id", "origin", "destination", "codeshare"])
    frame["market"] = frame[["origin", "destination"]].apply(lambda r: "-".join(sorted(r)), axis=1)
    for col in ROUTE_COLUMNS:
        if col not in frame:
            frame[col] = None
    return frame[ROUTE_COLUMNS]


# Hub H with 20 spokes. C (a carrier that is everywhere) flies all 20; O flies 5 of them
# and P-Q, a market only O flies. M flags H-A1..H-A5 and P-Q as codeshare.
SPOKES = [f"A{i:02d}" for i in range(1, 21)]
HAND = routes(
    [("C", "HHH", s, False) for s in SPOKES]
    + [("O", "HHH", s, False) for s in SPOKES[:5]] + [("O", "PPP", "QQQ", False)]
    + [("M", "HHH", s, True) for s in SPOKES[:5]] + [("M", "PPP", "QQQ", True)]
)


def test_hand_computed_test_statistics():
    result = infer_codeshares(HAND)
    tests = result.tests.set_index(["marketer", "operator"])
    # M's 6 matched flagged markets touch HHH, A01..A05, PPP, QQQ: the operated markets
    # there are HHH-A01..A20 and PPP-QQQ, 21 in all. O flies 6 of them, C 20.
    o, c = tests.loc[("M", "O")], tests.loc[("M", "C")]
    assert (o["routes"], o["markets"], o["unambiguous_routes"]) == (6, 6, 1)
    assert o["expected_routes"] == pytest.approx(6 * 6 / 21)
    assert o["lift"] == pytest.approx(6 / (6 * 6 / 21))
    assert o["p_value"] == pytest.approx((6 / 21) ** 6)
    assert (c["routes"], c["unambiguous_routes"]) == (5, 0)
    assert c["p_value"] == pytest.approx(stats.binom.sf(4, 6, 20 / 21))
    assert c["p_value"] == pytest.approx(6 * (20 / 21) ** 5 / 21 + (20 / 21) ** 6)
    # Benjamini-Hochberg over the two tests
    assert o["q_value"] == pytest.approx(2 * o["p_value"])
    assert bool(o["passed"]) and not bool(c["passed"])
    # C flies every flagged market but is no partner; O is.
    pair = result.pairs.set_index(["a", "b"]).loc[("M", "O")]
    assert list(result.pairs[["a", "b"]].itertuples(index=False, name=None)) == [("M", "O")]
    assert pair["weight"] == pytest.approx(5 * 0.5 + 1)  # split with C on the spokes
    assert (pair["a_markets_on_b"], pair["b_markets_on_a"]) == (6, 0)
    assert (result.flagged_routes, result.matched_routes) == (6, 6)


def test_thresholds_are_options():
    assert len(infer_codeshares(HAND, fdr=1e-9).pairs) == 0  # q = 2 (6/21)^6 = 1.1e-3
    assert len(infer_codeshares(HAND, min_lift=4).pairs) == 0  # lift 3.5


@pytest.fixture(scope="module")
def inferred(airline_data):
    return infer_codeshares(airline_data.routes)


def test_real_routes(airline_data, inferred):
    assert inferred.flagged_routes == int(airline_data.routes["codeshare"].sum())
    assert (len(inferred.tests), len(inferred.pairs)) == (2446, 193)
    pairs = inferred.pairs.set_index(["a", "b"])
    # routes.dat: AA markets ABZ-LHR, flown by British Airways (transatlantic joint business)
    assert "AA ABZ-LHR on BA" in pairs.loc[("AA", "BA"), "examples"]
    assert pairs.loc[("AA", "BA"), "q_value"] < 1e-50
    assert pairs.loc[("IB", "VY"), "routes"] == 158  # Iberia on Vueling: 6.7 expected
    tests = inferred.tests.set_index(["marketer", "operator"])
    # Virgin Atlantic flies 10 of American's transatlantic codeshare markets, 1.6 expected,
    # but British Airways, American's partner, flies them too: explained away.
    vs = tests.loc[("AA", "VS")]
    assert (vs["routes"], vs["routes_unexplained"]) == (10, 0) and not bool(vs["passed"])
    assert ("AA", "VS") not in pairs.index


def test_controls(airline_data, inferred):
    negatives, positives = load_controls()
    report = control_report(inferred, negatives, positives, set(airline_data.routes["org_id"]))
    # Ryanair, easyJet, Wizz Air and Spirit sold no codeshares in 2014 (sources in the file);
    # the method this replaced gave them 12, 30, 3 and 16 partners.
    assert report["negative_partners"] == {"FR": 0, "U2": 0, "W6": 0, "NK": 0}
    assert report["positive_checked"] == 4
    assert set(report["positive_recovered"]) == {"EK-QF", "DL-VS", "AB-EY"}
    assert report["positive_missed"] == ["EY-VA"]


def test_alliance_precision_and_recall(airline_data, inferred):
    from graphkit.groups import groups_as_of

    blocs = groups_as_of(airline_data.groups, pd.Timestamp("2014-06-30"))
    check = alliance_validation(inferred.pairs, blocs, set(airline_data.routes["org_id"]))
    assert (check["pairs_with_both_in_alliances"], check["same_alliance_pairs"]) == (75, 57)
    assert check["same_alliance_share"] == pytest.approx(57 / 75)
    assert check["same_alliance_pairs_possible"] == 880
    assert check["same_alliance_recall"] == pytest.approx(57 / 880)
    # the method this replaced: 301 of 697 (43.2%), against 34.2% by chance
    assert check["same_alliance_share"] > 2 * check["expected_degree_preserving"]


def test_held_out_routes_are_recovered_far_above_chance(airline_data):
    result = held_out_check(airline_data.routes, fraction=0.5, seed=0)
    assert result["unambiguous_routes"] == 2930 and result["hidden_routes"] == 1465
    assert result["recovered_share"] == pytest.approx(0.6246, abs=1e-4)
    assert result["shuffled_share"] == pytest.approx(0.0724, abs=1e-4)
    assert result["recovered_share"] > 5 * result["shuffled_share"]


def test_alliance_validation_formula():
    pairs = pd.DataFrame({"a": ["A1", "A1", "A2", "B1", "A1"], "b": ["A2", "B1", "B2", "B2", "X"],
                          "weight": [3.0, 1.0, 1.0, 2.0, 5.0]})
    blocs = pd.Series({"A1": "A", "A2": "A", "B1": "B", "B2": "B", "A3": "A"})
    check = alliance_validation(pairs, blocs, airlines={"A1", "A2", "A3", "B1", "B2", "X"})
    assert check["pairs_with_both_in_alliances"] == 4  # the pair with X is left out
    assert check["same_alliance_share"] == 0.5  # A1-A2, B1-B2
    # same-alliance pairs possible: A1-A2, A1-A3, A2-A3, B1-B2
    assert check["same_alliance_pairs_possible"] == 4 and check["same_alliance_recall"] == 0.5
    assert check["same_alliance_evidence_share"] == pytest.approx(5 / 7)
    # uniform: 2 blocs of 2 among the 4 inferred airlines: (2*1 + 2*1) / (4*3)
    assert check["expected_uniform"] == pytest.approx(4 / 12)
    # degree-preserving: degrees A1 2, A2 2, B1 2, B2 2 -> D_A = D_B = 4, 2E = 8
    assert check["expected_degree_preserving"] == pytest.approx((16 + 16) / 64)
