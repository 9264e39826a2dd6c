"""Turn participant rows into the model: resolve names, drop what cannot tie, report."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from graphkit.distinct import within
from graphkit.errors import InputError, quoted, shown
from graphkit.model import DEAL_COLUMNS, PartnerData
from graphkit.names import NameResolver, is_placeholder
from graphkit.summary import LoadSummary, plural

BAD_ROWS = ("keep", "drop", "error")
# A deal with k participants gives k(k-1)/2 ties: 1,000 participants would give 499,500.
# Deals above this size (a standards body, an industry consortium) are not partnerships
# between every pair of members; by default they are left out and listed (`large_deals`).
MAX_PARTICIPANTS = 100
LARGE_DEALS = ("skip", "star", "clique")


def _large_deals(pieces: pd.DataFrame, deals: pd.DataFrame, summary: LoadSummary,
                 limit: int, policy: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Deals with more than `limit` participants: skipped (default: as cliques they would
    make their members each other's strongest partners and dominate every centrality),
    linked as a star to a node standing for the deal, or kept as cliques."""
    if policy not in LARGE_DEALS:
        raise InputError(f"--large-deals is one of {', '.join(LARGE_DEALS)}, got '{policy}'")
    if limit < 2:
        raise InputError(f"--max-participants must be at least 2, got {limit}")
    # Deal codes first: most tables have no large deal.
    if "deal" in pieces and len(pieces) and np.bincount(pieces["deal"]).max() <= limit:
        return pieces, deals
    sizes = pieces.groupby("deal_id").size()
    big = sizes[sizes > limit]
    if big.empty:
        return pieces, deals
    examples = [f"deal {d} ({n:,} participants)" for d, n in big.head(5).items()]
    if policy == "skip":
        summary.drop(f"deal with more than {limit:,} participants (--large-deals star or "
                     "clique keeps it; --max-participants sets the size)", len(big), examples)
        return pieces[~within(pieces["deal_id"], big.index)], deals
    if policy == "clique":
        summary.notes.append(f"{plural(len(big), 'deal')} with more than {limit:,} "
                             f"participants kept as cliques ({int((big * (big - 1) // 2).sum()):,}"
                             " ties; e.g. " + ", ".join(examples) + ")")
        return pieces, deals
    members = pieces[within(pieces["deal_id"], big.index)]
    star_ids = members["deal_id"] + "#" + members["org_id"].astype(str)
    spokes = members.assign(deal_id=star_ids)
    hubs = members.drop_duplicates("deal_id").assign(
        org_id="deal:" + members.drop_duplicates("deal_id")["deal_id"],
        name=lambda f: f["org_id"])
    hub_pieces = hubs.loc[hubs.index.repeat(big.reindex(hubs["deal_id"]).to_numpy())]
    hub_pieces = hub_pieces.assign(deal_id=star_ids.to_numpy())
    star_deals = deals.reindex(members["deal_id"]).set_axis(star_ids.to_numpy())
    star_deals.index.name = deals.index.name
    summary.notes.append(f"{plural(len(big), 'deal')} with more than {limit:,} participants "
                         "linked as stars: each participant tied to a node standing for the "
                         "deal ('deal:<id>'; e.g. " + ", ".join(examples) + ")")
    pieces = pd.concat([pieces[~within(pieces["deal_id"], big.index)], spokes, hub_pieces],
                       ignore_index=True).drop(columns=["deal", "org"], errors="ignore")
    deals = pd.concat([deals.drop(index=big.index, errors="ignore"), star_deals])
    return pieces, deals


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
        raise InputError(f"expected {expected}, got {shown(values[first])} ({hint})",
                         file=path, row=int(rows[first]), column=column)
    examples = [f"row {r} ({shown(values[i])})" for i, r in rows[bad][:5].items()]
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
    per_row: bool = False,
    max_participants: int = MAX_PARTICIPANTS,
    large_deals: str = "skip",
) -> PartnerData:
    """Build PartnerData from participant pieces and deal attributes.

    pieces: one row per deal and participant with `deal_id`, `name`, `row` (file row),
    optional `country` and `sector`. deals: indexed by deal_id with DEAL_COLUMNS.
    Blank and placeholder names, repeated participants and deals left with fewer than two
    distinct organisations are dropped and counted in `summary`, each once.
    """
    resolver = resolver or NameResolver()
    # Each dropped piece (a participant of a deal) is counted once, for its first reason;
    # with `per_row` (edge lists: one row is one tie) each dropped row is counted once,
    # for the reason its tie failed.
    why: dict = {}  # deal id -> why it lost a participant (per_row)

    def lose(mask: pd.Series, reason: str, row_reason: str) -> None:
        nonlocal pieces
        if per_row:
            for deal in pieces.loc[mask, "deal_id"]:
                why.setdefault(deal, row_reason)
        else:
            summary.drop(reason, int(mask.sum()), _rows(pieces, mask))
        pieces = pieces[~mask]

    # Deals and organisations as integer codes: the checks below count, group and compare
    # ints, and each distinct name is checked and resolved once.
    deal_codes, deal_ids = pd.factorize(pieces["deal_id"])
    pieces = pieces.assign(deal=deal_codes)
    blank = pieces["name"].isna()
    lose(blank, "blank participant name", "an end is blank")
    codes, names = pd.factorize(pieces["name"])  # in order of first appearance
    flagged = np.array([is_placeholder(n) for n in names], dtype=bool)
    placeholder = flagged[codes]
    examples = ", ".join(quoted(n) for n in names[flagged][:5])
    lose(pd.Series(placeholder, index=pieces.index),
         f"participant name is a placeholder, not a name ({examples}): treated as blank",
         f"an end is a placeholder, not a name ({examples})")
    # The names left keep their order; their codes close the gaps placeholders leave.
    codes = (np.cumsum(~flagged) - 1)[codes[~placeholder]]
    names = names[~flagged]
    counts = np.bincount(codes, minlength=len(names)).tolist()
    resolution = resolver.resolve(Counter(dict(zip(names, counts, strict=True))))
    summary.merges.extend(resolution.merges)
    org_of_name = np.array([resolution.ids[n] for n in names], dtype=object)
    org_codes, org_ids = pd.factorize(org_of_name)
    pieces = pieces.assign(org_id=org_of_name[codes], org=org_codes[codes])

    pair = pieces["deal"].to_numpy(dtype=np.int64) * len(org_ids) + pieces["org"].to_numpy()
    repeated = pd.Series(pd.Series(pair).duplicated().to_numpy(), index=pieces.index)
    lose(repeated, "participant listed twice in the same deal",
         "both ends are one organisation")

    deal = pieces["deal"].to_numpy()
    single = pd.Series(np.bincount(deal)[deal] < 2, index=pieces.index)
    lone_deals = pieces.loc[single, "deal_id"].unique()
    if per_row:
        tied = set(pieces.loc[~single, "deal_id"])  # built once: the check runs per deal
        lost = [d for d in deals.index if d not in tied]
        rows = dict(zip(pieces["deal_id"], pieces["row"], strict=False))
        for reason in dict.fromkeys(why.get(d, "an end is blank") for d in lost):
            these = [d for d in lost if why.get(d, "an end is blank") == reason]
            summary.drop(f"row whose tie has no partner: {reason}", len(these),
                         [f"row {rows[d]}" if d in rows else str(d) for d in these[:5]])
    else:
        summary.drop("deal with a single participant (no partner to tie to)", len(lone_deals),
                     [f"deal {d}" for d in lone_deals[:5]])
    pieces = pieces[~single]

    pieces, deals = _large_deals(pieces, deals, summary, max_participants, large_deals)
    extra = [c for c in deals.columns if c not in DEAL_COLUMNS]  # e.g. date precision
    kept = within(deals.index, deal_ids[pd.unique(pieces["deal"].to_numpy())]
                  if "deal" in pieces else pieces["deal_id"].unique())
    kept_deals = deals.loc[kept, DEAL_COLUMNS + extra]
    # Organisations in order of first appearance, with the first non-missing country and
    # sector of their rows. (Stars for large deals add organisations the codes do not hold.)
    key = "org" if "org" in pieces else "org_id"
    order = pd.unique(pieces[key].to_numpy())
    described = [c for c in ("country", "sector") if c in pieces]
    firsts = (pieces.groupby(key, sort=False)[described].first().reindex(order) if described
              else pd.DataFrame(index=order))
    org_ids = np.asarray(org_ids, dtype=object)[order] if key == "org" else order
    firsts.index = pd.Index(org_ids, dtype=object)
    organizations = pd.DataFrame(
        {
            "name": [resolution.names.get(o, o) for o in org_ids],
            "country": firsts["country"].to_numpy()
            if "country" in firsts else None,
            "sector": firsts["sector"].to_numpy()
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
