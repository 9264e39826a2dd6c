"""Files for `neo4j-admin database import full`: the fastest way to load very large data.

Same model as the online load (queries/README.md): Organization and Deal nodes, PARTY_TO
and PARTNERS_WITH relationships, Group/MEMBER_OF and Market/SERVES when present.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pandas as pd

from graphkit.model import PartnerData
from graphkit.neo4j_store import model_rows
from graphkit.outputs import write_csv


def _array(values: object) -> str:
    return ";".join(str(v).replace(";", ",") for v in (values or []))


def write_import_files(data: PartnerData, folder: str | Path, database: str = "neo4j") -> str:
    """Write header-carrying CSV files; return the exact import command to run."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    rows = model_rows(data)
    files: dict[str, tuple[str, pd.DataFrame]] = {}
    orgs = pd.DataFrame(rows["load_organizations"])
    files["organizations.csv"] = ("nodes=Organization", pd.DataFrame({
        "id:ID(Organization)": orgs["id"], "name": orgs["name"], "country": orgs["country"],
        "sector": orgs["sector"], "kind": orgs["kind"],
        "aliases:string[]": orgs["aliases"].map(_array)}))
    if rows["load_deals"]:
        deals = pd.DataFrame(rows["load_deals"])
        files["deals.csv"] = ("nodes=Deal", pd.DataFrame({
            "id:ID(Deal)": deals["id"], "type": deals["type"], "date:date": deals["date"],
            "ended:date": deals["ended"], "status": deals["status"], "source": deals["source"],
            "count:long": deals["count"], "weight:double": deals["weight"]}))
        party = pd.DataFrame(rows["load_participation"])
        files["party_to.csv"] = ("relationships=PARTY_TO", pd.DataFrame({
            ":START_ID(Organization)": party["org"], ":END_ID(Deal)": party["deal"]}))
    if rows["load_partnerships"]:
        ties = pd.DataFrame(rows["load_partnerships"])
        files["partners_with.csv"] = ("relationships=PARTNERS_WITH", pd.DataFrame({
            ":START_ID(Organization)": ties["a"], ":END_ID(Organization)": ties["b"],
            "deals:long": ties["deals"], "weight:double": ties["weight"],
            "first_year:long": ties["first_year"].astype("Int64"),
            "last_year:long": ties["last_year"].astype("Int64"),
            "types:string[]": ties["types"].map(_array)}))
    if rows["load_groups"]:
        groups = pd.DataFrame(rows["load_groups"])
        files["groups.csv"] = ("nodes=Group", pd.DataFrame(
            {"name:ID(Group)": sorted(groups["group"].unique())}))
        files["member_of.csv"] = ("relationships=MEMBER_OF", pd.DataFrame({
            ":START_ID(Organization)": groups["org"], ":END_ID(Group)": groups["group"],
            "role": groups["role"], "start:date": groups["start"], "end:date": groups["end"]}))
    if rows.get("load_markets"):
        markets = pd.DataFrame(rows["load_markets"])
        files["markets.csv"] = ("nodes=Market", pd.DataFrame(
            {"id:ID(Market)": sorted(markets["market"].unique())}))
        files["serves.csv"] = ("relationships=SERVES", pd.DataFrame({
            ":START_ID(Organization)": markets["org"], ":END_ID(Market)": markets["market"],
            "routes:long": markets["routes"], "codeshare_routes:long": markets["codeshare_routes"],
            "seats:double": markets["seats"], "frequency:double": markets["frequency"]}))
    parts = ["neo4j-admin", "database", "import", "full"]
    for name, (kind, frame) in files.items():
        write_csv(frame, out / name, for_people=False)  # data for neo4j-admin, verbatim
        parts.append(f"--{kind}={(out / name).resolve()}")
    parts += ["--array-delimiter=;", "--overwrite-destination", database]
    command = " ".join(shlex.quote(p) for p in parts)
    (out / "IMPORT_COMMAND.txt").write_text(command + "\n", encoding="utf-8")
    return command
