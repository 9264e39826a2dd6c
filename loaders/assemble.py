"""Turn participant rows into the model: resolve names, drop what cannot tie, report."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from graphkit.errors import InputError
from graphkit.model import DEAL_COLUMNS, PartnerData
from graphkit.names import NameResolver, is_placeholder
from graphkit.summary import LoadSummary, plural

BAD_ROWS = ("keep", "drop", "error")


def settle_bad_cells(bad: pd.Series, values: pd.Series, rows: pd.Series, *, path, column: str,
                     expected: str, reason: str, bad_rows: str,
                     summary: LoadSummary, keepable: bool = False) -> pd.Series:
    """Cells that failed to parse. bad_rows="error" stops at the first with one clear
    error; "drop" drops their rows; "keep" (for cells a row can do without, such as a
    date: `keepable`) keeps the rows with the value unknown. Dropped and kept cells are
    counted in the summary. Returns the rows to drop."""
    if not bad.any():
        return bad
    if bad_rows == "error" or (bad_rows == "keep" and not keepable):
        first = bad[bad].index[0]
        hint = ("--bad-rows drop skips such rows" if not keepable else
                "--bad-rows keep keeps such rows with the value unknown, drop skips them")
        raise InputError(f"expected {expected}, got {values[first]!r} ({hint})",
                         file=path, row=int(rows[first]), column=column)
    examples = [f"row {r} ({values[i]!r})" for i, r in rows[bad][:5].items()]
    if bad_rows == "keep":
        summary.notes.append(f"{plural(int(bad.sum()), 'cell')} of '{column}' could not be read as "
                             f"{expected.split(',')[0]}: kept with the value unknown (e.g. "
                             f"{', '.join(examples)}; --bad-rows error stops on them)")
        return bad & False
    summary.drop(reason, int(bad.sum()), examples)
    return bad


def _rows(frame: pd.DataFrame, mask: pd.Series) -> list[str]:
    return [f"row {r}" for r in frame.loc[mask, "row"].head(5)]


def assemble(
    pieces: pd.DataFrame,
    deals: pd.DataFrame,
    summary: LoadSummary,
    resolver: NameResolver | None = None,
    kind: str | None = None,
) -> PartnerData:
    """Build PartnerData from participant pieces and deal attributes.

    pieces: one row per deal and participant with `deal_id`, `name`, `row` (file row),
    optional `country` and `sector`. deals: indexed by deal_id with DEAL_COLUMNS.
    Blank names, repeated participants and deals left with fewer than two distinct
    organisations are dropped and counted in `summary`.
    """
    resolver = resolver or NameResolver()
    blank = pieces["name"].isna()
    summary.drop("blank participant name", int(blank.sum()), _rows(pieces, blank))
    pieces = pieces[~blank]
    placeholder = pieces["name"].map(is_placeholder).astype(bool)
    summary.drop("participant name is a placeholder, not a name ("
                 + ", ".join(repr(n) for n in pd.unique(pieces.loc[placeholder, "name"])[:5])
                 + "): treated as blank", int(placeholder.sum()), _rows(pieces, placeholder))
    pieces = pieces[~placeholder]

    resolution = resolver.resolve(Counter(pieces["name"]))
    summary.merges.extend(resolution.merges)
    pieces = pieces.assign(org_id=pieces["name"].map(resolution.ids))

    repeated = pieces.duplicated(["deal_id", "org_id"])
    summary.drop("participant listed twice in the same deal", int(repeated.sum()),
                 _rows(pieces, repeated))
    pieces = pieces[~repeated]

    size = pieces.groupby("deal_id")["org_id"].transform("size")
    single = size < 2
    lone_deals = pieces.loc[single, "deal_id"].unique()
    summary.drop("deal with a single participant (no partner to tie to)", len(lone_deals),
                 [f"deal {d}" for d in lone_deals[:5]])
    pieces = pieces[~single]

    extra = [c for c in deals.columns if c not in DEAL_COLUMNS]  # e.g. date precision
    kept_deals = deals.loc[deals.index.isin(pieces["deal_id"].unique()), DEAL_COLUMNS + extra]
    org_ids = pd.unique(pieces["org_id"])
    firsts = pieces.groupby("org_id", sort=False).first()  # first non-missing per column
    organizations = pd.DataFrame(
        {
            "name": [resolution.names[o] for o in org_ids],
            "country": firsts["country"].reindex(org_ids).to_numpy()
            if "country" in firsts else None,
            "sector": firsts["sector"].reindex(org_ids).to_numpy()
            if "sector" in firsts else None,
            "kind": kind,
            "aliases": [resolution.aliases.get(o, ()) for o in org_ids],
        },
        index=pd.Index(org_ids, name="id", dtype=object),
    )
    organizations = organizations.astype({"country": object, "sector": object})
    organizations = organizations.where(organizations.notna(), None)
    summary.kept.update(
        {"deals": len(kept_deals), "organisations": len(organizations),
         "participations": len(pieces)}
    )
    return PartnerData(
        organizations=organizations,
        deals=kept_deals,
        participants=pieces[["deal_id", "org_id"]].reset_index(drop=True),
        summaries=[summary],
    )
