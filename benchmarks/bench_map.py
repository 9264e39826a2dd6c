"""Benchmark: writing an interactive map of 1,000 organisations and ~46,000 ties.

Compares, in one process on the same graph, pyvis's own `from_nx` + `write_html` (what a
pyvis user writes) with graphkit's `write_map` (bulk lists, precomputed layout, every asset
inlined). With headless Chromium installed, also times how long a 2,000-organisation
graphkit map takes to be drawn and settled.

    python benchmarks/bench_map.py
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from graphkit.maps import MapOptions, write_map


def graph(nodes: int, ties: int, seed: int = 0) -> nx.Graph:
    g = nx.gnm_random_graph(nodes, ties, seed=seed)
    rng = random.Random(seed)
    g = nx.relabel_nodes(g, {n: f"org{n}" for n in g})
    for n in g:
        g.nodes[n]["name"] = f"Organisation {n}"
    for _, _, d in g.edges(data=True):
        d["weight"] = float(rng.randint(1, 5))
        d["deals"] = int(d["weight"])
    return g


def main() -> None:
    g = graph(1000, 46_000)
    out = Path(tempfile.mkdtemp(prefix="graphkit-bench-map-"))
    start = time.perf_counter()
    net = Network(cdn_resources="in_line")
    net.from_nx(g)
    net.write_html(str(out / "pyvis.html"), notebook=False)
    pyvis_time = time.perf_counter() - start

    start = time.perf_counter()
    write_map(g, out / "graphkit.html", MapOptions(color_by="ecosystem", size_by="degree"))
    graphkit_time = time.perf_counter() - start
    print(f"map of {g.number_of_nodes():,} organisations, {g.number_of_edges():,} ties")
    print(f"  pyvis from_nx + write_html: {pyvis_time:6.2f} s")
    print(f"  graphkit write_map:         {graphkit_time:6.2f} s (layout, ecosystems, sizes "
          "included)")
    print(f"  speed-up: {pyvis_time / graphkit_time:.1f}x")

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from browser import MISSING, chromium, open_map

    if MISSING:
        print(f"browser timing skipped: {MISSING}")
        return
    big = nx.barabasi_albert_graph(2000, 3, seed=1)
    big = nx.relabel_nodes(big, {n: f"org{n}" for n in big})
    write_map(big, out / "big.html", MapOptions())
    with chromium() as driver:
        seconds = [open_map(driver, out / "big.html") for _ in range(3)]
    print(f"2,000 organisations in headless Chromium, drawn and settled: "
          f"{min(seconds):.2f}-{max(seconds):.2f} s over 3 loads")


if __name__ == "__main__":
    main()
