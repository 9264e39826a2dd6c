"""Generic deals tables (CSV/TSV, Excel, Parquet) in long or wide (SDC-style) layout.

Long layout: one row per deal and participant, rows of one deal share a deal id.
Wide layout: one row per deal, all participants packed in one cell, separated by newlines,
semicolons or `|` (as SDC Platinum alliance exports do; `separator` chooses others, such as
a comma); per-participant columns such as Participant Nation are packed the same way and
matched up by position. Commas do not separate by default, so legal names keep theirs
("Ford Motor Co, Inc"); with a comma separator, a piece that is only a legal form ("Inc")
stays with the name before it. Cells that look like comma-separated lists are reported
with the option to use.
Both layouts may mix: every participant cell is split, then rows are grouped by deal id.
Dates may be partial (`graphkit.dates`); a date that cannot be read is kept as unknown by
default (`bad_rows`). A status that says the deal ended (Terminated, Expired, ...) with no
end date is counted in the summary (see `graphkit.projection` for how --as-of treats it).
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import numpy as np
import pandas as pd

from graphkit.dates import ACCEPTED, date_order, parse_dates, precision_note
from graphkit.distinct import map_distinct
from graphkit.engine import collector_paused
from graphkit.errors import InputError
from graphkit.loaders.assemble import MAX_PARTICIPANTS, assemble, settle_bad_cells
from graphkit.loaders.tables import Table, read_table, require_columns
from graphkit.model import PartnerData, ended_status
from graphkit.names import LEGAL_SUFFIXES, NameResolver, normalize_name
from graphkit.summary import LoadSummary, plural

DEFAULT_SEPARATORS = ";|"  # and newlines, always


def separator_pattern(separators: str | None = None) -> re.Pattern:
    """Newlines and each character of `separators` (default `;` and `|`) split a cell.
    Letters, digits and spaces are refused: they would cut names apart ('a' splits
    'Lufthansa'), and an empty text would silently mean the default."""
    if separators is not None:
        unfit = [c for c in dict.fromkeys(separators) if c.isalnum() or c == " "]
        if not separators or unfit:
            problem = ("is empty, which splits nothing" if not separators else
                       ", ".join(f"'{c}'" for c in unfit) + " would cut names apart")
            raise InputError(f"--separator {problem}; give punctuation that stands between "
                             "names, such as ';' '|' '/' or ','")
    chars = separators or DEFAULT_SEPARATORS
    return re.compile(r"\r?\n|" + "|".join(re.escape(c) for c in dict.fromkeys(chars)))


def describe_separators(separators: str | None) -> str:
    chars = separators or DEFAULT_SEPARATORS
    return ", ".join(["newlines", *[repr(c) for c in dict.fromkeys(chars)]])

REQUIRED = {
    "participant": [
        "Participants", "Participant", "Participant Name", "Participant Names",
        "Participants in Venture / Alliance", "Participants in Venture/Alliance (Short Name)",
        "Participant Short Name", "Organization", "Organisation", "Organizations",
        "Organisations", "Company", "Companies", "Firm", "Firms", "Partners", "Partner",
        "Parties", "Party", "Members", "Partner Companies", "Companies Involved",
        "Parties Involved", "Participating Companies", "Participating Firms",
    ],
}
OPTIONAL = {
    "deal_id": ["Deal Number", "Deal No", "Deal ID", "SDC Deal No", "Deal",
                "Agreement ID", "Alliance ID", "Deal Identifier", "Deal Ref", "Ref",
                "Reference", "ID", "Agreement No", "Agreement Number", "Deal No.",
                "Contract No", "Contract Number", "Ref No"],
    "announced": ["Date Announced", "Announced", "Announcement Date", "Alliance Date Announced",
                  "Alliance Date", "Deal Date", "Agreement Date", "Date Signed", "Date",
                  "Start Date", "Date Effective", "Signing Date", "Signed", "Signature Date",
                  "Date of Agreement", "Effective Date"],
    "ended": ["Date Terminated", "Date Alliance Terminated", "Termination Date", "End Date",
              "Date Ended", "Ended", "Expiry Date", "Expiration Date", "Date Expired"],
    "type": ["Deal Type", "Type", "Alliance Type", "Agreement Type", "Form of Alliance",
             "Deal Form", "Deal Nature", "Nature of Deal", "Nature", "Deal Kind", "Kind",
             "Deal Category", "Category"],
    "status": ["Status", "Deal Status", "Alliance Status", "State", "Deal State"],
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
    bad_rows: str = "keep",
    separator: str | None = None,
    resolver: NameResolver | None = None,
) -> PartnerData:
    """Read a deals table; see the module docstring for the layouts understood."""
    table = read_table(path, delimiter=delimiter, encoding=encoding, sheet=sheet)
    return deals_from_table(table, columns=columns, dayfirst=dayfirst, bad_rows=bad_rows,
                            separator=separator, resolver=resolver)


@collector_paused()
def deals_from_frame(frame: pd.DataFrame, **options) -> PartnerData:
    """Read deals from a DataFrame already in memory (same rules as a file)."""
    table = Table(frame=frame.astype(object).where(frame.notna(), None), path=Path("<frame>"))
    return deals_from_table(table, **options)


@collector_paused()
def deals_from_table(
    table: Table,
    *,
    columns: dict[str, str] | None = None,
    dayfirst: bool = False,
    bad_rows: str = "keep",
    separator: str | None = None,
    resolver: NameResolver | None = None,
    max_participants: int = MAX_PARTICIPANTS,
    large_deals: str = "skip",
) -> PartnerData:
    """Read a deals table already read as a table (see the module docstring)."""
    check_roles(columns, ROLES, "deals table")
    cols = require_columns(table, REQUIRED, given=columns, optional=OPTIONAL,
                           column_option=True)
    summary = LoadSummary(source=str(table.path), format="deals table")
    try:
        summary.notes.extend(table.notes)
        summary.notes.extend(column_lines(table, cols, OPTIONAL))
        return _read(table, cols, summary, dayfirst, bad_rows, separator, resolver,
                     max_participants, large_deals)
    except InputError as exc:
        exc.summaries.append(summary)  # what was read before the problem, for the user
        raise


# Columns the reading adds beside the table's own. A table column of the same name is
# read under 'row (column 1)', so its values are neither overwritten nor mistaken for ours.
BOOKKEEPING = ("row", "deal_id", "announced", "ended", "announced_precision",
               "ended_precision", "_packed")


def _read(table, cols, summary, dayfirst, bad_rows, separator, resolver, max_participants,
          large_deals) -> PartnerData:
    source, codes = table.frame, table.codes  # codes: the cells as ints, if the reader had them
    if codes is not None and list(codes.columns) != list(source.columns):
        codes = None
    clash = {c: f"{c} (column {i + 1})" for i, c in enumerate(source.columns)
             if c in BOOKKEEPING}
    if clash:
        source = source.rename(columns=clash)
        codes = codes.rename(columns=clash) if codes is not None else None
        cols = {role: clash.get(column, column) for role, column in cols.items()}
    frame = source.assign(row=np.arange(len(source)) + table.first_row)
    summary.read["rows"] = len(frame)
    empty = pd.Series(np.logical_and.reduce(
        [pd.isna(frame[c].to_numpy()) if codes is None else codes[c].to_numpy() < 0
         for c in source.columns] or [np.ones(len(frame), bool)]), index=frame.index)
    summary.drop("empty row", int(empty.sum()), [f"row {r}" for r in frame.loc[empty, "row"][:5]])
    frame = frame[~empty]

    duplicate = (frame[list(source.columns)] if codes is None
                 else codes[~empty.to_numpy()].set_axis(frame.index)).duplicated()
    summary.drop("row repeats an earlier row exactly", int(duplicate.sum()),
                 [f"row {r}" for r in frame.loc[duplicate, "row"][:5]])
    frame = frame[~duplicate]

    pattern = separator_pattern(separator)
    # Which participant cells list several names: one regex search per distinct cell.
    frame = frame.assign(_packed=_holds_separator(frame[cols["participant"]], pattern))
    _note_comma_lists(frame, cols, table, summary, separator)
    frame = _deal_ids(frame, cols, table, summary, separator)
    frame = _parse_deal_dates(frame, cols, table, summary, dayfirst, bad_rows)
    deals = _deal_attributes(frame, cols, table, summary)
    pieces = _split_participants(frame, cols, summary, pattern, separator)
    return assemble(pieces, deals, summary, resolver, kind="firm",
                    max_participants=max_participants, large_deals=large_deals)


def check_roles(columns: dict[str, str] | None, roles: list[str], what: str) -> None:
    """One clear error for a --column ROLE that this kind of table has no use for."""
    for role in columns or {}:
        if role not in roles:
            close = difflib.get_close_matches(role, roles, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise InputError(f"--column {role}=...: a {what} has no column role '{role}'. "
                             f"Its roles are {', '.join(roles)}.{hint}")


def column_lines(table: Table, cols: dict[str, str], optional: dict[str, list[str]]) -> list[str]:
    """Which column each role was read from, which roles found no column, and the exact
    option that maps a column the loader did not recognise."""
    used = ", ".join(f"{role} = '{col}'" for role, col in sorted(cols.items()))
    lines = [f"columns read: {used}"]
    unused = [str(c) for c in table.frame.columns if c not in cols.values()]
    missing = [r for r in optional if r not in cols]
    if missing:
        guesses = _closest_headers({r: optional[r] for r in missing}, unused)
        hints = [f"{role} (perhaps --column {role}=\"{guesses[role]}\")" if role in guesses
                 else role for role in missing]
        lines.append("no column found for: " + ", ".join(hints))
    if unused:
        lines.append("columns not used: " + ", ".join(f"'{c}'" for c in unused)
                     + " (map one with --column ROLE=\"NAME\")")
    return lines


def _closest_headers(roles: dict[str, list[str]], headers: list[str]) -> dict[str, str]:
    """Role -> the unused header most like one of its usual headers, each header offered
    for one role at most (the best-scoring pairs first)."""
    from rapidfuzz import fuzz

    scored = sorted(((max(fuzz.token_set_ratio(h.casefold(), s.casefold()) for s in syns),
                      role, h) for role, syns in roles.items() for h in headers), reverse=True)
    out: dict[str, str] = {}
    for score, role, header in scored:
        if score >= 80 and role not in out and header not in out.values():
            out[role] = header
    return out


def _looks_like_list(cell: str) -> bool:
    """A comma-separated list of names, not one legal name with a comma in it."""
    pieces = [p.strip() for p in cell.split(",")]
    return len(pieces) > 1 and sum(1 for p in pieces[1:] if not _legal_form(p)) > 0


def _legal_form(piece: str) -> bool:
    key = normalize_name(piece)
    return bool(key) and all(word in LEGAL_SUFFIXES for word in key.split(" "))


def _note_comma_lists(frame, cols, table, summary, separator) -> None:
    """Participant cells that hold commas and no separator in use: say how to split them."""
    if separator and "," in separator:
        return
    cells = frame.loc[~frame["_packed"], cols["participant"]].dropna().astype(str)
    listed = cells[map_distinct(cells, _looks_like_list).astype(bool)]
    if listed.empty:
        return
    first = listed.index[0]
    example = f"row {frame.at[first, 'row']}: '{listed.iloc[0]}'"
    chars = (separator or DEFAULT_SEPARATORS) + ","
    summary.notes.append(
        f"{plural(len(listed), 'cell')} of '{cols['participant']}' hold commas and no other "
        f"separator (e.g. {example}): each was read as one name. If commas separate "
        f"participants there, load again with --separator '{chars}'")


def _deal_ids(frame: pd.DataFrame, cols: dict, table: Table, summary: LoadSummary,
              separator: str | None):
    packed = frame["_packed"]
    if "deal_id" in cols:
        missing = frame[cols["deal_id"]].isna() & frame[cols["participant"]].notna()
        if missing.any():
            row = int(frame.loc[missing, "row"].iloc[0])
            raise InputError("deal id is missing (every row needs one, or drop the column "
                             "and pack each deal's participants in one cell)",
                             file=table.path, row=row, column=cols["deal_id"])
        ids = map_distinct(frame[cols["deal_id"]], _id_text)
        return frame.assign(deal_id=ids)
    if not packed.any():
        cells = frame[cols["participant"]].dropna().astype(str)
        commas = cells[cells.map(_looks_like_list)]
        hint = (f" The cells of '{cols['participant']}' hold commas (e.g. row "
                f"{frame.at[commas.index[0], 'row']}: '{commas.iloc[0]}'): if commas separate "
                "the participants, add --separator ','." if len(commas) else "")
        raise InputError(
            "no deal id column and no cell lists several participants: a long table (one row "
            "per participant) needs a deal id column such as 'Deal Number' (--column "
            "deal_id=NAME); a wide table packs participants in one cell, separated by "
            f"{describe_separators(separator)}.{hint}",
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
            frame = frame.assign(**{role: pd.NaT, f"{role}_precision": None})
            continue
        end = role == "ended"
        first = dayfirst
        if not dayfirst:
            first, why = date_order(frame[cols[role]])
            if why:
                summary.notes.append(f"'{cols[role]}': {why}")
        parsed, bad, precision = parse_dates(frame[cols[role]], dayfirst=first,
                                             period_end=end)
        drop = settle_bad_cells(bad, frame[cols[role]], frame["row"], path=table.path,
                                column=cols[role], expected=ACCEPTED, bad_rows=bad_rows,
                                summary=summary, reason=f"unreadable date in '{cols[role]}'",
                                keepable=True)
        frame, parsed, precision = frame[~drop], parsed[~drop], precision[~drop]
        frame = frame.assign(**{role: parsed, f"{role}_precision": precision})
        note = precision_note(precision, cols[role], end)
        if note:
            summary.notes.append(note)
    return frame


def _deal_attributes(frame, cols, table, summary) -> pd.DataFrame:
    """One row per deal; where a deal's rows disagree, the first value is kept and noted."""
    attrs = pd.DataFrame(index=frame.index)
    attrs["deal_id"] = frame["deal_id"]
    for role in ("announced", "ended", "announced_precision", "ended_precision"):
        attrs[role] = frame[role]
    for role in ("type", "status", "source"):
        # Text, whatever the cell held (Excel keeps numeric codes as numbers).
        attrs[role] = map_distinct(frame[cols[role]], _text) if role in cols else None
    if "source" not in cols:
        attrs["source"] = str(table.path.name)
    deals, conflicts = first_per_deal(attrs, [r for r in DEAL_LEVEL if r in cols])
    for role, conflicting in conflicts.items():
        if len(conflicting):
            summary.notes.append(
                f"{plural(len(conflicting), 'deal')} with conflicting '{cols[role]}' values across "
                f"their rows: the first row's value is kept (e.g. deal "
                f"{', '.join(map(str, conflicting[:3]))})"
            )
    deals["count"] = 1
    deals["weight"] = 1.0
    summary.read["deals"] = len(deals)
    undated = int(deals["announced"].isna().sum())
    if undated:
        summary.notes.append(f"{plural(undated, 'deal')} without an announcement date: "
                             "kept in graphs without a date filter, left out (and counted) "
                             "where --as-of or --window needs the date")
    if "status" in cols:
        ended = map_distinct(deals["status"], ended_status).astype(bool) & deals["ended"].isna()
        if ended.any():
            summary.notes.append(
                f"{plural(int(ended.sum()), 'deal')} with a status saying the deal ended ("
                + ", ".join(f"'{v}'" for v in pd.unique(deals.loc[ended, "status"])[:3])
                + ") but no end date: --as-of counts such deals as in force, since when "
                "they ended is unknown (--ended-undated drop leaves them out of dated graphs)")
    return deals


