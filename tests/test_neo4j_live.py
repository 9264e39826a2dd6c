"""Against a live Neo4j 5 server: set NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD (and optionally
NEO4J_DATABASE) to run these. They DELETE every :Organization, :Deal, :Group and :Market
node in that database first: point them at a scratch database.

No server can be installed on graphkit's build machines, so there they skip.
"""

import os

import networkx as nx
import pandas as pd
import pytest

from graphkit import bundled
from graphkit.errors import InputError
from graphkit.loaders import load_sources
from graphkit.loaders.deals import deals_from_frame
from graphkit.neo4j_store import Connection, connect, read_partner_graph, read_rows, write_model
from graphkit.projection import partner_graph, tie_table
from graphkit.queries.library import QUERIES, parse_params, run

MISSING = [v for v in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD") if not os.environ.get(v)]
pytestmark = pytest.mark.skipif(
    bool(MISSING), reason=f"live Neo4j tests need a server: {', '.join(MISSING)} not set")

WIPE = "MATCH (n) WHERE n:Organization OR n:Deal OR n:Group OR n:Market DETACH DELETE n"
COUNTS = {
    "organizations": "MATCH (n:Organization) RETURN count(n) AS n",
    "deals": "MATCH (n:Deal) RETURN count(n) AS n",
    "party_to": "MATCH ()-[r:PARTY_TO]->() RETURN count(r) AS n",
    "partners_with": "MATCH ()-[r:PARTNERS_WITH]->() RETURN count(r) AS n",
    "member_of": "MATCH ()-[r:MEMBER_OF]->() RETURN count(r) AS n",
    "serves": "MATCH ()-[r:SERVES]->() RETURN count(r) AS n",
}


@pytest.fixture(scope="module")
def conn():
    return Connection.from_options(None, None, None, None)


@pytest.fixture(scope="module")
def driver(conn):
    d = connect(conn)
    yield d
    d.close()


@pytest.fixture(scope="module")
def data():
    return load_sources([bundled.bundled(bundled.OPENFLIGHTS), bundled.bundled(bundled.MEMBERSHIP)])


def counts(driver, database):
    with driver.session(database=database) as session:
        return {k: session.run(q).single()["n"] for k, q in COUNTS.items()}


@pytest.fixture(scope="module")
def loaded(driver, conn, data):
    with driver.session(database=conn.database) as session:
        session.run(WIPE).consume()
    first = write_model(driver, data, database=conn.database, batch_size=2000)
    return first


def test_counts_match_the_model(loaded, driver, conn, data):
    got = counts(driver, conn.database)
    assert got["organizations"] == len(data.organizations)
    assert got["deals"] == len(data.deals)
    assert got["party_to"] == len(data.participants)
    assert got["partners_with"] == len(tie_table(data))
    assert got["member_of"] == len(data.groups)
    assert got["serves"] == data.routes[["org_id", "market"]].drop_duplicates().shape[0]
    assert loaded.counters["nodes_created"] > 0


def test_loading_twice_changes_nothing(loaded, driver, conn, data):
    before = counts(driver, conn.database)
    again = write_model(driver, data, database=conn.database, batch_size=3000)
    assert again.counters["nodes_created"] == 0
    assert again.counters["relationships_created"] == 0
    assert counts(driver, conn.database) == before


@pytest.mark.parametrize(("as_of", "window", "types"), [
    (None, None, None), ("2014-06-30", None, None), ("2010-06-30", 5.0, ["alliance"])])
def test_read_back_equals_direct_load(loaded, driver, conn, data, as_of, window, types):
    date = pd.Timestamp(as_of) if as_of else None
    direct = partner_graph(data, as_of=date, window=window, types=types)
    back = read_partner_graph(driver, database=conn.database, as_of=date, window=window,
                              types=types)
    assert set(back.nodes) == set(direct.nodes)
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in direct.edges}
    for u, v, d in direct.edges(data=True):
        b = back.edges[u, v]
        assert (b["deals"], b["weight"], b["types"]) == (d["deals"], d["weight"], d["types"])
        assert sorted(b["deal_ids"]) == sorted(d["deal_ids"])
        assert (b.get("first_year"), b.get("last_year")) == (d.get("first_year"),
                                                              d.get("last_year"))
    assert nx.get_node_attributes(back, "name") == nx.get_node_attributes(direct, "name")


CASES = {
    "partners": {"org": "CO"},
    "shared_partners": {"a": "LH", "b": "UA"},
    "shortest_paths": {"a": "LH", "b": "AA"},
    "ecosystem": {"org": "LH", "hops": "2"},
    "top_brokers": {"as_of": "2014-03-31", "years": "30", "limit": "10"},
    "new_partners": {"org": "CO", "since": "2009-01-01"},
    "group_members": {"group": "Star Alliance", "as_of": "2014-06-30"},
    "market_overlap": {"a": "AA", "b": "US"},
    # LH and UA share Star Alliance partners in the window: rows to compare, not 0 = 0
    "rival_bridges": {"a": "LH", "b": "UA", "as_of": "2014-03-31", "years": "30"},
}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_named_query_equal_across_backends(loaded, driver, conn, data, name):
    params = parse_params(QUERIES[name], CASES[name])
    local = run(name, params, data=data)
    remote = run(name, params, driver=driver, database=conn.database)
    assert len(local) > 0, "a comparison of two empty answers proves nothing"
    # Cypher's sum() has no fixed order: float sums agree to rounding, not bit for bit
    pd.testing.assert_frame_equal(local.reset_index(drop=True), remote.reset_index(drop=True),
                                  check_dtype=False, check_exact=False, rtol=1e-12)


