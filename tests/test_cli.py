"""The command line: real runs on bundled data, and one clear line for each user error."""

import json

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner
from helpers import map_payload, write

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
    for command in ("load", "info", "demo", "analyze", "overlap", "codeshares", "evolve", "ego",
                    "compare"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "Example" in result.output


def test_load_and_info(tmp_path):
    src = write(tmp_path / "deals.csv", LONG)
    out = tmp_path / "g.json"
    result = run("load", src, "--as-of", "2010-01-01", "--window", "5", "--out", out)
    assert result.exit_code == 0, result.output
    assert "merged the names of 1 organisation:" in result.output
    assert "1 announced more than 5 years before the date" in result.output
    graph = read_graph_file(out)
    assert list(graph.edges) == [("acme", "gamma")]
    info = run("info", out, "--json")
    stats = json.loads(info.output)
    assert (stats["organisations"], stats["ties"], stats["components"]) == (2, 1, 1)
    assert (stats["deals"], stats["deal_ties"]) == (1, 1)
    assert stats["ties_by_type"] == {"Licensing": 1}
    text = run("info", out).output
    assert "density:       1.0000" in text and "time span:     2009–2009" in text


def test_load_airline_sources_to_gexf(tmp_path):
    out = tmp_path / "alliances.gexf"
    result = run("load", bundled.bundled(bundled.OPENFLIGHTS), bundled.bundled(bundled.MEMBERSHIP),
                 "--as-of", "2014-06-30", "--types", "alliance", "--out", out)
    assert result.exit_code == 0, result.output
    graph = read_graph_file(out)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (91, 1351)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "demo"
    result = run("demo", "--out", out)
    assert result.exit_code == 0, result.output
    return out


def test_demo_writes_graphs_tables_maps_report(demo_dir):
    files = {p.name for p in demo_dir.iterdir()}
    assert files == {"alliance_network_2014.graphml", "codeshare_network_2014.graphml",
                     "organisations.csv", "codeshare_pairs.csv", "market_overlaps.csv",
                     "analysis", "alliance_map_2014.html", "codeshare_map_2014.html",
                     "codeshare_map_2014.png",
                     "load_summary.txt", "findings.json", "report.md", "report.html",
                     "alliance_evolution.csv"}
    graph = nx.read_graphml(demo_dir / "alliance_network_2014.graphml")
    assert graph.number_of_nodes() == 91
    assert graph.nodes["UA"]["alliance"] == "Star Alliance"
    assert graph.nodes["AA"]["routes"] == 2354  # AA's rows in routes.dat
    payload = map_payload(demo_dir / "alliance_map_2014.html")
    assert len(payload["nodes"]) == 91 and len(payload["edges"]) == 1351
    assert [g["group"] for g in payload["legend"]] == ["OneWorld", "Skyteam", "Star Alliance"]
    report = (demo_dir / "report.md").read_text(encoding="utf-8")
    # members and affiliates apart (awk over the membership file on 2014-06-30):
    # OneWorld 15 + 20, SkyTeam 20 + 8, Star Alliance 26 + 2
    assert "| alliance | members | affiliates | total |" in report
    assert "| OneWorld | 15 | 20 | 35 |" in report
    assert "| Star Alliance | 26 | 2 | 28 |" in report


def test_demo_alliance_growth_counts_members_in_force(demo_dir):
    """alliance_evolution.csv against a count straight from the membership file: the
    airlines in force at each year end (from_date on or before, to_date empty or after)
    and, one alliance at a time, every pair of its airlines as a tie."""
    members = pd.read_csv(bundled.bundled(bundled.MEMBERSHIP), sep="^", dtype=str)
    start, end = pd.to_datetime(members["from_date"]), pd.to_datetime(members["to_date"])
    growth = pd.read_csv(demo_dir / "alliance_evolution.csv")
    assert list(growth["date"]) == [f"{y}-12-31" for y in range(1997, 2018, 2)]
    for row in growth.itertuples():
        day = pd.Timestamp(row.date)
        live = members[(start <= day) & (end.isna() | (end > day))]
        sizes = live.groupby("alliance_name")["airline_iata_code_2c"].nunique()
        assert row.organisations == live["airline_iata_code_2c"].nunique()
        assert row.ties == int((sizes * (sizes - 1) // 2).sum())
        assert row.density == pytest.approx(row.ties / (row.organisations
                                                        * (row.organisations - 1) / 2))


def test_demo_findings(demo_dir):
    findings = json.loads((demo_dir / "findings.json").read_text(encoding="utf-8"))
    assert findings["alliances"] == {
        "OneWorld": {"members": 15, "affiliates": 20, "total": 35},
        "Skyteam": {"members": 20, "affiliates": 8, "total": 28},
        "Star Alliance": {"members": 26, "affiliates": 2, "total": 28}}
    cs = findings["codeshares"]
    assert cs["flagged_routes"] == 14589 and cs["pairs"] == 193
    assert cs["controls"]["negative_partners"] == {"FR": 0, "U2": 0, "W6": 0, "NK": 0}
    check = cs["alliance_check"]
    assert check["same_alliance_share"] > 2 * check["expected_degree_preserving"]
    overlap = findings["market_overlap"]
    assert overlap["mean_jaccard_same_alliance"] > overlap["mean_jaccard_different_alliances"]
    summary = json.loads((demo_dir / "analysis" / "summary.json").read_text(encoding="utf-8"))
    assert 0 < summary["known_blocs"]["nmi"] < 1
    assert summary["stability"]["seeds"] == 5
    codeshares = nx.read_graphml(demo_dir / "codeshare_network_2014.graphml")
    assert codeshares.number_of_edges() == 193


def test_analyze_command(tmp_path, demo_dir):
    out = tmp_path / "an"
    result = run("analyze", demo_dir / "alliance_network_2014.graphml", "--measures",
                 "degree,betweenness", "--known-groups", bundled.bundled(bundled.MEMBERSHIP),
                 "--groups-as-of", "2014-06-30", "--seeds", "3", "--out", out)
    assert result.exit_code == 0, result.output
    # Three disjoint alliance cliques: the ecosystems are the alliances exactly.
    assert "NMI 1.000, adjusted Rand 1.000" in result.output
    table = json.loads((out / "centrality.json").read_text(encoding="utf-8"))
    assert {r["id"] for r in table if r["degree"] == 34} == {
        r["id"] for r in table if r["degree_rank"] == 1}
    assert (out / "known_blocs_contingency.csv").exists()


def test_analyze_report_page(tmp_path, demo_dir):
    """--report: report.html with the tables the terminal prints, the known-bloc heatmap
    and the map; --note reaches the page even when a known-groups note is printed (a
    loop variable of that name once replaced it)."""
    out = tmp_path / "an"
    result = run("analyze", demo_dir / "codeshare_network_2014.graphml", "--known-groups",
                 bundled.bundled(bundled.MEMBERSHIP), "--groups-as-of", "2014-06-30",
                 "--seeds", "3", "--report", "--title", "Codeshares <2014>", "--note",
                 "Source: OPTD & OpenFlights", "--out", out)
    assert result.exit_code == 0, result.output
    assert "note: " in result.output  # alliance members outside the network are noted
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "<title>Codeshares &lt;2014&gt;</title>" in page
    assert page.count("Source: OPTD &amp; OpenFlights") >= 2  # under the title, footer
    assert "Which ecosystem holds which bloc" in page and page.count("<svg") == 2
    # the page's figures are the terminal's
    import re

    nmi, ari = re.search(r"NMI (\d\.\d{3}), adjusted Rand (\d\.\d{3})",
                         result.output).groups()
    assert f"NMI is {nmi} and adjusted Rand {ari}" in page
    first = re.search(r"top 10 by betweenness:\n +1\. (.+?) \[", result.output).group(1)
    assert f"<td>1</td>\n<td>{first}</td>" in page
    assert page.count("<iframe") == 1 and "graphkitMap" in page


def test_overlap_codeshares_evolve_ego_compare(tmp_path, demo_dir):
    of = bundled.bundled(bundled.OPENFLIGHTS)
    ms = bundled.bundled(bundled.MEMBERSHIP)
    result = run("overlap", of, "--by", "markets", "--top-k", "2", "--out", tmp_path / "o.csv")
    assert result.exit_code == 0, result.output
    assert "American Airlines" in result.output
    result = run("codeshares", of, ms, "--as-of", "2014-06-30", "--out", tmp_path / "cs")
    assert result.exit_code == 0, result.output
    assert "193 partnerships inferred (q <= 0.05, lift >= 2)" in result.output
    result = run("evolve", ms, "--window", "0", "--start", "2008", "--end", "2010",
                 "--changes", "2008-06-30", "2010-06-30", "--out", tmp_path / "ev")
    assert result.exit_code == 0, result.output
    changes = (tmp_path / "ev" / "tie_changes.csv").read_text(encoding="utf-8")
    assert "new,CO,UA" in changes or "new,UA,CO" in changes
    graph = demo_dir / "alliance_network_2014.graphml"
    result = run("ego", graph, "Lufthansa")
    assert result.exit_code == 0, result.output
    assert "Lufthansa [LH]: 27 partners" in result.output
    result = run("compare", graph, "LH", "United Airlines")
    assert result.exit_code == 0, result.output
    assert "(direct partners)" in result.output and "shared partners: 26" in result.output
    result = run("compare", graph, "LH", "AA")
    assert "no partnership path" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["load", "{tmp}/nope.csv", "--out", "{tmp}/g.json"], "nope.csv: no such file"),
        (["load", "{tmp}/deals.csv", "--out", "{tmp}/g.txt"], "cannot tell the output format"),
        (["load", "{tmp}/deals.csv", "--as-of", "June", "--out", "{tmp}/g.json"],
         "--as-of: expected a date"),
        (["load", "{tmp}/deals.csv", "--as-of", "1990-01-01", "--out", "{tmp}/g.json"],
         "no ties left: of 2 deals, none passes the filters (deals in force on 1990-01-01). "
         "Left out: 2 announced after the date"),
        (["load", "{tmp}/deals.csv", "--column", "bogus", "--out", "{tmp}/g.json"],
         "--column expects ROLE=COLUMN"),
        (["load", "{tmp}/deals.csv", "--column", "colour=x", "--out", "{tmp}/g.json"],
         "a deals table has no column role 'colour'"),
        (["load", "{tmp}/deals.csv", "--out", "{tmp}/missing-folder/g.json"],
         "does not exist"),
        (["info", "{tmp}/deals.csv", "--from", "neo4j"], "drop the files"),
        (["analyze", "{tmp}/g.graphml", "--measures", "fame", "--out", "{tmp}/a"],
         "unknown measure(s) fame"),
        (["ego", "{tmp}/g.graphml", "Acme Incc"], "did you mean"),
        (["overlap", "{tmp}/deals.csv", "--by", "markets", "--out", "{tmp}/o.csv"],
         "no routes in the sources"),
        (["load", "{tmp}/deals.csv", "--aliases", "{tmp}/nope.csv", "--out", "{tmp}/g.json"],
         "no such file"),
    ],
)
def test_user_errors_are_one_line_and_nonzero(tmp_path, args, message):
    write(tmp_path / "deals.csv", LONG)
    assert run("load", tmp_path / "deals.csv", "--out", tmp_path / "g.graphml").exit_code == 0
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
    result = run("load", tmp_path / "bad.csv", "--bad-rows", "error", "--out", out)
    assert result.exit_code == 1
    assert out.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_one_ecosystem_partition_in_every_command(tmp_path, demo_dir):
    """analyze, compare, ego and map detect the same partition of the same graph and name
    each ecosystem by its hub; --ecosystems reuses a saved one."""
    import pandas as pd

    graph = demo_dir / "codeshare_network_2014.graphml"
    assert run("analyze", graph, "--measures", "degree", "--out", tmp_path / "an").exit_code == 0
    saved = pd.read_csv(tmp_path / "an" / "ecosystems.csv").set_index("id")["ecosystem_label"]
    assert saved["DL"] == "ecosystem 2: Delta Air Lines"
    compare = run("compare", graph, "Lufthansa", "united airlines").output
    assert f"Lufthansa [LH] in {saved['LH']};" in compare
    assert f"United Airlines [UA] in {saved['UA']}" in compare
    ego = run("ego", graph, "lufthansa", "--top", "200").output
    assert f"Lufthansa is in {saved['LH']}" in ego
    run("map", graph, "--out", tmp_path / "m.html")
    # each node's own ecosystem (its tooltip): past twenty, small ones share a legend entry
    drawn = {n["id"]: dict(n["tip"])["ecosystem"]
             for n in map_payload(tmp_path / "m.html")["nodes"]}
    assert drawn == saved.to_dict()
    # another resolution finds another partition; the saved file brings the first one back
    run("map", graph, "--resolution", "2", "--out", tmp_path / "other.html")
    other = {n["id"]: dict(n["tip"])["ecosystem"]
             for n in map_payload(tmp_path / "other.html")["nodes"]}
    assert other != drawn
    run("map", graph, "--resolution", "2", "--ecosystems", tmp_path / "an" / "ecosystems.csv",
        "--out", tmp_path / "saved.html")
    again = {n["id"]: dict(n["tip"])["ecosystem"]
             for n in map_payload(tmp_path / "saved.html")["nodes"]}
    assert again == drawn


