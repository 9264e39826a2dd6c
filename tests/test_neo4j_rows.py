"""What graphkit sends Neo4j, checked without a server: the rows, the statements and the
Python-side rules (semantics from the Neo4j 5 manuals, cited per test)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from graphkit.errors import InputError
from graphkit.loaders.deals import deals_from_frame
from graphkit.neo4j_store import check_version, load_plan, model_rows, typed_parameters
from graphkit.projection import check_selection, graph_from_ties, tie_table
from graphkit.queries import statement

EDITED = pd.DataFrame({"Deal Number": ["1", "1", "1", "2", "2"],
                       "Participants": ["Acme", "Beta", "Gamma", "Beta", "Delta"],
                       "Date Announced": ["2010-01-01"] * 5})


def test_every_tie_runs_from_the_smaller_id(airline_data):
    # Cypher manual, MERGE: a directed pattern `MERGE (a)-[:T]->(b)` matches only a->b, so
    # a tie must always be sent in one direction or a reload in another order adds a copy.
    ties = tie_table(airline_data)
    assert (ties["a"].astype(str) < ties["b"].astype(str)).all()
    assert "MERGE (a)-[t:PARTNERS_WITH]->(b)" in statement("rebuild_partnerships").text
    assert "CASE WHEN x.id < y.id THEN x ELSE y END AS a" in \
        statement("rebuild_partnerships").text
    rows = model_rows(airline_data)["partnerships"]
    assert all(r["a"] < r["b"] for r in rows)


def test_neo4j_admin_files_keep_the_direction_codes_and_order(tmp_path, airline_data):
    from graphkit.neo4j_admin import SCHEMA_FILE, write_import_files

    command = write_import_files(airline_data, tmp_path)
    ties = pd.read_csv(tmp_path / "partners_with.csv", dtype=str)
    assert (ties[":START_ID(Organization)"] < ties[":END_ID(Organization)"]).all()
    orgs = pd.read_csv(tmp_path / "organizations.csv", dtype=str)
    assert {"iata", "icao"} <= set(orgs.columns)  # the codes the online load stores too
    # Operations manual (5.19+): the database name comes first, since --nodes takes every
    # value after it; quoted fields may hold line breaks only with --multiline-fields.
    assert command.startswith("neo4j-admin database import full neo4j --nodes=")
    assert "--multiline-fields=true" in command
    schema = (tmp_path / SCHEMA_FILE).read_text(encoding="utf-8")
    assert schema.count("CREATE CONSTRAINT") == 4


def test_a_reload_after_an_edit_replaces_participants_and_rebuilds_ties():
    plan = {name: rows for name, _, rows in load_plan(deals_from_frame(EDITED))}
    # deal 1 now has Acme, Beta, Gamma: any other PARTY_TO of deal 1 is deleted
    assert {"deal": "1", "orgs": ["acme", "beta", "gamma"]} in plan["prune_participation"]
    assert "WHERE NOT o.id IN row.orgs" in statement("prune_participation").text
    # ties are recomputed in Cypher for every organisation touched, never sent as figures
    assert plan["rebuild_partnerships"] == ["acme", "beta", "delta", "gamma"]
    assert plan["drop_stale_partnerships"] == plan["rebuild_partnerships"]
    assert "load_partnerships" not in plan
    # organisations get exactly their current properties (a vanished code is removed)
    assert "SET o = row.props" in statement("load_organizations").text


def test_types_and_statuses_are_stored_as_text():
    frame = EDITED.assign(**{"Deal Type": [3001.0] * 5, "Status": [7] * 5})
    deals = model_rows(deals_from_frame(frame))["load_deals"]
    assert {(d["type"], d["status"]) for d in deals} == {("3001", "7")}


def test_typed_parameters():
    import datetime as dt

    assert typed_parameters({"since:date": "2014-06-30", "id": "0042", "n:int": "5",
                             "x:float": "1.5", "ok:bool": "true", "ids:list": '["a", "b"]'}) \
        == {"since": dt.date(2014, 6, 30), "id": "0042", "n": 5, "x": 1.5, "ok": True,
            "ids": ["a", "b"]}
    with pytest.raises(InputError, match="--param since:date: expected a date"):
        typed_parameters({"since:date": "June"})
    with pytest.raises(InputError, match="unknown type 'time'"):
        typed_parameters({"t:time": "12:00"})
    # A float parameter is finite ('nan' and 'inf' are slips); a name is what $name can
    # hold; one name given two types would have let the last win.
    for raw, message in (({"x:float": "nan"}, "expected a finite number, got 'nan'"),
                         ({"x:float": "-inf"}, "expected a finite number"),
                         ({":int": "3"}, "a parameter name is letters, digits and _"),
                         ({"1a": "x"}, "a parameter name is letters"),
                         ({"x": "a", "x:int": "3"}, "--param x is given twice")):
        with pytest.raises(InputError, match=re.escape(message)):
            typed_parameters(raw)


def test_hops_are_checked_before_any_query():
    from graphkit.queries.library import QUERIES, parse_params, resolve_params

    with pytest.raises(InputError, match="--param hops: expected a positive integer"):
        parse_params(QUERIES["ecosystem"], {"org": "x", "hops": "0"})
    params = parse_params(QUERIES["ecosystem"], {"org": "x", "hops": "40"})
    with pytest.raises(InputError, match="hops must be 1 to 15"):
        resolve_params(QUERIES["ecosystem"], params, lambda v: v, [])
    # Cypher manual, shortest paths (5.21+): one breadth-first search from the start node
    # to every unbound end node; a quantifier's bound must be a literal (15).
    text = statement("ecosystem").text
    assert "ANY SHORTEST (o)-[:PARTNERS_WITH]-{1,15}(x:Organization)" in text
    assert "WHERE hops <= $hops" in text


def test_rows_come_back_in_a_fixed_order():
    assert statement("project_ties").text.rstrip().endswith("ORDER BY a, b")
    assert statement("top_brokers").text.rstrip().endswith("ORDER BY a, b")
    assert statement("group_members").text.rstrip().endswith("ORDER BY id, start")
    # and whatever order rows arrive in, the graph is built in (a, b) order
    ties = pd.DataFrame({"a": ["b", "a", "a"], "b": ["c", "c", "b"], "deals": [1, 1, 1],
                         "weight": [1.0, 1.0, 1.0], "first_year": [None] * 3,
                         "last_year": [None] * 3})
    orgs = pd.DataFrame(index=pd.Index([], name="id"))
    one = graph_from_ties(ties, orgs)
    two = graph_from_ties(ties.iloc[::-1].reset_index(drop=True), orgs)
    assert list(one.nodes) == list(two.nodes) == ["a", "b", "c"]
    assert list(one.edges) == list(two.edges)


@pytest.mark.parametrize("window", [0, -1, float("nan")])
def test_one_set_of_selection_rules(window):
    with pytest.raises(InputError, match="--window: expected a number of years from one day"):
        check_selection(pd.Timestamp("2014-06-30"), window)
    # a time of day is cut to its date on every backend
    assert check_selection(pd.Timestamp("2014-06-30 18:30"), 5)[0] == pd.Timestamp("2014-06-30")


def test_minimum_server_version():
    rows = pd.DataFrame({"name": ["Neo4j Kernel"], "versions": [["5.20.0"]],
                         "edition": ["community"]})
    with pytest.raises(InputError, match=r"needs Neo4j 5\.21 or later .* this server is 5\.20\.0"):
        check_version(rows)
    assert check_version(rows.assign(versions=[["5.26.1"]])) == "5.26.1"
    assert check_version(rows.assign(versions=[["2025.01.0"]])) == "2025.01.0"
