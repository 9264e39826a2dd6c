"""`graphkit demo`: the main job end to end on the bundled airline data.

1. Alliance membership on 30 June 2014 (OpenTravelData), the date of the OpenFlights
   route snapshot: the known blocs, members and affiliates counted apart. Airlines are
   named as of that date from the OPTD airline reference (reused codes settled by date;
   what cannot be settled is marked † with its note).
2. Codeshare partnerships inferred from OpenFlights routes, checked against the blocs.
3. Centrality of the codeshare network: who brokers between carriers and alliances.
4. Ecosystems (Louvain, several seeds) compared with the real alliances: NMI, contingency.
5. Route-market overlap: do alliance partners' networks overlap more than non-partners'?
6. The alliances over time (1997 to 2017, from the membership dates): size, density and
   ecosystems of the co-membership network at each year end.

Everything lands in report.md and in one self-contained report.html, which adds the
pictures (centrality spread, ecosystems against alliances, growth) and both maps.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from graphkit import bundled, report_plots
from graphkit.analyze import Analysis, AnalysisOptions, analyze, write_analysis
from graphkit.atomic import atomic_open, make_folder
from graphkit.codeshare_checks import validate
from graphkit.codeshares import codeshare_graph, infer_codeshares
from graphkit.evolution import evolution_table, yearly_dates
from graphkit.footprints import route_counts
from graphkit.graph_io import write_graph
from graphkit.groups import mark_groups, memberships_as_of, role_counts
from graphkit.identities import graph_organizations, identity_lines, marked, with_names
from graphkit.loaders import load_sources
from graphkit.maps import MapOptions, render_html, write_image, write_map
from graphkit.outputs import write_csv, write_json
from graphkit.overlaps import bloc_pair_overlaps, market_footprints
from graphkit.projection import partner_graph
from graphkit.report_page import (
    EmbeddedMap,
    Figure,
    ReportPage,
    markdown_table,
    render_report,
)

SOURCE_NOTE = ("Data: OpenFlights routes (June 2014 snapshot, ODbL, OpenFlights.org), "
               "OpenTravelData alliance membership and airline reference (CC BY 4.0).")
NO_ALLIANCE = "no alliance"


def run_demo(out_dir: str | Path, echo: Callable[[str], None] = print) -> dict[str, Path]:
    """Run the airline analysis and write graphs, tables, maps and a report into out_dir."""
    out = Path(out_dir)
    make_folder(out)
    as_of = pd.Timestamp(bundled.ROUTES_DATE)
    data = load_sources([bundled.bundled(bundled.OPENFLIGHTS),
                         bundled.bundled(bundled.MEMBERSHIP),
                         bundled.bundled(bundled.OPTD_AIRLINES)])
    members = memberships_as_of(data.groups, as_of)
    blocs = members["group"]
    counts = route_counts(data.routes)

    alliances = partner_graph(data, as_of=as_of)
    inference = infer_codeshares(data.routes)
    codeshares = codeshare_graph(data, inference, as_of)
    mark_groups(alliances, members)  # codeshare_graph marks its airlines itself
    for graph in (alliances, codeshares):
        _add_route_counts(graph, counts)
    validation = validate(inference, data, as_of)

    analysis = analyze(codeshares, AnalysisOptions(seeds=5), known=blocs)
    market = _market_overlap(data.routes, blocs)

    files: dict[str, Path] = {}
    files["alliance graph"] = out / "alliance_network_2014.graphml"
    write_graph(alliances, files["alliance graph"])
    files["codeshare graph"] = out / "codeshare_network_2014.graphml"
    write_graph(codeshares, files["codeshare graph"])
    table = organisation_table(codeshares, analysis)
    named = graph_organizations(codeshares)
    pairs = with_names(inference.pairs, named)
    market["pairs"] = with_names(market["pairs"], graph_organizations(alliances))
    files["organisations"] = write_csv(table, out / "organisations.csv")
    files["codeshare pairs"] = write_csv(pairs, out / "codeshare_pairs.csv")
    files["market overlaps"] = write_csv(market["pairs"], out / "market_overlaps.csv")
    files.update({f"analysis {k}": v for k, v in write_analysis(analysis, out / "analysis")
                  .items()})
    files["alliance map"] = out / "alliance_map_2014.html"
    alliance_map = write_map(alliances, files["alliance map"], MapOptions(
        color_by="alliance", size_by="degree", title=f"Airline alliances on {as_of:%d %B %Y}",
        note=f"Ties: co-membership of an alliance. {SOURCE_NOTE}"))
    files["codeshare map"] = out / "codeshare_map_2014.html"
    codeshare_map = write_map(codeshares, files["codeshare map"], MapOptions(
        color_by="alliance", size_by="betweenness",
        title="Codeshare partnerships inferred from OpenFlights routes, June 2014",
        note="Ties: a route flagged codeshare for one airline and flown by the other (width: "
             f"route evidence). Colour: alliance on 30 June 2014. {SOURCE_NOTE}"))
    files["codeshare map image"] = out / "codeshare_map_2014.png"
    write_image(codeshare_map, files["codeshare map image"])
    files["load summary"] = out / "load_summary.txt"
    with atomic_open(files["load summary"]) as handle:
        lines = [line for s in data.summaries for line in s.lines()]
        lines += [f"names: {line}" for line in
                  identity_lines(data, as_of, list(codeshares) + list(alliances))]
        handle.write("\n".join(lines) + "\n")
    roles = role_counts(members)
    # Membership is dated: the co-membership network at each year end, in force then.
    growth = evolution_table(data, yearly_dates(data, 1997, 2017, step=2),
                             window=None)
    files["evolution"] = write_csv(growth, out / "alliance_evolution.csv")
    findings = {"as_of": f"{as_of:%Y-%m-%d}",
                "alliances": roles.to_dict("index"),
                "codeshares": validation,
                "market_overlap": market["summary"]}
    files["findings"] = write_json(findings, out / "findings.json")
    files["report"] = out / "report.md"
    text = report(as_of, roles, pairs, inference, validation, analysis, market, table,
                  growth)
    with atomic_open(files["report"]) as handle:
        handle.write(text)
    files["report page"] = out / "report.html"
    with atomic_open(files["report page"]) as handle:
        handle.write(render_report(report_page(text, analysis, table, growth,
                                               alliance_map, codeshare_map)))
    for label, path in files.items():
        echo(f"wrote {label}: {path}")
    return files


def _add_route_counts(graph: nx.Graph, counts: pd.DataFrame) -> None:
    for node, attrs in graph.nodes(data=True):
        if node in counts.index:
            attrs.update({k: int(v) for k, v in counts.loc[node].items()})


def _market_overlap(routes: pd.DataFrame, blocs: pd.Series) -> dict:
    """Jaccard of served markets for pairs of alliance members: same alliance or not."""
    merged = bloc_pair_overlaps(market_footprints(routes), blocs).rename(
        columns={"same_bloc": "same_alliance"})
    by = merged.groupby("same_alliance")["jaccard"]
    summary = {
        "member_airlines_with_routes": len(set(merged["a"]) | set(merged["b"])),
        "pairs_same_alliance": int(merged["same_alliance"].sum()),
        "pairs_different_alliances": int((~merged["same_alliance"]).sum()),
        "mean_jaccard_same_alliance": float(by.mean().get(True, np.nan)),
        "mean_jaccard_different_alliances": float(by.mean().get(False, np.nan)),
        "median_jaccard_same_alliance": float(by.median().get(True, np.nan)),
        "median_jaccard_different_alliances": float(by.median().get(False, np.nan)),
    }
    return {"pairs": merged.sort_values("jaccard", ascending=False), "summary": summary}


def organisation_table(graph: nx.Graph, analysis: Analysis) -> pd.DataFrame:
    """One row per airline: alliance, ecosystem, codeshare partners, centrality, routes."""
    central = analysis.centrality.table.set_index("id")
    eco = analysis.ecosystem_table.set_index("id")
    rows = []
    for node, d in graph.nodes(data=True):
        rows.append({
            "id": node, "name": marked(d.get("name"), d.get("identity_note")),
            "country": d.get("country"), "alliance": d.get("alliance", NO_ALLIANCE),
            "alliance_role": d.get("alliance_role"),
            "ecosystem": int(eco.at[node, "ecosystem"]),
            "ecosystem_stability": eco.at[node, "stability"],
            "codeshare_partners": graph.degree(node),
            "codeshare_evidence": round(graph.degree(node, weight="weight"), 3),
            "betweenness": central.at[node, "betweenness"],
            "betweenness_rank": central.at[node, "betweenness_rank"],
            "pagerank": central.at[node, "pagerank"],
            "routes": d.get("routes", 0), "markets": d.get("markets", 0),
            "identity_note": d.get("identity_note"),
        })
    return pd.DataFrame(rows).sort_values(["betweenness_rank", "id"])


def report_page(text: str, analysis: Analysis, table: pd.DataFrame, growth: pd.DataFrame,
                alliance_map, codeshare_map) -> ReportPage:
    """report.md's text with its pictures and both maps, for report.html."""
    page = ReportPage(markdown=text, footer=SOURCE_NOTE)
    page.attach("Brokers", Figure(
        "How brokerage is spread",
        "Left: airlines by their number of inferred codeshare partners. Right: every "
        "airline's betweenness (length 1/route evidence), highest first, on a log scale: "
        "a handful of carriers hold most of the shortest paths.",
        report_plots.centrality_distribution(table, "codeshare_partners", "betweenness",
                                             "codeshare partners", "betweenness")))
    blocs = analysis.blocs
    page.attach("Ecosystems against", Figure(
        "Which ecosystem holds which alliance",
        "Alliance members and affiliates by alliance (rows) and detected ecosystem "
        "(columns, named by their hub): each cell's count, shaded by its share of the "
        "alliance's airlines in the network.",
        report_plots.contingency_heatmap(blocs.contingency.rename(
            columns=analysis.ecosystems.labels), "alliance", "ecosystem")))
    page.attach("The alliances over time", Figure(
        "How the alliance network grew",
        "Airlines and ties of the co-membership network, its density and its ecosystems "
        "at each year end shown in the table above.",
        report_plots.evolution(growth)))
    for title, data in (("Codeshare partnerships, June 2014", codeshare_map),
                        ("Airline alliances on 30 June 2014", alliance_map)):
        page.attach("Maps", EmbeddedMap(
            title, "Search an airline by name, click one to see its partners, click a "
            "legend entry to hide its group; " + data.payload["made"], render_html(data)))
    return page


