"""Overlaps: hand-computed footprints, a brute-force cross-check, and real route data."""

import itertools
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.overlaps import market_footprints, overlaps, partner_footprints

HAND = pd.DataFrame(
    [("A", "x", 2.0), ("A", "y", 1.0), ("A", "z", 1.0),
     ("B", "y", 3.0), ("B", "z", 1.0),
     ("C", "w", 1.0)],
    columns=["org_id", "item", "weight"],
)


def test_hand_computed_measures():
    table = overlaps(HAND, weighted=True)
    assert len(table) == 1  # C shares nothing
    row = table.iloc[0]
    assert (row["a"], row["b"], row["shared"], row["size_a"], row["size_b"]) == ("A", "B", 2, 3, 2)
    assert row["jaccard"] == pytest.approx(2 / 3)
    assert row["overlap"] == pytest.approx(1.0)
    # cosine on weights: (1*3 + 1*1) / (sqrt(6) * sqrt(10))
    assert row["cosine"] == pytest.approx(4 / math.sqrt(60))
    # weighted Jaccard: min sums 0+1+1 = 2, max sums 2+3+1 = 6
    assert row["weighted_jaccard"] == pytest.approx(2 / 6)
    unweighted = overlaps(HAND).iloc[0]
    assert unweighted["cosine"] == pytest.approx(2 / math.sqrt(6))


def brute_force(frame: pd.DataFrame) -> dict:
    sets = frame.groupby("org_id")["item"].apply(set)
    out = {}
    for a, b in itertools.combinations(sorted(sets.index), 2):
        shared = len(sets[a] & sets[b])
        if shared:
            out[(a, b)] = (shared, shared / len(sets[a] | sets[b]),
                           shared / min(len(sets[a]), len(sets[b])))
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 12)), min_size=1, max_size=120),
       st.integers(1, 7))
def test_sparse_blocks_equal_brute_force(pairs, block):
    frame = pd.DataFrame([(f"o{o:02d}", f"i{i}", 1.0) for o, i in pairs],
                         columns=["org_id", "item", "weight"]).drop_duplicates()
    table = overlaps(frame, block=block)
    got = {(r.a, r.b): (r.shared, r.jaccard, r.overlap) for r in table.itertuples()}
    want = brute_force(frame)
    assert got.keys() == want.keys()
    for key, (shared, jac, ovl) in want.items():
        assert got[key][0] == shared
        assert got[key][1] == pytest.approx(jac)
        assert got[key][2] == pytest.approx(ovl)


def test_top_k_and_thresholds():
    frame = pd.DataFrame([("A", i, 1.0) for i in "abcd"] + [("B", i, 1.0) for i in "abc"]
                         + [("C", i, 1.0) for i in "a"] + [("D", i, 1.0) for i in "ab"],
                         columns=["org_id", "item", "weight"])
    top = overlaps(frame, top_k=1)
    assert top.set_index("a")["b"].to_dict() == {"A": "B", "B": "A", "C": "D", "D": "B"}
    assert set(overlaps(frame, min_shared=2)[["a", "b"]].itertuples(index=False, name=None)) \
        == {("A", "B"), ("A", "D"), ("B", "D")}
    assert len(overlaps(frame, min_jaccard=0.7)) == 1


def test_shared_partners_on_a_graph():
    import networkx as nx

    graph = nx.Graph([("a", "x"), ("a", "y"), ("b", "x"), ("b", "y"), ("b", "z")])
    table = overlaps(partner_footprints(graph), among=["a", "b"])
    assert table[["a", "b", "shared"]].values.tolist() == [["a", "b", 2]]


def test_real_markets(openflights):
    table = overlaps(market_footprints(openflights.routes))
    pair = table[(table["a"] == "AA") & (table["b"] == "US")].iloc[0]
    routes = openflights.routes
    aa = set(routes.loc[routes["org_id"] == "AA", "market"])
    us = set(routes.loc[routes["org_id"] == "US", "market"])
    assert pair["shared"] == len(aa & us) == 916
    assert pair["jaccard"] == pytest.approx(len(aa & us) / len(aa | us))
    # The American–US Airways merger shows: their overlap is the largest of any pair
    # of airlines with more than 100 markets.
    big = table[(table["size_a"] > 100) & (table["size_b"] > 100)]
    assert tuple(big.iloc[0][["a", "b"]]) == ("AA", "US")


def test_seat_weighted_segments():
    from graphkit import bundled
    from graphkit.loaders import load_source

    routes = load_source(bundled.bundled(bundled.SEGMENTS)).routes
    fp = market_footprints(routes, "seats")
    assert fp["weight"].sum() == pytest.approx(routes["seats"].sum())
    table = overlaps(fp, weighted=True, among=["LH", "LX"])
    seats = fp[fp["org_id"].isin(["LH", "LX"])].pivot_table(
        index="item", columns="org_id", values="weight", aggfunc="sum", fill_value=0)
    expected = seats.min(axis=1).sum() / seats.max(axis=1).sum()
    assert len(table) == 1
    assert table.iloc[0]["weighted_jaccard"] == pytest.approx(expected)
