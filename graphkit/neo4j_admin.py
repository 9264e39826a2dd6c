"""Files for `neo4j-admin database import full`: the fastest way to load very large data.

Same model as the online load (queries/README.md): Organization and Deal nodes, PARTY_TO
and PARTNERS_WITH relationships, Group/MEMBER_OF and Market/SERVES when present.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pandas as pd

from graphkit.atomic import atomic_open, make_folder
from graphkit.errors import InputError
from graphkit.model import PartnerData
from graphkit.neo4j_store import model_rows
from graphkit.outputs import write_csv


def _array(values: object) -> str:
    return ";".join(str(v).replace(";", ",") for v in (values or []))


def write_import_files(data: PartnerData, folder: str | Path, database: str = "neo4j") -> str:
    """Write header-carrying CSV files; return the exact import command to run."""
    rows = model_rows(data)
    if not rows["load_organizations"]:
        raise InputError("the data holds no organisations, so there is nothing to import")
    out = make_folder(folder)
    files: dict[str, tuple[str, pd.DataFrame]] = {}
    orgs = pd.DataFrame(rows["load_organizations"])
    props = pd.DataFrame(list(orgs["props"]))
    columns = {"id:ID(Organization)": orgs["id"]}
    for column in props.columns.drop("id", errors="ignore"):  # name, ..., and codes (iata)
        columns[f"{column}:string[]" if column == "aliases" else column] = (
            props[column].map(_array) if column == "aliases" else props[column])
    files["organizations.csv"] = ("nodes=Organization", pd.DataFrame(columns))
    if rows["load_deals"]:
        deals = pd.DataFrame(rows["load_deals"])
        files["deals.csv"] = ("nodes=Deal", pd.DataFrame({
            "id:ID(Deal)": deals["id"], "type": deals["type"], "date:date": deals["date"],
            "ended:date": deals["ended"], "status": deals["status"], "source": deals["source"],
            "count:long": deals["count"], "weight:double": deals["weight"]}))
        party = pd.DataFrame(rows["load_participation"])
        files["party_to.csv"] = ("relationships=PARTY_TO", pd.DataFrame({
            ":START_ID(Organization)": party["org"], ":END_ID(Deal)": party["deal"]}))
    if rows["partnerships"]:
        ties = pd.DataFrame(rows["partnerships"])
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
    # The database name goes right after `full`: --nodes takes every value that follows it,
    # so a trailing name would be read as a file (Operations manual, 5.19 and later).
    # Names may hold line breaks: --multiline-fields=true reads quoted ones whole.
    parts = ["neo4j-admin", "database", "import", "full", database]
    for name, (kind, frame) in files.items():
        write_csv(frame, out / name, for_people=False)  # data for neo4j-admin, verbatim
        parts.append(f"--{kind}={(out / name).resolve()}")
    parts += ["--array-delimiter=;", "--multiline-fields=true", "--overwrite-destination"]
    command = " ".join(shlex.quote(p) for p in parts)
    write_text(out / "IMPORT_COMMAND.txt", command + "\n")
    # An import creates no constraints (--schema is Enterprise-only, from 5.24): the same
    # uniqueness constraints the online load creates, to run once the import is done.
    write_text(out / SCHEMA_FILE, ";\n".join(schema_statements()) + ";\n")
    return command


SCHEMA_FILE = "schema_after_import.cypher"


def schema_statements() -> list[str]:
    """The constraint statements of the online load (queries/schema_*.cypher)."""
    from graphkit.neo4j_store import SCHEMA
    from graphkit.queries import statement

    return [statement(name).text.rstrip(";") for name in SCHEMA]


def write_text(path: Path, text: str) -> None:
    with atomic_open(path) as handle:
        handle.write(text)
