"""Neo4j commands without a server: clear errors, no secrets printed; neo4j-admin files."""

import csv
import socket

from click.testing import CliRunner

from graphkit import bundled
from graphkit.console.cli import main


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def invoke(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env or {})


def test_unreachable_server_is_one_clear_line_and_password_stays_secret(tmp_path):
    uri = f"neo4j://127.0.0.1:{closed_port()}"
    for args in (["cypher", "MATCH (n) RETURN count(n)"],
                 ["query", "partners", "--backend", "neo4j", "--param", "org=LH"],
                 ["analyze", "--from", "neo4j", "--out", tmp_path / "a"],
                 ["load", bundled.bundled(bundled.MEMBERSHIP), "--into", "neo4j"]):
        result = invoke(*args, "--uri", uri, "--password", "s3cret-pw")
        assert result.exit_code == 1, result.output
        assert f"error: cannot reach Neo4j at {uri}" in result.output
        assert "s3cret-pw" not in result.output
        assert "Traceback" not in result.output


def test_missing_connection_settings():
    result = invoke("cypher", "RETURN 1", env={"NEO4J_URI": "", "NEO4J_PASSWORD": ""})
    assert result.exit_code == 1 and "no Neo4j server given" in result.output
    result = invoke("cypher", "RETURN 1", "--uri", "neo4j://127.0.0.1:7687",
                    env={"NEO4J_PASSWORD": ""})
    assert "no Neo4j password given" in result.output


def test_into_neo4j_refuses_filters():
    result = invoke("load", bundled.bundled(bundled.MEMBERSHIP), "--into", "neo4j", "--as-of",
                    "2014-06-30", "--uri", "neo4j://127.0.0.1:1", "--password", "x")
    assert result.exit_code == 1 and "filters apply when reading back" in result.output


def test_query_command_networkx_backend():
    result = invoke("query", "group_members", bundled.bundled(bundled.MEMBERSHIP),
                    "--param", "group=Star Alliance", "--param", "as_of=2014-06-30",
                    "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.output.splitlines()))
    assert len(rows) == 28 and rows[0].keys() == {"id", "name", "role", "start", "end"}
    listing = invoke("query", "--list").output
    assert all(name in listing for name in ("partners", "shortest_paths", "top_brokers",
                                            "market_overlap", "rival_bridges"))
    bad = invoke("query", "partners", bundled.bundled(bundled.MEMBERSHIP))
    assert bad.exit_code == 1 and "needs --param org" in bad.output


def test_neo4j_admin_import_files(tmp_path):
    out = tmp_path / "import"
    result = invoke("export", bundled.bundled(bundled.MEMBERSHIP), "--format", "neo4j-admin",
                    "--out", out)
    assert result.exit_code == 0, result.output
    command = (out / "IMPORT_COMMAND.txt").read_text(encoding="utf-8")
    assert command.startswith("neo4j-admin database import full ")
    assert "--nodes=Organization=" in command and "--relationships=PARTY_TO=" in command
    with open(out / "deals.csv", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == ["id:ID(Deal)", "type", "date:date", "ended:date", "status", "source",
                      "count:long", "weight:double"]
    with open(out / "party_to.csv", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [":START_ID(Organization)", ":END_ID(Deal)"]
    assert len(rows) - 1 == 2 * 2004  # two participants per co-membership tie
