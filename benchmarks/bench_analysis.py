"""Benchmark: the analysis an analyst writes by hand, igraph called directly, and graphkit.

All three run in this process on the same synthetic SDC-style deals table and do the same
work: project deals onto organisations, weighted degree, PageRank, betweenness from 256
pivots (length 1/deals), Louvain, and shared partners among the 1,000 organisations with
the most deals. Prints each stage's time and the ratios.

    python benchmarks/bench_analysis.py --deals 100000
    python benchmarks/bench_analysis.py --deals 1000000 --only graphkit

Run it from an environment where graphkit is installed (pip install .).
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import resource
import threading
import time
from contextlib import contextmanager

import igraph as ig
import networkx as nx
import numpy as np

from graphkit.centrality import centrality_table
from graphkit.ecosystems import detect
from graphkit.engine import index_ties
from graphkit.loaders.deals import deals_from_frame
from graphkit.overlaps import overlaps, partner_footprints
from graphkit.projection import tie_table
from graphkit.synthetic import synthetic_deals

STAGES = ["projection", "weighted degree", "pagerank", "betweenness", "louvain",
          "shared partners"]
PIVOTS = 256
TOP = 1000


class Timer:
    def __init__(self) -> None:
        self.times: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str):
        start = time.perf_counter()
        yield
        self.times[stage] = time.perf_counter() - start

    @property
    def total(self) -> float:
        return sum(self.times.values())


def reference(frame) -> tuple[Timer, dict]:
    """What an analyst writes by hand with pandas and NetworkX."""
    t = Timer()
    with t("projection"):
        graph = nx.Graph()
        for _, group in frame.groupby("Deal Number"):
            names = sorted(set(group["Participants"]))
            for a, b in itertools.combinations(names, 2):
                if graph.has_edge(a, b):
                    graph[a][b]["weight"] += 1
                else:
                    graph.add_edge(a, b, weight=1)
        for _, _, d in graph.edges(data=True):
            d["length"] = 1.0 / d["weight"]
    with t("weighted degree"):
        strength = dict(graph.degree(weight="weight"))
    with t("pagerank"):
        pagerank = nx.pagerank(graph, weight="weight")
    with t("betweenness"):
        nx.betweenness_centrality(graph, k=PIVOTS, seed=0, weight="length")
    with t("louvain"):
        communities = nx.community.louvain_communities(graph, weight="weight", seed=0)
    with t("shared partners"):
        top = sorted(strength, key=lambda n: (-strength[n], n))[:TOP]
        partners = {n: set(graph[n]) for n in top}
        shared = {(a, b): len(partners[a] & partners[b]) for a, b in
                  itertools.combinations(top, 2)}
    return t, {"nodes": graph.number_of_nodes(), "ties": graph.number_of_edges(),
               "strength": strength, "pagerank": pagerank,
               "modularity": nx.community.modularity(graph, communities, weight="weight"),
               "shared_total": sum(shared.values())}


def igraph_direct(frame) -> tuple[Timer, dict]:
    """igraph's C core called directly, projection with pandas."""
    t = Timer()
    with t("projection"):
        parts = frame[["Deal Number", "Participants"]].drop_duplicates()
        pairs = parts.merge(parts, on="Deal Number")
        pairs = pairs[pairs["Participants_x"] < pairs["Participants_y"]]
        ties = pairs.groupby(["Participants_x", "Participants_y"]).size().reset_index(
            name="weight")
        graph = ig.Graph.DataFrame(ties, directed=False, use_vids=False)
        graph.es["length"] = 1.0 / np.asarray(graph.es["weight"], dtype=float)
    with t("weighted degree"):
        strength = np.asarray(graph.strength(weights="weight"))
    with t("pagerank"):
        pagerank = graph.pagerank(weights="weight")
    with t("betweenness"):
        sources = random.Random(0).sample(range(graph.vcount()), PIVOTS)
        graph.betweenness(directed=False, weights="length", sources=sources)
    with t("louvain"):
        random.seed(0)
        louvain = graph.community_multilevel(weights="weight")
    with t("shared partners"):
        names = np.asarray(graph.vs["name"])
        top = sorted(range(graph.vcount()), key=lambda i: (-strength[i], names[i]))[:TOP]
        jaccard = np.asarray(graph.similarity_jaccard(vertices=top))
    return t, {"nodes": graph.vcount(), "ties": graph.ecount(),
               "strength": dict(zip(names, strength, strict=True)),
               "pagerank": dict(zip(names, pagerank, strict=True)),
               "modularity": louvain.modularity, "jaccard_mean": float(jaccard.mean())}


