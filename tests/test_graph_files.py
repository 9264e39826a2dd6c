"""Graph files and edge lists: round trips and loading into the model."""

import networkx as nx
import pytest
from helpers import write

from graphkit.errors import InputError
from graphkit.graph_io import write_graph
from graphkit.loaders import load_source
from graphkit.loaders.graph_files import read_graph_file
from graphkit.projection import partner_graph


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".json"])
def test_round_trip_keeps_lists_and_unicode(tmp_path, membership, suffix):
    graph = partner_graph(membership)
    path = tmp_path / f"g{suffix}"
    write_graph(graph, path)
    back = read_graph_file(path)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    assert sorted(back.edges["LH", "UA"]["deal_ids"]) == sorted(graph.edges["LH", "UA"]["deal_ids"])
    assert back.edges["LH", "UA"]["types"] == ["alliance"]
    assert back.nodes["AR"]["name"] == "Aerolíneas Argentinas"


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_graph_file_as_source(tmp_path, suffix):
    graph = nx.Graph()
    graph.add_edge("x", "y", weight=3.0, types="codeshare")  # GEXF reserves "type"
    graph.add_edge("y", "z")
    graph.add_node("lonely")
    path = tmp_path / f"g{suffix}"
    write_graph(graph, path)
    data = load_source(path)
    projected = partner_graph(data)
    assert projected.edges["x", "y"]["weight"] == 3.0
    assert projected.edges["x", "y"]["types"] == ["codeshare"]
    assert projected.edges["y", "z"]["weight"] == 1.0
    # A node without edges is an organisation lookups and queries find (as `ego` on the
    # file does), with no partners; the partner graph holds organisations with ties.
    assert "lonely" in data.organizations.index and "lonely" not in projected
    assert any(n.startswith("1 node without edges (e.g. lonely)")
               for n in data.summaries[0].notes)


def test_broken_graph_file(tmp_path):
    with pytest.raises(InputError, match="not a readable graphml graph"):
        read_graph_file(write(tmp_path / "g.graphml", "<graphml><node"))


def test_edge_list(tmp_path):
    text = ("source,target,weight,date,type\n"
            "Acme,Beta,2,2001,licensing\nBeta,Acme,1,2003,licensing\n"
            "Acme,Acme,1,2001,x\nGamma,,1,2001,x\n")
    data = load_source(write(tmp_path / "e.csv", text))
    graph = partner_graph(data)
    assert list(graph.edges) == [("acme", "beta")]
    assert graph.edges["acme", "beta"]["weight"] == 3.0
    assert graph.edges["acme", "beta"]["deals"] == 2
    assert (graph.edges["acme", "beta"]["first_year"], graph.edges["acme", "beta"]["last_year"]) \
        == (2001, 2003)
    dropped = data.summaries[0].dropped
    # each dropped row counted once, for the reason its tie failed (rows 4 and 5)
    assert dropped["row whose tie has no partner: both ends are one organisation"].count == 1
    assert dropped["row whose tie has no partner: an end is blank"].count == 1
    assert dropped["row whose tie has no partner: an end is blank"].examples == ["row 5"]
    assert sum(d.count for d in dropped.values()) == 2


def test_edge_list_bad_weight(tmp_path):
    path = write(tmp_path / "e.csv", "source,target,weight\nA,B,heavy\n")
    with pytest.raises(InputError,
                       match="row 2, column 'weight': expected a number from 0\\.000000001 to"):
        load_source(path)


@pytest.mark.parametrize(("first", "second"), [("partner_a", "partner_b"),
                                               ("Company 1", "Company 2"),
                                               ("Party A", "Party B"), ("Airline 1", "Airline 2")])
def test_pair_tables_are_edge_lists(tmp_path, first, second):
    """Analysts name a pair table's ends in many ways; each is read as source and target."""
    text = f"deal_id,{first},{second},date\n1,Acme,Beta,2020-01-01\n2,Beta,Gamma,2021-03-01\n"
    data = load_source(write(tmp_path / "pairs.csv", text))
    assert sorted(partner_graph(data).edges) == [("acme", "beta"), ("beta", "gamma")]
    assert f"source = '{first}', target = '{second}'" in "\n".join(data.summaries[0].lines())
