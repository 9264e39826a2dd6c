"""Every centrality measure against NetworkX's own function and hand-computed answers."""

import random

import networkx as nx
import numpy as np
import pytest

from graphkit.centrality import centrality_table
from graphkit.errors import InputError


def weighted_graph() -> nx.Graph:
    """Les Misérables (weighted, 77 nodes) plus a separate pair: two components."""
    graph = nx.les_miserables_graph()
    graph.add_edge("X", "Y", weight=2)
    for _, _, d in graph.edges(data=True):
        d["length"] = 1.0 / d["weight"]
    return graph


@pytest.fixture(scope="module")
def graph():
    return weighted_graph()


@pytest.fixture(scope="module")
def table(graph):
    return centrality_table(graph).table.set_index("id")


def references(graph):
    main = graph.subgraph(max(nx.connected_components(graph), key=len))
    eigen = nx.eigenvector_centrality_numpy(main, weight="weight")
    eigen.update({"X": 2 ** -0.5, "Y": 2 ** -0.5})  # each component has its own vector
    return {
        "degree": dict(graph.degree()),
        "weighted_degree": dict(graph.degree(weight="weight")),
        "betweenness": nx.betweenness_centrality(graph, weight="length"),
        "closeness": nx.closeness_centrality(graph, distance="length"),
        "eigenvector": eigen,
        "pagerank": nx.pagerank(graph, weight="weight", tol=1e-13, max_iter=10_000),
        "clustering": nx.clustering(graph),
        "core_number": nx.core_number(graph),
        "constraint": nx.constraint(graph, weight="weight"),
        "effective_size": nx.effective_size(graph, nodes=list(graph), weight="weight"),
    }


@pytest.mark.parametrize("measure", list(references(weighted_graph())))
def test_equals_networkx(graph, table, measure):
    ref = references(graph)[measure]
    values = table[measure]
    assert max(abs(values[n] - ref[n]) for n in graph) < 1e-9


def test_pagerank_close_to_networkx_default_tolerance(graph, table):
    ref = nx.pagerank(graph, weight="weight")  # stops when the L1 change is below N * 1e-6
    assert sum(abs(table.loc[n, "pagerank"] - ref[n]) for n in graph) < len(graph) * 1e-5


def test_ranks(table):
    assert table["degree_rank"].min() == 1
    top = table.sort_values("degree_rank").index[0]
    assert top == "Valjean"  # 36 partners, the most
    # constraint ranks ascending: the least constrained is rank 1
    assert table["constraint_rank"].idxmin() == table["constraint"].idxmin()


def test_hand_computed_star_and_triangle():
    # Star with centre c and leaves 1-3, plus triangle c-1-2 closed by one edge 1-2.
    graph = nx.Graph([("c", "1"), ("c", "2"), ("c", "3"), ("1", "2")])
    t = centrality_table(graph).table.set_index("id")
    assert t.loc["c", "degree"] == 3
    # betweenness of c: pairs (1,3), (2,3) go through c; normalised by (n-1)(n-2)/2 = 3
    assert t.loc["c", "betweenness"] == pytest.approx(2 / 3)
    assert t.loc["3", "betweenness"] == 0
    assert t.loc["c", "clustering"] == pytest.approx(1 / 3)
    assert t.loc["c", "core_number"] == 2 and t.loc["3", "core_number"] == 1
    # closeness of c: distance 1 to all three
    assert t.loc["c", "closeness"] == pytest.approx(1.0)
    # effective size (Borgatti): n - 2t/n = 3 - 2*1/3
    assert t.loc["c", "effective_size"] == pytest.approx(3 - 2 / 3)


def test_deal_count_is_a_strength_and_its_inverse_a_length():
    # a-b backed by 4 deals, a-c-b by single deals: the strong tie is the short path.
    graph = nx.Graph()
    graph.add_edge("a", "b", weight=4.0)
    graph.add_edge("a", "c", weight=1.0)
    graph.add_edge("c", "b", weight=1.0)
    t = centrality_table(graph).table.set_index("id")
    assert t.loc["c", "betweenness"] == 0  # a-b: length 1/4 beats 1 + 1
    assert t.loc["a", "weighted_degree"] == 5