def test_hostile_names_are_only_data(loaded, driver, conn):
    hostile = ["O'Brien \"Quotes\" Ltd", "Back`tick` Corp", "}) DETACH DELETE n //",
               "$param {x: 1}", "Robert'); MATCH (n) DETACH DELETE n; //"]
    before = counts(driver, conn.database)
    frame = pd.DataFrame({"Deal Number": ["h1"] * len(hostile), "Participants": hostile})
    # One name holds ';', a default participant separator: split on a character no name
    # holds, so each name arrives whole and the test tests what it says.
    data = deals_from_frame(frame, separator="\u241e")
    assert sorted(data.organizations["name"]) == sorted(hostile)
    write_model(driver, data, database=conn.database)
    after = counts(driver, conn.database)
    assert after["organizations"] == before["organizations"] + len(hostile)
    names = read_rows(driver, "MATCH (o:Organization)-[:PARTY_TO]->(:Deal {id: $d}) "
                      "RETURN o.name AS name", {"d": "h1"}, conn.database)
    assert sorted(names["name"]) == sorted(hostile)


def test_wrong_password(conn):
    wrong = Connection(uri=conn.uri, user=conn.user, password=conn.password + "-wrong",
                       database=conn.database)
    with pytest.raises(InputError, match="wrong user name or password") as err:
        connect(wrong)
    assert wrong.password not in str(err.value)



def test_reload_after_an_edit_follows_the_file(driver, conn):
    """A deal edited between two loads keeps only its current participants, and the ties
    are what the deals say (runs near the end: it replaces the loaded data)."""
    with driver.session(database=conn.database) as session:
        session.run(WIPE).consume()
    first = pd.DataFrame({"Deal Number": ["1", "1", "2", "2"],
                          "Participants": ["Acme", "Beta", "Beta", "Gamma"]})
    write_model(driver, deals_from_frame(first), database=conn.database)
    edited = pd.DataFrame({"Deal Number": ["1", "1", "2", "2"],
                           "Participants": ["Acme", "Delta", "Beta", "Gamma"]})
    write_model(driver, deals_from_frame(edited), database=conn.database)
    back = read_partner_graph(driver, database=conn.database)
    assert {frozenset(e) for e in back.edges} == {frozenset({"acme", "delta"}),
                                                  frozenset({"beta", "gamma"})}
    ties = read_rows(driver, "MATCH (a)-[t:PARTNERS_WITH]->(b) RETURN a.id AS a, b.id AS b",
                     {}, conn.database)
    assert (ties["a"] < ties["b"]).all() and len(ties) == 2  # one direction, no copies


def test_cypher_refuses_writes_without_write(driver, conn):
    from graphkit.neo4j_store import run_cypher

    with pytest.raises(InputError, match="add --write"):
        run_cypher(driver, "CREATE (:Scratch {x: 1})", {}, conn.database)
    rows = run_cypher(driver, "MATCH (o:Organization) RETURN count(o) AS n", {}, conn.database)
    assert len(rows) == 1


def test_shortest_path_of_an_organisation_to_itself_is_refused_on_both_backends(
        loaded, driver, conn, data):
    params = parse_params(QUERIES["shortest_paths"], {"a": "LH", "b": "Lufthansa"})
    for kwargs in ({"data": data}, {"driver": driver, "database": conn.database}):
        with pytest.raises(InputError, match="are the same organisation"):
            run("shortest_paths", params, **kwargs)

THREE_WAYS = {
    "partners": {"org": "Toyota"},
    "shared_partners": {"a": "Renault", "b": "Nissan"},
    "shortest_paths": {"a": "BMW", "b": "Ford"},
    "ecosystem": {"org": "Hyundai", "hops": "2"},
    "top_brokers": {"as_of": "2019-12-31", "years": "5", "limit": "5"},
    "new_partners": {"org": "Toyota", "since": "2018-01-01"},
    "rival_bridges": {"a": "Renault", "b": "Nissan", "as_of": "2022-12-31", "years": "10"},
}


@pytest.mark.parametrize("name", sorted(THREE_WAYS))
def test_same_rows_from_table_graph_file_and_neo4j(driver, conn, name, tmp_path):
    """The analyst's table, the graph file made from it and Neo4j loaded from it answer
    every query with the same rows (runs last: it replaces the loaded data)."""
    from pathlib import Path

    from graphkit.graph_io import write_graph
    from graphkit.loaders import load_sources

    table = load_sources([Path(__file__).parent / "data" / "analyst_deals.csv"],
                         separator=";|,")
    write_graph(partner_graph(table), tmp_path / "g.graphml")
    from_file = load_sources([tmp_path / "g.graphml"])
    with driver.session(database=conn.database) as session:
        session.run(WIPE).consume()
    write_model(driver, table, database=conn.database)
    params = parse_params(QUERIES[name], THREE_WAYS[name])
    rows = [run(name, params, data=table), run(name, params, data=from_file),
            run(name, params, driver=driver, database=conn.database)]
    for other in rows[1:]:
        pd.testing.assert_frame_equal(rows[0].reset_index(drop=True),
                                      other.reset_index(drop=True), check_dtype=False)
