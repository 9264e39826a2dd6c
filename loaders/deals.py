"""Generic deals tables (CSV/TSV, Excel, Parquet) in long or wide (SDC-style) layout.

Long layout: one row per deal and participant, rows of one deal share a deal id.
Wide layout: one row per deal, all participants packed in one cell, separated by newlines,
semicolons or `|` (as SDC Platinum alliance exports do); per-participant columns such as
Participant Nation are packed the same way and matched up by position.
Both layouts may mix: every participant cell is split, then rows are grouped by deal id.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from graphkit.dates import ACCEPTED, parse_dates
from graphkit.errors import InputError
from graphkit.loaders.assemble import assemble, settle_bad_cells
from graphkit.loaders.tables import Table, read_table, require_columns
from graphkit.model import PartnerData
from graphkit.names import NameResolver
from graphkit.summary import LoadSummary

SEPARATORS = r"\r?\n|;|\|"
_SEPARATOR = re.compile(SEPARATORS)

REQUIRED = {
    "participant": [
        "Participants", "Participant", "Participant Name", "Participant Names",
        "Participants in Venture / Alliance", "Participants in Venture/Alliance (Short Name)",
        "Participant Short Name", "Organization", "Organisation", "Company", "Firm",
        "Partners", "Partner",
    ],
}
OPTIONAL = {
    "deal_id": ["Deal Number", "Deal No", "Deal ID", "SDC Deal No", "Deal",
                "Agreement ID", "Alliance ID", "Deal Identifier"],
    "announced": ["Date Announced", "Announced", "Announcement Date", "Alliance Date Announced",
                  "Deal Date", "Date", "Start Date", "Date Effective"],
    "ended": ["Date Terminated", "Date Alliance Terminated", "Termination Date", "End Date",
              "Date Ended", "Ended"],
    "type": ["Deal Type", "Type", "Alliance Type", "Agreement Type", "Form of Alliance",
             "Deal Form"],
    "status": ["Status", "Deal Status", "Alliance Status"],
    "country": ["Participant Nation", "Participant Nations", "Participant Country", "Nation",
                "Country"],
    "sector": ["Participant Industry", "Participant Sector", "Industry", "Sector"],
    "source": ["Source"],
}
ROLES = sorted([*REQUIRED, *OPTIONAL])
PER_PARTICIPANT = ("country", "sector")
DEAL_LEVEL = ("announced", "ended", "type", "status", "source")


def load_deals(
    path: str | Path,
    *,
    columns: dict[str, str] | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    dayfirst: bool = False,
    bad_rows: str = "error",
    resolver: NameResolver | None = None,
) -> PartnerData:
    """Read a deals table; see the module docstring for the layouts understood."""
    table = read_table(path, delimiter=delimiter, encoding=encoding, sheet=sheet)
    return deals_from_table(table, columns=columns, dayfirst=dayfirst, bad_rows=bad_rows,
                            resolver=resolver)


def deals_from_frame(frame: pd.DataFrame, **options) -> PartnerData:
    """Read deals from a DataFrame already in memory (same rules as a file)."""
    table = Table(frame=frame.astype(object).where(frame.notna(), None), path=Path("<frame>"))
    return deals_from_table(table, **options)


def deals_from_table(
    table: Table,
    *,
    columns: dict[str, str] | None = None,
    dayfirst: bool = False,
    bad_rows: str = "error",
    resolver: NameResolver | None = None,
) -> PartnerData:
    unknown = set(columns or {}) - set(ROLES)
    if unknown:
        raise InputError(f"unknown column role(s) {sorted(unknown)}; roles are {ROLES}")
    cols = require_columns(table, REQUIRED, given=columns, optional=OPTIONAL)
    summary = LoadSummary(source=str(table.path), format="deals table")
    summary.notes.extend(table.notes)
    summary.notes.append("columns: " + ", ".join(f"{r}={c!r}" for r, c in sorted(cols.items())))

    frame = table.frame.assign(row=[table.row_number(i) for i in range(len(table.frame))])
    summary.read["rows"] = len(frame)
    empty = frame.drop(columns="row").isna().all(axis=1)
    summary.drop("empty row", int(empty.sum()), [f"row {r}" for r in frame.loc[empty, "row"][:5]])
    frame = frame[~empty]

    duplicate = frame.drop(columns="row").duplicated()
    summary.drop("row repeats an earlier row exactly", int(duplicate.sum()),
                 [f"row {r}" for r in frame.loc[duplicate, "row"][:5]])
    frame = frame[~duplicate]

    frame = _deal_ids(frame, cols, table, summary)
    frame = _parse_deal_dates(frame, cols, table, summary, dayfirst, bad_rows)
    deals = _deal_attributes(frame, cols, table, summary)
    pieces = _split_participants(frame, cols, summary)
    return assemble(pieces, deals, summary, resolver, kind="firm")


def _deal_ids(frame: pd.DataFrame, cols: dict, table: Table, summary: LoadSummary):
    packed = frame[cols["participant"]].astype(str).str.contains(SEPARATORS, regex=True)
    if "deal_id" in cols:
        missing = frame[cols["deal_id"]].isna() & frame[cols["participant"]].notna()
        if missing.any():
            row = int(frame.loc[missing, "row"].iloc[0])
            raise InputError("deal id is missing (every row needs one, or drop the column "
                             "and pack each deal's participants in one cell)",
                             file=table.path, row=row, column=cols["deal_id"])
        ids = frame[cols["deal_id"]].map(_id_text)
        return frame.assign(deal_id=ids)
    if not packed.any():
        raise InputError(
            "no deal id column and no cell lists several participants: a long table (one row "
            "per participant) needs a deal id column such as 'Deal Number' (--column "
            "deal_id=NAME); a wide table packs participants in one cell, separated by "
            "newlines, ';' or '|'",
            file=table.path, row=1,
        )
    summary.notes.append("no deal id column: each row is one deal, id '<file>:row<N>'")
    return frame.assign(deal_id=[f"{table.path.stem}:row{r}" for r in frame["row"]])


def _id_text(value: object) -> str:
    # Excel gives deal numbers as floats: 3001.0 is deal "3001".
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _parse_deal_dates(frame, cols, table, summary, dayfirst, bad_rows):
    for role in ("announced", "ended"):
        if role not in cols:
            frame = frame.assign(**{role: pd.NaT})
            continue
        parsed, bad = parse_dates(frame[cols[role]], dayfirst=dayfirst)
        drop = settle_bad_cells(bad, frame[cols[role]], frame["row"], path=table.path,
                                column=cols[role], expected=ACCEPTED, bad_rows=bad_rows,
                                summary=summary, reason=f"unparseable date in '{cols[role]}'")
        frame, parsed = frame[~drop], parsed[~drop]
        frame = frame.assign(**{role: parsed})
    return frame


def _deal_attributes(frame, cols, table, summary) -> pd.DataFrame:
    """One row per deal; where a deal's rows disagree, the first value is kept and noted."""
    attrs = pd.DataFrame(index=frame.index)
    attrs["deal_id"] = frame["deal_id"]
    attrs["announced"] = frame["announced"]
    attrs["ended"] = frame["ended"]
    for role in ("type", "status", "source"):
        attrs[role] = frame[cols[role]] if role in cols else None
    if "source" not in cols:
        attrs["source"] = str(table.path.name)
    grouped = attrs.groupby("deal_id", sort=False)
    for role in DEAL_LEVEL:
        if role not in cols:
            continue
        counts = grouped[role].nunique()
        conflicting = counts[counts > 1].index
        if len(conflicting):
            summary.notes.append(
                f"{len(conflicting):,} deals have conflicting '{cols[role]}' values across "
                f"their rows: the first row's value is kept (e.g. deal "
                f"{', '.join(map(str, conflicting[:3]))})"
            )
    deals = grouped.first()
    deals["count"] = 1
    deals["weight"] = 1.0
    summary.read["deals"] = len(deals)
    return deals


