"""The Neo4j backend: write the model in idempotent batches, read the partner graph back.

Statements come from queries/ (one file each); every value is a parameter. Credentials
are used to connect and never printed or logged. The server must be Neo4j 5.21 or later
(the ecosystem query uses the shortest-path selector `ANY SHORTEST`); `connect` checks.

A load is idempotent and a reload follows the file: organisations and deals are MERGEd by
id with their current properties (a vanished code is removed), each deal keeps only its
current participants (`prune_participation`), and the PARTNERS_WITH ties of every
organisation the load touched are recomputed from the deals in Cypher
(`rebuild_partnerships`, then `drop_stale_partnerships`), so ties always equal what the
deals say, whichever files were loaded and in which order.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from graphkit.errors import InputError, quoted
from graphkit.model import ORG_COLUMNS, PartnerData
from graphkit.neo4j_address import split_uri
from graphkit.projection import (
    Selection,
    check_selection,
    graph_from_ties,
    select_window_start,
    tie_table,
    value_filter,
)
from graphkit.queries import statement

DEFAULT_BATCH = 5000
SCHEMA = ["schema_organization", "schema_deal", "schema_group", "schema_market"]
MIN_VERSION = (5, 21)


@dataclass
class Connection:
    """Where the server is; the password stays inside this object."""

    uri: str
    user: str
    password: str = field(repr=False)
    database: str | None = None

    @classmethod
    def from_options(cls, uri: str | None, user: str | None, password: str | None,
                     database: str | None) -> Connection:
        """Options first, then credentials inside the URI, then NEO4J_URI, NEO4J_USER,
        NEO4J_PASSWORD, NEO4J_DATABASE. The URI kept holds no credentials."""
        uri = uri or os.environ.get("NEO4J_URI")
        if not uri:
            raise InputError("no Neo4j server given: use --uri or set NEO4J_URI "
                             "(e.g. neo4j://localhost:7687)")
        uri, uri_user, uri_password = split_uri(uri)
        user = user or uri_user or os.environ.get("NEO4J_USER") or "neo4j"
        # An empty password counts as none, wherever it is given (the server has none).
        password = password or uri_password or os.environ.get("NEO4J_PASSWORD") or None
        database = database or os.environ.get("NEO4J_DATABASE") or None
        if password is None:
            raise InputError("no Neo4j password given: use --password or set NEO4J_PASSWORD")
        return cls(uri=uri, user=user, password=password, database=database)



def connect(conn: Connection):
    """A verified driver, or one clear error (wrong credentials, unreachable server)."""
    import neo4j
    from neo4j.exceptions import AuthError, ConfigurationError, ServiceUnavailable

    try:
        driver = neo4j.GraphDatabase.driver(conn.uri, auth=(conn.user, conn.password))
        driver.verify_connectivity()
    except AuthError:
        raise InputError(f"Neo4j at {conn.uri} refused user {quoted(conn.user)}: wrong user "
                         "name or password") from None
    except (ServiceUnavailable, OSError) as exc:
        raise InputError(f"cannot reach Neo4j at {conn.uri}: {unreachable_reason(exc)}") from None
    except (ConfigurationError, ValueError) as exc:
        raise InputError(f"not a usable Neo4j address {quoted(conn.uri)}: {exc}") from None
    check_version(read_rows(driver, statement("server_version").text, {}, conn.database))
    return driver


def unreachable_reason(exc: Exception) -> str:
    """Why the driver could not connect, said for people (its text holds Python reprs)."""
    text = str(exc)
    for clue, reason in (
            ("Connection refused", "connection refused (is the server running, on that port?)"),
            ("DNS resolve", "the host name is not known"),
            ("timed out", "the connection timed out"),
            ("routing information", "no routing information: the server did not answer "
                                    "(is it running, on that port?)"),
    ):
        if clue in text:
            return reason
    return " ".join(text.split())[:200] or type(exc).__name__


def check_version(rows: pd.DataFrame) -> str:
    """The server's version, if it is at least MIN_VERSION; one clear error otherwise."""
    kernel = rows[rows["name"] == "Neo4j Kernel"] if len(rows) else rows
    text = str(kernel["versions"].iloc[0][0]) if len(kernel) else "unknown"
    parts = tuple(int(p) for p in text.split("-")[0].split(".")[:2] if p.isdigit())
    if len(parts) < 2 or parts < MIN_VERSION:
        need = ".".join(map(str, MIN_VERSION))
        raise InputError(f"graphkit needs Neo4j {need} or later (its ecosystem query uses "
                         f"the ANY SHORTEST path selector); this server is {text}")
    return text