def first_per_deal(attrs: pd.DataFrame, checked: list[str]) -> tuple[pd.DataFrame, dict]:
    """`attrs.groupby("deal_id", sort=False).first()` (each column's first value that is
    not missing, deals in order of first appearance), and for each of the `checked`
    columns the deals whose rows hold more than one value (`nunique() > 1`), computed on
    integer codes: a million rows in a tenth of the time."""
    deal, ids = pd.factorize(attrs["deal_id"], use_na_sentinel=True)
    keep = deal >= 0  # groupby leaves out rows without a deal id
    deal, rows = deal[keep], np.flatnonzero(keep)
    out: dict[str, pd.Series] = {}
    conflicts: dict[str, pd.Index] = {}
    positions = np.arange(len(deal))
    every: np.ndarray | None = None  # the first row of each deal, once
    for column in attrs.columns.drop("deal_id"):
        values = attrs[column].iloc[rows]
        present = ~pd.isna(values.to_numpy())
        full = bool(present.all())
        if full and every is not None:
            where = every
        else:  # the first row of each deal among the rows holding a value
            where = np.full(len(ids), len(deal))
            np.minimum.at(where, deal[present], positions[present])
            where[where == len(deal)] = -1
            if full:
                every = where
        firsts = values.iloc[np.maximum(where, 0)].reset_index(drop=True) if len(values) \
            else values.reset_index(drop=True).reindex(range(len(ids)))
        has = pd.Series(where >= 0)
        # The column's own dtype, as groupby keeps it; objects keep None for missing.
        out[column] = (firsts.astype(object).where(has, None) if values.dtype == object
                       else firsts.where(has))
        if column in checked:
            codes = pd.factorize(values, use_na_sentinel=True)[0]
            first_code = np.where(where >= 0, codes[np.maximum(where, 0)], -1) if len(codes) \
                else np.full(len(ids), -1)
            differs = present & (codes != first_code[deal])
            conflicts[column] = ids[np.unique(deal[differs])]
    deals = pd.DataFrame(out)
    deals.index = ids.infer_objects().rename("deal_id")  # text ids: str, as groupby gives
    return deals, conflicts