def test_shell_completion_offers_commands_and_choices():
    """README: eval "$(_GRAPHKIT_COMPLETE=bash_source graphkit)" enables completion; the
    completions are click's, from the commands and their choices."""
    runner = CliRunner()
    script = runner.invoke(main, [], prog_name="graphkit",
                           env={"_GRAPHKIT_COMPLETE": "bash_source"})
    assert "_graphkit_completion()" in script.output
    for words, cword, expected in (("graphkit ov", "1", "plain,overlap"),
                                   ("graphkit overlap --by ", "3", "plain,markets")):
        result = runner.invoke(main, [], prog_name="graphkit", env={
            "_GRAPHKIT_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": cword})
        assert expected in result.output.splitlines(), result.output


def test_small_densities_keep_their_digits():
    """A million-organisation graph's density (8.2e-05) or an ecosystem's internal density
    never prints as 0.0001 or 0.000: below two shown digits, three significant ones."""
    from graphkit.summary import small_number

    assert [small_number(v, 4) for v in (8.2e-05, 0.3288, 1.0, 0.0)] == \
        ["8.2e-05", "0.3288", "1.0000", "0.0000"]
    assert [small_number(v, 3) for v in (3.41e-05, 0.0867, 0.005)] == \
        ["3.41e-05", "0.087", "0.005"]
