"""Combining what several loaders read into one PartnerData."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from graphkit.distinct import within
from graphkit.engine import collector_paused
from graphkit.errors import quoted
from graphkit.identities import apply_identities
from graphkit.model import ORG_COLUMNS, PartnerData, deal_total, empty_organizations
from graphkit.names import PossibleDuplicate, normalize_name, possible_duplicates
from graphkit.summary import LoadSummary


@collector_paused()
def combine(parts: list[PartnerData]) -> PartnerData:
    """One dataset from many: organisations with the same id are one, and reported.

    Organisation fields take the first source's value that is not missing, so a name
    from any source beats none (a source that gives only codes, such as OPTD segments,
    is named by another); other spellings of a name become aliases. A deal id seen in
    several sources keeps the first. Reused airline codes are then named by the evidence
    in `identities` (current names; `partner_graph(as_of=...)` names them on its date),
    and likely duplicate names are listed (`possible_duplicates`), never merged.
    """
    summary = LoadSummary(source="combined sources" if len(parts) > 1 else "names",
                          format="combine")
    parts, keyed_ids = _keep_name_keys_apart(parts)
    origin: dict = {}  # organisation id -> the sources (positions in `parts`) naming it
    for position, part in enumerate(parts):
        mine = frozenset({position})
        if not origin:
            origin = dict.fromkeys(part.organizations.index, mine)
            continue
        for org in part.organizations.index:
            origin[org] = origin.get(org, frozenset()) | mine
    with_orgs = [p for p in parts if len(p.organizations)]
    orgs = (pd.concat([p.organizations for p in with_orgs]) if with_orgs
            else empty_organizations())
    orgs = orgs.astype(object).where(orgs.notna(), None)
    # Spellings and aliases per organisation, built only where sources disagree: with one
    # row per organisation (one source, or sources that agree) there is nothing to merge.
    first = orgs.copy() if orgs.index.is_unique else orgs.groupby(level=0, sort=False).first()
    spelled = orgs["name"].dropna().rename_axis("id").reset_index().drop_duplicates()
    several = spelled["id"].duplicated(keep=False)
    names = {o: [n] for o, n in zip(spelled.loc[~several, "id"], spelled.loc[~several, "name"],
                                    strict=True)}
    names.update(spelled[several].groupby("id", sort=False)["name"].agg(list).to_dict())
    repeated = orgs.index.duplicated(keep=False)
    aliases = dict(zip(orgs.index[~repeated], (tuple(a or ()) for a in
                                               orgs.loc[~repeated, "aliases"]), strict=True))
    aliases.update(orgs[repeated].groupby(level=0, sort=False)["aliases"].agg(
        lambda s: tuple(dict.fromkeys(a for t in s if t for a in t))).to_dict())
    identities = pd.concat([p.identities for p in parts if len(p.identities)]
                           or [parts[0].identities], ignore_index=True)
    coded = set(identities["org_id"])  # their names are settled by date, not merged
    for org_id, spellings in names.items():
        if len(spellings) > 1 and org_id not in coded:
            keys = {normalize_name(n) for n in spellings}
            why = "same id" + ("" if len(keys) == 1 else ", different names")
            summary.merges.append(
                f"{', '.join(quoted(n) for n in spellings)} -> {quoted(spellings[0])} "
                f"(id {quoted(org_id)}; {why})"
            )
    first["aliases"] = [
        tuple(dict.fromkeys([*aliases.get(o, ()), *names.get(o, [])[1:]])) for o in first.index
    ]
    if len(with_orgs) > 1:
        _note_named_by_other_source(with_orgs, first, summary)
    extra = [c for c in first.columns if c not in ORG_COLUMNS]
    organizations = first[ORG_COLUMNS + extra] if len(first.columns) else first

    unnamed = organizations["name"].isna() if len(organizations) else pd.Series(dtype=bool)
    if len(identities) and len(organizations):
        groups = pd.concat([p.groups for p in parts if len(p.groups)] or [parts[0].groups])
        organizations, _ = apply_identities(organizations, identities, groups=groups)
        named = int((unnamed & organizations["name"].notna()).sum())
        if named:
            sources = ", ".join(sorted(set(identities.loc[identities["evidence"] == "reference",
                                                          "source"])) or ["airline records"])
            summary.notes.append(f"named {named:,} organisations that had only a code, "
                                 f"from {sources}")
    elif "identity_note" not in organizations:
        organizations = organizations.assign(identity_note=None)
    nameless = organizations["name"].isna()
    if nameless.any():
        summary.notes.append(f"{int(nameless.sum()):,} organisations have no name in any "
                             "source: shown by their id (e.g. "
                             + ", ".join(map(str, organizations.index[nameless][:5])) + ")")
        organizations.loc[nameless, "name"] = organizations.index[nameless].astype(str)
    keyed = pd.Series(within(organizations.index, list(keyed_ids)), index=organizations.index)
    # Every name a source or reference claims for a code ('KLM Royal Dutch Airlines' for
    # KL, though the date names it 'KLM'), so a deals table's spelling still finds it.
    claimed = identities.dropna(subset=["name"]).groupby("org_id")["name"].agg(set).to_dict() \
        if len(identities) else {}
    participants = pd.concat([p.participants for p in parts])
    organizations, joined = _join_names_to_codes(organizations, keyed, origin, claimed,
                                                 participants, summary)
    _note_possible_duplicates(organizations, keyed.reindex(organizations.index), summary)

    deals = pd.concat([p.deals for p in parts if len(p.deals)] or [parts[0].deals])
    repeated = deals.index.duplicated()
    summary.drop("deal id already read from an earlier source", int(repeated.sum()),
                 [str(d) for d in deals.index[repeated][:5]])
    deals = deals[~repeated]
    participants = pd.concat([p.participants for p in parts])
    if joined:
        participants = participants.assign(org_id=participants["org_id"].replace(joined))
    participants = participants[~_repeated_rows(participants)]
    groups = pd.concat([p.groups for p in parts if len(p.groups)] or [parts[0].groups])
    routes = pd.concat([p.routes for p in parts if len(p.routes)] or [parts[0].routes])
    if len(parts) > 1:
        summary.kept.update({"organisations": len(organizations),
                             "deals": deal_total(deals)})
    summaries = [s for p in parts for s in p.summaries]
    if len(parts) > 1 or summary.lines()[1:]:
        summaries.append(summary)
    return PartnerData(
        organizations=organizations,
        deals=deals,
        participants=participants.reset_index(drop=True),
        groups=groups.drop_duplicates().reset_index(drop=True),
        routes=routes.reset_index(drop=True),
        identities=identities,
        summaries=summaries,
    )


def _note_named_by_other_source(parts: list[PartnerData], first: pd.DataFrame,
                                summary: LoadSummary) -> None:
    """Organisations one source brought with only a code and a later one named: that is
    enrichment, one line per naming source, not a merge."""
    introduced: dict[str, int] = {}
    namer: dict[str, int] = {}
    for i, part in enumerate(parts):
        for org_id, name in part.organizations["name"].items():
            introduced.setdefault(org_id, i)
            if name is not None and not pd.isna(name):
                namer.setdefault(org_id, i)
    counts: dict[int, int] = {}
    for org_id, i in namer.items():
        if i != introduced[org_id]:
            counts[i] = counts.get(i, 0) + 1
    for i, count in sorted(counts.items()):
        source = parts[i].summaries[0].source if parts[i].summaries else "another source"
        summary.notes.append(f"named {count:,} organisations that had only a code, from "
                             f"{source}")


def _name_keyed(organizations: pd.DataFrame) -> pd.Series:
    """True for organisations a source identifies by their folded name (deal tables, edge
    lists, graphs written from them), as against those it identifies by a code (airlines)
    or an id of its own (a graph file's nodes; a node without a name is never name-keyed)."""
    return pd.Series([n is not None and not pd.isna(n) and normalize_name(str(n)) == str(o)
                      for o, n in organizations["name"].items()],
                     index=organizations.index, dtype=bool)


def _keep_name_keys_apart(parts: list[PartnerData]) -> tuple[list[PartnerData], set]:
    """Name-keyed ids per source, decided before sources are pooled. A name-keyed id that
    another source uses as a code or node id for a different organisation ('Foo' in a
    table keys as 'foo', a graph file's node 'foo' is named 'Other') is renamed 'foo#2' in
    its source, so the two are never one by accident of spelling; the name then joins the
    organisation it names, if one does (`_join_names_to_codes`)."""
    keyed = [_name_keyed(p.organizations) for p in parts]
    coded = set().union(*(set(p.organizations.index[~k]) for p, k in zip(parts, keyed,
                                                                          strict=True)))
    taken = set().union(*(set(p.organizations.index) for p in parts))
    out, keyed_ids = [], set()
    for part, mask in zip(parts, keyed, strict=True):
        ids = set(part.organizations.index[mask])
        clashes = sorted(ids & coded, key=str)
        if clashes:
            renamed = {}
            for org in clashes:
                n = 2
                while f"{org}#{n}" in taken:
                    n += 1
                renamed[org] = f"{org}#{n}"
                taken.add(renamed[org])
            part = part.with_org_ids(renamed)
            ids = (ids - set(clashes)) | set(renamed.values())
        keyed_ids |= ids
        out.append(part)
    return out, keyed_ids


# An airline code as ids hold them (IATA 'LH', 'U2'; ICAO 'DLH'): a table may name an
# airline by it. A graph file's node ids ('Delta', 'n42') are no codes.
_CODE = re.compile(r"[A-Z0-9]{2,3}")


def _co_participants(participants: pd.DataFrame, orgs: set) -> dict:
    """Each of `orgs` -> the organisations it shares a deal with (only these: pairing every
    participant of a million deals would cost a load far more than the few names asked)."""
    mine = participants[participants["org_id"].isin(orgs)]
    pairs = mine.merge(participants, on="deal_id")
    pairs = pairs[pairs["org_id_x"] != pairs["org_id_y"]]
    return pairs.groupby("org_id_x")["org_id_y"].agg(set).to_dict()


def _join_names_to_codes(organizations: pd.DataFrame, keyed: pd.Series, origin: dict,
                         claimed: dict, participants: pd.DataFrame,
                         summary: LoadSummary) -> tuple[pd.DataFrame, dict]:
    """A name from a deals table that is the name, another name, or a name a reference
    claims for it (`claimed`: OpenFlights' 'KLM Royal Dutch Airlines' for KL, whatever
    name the date gives it) of exactly one coded organisation of another source is that
    organisation: its deals join the code's, and the merge is listed. A name that is only
    an airline's code joins it when its deals are with airlines ('LH; Air Canada'), not
    otherwise: firms carry such names too ('GE; HP', '3M; General Electric' are no
    airlines), and those are listed as possible duplicates, for an alias file to settle.
    Organisations of one source never join each other (a graph file's nodes are distinct
    by its own ids). Returns the organisations and old id -> new id."""
    if not keyed.any() or keyed.all():
        return organizations, {}
    coded = organizations[~keyed]
    by_name: dict[str, set] = {}
    by_code: dict[str, set] = {}
    for org, name, aliases in zip(coded.index, coded["name"], coded["aliases"], strict=True):
        if _CODE.fullmatch(str(org)):  # only codes ('LH', 'DLH'): not any id a file uses
            by_code.setdefault(str(org).casefold(), set()).add(org)
        for key in {normalize_name(str(name)), *(normalize_name(str(a)) for a in
                                                   (*(aliases or ()), *claimed.get(org, ())))
                    } - {""}:
            by_name.setdefault(key, set()).add(org)
    def elsewhere(org: object, targets: set) -> set:
        """The targets another source brought (one source's organisations never join)."""
        return {t for t in targets if not origin.get(t, set()) & origin.get(org, set())}

    joined: dict = {}
    for org, name in organizations.loc[keyed, "name"].items():
        found = elsewhere(org, by_name.get(normalize_name(str(name)), set()))
        if len(found) == 1:
            target = next(iter(found))
            joined[org] = target
            summary.merges.append(f"{quoted(name)} -> {quoted(coded.at[target, 'name'])} "
                                  f"(id {quoted(target)}; "
                                  "a name in one source, the name of an organisation in "
                                  "another)")
    # Airlines: coded organisations of an airline source, and the names joined to them.
    kinds = coded["kind"] if "kind" in coded else pd.Series(None, index=coded.index)
    airlines = {o for o, k in kinds.items() if k == "airline" or _CODE.fullmatch(str(o))}
    airlines |= {o for o, t in joined.items() if t in airlines}
    candidates = {}  # names that are only a code: org -> (name, the codes' organisations)
    for org, name in organizations.loc[keyed, "name"].items():
        key = normalize_name(str(name))
        if org not in joined and not by_name.get(key) and by_code.get(key):
            candidates[org] = (name, elsewhere(org, by_code[key]))
    partners = _co_participants(participants, set(candidates)) if candidates else {}
    for org, (name, codes) in candidates.items():
        with_airlines = bool(partners.get(org, set()) & (airlines - {org}))
        if len(codes) == 1 and with_airlines:
            target = next(iter(codes))
            joined[org] = target
            summary.merges.append(f"{quoted(name)} -> {quoted(coded.at[target, 'name'])} "
                                  f"(id {quoted(target)}; the airline's code, in deals with "
                                  "airlines)")
            continue
        for target in sorted(codes, key=str):
            summary.possible_duplicates.append(PossibleDuplicate(
                a=str(org), b=str(target), a_name=str(name),
                b_name=str(coded.at[target, "name"]), similarity=100.0,
                reason=f"'{name}' is also the airline code of {coded.at[target, 'name']}; "
                       "not merged, as its deals are with no airline: an alias file merges "
                       "it if meant"))
    if not joined:
        return organizations, {}
    organizations = organizations.copy()
    for org, target in joined.items():
        extra = (organizations.at[org, "name"],)
        organizations.at[target, "aliases"] = tuple(dict.fromkeys(
            [*(organizations.at[target, "aliases"] or ()), *extra]))
    return organizations.drop(index=list(joined)), joined


def _note_possible_duplicates(organizations: pd.DataFrame, keyed: pd.Series,
                              summary: LoadSummary) -> None:
    """Likely duplicates involving an organisation keyed by its name (deal tables, edge
    lists), also against organisations other sources identify by code."""
    keyed = keyed.fillna(False).astype(bool)
    if not keyed.any():
        return
    names = {str(o): str(n) for o, n in organizations["name"].items()}
    pairs, notes = possible_duplicates(names)
    ids = set(organizations.index[keyed].astype(str))
    summary.possible_duplicates.extend(p for p in pairs if p.a in ids or p.b in ids)
    summary.notes.extend(notes)


def _repeated_rows(participants: pd.DataFrame) -> np.ndarray:
    """Rows of (deal, organisation) seen in an earlier row, compared as integer codes."""
    if list(participants.columns) != ["deal_id", "org_id"] or participants.empty:
        return participants.duplicated().to_numpy()
    deal = pd.factorize(participants["deal_id"], use_na_sentinel=False)[0].astype(np.int64)
    org, orgs = pd.factorize(participants["org_id"], use_na_sentinel=False)
    return pd.Series(deal * max(len(orgs), 1) + org).duplicated().to_numpy()
