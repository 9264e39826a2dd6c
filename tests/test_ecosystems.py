"""Ecosystems: modularity as NetworkX computes it, planted blocs recovered, agreement."""

import networkx as nx
import pandas as pd
import pytest

from graphkit.ecosystems import (
    agreement,
    bridges,
    compare_with_blocs,
    detect,
    profiles,
    stability,
)
from graphkit.errors import InputError


def planted() -> nx.Graph:
    """Three 6-cliques joined in a ring by single ties: the blocs are unambiguous."""
    graph = nx.Graph()
    for b in range(3):
        members = [f"{b}{i}" for i in range(6)]
        graph.add_edges_from((u, v, {"weight": 2.0}) for i, u in enumerate(members)
                             for v in members[i + 1:])
    graph.add_edges_from([("00", "10", {"weight": 1.0}), ("11", "20", {"weight": 1.0}),
                          ("21", "01", {"weight": 1.0})])
    return graph


@pytest.mark.parametrize("algorithm", ["louvain", "leiden", "labelprop"])
def test_modularity_equals_networkx(algorithm):
    graph = nx.les_miserables_graph()
    part = detect(graph, algorithm, seed=1)
    communities = [set(g.index) for _, g in part.membership.groupby(part.membership)]
    assert part.modularity == pytest.approx(
        nx.community.modularity(graph, communities, weight="weight"), abs=1e-9)


@pytest.mark.parametrize("algorithm", ["louvain", "leiden", "labelprop"])
def test_planted_blocs_are_recovered(algorithm):
    graph = planted()
    part = detect(graph, algorithm, seed=0)
    truth = pd.Series({n: n[0] for n in graph})
    assert agreement(part.membership, truth) == {"nmi": pytest.approx(1.0),
                                                 "ari": pytest.approx(1.0), "organisations": 18}


def test_louvain_as_good_as_networkx():
    graph = nx.les_miserables_graph()
    ours = max(detect(graph, "louvain", seed=s).modularity for s in range(5))
    theirs = max(nx.community.modularity(
        graph, nx.community.louvain_communities(graph, weight="weight", seed=s),
        weight="weight") for s in range(5))
    assert ours >= theirs - 0.01


def test_seeded_runs_repeat():
    graph = nx.les_miserables_graph()
    a = detect(graph, "louvain", seed=3).membership
    b = detect(graph, "louvain", seed=3).membership
    assert (a == b).all()


def test_resolution_gives_more_ecosystems():
    graph = nx.les_miserables_graph()
    assert detect(graph, "leiden", resolution=2.0).count > detect(graph, "leiden").count


def test_stability_on_planted_blocs():
    result = stability(planted(), seeds=4)
    assert result.mean_nmi == pytest.approx(1.0)
    assert (result.per_organisation == 1.0).all()


def test_compare_with_blocs_contingency():
    graph = planted()
    part = detect(graph, seed=0)
    known = pd.Series({n: "A" if n[0] == "0" else "B" for n in graph})
    known["elsewhere"] = "A"  # not in the graph: ignored
    result = compare_with_blocs(part, known)
    assert result.organisations == 18 and result.ungrouped == 0
    assert result.contingency.loc["A"].sort_values().tolist() == [0, 0, 6]
    assert result.contingency.loc["B"].sort_values().tolist() == [0, 6, 6]
    assert 0 < result.nmi < 1


def test_profiles_and_bridges():
    graph = planted()
    part = detect(graph, seed=0)
    strength = pd.Series(dict(graph.degree(weight="weight")))
    prof = profiles(graph, part, strength).set_index("ecosystem")
    assert (prof["size"] == 6).all()
    assert (prof["internal_density"] == 1.0).all()
    assert (prof["internal_ties"] == 15).all()
    # each ecosystem has 2 crossing ties out of 17 touching it
    assert prof["crossing_share"].tolist() == pytest.approx([2 / 17] * 3)
    eco = part.membership
    assert prof.loc[eco["00"], "hub"] in {"00", "01"}  # the two with a crossing tie
    br = bridges(graph, part)
    pair = br[(br["ecosystem_a"] == min(eco["00"], eco["10"]))
              & (br["ecosystem_b"] == max(eco["00"], eco["10"]))]
    assert set(pair["id"]) == {"00", "10"}


def test_bad_options():
    with pytest.raises(InputError, match="unknown community algorithm"):
        detect(planted(), "kmeans")
    with pytest.raises(InputError, match="resolution must be positive"):
        detect(planted(), resolution=0)


def test_nmi_and_ari_equal_scikit_learn_on_unequal_partitions():
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from graphkit.ecosystems import agreement

    a = pd.Series([0, 0, 0, 1, 1, 1, 2, 2, 2, 2], index=list("abcdefghij"))
    b = pd.Series(["x", "x", "y", "y", "y", "z", "z", "z", "x", "w"], index=list("abcdefghij"))
    scores = agreement(a, b)
    assert 0.2 < scores["nmi"] < 0.9  # unequal partitions: neither 0 nor 1
    assert scores["nmi"] == pytest.approx(normalized_mutual_info_score(a, b), abs=1e-12)
    assert scores["ari"] == pytest.approx(adjusted_rand_score(a, b), abs=1e-12)
    assert scores["nmi"] != pytest.approx(scores["ari"])  # the two are not interchangeable


def test_nmi_and_ari_equal_scikit_learn_in_the_limit_cases():
    """One group on both sides, or singletons on both: igraph's ARI is 0/0 (nan) there;
    scikit-learn calls these perfect matches. One group against several is 0."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from graphkit.ecosystems import agreement

    index = list("abcd")
    for a, b in (([0, 0, 0, 0], ["x"] * 4), ([0, 1, 2, 3], list("wxyz")),
                 ([0, 0, 0, 0], list("wxyz")), ([0, 0, 1, 1], ["x"] * 4)):
        scores = agreement(pd.Series(a, index=index), pd.Series(b, index=index))
        assert scores["ari"] == pytest.approx(adjusted_rand_score(a, b), abs=1e-12), (a, b)
        assert scores["nmi"] == pytest.approx(normalized_mutual_info_score(a, b), abs=1e-12)


def test_a_hand_written_partition_names_organisations_and_numbers_freely(tmp_path):
    """An analyst's own grouping: organisations by name in any case, ecosystems numbered
    1 and 7 (not 0..k-1); the profiles are those of the planted blocs."""
    from graphkit.ecosystems import find_ecosystems

    graph = nx.Graph()
    graph.add_edges_from([("acme", "beta"), ("beta", "gamma"), ("gamma", "delta")],
                         weight=1.0)
    for node in graph:
        graph.nodes[node]["name"] = node.capitalize()
    path = tmp_path / "mine.csv"
    path.write_text("organisation,ecosystem\nAcme,1\nBETA,1\ngamma,7\nDelta,7\n")
    found = find_ecosystems(graph, partition_file=path)
    assert found.partition.membership.to_dict() == {"acme": 1, "beta": 1, "gamma": 7,
                                                    "delta": 7}
    table = profiles(graph, found.partition, pd.Series(1.0, index=list(graph)))
    assert table.set_index("ecosystem")[["size", "internal_ties", "crossing_ties"]].to_dict(
        "index") == {1: {"size": 2, "internal_ties": 1, "crossing_ties": 1},
                     7: {"size": 2, "internal_ties": 1, "crossing_ties": 1}}
    path.write_text("organisation,ecosystem\nAcme,1\nacme,2\nBeta,1\nGamma,2\nDelta,2\n")
    with pytest.raises(InputError, match="Acme is listed in two ecosystems"):
        find_ecosystems(graph, partition_file=path)
