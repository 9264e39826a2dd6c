"""Who an airline code names on a date: reused codes settled by the evidence in the files.

IATA codes are reused: routes.dat files Vueling's VY routes under Formosa Airlines (an
older VY), Gol's G3 routes under City Connexion Airlines, and OpenTravelData lists AZ as
"ITA Airways" for a membership that began in 2001. The `identities` table of the model
holds every claim on a code (see `graphkit.model`); `names_on` reads it for one date:

1. A dated airline reference (OPTD `optd_airlines.csv`: name, ICAO code, validity) valid
   on the date names the code. Several records valid at once (Lufthansa and Lufthansa
   Cargo are both LH) are one airline when they share a name or ICAO code, or when one
   alone has flights; otherwise the one matching the routes' airline (by ICAO code), then
   the alliance membership's name, is chosen and the code is flagged.
2. The airline record routes.dat points at must be that airline (same ICAO code, or a
   similar name). If another airlines.dat record with the code matches instead, the
   routes are that airline's: its name and country are used (VY: Vueling, Spain). If
   none matches, the code is flagged.
3. With no reference, the routes' airline record names the code; another active record
   with the same code, or an alliance membership under a different name, flags it.

Without a date, "current" claims are used (no end date), and a routes record that is
not the current holder is flagged with a hint to give the routes' date (--as-of).
A flag is an `identity_note`: shown next to the name in tables, the report and maps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from graphkit.names import normalize_name

SIMILAR = 85.0  # rapidfuzz token_set_ratio of folded names: the same airline
# Words every other airline name has: left out when comparing ('Yeti Airways' is 'Yeti
# Airlines'), unless nothing else is left.
GENERIC = frozenset({"air", "airline", "airlines", "airways", "aviation", "aero", "lines",
                     "linhas", "aereas", "aerea", "aerolineas", "transportes", "express",
                     "international", "company", "group", "the", "and"})


@dataclass
class Identities:
    """Names (and countries) resolved for one date, with what was settled and flagged."""

    date: pd.Timestamp | None
    names: pd.DataFrame  # index org_id: name, country (None: keep), identity_note
    settled: list[str] = field(default_factory=list)  # re-attributions made on evidence
    flagged: list[str] = field(default_factory=list)  # codes left with an identity note

    def lines(self) -> list[str]:
        """The account for a load summary."""
        when = f"on {self.date:%Y-%m-%d}" if self.date is not None else "now (no date given)"
        out = []
        if self.settled:
            out.append(f"{len(self.settled)} reused codes settled by dated evidence, {when}: "
                       + _some(self.settled))
        if self.flagged:
            out.append(f"{len(self.flagged)} codes could not be settled, {when}, and carry an "
                       "identity note (marked † in tables): " + _some(self.flagged))
        return out


def _some(items: list[str], shown: int = 5) -> str:
    more = len(items) - shown
    return "; ".join(items[:shown]) + (f"; and {more:,} more" if more > 0 else "")


Claim = dict  # one identities row: name, icao, country, start, end, source, evidence, weight


def _valid(rows: list[Claim], date: pd.Timestamp | None) -> list[Claim]:
    if date is None:
        return [r for r in rows if r["end"] is None]
    return [r for r in rows if (r["start"] is None or r["start"] <= date)
            and (r["end"] is None or r["end"] >= date)]


def _same(a: Claim, b: Claim) -> bool:
    """Two claims are one airline: equal ICAO codes, or similar names (airlines rename,
    and ICAO codes change: US Airways was USA, then AWE)."""
    from rapidfuzz import fuzz

    if a["icao"] and a["icao"] == b["icao"]:
        return True
    return fuzz.token_set_ratio(_core(a["name"]), _core(b["name"])) >= SIMILAR


@lru_cache(maxsize=65536)
def _core(name: str) -> str:
    words = normalize_name(name).split(" ")
    core = [w for w in words if w not in GENERIC]
    return " ".join(core or words)


def _label(row: Claim) -> str:
    icao = f" ({row['icao']})" if row["icao"] else ""
    return f"{row['name']}{icao}"


def _distinct(rows: list[Claim]) -> list[Claim]:
    """Claims grouped into distinct airlines, the one with most flights first."""
    ordered = sorted(rows, key=lambda r: -(r["weight"] or 0))
    out: list[Claim] = []
    for row in ordered:
        if not any(_same(row, kept) for kept in out):
            out.append(row)
    return out


def _claims(identities: pd.DataFrame) -> dict[str, list[Claim]]:
    """The table as plain records per code (missing values None), read once."""
    frame = identities.astype(object).where(identities.notna(), None)
    out: dict[str, list[Claim]] = {}
    for row in frame.to_dict("records"):
        if row["name"] is None:  # no claim to a name
            continue
        row["name"] = str(row["name"])
        row["icao"] = row["icao"] if isinstance(row["icao"], str) and row["icao"] else None
        for key in ("start", "end"):
            row[key] = pd.Timestamp(row[key]) if row[key] is not None else None
        out.setdefault(row["org_id"], []).append(row)
    return out


def names_on(identities: pd.DataFrame, date: pd.Timestamp | None = None,
             only: pd.Index | None = None,
             last_seen: dict | None = None) -> Identities:
    """The name, country and identity note of every code with claims (or of the codes in
    `only`), on `date`. Without a date, a code whose evidence in the data ended (an
    alliance membership that ended: `last_seen`, code -> date) is named as of that end,
    so Continental's CO is not named after the airline that holds CO today."""
    if only is not None:
        identities = identities[identities["org_id"].isin(only)]
    result: dict[str, dict] = {}
    settled: list[str] = []
    flagged: list[str] = []
    when = f"on {date:%Y-%m-%d}" if date is not None else "now"
    for code, rows in sorted(_claims(identities).items()):
        on = date if date is not None or not last_seen else last_seen.get(code)
        resolved = _resolve(code, rows, on, when if on is None or date is not None
                            else f"on {on:%Y-%m-%d}", given=date is not None)
        if resolved.pop("settled", None):
            settled.append(resolved["how"])
        if resolved["identity_note"]:
            flagged.append(resolved["identity_note"])
        result[code] = resolved
    names = pd.DataFrame.from_dict(result, orient="index",
                                   columns=["name", "country", "identity_note"])
    names.index.name = "org_id"
    return Identities(date=date, names=names, settled=settled, flagged=flagged)


