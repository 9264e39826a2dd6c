"""The Neo4j backend: write the model in idempotent batches, read the partner graph back.

Statements come from queries/ (one file each); every value is a parameter. Credentials
are used to connect and never printed or logged.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from graphkit.errors import InputError
from graphkit.model import ORG_COLUMNS, PartnerData
from graphkit.projection import graph_from_ties, select_window_start, tie_table
from graphkit.queries import statement

DEFAULT_BATCH = 5000
SCHEMA = ["schema_organization", "schema_deal", "schema_group", "schema_market"]


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
        """Options first, then NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE."""
        uri = uri or os.environ.get("NEO4J_URI")
        user = user or os.environ.get("NEO4J_USER") or "neo4j"
        password = password if password is not None else (os.environ.get("NEO4J_PASSWORD") or None)
        database = database or os.environ.get("NEO4J_DATABASE") or None
        if not uri:
            raise InputError("no Neo4j server given: use --uri or set NEO4J_URI "
                             "(e.g. neo4j://localhost:7687)")
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
        raise InputError(f"Neo4j at {conn.uri} refused user {conn.user!r}: wrong user name or "
                         "password") from None
    except (ServiceUnavailable, OSError) as exc:
        raise InputError(f"cannot reach Neo4j at {conn.uri}: {type(exc).__name__}") from None
    except (ConfigurationError, ValueError) as exc:
        raise InputError(f"not a usable Neo4j address {conn.uri!r}: {exc}") from None
    return driver


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
            {"id": str(i), "name": _plain(r["name"]), "country": _plain(r.get("country")),
             "sector": _plain(r.get("sector")), "kind": _plain(r.get("kind")),
             "aliases": [str(a) for a in (r.get("aliases") or ())],
             "extra": {c: _plain(r[c]) for c in extra if _plain(r[c]) is not None}}
            for i, r in orgs.iterrows()
        ],
        "load_deals": [
            {"id": str(i), "type": _plain(t), "date": _plain(a), "ended": _plain(e),
             "status": _plain(st), "source": _plain(so), "count": int(c), "weight": float(w)}
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
    ties = tie_table(data)
    rows["load_partnerships"] = [
        {"a": str(t.a), "b": str(t.b), "deals": int(t.deals), "weight": float(t.weight),
         "first_year": _plain(t.first_year if not pd.isna(t.first_year) else None),
         "last_year": _plain(t.last_year if not pd.isna(t.last_year) else None),
         "types": sorted(t.types)}
        for t in ties.itertuples()
    ]
    for key in ("first_year", "last_year"):
        for row in rows["load_partnerships"]:
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


def write_model(
    driver,
    data: PartnerData,
    *,
    database: str | None = None,
    batch_size: int = DEFAULT_BATCH,
    progress: Callable[[list, str], Iterable] | None = None,
    ties: bool = True,
) -> WriteReport:
    """Constraints first, then each load statement in batches, one transaction each.

    MERGE on ids makes a re-run change nothing. A failed batch stops the load with a
    message saying what was written; running the same load again completes it.
    """
    from neo4j.exceptions import Neo4jError

    if batch_size < 1:
        raise InputError("--batch-size must be at least 1")
    report = WriteReport()
    wrap = progress or (lambda items, _label: items)
    with driver.session(database=database) as session:
        for name in SCHEMA:
            summary = session.run(statement(name).text).consume()
            report.add(summary.counters)
        for name, rows in model_rows(data).items():
            if name == "load_partnerships" and not ties:
                continue
            text = statement(name).text
            batches = list(_batches(rows, batch_size))
            for number, batch in enumerate(wrap(batches, name), 1):
                try:
                    summary = session.execute_write(
                        lambda tx, b=batch, t=text: tx.run(t, rows=b).consume())
                except Neo4jError as exc:
                    raise InputError(
                        f"{name}: batch {number} of {len(batches)} failed ({exc.code}: "
                        f"{exc.message}). Written before it: {report.line()}. Re-run the same "
                        "command to complete the load: every write is a MERGE."
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
    """The partner graph projected in Cypher with the same filters as `partner_graph`."""
    if window is not None and as_of is None:
        raise InputError("--window with --from neo4j needs --as-of")
    params = {
        "as_of": as_of.date() if as_of is not None else None,
        "window_start": select_window_start(as_of, window).date() if window else None,
        "types": [t.casefold() for t in types] if types else None,
        "statuses": [s.casefold() for s in statuses] if statuses else None,
    }
    ties = read_rows(driver, statement("project_ties").text, params, database)
    if ties.empty:
        raise InputError("no ties in Neo4j pass the filters")
    ties["types"] = ties["types"].map(lambda t: sorted(x for x in t if x is not None))
    ids = sorted(set(ties["a"]) | set(ties["b"]))
    props = read_rows(driver, statement("project_organizations").text, {"ids": ids}, database)
    organizations = pd.DataFrame(
        [{k: v for k, v in p.items() if k != "id"} for p in props["properties"]],
        index=pd.Index(props["id"], name="id"))
    graph = graph_from_ties(ties, organizations)
    graph.graph["selection"] = "read from Neo4j" + (
        f"; deals in force on {as_of:%Y-%m-%d}" if as_of is not None and window is None else "")
    return graph