def _text(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return _id_text(value)


def _split_participants(frame, cols, summary, pattern, separator) -> pd.DataFrame:
    """One piece per deal and participant name, per-participant columns lined up."""
    packed = frame["_packed"]
    roles = [r for r in PER_PARTICIPANT if r in cols]
    simple = frame[~packed]
    pieces = pd.DataFrame({"deal_id": simple["deal_id"], "name": simple[cols["participant"]],
                           "row": simple["row"]})
    mismatched: list[str] = []  # "row N, column 'X'" of cells whose values were left blank
    for role in roles:
        values = simple[cols[role]]
        several = _holds_separator(values, pattern)
        mismatched += [f"row {r}, column '{cols[role]}'" for r in simple.loc[several, "row"]]
        pieces[role] = values.where(~several, None)
    if packed.any():
        wide = frame[packed]
        glue = bool(separator and "," in separator)
        names = wide[cols["participant"]].map(lambda c: _split(c, pattern, glue))
        spread = pd.DataFrame({"deal_id": wide["deal_id"], "name": names, "row": wide["row"]})
        for role in roles:
            values = wide[cols[role]].map(lambda c: _split(c, pattern, False))
            fits = [len(v) == len(n) for v, n in zip(values, names, strict=True)]
            mismatched += [f"row {r}, column '{cols[role]}'" for ok, v, r in
                           zip(fits, values, wide["row"], strict=True) if not ok and v != [None]]
            spread[role] = [v if ok else [None] * len(n)
                            for ok, v, n in zip(fits, values, names, strict=True)]
        pieces = pd.concat([pieces, spread.explode(["name", *roles])])
    if mismatched:
        summary.notes.append(f"{plural(len(mismatched), 'cell')} list a different number of "
                             "values than participants, so no value could be matched to its "
                             f"participant and they were left blank (e.g. {mismatched[0]})")
    summary.read["participant names"] = int(pieces["name"].notna().sum())
    return pieces.sort_values("row", kind="stable").reset_index(drop=True)


def _holds_separator(values: pd.Series, pattern: re.Pattern) -> pd.Series:
    """Which cells list several values: one search per distinct cell."""
    return map_distinct(values, lambda c: c is not None
                        and bool(pattern.search(str(c)))).astype(bool)


def _split(cell: object, pattern: re.Pattern, glue_legal_forms: bool) -> list:
    if cell is None:
        return [None]
    parts = [p.strip() for p in pattern.split(str(cell))]
    if glue_legal_forms:  # "Ford Motor Co, Inc" split on commas: "Inc" rejoins its name
        glued: list[str] = []
        for part in parts:
            if glued and _legal_form(part):
                glued[-1] = f"{glued[-1]}, {part}"
            else:
                glued.append(part)
        parts = glued
    return [p or None for p in parts]