def _resolve(code: str, rows: list[Claim], date: pd.Timestamp | None, when: str,
             given: bool = True) -> dict:
    """One code's name on the date, by the rules of the module docstring. Without a date
    the user gave (`given`: none, or only the end of the code's last membership), a code
    the reference no longer lists is named by its latest record that began by then
    (OPTD ends Avianca Brasil's O6 in June 2019, its Star membership in August)."""
    valid = _valid(rows, date)
    reference = [r for r in valid if r["evidence"] == "reference"]
    if not reference and (date is None or not given):
        past = [r for r in rows if r["evidence"] == "reference"
                and (date is None or r["start"] is None or r["start"] <= date)]
        reference = sorted(past, key=lambda r: r["end"] or pd.Timestamp.max)[-1:]
    listed = any(r["evidence"] == "reference" for r in rows)
    hint = ("the airline reference has no record of it " + when) if listed else \
        "add optd_airlines.csv to settle it by date"
    routes = [r for r in rows if r["evidence"] == "routes"]
    others = [r for r in rows if r["evidence"].startswith("same code")]
    members = [r for r in valid if r["evidence"] == "membership"]
    route = routes[0] if routes else None
    clauses: list[str] = []
    out = {"name": None, "country": None, "identity_note": None, "how": ""}

    candidates = _distinct(reference)
    if len(candidates) > 1 and (candidates[0]["weight"] or 0) > 0 and not any(
            (c["weight"] or 0) > 0 for c in candidates[1:]):
        candidates = candidates[:1]  # one holder with flights; the others are on paper
    if candidates:
        chosen = candidates[0]
        if len(candidates) > 1:
            match = [c for c in candidates if route is not None and _same(c, route)]
            match = match or [c for c in candidates if any(_same(c, m) for m in members)]
            chosen = match[0] if match else chosen
            clauses.append(f"{chosen['source']} gives it to "
                           + " and ".join(_label(c) for c in candidates) + f" {when}")
        out["name"] = chosen["name"]
        if route is not None and not _same(chosen, route):
            holder = [o for o in others if _same(chosen, o)]
            if holder:  # routes.dat points at an older holder of the code: re-attribute
                out["country"] = holder[0]["country"]
                out["settled"] = True
                out["how"] = (f"{code}: routes.dat files the routes under {_label(route)}; "
                              f"{when} {code} is {_label(chosen)}, also in airlines.dat")
            else:
                if len(candidates) == 1:
                    clauses.append(f"{chosen['source']} gives it to {_label(chosen)} {when}")
                clauses.append(f"airlines.dat files the routes under {_label(route)}")
                if date is None:
                    clauses.append("give --as-of the routes' date (OpenFlights: 2014-06-30)")
                if not any(_same(chosen, m) for m in members):
                    out["name"], out["country"] = route["name"], route["country"]
    elif route is not None:
        out["name"], out["country"] = route["name"], route["country"]
        active = [o for o in others if o["evidence"] == "same code" and not _same(o, route)]
        if active:
            clauses.append("airlines.dat also gives it to "
                           + ", ".join(_label(o) for o in active)
                           + f"; routes.dat files the routes under {_label(route)} ({hint})")
        clash = [m for m in members if not _same(m, route)]
        if clash:
            clauses.append(f"the alliance membership names it '{clash[0]['name']}', "
                           f"airlines.dat (with the routes) '{route['name']}' ({hint})")
    elif members:
        out["name"] = sorted(members, key=lambda m: m["start"] or pd.Timestamp.min)[-1]["name"]
    if clauses:
        out["identity_note"] = f"code {code}: " + "; ".join(clauses)
    return out