def _text(value: object) -> object:
    """Deal types, statuses and sources as text, whatever the cell held (Excel and Parquet
    keep numeric codes as numbers; Cypher's string functions refuse numbers)."""
    plain = _plain(value)
    if isinstance(plain, float) and plain.is_integer():
        plain = int(plain)
    return None if plain is None else str(plain)


def _plain(value: object) -> object:
    """Python values the driver sends as Cypher values (NaN and NaT become null)."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date().isoformat()
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    if value is pd.NaT:
        return None
    return value


def model_rows(data: PartnerData) -> dict[str, list[dict]]:
    """The rows each load statement takes, in load order."""
    orgs = data.organizations
    extra = [c for c in orgs.columns if c not in ORG_COLUMNS]  # e.g. iata, icao codes
    rows: dict[str, list[dict]] = {
        "load_organizations": [
            {"id": str(i), "props": {k: v for k, v in {
                "id": str(i), "name": _plain(r["name"]), "country": _plain(r.get("country")),
                "sector": _plain(r.get("sector")), "kind": _plain(r.get("kind")),
                "aliases": [str(a) for a in (r.get("aliases") or ())],
                **{c: _plain(r[c]) for c in extra}}.items() if v is not None}}
            for i, r in orgs.iterrows()
        ],
        "load_deals": [
            {"id": str(i), "type": _text(t), "date": _plain(a), "ended": _plain(e),
             "status": _text(st), "source": _text(so), "count": int(c), "weight": float(w)}
            for i, t, a, e, st, so, c, w in zip(
                data.deals.index, data.deals["type"], data.deals["announced"],
                data.deals["ended"], data.deals["status"], data.deals["source"],
                data.deals["count"], data.deals["weight"], strict=True)
        ],
        "load_participation": [
            {"org": str(o), "deal": str(d)}
            for d, o in zip(data.participants["deal_id"], data.participants["org_id"],
                            strict=True)
        ],
    }
    parts = data.participants.astype({"deal_id": str, "org_id": str})
    rows["prune_participation"] = [
        {"deal": deal, "orgs": sorted(group)} for deal, group in
        parts.groupby("deal_id", sort=True)["org_id"]]
    ties = tie_table(data)
    rows["partnerships"] = [
        {"a": str(t.a), "b": str(t.b), "deals": int(t.deals), "weight": float(t.weight),
         "first_year": _plain(t.first_year if not pd.isna(t.first_year) else None),
         "last_year": _plain(t.last_year if not pd.isna(t.last_year) else None),
         "types": sorted(t.types)}
        for t in ties.itertuples()
    ]
    for key in ("first_year", "last_year"):
        for row in rows["partnerships"]:
            if row[key] is not None:
                row[key] = int(row[key])
    rows["load_groups"] = [
        {"org": str(g.org_id), "group": str(g.group), "role": _plain(g.role),
         "start": _plain(g.start), "end": _plain(g.end)}
        for g in data.groups.itertuples()
    ]
    if not data.routes.empty:
        # min_count=1: a market with no seat figures stays null, not 0
        grouped = data.routes.groupby(["org_id", "market"])
        markets = grouped.agg(routes=("market", "size"),
                              codeshare_routes=("codeshare", "sum")).reset_index()
        markets["seats"] = grouped["seats"].sum(min_count=1).to_numpy()
        markets["frequency"] = grouped["frequency"].sum(min_count=1).to_numpy()
        rows["load_markets"] = [
            {"org": str(m.org_id), "market": str(m.market), "routes": int(m.routes),
             "codeshare_routes": int(m.codeshare_routes),
             "seats": _plain(float(m.seats)), "frequency": _plain(float(m.frequency))}
            for m in markets.itertuples()
        ]
    return rows


@dataclass
class WriteReport:
    """What a load wrote, from the driver's counters."""

    batches: int = 0
    rows: int = 0
    counters: dict[str, int] = field(default_factory=dict)

    def add(self, counters: object) -> None:
        for key in ("nodes_created", "relationships_created", "properties_set",
                    "constraints_added"):
            self.counters[key] = self.counters.get(key, 0) + int(getattr(counters, key, 0))

    def line(self) -> str:
        c = self.counters
        return (f"{self.rows:,} rows in {self.batches:,} transactions: "
                f"{c.get('nodes_created', 0):,} nodes and "
                f"{c.get('relationships_created', 0):,} relationships created, "
                f"{c.get('properties_set', 0):,} properties set, "
                f"{c.get('constraints_added', 0):,} constraints added")


