"""One input model: every graph command reads a graph file, SOURCES with the options of
`load`, or Neo4j, and a table gives what the graph file made from it gives."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from graphkit.console.cli import main

DEALS = Path(__file__).parent / "data" / "analyst_deals.csv"
FILTERS = ["--as-of", "2016-12-31", "--window", "5"]


def run(*args) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The analyst table's graph file, loaded with the same filters."""
    folder = tmp_path_factory.mktemp("model")
    run("load", DEALS, *FILTERS, "--out", folder / "g.graphml")
    return folder, folder / "g.graphml"


@pytest.mark.parametrize("command", [
    ["info"], ["info", "--json"], ["ego", "{src}", "Toyota"],
    ["compare", "{src}", "Toyota", "Mazda"], ["ego", "{src}", "Ford", "--depth", "2"],
])
def test_printing_commands_say_the_same_from_a_table_and_its_graph_file(made, command):
    _, graph = made

    def args(source, extra):
        if "{src}" in command:
            return [source if a == "{src}" else a for a in command] + extra
        return [*command, source, *extra]

    assert run(*args(DEALS, FILTERS)) == run(*args(graph, []))


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv"])
def test_export_writes_the_same_from_a_table_and_its_graph_file(made, fmt):
    folder, graph = made
    from_table, from_graph = folder / f"from_table.{fmt}", folder / f"from_graph.{fmt}"
    run("export", DEALS, *FILTERS, "--format", fmt, "--out", from_table)
    run("export", graph, "--format", fmt, "--out", from_graph)
    pairs = ([(from_table / n, from_graph / n) for n in ("nodes.csv", "edges.csv")]
             if fmt == "csv" else [(from_table, from_graph)])
    for a, b in pairs:
        assert a.read_bytes() == b.read_bytes(), a.name


def test_map_is_the_same_from_a_table_and_its_graph_file(made):
    folder, graph = made
    run("map", DEALS, *FILTERS, "--out", folder / "t.html")
    run("map", graph, "--out", folder / "g.html")
    assert (folder / "t.html").read_bytes() == (folder / "g.html").read_bytes()


def test_analyze_gives_the_same_tables_from_a_table_and_its_graph_file(made):
    """A table goes to the engine's indexed graph (the path for millions of ties), a graph
    file through NetworkX: equal tables, eigenvector up to float rounding."""
    folder, graph = made
    run("analyze", DEALS, *FILTERS, "--out", folder / "t")
    run("analyze", graph, "--out", folder / "g")
    for name in ("ecosystems.csv", "ecosystem_profiles.csv", "ecosystem_bridges.csv"):
        assert (folder / "t" / name).read_bytes() == (folder / "g" / name).read_bytes(), name
    t, g = (pd.read_csv(folder / side / "centrality.csv") for side in ("t", "g"))
    pd.testing.assert_frame_equal(t, g, check_exact=False, rtol=1e-12)
    assert (json.loads((folder / "t" / "summary.json").read_text())
            == json.loads((folder / "g" / "summary.json").read_text()))


def test_sources_take_every_load_option(tmp_path):
    """--column, --separator, --aliases work on every graph command as on `load`."""
    table = tmp_path / "odd.csv"
    table.write_text("Ref,Partners,When\n1,Acme / Beta,2001-01-01\n2,Beta Corp / Gamma,"
                     "2002-01-01\n", encoding="utf-8")
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("alias,canonical\nBeta Corp,Beta\n", encoding="utf-8")
    options = ["--column", "participant=Partners", "--column", "announced=When",
               "--separator", "/", "--aliases", aliases]
    info = json.loads(run("info", table, *options, "--json"))
    assert (info["organisations"], info["ties"]) == (3, 2)
    assert "Beta [beta]: 2 partners" in run("ego", table, *options, "Beta")


def test_a_graph_from_neo4j_takes_no_files():
    result = CliRunner().invoke(main, ["info", "g.graphml", "--from", "neo4j"])
    assert result.exit_code == 1
    assert "--from neo4j reads the graph from the server: drop the files" in result.stderr


def test_filters_on_a_graph_file_see_each_deals_own_type_and_status(tmp_path):
    """A tie whose deals differ in type kept no type per deal in its graph file, and no
    deal kept its status: `--types licensing`, `--status` and `--ended-undated drop`
    found deals in the table and none (or others) in the files made from it."""
    deals = tmp_path / "d.csv"
    deals.write_text("deal_id,date,participant,type,status\n"
                     "d1,2005-03-01,Alpha,joint venture,Completed\n"
                     "d1,2005-03-01,Beta,joint venture,Completed\n"
                     "d2,2015-07-01,Alpha,licensing,Terminated\n"
                     "d2,2015-07-01,Beta,licensing,Terminated\n"
                     "d3,2014-07-01,Beta,licensing,Completed\nd3,2014-07-01,Gamma,licensing,"
                     "Completed\n")
    run("load", deals, "--out", tmp_path / "g.graphml")
    run("export", tmp_path / "g.graphml", "--format", "csv", "--out", tmp_path / "t")
    for extra in (["--types", "licensing"], ["--as-of", "2016-01-01", "--window", "3"],
                  ["--status", "completed"], ["--as-of", "2016-01-01", "--ended-undated",
                                              "drop"]):
        from_table = run("info", deals, *extra)
        assert "licensing" in from_table, extra
        for made in ("g.graphml", "g.json", "t/edges.csv"):
            if made == "g.json":
                run("load", deals, "--out", tmp_path / made)
            assert run("info", tmp_path / made, *extra) == from_table, (made, extra)


@pytest.mark.parametrize("command", [
    ["overlap", "{src}", "--by", "partners"],
    ["evolve", "{src}", "--window", "5", "--start", "2010", "--end", "2016"],
    ["ego", "{src}", "Toyota"],
    ["compare", "{src}", "Toyota", "Mazda"],
    ["analyze", "{src}", "--measures", "degree,pagerank", "--out", "{tmp}"],
])
def test_table_commands_print_csv_and_json_with_the_same_fields(command, tmp_path):
    """--format csv and json print the whole result table on standard output (nothing
    else there: messages go to standard error), the same rows and fields either way."""
    def args(fmt):
        swap = {"{src}": DEALS, "{tmp}": tmp_path / fmt}
        return [swap.get(a, a) for a in command] + ["--format", fmt]

    runner = CliRunner()
    as_csv = runner.invoke(main, [str(a) for a in args("csv")])
    as_json = runner.invoke(main, [str(a) for a in args("json")])
    assert as_csv.exit_code == 0 and as_json.exit_code == 0, (as_csv.output, as_json.output)
    table = pd.read_csv(io.StringIO(as_csv.stdout))
    records = json.loads(as_json.stdout)
    assert len(table) == len(records) > 0
    assert list(table.columns) == list(records[0].keys())


def test_codeshares_print_their_pairs_as_csv():
    from graphkit import bundled

    result = CliRunner().invoke(main, ["codeshares", str(bundled.bundled(bundled.OPENFLIGHTS)),
                                       "--format", "csv"])
    assert result.exit_code == 0, result.output
    pairs = pd.read_csv(io.StringIO(result.stdout))
    assert {"a", "a_name", "b", "b_name", "routes", "q_value"} <= set(pairs.columns)
    assert "codeshare-flagged routes" in result.stderr and len(pairs) > 100
