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
    ('{"nodes": [{"id": 1}, {"id": "1"}], "edges": []}', "have the same id '1'"),
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
    ("--window", "1e9", "--window: expected a number of years from one day"),
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
    ("[1, 2]", "not a list"),
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


# --- third probe: dates with zones, broken encodings, ids, addresses, ragged rows -----------

def test_a_time_or_zone_on_a_date_keeps_the_date_as_written(tmp_path):
    """Cells and options may carry a time and a zone; the calendar date written counts
    (module docstring of graphkit.dates), so offsets that differ per row never fail."""
    from graphkit.dates import parse_dates, to_timestamp

    cells = pd.Series(["2014-06-30T23:00-05:00", "2014-07-01 01:00Z", "June 30, 2014 11pm -0500",
                       "1 July 2014 10:00 +0900", "2014-06-30T25:00",
                       pd.Timestamp("2014-06-30 23:30", tz="US/Eastern")], dtype=object)
    dates, bad, _ = parse_dates(cells)
    assert [d.strftime("%Y-%m-%d") if not pd.isna(d) else None for d in dates] == [
        "2014-06-30", "2014-07-01", "2014-06-30", "2014-07-01", None, "2014-06-30"]
    assert bad.tolist() == [False, False, False, False, True, False]
    assert to_timestamp(pd.Timestamp("2014-06-30 23:00", tz="UTC")) == pd.Timestamp("2014-06-30")
    deals = write(tmp_path / "d.csv", "Deal Number,Date Announced,Participants\n"
                  "1,2014-06-30T12:00+05:00,Acme\n1,2014-06-30T12:00+05:00,Beta\n"
                  "2,2014-07-01T01:00Z,Beta\n2,2014-07-01T01:00Z,Gamma\n")
    result = run("load", deals, "--as-of", "2014-06-30T23:59-08:00", "--out",
                 tmp_path / "g.graphml")
    assert result.exit_code == 0, result.output
    assert "deals in force on 2014-06-30: 1 deal used" in result.output
    table = pd.read_csv(deals).assign(**{"Date Announced": lambda f: pd.to_datetime(
        f["Date Announced"], utc=True).dt.tz_convert("Asia/Tokyo")})
    table.to_parquet(tmp_path / "d.parquet")  # a zoned timestamp column
    assert run("load", tmp_path / "d.parquet", "--out", tmp_path / "p.graphml").exit_code == 0
    result = run("evolve", deals, "--changes", "2014-06-30Z", "2014-07-02T00:00+01:00", "--out",
                 tmp_path / "ev")
    assert "ties 2014-06-30 -> 2014-07-02: 1 new, 0 lapsed" in result.output, result.output
    result = run("query", "new_partners", deals, "--param", "org=Beta", "--param",
                 "since=2014-07-01T00:00+09:00")
    assert result.exit_code == 0 and "Gamma" in result.output, result.output


@pytest.mark.parametrize(("data", "message"), [
    (b"\xef\xbb\xbfDeal Number,Participants\n1,Acme\xff\n1,Beta\n",
     "line 2 is not valid UTF-8, though the file starts with a UTF-8 byte-order mark"),
    ("Deal Number,Participants\n1,Acme\n1,Beta\n".encode("utf-16") + b"Z",
     "line 4 is not valid UTF-16, though the file starts with a UTF-16 byte-order mark"),
])
def test_a_byte_order_mark_over_broken_text_is_one_line(tmp_path, data, message):
    path = tmp_path / "d.csv"
    path.write_bytes(data)
    one_line_error(run("load", path, "--out", tmp_path / "g.graphml"), "d.csv", message)
    deals, _ = _graph(tmp_path)
    aliases = tmp_path / "aliases.csv"
    aliases.write_bytes(b"\xef\xbb\xbfalias,canonical\nAcme\xff,Beta\n")
    one_line_error(run("load", deals, "--aliases", aliases, "--out", tmp_path / "g.graphml"),
                   "aliases.csv: line 2 is not valid UTF-8")


def test_node_link_ids_are_text_as_graphml_ids_are(tmp_path):
    """true and 1 (equal in Python) are two organisations, as they are two ids in the file;
    files from NetworkX before 3.4 ("links") and with a byte-order mark are read."""
    path = write(tmp_path / "g.json", json.dumps({
        "graph": {}, "nodes": [{"id": True}, {"id": 1}, {"id": 0.0}, {"id": False}],
        "links": [{"source": True, "target": False}, {"source": 1, "target": 0.0},
                  {"source": True, "target": 1}]}))
    export = run("export", path, "--format", "graphml", "--out", tmp_path / "g.graphml")
    assert export.exit_code == 0, export.output
    assert sorted(nx.read_graphml(tmp_path / "g.graphml").nodes) == ["0.0", "1", "false", "true"]
    for command in (["analyze", path, "--out", tmp_path / "an"],
                    ["map", path, "--out", tmp_path / "m.html"], ["ego", path, "true"],
                    ["compare", path, "true", "1"]):
        result = run(*command)
        assert result.exit_code == 0, (command, result.output)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert run("info", path).exit_code == 0


@pytest.mark.parametrize(("document", "message"), [
    ({"nodes": [{"id": "a"}, {"id": None}], "edges": []}, 'node 2 in "nodes" has id null'),
    ({"nodes": [{"id": "a"}, {"id": [1]}], "edges": []}, 'node 2 in "nodes" has id [1]'),
    ({"nodes": [{"id": "a"}, {"id": "a"}], "edges": []},
     "nodes 1 and 2 in \"nodes\" have the same id 'a': ids must be distinct"),
    ({"nodes": [{"id": 1}, {"id": "1"}], "edges": []}, "the same id '1' (once written as text)"),
    ({"nodes": [{"id": "a"}], "edges": [{"source": "a"}]},
     'edge 1 in "edges" needs a "source" and a "target"'),
    ({"nodes": [{"id": "a"}], "edges": {}}, '"edges" is a list'),
])
def test_node_link_structure_errors_name_the_element(tmp_path, document, message):
    one_line_error(run("info", write(tmp_path / "g.json", json.dumps(document))), "g.json",
                   message)