def with_graphkit(frame) -> tuple[Timer, dict]:
    """graphkit: validated load, vectorised projection, igraph/sparse engine."""
    t = Timer()
    with t("projection"):
        data = deals_from_frame(frame)
        ix = index_ties(tie_table(data, detail=False), data.organizations)
    with t("weighted degree"):
        strength = centrality_table(ix, ["weighted_degree"]).table
    with t("pagerank"):
        pagerank = centrality_table(ix, ["pagerank"]).table
    with t("betweenness"):
        centrality_table(ix, ["betweenness"], pivots=PIVOTS, seed=0)
    with t("louvain"):
        louvain = detect(ix, "louvain", seed=0)
    with t("shared partners"):
        ranked = strength.sort_values(["weighted_degree", "name"], ascending=[False, True])
        shared = overlaps(partner_footprints(ix), among=ranked["id"].head(TOP).tolist())
    names = dict(zip(ix.nodes, ix.names, strict=True))
    return t, {"nodes": ix.n, "ties": ix.graph.ecount(),
               "strength": {names[i]: v for i, v in zip(strength["id"],
                                                        strength["weighted_degree"],
                                                        strict=True)},
               "pagerank": {names[i]: v for i, v in zip(pagerank["id"], pagerank["pagerank"],
                                                        strict=True)},
               "modularity": louvain.modularity, "shared_total": int(shared["shared"].sum())}


def peak_mib() -> tuple[float, float]:
    """Peak resident memory of this process and of its finished children, in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


class PssSampler(threading.Thread):
    """Samples the proportional set size (PSS) of this process and its worker processes.

    RSS counts pages a forked worker shares with its parent twice; PSS splits shared pages
    between the processes, so the sum is the memory the run really holds.
    """

    def __init__(self, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.peak = 0
        self.stop = threading.Event()

    @staticmethod
    def _pss_kib(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    @staticmethod
    def _children(pid: int) -> list[int]:
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as handle:
                return [int(c) for c in handle.read().split()]
        except OSError:
            return []

    def run(self) -> None:
        me = os.getpid()
        while not self.stop.wait(self.interval):
            total = self._pss_kib(me) + sum(self._pss_kib(c) for c in self._children(me))
            self.peak = max(self.peak, total)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=["reference", "igraph", "graphkit"], action="append",
                        help="Run only these (repeatable); default all three.")
    args = parser.parse_args()
    runs = args.only or ["reference", "igraph", "graphkit"]

    sampler = PssSampler()
    if os.path.exists("/proc/self/smaps_rollup"):
        sampler.start()
    start = time.perf_counter()
    frame = synthetic_deals(args.deals, seed=args.seed)
    print(f"input: {args.deals:,} deals, {len(frame):,} participant rows, "
          f"{frame['Participants'].nunique():,} organisations "
          f"(generated in {time.perf_counter() - start:.1f} s)")
    results = {}
    for name, run in (("reference", reference), ("igraph", igraph_direct),
                      ("graphkit", with_graphkit)):
        if name in runs:
            results[name] = run(frame)
            timer, facts = results[name]
            print(f"{name}: {facts['nodes']:,} organisations, {facts['ties']:,} ties, "
                  f"{timer.total:.2f} s")

    width = max(len(s) for s in STAGES)
    header = f"{'stage':<{width}}" + "".join(f"{n:>12}" for n in results)
    print("\n" + header + "   (seconds)")
    for stage in [*STAGES, "total"]:
        cells = "".join(f"{(r[0].total if stage == 'total' else r[0].times[stage]):>12.2f}"
                        for r in results.values())
        print(f"{stage:<{width}}{cells}")

    if "graphkit" in results:
        gk = results["graphkit"][0]
        for other, label in (("reference", "reference / graphkit (speed-up)"),
                             ("igraph", "graphkit / igraph (overhead)")):
            if other in results:
                o = results[other][0]
                pair = (o, gk) if other == "reference" else (gk, o)
                print(f"\n{label}:")
                for stage in [*STAGES, "total"]:
                    a = pair[0].total if stage == "total" else pair[0].times[stage]
                    b = pair[1].total if stage == "total" else pair[1].times[stage]
                    print(f"  {stage:<{width}} {a / b:8.2f}x")
    _agreement(results)
    own, children = peak_mib()
    sampler.stop.set()
    print(f"\npeak memory: {sampler.peak / 1024:,.0f} MiB PSS of this process and its workers "
          f"together (RSS peaks: {own:,.0f} MiB this process, {children:,.0f} MiB largest "
          "worker, counting shared pages in each)")


def _agreement(results: dict) -> None:
    """Check that the three did the same work."""
    if "graphkit" not in results:
        return
    gk = results["graphkit"][1]
    for other in ("reference", "igraph"):
        if other not in results:
            continue
        facts = results[other][1]
        common = set(gk["strength"]) & set(facts["strength"])
        strength_diff = max(abs(gk["strength"][n] - facts["strength"][n]) for n in common)
        pr_diff = max(abs(gk["pagerank"][n] - facts["pagerank"][n]) for n in common)
        print(f"\nagreement with {other}: organisations {gk['nodes']:,} vs {facts['nodes']:,}, "
              f"ties {gk['ties']:,} vs {facts['ties']:,}; weighted degree max diff "
              f"{strength_diff:.3g}; PageRank max diff {pr_diff:.3g}; Louvain modularity "
              f"{gk['modularity']:.4f} vs {facts['modularity']:.4f}"
              + (f"; shared partners total {gk['shared_total']:,} vs {facts['shared_total']:,}"
                 if "shared_total" in facts else ""))


if __name__ == "__main__":
    main()
