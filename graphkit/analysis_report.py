"""`graphkit analyze --report`: the analysis as one page people open (report.html).

The same figures the terminal summary and the CSV tables hold, as tables, with the
pictures that say it better (how centrality is spread, which ecosystem holds which known
bloc) and the map of the network, all in one offline file.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from graphkit import report_plots
from graphkit.analyze import Analysis
from graphkit.maps import MapOptions, build_map, render_html
from graphkit.report_page import EmbeddedMap, Figure, ReportPage, markdown_table
from graphkit.summary import plural

MEASURE_NAMES = {"weighted_degree": "weighted degree (sum of deal counts)",
                 "betweenness": "betweenness (length 1/deals)",
                 "pagerank": "PageRank (strength: deals)"}


def analysis_report(graph: nx.Graph, analysis: Analysis, title: str, note: str = "",
                    top: int = 10) -> ReportPage:
    """The report page of one analysis of `graph` (tables, pictures and the map)."""
    table = analysis.centrality.table
    part, stab = analysis.partition, analysis.stability
    lines = [f"# {title}", ""]
    if note:
        lines += [note, ""]
    lines += [f"{plural(graph.number_of_nodes(), 'organisation')} and "
              f"{plural(graph.number_of_edges(), 'tie')}. Weights: a tie's deal count is a "
              "strength for degree, PageRank, eigenvector and ecosystems, and 1/deals is its "
              "length for betweenness and closeness.", ""]
    lines += ["## Most central organisations", ""]
    for measure, label in MEASURE_NAMES.items():
        if measure not in table:
            continue
        ranked = table.sort_values([f"{measure}_rank", "id"]).head(top)
        lines += [f"By {label}:", "",
                  *markdown_table(pd.DataFrame({"rank": ranked[f"{measure}_rank"].astype(int),
                                     "name": ranked["name"], "id": ranked["id"],
                                     measure: ranked[measure].map(_value)})),
                  ""]
    bet = analysis.centrality.notes.get("betweenness")
    if bet and not bet.get("exact", True):
        lines += [f"Betweenness is sampled from {bet['pivots']} pivots (seed {bet['seed']}).",
                  ""]
    agreement = ("" if stab is None else f" Between seeds, mean pairwise NMI is "
                 f"{stab.mean_nmi:.3f} and adjusted Rand {stab.mean_ari:.3f}.")
    lines += ["## Ecosystems", "",
              f"{analysis.ecosystems.method.capitalize()}: {plural(part.count, 'ecosystem')}, "
              f"modularity {part.modularity:.3f}.{agreement} The largest:", "",
              *markdown_table(analysis.profiles.head(top)[["label", "size", "internal_ties",
                                                "crossing_ties", "crossing_share"]]
                   .assign(crossing_share=lambda f: f["crossing_share"].map("{:.1%}".format))
                   .rename(columns={"label": "ecosystem", "size": "organisations",
                                    "internal_ties": "ties inside",
                                    "crossing_ties": "ties to others",
                                    "crossing_share": "share crossing"})), ""]
    blocs = analysis.blocs
    if blocs is not None:
        lines += ["## Ecosystems against the known blocs", "",
                  f"On the {plural(blocs.organisations, 'organisation')} with a known bloc "
                  f"({blocs.ungrouped:,} without one, not compared), NMI is {blocs.nmi:.3f} "
                  f"and adjusted Rand {blocs.ari:.3f}.", ""]
    lines += ["## Map", "", "The network as `graphkit map` draws it (coloured by ecosystem, "
              "sized by degree): search by name, click an organisation for its partners, "
              "click a legend entry to hide its group.", ""]
    page = ReportPage(markdown="\n".join(lines), footer=note)
    spread = _spread_measure(table)
    if spread is not None:
        degrees = pd.DataFrame({"partners": [graph.degree(n) for n in table["id"]],
                                spread: table[spread].to_numpy()})
        page.attach("Most central", Figure(
            "How centrality is spread",
            f"Left: organisations by number of partners. Right: every organisation's "
            f"{MEASURE_NAMES.get(spread, spread)}, highest first, on a log scale.",
            report_plots.centrality_distribution(degrees, "partners", spread, "partners",
                                                 spread.replace("_", " "))))
    if blocs is not None:
        page.attach("Ecosystems against", Figure(
            "Which ecosystem holds which bloc",
            "Organisations by known bloc (rows) and ecosystem (columns): each cell's count, "
            "shaded by its share of the bloc.",
            report_plots.contingency_heatmap(blocs.contingency.rename(
                columns=analysis.ecosystems.labels), "bloc", "ecosystem")))
    options = analysis.options
    drawn = build_map(graph, MapOptions(
        title=title, note=note, seed=options.seed, communities=options.algorithm,
        seeds=options.seeds, resolution=options.resolution,
        ecosystems_file=options.ecosystems_file))
    page.attach("Map", EmbeddedMap(title, drawn.payload["made"], render_html(drawn)))
    return page


def _value(v: float) -> str:
    """19,940, not 1.994e+04; 0.04422 to four significant figures."""
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4g}"


def _spread_measure(table: pd.DataFrame) -> str | None:
    """The measure whose spread the picture shows: betweenness, else PageRank, else the
    first measure computed."""
    for measure in ("betweenness", "pagerank", "weighted_degree"):
        if measure in table:
            return measure
    return None