@pytest.mark.parametrize(("kind", "value", "message"), [
    ("maybe", "1", "an attribute is declared of type 'maybe'; the types are boolean, int"),
    ("int", "one", "the value 'one' stands where its attribute declares a whole number"),
    ("double", "heavy", "the value 'heavy' stands where its attribute declares a number"),
    ("boolean", "perhaps", "the value 'perhaps' stands where a boolean (true or false)"),
])
@pytest.mark.parametrize("element", ["node", "edge"])
def test_graph_reader_errors_are_sentences(tmp_path, kind, value, message, element):
    data = f'<data key="k">{value}</data>'
    text = ('<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
            f'<key id="k" for="{element}" attr.name="x" attr.type="{kind}"/>'
            '<graph edgedefault="undirected">'
            f'<node id="a">{data if element == "node" else ""}</node><node id="b"/>'
            f'<edge source="a" target="b">{data if element == "edge" else ""}</edge>'
            '</graph></graphml>')
    one_line_error(run("info", write(tmp_path / "g.graphml", text)), "g.graphml",
                   "not a readable graphml graph", message)


def test_command_line_bytes_that_are_not_utf8_are_refused_once(tmp_path):
    """Such bytes reach Python as lone surrogates, which no page, file or terminal holds."""
    deals, graph = _graph(tmp_path)
    one_line_error(run("map", graph, "--title", "x\udcff", "--out", tmp_path / "m.html"),
                   "--title: the value holds bytes that are not UTF-8 text")
    one_line_error(run("ego", graph, "Acme\udcff"), "ORG: the value holds bytes")
    one_line_error(run("query", "partners", deals, "--param", "org=\udcff"), "--param")
    one_line_error(run("load", deals, "--out", tmp_path / "g\udcff.graphml"),
                   "the name holds bytes that are not UTF-8 text")
    assert not (tmp_path / "m.html").exists()


def test_a_neo4j_admin_export_of_nothing_is_refused(tmp_path):
    path = write(tmp_path / "g.json", '{"nodes": [], "edges": []}')
    one_line_error(run("export", path, "--format", "neo4j-admin", "--out", tmp_path / "na"),
                   "nothing to import")
    assert not (tmp_path / "na").exists()


def test_a_delimiter_outside_ascii_is_read(tmp_path):
    path = write(tmp_path / "d.csv", "Deal Number¦Participants\n1¦Acme\n1¦Beta\n2¦Beta¦x\n")
    one_line_error(run("load", path, "--delimiter", "¦", "--out", tmp_path / "g.graphml"),
                   "row 4: this row has 3 fields and the header names 2")
    path = write(tmp_path / "d.csv", "Deal Number¦Participants\n1¦Acme\n1¦Beta\n")
    result = run("load", path, "--delimiter", "¦", "--out", tmp_path / "g.graphml")
    assert result.exit_code == 0 and "2 organisations, 1 tie" in result.output, result.output


def test_outputs_write_through_links_and_into_pipes(tmp_path):
    """A symlinked output stays a link (the file it names is replaced, atomically); a pipe
    or device is written into, never renamed over (a rename would remove /dev/null)."""
    deals, _ = _graph(tmp_path)
    real = write(tmp_path / "real.csv", "old\n")
    (tmp_path / "link.csv").symlink_to(real)
    assert run("overlap", deals, "--out", tmp_path / "link.csv").exit_code == 0
    assert (tmp_path / "link.csv").is_symlink() and real.read_text().startswith("a,a_name,b,")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    assert run("overlap", deals, "--out", fifo).exit_code == 0
    assert reader.communicate(timeout=30)[0].decode().startswith("a,a_name,b,")
    assert fifo.is_fifo() and not list(tmp_path.glob(".*.tmp"))


def test_a_signal_while_the_failure_is_reported_adds_nothing():
    from graphkit.atomic import install_signal_cleanup, signals_quiet

    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    try:
        install_signal_cleanup()
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.1)
        signals_quiet()
        os.kill(os.getpid(), signal.SIGTERM)  # ignored: the report goes out alone
        time.sleep(0.1)
    finally:
        signal.signal(signal.SIGTERM, before[0])
        signal.signal(signal.SIGINT, before[1])


@pytest.mark.parametrize(("uri", "message"), [
    ("bolt://localhost:99999", "port 99999 is not a port number (1 to 65535)"),
    ("neo4j://localhost:0", "port 0 is not a port number"),
    ("bolt://localhost:abc", "port abc is not a port number"),
    ("bolt://u:secretpass@", "the Neo4j address names no host"),
    ("bolt://:7687", "the Neo4j address names no host"),
])
def test_neo4j_addresses_are_checked_before_connecting(uri, message):
    result = run("query", "partners", "--backend", "neo4j", "--uri", uri, "--password",
                 "x" * 8, "--param", "org=x")
    one_line_error(result, message)
    assert "secretpass" not in result.output


def test_an_empty_password_is_no_password_wherever_given(monkeypatch):
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    for extra in (["--password", ""], ["--uri", "bolt://neo4j:@127.0.0.1:9"]):
        args = ["query", "partners", "--backend", "neo4j", "--uri", "bolt://127.0.0.1:9",
                "--param", "org=x", *extra]
        one_line_error(run(*args), "no Neo4j password given")


