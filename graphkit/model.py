"""The partner-data model: organisations, deal records, known groupings and routes.

Everything is held in pandas tables so that a million deals project to a graph without
Python loops. `Organization` and `Deal` are the record views of one row.

Tables and their columns (one place documents them):

- organizations: index `id`; `name`, `country`, `sector`, `kind`, `aliases` (tuple of str),
  `identity_note` (None, or why the name may not be this organisation's: a reused code
  the files cannot settle). `name` is a real name whenever a source gives one; the id
  stands in only when none does.
- deals: index `deal_id`; `type`, `announced`, `ended` (datetime64, NaT when unknown),
  `status`, `source`, `count` (deals the record stands for, 1 unless read from an
  aggregated graph) and `weight` (tie strength it adds, 1.0 unless given). Optional:
  `announced_precision`/`ended_precision` ("day", "month", "quarter", "year") for partial
  dates, and `last_announced` (latest announcement among the deals an aggregated record
  stands for).
- participants: `deal_id`, `org_id`; one row per deal and participant.
- groups: `org_id`, `group`, `role`, `start`, `end`: known blocs such as alliance
  membership periods.
- routes: `org_id`, `origin`, `destination`, `market` (the unordered airport pair
  "AAA-BBB"), `codeshare` (bool), `stops`, `equipment`, `seats`, `frequency`, `source`.
- identities: evidence on who carries a reused code, one row per claim: `org_id`, `name`,
  `icao`, `country`, `start`, `end` (validity, NaT when open or unknown), `source`,
  `evidence` ("routes": the airline record routes.dat points at; "same code": another
  record with the code; "reference": a dated airline reference; "membership": an alliance
  membership period), `weight` (the reference's flight count, NaN elsewhere).
  `graphkit.identities` turns it into the name valid on a date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from graphkit.summary import LoadSummary

# The weights a source may give one deal or edge (README, "Bad input"). Past them a weight is
# an error in the file, not a strength: 1/weight is a tie's length in path measures and
# must stay a usable number. Values are strengths such as deal counts or sizes.
MIN_WEIGHT = 1e-9
MAX_WEIGHT = 1e15
WEIGHT_EXPECTED = "a number from 0.000000001 to 1,000,000,000,000,000"
MAX_DEALS = 10**9  # deals behind one tie: more is a corrupt file, and overflows counts


def weights_out_of_range(values: pd.Series) -> pd.Series:
    """True where a given weight is not a number inside [MIN_WEIGHT, MAX_WEIGHT]."""
    numbers = pd.to_numeric(values, errors="coerce")
    return values.notna() & ~numbers.between(MIN_WEIGHT, MAX_WEIGHT)


ORG_COLUMNS = ["name", "country", "sector", "kind", "aliases"]
DEAL_COLUMNS = ["type", "announced", "ended", "status", "source", "count", "weight"]
GROUP_COLUMNS = ["org_id", "group", "role", "start", "end"]
IDENTITY_COLUMNS = ["org_id", "name", "icao", "country", "start", "end", "source",
                    "evidence", "weight"]
ROUTE_COLUMNS = [
    "org_id", "origin", "destination", "market", "codeshare", "stops", "equipment",
    "seats", "frequency", "source",
]


@dataclass(frozen=True)
class Organization:
    """One organisation: stable id, display name and optional descriptors."""

    id: str
    name: str
    country: str | None = None
    sector: str | None = None
    kind: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Deal:
    """One deal or agreement record and its participants (organisation ids)."""

    id: str
    participants: tuple[str, ...]
    type: str | None = None
    announced: date | None = None
    ended: date | None = None
    status: str | None = None
    source: str | None = None


# Statuses that say a deal is over (compared after folding case and punctuation).
ENDED_STATUSES = frozenset({"terminated", "expired", "ended", "cancelled", "canceled",
                            "dissolved", "lapsed", "discontinued"})


def ended_status(status: object) -> bool:
    """True for a status that says the deal is over ('Terminated', 'Expired', ...)."""
    from graphkit.names import normalize_name

    return isinstance(status, str) and normalize_name(status) in ENDED_STATUSES


def empty_organizations() -> pd.DataFrame:
    return pd.DataFrame(columns=ORG_COLUMNS, index=pd.Index([], name="id", dtype=object))


def empty_deals() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "type": pd.Series([], dtype=object),
            "announced": pd.Series([], dtype="datetime64[us]"),
            "ended": pd.Series([], dtype="datetime64[us]"),
            "status": pd.Series([], dtype=object),
            "source": pd.Series([], dtype=object),
            "count": pd.Series([], dtype="int64"),
            "weight": pd.Series([], dtype="float64"),
        }
    )
    frame.index = pd.Index([], name="deal_id", dtype=object)
    return frame


def empty_participants() -> pd.DataFrame:
    return pd.DataFrame({"deal_id": pd.Series([], dtype=object),
                         "org_id": pd.Series([], dtype=object)})


def empty_groups() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype="datetime64[us]" if c in ("start", "end")
                                      else object) for c in GROUP_COLUMNS})


def empty_identities() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype="datetime64[us]" if c in ("start", "end")
                                      else "float64" if c == "weight" else object)
                         for c in IDENTITY_COLUMNS})


def empty_routes() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in ROUTE_COLUMNS})


def _none(value: object) -> object:
    return None if value is None or (not isinstance(value, tuple) and pd.isna(value)) else value


def _day(value: object) -> date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def deal_total(deals: pd.DataFrame) -> int:
    """How many deals the records stand for: a record read from a graph file may stand
    for several (`count`), so counting records would undercount."""
    return int(deals["count"].sum()) if "count" in deals else len(deals)


@dataclass
class PartnerData:
    """What loaders return: the tables above plus the summaries of how they were read."""

    organizations: pd.DataFrame = field(default_factory=empty_organizations)
    deals: pd.DataFrame = field(default_factory=empty_deals)
    participants: pd.DataFrame = field(default_factory=empty_participants)
    groups: pd.DataFrame = field(default_factory=empty_groups)
    routes: pd.DataFrame = field(default_factory=empty_routes)
    identities: pd.DataFrame = field(default_factory=empty_identities)
    summaries: list[LoadSummary] = field(default_factory=list)

    def organization(self, org_id: str) -> Organization:
        """The record of one organisation (KeyError if unknown)."""
        row = self.organizations.loc[org_id]
        return Organization(
            id=org_id,
            name=row["name"],
            country=_none(row.get("country")),
            sector=_none(row.get("sector")),
            kind=_none(row.get("kind")),
            aliases=tuple(row.get("aliases") or ()),
        )

    def deal(self, deal_id: str) -> Deal:
        """The record of one deal with its participants (KeyError if unknown)."""
        row = self.deals.loc[deal_id]
        members = self.participants.loc[self.participants["deal_id"] == deal_id, "org_id"]
        return Deal(
            id=deal_id,
            participants=tuple(sorted(members)),
            type=_none(row["type"]),
            announced=_day(row["announced"]),
            ended=_day(row["ended"]),
            status=_none(row["status"]),
            source=_none(row["source"]),
        )

    def with_org_ids(self, renamed: dict) -> PartnerData:
        """A copy with organisation ids replaced (old id -> new id) in every table."""
        from dataclasses import replace

        def recode(frame: pd.DataFrame) -> pd.DataFrame:
            return frame.assign(org_id=frame["org_id"].replace(renamed)) if len(frame) else frame

        return replace(self, organizations=self.organizations.rename(index=renamed),
                       participants=recode(self.participants), groups=recode(self.groups),
                       routes=recode(self.routes), identities=recode(self.identities))

    def time_span(self) -> tuple[date | None, date | None]:
        """Earliest and latest announcement date among the deals."""
        dates = self.deals["announced"].dropna()
        if dates.empty:
            return None, None
        return dates.min().date(), dates.max().date()
