"""CLI-level fuzzing: generated files and option values for every command that reads input.

Whatever they hold, a command ends with exit 0, or exit 1 and exactly one line on stderr
(no traceback); a failed run leaves no new or temporary file and an earlier output
byte-identical. GRAPHKIT_FUZZ_EXAMPLES sets the number of examples (default 120).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphkit.console.cli import main

EXAMPLES = int(os.environ.get("GRAPHKIT_FUZZ_EXAMPLES", "120"))

CELL = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=10),
    st.sampled_from(["", "Acme Inc", "Beta AG", "Gamma; Delta", "N/A", "[*]", "=SUM(A1)",
                     "2001-02-03", "Q3 2016", "2016-??-??", "0001-01-01", "9999-12-31",
                     "03/04/2005", "soon", "inf", "nan", "-1", "0", "1e308", "3",
                     "<!--<script>", "\x1b[2J", "constructor", "__proto__", "中国", "$x$",
                     "2014-06-30T12:00+05:00", "2014-06-30T23:00Z", "2014-06-30T25:00",
                     "June 30, 2014 11pm -0500"]),
)
HEADERS = st.lists(st.sampled_from(["Deal Number", "Participants", "Date Announced",
                                    "Deal Type", "Status", "source", "target", "weight",
                                    "date", "Parties", "Alliance Date", "Other", ""]),
                   min_size=1, max_size=6)
NUMBER = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from([1, 2, 0, -1, "heavy", None, 10**20, 10**400, 5e-324,
                                    1.7e308]))
# Attribute values a graph file may hold: text (lone surrogates too), numbers, lists,
# objects, lists inside lists.
ATTRIBUTE = st.one_of(CELL, NUMBER, st.sampled_from(["\ud800", ["a", "b"], [["x"]], {"k": 1},
                                                     [{"k": 1}], True, []]))


@st.composite
def table_file(draw) -> tuple[str, bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=draw(st.sampled_from([",", ";", "\t"])))
    writer.writerow(draw(HEADERS))
    writer.writerows(draw(st.lists(st.lists(CELL, max_size=6), max_size=8)))
    # Encodings as exports write them, and broken ones: a byte-order mark over text that
    # is not in its encoding, an odd trailing byte.
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    data = buffer.getvalue().encode(encoding, errors="replace")
    data += draw(st.sampled_from([b"", b"", b"\xff", b"Z"]))
    if draw(st.booleans()):
        return "deals.csv.gz", gzip.compress(data)
    return "deals.csv", data


@st.composite
def graph_file(draw) -> tuple[str, bytes]:
    names = draw(st.lists(st.sampled_from(["a", "b", "c", "1", 1, "<x>", "\x01", "\udc00",
                                           True, False, 0.0, None, [1]]),
                          min_size=1, max_size=4))
    keys = st.sampled_from(["types", "deal_ids", "deal_dates", "aliases", "date", "x\x07"])
    edges = [{"source": draw(st.sampled_from(names)), "target": draw(st.sampled_from(names)),
              **({"weight": draw(NUMBER)} if draw(st.booleans()) else {}),
              **({"deals": draw(NUMBER)} if draw(st.booleans()) else {}),
              **draw(st.dictionaries(keys, ATTRIBUTE, max_size=2))}
             for _ in range(draw(st.integers(0, 5)))]
    document = draw(st.sampled_from(["graph", "list", "nodes-only"]))
    if document == "list":
        body: object = [names]
    elif document == "nodes-only":
        body = {"nodes": [{"id": n} for n in names]}
    else:
        body = {"directed": draw(st.booleans()), "multigraph": False,
                "graph": draw(st.sampled_from([{}, {"name": "g"}, [1, 2]])),
                "nodes": [{"id": n, "name": draw(CELL), **({"aliases": draw(ATTRIBUTE)}
                                                           if draw(st.booleans()) else {})}
                          for n in _distinct(names)],
                draw(st.sampled_from(["edges", "links"])): edges}  # "links": NetworkX < 3.4
    return "graph.json", json.dumps(body, allow_nan=True).encode("utf-8")


def _distinct(values: list) -> list:
    """Each value once, by type and value (True and 1 are equal in Python, not in JSON)."""
    seen, out = set(), []
    for value in values:
        key = json.dumps(value)
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out


OPTION_VALUES = {
    "--as-of": ["2014-06-30", "2018", "June", "0003-01-01", "2001-01-01", " ", "NaT", "nan",
                "2014-06-30T12:00+05:00", "2015-01-01Z", "x\udcff"],
    "--delimiter": ["\\t", ";;", "\n", '"', "tab", ";", ",", "é", "¦"],
    "--encoding": ["undefined", "rot13", "utf-16", "latin-1", "nosuch"],
    "--seed": ["-1", "99999999999", "3"],
    "--resolution": ["nan", "inf", "1e400", "0.5", "0"],
    "--window": ["5", "0", "-1", "nan", "1e9", "0.5", "1e-320"],
    "--title": ["Alliances", "x\udcff", "<!--<script>"],
    "--top": ["1", "-3", "x", "5"],
    "--min-weight": ["1", "nan", "-inf", "0"],
    "--horizon": ["3", "0", "-1", "nan", "1e9", "0.5", "inf"],
    "--start": ["2000", "0", "-5", "99999", "x"],
    "--end": ["2010", "1999", "0", "99999"],
    "--step": ["1", "0", "-2", "50"],
    "--sample": ["1", "0", "10"],
    "--depth": ["1", "0", "3"],
    "--types": ["Joint Venture", "nothing"],
    "--separator": [",", ";|,", "x"],
    "--max-participants": ["2", "1", "3"],
    "--large-deals": ["skip", "star", "clique", "bad"],
}
COMMANDS = {
    "load": (["--out", "{out}/g.graphml"], "table", ["--as-of", "--window", "--types",
                                                     "--separator", "--max-participants",
                                                     "--large-deals", "--delimiter",
                                                     "--encoding"]),
    "info": ([], "graph", ["--top"]),
    "analyze": (["--out", "{out}/an"], "graph", ["--top", "--seed", "--resolution"]),
    "map": (["--out", "{out}/m.html"], "graph", ["--top", "--min-weight", "--depth", "--seed",
                                                 "--resolution", "--title"]),
    "export": (["--format", "gexf", "--out", "{out}/g.gexf"], "graph", ["--seed"]),
    "overlap": (["--out", "{out}/o.csv"], "table", ["--as-of", "--window"]),
    "evolve": (["--out", "{out}/ev"], "table", ["--window"]),
    "ego": (["Acme"], "graph", ["--depth", "--top"]),
    "compare": (["a", "b"], "graph", []),
    "query": (["partners"], "table", []),
    "panel": (["--out", "{out}/p.csv"], "table", ["--window", "--start", "--end", "--step",
                                                  "--seed"]),
    "predict": (["--as-of", "2010-12-31", "--out", "{out}/pr.csv"], "table",
                ["--horizon", "--window", "--top", "--sample", "--seed"]),
}


@settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 200,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(st.sampled_from(sorted(COMMANDS)), table_file(), graph_file(), st.data())
def test_every_command_fails_cleanly_or_succeeds(tmp_path_factory, command, table, graph,
                                                 data):
    tmp = tmp_path_factory.mktemp("fuzz")
    out = tmp / "out"
    out.mkdir()
    fixed, kind, options = COMMANDS[command]
    name, content = table if kind == "table" else graph
    source = tmp / name
    source.write_bytes(content)
    args = [command]
    if command == "query":
        args += ["partners", str(source), "--param", f"org={data.draw(CELL)}"]
    elif command in ("ego", "compare"):
        args += [str(source), *fixed]
    else:
        args += [str(source)] + [a.format(out=out) for a in fixed]
    if "--out" in args and data.draw(st.integers(0, 9)) == 0:  # the output onto the input
        args[args.index("--out") + 1] = str(source)
    chosen = data.draw(st.lists(st.sampled_from(options), unique=True, max_size=3)) \
        if options else []
    for option in chosen:
        args += [option, data.draw(st.sampled_from(OPTION_VALUES[option]))]
    earlier = out / "g.graphml"
    earlier.write_bytes(b"earlier output")
    before = sorted(p.relative_to(tmp) for p in tmp.rglob("*"))

    result = CliRunner().invoke(main, args)

    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args, repr(result.exception))
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert not list(tmp.rglob("*.tmp")), args
    assert source.read_bytes() == content, args  # an input is never written
    if result.exit_code != 0:
        assert result.exit_code == 1, (args, result.exit_code, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), (args, result.stderr)
        assert sorted(p.relative_to(tmp) for p in tmp.rglob("*")) == before, args
        assert earlier.read_bytes() == b"earlier output"


def test_the_fuzzer_sees_real_failures(tmp_path):
    """A control: the same checks catch a command that fails badly (it would pass if the
    checks could not fail)."""
    result = CliRunner().invoke(main, ["info", str(Path(tmp_path) / "missing.json")])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