@pytest.mark.parametrize(("args", "message"), [
    (["load", "{deals}", "--aliases", "{bad}", "--out", "{tmp}/g.graphml"],
     "The file needs the headers 'alias', 'canonical'."),
    (["analyze", "{graph}", "--ecosystems", "{bad}", "--out", "{tmp}/an"],
     "The file needs the headers 'id', 'ecosystem'."),
    (["query", "top_brokers", "{deals}", "--param", "as_of=2002-01-01", "--param",
      "years=1e308"], "--param years: expected a number of years from one day"),
    (["load", "{deals}", "--as-of", "2002-01-01", "--window", "1e-320", "--out",
      "{tmp}/g.graphml"], "--window: expected a number of years from one day"),
    (["load", "{deals}", "--types", "licensing", "--out", "{tmp}/g.graphml"],
     "no deal in the data has a deal type (no column gave one)"),
    (["analyze", "{single}", "--out", "{tmp}/an"],
     "no deal in these sources links two organisations; left out: deal with a single "
     "participant (no partner to tie to): 2"),
    (["load", "{single}", "--out", "{tmp}/g.graphml"], "no deal in these sources links two"),
    (["map", "{graph}", "--positions", "{null}", "--out", "{tmp}/m.html"],
     "as --save-positions writes), not null"),
])
def test_messages_say_what_to_fix(tmp_path, args, message):
    deals, graph = _graph(tmp_path)
    names = {"bad": write(tmp_path / "bad.csv", "foo,bar\nx,y\n"),
             "single": write(tmp_path / "s.csv", "Deal Number,Participants\n1,Acme\n2,Beta\n"),
             "null": write(tmp_path / "p.json", "null")}
    filled = [a.format(deals=deals, graph=graph, tmp=tmp_path, **names) for a in args]
    result = run(*filled)
    one_line_error(result, message)
    assert "--column" not in result.stderr or "--column" in message


def test_extra_fields_never_shift_the_columns(tmp_path):
    """pandas takes extra leading fields as an index and shifts every column by one: an
    empty field at the end of every line is dropped, any other extra field is an error."""
    trailing = write(tmp_path / "t.csv", "Deal Number,Participants\n1,Acme,\n1,Beta,\n")
    result = run("load", trailing, "--out", tmp_path / "g.graphml")
    assert result.exit_code == 0 and "2 organisations, 1 tie" in result.output, result.output
    assert "rows end with an empty field the header does not name" in result.output
    shifted = write(tmp_path / "s.csv", "Deal Number,Participants\n1,Acme,x\n1,Beta\n")
    one_line_error(run("load", shifted, "--out", tmp_path / "g.graphml"),
                   "s.csv, row 2: this row has more fields than the 2 the header names")
    deals, _ = _graph(tmp_path)
    aliases = write(tmp_path / "a.csv", "alias,canonical\nAcme Corp,Acme,x\nBeta AG,Beta,y\n")
    one_line_error(run("load", deals, "--aliases", aliases, "--out", tmp_path / "g.graphml"),
                   "a.csv, row 2: this row has more fields")


def test_a_row_with_fewer_fields_than_the_header_is_refused(tmp_path):
    """pandas pads a short row at the end: 'd1,United' under deal_id,date,participant read
    United as the date and the participant as blank. Blank lines (and lines of spaces) stay
    empty rows; an empty last field written out is no short row."""
    short = write(tmp_path / "s.csv", "deal_id,date,participant\nd1,2014-01-01,Lufthansa\n"
                  "\n   \nd1,United\n")
    one_line_error(run("load", short, "--out", tmp_path / "g.graphml"),
                   "s.csv, row 5: this row has 2 fields and the header names 3")
    written = write(tmp_path / "w.csv", "deal_id,participant,date\nd1,Lufthansa,\n\n"
                    "d1,United,\n")
    result = run("load", written, "--out", tmp_path / "g.graphml")
    assert result.exit_code == 0 and "2 organisations, 1 tie" in result.output, result.output
    semicolons = write(tmp_path / "p.txt", 'id;"who; really"\n1;"A"\n1\n')
    one_line_error(run("load", semicolons, "--out", tmp_path / "g.graphml"),
                   "p.txt, row 3: this row has 1 field and the header names 2")


