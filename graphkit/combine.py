"""Combining what several loaders read into one PartnerData."""

from __future__ import annotations

import pandas as pd

from graphkit.model import ORG_COLUMNS, PartnerData
from graphkit.names import normalize_name
from graphkit.summary import LoadSummary


def combine(parts: list[PartnerData]) -> PartnerData:
    """One dataset from many: organisations with the same id are one, and reported.

    Organisation fields take the first source's value that is not missing; the other
    spellings of a name become aliases. A deal id seen in several sources keeps the first.
    """
    if len(parts) == 1:
        return parts[0]
    summary = LoadSummary(source="combined sources", format="combine")
    orgs = pd.concat([p.organizations for p in parts if len(p.organizations)])
    orgs = orgs.astype(object).where(orgs.notna(), None)
    first = orgs.groupby(level=0, sort=False).first()
    names = orgs.groupby(level=0, sort=False)["name"].agg(lambda s: list(dict.fromkeys(s)))
    aliases = orgs.groupby(level=0, sort=False)["aliases"].agg(
        lambda s: tuple(dict.fromkeys(a for t in s if t for a in t))
    )
    for org_id, spellings in names.items():
        if len(spellings) > 1:
            keys = {normalize_name(n) for n in spellings}
            why = "same id" + ("" if len(keys) == 1 else ", different names")
            summary.merges.append(
                f"{', '.join(repr(n) for n in spellings)} -> {spellings[0]!r} (id {org_id!r}; "
                f"{why})"
            )
    first["aliases"] = [
        tuple(dict.fromkeys([*aliases[o], *names[o][1:]])) for o in first.index
    ]
    extra = [c for c in first.columns if c not in ORG_COLUMNS]
    organizations = first[ORG_COLUMNS + extra]

    deals = pd.concat([p.deals for p in parts if len(p.deals)] or [parts[0].deals])
    repeated = deals.index.duplicated()
    summary.drop("deal id already read from an earlier source", int(repeated.sum()),
                 [str(d) for d in deals.index[repeated][:5]])
    deals = deals[~repeated]
    participants = pd.concat([p.participants for p in parts]).drop_duplicates()
    groups = pd.concat([p.groups for p in parts if len(p.groups)] or [parts[0].groups])
    routes = pd.concat([p.routes for p in parts if len(p.routes)] or [parts[0].routes])
    summary.kept.update({"organisations": len(organizations), "deals": len(deals)})
    return PartnerData(
        organizations=organizations,
        deals=deals,
        participants=participants.reset_index(drop=True),
        groups=groups.drop_duplicates().reset_index(drop=True),
        routes=routes.reset_index(drop=True),
        summaries=[s for p in parts for s in p.summaries] + [summary],
    )
