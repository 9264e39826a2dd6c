"""OpenTravelData: alliance membership, airline reference and monthly segment files.

Membership (`^`-separated: alliance_name, alliance_type Member/Affiliate, IATA code,
airline name, from_date, to_date) becomes the `groups` table, and every pair of airlines
whose memberships of one alliance overlap in time becomes one tie record of type
"alliance", dated from the later joining to the earlier leaving (open when both are).
Segments (`;`-separated, often .bz2: origin, destination, operating airline, month,
seats, frequency) become rows of the routes table.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pandas as pd

from graphkit.dates import DATE_DTYPE, IN_RANGE, parse_dates
from graphkit.errors import InputError, shown
from graphkit.loaders.tables import Table, read_text_table, require_columns
from graphkit.model import IDENTITY_COLUMNS, MAX_WEIGHT, ROUTE_COLUMNS, PartnerData
from graphkit.summary import LoadSummary, plural

MEMBERSHIP_COLUMNS = {
    "alliance": ["alliance_name"],
    "role": ["alliance_type"],
    "code": ["airline_iata_code_2c"],
    "name": ["airline_name"],
    "start": ["from_date"],
    "end": ["to_date"],
}
SEGMENT_COLUMNS = {
    "origin": ["#legori", "legori"],
    "destination": ["legdes"],
    "airline": ["operating_airline"],
    "month": ["deptdtYYYYMM"],
    "seats": ["capacity"],
    "frequency": ["frequency"],
}


def _dates(table: Table, frame: pd.DataFrame, column: str, period_end: bool = False
           ) -> pd.Series:
    parsed, bad, _ = parse_dates(frame[column], period_end=period_end)
    if bad.any():
        first = bad[bad].index[0]
        raise InputError(f"expected a date {IN_RANGE} such as 2014-06-30, got "
                         f"{shown(frame.at[first, column])}",
                         file=table.path, row=table.row_number(first), column=column)
    return parsed


def load_alliance_membership(path: str | Path) -> PartnerData:
    """Alliance membership periods as groups, and co-membership ties as deals."""
    table = read_text_table(path, delimiter="^")
    cols = require_columns(table, MEMBERSHIP_COLUMNS)
    frame = table.frame
    summary = LoadSummary(source=str(path), format="optd alliance membership")
    summary.read["membership periods"] = len(frame)
    for role in ("alliance", "code", "start"):
        missing = frame[cols[role]].isna()
        if missing.any():
            raise InputError("value is missing", file=table.path,
                             row=table.row_number(missing.idxmax()), column=cols[role])
    start = _dates(table, frame, cols["start"])
    end = _dates(table, frame, cols["end"], period_end=True)
    backwards = end < start
    if backwards.any():
        first = backwards.idxmax()
        raise InputError(f"the membership ends ({frame.at[first, cols['end']]}) before it "
                         f"starts ({frame.at[first, cols['start']]})", file=table.path,
                         row=table.row_number(first), column=cols["end"])
    rows = pd.DataFrame(
        {
            "org_id": frame[cols["code"]].str.upper(),
            "group": _one_spelling(frame[cols["alliance"]], summary),
            "role": _roles(frame[cols["role"]], table, summary),
            "start": start.astype(DATE_DTYPE),
            "end": end.astype(DATE_DTYPE),
            "name": frame[cols["name"]],
            "row": [table.row_number(i) for i in range(len(frame))],
        }
    )
    lower = frame[cols["code"]] != rows["org_id"]
    if lower.any():
        summary.notes.append(f"{plural(int(lower.sum()), 'airline code')} written in lower case "
                             "read as upper case, as IATA codes are (e.g. row "
                             f"{rows['row'][lower].iloc[0]})")
    copies = rows.drop(columns="row").duplicated()
    summary.drop("membership row repeating an earlier one", int(copies.sum()),
                 [f"row {r}" for r in rows["row"][copies][:5]])
    rows = rows[~copies]
    groups = _merge_overlapping_periods(rows, table.path, summary)
    identities = pd.DataFrame({
        "org_id": rows["org_id"], "name": rows["name"], "icao": None, "country": None,
        "start": rows["start"], "end": rows["end"], "source": Path(path).name,
        "evidence": "membership", "weight": float("nan")})[IDENTITY_COLUMNS]
    identities = identities[identities["name"].notna()].reset_index(drop=True)
    names = rows.groupby("org_id", sort=False)["name"].agg(
        lambda s: list(dict.fromkeys(s.dropna()))
    )
    organizations = pd.DataFrame(
        {
            "name": [n[-1] if n else c for c, n in names.items()],
            "country": None,
            "sector": "air transport",
            "kind": "airline",
            "aliases": [tuple(n[:-1]) for n in names],
            "iata": list(names.index),
        },
        index=pd.Index(names.index, name="id", dtype=object),
    )
    renamed = {c: n for c, n in names.items() if len(n) > 1}
    if renamed:
        summary.notes.append("codes listed under several names (the latest is shown): " +
                             "; ".join(f"{c}: {' / '.join(n)}" for c, n in renamed.items()))

    deal_rows, pieces = [], []
    for alliance, members in groups.groupby("group", sort=True):
        for a, b in combinations(members.itertuples(index=False), 2):
            if a.org_id == b.org_id:
                continue
            first = max(a.start, b.start)
            last = min(_open(a.end), _open(b.end))
            if first > last:
                continue  # never members at the same time
            pair = sorted((a.org_id, b.org_id))
            deal_id = f"optd:{alliance}:{pair[0]}+{pair[1]}:{first:%Y-%m-%d}"
            both_members = a.role == "Member" and b.role == "Member"
            deal_rows.append((deal_id, "alliance", first, None if last == _OPEN else last,
                              "member" if both_members else "affiliate"))
            pieces += [(deal_id, pair[0]), (deal_id, pair[1])]
    deals = pd.DataFrame(deal_rows, columns=["deal_id", "type", "announced", "ended", "status"])
    deals = deals.set_index("deal_id").assign(source=Path(path).name, count=1, weight=1.0)
    deals["announced"] = deals["announced"].astype(DATE_DTYPE)
    deals["ended"] = pd.to_datetime(deals["ended"]).astype(DATE_DTYPE)
    participants = pd.DataFrame(pieces, columns=["deal_id", "org_id"])
    summary.kept.update({"airlines": len(organizations), "alliances": groups["group"].nunique(),
                         "co-membership periods": len(deals)})
    return PartnerData(organizations=organizations, deals=deals, participants=participants,
                       groups=groups, identities=identities, summaries=[summary])


_OPEN = pd.Timestamp.max.floor("D")


def _roles(values: pd.Series, table: Table, summary: LoadSummary) -> pd.Series:
    """Member or Affiliate in any case; a missing role reads as Member, and any other word
    is kept as written; both are noted, naming rows."""
    roles = values.str.capitalize()
    missing = roles.isna()
    if missing.any():
        summary.notes.append(f"{plural(int(missing.sum()), 'row')} without a role read as "
                             f"Member (e.g. row {table.row_number(int(missing.idxmax()))})")
    other = roles.notna() & ~roles.isin(["Member", "Affiliate"])
    if other.any():
        summary.notes.append("roles other than Member and Affiliate kept as written: "
                             + ", ".join(f"'{r}'" for r in roles[other].unique()[:5])
                             + f" (e.g. row {table.row_number(int(other.idxmax()))})")
    return roles.fillna("Member")


def _one_spelling(alliances: pd.Series, summary: LoadSummary) -> pd.Series:
    """Alliance names compared without case or surrounding spaces ('Star' and 'star' are
    one alliance), each shown as first written; merged spellings are noted."""
    key = alliances.str.casefold()
    first = alliances.groupby(key, sort=False).transform("first")
    merged = alliances[alliances != first].unique()
    if len(merged):
        summary.notes.append("alliance names differing only in case read as one: " + "; ".join(
            f"'{m}' as '{first[alliances == m].iloc[0]}'" for m in merged))
    return first


def _merge_overlapping_periods(rows: pd.DataFrame, path: Path, summary: LoadSummary
                               ) -> pd.DataFrame:
    """One airline's periods in one alliance and one role that overlap or follow on the
    next day (a renamed airline listed twice) become one period: otherwise each period
    would tie it to every fellow member again, one tie counted as two deals. Overlapping
    periods in different roles are an error: an airline has one role at a time."""
    rows = rows.sort_values(["group", "org_id", "start"], kind="stable")
    merged: list[dict] = []
    joined: list[int] = []  # file rows merged into an earlier period
    day = pd.Timedelta(days=1)
    for record in rows.to_dict("records"):
        last = merged[-1] if merged else None
        same = last is not None and (last["group"], last["org_id"]) == (record["group"],
                                                                       record["org_id"])
        reach = _open(last["end"]) if same else None
        if same and record["role"] == last["role"] and record["start"] - day <= reach:
            last["end"] = None if pd.isna(record["end"]) or pd.isna(last["end"]) else \
                max(last["end"], record["end"])
            joined.append(record["row"])
            continue
        if same and record["start"] < reach:  # a handover on one day is no overlap
            raise InputError(
                f"{record['org_id']} is listed as {last['role']} and {record['role']} of "
                f"{record['group']} in overlapping periods (rows {last['row']}, "
                f"{record['row']}): an airline has one role at a time; end one period before "
                "the other starts", file=path)
        merged.append(dict(record))
    if joined:
        summary.notes.append(f"{plural(len(joined), 'membership period')} overlapping or "
                             "continuing an earlier one of the same airline, alliance and role "
                             f"merged into it (e.g. row {min(joined)}), so no tie counts twice")
    out = pd.DataFrame(merged, columns=rows.columns).drop(columns=["name", "row"])
    return out.astype({"start": rows["start"].dtype, "end": rows["end"].dtype})


def _open(value: pd.Timestamp) -> pd.Timestamp:
    return _OPEN if pd.isna(value) else value


def load_segments(path: str | Path) -> PartnerData:
    """Monthly segment capacities as routes (operated, not codeshare), seats and frequency."""
    table = read_text_table(path, delimiter=";")
    cols = require_columns(table, SEGMENT_COLUMNS)
    frame = table.frame
    summary = LoadSummary(source=str(path), format="optd segments")
    summary.read["segments"] = len(frame)
    numbers = {}
    for role in ("seats", "frequency"):
        values = pd.to_numeric(frame[cols[role]], errors="coerce")
        bad = values.isna() | (values < 0) | (values > MAX_WEIGHT)  # inf, 1e400 too
        if bad.any():
            first = bad.idxmax()
            raise InputError(f"expected a number from 0 to {MAX_WEIGHT:.0e}, got "
                             f"{shown(frame.at[first, cols[role]])}",
                             file=table.path, row=table.row_number(first), column=cols[role])
        numbers[role] = values
    blank = frame[cols["airline"]].isna() | frame[cols["origin"]].isna() | frame[
        cols["destination"]].isna()
    summary.drop("segment without airline or airport code", int(blank.sum()))
    # A segment with neither seats nor flights was not flown that month: it would put the
    # airline in a market it did not serve, with nothing to weigh it by.
    unflown = ~blank & (numbers["seats"] == 0) & (numbers["frequency"] == 0)
    summary.drop("segment with 0 seats and 0 flights (not flown)", int(unflown.sum()),
                 [f"row {table.row_number(i)}" for i in unflown[unflown].index[:5]])
    blank |= unflown
    origin = frame[cols["origin"]].astype(str)
    destination = frame[cols["destination"]].astype(str)
    low = origin.where(origin <= destination, destination)
    high = destination.where(origin <= destination, origin)
    routes = pd.DataFrame(
        {
            "org_id": frame[cols["airline"]],
            "origin": origin,
            "destination": destination,
            "market": low + "-" + high,
            "codeshare": False,
            "stops": 0,
            "equipment": None,
            "seats": numbers["seats"],
            "frequency": numbers["frequency"],
            "source": Path(path).name,
        }
    )[ROUTE_COLUMNS][~blank].reset_index(drop=True)
    codes = pd.unique(routes["org_id"])
    organizations = pd.DataFrame(
        {"name": None, "country": None, "sector": "air transport", "kind": "airline",
         "aliases": [()] * len(codes), "iata": codes},
        index=pd.Index(codes, name="id", dtype=object),
    )
    months = sorted(frame[cols["month"]].dropna().unique())
    summary.notes.append(f"months: {', '.join(months)}; segments give airline codes only "
                         "(add optd_airlines.csv or OpenFlights airlines.dat for names)")
    summary.kept.update({"segments": len(routes), "airlines": len(organizations),
                         "markets": routes["market"].nunique(),
                         "seats": int(routes["seats"].sum())})
    return PartnerData(organizations=organizations, routes=routes, summaries=[summary])


def load_optd_airlines(path: str | Path) -> PartnerData:
    """The OPTD airline reference: every record's name, ICAO code and validity dates, as
    identity claims that name the airlines other sources bring (it adds no organisation
    and no tie; see `graphkit.identities`)."""
    table = read_text_table(path, delimiter="^")
    cols = require_columns(table, {"code": ["2char_code"], "name": ["name"],
                                   "icao": ["3char_code"], "valid_to": ["validity_to"],
                                   "valid_from": ["validity_from"]})
    frame = table.frame
    summary = LoadSummary(source=str(path), format="optd airlines")
    summary.read["airline records"] = len(frame)
    coded = frame[frame[cols["code"]].notna() & frame[cols["name"]].notna()]
    summary.drop("record without IATA code or name", len(frame) - len(coded))
    frequency = (pd.to_numeric(coded["flt_freq"], errors="coerce") if "flt_freq" in coded
                 else float("nan"))
    identities = pd.DataFrame({
        "org_id": coded[cols["code"]], "name": coded[cols["name"]],
        "icao": coded[cols["icao"]], "country": None,
        "start": _dates(table, coded, cols["valid_from"]),
        "end": _dates(table, coded, cols["valid_to"]),
        "source": Path(path).name, "evidence": "reference", "weight": frequency,
    })[IDENTITY_COLUMNS].reset_index(drop=True)
    summary.kept.update({"airline records": len(identities),
                         "codes": identities["org_id"].nunique()})
    summary.notes.append("a reference: it names the airlines other sources bring, by the "
                         "record valid on the graph's date (--as-of); without a date, by the "
                         "current record, or the one valid when the data last shows the "
                         "airline (an alliance membership that ended)")
    return PartnerData(identities=identities, summaries=[summary])
