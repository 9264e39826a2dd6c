"""Plain edge lists: source, target and optional weight, deal count, date and type per row.

Each row is one tie record (a deal with two participants, or `deals` of them when a deal
count column is given, as `export --format csv` writes); parallel rows between the same
pair are kept and add up in the projected tie. Without a weight column a row weighs its
deal count.
"""

from __future__ import annotations

import pandas as pd

from graphkit.dates import ACCEPTED, date_order, parse_dates, precision_note
from graphkit.engine import collector_paused
from graphkit.errors import InputError
from graphkit.loaders.assemble import assemble, settle_bad_cells
from graphkit.loaders.deals import check_roles, column_lines
from graphkit.loaders.tables import Table, require_columns
from graphkit.model import MAX_DEALS, WEIGHT_EXPECTED, PartnerData, weights_out_of_range
from graphkit.names import NameResolver
from graphkit.summary import LoadSummary, plural

# Pair tables name their two ends "partner A"/"partner B", "company 1"/"company 2" and so on.
_PAIR_WORDS = ["partner", "company", "organisation", "organization", "org", "party", "firm",
               "node", "member", "airline", "carrier"]
REQUIRED = {
    "source": ["source", "from", "src", "u",
               *(f"{w} {end}" for w in _PAIR_WORDS for end in ("1", "a"))],
    "target": ["target", "to", "dst", "v",
               *(f"{w} {end}" for w in _PAIR_WORDS for end in ("2", "b"))],
}
OPTIONAL = {
    "weight": ["weight", "strength"],
    "deals": ["deals", "deal count", "count", "number of deals"],
    "announced": ["date", "year", "announced", "date announced", "first_date", "first_year"],
    "type": ["type", "deal type", "types"],
}
ROLES = sorted([*REQUIRED, *OPTIONAL])
_DIRECTIONS = {"directed", "undirected", "mixed"}
DEALS_EXPECTED = f"a whole number of deals from 1 to {MAX_DEALS:,}"


def looks_like_edge_list(columns: list[str]) -> bool:
    """True when the headers name a source and a target column."""
    from graphkit.loaders.tables import header_key

    keys = {header_key(c) for c in columns}
    return any(header_key(s) in keys for s in REQUIRED["source"]) and any(
        header_key(t) in keys for t in REQUIRED["target"]
    )


@collector_paused()
def edges_from_table(
    table: Table,
    *,
    columns: dict[str, str] | None = None,
    dayfirst: bool = False,
    bad_rows: str = "keep",
    resolver: NameResolver | None = None,
) -> PartnerData:
    """Read an edge list already read as a table."""
    if set(table.frame.columns) >= _EXPORTED and not columns:
        return _exported_edges(table)
    check_roles(columns, ROLES, "edge list")
    cols = require_columns(table, REQUIRED, given=columns, optional=OPTIONAL,
                           column_option=True)
    summary = LoadSummary(source=str(table.path), format="edge list")
    if "type" in cols and "type" not in (columns or {}):
        kinds = set(table.frame[cols["type"]].dropna().astype(str).str.casefold())
        if kinds and kinds <= _DIRECTIONS:
            # Gephi's edges table: its Type column says an edge's direction, not a deal's.
            summary.notes.append(f"'{cols.pop('type')}' holds edge directions (Gephi's Type "
                                 "column: " + ", ".join(sorted(kinds)) + "), not deal types: "
                                 "not read (--column type=... reads it anyway)")
    try:
        return _read(table, cols, summary, dayfirst, bad_rows, resolver)
    except InputError as exc:
        exc.summaries.append(summary)
        raise


# The columns `graphkit export --format csv` writes into edges.csv: a table holding them
# is read back as the graph it came from (ids as ids, each deal with its date and type).
_EXPORTED = {"source", "target", "source_name", "target_name", "deals", "deal_ids",
             "deal_dates"}
_LISTS = ("deal_ids", "deal_dates", "deal_ends", "deal_types", "deal_statuses", "types")


def _exported_edges(table: Table) -> PartnerData:
    """An edges.csv written by `graphkit export --format csv`, as the graph it holds: the
    graph-file rules apply (`graphkit.loaders.graph_files.graph_data`)."""
    import networkx as nx

    from graphkit.loaders.graph_files import check_graph, graph_data
    from graphkit.outputs import as_written

    def number(text: object) -> float:
        try:
            return float(str(text))
        except ValueError:
            return float("nan")  # refused by the graph checks, naming the edge

    graph = nx.Graph()
    frame = table.frame
    fields = list(frame.columns)
    for values in frame.itertuples(index=False, name=None):
        data = {k: as_written(v) for k, v in zip(fields, values, strict=True)
                if v is not None}
        u, v = data.pop("source", None), data.pop("target", None)
        if u is None or v is None:
            continue
        graph.add_node(u, name=data.pop("source_name", u))
        graph.add_node(v, name=data.pop("target_name", v))
        for key in _LISTS:  # '; '-joined lists, an unknown item left empty
            if key in data:
                data[key] = [item or None for item in str(data[key]).split("; ")]
        if "deal_ids" in data and "deal_dates" not in data:  # every deal undated
            data["deal_dates"] = [None] * len(data["deal_ids"])
        for key in ("deals", "weight", "first_year", "last_year"):
            if key in data:
                data[key] = number(data[key])
        graph.add_edge(u, v, **data)
    check_graph(graph, table.path)
    part = graph_data(graph, table.path, "edges exported by graphkit")
    part.summaries[0].notes.insert(0, "written by `graphkit export --format csv`: read as "
                                      "the graph it holds (ids, names, each deal's date and "
                                      "type); nodes.csv is not needed")
    return part


