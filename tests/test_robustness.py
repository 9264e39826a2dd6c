"""Hostile and broken input: every class fails with one clear line (or is handled), never a
traceback, an abort, a lost file or a leaked secret."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner
from helpers import map_payload, write

from graphkit.console.cli import main
from graphkit.errors import InputError

GRAPHKIT = Path(sys.executable).with_name("graphkit")
DEALS = "Deal Number,Date Announced,Participants\n1,2001-01-01,Acme\n1,2001-01-01,Beta\n"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def one_line_error(result, *fragments):
    """Exit 1, one line on stderr naming what went wrong, no traceback."""
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def node_link(tmp_path, edges, name="g.json"):
    data = {"directed": False, "multigraph": False, "graph": {},
            "nodes": [{"id": n} for n in sorted({x for e in edges for x in e[:2]})],
            "edges": [{"source": a, "target": b, **attrs} for a, b, attrs in edges]}
    return write(tmp_path / name, json.dumps(data))


# --- crashes and aborts ---------------------------------------------------------------------

@pytest.mark.parametrize("value", ["inf", "nan", "-1", "0"])
def test_non_finite_or_non_positive_weights_in_tables(tmp_path, value):
    path = write(tmp_path / "e.csv", f"source,target,weight\nA,B,{value}\nB,C,1\n")
    one_line_error(run("load", path, "--bad-rows", "error", "--out", tmp_path / "g.graphml"),
                   "column 'weight': expected a number from 0.000000001 to")


@pytest.mark.parametrize(("attrs", "message"), [
    ({"weight": 1e400}, "edge a - b has weight inf"),
    ({"weight": "heavy"}, "edge a - b has weight heavy"),
    ({"weight": 5e-324}, "edge a - b has weight 5e-324: expected a number from"),
    ({"weight": 1.7e308}, "edge a - b has weight 1.7e+308"),
    ({"weight": 10**400}, "attribute 'weight' is an integer of 401 digits"),
    ({"deals": "many"}, "edge a - b has deals many"),
    ({"deals": 1e308}, "edge a - b has deals"),
    ({"types": [{"x": 1}]}, "edge a - b: attribute 'types' is an object"),
    ({"deal_ids": [[[1]]]}, "attribute 'deal_ids' is a list inside a list"),
    ({"deal_ids": ["d1", "d2"], "deal_dates": ["2001"], "deals": 2, "weight": 2},
     "edge a - b lists 2 deal_ids but 1 deal_dates"),
])
def test_graph_file_attributes(tmp_path, attrs, message):
    path = node_link(tmp_path, [("a", "b", attrs)])
    for command in (["info", path], ["map", path, "--out", tmp_path / "m.html"],
                    ["analyze", path, "--out", tmp_path / "an"]):
        one_line_error(run(*command), message)
    assert not (tmp_path / "m.html").exists()


@pytest.mark.parametrize(("text", "message"), [
    ("[1, 2, 3]", "expected node-link JSON"),
    ("[" * 50_000 + "]" * 50_000, "nested too deeply"),
    ('{"nodes": [{"id": 1}, {"id": "1"}], "edges": []}', "two nodes have the id '1'"),
])
def test_graph_file_structure(tmp_path, text, message):
    one_line_error(run("info", write(tmp_path / "g.json", text)), "g.json", message)


def test_graph_files_hold_any_text_and_direction(tmp_path):
    """Lone surrogates (JSON escapes them; no UTF-8 file can hold them) become U+FFFD, and
    a directed graph is read as undirected unless it holds a tie both ways."""
    path = write(tmp_path / "g.json", '{"directed": true, "graph": {}, "nodes": [{"id": "a", '
                 '"name": "X\\ud800Y"}, {"id": "\\udc00b"}], "edges": [{"source": "a", '
                 '"target": "\\udc00b", "weight": 1}]}')
    for command in (["info", path], ["map", path, "--out", tmp_path / "m.html"],
                    ["export", path, "--format", "gexf", "--out", tmp_path / "g.gexf"],
                    ["load", path, "--out", tmp_path / "g.graphml"]):
        assert run(*command).exit_code == 0, command
    assert set(nx.read_graphml(tmp_path / "g.graphml").nodes) == {"a", "\ufffdb"}
    assert "X\ufffdY" in {n["label"] for n in map_payload(tmp_path / "m.html")["nodes"]}
    both = write(tmp_path / "both.json", json.dumps({
        "directed": True, "graph": {}, "nodes": [{"id": "a"}, {"id": "b"}],
        "edges": [{"source": "a", "target": "b"}, {"source": "b", "target": "a"}]}))
    one_line_error(run("info", both), "holds both a -> b and b -> a")
    one_line_error(run("info", write(tmp_path / "l.json", '{"graph": [1, 2], "nodes": [], '
                                     '"edges": []}')), "\"graph\" is an object")
    values = write(tmp_path / "v.json", '{"graph": {}, "nodes": [{"id": "a", "name": '
                   '"\\ud800"}, {"id": "b", "kind": "\\udc00"}], "edges": [{"source": "a", '
                   '"target": "b"}]}')  # surrogates in attribute values, ids plain
    assert run("export", values, "--format", "graphml", "--out", tmp_path / "v.graphml"
               ).exit_code == 0
    assert nx.read_graphml(tmp_path / "v.graphml").nodes["b"]["kind"] == "\ufffd"


def test_graphml_with_a_bad_typed_value(tmp_path):
    text = ('<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
            '<key id="w" for="edge" attr.name="weight" attr.type="double"/>'
            '<graph edgedefault="undirected"><node id="a"/><node id="b"/>'
            '<edge source="a" target="b"><data key="w">heavy</data></edge></graph></graphml>')
    one_line_error(run("info", write(tmp_path / "g.graphml", text)), "g.graphml",
                   "not a readable graphml graph")


def test_weights_are_checked_in_the_api():
    from graphkit.analyze import analyze

    graph = nx.Graph()
    graph.add_edge("a", "b", weight=float("nan"))
    with pytest.raises(InputError, match="tie a - b has weight nan"):
        analyze(graph)


def test_implausible_dates_cannot_be_placed(tmp_path):
    path = write(tmp_path / "d.csv", "Deal Number,Date Announced,Participants\n"
                 "1,0001-01-01,A\n1,0001-01-01,B\n2,9999-12-31,A\n2,9999-12-31,C\n"
                 "3,2005-06-01,B\n3,2005-06-01,C\n")
    result = run("load", path, "--out", tmp_path / "g.graphml")
    assert result.exit_code == 0
    assert "4 cells of 'Date Announced' could not be read" in result.output
    assert "'0001-01-01'" in result.output and "'9999-12-31'" in result.output
    one_line_error(run("load", path, "--bad-rows", "error", "--out", tmp_path / "h.graphml"),
                   "row 2, column 'Date Announced'")
    result = run("evolve", path, "--window", "5", "--out", tmp_path / "ev")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--window", "nan", "'--window': expected a finite number"),
    ("--window", "1e9", "--window must be a number of years above 0"),
    ("--as-of", "0003-01-01", "--as-of: 0003-01-01 is outside the dates graphkit accepts"),
    ("--as-of", "2018", "type 2018-12-31"),
])
def test_date_and_window_options(tmp_path, option, value, message):
    path = write(tmp_path / "d.csv", DEALS)
    args = [option, value] + (["--as-of", "2005-01-01"] if option == "--window" else [])
    one_line_error(run("load", path, *args, "--out", tmp_path / "g.graphml"), message)


def test_names_are_text_in_images(tmp_path):
    path = write(tmp_path / "d.csv", "Deal Number,Participants\n1,$\\frac{x$\n1,Beta $5\n")
    assert run("load", path, "--out", tmp_path / "g.graphml").exit_code == 0
    result = run("map", tmp_path / "g.graphml", "--image", tmp_path / "m.png",
                 "--out", tmp_path / "m.html")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "m.png").stat().st_size > 0


def test_file_system_errors_are_one_line(tmp_path):
    path = write(tmp_path / "d.csv", DEALS)
    write(tmp_path / "file", "x")
    one_line_error(run("load", path, "--out", tmp_path / "file" / "g.graphml"),
                   "file is a file, not a folder")
    one_line_error(run("analyze", tmp_path / "nope.graphml", "--out", tmp_path / "file"),
                   "exists and is not a folder")


def test_a_full_disk_is_one_line_and_leaves_no_file(tmp_path, monkeypatch):
    import errno

    path = write(tmp_path / "d.csv", DEALS)

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "g.graphml"))

    monkeypatch.setattr(os, "replace", full)
    one_line_error(run("load", path, "--out", tmp_path / "g.graphml"),
                   "No space left on device")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.csv"]


def test_neo4j_credentials_never_printed():
    from graphkit.console.cli import one_line

    text = "Couldn't connect to bolt://neo4j:s3cret@localhost:1 (resolved to ...)"
    assert one_line(text) == "Couldn't connect to bolt://neo4j:***@localhost:1 (resolved to ...)"
    result = run("query", "partners", "--backend", "neo4j", "--uri",
                 "bolt://neo4j:s3cret@127.0.0.1:9", "--param", "org=x")
    one_line_error(result)
    assert "s3cret" not in result.output


# --- resource bounds ------------------------------------------------------------------------

def test_a_deal_of_a_thousand_participants_is_bounded(tmp_path):
    rows = "\n".join(f"1,Org {i}" for i in range(1000))
    path = write(tmp_path / "big.csv", "Deal Number,Participants\n" + rows + "\n2,A\n2,B\n")
    result = run("load", path, "--out", tmp_path / "g.graphml")
    assert result.exit_code == 0
    assert "dropped 1: deal with more than 100 participants" in result.output
    assert "deal 1 (1,000 participants)" in result.output
    star = run("load", path, "--large-deals", "star", "--out", tmp_path / "s.graphml")
    assert "linked as stars" in star.output
    graph = nx.read_graphml(tmp_path / "s.graphml")
    assert graph.degree("deal:1") == 1000 and graph.number_of_edges() == 1001


def test_decompression_bombs_and_huge_headers_are_refused(tmp_path):
    import gzip

    with gzip.open(tmp_path / "bomb.csv.gz", "wb") as handle:
        handle.write(b"Deal Number,Participants\n")
        for _ in range(200):
            handle.write(b"0" * (1 << 20))
    one_line_error(run("load", tmp_path / "bomb.csv.gz", "--out", tmp_path / "g.graphml"),
                   "expanding at most 100 times")
    write(tmp_path / "wide.csv", ",".join(f"c{i}" for i in range(20_000)) + "\nx\n")
    started = time.perf_counter()
    one_line_error(run("load", tmp_path / "wide.csv", "--out", tmp_path / "g.graphml"),
                   "the header has 20,000 columns")
    assert time.perf_counter() - started < 10


def test_files_above_the_size_limit_are_refused(tmp_path, monkeypatch):
    from graphkit.loaders import tables

    monkeypatch.setattr(tables, "MAX_BYTES", 100)
    path = write(tmp_path / "d.csv", DEALS + "2,2001-01-01,Gamma\n" * 10)
    one_line_error(run("load", path, "--out", tmp_path / "g.graphml"), "graphkit reads tables")


# --- files ----------------------------------------------------------------------------------

def test_an_output_that_is_an_input_is_refused(tmp_path):
    path = write(tmp_path / "d.csv", DEALS)
    one_line_error(run("load", path, "--out", path, "--out-format", "json"), "is the input")
    assert path.read_text() == DEALS
    assert run("load", path, "--out", tmp_path / "g.graphml").exit_code == 0
    one_line_error(run("map", tmp_path / "g.graphml", "--image", tmp_path / "g.graphml",
                       "--out", tmp_path / "m.html"), "is the input")


def test_several_outputs_are_written_all_or_none(tmp_path):
    path = write(tmp_path / "d.csv", DEALS)
    out = tmp_path / "g.graphml"
    out.write_text("earlier", encoding="utf-8")
    # the summary cannot be written: the graph must not change either
    one_line_error(run("load", path, "--out", out, "--summary-json",
                       tmp_path / "missing" / "s.json"), "does not exist")
    assert out.read_text(encoding="utf-8") == "earlier"
    assert run("load", path, "--out", tmp_path / "h.graphml").exit_code == 0
    one_line_error(run("map", tmp_path / "h.graphml", "--save-positions", tmp_path / "p.json",
                       "--image", tmp_path / "missing" / "m.png", "--out", tmp_path / "m.html"),
                   "does not exist")
    assert not (tmp_path / "m.html").exists() and not (tmp_path / "p.json").exists()
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_rewrites_keep_permissions(tmp_path):
    path = write(tmp_path / "d.csv", DEALS)
    out = tmp_path / "g.graphml"
    out.write_text("earlier", encoding="utf-8")
    os.chmod(out, 0o640)
    assert run("load", path, "--out", out).exit_code == 0
    assert oct(out.stat().st_mode & 0o777) == "0o640"


def test_sigterm_leaves_no_temporary_file(tmp_path):
    rows = "\n".join(f"1,Org {i}" for i in range(1500))
    path = write(tmp_path / "big.csv", "Deal Number,Participants\n" + rows + "\n")
    process = subprocess.Popen([str(GRAPHKIT), "load", str(path), "--large-deals", "clique",
                                "--max-participants", "2000", "--out", str(tmp_path / "g.gexf")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(4)  # reading and projecting 1.1 million ties takes longer than this
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode != 0
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.csv"]


def test_control_characters_make_readable_xml(tmp_path):
    path = write(tmp_path / "d.csv", "Deal Number,Participants\n1,\"Acme\x01Corp\"\n"
                 "1,\"Beta\x1b[2J\"\n")
    for suffix in ("graphml", "gexf"):
        out = tmp_path / f"g.{suffix}"
        assert run("load", path, "--out", out).exit_code == 0
        graph = nx.read_graphml(out) if suffix == "graphml" else nx.read_gexf(out)
        assert graph.number_of_edges() == 1
    info = run("info", tmp_path / "g.graphml").output
    assert "\x1b" not in info and "\x01" not in info  # nothing reaches the terminal


def test_csv_formulas_are_neutralised(tmp_path):
    path = write(tmp_path / "d.csv", "Deal Number,Participants\n1,=HYPERLINK(\"x\")\n1,+Beta\n"
                 "2,@Gamma\n2,Delta\n")
    assert run("load", path, "--out", tmp_path / "g.graphml").exit_code == 0
    assert run("export", tmp_path / "g.graphml", "--format", "csv",
               "--out", tmp_path / "t").exit_code == 0
    names = pd.read_csv(tmp_path / "t" / "nodes.csv", dtype=str)["name"].tolist()
    assert "'=HYPERLINK(\"x\")" in names and "'+Beta" in names and "'@Gamma" in names
    assert "Delta" in names
    assert run("--raw-csv", "export", tmp_path / "g.graphml", "--format", "csv",
               "--out", tmp_path / "r").exit_code == 0
    raw = pd.read_csv(tmp_path / "r" / "nodes.csv", dtype=str)["name"].tolist()
    assert "=HYPERLINK(\"x\")" in raw


def test_map_payload_cannot_break_out_of_its_script(tmp_path):
    graph = nx.Graph()
    graph.add_edge("a", "b", weight=1.0)
    graph.nodes["a"]["name"] = "<!--<script>"
    graph.nodes["b"]["name"] = "x\u2028</script>y"
    from graphkit.maps import MapOptions, write_map

    write_map(graph, tmp_path / "m.html", MapOptions(color_by="name"))
    page = (tmp_path / "m.html").read_text(encoding="utf-8")
    blob = page[page.index("var DATA = "):]
    blob = blob[:blob.index("\n")]
    assert "<" not in blob and ">" not in blob and "\u2028" not in blob
    assert {n["label"] for n in map_payload(tmp_path / "m.html")["nodes"]} == {
        "<!--<script>", "x\u2028</script>y"}


# --- outputs never land on inputs -------------------------------------------------------------

def _graph(tmp_path):
    path = write(tmp_path / "d.csv", DEALS + "2,2002-01-01,Beta\n2,2002-01-01,Gamma\n")
    assert run("load", path, "--out", tmp_path / "g.graphml").exit_code == 0
    return path, tmp_path / "g.graphml"


def test_no_output_lands_on_an_input_by_any_spelling(tmp_path):
    """Every write is checked against every file the command read: the same name, a
    symbolic or hard link, a file an output folder would receive, a file inside an input
    folder. The input stays byte-identical and no new file or folder stays."""
    deals, graph = _graph(tmp_path)
    before = graph.read_bytes()
    (tmp_path / "link.graphml").symlink_to(graph)
    os.link(graph, tmp_path / "hard.graphml")
    (tmp_path / "evo").mkdir()
    (tmp_path / "evo" / "evolution.csv").write_text(deals.read_text())
    (tmp_path / "imp").mkdir()
    (tmp_path / "imp" / "deals.csv").write_text(deals.read_text())
    cases = [
        (["ego", graph, "Acme", "--out", graph], "it is the input"),
        (["map", tmp_path / "link.graphml", "--save-positions", graph, "--out",
          tmp_path / "m.html"], "it is the input"),
        (["export", tmp_path / "hard.graphml", "--format", "graphml", "--out", graph],
         "it is the input"),
        (["evolve", tmp_path / "evo" / "evolution.csv", "--out", tmp_path / "evo"],
         "evolution.csv: it is the input"),
        (["export", tmp_path / "imp" / "deals.csv", "--format", "neo4j-admin", "--out",
          tmp_path / "imp"], "deals.csv: it is the input"),
        (["overlap", deals, "--suggest-aliases", deals, "--out", tmp_path / "o.csv"],
         "it is the input"),
        (["overlap", tmp_path / "imp", "--out", tmp_path / "imp" / "deals.csv"],
         "inside the input folder"),
    ]
    listing = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    for args, message in cases:
        one_line_error(run(*args), message)
    assert graph.read_bytes() == before
    assert (tmp_path / "evo" / "evolution.csv").read_text() == deals.read_text()
    assert (tmp_path / "imp" / "deals.csv").read_text() == deals.read_text()
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == listing


def test_a_failed_command_removes_the_folders_it_created(tmp_path):
    deals, _ = _graph(tmp_path)
    one_line_error(run("evolve", deals, "--changes", "2001-01-01", "soon", "--out",
                       tmp_path / "new" / "evo"), "--changes")
    one_line_error(run("analyze", tmp_path / "g.graphml", "--ecosystems", tmp_path / "no.csv",
                       "--out", tmp_path / "an"), "no.csv: no such file")
    assert not (tmp_path / "new").exists() and not (tmp_path / "an").exists()


@pytest.mark.parametrize("option", ["--out", "--summary-json"])
def test_an_empty_output_name_is_refused(tmp_path, option):
    deals, _ = _graph(tmp_path)
    args = ["--out", tmp_path / "h.graphml", option, ""] if option != "--out" else ["--out", ""]
    one_line_error(run("load", deals, *args), "got an empty one")
    one_line_error(run("demo", "--out", ""), "got an empty one")


# --- secrets and terminals -----------------------------------------------------------------

@pytest.mark.parametrize(("uri", "secret"), [
    ("bolt://neo4j:p@ss word@127.0.0.1:9", "p@ss word"),
    ("bolt://neo4j:a/b@c@127.0.0.1:9", "a/b@c"),
    ("neo4j:s3cr@t@127.0.0.1:9", "s3cr@t"),
    ("http://neo4j:abcdef@127.0.0.1:9", "abcdef"),
    ("bolt://neo4j:%40pct%20enc@127.0.0.1:9", "@pct enc"),
])
def test_passwords_never_printed_whatever_they_hold(uri, secret):
    """The driver manual's schemes only (neo4j, bolt, +s, +ssc); credentials are taken out
    of the URI before it is used or shown, and any password given is masked everywhere."""
    result = run("query", "partners", "--backend", "neo4j", "--uri", uri, "--param", "org=x")
    one_line_error(result)
    assert secret not in result.output and "%40pct" not in result.output


def test_split_uri_takes_credentials_out():
    from graphkit.neo4j_address import split_uri

    assert split_uri("bolt://u:p@ss@host:7687") == ("bolt://host:7687", "u", "p@ss")
    assert split_uri("neo4j+s://host") == ("neo4j+s://host", None, None)
    with pytest.raises(InputError, match="http://, which the driver does not speak"):
        split_uri("http://host:7474")


def test_password_from_the_environment_is_masked(monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", "envsecret")
    result = run("query", "partners", "--backend", "neo4j", "--uri",
                 "bolt://127.0.0.1:9/envsecret", "--param", "org=x")
    one_line_error(result)
    assert "envsecret" not in result.output


def test_c1_controls_and_bidi_overrides_never_reach_the_terminal(tmp_path):
    path = write(tmp_path / "d.csv", "Deal Number,Participants\n1,Acme\u009b2J\n"
                 "1,Beta\u202eevil\u202c\n")
    assert run("load", path, "--out", tmp_path / "g.graphml").exit_code == 0
    shown = run("info", tmp_path / "g.graphml").output
    assert "Acme" in shown and "Beta" in shown
    assert not set(shown) & {"\u009b", "\u202e", "\u202c"}


# --- option values ---------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "message"), [
    (["load", "{deals}", "--as-of", " ", "--out", "{tmp}/g.graphml"], "--as-of: expected a date"),
    (["load", "{deals}", "--as-of", "NaT", "--out", "{tmp}/g.graphml"], "got 'NaT'"),
    (["evolve", "{deals}", "--changes", "nan", "2001-01-01", "--out", "{tmp}/ev"],
     "--changes: expected a date"),
    (["query", "top_brokers", "{deals}", "--param", "as_of=nan", "--param", "years=2"],
     "--param as_of: expected a date"),
    (["query", "top_brokers", "{deals}", "--param", "as_of=2002-01-01", "--param",
      "years=nan"], "--param years: expected a positive float"),
    (["evolve", "{deals}", "--end", "10000", "--out", "{tmp}/ev"], "outside the years"),
    (["load", "{deals}", "--delimiter", ";;", "--out", "{tmp}/g.graphml"],
     "--delimiter: expected one character"),
    (["load", "{deals}", "--delimiter", "\n", "--out", "{tmp}/g.graphml"], "a line break"),
    (["load", "{deals}", "--encoding", "rot13", "--out", "{tmp}/g.graphml"],
     "'rot13' is not a text encoding"),
    (["load", "{deals}", "--encoding", "undefined", "--out", "{tmp}/g.graphml"],
     "cannot decode as undefined"),
    (["map", "{graph}", "--seed", "-1", "--out", "{tmp}/m.html"], "--seed"),
    (["export", "{graph}", "--seed", "99999999999", "--format", "gexf", "--out",
      "{tmp}/g.gexf"], "--seed"),
    (["analyze", "{graph}", "--resolution", "nan", "--out", "{tmp}/an"],
     "expected a finite number"),
    (["analyze", "{graph}", "--resolution", "1e400", "--out", "{tmp}/an"], "--resolution"),
    (["analyze", "{graph}", "--seeds", "99999999999999", "--out", "{tmp}/an"], "--seeds"),
    (["overlap", "{deals}", "--min-jaccard", "nan", "--out", "{tmp}/o.csv"],
     "expected a finite number"),
    (["analyze", "{graph}", "--groups-as-of", "2002-01-01", "--out", "{tmp}/an"],
     "apply to the blocs of --known-groups"),
    (["cypher", "RETURN 1", "--param", "n:list=" + "[" * 10_000 + "]" * 10_000],
     "--param n:list: expected a list"),
    (["cypher", "RETURN 1", "--param", "n:int=" + "9" * 30], "expected a 64-bit integer"),
])
def test_option_values_are_checked(tmp_path, args, message):
    deals, graph = _graph(tmp_path)
    filled = [a.format(deals=deals, graph=graph, tmp=tmp_path) for a in args]
    one_line_error(run(*filled), message)


def test_the_delimiter_may_be_named_or_escaped(tmp_path):
    path = write(tmp_path / "t.tsv", "Deal Number\tParticipants\n1\tAcme\n1\tBeta\n")
    for value in ("tab", "\\t", "\t"):
        result = run("load", path, "--delimiter", value, "--out", tmp_path / "g.graphml")
        assert result.exit_code == 0 and "1 deals" not in result.output, result.output


# --- files of other kinds --------------------------------------------------------------------

@pytest.mark.parametrize(("text", "message"), [
    ("[" * 50_000 + "]" * 50_000, "nested too deeply"),
    ('{"a": [1' + "0" * 400 + ", 2]}", 'the position of "a" is not two numbers'),
    ('{"a": [1e308, 2]}', 'the position of "a" is not two numbers'),
    ('{"a": [NaN, 2]}', 'the position of "a" is not two numbers'),
    ('{"a": [1, 2, 3]}', 'the position of "a" is not two numbers'),
    ("[1, 2]", "not a JSON list"),
])
def test_positions_files_are_checked(tmp_path, text, message):
    _, graph = _graph(tmp_path)
    positions = write(tmp_path / "p.json", text)
    one_line_error(run("map", graph, "--positions", positions, "--image", tmp_path / "m.png",
                       "--out", tmp_path / "m.html"), "p.json", message)
    assert not (tmp_path / "m.html").exists() and not (tmp_path / "m.png").exists()


@pytest.mark.parametrize(("cells", "what"), [
    ([["A", "B"], ["C"]], "lists (a Parquet list)"),
    ([{"y": 1}, {"y": 2}], "objects (a Parquet struct)"),
    ([b"\x00\xff", b"x"], "binary values"),
])
def test_nested_parquet_cells_are_refused(tmp_path, cells, what):
    frame = pd.DataFrame({"Deal Number": [1, 1], "Participants": cells})
    frame.to_parquet(tmp_path / "d.parquet")
    one_line_error(run("load", tmp_path / "d.parquet", "--out", tmp_path / "g.graphml"),
                   "row 1, column 'Participants'", what)


def test_control_characters_in_attribute_names_make_readable_xml(tmp_path):
    path = node_link(tmp_path, [("a", "b", {"we\x01ird\x07": "x", "weight": 1})])
    for suffix in ("graphml", "gexf"):
        out = tmp_path / f"e.{suffix}"
        assert run("export", path, "--format", suffix, "--out", out).exit_code == 0
        graph = nx.read_graphml(out) if suffix == "graphml" else nx.read_gexf(out)
        assert graph.number_of_edges() == 1


# --- found by the second probe ---------------------------------------------------------------

def test_password_masking_never_rewrites_data(tmp_path, monkeypatch):
    """Masking applies to error messages only: a password that equals a printed value
    ('2001', a year) must not turn a JSON field into ***."""
    deals, _ = _graph(tmp_path)
    monkeypatch.setenv("NEO4J_PASSWORD", "2001-01-01")
    result = run("query", "partners", deals, "--param", "org=Acme", "--format", "json")
    assert result.exit_code == 0
    assert "***" not in result.output and json.loads(result.output)


def test_two_outputs_with_one_name_are_refused(tmp_path):
    deals, graph = _graph(tmp_path)
    one_line_error(run("load", deals, "--out", tmp_path / "s.json", "--summary-json",
                       tmp_path / "s.json"), "two outputs have the same name")
    one_line_error(run("map", graph, "--out", tmp_path / "m.html", "--save-positions",
                       tmp_path / "m.html"), "two outputs have the same name")
    assert not (tmp_path / "s.json").exists() and not (tmp_path / "m.html").exists()


def test_long_names_are_masked_in_linear_time():
    from graphkit.console.cli import one_line

    started = time.perf_counter()
    assert one_line("x" * 300_000 + " bolt://u:secret@h").endswith("bolt://u:***@h")
    assert time.perf_counter() - started < 2