def test_workbooks_with_titles_repeated_headers_or_no_workbook_inside(tmp_path):
    """Title rows above a sheet's header are skipped with a note (pandas named the columns
    'Unnamed: 1'); a header naming a column twice is refused in workbooks and Parquet as in
    text tables (pandas renamed the second 'Participant.1', pyarrow dumped its schema);
    what is not a workbook, or is an encrypted one, says so."""
    import openpyxl
    import pyarrow as pa
    import pyarrow.parquet as pq

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Deals"
    for row in (["Alliance deals, exported 2024-11-01"], [], ["Deal", "Date", None, "Participant"],
                [1, None, None, "Lufthansa"], [1, None, "?", "United Airlines"]):
        sheet.append(row)
    book.save(tmp_path / "titled.xlsx")
    result = run("load", tmp_path / "titled.xlsx", "--out", tmp_path / "g.graphml")
    assert result.exit_code == 0 and "2 organisations, 1 tie" in result.output, result.output
    assert "sheet 'Deals': header read from row 3 (the rows above it are blank or a title)" \
        in result.output
    assert "columns not used: 'column 3'" in result.output
    sheet.append([2, "soon", None, "A"])
    book.save(tmp_path / "titled.xlsx")
    one_line_error(run("load", tmp_path / "titled.xlsx", "--bad-rows", "error", "--out",
                       tmp_path / "g.graphml"), "titled.xlsx, row 6, column 'Date'")

    book = openpyxl.Workbook()  # a deal number merged down its participants' rows
    for row in (["Deal", "Participant"], [1, "A"], [None, "B"], [None, "C"], [2, "D"],
                [None, "E"]):
        book.active.append(row)
    book.active.merge_cells("A2:A4")
    book.active.merge_cells("A5:A6")
    book.save(tmp_path / "merged.xlsx")
    result = run("load", tmp_path / "merged.xlsx", "--out", tmp_path / "g.graphml")
    assert "2 merged cell ranges, each read as its value in every row it spans (e.g. A2:A4, " \
        "A5:A6)" in result.output and "5 organisations, 4 ties" in result.output, result.output

    book = openpyxl.Workbook()  # openpyxl stores formulas without their results
    for row in (["Deal", "Participant"], [1, "Alpha"], [1, '="Beta"&" Inc"']):
        book.active.append(row)
    book.save(tmp_path / "formula.xlsx")
    result = run("load", tmp_path / "formula.xlsx", "--out", tmp_path / "g.graphml")
    assert "1 formula cell without a saved result read as blank (e.g. B3)" in result.output

    book = openpyxl.Workbook()
    book.active.append(["Deal", "Participant", "participant "])
    book.active.append([1, "A", "B"])
    book.save(tmp_path / "twice.xlsx")
    one_line_error(run("load", tmp_path / "twice.xlsx", "--out", tmp_path / "g.graphml"),
                   "twice.xlsx, row 1: columns 2 and 3 are both named 'participant'")
    pq.write_table(pa.table([["1"], ["A"], ["B"]], names=["Deal", "Participant", "Participant"]),
                   tmp_path / "twice.parquet")
    one_line_error(run("load", tmp_path / "twice.parquet", "--out", tmp_path / "g.graphml"),
                   "twice.parquet: columns 2 and 3 are both named 'Participant'")

    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.create_sheet("Deals").append(["Deal", "Participant"])
    book.save(tmp_path / "first_empty.xlsx")
    one_line_error(run("load", tmp_path / "first_empty.xlsx", "--out", tmp_path / "g.graphml"),
                   "sheet 'Notes' is empty (pass --sheet to read another: 'Deals')")
    one_line_error(run("load", tmp_path / "first_empty.xlsx", "--sheet", "Deals", "--out",
                       tmp_path / "g.graphml"), "sheet 'Deals' has a header (row 1) but no data")

    text = write(tmp_path / "text.xlsx", "Deal,Participant\n1,A\n1,B\n")
    one_line_error(run("load", text, "--out", tmp_path / "g.graphml"),
                   "not a workbook: its content is text (a CSV saved under a workbook's name?")
    (tmp_path / "locked.xlsx").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(1024))
    one_line_error(run("load", tmp_path / "locked.xlsx", "--out", tmp_path / "g.graphml"),
                   "locked.xlsx: the workbook is password-protected (encrypted)")
    (tmp_path / "packed.xlsx.gz").write_bytes(b"\x1f\x8b" + bytes(64))
    one_line_error(run("load", tmp_path / "packed.xlsx.gz", "--out", tmp_path / "g.graphml"),
                   "a compressed workbook is not read")
    csv_path = write(tmp_path / "d.csv", "Deal,Participant\n1,A\n1,B\n")
    result = run("load", csv_path, "--sheet", "Deals", "--out", tmp_path / "g.graphml")
    assert "--sheet 'Deals' ignored: the file is not a workbook" in result.output


def test_an_edge_list_row_repeated_exactly_is_kept_and_said(tmp_path):
    edges = write(tmp_path / "e.csv", "source,target\nA,B\nB,C\nA,B\nA,B\n")
    result = run("load", edges, "--out", tmp_path / "g.graphml")
    assert result.exit_code == 0, result.output
    assert ("2 rows repeat an earlier row exactly (e.g. row 4 repeats row 2): each counts as "
            "a deal of its own") in result.output
    assert nx.read_graphml(tmp_path / "g.graphml").edges["a", "b"]["deals"] == 3


def test_exported_tables_load_back_to_the_same_graph(tmp_path):
    """export --format csv wrote years as 2014.0 when another tie had none and `None` for
    an unknown date in a list; loading edges.csv back lost names (ids shown), re-dated
    every deal of a tie to its first, joined types and counted deals twice beside the
    table. Now edges.csv reads back as the graph it holds."""
    deals = write(tmp_path / "d.csv", "deal_id,date,participant,type\n"
                  "d1,2005-03-01,Alpha Corp,joint venture\nd1,2005-03-01,Beta GmbH,joint venture\n"
                  "d2,2015-07-01,Alpha Corp,licensing\nd2,2015-07-01,Beta GmbH,licensing\n"
                  "d3,2010-01-01,Beta GmbH,=cmd\nd3,2010-01-01,-Gamma,=cmd\n"
                  "d4,,Alpha Corp,\nd4,,-Gamma,\nd5,,Beta GmbH,\nd5,,Delta,\n")
    assert run("load", deals, "--out", tmp_path / "g.graphml").exit_code == 0
    assert run("export", tmp_path / "g.graphml", "--format", "csv", "--out",
               tmp_path / "t").exit_code == 0
    edges = pd.read_csv(tmp_path / "t" / "edges.csv", dtype=str, keep_default_na=False)
    ties = edges.set_index(["source", "target"])
    assert ties.loc[("beta", "gamma"), "first_year"] == "2010"  # not 2010.0
    assert ties.loc[("beta", "delta"), "first_year"] == ""
    assert ties.loc[("alpha", "beta"), "source_name"] == "Alpha Corp"
    back = tmp_path / "t" / "edges.csv"
    for extra in ([], ["--types", "licensing"], ["--as-of", "2016-01-01", "--window", "3"]):
        assert run("info", back, *extra).output == run("info", tmp_path / "g.graphml",
                                                        *extra).output, extra
    both = run("load", deals, back, "--out", tmp_path / "both.graphml")
    assert "dropped 5: deal id already read from an earlier source" in both.output


def test_an_output_named_for_another_format_is_refused(tmp_path):
    """--format gexf --out x.graphml wrote GEXF under a GraphML name."""
    _, graph = _graph(tmp_path)
    one_line_error(run("export", graph, "--format", "gexf", "--out", tmp_path / "x.graphml"),
                   "x.graphml names a graphml file, and the format asked for is gexf: "
                   "name it x.gexf")
    one_line_error(run("export", graph, "--format", "csv", "--out", tmp_path / "x.json"),
                   "--format csv writes files into a folder, and --out x.json names a json")
    one_line_error(run("load", graph, "--out-format", "json", "--out", tmp_path / "y.gexf"),
                   "y.gexf names a gexf file, and the format asked for is json")
    assert not (tmp_path / "x.graphml").exists() and not (tmp_path / "y.gexf").exists()


