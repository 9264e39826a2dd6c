"""The command line: real runs on bundled data, and one clear line for each user error."""

import json

import networkx as nx
import pytest
from click.testing import CliRunner
from helpers import write

from graphkit import bundled
from graphkit.console.cli import main
from graphkit.loaders.graph_files import read_graph_file

LONG = ("Deal Number,Date Announced,Participants,Deal Type\n"
        "1,2001-01-01,Acme Inc,Joint Venture\n1,2001-01-01,Beta AG,Joint Venture\n"
        "2,2009-01-01,Acme Corp,Licensing\n2,2009-01-01,Gamma,Licensing\n")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_version_and_help_with_examples():
    assert run("--version").output.startswith("graphkit, version ")
    for command in ("load", "info", "demo"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "Example" in result.output


def test_load_and_info(tmp_path):
    src = write(tmp_path / "deals.csv", LONG)
    out = tmp_path / "g.json"
    result = run("load", src, "--as-of", "2010-01-01", "--window", "5", "--out", out)
    assert result.exit_code == 0, result.output
    assert "merged 1 names" in result.output
    assert "1 announced more than 5 years before the date" in result.output
    graph = read_graph_file(out)
    assert list(graph.edges) == [("acme", "gamma")]
    info = run("info", out, "--json")
    stats = json.loads(info.output)
    assert (stats["nodes"], stats["edges"], stats["components"]) == (2, 1, 1)
    assert stats["ties_by_type"] == {"Licensing": 1}
    text = run("info", out).output
    assert "density:     1.0000" in text and "time span:   2009–2009" in text


def test_load_airline_sources_to_gexf(tmp_path):
    out = tmp_path / "alliances.gexf"
    result = run("load", bundled.bundled(bundled.OPENFLIGHTS), bundled.bundled(bundled.MEMBERSHIP),
                 "--as-of", "2014-06-30", "--types", "alliance", "--out", out)
    assert result.exit_code == 0, result.output
    graph = read_graph_file(out)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (91, 1351)


def test_demo_writes_graph_table_map_report(tmp_path):
    result = run("demo", "--out", tmp_path / "demo")
    assert result.exit_code == 0, result.output
    files = {p.name for p in (tmp_path / "demo").iterdir()}
    assert files == {"alliance_network_2014.graphml", "organisations.csv",
                     "alliance_map_2014.html", "load_summary.txt", "report.md"}
    graph = nx.read_graphml(tmp_path / "demo" / "alliance_network_2014.graphml")
    assert graph.number_of_nodes() == 91
    assert graph.nodes["UA"]["alliance"] == "Star Alliance"
    assert graph.nodes["AA"]["routes"] == 2354  # AA's rows in routes.dat
    page = (tmp_path / "demo" / "alliance_map_2014.html").read_text(encoding="utf-8")
    assert page.count('"shape": "dot"') == 91
    for alliance in ("OneWorld", "Skyteam", "Star Alliance"):
        assert alliance in page
    report = (tmp_path / "demo" / "report.md").read_text(encoding="utf-8")
    assert "| Star Alliance | 28 |" in report


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["load", "{tmp}/nope.csv", "--out", "{tmp}/g.json"], "nope.csv: no such file"),
        (["load", "{tmp}/deals.csv", "--out", "{tmp}/g.txt"], "cannot tell the output format"),
        (["load", "{tmp}/deals.csv", "--as-of", "June", "--out", "{tmp}/g.json"],
         "--as-of: expected a date"),
        (["load", "{tmp}/deals.csv", "--as-of", "1990-01-01", "--out", "{tmp}/g.json"],
         "no ties left: no deal passes the filters"),
        (["load", "{tmp}/deals.csv", "--column", "bogus", "--out", "{tmp}/g.json"],
         "--column expects ROLE=COLUMN"),
        (["load", "{tmp}/deals.csv", "--column", "colour=x", "--out", "{tmp}/g.json"],
         "unknown column role"),
        (["load", "{tmp}/deals.csv", "--out", "{tmp}/missing-folder/g.json"],
         "does not exist"),
        (["info", "{tmp}/deals.csv"], "unknown graph format"),
        (["load", "{tmp}/deals.csv", "--aliases", "{tmp}/nope.csv", "--out", "{tmp}/g.json"],
         "no such file"),
    ],
)
def test_user_errors_are_one_line_and_nonzero(tmp_path, args, message):
    write(tmp_path / "deals.csv", LONG)
    result = CliRunner().invoke(main, [a.format(tmp=tmp_path) for a in args])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert lines[-1].startswith("error: ") and message in lines[-1]
    assert not (tmp_path / "g.json").exists()  # no partial output


def test_failed_write_leaves_previous_output_untouched(tmp_path):
    out = tmp_path / "g.json"
    out.write_text("previous", encoding="utf-8")
    write(tmp_path / "bad.csv", "Deal Number,Participants,Date Announced\n1,A,2001\n1,B,soon\n")
    result = run("load", tmp_path / "bad.csv", "--out", out)
    assert result.exit_code == 1
    assert out.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
