"""Codeshare inference: a hand-made route set, the real routes, the alliance check."""

import pandas as pd
import pytest

from graphkit.codeshares import alliance_validation, infer_codeshares
from graphkit.model import ROUTE_COLUMNS


def routes(rows):
    frame = pd.DataFrame(rows, columns=["org_id", "origin", "destination", "codeshare"])
    frame["market"] = frame[["origin", "destination"]].apply(lambda r: "-".join(sorted(r)), axis=1)
    for col in ROUTE_COLUMNS:
        if col not in frame:
            frame[col] = None
    return frame[ROUTE_COLUMNS]


HAND = routes([
    ("M", "AAA", "BBB", True),   # flown by O1 and O2: half each
    ("O1", "AAA", "BBB", False),
    ("O2", "AAA", "BBB", False),
    ("M", "AAA", "CCC", True),   # flown by O1 only
    ("O1", "AAA", "CCC", False),
    ("M", "CCC", "DDD", True),   # nobody flies it: unmatched
    ("O1", "BBB", "AAA", True),  # O1 markets the reverse, flown by M
    ("M", "BBB", "AAA", False),
])


def test_hand_made_routes():
    result = infer_codeshares(HAND)
    assert (result.flagged_routes, result.matched_routes, result.unmatched_routes) == (4, 3, 1)
    pairs = result.pairs.set_index(["a", "b"])
    assert pairs.loc[("M", "O1"), "weight"] == pytest.approx(0.5 + 1 + 1)
    assert pairs.loc[("M", "O1"), "routes"] == 3
    assert pairs.loc[("M", "O1"), "a_markets_on_b"] == 2  # M markets O1's flights twice
    assert pairs.loc[("M", "O1"), "b_markets_on_a"] == 1
    assert pairs.loc[("M", "O2"), "weight"] == pytest.approx(0.5)
    assert "M AAA-BBB on O2" in pairs.loc[("M", "O2"), "examples"]


def test_real_routes_known_pair(airline_data):
    result = infer_codeshares(airline_data.routes)
    assert result.flagged_routes == int(airline_data.routes["codeshare"].sum())
    pairs = result.pairs.set_index(["a", "b"])
    # routes.dat row 5592: AA markets JFK-AMM, which Royal Jordanian flies.
    assert "AA AMM-JFK on RJ" in pairs.loc[("AA", "RJ"), "examples"] or \
        "AA JFK-AMM on RJ" in pairs.loc[("AA", "RJ"), "examples"]
    assert pairs.loc[("AA", "BA"), "weight"] > 100  # transatlantic joint business


def test_alliance_validation_formula():
    pairs = pd.DataFrame({"a": ["A1", "A1", "A2", "B1", "A1"], "b": ["A2", "B1", "B2", "B2", "X"],
                          "weight": [3.0, 1.0, 1.0, 2.0, 5.0]})
    blocs = pd.Series({"A1": "A", "A2": "A", "B1": "B", "B2": "B"})
    check = alliance_validation(pairs, blocs)
    assert check["pairs_with_both_in_alliances"] == 4  # the pair with X is left out
    assert check["same_alliance_share"] == 0.5  # A1-A2, B1-B2
    assert check["same_alliance_evidence_share"] == pytest.approx(5 / 7)
    # uniform: 2 blocs of 2 among 4 airlines: (2*1 + 2*1) / (4*3)
    assert check["expected_uniform"] == pytest.approx(4 / 12)
    # degree-preserving: degrees A1 2, A2 2, B1 2, B2 2 -> D_A = D_B = 4, 2E = 8
    assert check["expected_degree_preserving"] == pytest.approx((16 + 16) / 64)


def test_real_alliance_check(airline_data):
    from graphkit.groups import groups_as_of

    blocs = groups_as_of(airline_data.groups, pd.Timestamp("2014-06-30"))
    check = alliance_validation(infer_codeshares(airline_data.routes).pairs, blocs)
    # Inferred codeshares sit inside alliances more often than chance would put them.
    assert check["same_alliance_share"] > check["expected_degree_preserving"]
    assert check["same_alliance_evidence_share"] > 0.6
