"""The public API (`import graphkit as gk`): its examples run, and it reproduces the demo's
headline figures, the same numbers the CLI prints (README, report.md)."""

from __future__ import annotations

import doctest
import pydoc

import pytest

import graphkit as gk


def test_every_verb_has_a_running_example_or_summary():
    import graphkit.api

    failures, tried = doctest.testmod(graphkit.api, optionflags=doctest.ELLIPSIS)
    assert failures == 0 and tried >= 10
    for name in gk.__all__:  # every verb shows how it is called, and the example runs
        assert ">>>" in (getattr(gk, name).__doc__ or "") or name == "PartnerData", name


def test_help_lists_the_verbs():
    text = pydoc.render_doc(gk, renderer=pydoc.plaintext)
    for name in gk.__all__:
        assert f"{name}(" in text, name


@pytest.fixture(scope="module")
def codeshares():
    return gk.codeshare_graph(gk.read(*gk.bundled_data()), as_of="2014-06-30")


def test_the_demo_headlines_through_the_public_api(codeshares):
    """193 partnerships pass; Delta Air Lines brokers most (betweenness 0.373); NMI with
    the alliances 0.347 and adjusted Rand 0.153 on 63 members and affiliates (report.md)."""
    assert codeshares.number_of_edges() == 193
    table = gk.measure_centrality(codeshares, ["betweenness"])
    assert table.index[0] == "DL" and table["name"].iloc[0] == "Delta Air Lines"
    assert round(table["betweenness"].iloc[0], 3) == 0.373
    result = gk.analyze_graph(codeshares, known_groups="alliance", seeds=5)
    assert (round(result.blocs.nmi, 3), round(result.blocs.ari, 3)) == (0.347, 0.153)
    assert result.blocs.organisations == 63


def test_dates_and_organisations_in_any_form(codeshares):
    import datetime

    data = gk.read(*gk.bundled_data("optd/optd_airline_alliance_membership.csv"))
    sizes = {gk.partner_graph(data, as_of=when).number_of_edges()
             for when in ("2014-06-30", datetime.date(2014, 6, 30),
                          datetime.datetime(2014, 6, 30, 12), __import__("pandas")
                          .Timestamp("2014-06-30"))}
    assert len(sizes) == 1
    by_name = gk.compare(codeshares, "lufthansa", "United Airlines")
    by_id = gk.compare(codeshares, "LH", "UA")
    assert (by_name.a, by_name.b, by_name.measures) == (by_id.a, by_id.b, by_id.measures)


def test_the_public_surface_type_checks():
    """mypy runs clean on the public modules ([tool.mypy] in pyproject.toml), and the
    package says it is typed (py.typed), so users' type checkers read its hints."""
    import subprocess
    import sys
    from pathlib import Path

    import graphkit

    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental"], cwd=root,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (Path(graphkit.__file__).parent / "py.typed").exists()


def test_results_show_themselves_in_terminals_and_notebooks():
    """Result objects read as a few facts (repr) and, in a notebook, the same facts with
    their main table (`_repr_html_`); names are escaped, never markup. Tables are indexed
    by organisation id."""
    import networkx as nx

    import graphkit as gk

    graph = nx.Graph()
    graph.add_edges_from([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e")])
    nx.set_node_attributes(graph, {"a": "<b>Acme</b>", "b": "Beta", "c": "Gamma",
                                   "d": "Delta", "e": "Eps"}, "name")
    result = gk.analyze_graph(graph, seeds=2)
    assert result.organisations.index.name == "id"
    assert result.organisations.loc["c", "name"] == "Gamma"
    assert {"ecosystem_label", "degree", "degree_rank"} <= set(result.organisations.columns)
    assert repr(result).startswith("Analysis of 5 organisations: ")
    page = result._repr_html_()
    assert "<table" in page and "&lt;b&gt;Acme&lt;/b&gt;" in page and "<b>Acme" not in page
    ego = gk.ego(graph, "Gamma")
    assert repr(ego).startswith("Ego network of Gamma [c]\n  3 partners; up to 1 tie away")
    assert "<table" in ego._repr_html_()
    rivals = gk.compare(graph, "a", "Delta")
    assert "shared partners: 1 (of their partners: Jaccard 0.333" in repr(rivals)
    assert "&lt;b&gt;Acme&lt;/b&gt; [a] vs Delta [d]" in rivals._repr_html_()
    found = gk.find_ecosystems(graph, seeds=2)
    assert repr(found).splitlines()[0].startswith(f"{found.partition.count} ecosystems (")
    assert list(found.table.columns) == ["label", "hub", "organisations"]
