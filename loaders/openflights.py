"""OpenFlights airlines.dat, routes.dat and airports.dat.

File quirks handled here: no header; `\\N` marks a missing value (every table reader
reads it as missing); names are quoted and may contain commas; some airlines have "-" or
"" as IATA code; some routes give no airline id (resolved by the airline code when
exactly one airline carries it) and some airport ids are `\\N` (the route is kept:
markets are keyed by airport code).
Airlines become organisations (kind "airline", id = IATA code, else ICAO code, else
"openflights:<id>"); each route becomes a row of the routes table.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from graphkit.errors import InputError
from graphkit.loaders.tables import read_text_table
from graphkit.model import IDENTITY_COLUMNS, ROUTE_COLUMNS, PartnerData
from graphkit.summary import LoadSummary

AIRLINE_FIELDS = ["airline_id", "name", "alias", "iata", "icao", "callsign", "country", "active"]
ROUTE_FIELDS = ["airline", "airline_id", "origin", "origin_id", "destination",
                "destination_id", "codeshare", "stops", "equipment"]
AIRPORT_FIELDS = ["airport_id", "name", "city", "country", "iata", "icao", "latitude",
                  "longitude", "altitude", "timezone", "dst", "tz", "type", "source"]


def _read(path: Path, fields: list[str]) -> pd.DataFrame:
    table = read_text_table(path, delimiter=",", header=False, names=fields)
    if table.frame.shape[1] != len(fields) or table.frame[fields[-1]].isna().all():
        raise InputError(f"expected {len(fields)} comma-separated fields per row "
                         f"({', '.join(fields)})", file=path, row=1)
    return table.frame.assign(row=range(1, len(table.frame) + 1))


def _whole_ids(values: pd.Series) -> pd.Series:
    """OpenFlights ids as whole numbers (nullable); '1.5', '1e30' or text are missing."""
    numbers = pd.to_numeric(values, errors="coerce")
    whole = numbers.notna() & (numbers == numbers.round()) & (numbers.abs() < 2**53)
    return numbers.where(whole).astype("Int64")


def _code(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text if text and text not in ("-", "N/A") and text.isalnum() else None


def load_openflights(
    airlines: str | Path, routes: str | Path, airports: str | Path | None = None
) -> PartnerData:
    """Airlines with routes become organisations; routes give their markets."""
    summary = LoadSummary(source=f"{airlines}, {routes}", format="openflights")
    al = _read(Path(airlines), AIRLINE_FIELDS)
    ro = _read(Path(routes), ROUTE_FIELDS)
    summary.read.update({"airlines": len(al), "routes": len(ro)})
    al["airline_id"] = _whole_ids(al["airline_id"])
    bad = al["airline_id"].isna()
    summary.drop("airline row without a whole-number id", int(bad.sum()),
                 [f"airlines.dat row {r}" for r in al.loc[bad, "row"][:5]])
    al = al[~bad].astype({"airline_id": "int64"})
    repeated = al["airline_id"].duplicated()
    if repeated.any():  # routes point at airlines by id: a repeated one is ambiguous
        second = al[repeated].iloc[0]
        first = al.loc[al["airline_id"] == second["airline_id"], "row"].iloc[0]
        raise InputError(f"rows {first} and {second['row']} both have airline id "
                         f"{second['airline_id']}: routes.dat names airlines by this id, so "
                         "each must be unique", file=airlines, row=second["row"])
    al = al.set_index("airline_id", drop=False)

    ro["airline_id"] = _whole_ids(ro["airline_id"])
    ro = _resolve_route_airlines(ro, al, summary)

    duplicate = ro.duplicated(["airline_id", "origin", "destination", "codeshare"])
    summary.drop("route repeats an earlier route of the same airline", int(duplicate.sum()),
                 [f"routes.dat row {r}" for r in ro.loc[duplicate, "row"][:5]])
    ro = ro[~duplicate]
    no_airport = ro["origin"].isna() | ro["destination"].isna()
    summary.drop("route without an airport code", int(no_airport.sum()),
                 [f"routes.dat row {r}" for r in ro.loc[no_airport, "row"][:5]])
    ro = ro[~no_airport]

    used = al.loc[pd.unique(ro["airline_id"].astype("int64"))]
    summary.drop("airline with no route in routes.dat", len(al) - len(used))
    ids = _airline_ids(used, summary)
    _note_shared_codes(used, al, summary)
    organizations = pd.DataFrame(
        {
            # A nameless airline ('\\N' or "") is shown by its id (its IATA code), as in
            # every other source, not by OpenFlights' row number.
            "name": used["name"].fillna(pd.Series(ids.to_numpy(), index=used.index)).to_numpy(),
            "country": used["country"].to_numpy(),
            "sector": "air transport",
            "kind": "airline",
            "aliases": [(a,) if a and a != n else () for a, n in
                        zip(used["alias"], used["name"], strict=True)],
            "iata": used["iata"].map(_code).to_numpy(),
            "icao": used["icao"].map(_code).to_numpy(),
        },
        index=pd.Index(ids.to_numpy(), name="id", dtype=object),
    )
    organizations = organizations.astype(object).where(organizations.notna(), None)

    origin, destination = ro["origin"].astype(str), ro["destination"].astype(str)
    low = origin.where(origin <= destination, destination)
    high = destination.where(origin <= destination, origin)
    routes = pd.DataFrame(
        {
            "org_id": ro["airline_id"].astype("int64").map(ids).to_numpy(),
            "origin": origin.to_numpy(),
            "destination": destination.to_numpy(),
            "market": (low + "-" + high).to_numpy(),
            "codeshare": (ro["codeshare"] == "Y").to_numpy(),
            "stops": pd.to_numeric(ro["stops"], errors="coerce").fillna(0).astype(int).to_numpy(),
            "equipment": ro["equipment"].to_numpy(),
            "seats": float("nan"),
            "frequency": float("nan"),
            "source": Path(routes).name,
        }
    )[ROUTE_COLUMNS]
    if airports is not None:
        _check_airports(Path(airports), routes, summary)
    summary.kept.update({"airlines": len(organizations), "routes": len(routes),
                         "codeshare routes": int(routes["codeshare"].sum()),
                         "markets": routes["market"].nunique()})
    return PartnerData(organizations=organizations, routes=routes,
                       identities=_identity_claims(used, al, ids, Path(airlines).name),
                       summaries=[summary])


def _identity_claims(used: pd.DataFrame, al: pd.DataFrame, ids: pd.Series,
                     source: str) -> pd.DataFrame:
    """Who carries each code, for `graphkit.identities`: the record routes.dat points at
    ("routes") and every other airlines.dat record with the same IATA code ("same code",
    or "same code, inactive")."""
    iata = used["iata"].map(_code)
    keyed = iata.notna() & (ids == iata)  # organisations identified by their IATA code
    rows = [used[keyed].assign(org_id=iata[keyed], evidence="routes")]
    codes = al["iata"].map(_code)
    other = al[codes.isin(set(iata[keyed])) & ~al["airline_id"].isin(used["airline_id"])]
    rows.append(other.assign(org_id=codes[other.index],
                             evidence=["same code" if a == "Y" else "same code, inactive"
                                       for a in other["active"]]))
    claims = pd.concat(rows, ignore_index=True)
    claims = claims[claims["name"].notna()]  # a nameless row claims no name
    return pd.DataFrame({
        "org_id": claims["org_id"], "name": claims["name"],
        "icao": claims["icao"].map(_code), "country": claims["country"],
        "start": pd.NaT, "end": pd.NaT, "source": source, "evidence": claims["evidence"],
        "weight": float("nan"),
    })[IDENTITY_COLUMNS].astype({"start": "datetime64[us]", "end": "datetime64[us]"})


def _resolve_route_airlines(ro: pd.DataFrame, al: pd.DataFrame, summary: LoadSummary):
    """Fill route airline ids from the airline code where the id is `\\N` or unknown."""
    unknown = ro["airline_id"].notna() & ~ro["airline_id"].isin(al.index)
    ro.loc[unknown, "airline_id"] = pd.NA
    missing = ro["airline_id"].isna()
    if missing.any():
        by_code: dict[str, list[int]] = {}
        ordered = al.sort_values("active", ascending=False, key=lambda s: s.eq("Y"))
        for aid, iata, icao in zip(ordered["airline_id"], ordered["iata"], ordered["icao"],
                                   strict=True):
            for code in (_code(iata), _code(icao)):
                if code:
                    by_code.setdefault(code, []).append(int(aid))
        active = set(al.index[al["active"] == "Y"])

        def pick(code: object) -> int | None:
            candidates = by_code.get(str(code), [])
            if len(candidates) > 1:
                candidates = [c for c in candidates if c in active]
            return candidates[0] if len(candidates) == 1 else None

        found = ro.loc[missing, "airline"].map(pick)
        ro.loc[missing, "airline_id"] = found.astype("Int64")
        resolved = int(found.notna().sum())
        if resolved:
            summary.notes.append(f"{resolved:,} routes had no usable airline id and were "
                                 "matched to the one airline carrying their airline code")
    still = ro["airline_id"].isna()
    summary.drop("route whose airline is not in airlines.dat (by id or unique code)",
                 int(still.sum()), [f"routes.dat row {r}" for r in ro.loc[still, "row"][:5]])
    return ro[~still]


def _airline_ids(used: pd.DataFrame, summary: LoadSummary) -> pd.Series:
    """IATA code where it is unique among the airlines kept, else ICAO, else OpenFlights id."""
    iata = used["iata"].map(_code)
    icao = used["icao"].map(_code)
    ids = iata.where(~iata.duplicated(keep=False) & iata.notna())
    fallback = icao.where(~icao.duplicated(keep=False) & icao.notna() & ~icao.isin(ids))
    ids = ids.fillna(fallback)
    ids = ids.fillna("openflights:" + used["airline_id"].astype(str))
    clashes = int((iata.notna() & ids.ne(iata)).sum())
    if clashes:
        summary.notes.append(f"{clashes} airlines share an IATA code with another airline "
                             "that has routes: they are identified by ICAO code or OpenFlights id")
    return ids


def _note_shared_codes(used: pd.DataFrame, al: pd.DataFrame, summary: LoadSummary) -> None:
    """routes.dat names airlines by id; where another active airline carries the same IATA
    code, the id may point at the wrong one (VY routes point at Formosa Airlines, not
    Vueling). Such cases cannot be settled from the files, so they are listed."""
    active = al[(al["active"] == "Y") & al["iata"].map(_code).notna()]
    shared = []
    for aid, code, name in zip(used["airline_id"], used["iata"].map(_code), used["name"],
                               strict=True):
        others = active[(active["iata"] == code) & (active["airline_id"] != aid)]["name"]
        if code and len(others):
            shared.append(f"{code}: {name} (has the routes) / {' / '.join(others)}")
    if shared:
        summary.notes.append(f"{len(shared)} airlines with routes share their IATA code with "
                             "another active airline; routes.dat names the first, check it is "
                             "the right one: " + "; ".join(shared[:5])
                             + ("; ..." if len(shared) > 5 else ""))


def _check_airports(path: Path, routes: pd.DataFrame, summary: LoadSummary) -> None:
    ap = _read(path, AIRPORT_FIELDS)
    codes = set(ap["iata"].dropna()) | set(ap["icao"].dropna())
    summary.read["airports"] = len(ap)
    unknown = ~routes["origin"].isin(codes) | ~routes["destination"].isin(codes)
    if unknown.any():
        summary.notes.append(f"{int(unknown.sum()):,} routes touch an airport code not in "
                             f"{path.name}: kept (markets are keyed by airport code)")


def load_openflights_dir(folder: str | Path) -> PartnerData:
    """Load airlines.dat, routes.dat (and airports.dat if present) from one folder."""
    folder = Path(folder)
    missing = [n for n in ("airlines.dat", "routes.dat") if not (folder / n).is_file()]
    if missing:
        raise InputError(f"OpenFlights folder lacks {', '.join(missing)}", file=folder)
    airports = folder / "airports.dat"
    return load_openflights(folder / "airlines.dat", folder / "routes.dat",
                            airports if airports.is_file() else None)
