"""Deals are deal records; deal-ties add each tie's deal count. Hand-computed: one
three-party deal (A, B, C) and one two-party deal (A, B) give 3 ties, 2 deals and 4
deal-ties; A is party to 2 deals with 3 deal-ties."""

import networkx as nx
import pandas as pd

from graphkit.counts import deal_count, deal_ties, deals_per_organisation
from graphkit.info import graph_info, info_lines
from graphkit.loaders.deals import deals_from_frame
from graphkit.projection import partner_graph

FRAME = pd.DataFrame({"Deal Number": ["1", "1", "1", "2", "2"],
                      "Participants": ["A", "B", "C", "A", "B"],
                      "Date Announced": ["2010-01-01"] * 3 + ["2012-05-05"] * 2})


def test_deals_differ_from_ties_and_deal_ties():
    graph = partner_graph(deals_from_frame(FRAME))
    assert graph.number_of_edges() == 3
    assert deal_count(graph) == 2
    assert deal_ties(graph) == 4
    assert deals_per_organisation(graph) == {"a": 2, "b": 2, "c": 1}
    assert deal_ties(graph, "a") == 3 and deal_ties(graph, "c") == 2
    info = graph_info(graph)
    assert (info["ties"], info["deals"], info["deal_ties"]) == (3, 2, 4)
    lines = "\n".join(info_lines(info))
    assert "deals:         2" in lines and "deal-ties:     4" in lines
    assert "A [a]: 2 partners, 2 deals, 3 deal-ties" in lines


def test_deals_are_unknown_when_ties_do_not_list_them():
    graph = nx.Graph()
    graph.add_edge("x", "y", deals=3, weight=3.0)  # a graph file from another tool
    info = graph_info(graph)
    assert info["deals"] is None and info["deal_ties"] == 3
    assert "deals:         unknown" in "\n".join(info_lines(info))
    assert info["top_by_partners"][0]["deals"] is None
