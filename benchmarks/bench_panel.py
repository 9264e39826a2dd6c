"""Benchmark: the organisation-year panel by graphkit and by a hand-written NetworkX loop.

graphkit computes every panel measure (hop-based betweenness from 256 pivots above 5,000
organisations, as NetworkX samples them) for every window of a synthetic SDC-style deals
table. The loop a researcher writes by hand with pandas and NetworkX is too slow for that
table (NetworkX's weighted effective size, organisation by organisation, grows with the
cube of a hub's partners: 34 s for a window of 413 organisations, hours for one of
10,000), so it runs on a smaller table from the same generator (`--reference-deals`,
1,000 by default: about 150 organisations a window) over the same windows (the last
`--reference-windows`, all 30 by default), and graphkit runs that table again, so the
ratio compares like with like. The loop computes what NetworkX has a function for and
leaves out hierarchy, Bonacich power, partner diversity and turnover; the agreement lines
compare each measure both computed.

    python benchmarks/bench_panel.py --deals 100000
    python benchmarks/bench_panel.py --deals 20000 --reference-deals 3000 --reference-windows 1

Run it from an environment where graphkit is installed (pip install .).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time

import networkx as nx
import numpy as np
import pandas as pd

from graphkit.loaders.deals import deals_from_frame
from graphkit.panel_measures import PanelOptions, panel
from graphkit.synthetic import synthetic_deals

PIVOTS = 256
EXACT_LIMIT = 5000


def networkx_window(frame: pd.DataFrame, end: pd.Timestamp, years: int) -> pd.DataFrame:
    """One window's measures as a researcher computes them with pandas and NetworkX."""
    dates = pd.to_datetime(frame["Date Announced"])
    start = end - pd.DateOffset(years=years)
    rows = frame[(dates > start) & (dates <= end)]
    # graphkit drops a deal with one participant on load (no partner to tie to): so here
    parties = rows.groupby("Deal Number")["Participants"].transform("nunique")
    rows = rows[parties > 1]
    deals = rows.groupby("Participants")["Deal Number"].nunique()
    graph = nx.Graph()
    for _, group in rows.groupby("Deal Number"):
        for a, b in itertools.combinations(sorted(set(group["Participants"])), 2):
            if graph.has_edge(a, b):
                graph[a][b]["weight"] += 1
            else:
                graph.add_edge(a, b, weight=1)
    n = graph.number_of_nodes()
    k = PIVOTS if n > EXACT_LIMIT else None
    eigen: dict = {}
    for members in nx.connected_components(graph):
        sub = graph.subgraph(members)
        if len(members) > 2:
            eigen.update(nx.eigenvector_centrality_numpy(sub, weight="weight"))
    component = {v: len(c) for c in nx.connected_components(graph) for v in c}
    effective = nx.effective_size(graph, nodes=list(graph), weight="weight")
    table = pd.DataFrame({
        "degree": dict(graph.degree()),
        "repeated_ties": {v: sum(d["weight"] > 1 for d in graph[v].values()) for v in graph},
        "weighted_degree": dict(graph.degree(weight="weight")),
        "ego_density": {v: nx.density(nx.ego_graph(graph, v)) for v in graph},
        "constraint": nx.constraint(graph, weight="weight"),
        "effective_size": effective,
        "efficiency": {v: effective[v] / graph.degree(v) for v in graph},
        "betweenness": nx.betweenness_centrality(graph, k=k, seed=0),
        "closeness": nx.closeness_centrality(graph),
        "eigenvector": eigen,
        "reach": nx.harmonic_centrality(graph),
        "component_size": component,
        "clustering": nx.clustering(graph),
    })
    table["deals"] = deals
    communities = nx.community.louvain_communities(graph, weight="weight", seed=0)
    table.attrs["modularity"] = nx.community.modularity(graph, communities, weight="weight")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--window", type=int, default=5)
    parser.add_argument("--start", type=int, default=1991, help="first window's end year")
    parser.add_argument("--end", type=int, default=2020, help="last window's end year")
    parser.add_argument("--reference-windows", type=int, default=30,
                        help="windows (the last ones) the NetworkX loop runs; 0 skips it")
    parser.add_argument("--reference-deals", type=int, default=1_000,
                        help="deals in the table the NetworkX loop and graphkit share")
    parser.add_argument("--lengths", choices=["hops", "deals"], default="hops")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # each figure shows as it is measured

    start = time.perf_counter()
    frame = synthetic_deals(args.deals, seed=args.seed)
    data = deals_from_frame(frame)
    print(f"input: {args.deals:,} deals, {len(frame):,} participant rows, "
          f"{frame['Participants'].nunique():,} organisations "
          f"(generated and read in {time.perf_counter() - start:.1f} s)")

    options = PanelOptions(window=args.window, start=args.start, end=args.end,
                           pivots=PIVOTS, lengths=args.lengths)
    start = time.perf_counter()
    table = panel(data, options)
    whole = time.perf_counter() - start
    sizes = table.groupby("window_end").size()
    print(f"graphkit: {len(sizes)} windows of {args.window} years ending {args.start}-"
          f"{args.end}, {len(table):,} organisation-years (largest window "
          f"{sizes.max():,} organisations), every measure, path lengths {args.lengths}: "
          f"{whole:.1f} s ({whole / len(sizes):.2f} s per window)")
    if args.reference_windows <= 0:
        return

    frame = synthetic_deals(args.reference_deals, seed=args.seed)
    data = deals_from_frame(frame)
    first = args.end - args.reference_windows + 1
    subset = PanelOptions(window=args.window, start=first, end=args.end, pivots=PIVOTS,
                          lengths=args.lengths)
    start = time.perf_counter()
    ours = panel(data, subset)
    gk_time = time.perf_counter() - start
    start = time.perf_counter()
    theirs = {}
    for year in range(first, args.end + 1):
        theirs[year] = networkx_window(frame, pd.Timestamp(year=year, month=12, day=31),
                                       args.window)
    nx_time = time.perf_counter() - start
    print(f"\nsubset: {args.reference_deals:,} deals, windows ending {first}-{args.end} "
          f"({', '.join(f'{len(t):,}' for t in theirs.values())} organisations)")
    print(f"graphkit {gk_time:.2f} s, hand-written "
          f"NetworkX loop {nx_time:.1f} s: {nx_time / gk_time:.1f}x faster "
          f"(the loop leaves out hierarchy, Bonacich, diversity and turnover)")
    if args.lengths == "deals":
        print("(the loop measures paths on hops: betweenness and closeness are not compared)")
    names = dict(zip(data.organizations.index, data.organizations["name"], strict=True))
    worst: dict[str, float] = {}
    rows = same = 0
    for year, reference in theirs.items():
        mine = ours[ours["window_end"] == pd.Timestamp(year=year, month=12, day=31).date()]
        mine = mine.assign(name=mine["id"].map(names)).set_index("name")
        same += set(mine.index) == set(reference.index)
        common = reference.index.intersection(mine.index)
        rows += len(common)
        for column in reference.columns:
            if args.lengths == "deals" and column in ("betweenness", "closeness"):
                continue
            a = reference.loc[common, column].astype(float)
            b = mine.loc[common, column].astype(float)
            both = a.notna() & b.notna()
            gap = float(np.abs(a[both] - b[both]).max()) if both.any() else 0.0
            worst[column] = max(worst.get(column, 0.0), gap)
    print(f"agreement: the same organisations in {same} of {len(theirs)} windows; largest "
          f"difference over {rows:,} organisation-years: "
          + ", ".join(f"{column} {gap:.2g}" for column, gap in worst.items()))

if __name__ == "__main__":
    main()
