"""Every Cypher statement graphkit sends, checked by Neo4j's own parser and semantic checker.

The checker is the npm package @neo4j-cypher/language-support (lintCypherQuery), pinned
in tests/cypher_lint/package.json and run with the machine's node. Each file's declared
parameters are declared to the checker; any diagnostic fails the test.
"""

import json
import os
import re
import shutil
import subprocess
from importlib import resources
from pathlib import Path

import pytest

from graphkit.queries import all_statements, parse

LINT = Path(__file__).resolve().parent / "cypher_lint"
NODE = shutil.which("node")
READY = NODE and (LINT / "node_modules" / "@neo4j-cypher" / "language-support").is_dir()
REASON = ("Cypher checker not installed: run `npm ci` in tests/cypher_lint (.ci/run does)")
if not READY and os.environ.get("GRAPHKIT_REQUIRE_LINT") == "1":
    raise RuntimeError(REASON)

SAMPLES = {"STRING": "x", "INTEGER": 1, "FLOAT": 1.0, "DATE": "2014-06-30",
           "LIST<MAP>": [{}], "LIST<STRING>": ["x"], "MAP": {}}


def lint(items: list[dict]) -> list[dict]:
    result = subprocess.run([NODE, str(LINT / "lint.mjs")], input=json.dumps(items), text=True,
                            capture_output=True, cwd=LINT, check=True)
    return json.loads(result.stdout)


@pytest.mark.skipif(not READY, reason=REASON)
def test_every_statement_passes_neo4j_checker():
    statements = all_statements()
    assert len(statements) == 29
    items = [{"file": f"{s.name}.cypher", "query": s.text,
              "parameters": {p: SAMPLES[t] for p, t in s.parameters.items()}}
             for s in statements]
    problems = {r["file"]: r["diagnostics"] for r in lint(items) if r["diagnostics"]}
    assert problems == {}


@pytest.mark.skipif(not READY, reason=REASON)
def test_the_checker_catches_errors():
    bad = [{"file": "typo", "query": "MATCH (n) RETRUN n", "parameters": {}},
           {"file": "undeclared", "query": "MATCH (n {id: $id}) RETURN n", "parameters": {}},
           {"file": "unbound", "query": "MATCH (n) RETURN m", "parameters": {}}]
    found = {r["file"]: r["diagnostics"] for r in lint(bad)}
    assert all(found[name] for name in ("typo", "undeclared", "unbound"))


def test_headers_declare_every_parameter_used():
    for s in all_statements():
        used = set(re.findall(r"\$(\w+)", s.text))
        assert used == set(s.parameters), s.name
        assert s.description, s.name


def test_no_cypher_is_built_in_python():
    """Statements live in queries/*.cypher; no Python module of graphkit holds Cypher.

    The CLI is left out: its `graphkit cypher --help` shows the user an example statement.
    """
    root = resources.files("graphkit")
    pattern = re.compile(r"\b(MATCH|MERGE|UNWIND|CREATE CONSTRAINT)\s+[\(\$]")
    offenders = []
    for path in Path(str(root)).rglob("*.py"):
        if path.parent.name == "console":
            continue
        if pattern.search(path.read_text(encoding="utf-8")):
            offenders.append(path.name)
    assert offenders == []


def test_header_parser():
    s = parse("x", "// name: x\n// description: Says hi.\n// param who: STRING  a name\n"
                   "RETURN $who AS hi\n")
    assert (s.description, s.parameters, s.text) == ("Says hi.", {"who": "STRING"},
                                                     "RETURN $who AS hi")
