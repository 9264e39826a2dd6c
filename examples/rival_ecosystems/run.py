"""Competitive intelligence: map two rivals' ecosystems from a deals table.

Run from the repository (graphkit installed):  python examples/rival_ecosystems/run.py
Writes report.md, findings.json and a map of the two camps into --out.
Case 1: airlines treated as firms (alliance co-memberships with dates, plus codeshares
inferred from June 2014 routes), Lufthansa against American Airlines.
Case 2: a synthetic SDC-style table of 20,000 deals, its two most active organisations.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import networkx as nx
import pandas as pd

from graphkit import bundled
from graphkit.atomic import atomic_open
from graphkit.codeshares import codeshare_deals, infer_codeshares
from graphkit.combine import combine
from graphkit.loaders import load_sources
from graphkit.loaders.deals import deals_from_frame
from graphkit.maps import MapOptions, write_map
from graphkit.model import PartnerData
from graphkit.projection import partner_graph
from graphkit.queries.library import run
from graphkit.rivals import compare
from graphkit.synthetic import synthetic_deals


def camps(graph: nx.Graph, a: str, b: str) -> dict:
    """Shared and exclusive partners and the brokers between the two camps."""
    result = compare(graph, a, b)
    camp_a, camp_b = set(result.only_a) | {a}, set(result.only_b) | {b}
    brokers = []
    for node in graph:
        if node in (a, b):
            continue
        ties_a = sum(1 for p in graph[node] if p in camp_a)
        ties_b = sum(1 for p in graph[node] if p in camp_b)
        if ties_a and ties_b:
            brokers.append({"id": node, "name": graph.nodes[node].get("name", node),
                            "ties_to_a_camp": ties_a, "ties_to_b_camp": ties_b})
    table = pd.DataFrame(brokers, columns=["id", "name", "ties_to_a_camp", "ties_to_b_camp"])
    table["bridge"] = table[["ties_to_a_camp", "ties_to_b_camp"]].min(axis=1)
    table = table.sort_values(["bridge", "id"], ascending=[False, True])
    return {"partners_a": graph.degree(a), "partners_b": graph.degree(b),
            "shared": result.shared, "only_a": result.only_a, "only_b": result.only_b,
            "jaccard": result.measures["jaccard"], "brokers": table}


def joined(data: PartnerData, org: str, since: pd.Timestamp) -> pd.DataFrame:
    """Partners whose first deal with `org` falls on or after `since`."""
    return run("new_partners", {"org": org, "since": since}, data=data)


def case(data: PartnerData, a: str, b: str, as_of: pd.Timestamp, years: float) -> dict:
    graph = partner_graph(data)
    window_start = as_of - pd.DateOffset(years=int(years))
    found = camps(graph, a, b)
    found["joined_a"] = joined(data, a, window_start)
    found["joined_b"] = joined(data, b, window_start)
    found["window"] = f"{window_start:%Y-%m-%d} to {as_of:%Y-%m-%d}"
    found["graph"] = graph
    return found


def airline_data() -> PartnerData:
    data = load_sources([bundled.bundled(bundled.OPENFLIGHTS), bundled.bundled(bundled.MEMBERSHIP),
                         bundled.bundled(bundled.OPTD_AIRLINES)])
    inferred = codeshare_deals(infer_codeshares(data.routes),
                               as_of=pd.Timestamp(bundled.ROUTES_DATE))
    return combine([data, inferred])


def section(title: str, found: dict, a_name: str, b_name: str) -> list[str]:
    brokers = found["brokers"]
    return [
        f"## {title}",
        "",
        f"{a_name} has {found['partners_a']} partners and {b_name} {found['partners_b']}; "
        f"they share {len(found['shared'])} (Jaccard {found['jaccard']:.3f}), "
        f"{len(found['only_a'])} partner only {a_name} and {len(found['only_b'])} only "
        f"{b_name}. {len(brokers)} organisations outside both tie into both camps; the "
        f"strongest bridges:",
        "",
        brokers.head(10).to_string(index=False) if len(brokers) else "(none)",
        "",
        f"Joined in the window {found['window']}: {len(found['joined_a'])} new partners of "
        f"{a_name}, {len(found['joined_b'])} of {b_name}.",
        "",
        found["joined_a"].head(10).to_string(index=False),
        "",
        found["joined_b"].head(10).to_string(index=False),
        "",
    ]


def main(out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    airlines = case(airline_data(), "LH", "AA", pd.Timestamp(bundled.ROUTES_DATE), 5)
    frame = synthetic_deals(20_000, seed=7)
    synthetic = deals_from_frame(frame)
    activity = synthetic.participants["org_id"].value_counts()
    rival_a, rival_b = activity.index[0], activity.index[1]
    large = case(synthetic, rival_a, rival_b, pd.Timestamp("2020-12-31"), 5)

    graph = airlines["graph"]
    keep = {"LH", "AA"} | set(graph["LH"]) | set(graph["AA"])
    sub = graph.subgraph(keep).copy()
    for node in sub:
        side = ("both" if node in airlines["shared"] else
                "Lufthansa camp" if node in airlines["only_a"] or node == "LH" else
                "American camp")
        sub.nodes[node]["camp"] = side
    write_map(sub, out / "rival_camps.html", MapOptions(
        color_by="camp", size_by="degree", title="Lufthansa and American Airlines: two camps",
        note="Alliance co-memberships (OpenTravelData, CC BY 4.0) and codeshares inferred "
             "from OpenFlights routes (ODbL), June 2014."))
    lines = ["# Rival ecosystems", ""]
    lines += section("Lufthansa vs American Airlines (airlines as firms)", airlines,
                     "Lufthansa", "American Airlines")
    names = synthetic.organizations["name"]
    lines += section(f"Synthetic SDC-style deals (20,000 deals): {names[rival_a]} vs "
                     f"{names[rival_b]}", large, names[rival_a], names[rival_b])
    with atomic_open(out / "report.md") as handle:
        handle.write("\n".join(lines))
    findings = {
        name: {"partners_a": f["partners_a"], "partners_b": f["partners_b"],
               "shared": len(f["shared"]), "only_a": len(f["only_a"]),
               "only_b": len(f["only_b"]), "brokers": len(f["brokers"]),
               "top_bridge": f["brokers"].iloc[0]["id"] if len(f["brokers"]) else None,
               "joined_a": len(f["joined_a"]), "joined_b": len(f["joined_b"])}
        for name, f in (("airlines", airlines), ("synthetic", large))
    }
    with atomic_open(out / "findings.json") as handle:
        json.dump(findings, handle, indent=1, default=str)
    return findings


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("rival_ecosystems_out"))
    result = main(parser.parse_args().out)
    print(json.dumps(result, indent=1, default=str))