def test_one_organisation_in_two_known_groups_by_two_spellings_is_refused(tmp_path):
    """'Acme' and 'ACME' (or an id and a name) name one node: the second group silently
    won. The same group twice is no clash."""
    _, graph = _graph(tmp_path)
    clash = write(tmp_path / "k.csv", "id,group\nAcme,North\nGamma,South\nACME ,South\n")
    one_line_error(run("analyze", graph, "--known-groups", clash, "--out", tmp_path / "a"),
                   "k.csv: 'Acme' (in North) and 'ACME' (in South) both name Acme (acme); an "
                   "organisation belongs to one known group")
    same = write(tmp_path / "s.csv", "id,group\nAcme,North\nacme,North\nGamma,South\n")
    result = run("analyze", graph, "--known-groups", same, "--out", tmp_path / "a")
    assert result.exit_code == 0, result.output


def test_graph_file_ids_are_identities_names_join_by_name(tmp_path):
    """A graph file's node 'foo' (no name) was merged into node 'x' named 'Foo'; a table's
    'Foo' (keyed 'foo') was merged by id into the node 'foo' named 'Other'. Nodes of one
    file stay apart; a table's name joins the node that bears it."""
    unnamed = write(tmp_path / "u.json", json.dumps({
        "directed": False, "multigraph": False, "graph": {},
        "nodes": [{"id": "x", "name": "Foo"}, {"id": "foo"}, {"id": "y", "name": "Y"}],
        "edges": [{"source": "x", "target": "y"}, {"source": "foo", "target": "y"}]}))
    result = run("load", unnamed, "--out", tmp_path / "u.graphml")
    assert result.exit_code == 0 and "3 organisations, 2 ties" in result.output, result.output
    other = unnamed.read_text().replace('{"id": "foo"}', '{"id": "foo", "name": "Other"}')
    named = write(tmp_path / "n.json", other)
    table = write(tmp_path / "d.csv", "deal,participant\n1,Foo\n1,Y\n")
    result = run("load", named, table, "--out", tmp_path / "c.graphml")
    assert "'Foo' -> 'Foo' (id 'x'" in result.output, result.output
    graph = nx.read_graphml(tmp_path / "c.graphml")
    assert sorted(graph.nodes) == ["foo", "x", "y"]
    assert (graph.edges["x", "y"]["deals"], graph.edges["foo", "y"]["deals"]) == (2, 1)


def test_nameless_airlines_and_unflown_segments_say_what_they_are(tmp_path):
    """An OpenFlights airline named '\\N' or "" printed as 'None' (the text); a codeshare
    held-out check with nothing to hide printed 'nan%'; zero-seat segments made cosine
    0/0 (NaN)."""
    folder = tmp_path / "of"
    folder.mkdir()
    write(folder / "airlines.dat", '1,\\N,\\N,"AA","AAL","A","United States","Y"\n'
          '2,"",\\N,"BB","BBB","B","France","Y"\n')
    write(folder / "routes.dat", "AA,1,JFK,\\N,LHR,\\N,Y,0,744\nBB,2,JFK,\\N,LHR,\\N,,0,744\n")
    result = run("overlap", folder, "--by", "markets", "--out", tmp_path / "o.csv")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "o.csv", dtype=str)
    assert table[["a_name", "b_name"]].values.tolist() == [["AA", "BB"]]
    result = run("codeshares", folder, "--out", tmp_path / "cs")
    assert "held-out check: not possible, with 1 unambiguous route too few to hide any" in \
        result.output and "nan" not in result.output, result.output
    segments = write(tmp_path / "optd_airline_segs_mthly_201708.csv",
                     "#legori;legdes;operating_airline;deptdtYYYYMM;capacity;frequency\n"
                     "AAA;BBB;XX;201708;0;3\nAAA;BBB;YY;201708;100;3\nAAA;CCC;YY;201708;100;3\n"
                     "AAA;CCC;XX;201708;50;2\nAAA;DDD;XX;201708;0;0\n")
    result = run("load", segments, "--out", tmp_path / "s.graphml")
    assert "dropped 1: segment with 0 seats and 0 flights (not flown) (e.g. row 6)" in \
        result.output
    run("overlap", segments, "--by", "markets", "--weight", "seats", "--out", tmp_path / "w.csv")
    pair = pd.read_csv(tmp_path / "w.csv").iloc[0]
    # XX offers seats only on AAA-CCC; YY on AAA-BBB and AAA-CCC.
    assert (pair["shared"], pair["jaccard"], pair["cosine"]) == (1, 0.5, pytest.approx(
        50 * 100 / (50 * (100**2 + 100**2) ** 0.5)))


def test_graph_file_edges_that_disagree_with_themselves(tmp_path):
    """Deal lists that disagree with `deals` were dropped without a word, and 'deals used'
    counted records, not the deals they stand for; a span running backwards was read."""
    def graph_file(name, edge):
        return write(tmp_path / name, json.dumps({
            "graph": {}, "nodes": [{"id": "x"}, {"id": "y"}],
            "edges": [{"source": "x", "target": "y", **edge}]}))

    mismatch = graph_file("m.json", {"deals": 3, "deal_ids": ["d1"]})
    result = run("load", mismatch, "--out", tmp_path / "g.graphml")
    assert "edge x - y does not list its deals consistently" in result.output, result.output
    assert "all deals: 3 deals used" in result.output
    backwards = graph_file("b.json", {"first_year": 2015, "last_year": 2010})
    one_line_error(run("load", backwards, "--out", tmp_path / "g.graphml"),
                   "b.json: edge x - y runs from 2015 to 2010: expected the first date on or "
                   "before the last")