def _read(table, cols, summary, dayfirst, bad_rows, resolver) -> PartnerData:
    summary.notes.extend(table.notes)
    summary.notes.extend(column_lines(table, cols, OPTIONAL))
    frame = table.frame
    rows = pd.Series([table.row_number(i) for i in range(len(frame))], index=frame.index)
    summary.read["rows"] = len(frame)
    empty = frame.isna().all(axis=1)
    summary.drop("empty row", int(empty.sum()), [f"row {r}" for r in rows[empty][:5]])

    count = pd.Series(1, index=frame.index)
    if "deals" in cols:
        numbers = pd.to_numeric(frame[cols["deals"]], errors="coerce")
        bad = frame[cols["deals"]].notna() & ~(numbers.between(1, MAX_DEALS)
                                               & (numbers % 1 == 0)) & ~empty
        empty |= settle_bad_cells(
            bad, frame[cols["deals"]], rows, path=table.path, column=cols["deals"],
            expected=DEALS_EXPECTED, bad_rows=bad_rows, summary=summary,
            reason=f"deal count in '{cols['deals']}' is not {DEALS_EXPECTED}")
        count = numbers.where(~bad).fillna(1).astype("int64")
    weight = count.astype(float)
    if "weight" in cols:
        weight = pd.to_numeric(frame[cols["weight"]], errors="coerce")
        bad = weights_out_of_range(frame[cols["weight"]]) & ~empty
        empty |= settle_bad_cells(
            bad, frame[cols["weight"]], rows, path=table.path, column=cols["weight"],
            expected=WEIGHT_EXPECTED, bad_rows=bad_rows, summary=summary,
            reason=f"weight in '{cols['weight']}' is not {WEIGHT_EXPECTED}")
        weight = weight.fillna(count.astype(float))

    announced = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us]")
    if "announced" in cols:
        if not dayfirst:
            dayfirst, why = date_order(frame[cols["announced"]])
            if why:
                summary.notes.append(f"'{cols['announced']}': {why}")
        announced, bad, precision = parse_dates(frame[cols["announced"]], dayfirst=dayfirst)
        empty |= settle_bad_cells(
            bad & ~empty, frame[cols["announced"]], rows, path=table.path,
            column=cols["announced"], expected=ACCEPTED, bad_rows=bad_rows, summary=summary,
            reason=f"unreadable date in '{cols['announced']}'", keepable=True)
        note = precision_note(precision[~empty], cols["announced"], False)
        if note:
            summary.notes.append(note)

    keep = ~empty
    _note_repeated_rows(frame[keep], rows[keep], summary)
    ids = [f"{table.path.stem}:row{r}" for r in rows[keep]]
    deals = pd.DataFrame(
        {
            "type": frame.loc[keep, cols["type"]].to_numpy() if "type" in cols else None,
            "announced": announced[keep].to_numpy(),
            "ended": pd.NaT,
            "status": None,
            "source": table.path.name,
            "count": count[keep].to_numpy(),
            "weight": weight[keep].to_numpy(),
        },
        index=pd.Index(ids, name="deal_id", dtype=object),
    )
    summary.read["ties"] = len(deals)
    pieces = pd.DataFrame(
        {
            "deal_id": ids * 2,
            "name": [*frame.loc[keep, cols["source"]], *frame.loc[keep, cols["target"]]],
            "row": [*rows[keep], *rows[keep]],
        }
    )
    return assemble(pieces, deals, summary, resolver, kind=None, per_row=True)


def _note_repeated_rows(frame: pd.DataFrame, rows: pd.Series, summary) -> None:
    """A row repeating an earlier one exactly is kept, as a deal of its own (an edge list
    has no deal id to tell a copy from a second deal; Gephi sums repeated edges too), and
    said, so copies can be removed."""
    repeated = frame.duplicated(keep="first")
    if not repeated.any():
        return
    first = frame.groupby(list(frame.columns), dropna=False, sort=False).ngroup()
    origin = rows.groupby(first).transform("first")
    example = repeated.to_numpy().argmax()
    count = int(repeated.sum())
    summary.notes.append(
        f"{plural(count, 'row')} repeat{'s' if count == 1 else ''} an earlier row exactly "
        f"(e.g. row {rows.iloc[example]} repeats row {origin.iloc[example]}): each counts as "
        "a deal of its own; remove the copies if they are copies, or add a date or deal "
        "column that tells the deals apart")
