"""Evolution over time, ego networks and rival comparison, with hand-computed answers."""

import networkx as nx
import pandas as pd
import pytest

from graphkit.errors import InputError
from graphkit.evolution import evolution_table, tie_changes, yearly_dates
from graphkit.loaders.deals import deals_from_frame
from graphkit.lookup import find_node
from graphkit.projection import partner_graph
from graphkit.rivals import compare, ego_network

DEALS = deals_from_frame(pd.DataFrame({
    "Deal Number": ["1", "1", "2", "2", "3", "3", "4", "4"],
    "Participants": ["A", "B", "B", "C", "C", "D", "A", "D"],
    "Date Announced": ["2000-06-01"] * 2 + ["2003-06-01"] * 2 + ["2006-06-01"] * 2
    + ["2009-06-01"] * 2,
}))


def test_evolution_table_windows():
    dates = yearly_dates(DEALS, 2002, 2010, step=4)
    assert [f"{d:%Y-%m-%d}" for d in dates] == ["2002-12-31", "2006-12-31", "2010-12-31"]
    table = evolution_table(DEALS, dates, window=5)
    # 2002: deal 1; 2006: deals 2, 3; 2010: deals 3, 4
    assert table["ties"].tolist() == [1, 2, 2]
    assert table["organisations"].tolist() == [2, 3, 3]
    assert table["density"].tolist() == pytest.approx([1.0, 2 / 3, 2 / 3])
    assert table["largest_component_share"].tolist() == [1.0, 1.0, 1.0]


def test_tie_changes():
    before = partner_graph(DEALS, as_of=pd.Timestamp("2006-12-31"), window=5)
    after = partner_graph(DEALS, as_of=pd.Timestamp("2010-12-31"), window=5)
    changes = tie_changes(before, after)
    got = {(c, *sorted((a, b))) for c, a, b in changes[["change", "a", "b"]].values}
    assert got == {("new", "a", "d"), ("lapsed", "b", "c")}


def test_yearly_dates_errors():
    with pytest.raises(InputError, match="before"):
        yearly_dates(DEALS, 2010, 2000)


def rivals_graph() -> nx.Graph:
    graph = nx.Graph()
    graph.add_edges_from([("R1", "s1"), ("R1", "s2"), ("R1", "x1"), ("R2", "s1"), ("R2", "s2"),
                          ("R2", "y1"), ("R2", "y2"), ("x1", "far")], weight=1.0)
    graph.add_edge("R1", "s1", weight=3.0)
    nx.set_node_attributes(graph, {n: n.upper() + " Inc" for n in graph}, "name")
    return graph


def test_compare_rivals():
    result = compare(rivals_graph(), "R1", "r2 inc")
    assert (result.a, result.b) == ("R1", "R2")
    assert result.shared == ["s1", "s2"]
    assert result.only_a == ["x1"] and result.only_b == ["y1", "y2"]
    assert result.measures["shared"] == 2
    assert result.measures["jaccard"] == pytest.approx(2 / 5)
    assert result.measures["overlap"] == pytest.approx(2 / 3)
    assert len(result.path) == 3 and result.path[1] in ("s1", "s2")
    assert result.weighted_path == ["R1", "s1", "R2"]  # the 3-deal tie is shorter
    assert result.measures["direct_tie"] is False


def test_ego_network():
    ego = ego_network(rivals_graph(), "R1", depth=2)
    assert set(ego.graph) == {"R1", "s1", "s2", "x1", "R2", "far"}
    assert ego.partners["id"].tolist()[0] == "s1"  # strongest tie first
    assert len(ego.partners) == 3


def test_unknown_organisation_suggests_close_names():
    with pytest.raises(InputError, match="did you mean R1 Inc"):
        find_node(rivals_graph(), "R1 Incc")


def test_a_name_s_first_word_finds_it_when_the_rest_is_generic():
    """'Nissan' is Nissan Motor Co., Ltd. (motor, industries, ... add nothing), 'Continental'
    Continental Airlines; 'Societe' is not Societe Generale, and a first word two names
    share is refused naming both."""
    import networkx as nx

    graph = nx.Graph()
    for node, name in (("n", "Nissan Motor Co., Ltd."), ("c", "Continental Airlines"),
                       ("s", "Societe Generale"), ("d1", "Delta Air Lines"),
                       ("d2", "Delta Industries")):
        graph.add_node(node, name=name)
    assert find_node(graph, "Nissan") == "n" and find_node(graph, "continental") == "c"
    with pytest.raises(InputError, match="no organisation 'Societe'"):
        find_node(graph, "Societe")
    with pytest.raises(InputError, match=r"'Delta' matches several organisations"):
        find_node(graph, "Delta")