def _split_participants(frame, cols, summary) -> pd.DataFrame:
    """One piece per deal and participant name, per-participant columns lined up."""
    participant = frame[cols["participant"]]
    packed = participant.notna() & participant.astype(str).str.contains(SEPARATORS, regex=True)
    roles = [r for r in PER_PARTICIPANT if r in cols]
    simple = frame[~packed]
    pieces = pd.DataFrame({"deal_id": simple["deal_id"], "name": simple[cols["participant"]],
                           "row": simple["row"]})
    mismatched = 0
    for role in roles:
        values = simple[cols[role]]
        several = values.notna() & values.astype(str).str.contains(SEPARATORS, regex=True)
        mismatched += int(several.sum())
        pieces[role] = values.where(~several, None)
    if packed.any():
        wide = frame[packed]
        names = wide[cols["participant"]].map(_split)
        spread = pd.DataFrame({"deal_id": wide["deal_id"], "name": names, "row": wide["row"]})
        for role in roles:
            values = wide[cols[role]].map(_split)
            fits = [len(v) == len(n) for v, n in zip(values, names, strict=True)]
            mismatched += sum(1 for ok, v in zip(fits, values, strict=True)
                              if not ok and v != [None])
            spread[role] = [v if ok else [None] * len(n)
                            for ok, v, n in zip(fits, values, names, strict=True)]
        pieces = pd.concat([pieces, spread.explode(["name", *roles])])
    if mismatched:
        summary.notes.append(f"{mismatched:,} cells list a different number of values than "
                             "participants: those values were left blank")
    summary.read["participant names"] = int(pieces["name"].notna().sum())
    return pieces.sort_values("row", kind="stable").reset_index(drop=True)


def _split(cell: object) -> list:
    if cell is None:
        return [None]
    return [p.strip() or None for p in _SEPARATOR.split(str(cell))]
