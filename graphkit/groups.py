"""Known groupings (such as airline alliances) at a date, with each membership's role."""

from __future__ import annotations

import pandas as pd

from graphkit.errors import InputError


def memberships_as_of(groups: pd.DataFrame, as_of: pd.Timestamp | None,
                      roles: list[str] | None = None) -> pd.DataFrame:
    """One row per organisation (index `org_id`) with its `group` and `role` on `as_of`
    (every period if None), keeping only `roles` when given (case-insensitive).

    A membership is in force from its start to its end, both inclusive. Where an
    organisation is in several groups at once, the one it joined last is kept.
    """
    frame = groups
    if as_of is not None:
        frame = frame[(frame["start"] <= as_of) & (frame["end"].isna() | (frame["end"] >= as_of))]
    if roles:
        known = {str(r).casefold() for r in groups["role"].dropna()}
        wanted = {r.casefold() for r in roles}
        unknown = sorted(wanted - known)
        if unknown:
            raise InputError(f"no membership has the role '{unknown[0]}'; roles in the data: "
                             + ", ".join(sorted(set(groups["role"].dropna().astype(str)))))
        frame = frame[frame["role"].astype(str).str.casefold().isin(wanted)]
    frame = frame.sort_values("start", kind="stable").drop_duplicates("org_id", keep="last")
    return frame.set_index("org_id")[["group", "role"]]


def groups_as_of(groups: pd.DataFrame, as_of: pd.Timestamp | None,
                 roles: list[str] | None = None) -> pd.Series:
    """Organisation id -> group for the memberships in force on `as_of` (all if None)."""
    return memberships_as_of(groups, as_of, roles)["group"]


def role_counts(memberships: pd.DataFrame) -> pd.DataFrame:
    """Per group: how many organisations hold each role (members and affiliates apart)
    and in all, largest group first."""
    table = pd.crosstab(memberships["group"], memberships["role"].fillna("Member"))
    table.columns = [str(c).lower() + ("s" if not str(c).endswith("s") else "")
                     for c in table.columns]
    first = [c for c in ("members", "affiliates") if c in table.columns]
    table = table[first + [c for c in table.columns if c not in first]]
    table["total"] = table.sum(axis=1)
    table = table.sort_values(["total"], ascending=False, kind="stable")
    table.index.name = "group"
    table.columns.name = None
    return table


def mark_groups(graph, blocs: pd.Series | pd.DataFrame, attribute: str = "alliance") -> None:
    """Set `attribute` (and `<attribute>_role` when roles are known) on the nodes that
    belong to a bloc; others are left without it."""
    frame = blocs.to_frame("group") if isinstance(blocs, pd.Series) else blocs
    for node, attrs in graph.nodes(data=True):
        if node in frame.index:
            attrs[attribute] = frame.at[node, "group"]
            if "role" in frame and isinstance(frame.at[node, "role"], str):
                attrs[f"{attribute}_role"] = frame.at[node, "role"]