def last_seen(groups: pd.DataFrame) -> dict:
    """Code -> the end of its last membership, for codes whose every membership ended."""
    if groups.empty:
        return {}
    ended = groups.groupby("org_id")["end"].agg(lambda e: e.max() if e.notna().all() else None)
    return {k: v for k, v in ended.items() if v is not None and not pd.isna(v)}


def apply_identities(organizations: pd.DataFrame, identities: pd.DataFrame,
                     date: pd.Timestamp | None = None,
                     groups: pd.DataFrame | None = None) -> tuple[pd.DataFrame, Identities]:
    """Organisations with names, countries and identity notes as of `date` (without one,
    as of the end of what the data says of them: `last_seen`)."""
    seen = last_seen(groups) if groups is not None and date is None else None
    resolved = names_on(identities, date, only=organizations.index, last_seen=seen)
    orgs = organizations.copy()
    if "identity_note" not in orgs:
        orgs["identity_note"] = None
    found = resolved.names.reindex(orgs.index)
    for column in ("name", "country", "identity_note"):
        values = found[column]
        if column == "identity_note":
            known = found["name"].notna() | values.notna()
        else:
            known = values.notna()
        orgs[column] = orgs[column].astype(object).where(~known, values)
    return orgs, resolved


def marked(name: object, note: object) -> str:
    """A name as shown in tables and reports: a dagger when its identity is in doubt."""
    return f"{name} †" if isinstance(note, str) and note else str(name)


def identity_lines(data, date: pd.Timestamp | None, nodes) -> list[str]:
    """What was settled and flagged about the names of `nodes` on `date` (the graph's
    date; current names without one), as load summary lines."""
    if data.identities.empty:
        return []
    return names_on(data.identities, date, only=pd.Index(list(nodes))).lines()


def organizations_on(data, date: pd.Timestamp | None = None) -> pd.DataFrame:
    """`data.organizations` named as of `date`: reused codes resolved on that day (the
    organisations table itself holds the current names)."""
    if date is None or data.identities.empty:
        return data.organizations
    return apply_identities(data.organizations, data.identities, date)[0]


def graph_names(graph) -> dict:
    """Node -> name as shown in tables (marked † when its identity is in doubt)."""
    return {n: marked(d.get("name", n), d.get("identity_note")) for n, d in
            graph.nodes(data=True)}


def frame_names(organizations: pd.DataFrame) -> pd.Series:
    """Organisation id -> name as shown in tables (marked † when in doubt)."""
    notes = (organizations["identity_note"] if "identity_note" in organizations
             else pd.Series(None, index=organizations.index, dtype=object))
    return pd.Series([marked(n, t) for n, t in zip(organizations["name"], notes, strict=True)],
                     index=organizations.index, dtype=object)


def with_names(table: pd.DataFrame, organizations: pd.DataFrame,
               columns: tuple[str, ...] = ("a", "b")) -> pd.DataFrame:
    """`table` with a `<column>_name` beside each id column (marked † when the identity is
    in doubt) and, when any shown organisation is in doubt, an `identity_notes` column."""
    names = frame_names(organizations)
    out = table.copy()
    for column in columns:
        at = out.columns.get_loc(column) + 1
        out.insert(at, f"{column}_name", out[column].map(names).fillna(out[column]))
    if "identity_note" in organizations and organizations["identity_note"].notna().any():
        notes = organizations["identity_note"]
        out["identity_notes"] = [
            "; ".join(n for n in (notes.get(row[c]) for c in columns) if isinstance(n, str))
            or None for _, row in out[list(columns)].iterrows()]
    return out


def graph_organizations(graph) -> pd.DataFrame:
    """The nodes' names and identity notes as an organisations table."""
    return pd.DataFrame(
        {"name": [d.get("name", n) for n, d in graph.nodes(data=True)],
         "identity_note": [d.get("identity_note") for _, d in graph.nodes(data=True)]},
        index=pd.Index(list(graph.nodes), name="id", dtype=object))