def test_query_and_ego_agree_on_an_organisation_without_ties(tmp_path):
    """`ego` read the graph file whole, `query` loaded it and dropped nodes without edges:
    one said 'Zed: 0 partners', the other 'no organisation Zed is in the sources'."""
    path = write(tmp_path / "iso.json", json.dumps({
        "graph": {}, "nodes": [{"id": "x", "name": "Foo"}, {"id": "y", "name": "Yak"},
                               {"id": "z", "name": "Zed"}],
        "edges": [{"source": "x", "target": "y"}]}))
    ego = run("ego", path, "Zed")
    assert ego.exit_code == 0 and "Zed [z]: 0 partners" in ego.output, ego.output
    query = run("query", "partners", path, "--param", "org=Zed")
    assert query.exit_code == 0 and "(no rows)" in query.output, query.output


def test_a_positions_file_for_another_network_is_said(tmp_path):
    _, graph = _graph(tmp_path)
    positions = write(tmp_path / "p.json", '{"zzz": [1, 2]}')
    result = run("map", graph, "--positions", positions, "--out", tmp_path / "m.html")
    assert "the positions file places none of these organisations: laid out afresh" in \
        result.output and "positions reused" not in result.output, result.output


def test_a_date_out_of_range_says_the_range_and_cells_read_as_written(tmp_path):
    """1850 was 'not a date such as 2014-06-30'; Excel dates were quoted as
    Timestamp('1850-01-01 00:00:00')."""
    from graphkit.dates import latest

    text = write(tmp_path / "d.csv", "Deal,Participant,Date\n1,A,1850-01-01\n1,B,2001-01-01\n")
    one_line_error(run("load", text, "--bad-rows", "error", "--out", tmp_path / "g.graphml"),
                   f"row 2, column 'Date': expected a date from 1900 to {latest().year}, such "
                   "as 2014-06-30", "got '1850-01-01'")
    pd.DataFrame({"Deal": [1, 1], "Participant": ["A", "B"],
                  "Date": pd.to_datetime(["1850-01-01", "2001-01-01"])}).to_parquet(
        tmp_path / "d.parquet")
    result = run("load", tmp_path / "d.parquet", "--bad-rows", "error", "--out",
                 tmp_path / "g.graphml")
    one_line_error(result, "got 1850-01-01 (--bad-rows")
    assert "Timestamp" not in result.output
    member = write(tmp_path / "optd_airline_alliance_membership.csv",
                   "alliance_name^alliance_type^airline_iata_code_2c^airline_name^from_date^"
                   "to_date^env_id\nStar^Member^LH^Lufthansa^1850-05-14^^\n")
    one_line_error(run("load", member, "--out", tmp_path / "g.graphml"),
                   f"expected a date from 1900 to {latest().year} such as 2014-06-30, got "
                   "'1850-05-14'")


def test_options_given_twice_or_crossed_are_refused(tmp_path):
    """A role given two columns, a column given two roles, a query parameter given two
    values: the last silently won."""
    deals, graph = _graph(tmp_path)
    one_line_error(run("load", deals, "--column", "participant=Participants", "--column",
                       "participant=Deal Number", "--out", tmp_path / "x.graphml"),
                   "--column participant= is given twice ('Participants' and 'Deal Number')")
    one_line_error(run("load", deals, "--column", "participant=Participants", "--column",
                       "deal_id=Participants", "--out", tmp_path / "x.graphml"),
                   "--column maps 'Participants' to two roles (participant and deal_id)")
    one_line_error(run("query", "partners", graph, "--param", "org=Acme", "--param",
                       "org=Beta"), "--param org= is given twice ('Acme' and 'Beta')")


def test_empty_lists_and_unfit_separators_are_refused(tmp_path):
    """--measures "" silently meant every measure, --separator a cut 'Lufthansa' into
    'Lufth' and 'ns', --separator "" meant the default."""
    deals, graph = _graph(tmp_path)
    one_line_error(run("analyze", graph, "--measures", " , ", "--out", tmp_path / "a"),
                   "'--measures': is empty: give one or more names")
    one_line_error(run("load", deals, "--types", "", "--out", tmp_path / "x.graphml"),
                   "'--types': is empty")
    one_line_error(run("load", deals, "--separator", "a;", "--out", tmp_path / "x.graphml"),
                   "--separator 'a' would cut names apart")
    one_line_error(run("load", deals, "--separator", "", "--out", tmp_path / "x.graphml"),
                   "--separator is empty, which splits nothing")
    assert not (tmp_path / "x.graphml").exists() and not (tmp_path / "a").exists()


def test_a_node_id_written_twice_in_xml_is_refused(tmp_path):
    """JSON duplicates were refused; GraphML and GEXF readers merged them silently, the
    second node's name winning."""
    graph = nx.Graph()
    graph.add_node("a", name="Acme")
    graph.add_edge("a", "b")
    for suffix, write_xml in ((".graphml", nx.write_graphml), (".gexf", nx.write_gexf)):
        path = tmp_path / f"g{suffix}"
        write_xml(graph, path)
        text = path.read_text()
        start = text.index('<node id="a"')
        end = text.index("</node>", start) + len("</node>")
        path.write_text(text[:end] + text[start:end].replace("Acme", "Other") + text[end:])
        one_line_error(run("info", path), f"g{suffix}: node id 'a' appears twice")


def test_gexf_says_what_it_holds_and_csv_holds_no_nul(tmp_path):
    """GEXF has no graph attributes, so an exported file lost its selection; a NUL byte in a
    name went into CSV for spreadsheets as it was."""
    deals = write(tmp_path / "d.csv", "Deal,Date,Participant\n1,2001-01-01,Acme\x00Corp\n"
                  "1,2001-01-01,Beta\n")
    assert run("load", deals, "--as-of", "2005-01-01", "--out", tmp_path / "g.graphml"
               ).exit_code == 0
    assert run("export", tmp_path / "g.graphml", "--format", "gexf", "--out",
               tmp_path / "g.gexf").exit_code == 0
    text = (tmp_path / "g.gexf").read_text()
    assert "<description>graphkit partner graph; selection: deals in force on 2005-01-01" in text
    assert run("load", deals, "--out", tmp_path / "g.json").exit_code == 0  # JSON keeps NUL
    assert run("export", tmp_path / "g.json", "--format", "csv", "--out",
               tmp_path / "t").exit_code == 0
    nodes = (tmp_path / "t" / "nodes.csv").read_bytes()
    assert b"\x00" not in nodes and "Acme\ufffdCorp".encode() in nodes