def report(as_of, roles, pairs, inference, validation, analysis, market, table,
           growth) -> str:
    """The demo's findings as Markdown."""
    summary = market["summary"]
    blocs_cmp = analysis.blocs
    brokers = table.head(10)[["name", "id", "alliance", "alliance_role", "codeshare_partners",
                              "betweenness"]].fillna({"alliance_role": ""})
    top_pairs = pairs.sort_values("weight", ascending=False).head(10)[
        ["a_name", "b_name", "routes", "expected_routes", "q_value"]].rename(
        columns={"a_name": "airline", "b_name": "partner", "routes": "codeshare routes",
                 "expected_routes": "expected by chance", "q_value": "q-value (FDR)"})
    check = validation["alliance_check"]
    controls = validation["controls"]
    held = validation["held_out"]
    market_top = market["pairs"].head(10)[["a_name", "b_name", "shared", "jaccard",
                                           "same_alliance"]].rename(
        columns={"a_name": "airline", "b_name": "other airline", "shared": "shared markets"})
    hubs = [analysis.ecosystems.labels[e].split(": ", 1)[1]
            for e in blocs_cmp.contingency.columns]  # the ecosystems table is headed by them
    shown = pd.concat([brokers["name"], top_pairs["airline"], top_pairs["partner"],
                       market_top["airline"], market_top["other airline"], pd.Series(hubs)])
    doubtful = sorted(set(n for n in shown if str(n).endswith(" †")))
    notes = table.set_index("name")["identity_note"].dropna()
    lines = [
        "# Airline partner networks, June 2014",
        "",
        SOURCE_NOTE,
        "",
        f"## Alliances on {as_of:%Y-%m-%d}",
        "",
        "Members and affiliates (regional carriers that join through a member) are counted "
        "apart; both are compared with the ecosystems below.",
        "",
        *markdown_table(roles.reset_index().rename(columns={"group": "alliance"})),
        "",
        "## Codeshares inferred from routes",
        "",
        f"{inference.flagged_routes:,} routes are flagged codeshare; "
        f"{inference.matched_routes:,} of them are flown by another airline listing the same "
        "airport pair. A route flagged for airline X and flown by Y is evidence that X "
        "codeshares with Y, but Y may just be one of several airlines on a busy market. So "
        "each pair is tested: do X's codeshare routes fall on Y's markets more often than "
        "Y's presence at those airports explains? (a one-sided binomial test per pair, "
        f"{validation['pairs_tested']:,} pairs tested, false-discovery rate "
        f"{validation['fdr']:g} by Benjamini-Hochberg, and at least {validation['min_lift']:g} "
        f"times the routes chance would give). {len(inference.pairs):,} partnerships pass.",
        "",
        f"- Against the alliances on {check['as_of']}: of the "
        f"{check['pairs_with_both_in_alliances']} inferred pairs whose two airlines are both "
        f"alliance members or affiliates, {check['same_alliance_share']:.1%} are in the same "
        f"alliance, against {check['expected_degree_preserving']:.1%} expected by chance "
        f"(precision). They are {check['same_alliance_pairs']} of the "
        f"{check['same_alliance_pairs_possible']} pairs of one alliance's airlines (recall "
        f"{check['same_alliance_recall']:.1%}; alliance members do not all codeshare with "
        "each other).",
        "- Carriers that sold no codeshares in 2014 get "
        + ", ".join(f"{controls['negative_names'][c]} {n}"
                    for c, n in controls["negative_partners"].items())
        + " partners.",
        f"- Documented 2014 codeshares outside the alliances: "
        f"{len(controls['positive_recovered'])} of {controls['positive_checked']} recovered"
        + (f" (not found: {', '.join(controls['positive_missed'])})"
           if controls["positive_missed"] else "") + ".",
        f"- Hiding half ({held['hidden_routes']:,}) of the {held['unambiguous_routes']:,} "
        "routes whose operator is certain and inferring from the rest, "
        f"{held['recovered_share']:.1%} of the hidden routes still fall on an inferred "
        f"partnership; with their operators shuffled, {held['shuffled_share']:.1%} would.",
        "",
        "The controls and their sources are in graphkit's bundled data "
        "(controls/codeshare_*_2014.csv).",
        "",
        "The ten partnerships with the most route evidence (each flagged route counted once, "
        "split between the airlines that fly its market), strongest first:",
        "",
        *markdown_table(top_pairs),
        "",
        "## Brokers of the codeshare network (betweenness, length 1/route evidence)",
        "",
        "A tie's route evidence adds one for each flagged route of the pair, split equally "
        "between the airlines that fly its market; betweenness takes 1/evidence as the "
        "tie's length, so strong partnerships make short paths.",
        "",
        *markdown_table(brokers),
        "",
        "## Ecosystems against the real alliances",
        "",
        f"Ecosystem detection ({analysis.ecosystems.method}) finds "
        f"{analysis.partition.count} ecosystems, modularity "
        f"{analysis.partition.modularity:.3f}, mean pairwise NMI between seeds "
        f"{analysis.stability.mean_nmi:.3f}. On the {blocs_cmp.organisations} alliance members "
        f"and affiliates in the network, NMI with the alliances is {blocs_cmp.nmi:.3f} and "
        f"adjusted Rand {blocs_cmp.ari:.3f} ({blocs_cmp.ungrouped} airlines outside alliances "
        "not compared).",
        "",
        *markdown_table(blocs_cmp.contingency.rename(columns=analysis.ecosystems.labels)
             .rename_axis("alliance").reset_index()),
        "",
        "Ecosystems without an alliance airline are not shown.",
        "",
        "## Route-market overlap of alliance members",
        "",
        f"Among {summary['member_airlines_with_routes']} alliance members and affiliates with "
        "routes, the mean "
        f"Jaccard overlap of served airport-pair markets is "
        f"{summary['mean_jaccard_same_alliance']:.4f} for pairs in the same alliance "
        f"({summary['pairs_same_alliance']} pairs) and "
        f"{summary['mean_jaccard_different_alliances']:.4f} for pairs in different alliances "
        f"({summary['pairs_different_alliances']} pairs).",
        "",
        *markdown_table(market_top),
        "",
        "## Names",
        "",
        "Airlines are named as of the date from the OPTD airline reference: a code that "
        "another airline carried before (VY was Formosa Airlines before Vueling) is the "
        "airline of that date. The reference gives one name per airline record, so an "
        "airline that was renamed without a new record shows its later name (LATAM Chile "
        "for LAN Airlines, Cathay Dragon for Dragonair). † marks a code the files cannot "
        "settle; its route data may mix two airlines.",
        "",
        *([f"- {name}: {notes.get(name, '')}" for name in doubtful] or [
            "No airline in the tables above is marked."]),
        "",
        f"{int(table['identity_note'].notna().sum())} of the {len(table)} airlines of the "
        "codeshare network carry a † (organisations.csv, column identity_note, says why).",
        "",
        "## The alliances over time",
        "",
        "The co-membership network (two airlines tied while both belong to one alliance, "
        "affiliates included) at every other year end, from the membership dates "
        "(alliance_evolution.csv); ecosystems by Louvain, seed 0. The dates are OPTD's: "
        "it dates Lufthansa, a founder of Star Alliance in May 1997, from 1999-05-01, so "
        f"{growth['date'].iloc[0][:4]} counts {growth['organisations'].iloc[0]} airlines.",
        "",
        *markdown_table(growth[["date", "organisations", "ties", "density", "ecosystems",
                     "modularity"]].round({"density": 3, "modularity": 3})),
        "",
        "## Maps",
        "",
        "alliance_map_2014.html and codeshare_map_2014.html open offline in any browser "
        "(search, legend and filters inside); report.html shows both below its findings, "
        "and codeshare_map_2014.png is the codeshare map for slides.",
        "",
    ]
    return "\n".join(lines)