def test_sampled_betweenness_equals_networkx_with_same_pivots(graph):
    t = centrality_table(graph, ["betweenness"], pivots=20, seed=7,
                         exact_limit=10).table.set_index("id")
    ref = nx.betweenness_centrality(graph, k=20, seed=7, weight="length")
    assert max(abs(t.loc[n, "betweenness"] - ref[n]) for n in graph) < 1e-12


def test_sampled_betweenness_converges_to_exact():
    graph = nx.barabasi_albert_graph(400, 3, seed=1)
    exact = centrality_table(graph, ["betweenness"]).table.set_index("id")["betweenness"]
    errors = []
    for pivots in (25, 100, 399):
        sampled = centrality_table(graph, ["betweenness"], pivots=pivots, seed=3,
                                   exact_limit=10).table.set_index("id")["betweenness"]
        errors.append(float(np.abs(sampled - exact).max()))
    assert errors[0] > errors[1] > errors[2]
    assert errors[2] < 0.02 * exact.max()


def test_parallel_betweenness_and_closeness_equal_serial():
    from graphkit.centrality import betweenness, closeness
    from graphkit.engine import index_graph

    rng = random.Random(0)
    graph = nx.gnm_random_graph(300, 1500, seed=2)
    graph.add_edge(400, 401)  # a second component: closeness scales by reach
    for u, v in graph.edges():
        graph.edges[u, v]["weight"] = rng.randint(1, 4)
    ix = index_graph(graph)
    serial, _ = betweenness(ix, workers=1)
    serial_closeness = closeness(ix, workers=1)
    import graphkit.centrality as c

    limit, c.PARALLEL_WORK = c.PARALLEL_WORK, 0
    try:
        parallel, _ = betweenness(ix, workers=2)
        parallel_closeness = closeness(ix, workers=2)
    finally:
        c.PARALLEL_WORK = limit
    assert np.abs(serial - parallel).max() < 1e-12
    assert np.abs(serial_closeness - parallel_closeness).max() < 1e-12
    for u, v in graph.edges():
        graph.edges[u, v]["length"] = 1 / graph.edges[u, v]["weight"]
    expected = nx.closeness_centrality(graph, distance="length")
    for i, node in enumerate(ix.nodes):
        assert parallel_closeness[i] == pytest.approx(expected[node], rel=1e-12)


def test_unknown_measure():
    with pytest.raises(InputError, match="unknown measure"):
        centrality_table(nx.path_graph(3), ["fame"])


def test_real_codeshare_network_equals_networkx(airline_data):
    """Every measure on the network inferred from the bundled OpenFlights routes."""
    from graphkit.codeshares import codeshare_graph, infer_codeshares

    graph = codeshare_graph(airline_data, infer_codeshares(airline_data.routes))
    graph = graph.subgraph(max(nx.connected_components(graph), key=len)).copy()
    for _, _, d in graph.edges(data=True):
        d["length"] = 1.0 / d["weight"]
    table = centrality_table(graph).table.set_index("id")
    refs = references(graph)
    refs["eigenvector"] = nx.eigenvector_centrality_numpy(graph, weight="weight")
    for measure, ref in refs.items():
        assert max(abs(table.loc[n, measure] - ref[n]) for n in graph) < 1e-9, measure
    # the top broker of the inferred network (Delta: SkyTeam plus Virgin Atlantic, Alaska)
    assert table["betweenness"].idxmax() == "DL"


def test_betweenness_of_heavy_ties_equals_networkx(graph):
    """Ties weighing up to 10^15 (deal sizes) have lengths below igraph's comparison
    tolerance (1e-10); shortest paths are the same under a common scale, so betweenness
    is computed on scaled lengths and still equals NetworkX's on the raw ones."""
    heavy = graph.copy()
    for _, _, d in heavy.edges(data=True):
        d["weight"] = d["weight"] * 1e14
        d["length"] = 1.0 / d["weight"]
    ours = centrality_table(heavy, ["betweenness"]).table.set_index("id")["betweenness"]
    reference = nx.betweenness_centrality(heavy, weight="length")
    assert np.allclose([ours[n] for n in heavy], [reference[n] for n in heavy], atol=1e-12)
    assert np.allclose(ours, centrality_table(graph, ["betweenness"]).table
                       .set_index("id")["betweenness"].reindex(ours.index))
