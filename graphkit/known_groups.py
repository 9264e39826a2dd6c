"""Reading a known grouping (blocs such as alliances) to compare ecosystems with."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from graphkit.errors import InputError, quoted
from graphkit.groups import groups_as_of

ID_COLUMNS = ["id", "org_id", "organisation", "organization", "name", "company", "firm",
              "airline", "participant", "iata", "code"]
GROUP_COLUMNS = ["group", "bloc", "alliance", "ecosystem", "cluster", "camp", "segment"]


def load_known_groups(path: str | Path, as_of: pd.Timestamp | None = None,
                      roles: list[str] | None = None) -> pd.Series:
    """Organisation id -> bloc, from a CSV (id, group) or an OPTD membership file.

    Membership files hold periods: `as_of` picks the memberships in force that day, and
    `roles` (e.g. ["Member"]) which roles count (default: every role, affiliates too).
    """
    from graphkit.loaders import detect_format, load_source
    from graphkit.loaders.tables import read_table, require_columns

    if detect_format(path) == "optd-membership":
        if as_of is None:
            raise InputError("membership changes over time: give the date to compare at "
                             "(--groups-as-of YYYY-MM-DD)", file=path)
        return groups_as_of(load_source(path).groups, as_of, roles)
    if roles:
        raise InputError("--group-roles applies to membership files with roles (OPTD alliance "
                         "membership); this file gives one group per organisation", file=path)
    table = read_table(path)
    cols = require_columns(table, {"id": ID_COLUMNS, "group": GROUP_COLUMNS})
    frame = table.frame[[cols["id"], cols["group"]]].dropna()
    repeated = frame[cols["id"]].duplicated(keep=False)
    if repeated.any():
        first = frame.index[repeated][0]
        raise InputError(f"organisation {quoted(frame.at[first, cols['id']])} is listed in more "
                         "than one group", file=path, row=table.row_number(first),
                         column=cols["id"])
    return pd.Series(frame[cols["group"]].astype(str).to_numpy(),
                     index=frame[cols["id"]].astype(str).to_numpy(), name="group")


def match_known_groups(known: pd.Series, graph, source: str) -> tuple[pd.Series, list[str]]:
    """Known blocs keyed by the graph's organisations: each row's organisation found by id
    or name as everywhere else (`graphkit.lookup`). Rows that match no organisation are
    counted in a note; none matching at all is an error."""
    from graphkit.lookup import find_node

    matched: dict = {}
    written: dict = {}  # node -> how the file named it, for a clash message
    missing: list[str] = []
    for org, group in known.items():
        try:
            node = org if org in graph else find_node(graph, str(org))
        except InputError:
            missing.append(str(org))
            continue
        if node in matched and matched[node] != group:
            # Two spellings of one organisation ('LH', 'lufthansa') in two groups: the
            # second would silently win.
            name = graph.nodes[node].get("name", node)
            raise InputError(f"'{written[node]}' (in {matched[node]}) and '{org}' (in {group}) "
                             f"both name {name} ({node}); an organisation belongs to one "
                             "known group: keep one row", file=source)
        matched[node], written[node] = group, org
    if not matched:
        raise InputError(f"no organisation of the known groups is in the graph (e.g. "
                         f"{', '.join(missing[:3])}): give ids or names as the graph has them",
                         file=source)
    notes = []
    if missing:
        notes.append(f"{len(missing):,} of the {len(known):,} organisations in {source} are not "
                     f"in the graph (e.g. {', '.join(missing[:3])}): left out of the comparison")
    return pd.Series(matched, name="group"), notes
