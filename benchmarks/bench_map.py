"""Benchmark: writing and drawing interactive maps, small to whole-industry.

1. In one process on the same graph (1,000 organisations, ~46,000 ties): pyvis's own
   `from_nx` + `write_html` (what a pyvis user writes) against graphkit's `write_map`.
2. With headless Chromium: a 2,000-organisation map drawn and settled (vis-network).
3. The synthetic network of `--deals` deals (default 100,000: about 27,600 organisations
   and 246,000 ties), no pruning: the full map (WebGL, sigma.js) and the overview
   (vis-network) written (seconds, file size), then in Chromium the time from opening the
   file to its organisations drawn (WebGL: and to every tie added, in slices after), and
   from typing a name in the search box to the organisation selected and the frame drawn.

    python benchmarks/bench_map.py [--deals 100000]
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
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=100_000,
                        help="deals in the synthetic industry (default 100,000)")
    deals = parser.parse_args().deals
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
    industry(out, deals, chromium, open_map)


def industry(out: Path, deals: int, chromium, open_map) -> None:
    """The whole synthetic industry: written, drawn, searched."""
    import graphkit as gk
    from graphkit.synthetic import synthetic_deals

    table = out / "deals.csv"
    synthetic_deals(deals, seed=1).to_csv(table, index=False)
    start = time.perf_counter()
    g = gk.partner_graph(gk.read(table))
    print(f"\nsynthetic network of {deals:,} deals: {g.number_of_nodes():,} organisations, "
          f"{g.number_of_edges():,} ties (read and built in "
          f"{time.perf_counter() - start:.1f} s, not counted below)")
    maps = {}
    for name, options in (("full map", MapOptions(overview=False)),
                          ("overview", MapOptions(overview=True))):
        path = out / f"industry-{name.replace(' ', '-')}.html"
        start = time.perf_counter()
        data = write_map(g, path, options)
        print(f"  {name} ({data.payload['renderer']}) written in "
              f"{time.perf_counter() - start:5.1f} s, {path.stat().st_size / 1e6:5.1f} MB")
        maps[name] = (path, data.payload)
    with chromium() as driver:
        for name, (path, payload) in maps.items():
            # The page's own clock, from the start of navigation: polling from here waits
            # for the page's busy main thread and adds its own delay.
            opened, ties_in = [], []
            for _ in range(2):
                open_map(driver, path, timeout=120)
                while not driver.execute_script(
                        "return window.graphkitMap.tiesReady !== false;"):
                    time.sleep(0.05)
                drawn, tied = driver.execute_script(
                    "var m = window.graphkitMap; return [m.readyAt, m.tiesAt || m.readyAt];")
                opened.append(drawn / 1000)
                ties_in.append(tied / 1000)
            opened, ties_in = min(opened), min(ties_in)
            sought = next(n for n in payload["nodes"][1000:] if n.get("kind") != "ecosystem")
            searched = driver.execute_async_script(
                "var done = arguments[1], box = document.getElementById('search');"
                "var start = performance.now();"
                "box.value = arguments[0];"
                "box.dispatchEvent(new Event('change'));"
                "requestAnimationFrame(function () { requestAnimationFrame(function () {"
                "  var m = window.graphkitMap;"
                "  var got = m.selected ? m.selected() : m.network.getSelectedNodes()[0];"
                "  done([performance.now() - start, got]); }); });", sought["label"])
            assert searched[1] == sought["id"], (searched, sought["id"])
            ties = (f", every tie in {ties_in:.2f} s" if payload["renderer"] == "webgl"
                    else "")
            print(f"  {name} in headless Chromium: organisations drawn {opened:.2f} s after "
                  f"opening{ties}; search for {sought['label']!r} answered and drawn in "
                  f"{searched[0] / 1000:.2f} s")


if __name__ == "__main__":
    main()