def test_help_shows_no_empty_range():
    """click printed '[x<=None]' after options taking any finite number."""
    from graphkit.console.cli import main as group

    for name in group.commands:
        text = run(name, "--help").output
        assert "None]" not in text, (name, text)


def test_line_ends_blank_tops_and_trailing_delimiters(tmp_path):
    """Old-Mac line ends (CR alone) were a csv traceback; blank lines above the header made
    'file is empty'; a header ending in a delimiter made every row 'short'; a repeated
    non-Latin header went unread; pandas' own index column showed in field counts."""
    cr = tmp_path / "cr.csv"
    cr.write_bytes(b"deal_id,date,participant\rd1,2010-01-05,Alpha\rd1,2010-01-05,Beta\r")
    result = run("load", cr, "--out", tmp_path / "g.graphml")
    assert result.exit_code == 0 and "2 organisations, 1 tie" in result.output, result.output
    top = write(tmp_path / "top.csv", "\n  \ndeal_id,date,participant\nd1,2010-01-05,Alpha\n"
                "d1,2010-01-05,Beta\nd1,someday,Gamma\n")
    result = run("load", top, "--bad-rows", "error", "--out", tmp_path / "g.graphml")
    one_line_error(result, "top.csv, row 6, column 'date'")
    assert "2 blank lines above the header skipped (the header is line 3)" in result.output
    header_end = write(tmp_path / "h.csv", "deal_id,date,participant,\nd1,2010-01-05,Alpha\n"
                       "d1,2010-01-05,Beta\n")
    result = run("load", header_end, "--out", tmp_path / "g.graphml")
    assert result.exit_code == 0 and "'column 4'" in result.output, result.output
    assert "Unnamed" not in result.output
    kanji = write(tmp_path / "k.csv", "deal_id,参加者,date,参加者\nd1,Alpha,2010-01-05,Zeta\n")
    one_line_error(run("load", kanji, "--column", "participant=参加者", "--out",
                       tmp_path / "g.graphml"), "columns 2 and 4 are both named '参加者'")
    money = write(tmp_path / "m.csv", "deal_id,participant,Amount $,Amount €\nd1,A,1,2\n"
                  "d1,B,1,2\n")
    assert run("load", money, "--out", tmp_path / "g.graphml").exit_code == 0
    extra = write(tmp_path / "x.csv", "deal_id,date,participant\nd1,2010-01-05,Alpha,\n"
                  "d2,2011-03-01,Gamma,,X\n")
    one_line_error(run("load", extra, "--out", tmp_path / "g.graphml"),
                   "x.csv, row 3: this row has 5 fields and the header names 3")


def test_a_firm_named_like_an_airline_code_is_not_made_an_airline(tmp_path):
    """'GE' and 'BP' in a deals table were merged into TransAsia Airways and Air Botswana
    (their IATA codes); a code joins its airline only in deals with airlines ('LH; Air
    Canada', test_analyst_table). A name OpenFlights gives an airline ('KLM Royal Dutch
    Airlines') stopped joining KL once optd_airlines.csv renamed it 'KLM'."""
    from graphkit import bundled

    deals = write(tmp_path / "d.csv", "Deal Number,Date Announced,Participants\n"
                  "Y1,2010-02-01,GE; Hewlett Packard\nK1,2012-02-01,KLM Royal Dutch Airlines; "
                  "Air France\n")
    result = run("load", deals, bundled.bundled(bundled.OPENFLIGHTS),
                 bundled.bundled("optd/optd_airlines.csv"), "--out", tmp_path / "g.graphml")
    assert result.exit_code == 0, result.output
    assert "'GE' is also the airline code of TransAsia Airways; not merged" in result.output
    assert "'KLM Royal Dutch Airlines' -> 'KLM' (id 'KL'" in result.output
    graph = nx.read_graphml(tmp_path / "g.graphml")
    assert graph.has_edge("ge", "hewlett packard") and graph.has_edge("AF", "KL")


def test_evolve_changes_needs_two_dates_not_the_next_option(tmp_path):
    deals, _ = _graph(tmp_path)
    one_line_error(run("evolve", deals, "--changes", "2001-01-01", "--format", "csv"),
                   "--changes takes two dates, DATE1 DATE2")


def test_an_alias_with_two_canonical_names_is_refused(tmp_path):
    deals, _ = _graph(tmp_path)
    aliases = write(tmp_path / "a.csv", "alias,canonical\nAcme Corp,Acme\nacme corp.,Beta\n")
    one_line_error(run("load", deals, "--aliases", aliases, "--out", tmp_path / "g.graphml"),
                   "a.csv, row 3: 'acme corp.' is mapped to 'Beta' here and to 'Acme' in row 2")


