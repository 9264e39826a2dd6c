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
    with pytest.raises(InputError, match="--param since: expected a date like 2014-06-30"):
        parse_params(QUERIES["new_partners"], {"org": "x", "since": "soon"})


# The same question from a table and from the graph file made from it gives the same
# rows (years, counts, weights), for every query a graph file can answer.
SAME_ROWS = [
    ("partners", {"org": "Toyota"}),
    ("shared_partners", {"a": "renault", "b": "Nissan"}),
    ("shortest_paths", {"a": "BMW", "b": "Ford"}),
    ("ecosystem", {"org": "hyundai", "hops": 2}),
    ("top_brokers", {"as_of": "2019-12-31", "years": 5, "limit": 5}),
    ("new_partners", {"org": "Toyota", "since": "2018-01-01"}),
    ("rival_bridges", {"a": "Renault", "b": "nissan", "as_of": "2022-12-31", "years": 10}),
]


@pytest.fixture(scope="module")
def table_and_graph_file(tmp_path_factory):
    from pathlib import Path

    from graphkit.graph_io import write_graph
    from graphkit.loaders import load_sources
    from graphkit.projection import partner_graph

    table = Path(__file__).parent / "data" / "analyst_deals.csv"
    data = load_sources([table], separator=";|,")
    path = tmp_path_factory.mktemp("rt") / "deals.graphml"
    write_graph(partner_graph(data), path)
    return data, load_sources([path])


@pytest.mark.parametrize(("name", "params"), SAME_ROWS)
def test_table_and_graph_file_give_the_same_rows(table_and_graph_file, name, params):
    from_table, from_file = table_and_graph_file
    a, b = q(name, from_table, **params), q(name, from_file, **params)
    assert len(a) > 0
    pd.testing.assert_frame_equal(a, b)


def test_partners_years_span_all_deals(table_and_graph_file):
    for data in table_and_graph_file:
        rows = q("partners", data, org="Toyota").set_index("id")
        # Toyota-Suzuki: A-06 (--/--/2016), A-24 (2019-04), A-25 (08/28/2019)
        assert rows.loc["suzuki", ["deals", "first_year", "last_year"]].tolist() == [
            3, 2016, 2019]


def test_organisations_by_name_and_groups_in_any_case(membership):
    by_id = q("partners", membership, org="LH")
    pd.testing.assert_frame_equal(q("partners", membership, org="lufthansa"), by_id)
    rows = q("group_members", membership, group="star alliance", as_of="2014-06-30")
    assert len(rows) == 28


def test_unknown_names_are_errors_with_suggestions(membership):
    with pytest.raises(InputError, match=r"no organisation 'Lufthansaa'.*did you mean "
                                         r"Lufthansa \[LH\]"):
        q("partners", membership, org="Lufthansaa")
    with pytest.raises(InputError, match="no group 'Star'; the groups are 'OneWorld', "
                                         "'Skyteam', 'Star Alliance'"):
        q("group_members", membership, group="Star", as_of="2014-06-30")


def test_queries_that_need_groups_or_routes_say_so(table_and_graph_file):
    _, from_file = table_and_graph_file
    with pytest.raises(InputError, match="needs alliance membership"):
        q("group_members", from_file, group="x", as_of="2014-06-30")
    with pytest.raises(InputError, match="needs routes"):
        q("market_overlap", from_file, a="toyota", b="ford")
