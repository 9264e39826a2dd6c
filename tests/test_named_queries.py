"""Named queries, NetworkX backend, against known answers on the bundled data."""

import pandas as pd
import pytest

from graphkit.errors import InputError
from graphkit.loaders.deals import deals_from_frame
from graphkit.queries.library import QUERIES, parse_params, run

T = pd.Timestamp


def q(name, data, **params):
    return run(name, parse_params(QUERIES[name], {k: str(v) for k, v in params.items()}),
               data=data)


def test_every_query_has_a_cypher_file():
    for query in QUERIES.values():
        assert query.cypher.text
        assert {p.name for p in query.params} - {"years", "limit"} <= \
            set(query.cypher.parameters) | {"as_of"}


def test_partners_of_continental(membership):
    rows = q("partners", membership, org="CO").set_index("id")
    assert rows.loc["DL", "deals"] == 1 and rows.loc["DL", "first_year"] == 2004
    assert rows.loc["UA", "first_year"] == 2009  # CO joined Star Alliance in October 2009
    assert "AA" not in rows.index


def test_group_members(membership):
    rows = q("group_members", membership, group="Star Alliance", as_of="2014-06-30")
    assert len(rows) == 28
    co = q("group_members", membership, group="Skyteam", as_of="2008-06-30").set_index("id")
    assert co.loc["CO", "start"] == "2004-09-13" and co.loc["CO", "end"] == "2009-10-24"


def test_new_partners(membership):
    rows = q("new_partners", membership, org="CO", since="2009-01-01").set_index("id")
    assert rows.loc["UA", "first_deal"] == "2009-10-27"
    assert "DL" not in rows.index  # a SkyTeam partner since 2004


def test_shared_partners_and_paths(membership):
    shared = q("shared_partners", membership, a="LH", b="UA").set_index("id")
    assert shared.loc["AC", "deals_with_a"] == 1 and shared.loc["AC", "deals_with_b"] == 1
    assert q("shortest_paths", membership, a="LH", b="UA")["path"].tolist() == [["LH", "UA"]]
    # Lufthansa never shared an alliance with American: the paths go through airlines that
    # changed alliance (US Airways, TAM/LATAM Brasil) or were in both over time.
    paths = q("shortest_paths", membership, a="LH", b="AA")
    assert set(paths["ties"]) == {2}
    assert {p[1] for p in paths["path"]} >= {"US", "JJ"}


def test_ecosystem(membership):
    one = q("ecosystem", membership, org="LH", hops=1)
    assert set(one["hops"]) == {1}
    assert len(one) == len(q("partners", membership, org="LH"))
    two = q("ecosystem", membership, org="LH", hops=2)
    assert set(two["hops"]) == {1, 2} and "AA" in set(two["id"])
    with pytest.raises(InputError, match="hops must be 1 to 15"):
        q("ecosystem", membership, org="LH", hops=16)


def test_market_overlap(openflights):
    row = q("market_overlap", openflights, a="AA", b="US").iloc[0]
    assert (row["shared"], row["a_markets"], row["b_markets"]) == (916, 1191, 1005)
    assert row["jaccard"] == pytest.approx(916 / (1191 + 1005 - 916))


BROKERS = deals_from_frame(pd.DataFrame({
    "Deal Number": ["1", "1", "2", "2", "3", "3", "4", "4", "5", "5", "6", "6", "7", "7"],
    "Participants": ["A1", "A2", "A2", "A3", "A1", "A3", "A1", "X", "X", "B1", "B1", "B2",
                     "B2", "B3"],
    "Date Announced": ["2010-01-01"] * 12 + ["1990-01-01"] * 2,
}))


def test_top_brokers_in_a_window():
    rows = q("top_brokers", BROKERS, as_of="2012-01-01", years=5, limit=3)
    # Ids are normalised names. The triangle a1-a2-a3 reaches b1-b2 only through a1 - x - b1;
    # b3's tie is from 1990, outside the window. x and a1 each lie on 6 of the 10 pairs
    # (6 nodes): (a2|a3) x (x|b1|b2) for a1, (a1|a2|a3) x (b1|b2) for x; b1 on 4.
    assert rows["id"].tolist() == ["a1", "x", "b1"]
    assert rows["rank"].tolist() == [1, 1, 3]
    assert rows["betweenness"].tolist() == pytest.approx([0.6, 0.6, 0.4])


def test_rival_bridges():
    rows = q("rival_bridges", BROKERS, a="a1", b="b1", as_of="2012-01-01", years=5)
    assert rows["id"].tolist() == ["x"]
    assert rows.iloc[0][["deals_with_a", "deals_with_b"]].tolist() == [1, 1]


def test_parameter_errors():
    query = QUERIES["partners"]
    with pytest.raises(InputError, match="needs --param org"):
        parse_params(query, {})
    with pytest.raises(InputError, match="has no parameter 'who'"):
        parse_params(query, {"org": "x", "who": "y"})
    with pytest.raises(InputError, match="expected date"):
        parse_params(QUERIES["new_partners"], {"org": "x", "since": "soon"})