def test_membership_spellings_copies_and_overlaps_count_each_tie_once(tmp_path):
    """'Star'/'star' were two alliances and 'ac'/'AC' two airlines; an identical row, or a
    period overlapping another of the same airline, tied it to every fellow member twice."""
    path = write(tmp_path / "optd_airline_alliance_membership.csv",
                 "alliance_name^alliance_type^airline_iata_code_2c^airline_name^from_date^"
                 "to_date^env_id\nStar^Member^LH^Lufthansa^1997-05-14^^\n"
                 "star^Member^UA^United^1997-05-14^^\nStar^Member^UA^United^2005-01-01^^\n"
                 "Star^Member^UA^United^2005-01-01^^\nStar^member^ac^Air Canada^1997-05-14^"
                 "2001-01-01^\nStar^Member^AC^Air Canada^2000-05-14^^\n")
    result = run("load", path, "--out", tmp_path / "g.graphml")
    assert result.exit_code == 0, result.output
    for said in ("dropped 1: membership row repeating an earlier one (e.g. row 5)",
                 "alliance names differing only in case read as one: 'star' as 'Star'",
                 "1 airline code written in lower case read as upper case",
                 "2 membership periods overlapping or continuing an earlier one"):
        assert said in result.output, result.output
    graph = nx.read_graphml(tmp_path / "g.graphml")
    assert sorted(graph.nodes) == ["AC", "LH", "UA"]
    assert {tuple(sorted(e)): d["deals"] for *e, d in graph.edges(data=True)} == {
        ("AC", "LH"): 1, ("AC", "UA"): 1, ("LH", "UA"): 1}
    (tmp_path / "c").mkdir()
    clash = write(tmp_path / "c" / "optd_airline_alliance_membership.csv",
                  "alliance_name^alliance_type^airline_iata_code_2c^airline_name^from_date^"
                  "to_date^env_id\nStar^Member^LH^Lufthansa^1997-05-14^^\n"
                  "Star^Affiliate^LH^Lufthansa^2000-05-14^^\n")
    one_line_error(run("load", clash, "--out", tmp_path / "g.graphml"),
                   "LH is listed as Member and Affiliate of Star in overlapping periods "
                   "(rows 2, 3)")


def test_a_membership_that_ends_before_it_starts_is_refused(tmp_path):
    path = write(tmp_path / "optd_airline_alliance_membership.csv",
                 "alliance_name^alliance_type^airline_iata_code_2c^airline_name^from_date^"
                 "to_date^env_id\nStar^Member^LH^Lufthansa^1997-05-14^^\n"
                 "Star^Member^UA^United^2010-01-01^2001-01-01^\n")
    one_line_error(run("load", path, "--out", tmp_path / "g.graphml"),
                   "row 3, column 'to_date': the membership ends (2001-01-01) before it starts")


# --- fourth probe ---------------------------------------------------------------------------

AIRLINE = '{id},"{name}",\\N,"{code}","{code}X","CALL","France","Y"\n'
ROUTE = "{code},{id},JFK,\\N,LHR,\\N,Y,0,744\n"


@pytest.mark.parametrize(("ids", "message"), [
    (["2", "2"], "rows 1 and 2 both have airline id 2"),
    (["1.5", "2"], None), (["99999999999999999999", "2"], None),
])
def test_openflights_airline_ids_are_whole_and_unique(tmp_path, ids, message):
    """Routes name airlines by id: a repeated id is ambiguous (one line); an id that is
    no whole number is left out and counted, never a crash."""
    folder = tmp_path / "of"
    folder.mkdir()
    codes = ["AA", "BB"]
    write(folder / "airlines.dat", "".join(AIRLINE.format(id=i, name=f"Air {c}", code=c)
                                           for i, c in zip(ids, codes, strict=True)))
    write(folder / "routes.dat", "".join(ROUTE.format(id=i, code=c)
                                         for i, c in zip(ids, codes, strict=True)))
    result = run("overlap", folder, "--by", "markets", "--out", tmp_path / "o.csv")
    if message:
        one_line_error(result, "airlines.dat, row 2", message)
    else:
        assert result.exit_code == 0, result.output
        from graphkit.loaders import load_sources

        dropped = load_sources([folder]).summaries[0].dropped
        assert dropped["airline row without a whole-number id"].count == 1


@pytest.mark.parametrize("capacity", ["inf", "1e400", "1e300"])
def test_segment_capacities_are_finite(tmp_path, capacity):
    path = write(tmp_path / "seg.csv", "#legori;legdes;operating_airline;deptdtYYYYMM;capacity;"
                 f"frequency\nAAA;BBB;XX;201708;{capacity};2\nAAA;BBB;YY;201708;5;2\n")
    one_line_error(run("overlap", path, "--source-format", "optd-segments", "--by", "markets",
                       "--weight", "seats", "--out", tmp_path / "o.csv"),
                   "column 'capacity': expected a number from 0 to 1e+15")


def test_a_huge_ecosystem_number_is_one_line(tmp_path):
    _, graph = _graph(tmp_path)
    partition = write(tmp_path / "eco.csv", "id,ecosystem\nacme,1e99\nbeta,0\ngamma,0\n")
    for command in (["map", graph, "--ecosystems", partition, "--out", tmp_path / "m.html"],
                    ["compare", graph, "Acme", "Beta", "--ecosystems", partition]):
        one_line_error(run(*command), "expected a whole ecosystem number")


def test_a_time_or_now_is_not_a_date(tmp_path):
    """dateutil and pandas read '10:30', 'now' and 'today' as today: a result would change
    with the day it was run. A cell must name its year."""
    from graphkit.dates import parse_dates

    cells = pd.Series(["10:30", "23:59:59", "10:30 PM", "12:00Z", "now", "today", "06/30/14"])
    dates, bad, _ = parse_dates(cells)
    assert bad.tolist() == [True] * 6 + [False] and dates.iloc[-1] == pd.Timestamp("2014-06-30")
    deals, _ = _graph(tmp_path)
    one_line_error(run("load", deals, "--as-of", "today", "--out", tmp_path / "g.graphml"),
                   "--as-of: expected a date like 2014-06-30, got 'today'")


@pytest.mark.parametrize("header", ["Participant,Participant", "Participant,participant "])
def test_two_columns_with_one_name_are_refused(tmp_path, header):
    """pandas renames the second ('Participant.1') and its participants went unread."""
    path = write(tmp_path / "d.csv", f"Deal Number,{header}\n1,A,B\n1,C,D\n")
    one_line_error(run("load", path, "--out", tmp_path / "g.graphml"),
                   "d.csv, row 1: columns 2 and 3 are both named")
