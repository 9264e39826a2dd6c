"""Known groupings (such as airline alliances) at a date."""

from __future__ import annotations

import pandas as pd


def groups_as_of(groups: pd.DataFrame, as_of: pd.Timestamp | None) -> pd.Series:
    """Organisation id -> group for the memberships in force on `as_of` (all if None).

    A membership is in force from its start to its end, both inclusive. Where an
    organisation is in several groups at once, the one it joined last is kept.
    """
    frame = groups
    if as_of is not None:
        frame = frame[(frame["start"] <= as_of) & (frame["end"].isna() | (frame["end"] >= as_of))]
    frame = frame.sort_values("start", kind="stable")
    return frame.drop_duplicates("org_id", keep="last").set_index("org_id")["group"]


def mark_groups(graph, blocs: pd.Series, attribute: str = "alliance") -> None:
    """Set `attribute` on the nodes that belong to a bloc; others are left without it."""
    for node, attrs in graph.nodes(data=True):
        if node in blocs.index:
            attrs[attribute] = blocs[node]