def _batches(rows: list[dict], size: int) -> Iterator[list[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def load_plan(data: PartnerData, ties: bool = True) -> list[tuple[str, str, list]]:
    """What a load sends, in order: (statement name, parameter name, rows). Ties are not
    sent from Python: they are recomputed in Cypher from the deals, for every organisation
    the load touched (all of them, on a first load)."""
    rows = model_rows(data)
    plan = [(name, "rows", rows[name]) for name in
            ("load_organizations", "load_deals", "load_participation", "prune_participation",
             "load_groups", "load_markets") if rows.get(name)]
    if ties:
        touched = sorted({str(o) for o in data.participants["org_id"]})
        plan += [("rebuild_partnerships", "ids", touched),
                 ("drop_stale_partnerships", "ids", touched)]
    return plan


def write_model(
    driver,
    data: PartnerData,
    *,
    database: str | None = None,
    batch_size: int = DEFAULT_BATCH,
    progress: Callable[[list, str], Iterable] | None = None,
    ties: bool = True,
) -> WriteReport:
    """Constraints first, then each statement of `load_plan` in batches, one transaction
    each.

    MERGE on ids makes a re-run change nothing. A failed batch, or a server that stays
    unreachable after the driver's retries, stops the load with a message saying what was
    written; running the same load again completes it.
    """
    from neo4j.exceptions import DriverError, Neo4jError

    if batch_size < 1:
        raise InputError("--batch-size must be at least 1")
    report = WriteReport()
    wrap = progress or (lambda items, _label: items)
    with driver.session(database=database) as session:
        for name in SCHEMA:
            summary = session.run(statement(name).text).consume()
            report.add(summary.counters)
        for name, key, rows in load_plan(data, ties):
            text = statement(name).text
            batches = list(_batches(rows, batch_size))
            for number, batch in enumerate(wrap(batches, name), 1):
                try:
                    summary = session.execute_write(
                        lambda tx, b=batch, t=text, k=key: tx.run(t, {k: b}).consume())
                except (Neo4jError, DriverError) as exc:
                    what = (f"{exc.code}: {exc.message}" if isinstance(exc, Neo4jError)
                            else f"{type(exc).__name__}: {exc}")
                    raise InputError(
                        f"{name}: batch {number} of {len(batches)} failed ({what}). Written "
                        f"before it: {report.line()}. Re-run the same command to complete the "
                        "load: every write is a MERGE."
                    ) from None
                report.batches += 1
                report.rows += len(batch)
                report.add(summary.counters)
    return report


def _value(value: object) -> object:
    """Cypher values as plain Python: dates to ISO text, lists kept."""
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_value(v) for v in value]
    return value


def read_rows(driver, text: str, parameters: dict, database: str | None = None) -> pd.DataFrame:
    """Run a read-only statement in a read transaction; rows as a DataFrame."""
    def work(tx):
        result = tx.run(text, parameters)  # a dict: any parameter name is allowed
        keys = list(result.keys())
        return keys, [[_value(record[k]) for k in keys] for record in result]

    with driver.session(database=database) as session:
        keys, records = session.execute_read(work)
    return pd.DataFrame(records, columns=keys)


def read_partner_graph(
    driver,
    *,
    database: str | None = None,
    as_of: pd.Timestamp | None = None,
    window: float | None = None,
    types: list[str] | None = None,
    statuses: list[str] | None = None,
) -> nx.Graph:
    """The partner graph projected in Cypher by the rules of `partner_graph`: the same date
    and window checks (`check_selection`), types and statuses matched in Python by the
    same rule against the values stored (`value_filter`), and an empty selection gives an
    empty graph, not an error."""
    as_of, window = check_selection(as_of, window)
    if window is not None and as_of is None:
        raise InputError("--window with --from neo4j needs --as-of (the date the window ends)")
    params = {
        "as_of": as_of.date() if as_of is not None else None,
        "window_start": select_window_start(as_of, window).date() if window else None,
        "types": None, "statuses": None,
    }
    if types or statuses:
        stored = read_rows(driver, statement("deal_values").text, {}, database)
        for key, wanted, what, option in (("types", types, "deal type", "--types"),
                                          ("statuses", statuses, "status", "--status")):
            if wanted:
                values = pd.Series(stored[key].iloc[0] if len(stored) else [], dtype=object)
                params[key] = sorted(values[value_filter(values, wanted, option, what)])
    ties = read_rows(driver, statement("project_ties").text, params, database)
    selection = Selection(as_of=as_of, window=window, types=types, statuses=statuses)
    if ties.empty:
        graph = nx.Graph()
        graph.graph["selection"] = "read from Neo4j; " + selection.describe()
        return graph
    ties["types"] = ties["types"].map(lambda t: sorted(x for x in t if x is not None))
    ids = sorted(set(ties["a"]) | set(ties["b"]))
    props = read_rows(driver, statement("project_organizations").text, {"ids": ids}, database)
    organizations = pd.DataFrame(
        [{k: v for k, v in p.items() if k != "id"} for p in props["properties"]],
        index=pd.Index(props["id"], name="id"))
    graph = graph_from_ties(ties, organizations)
    graph.graph["selection"] = "read from Neo4j; " + selection.describe()
    return graph


PARAMETER_TYPES = ("str", "int", "float", "bool", "date", "list")


def typed_parameters(raw: dict[str, str]) -> dict:
    """Cypher parameters from NAME[:TYPE]=VALUE text: text unless a type is given (str,
    int, float, bool, date as YYYY-MM-DD, list as a JSON list), so '2014-06-30' is not
    silently a string where a date was meant, nor '0042' silently the number 42."""
    import json

    out: dict = {}
    for spec, text in raw.items():
        name, _, kind = spec.partition(":")
        name, kind = name.strip(), kind.strip() or "str"
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise InputError(f"--param {spec}=...: a parameter name is letters, digits and _ "
                             "(not starting with a digit), as $name is written in Cypher")
        if name in out:
            raise InputError(f"--param {name} is given twice: give it once")
        try:
            if kind == "str":
                value: object = text
            elif kind == "int":
                value = int(text)
                if not -(2**63) <= value < 2**63:  # Cypher's INTEGER is 64-bit
                    raise ValueError(text)
            elif kind == "float":
                value = float(text)
                if not math.isfinite(value):  # 'nan', 'inf': a typing slip, not a number
                    raise ValueError(text)
            elif kind == "bool":
                if text.casefold() not in ("true", "false"):
                    raise ValueError(text)
                value = text.casefold() == "true"
            elif kind == "date":
                value = dt.date.fromisoformat(text)
            elif kind == "list":
                value = json.loads(text)
                if not isinstance(value, list):
                    raise ValueError(text)
            else:
                raise InputError(f"--param {spec}: unknown type '{kind}'; types are "
                                 + ", ".join(PARAMETER_TYPES))
        except (ValueError, TypeError, RecursionError):
            shown = " ".join(text.split())
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            expected = {"int": "a 64-bit integer", "float": "a finite number"}.get(kind,
                                                                                  f"a {kind}")
            raise InputError(f"--param {spec}: expected {expected}, got '{shown}'") from None
        out[name] = value
    return out


def run_cypher(driver, text: str, parameters: dict, database: str | None = None,
               write: bool = False) -> pd.DataFrame:
    """Run a user's statement: EXPLAIN first (nothing runs), and refuse one that is not
    read-only (query type other than 'r') unless `write`. A read transaction alone is no
    guarantee: the driver manual says a server may accept writes in read mode."""
    from neo4j.exceptions import Neo4jError

    try:
        with driver.session(database=database) as session:
            kind = session.run("EXPLAIN " + text, parameters).consume().query_type
        if kind != "r" and not write:
            meaning = {"rw": "reads and writes", "w": "writes", "s": "changes the schema"}
            raise InputError(f"the statement {meaning.get(kind, f'is of type {kind}')}: "
                             "graphkit cypher runs read-only statements; add --write to run "
                             "it")
        if not write:
            return read_rows(driver, text, parameters, database)

        def work(tx):
            result = tx.run(text, parameters)
            keys = list(result.keys())
            return keys, [[_value(record[k]) for k in keys] for record in result]

        with driver.session(database=database) as session:
            keys, records = session.execute_write(work)
        return pd.DataFrame(records, columns=keys)
    except Neo4jError as exc:
        raise InputError(f"Neo4j refused the statement ({exc.code}): {exc.message}") from None


def read_market_footprints(driver, database: str | None, weight: str = "none"):
    """Every airline's served markets as the server holds them (`project_markets`), as
    overlap footprints: org_id, item (the market), weight (routes, seats or frequency;
    1.0 for none). One clear error when the server holds no routes."""
    from graphkit.queries import statement

    rows = read_rows(driver, statement("project_markets").text, {}, database)
    if rows.empty:
        raise InputError("no markets in Neo4j: load OpenFlights routes or OPTD segments")
    column = {"none": None, "routes": "routes", "seats": "seats", "frequency": "frequency"}[
        weight]
    values = rows[column].astype(float) if column else 1.0
    return pd.DataFrame({"org_id": rows["org_id"], "item": rows["market"], "weight": values})
