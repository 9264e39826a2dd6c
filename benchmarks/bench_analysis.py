"""Benchmark: the analysis an analyst writes by hand, igraph and NetworKit called directly,
and graphkit.

All four run in this process on the same synthetic SDC-style deals table and do the same
work: project deals onto organisations, weighted degree, PageRank, betweenness from 256
pivots (length 1/deals), Louvain, and shared partners among the 1,000 organisations with
the most deals. Prints each stage's time and the ratios.

    python benchmarks/bench_analysis.py --deals 100000
    python benchmarks/bench_analysis.py --deals 1000000 --only graphkit
    python benchmarks/bench_analysis.py --scaling [--ten-million] [--limit-gib 20]

--scaling runs graphkit from a CSV file at 10k, 100k and 1M deals (10M with
--ten-million), each size in a fresh process: time and peak memory per stage, and the
growth exponent between sizes. A size whose run holds more memory than --limit-gib is
stopped, and the table says in which stage and at what size one machine ended.

Run it from an environment where graphkit is installed with the benchmark's extra
(pip install '.[bench]': NetworKit).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import itertools
import os
import random
import resource
import signal
import threading
import time
from contextlib import contextmanager

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from graphkit.centrality import EXACT_LIMIT, centrality_table
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
# A --scaling size stops, and says where, when the run holds more than this (--limit-gib;
# 20 GiB leaves a 24 GiB machine room for the system).
LIMIT_GIB = 20.0


class Timer:
    """Each stage's time and, when a sampler runs, the peak memory during it."""

    def __init__(self, sampler: PssSampler | None = None) -> None:
        self.times: dict[str, float] = {}
        self.peaks: dict[str, float] = {}
        self.sampler = sampler

    @contextmanager
    def __call__(self, stage: str):
        if self.sampler is not None:
            self.sampler.stage = stage
            self.sampler.stage_peak = self.sampler.current()
        start = time.perf_counter()
        yield
        self.times[stage] = time.perf_counter() - start
        if self.sampler is not None:
            self.peaks[stage] = max(self.sampler.stage_peak, self.sampler.current()) / 1024
            self.sampler.done.append(stage)

    @property
    def total(self) -> float:
        return sum(self.times.values())


def reference(frame, order: list | None = None) -> tuple[Timer, dict]:
    """What an analyst writes by hand with pandas and NetworkX. With `order` (graphkit's
    order of the organisations) the graph holds them in that order, so NetworkX draws the
    same betweenness pivots as graphkit and the values can be compared exactly."""
    t = Timer()
    with t("projection"):
        graph = nx.Graph()
        graph.add_nodes_from(order or [])
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
        between = nx.betweenness_centrality(graph, k=PIVOTS, seed=0, weight="length")
    with t("louvain"):
        communities = nx.community.louvain_communities(graph, weight="weight", seed=0)
    with t("shared partners"):
        top = sorted(strength, key=lambda n: (-strength[n], n))[:TOP]
        partners = {n: set(graph[n]) for n in top}
        shared = {(a, b): len(partners[a] & partners[b]) for a, b in
                  itertools.combinations(top, 2)}
    return t, {"nodes": graph.number_of_nodes(), "ties": graph.number_of_edges(),
               "strength": strength, "pagerank": pagerank, "betweenness": between,
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


def graphkit_order(frame) -> list:
    """The organisations' names in graphkit's node order (computed once, not timed)."""
    data = deals_from_frame(frame)
    ix = index_ties(tie_table(data, detail=False), data.organizations)
    names = data.organizations["name"]
    return [names[i] for i in ix.nodes]


def networkit_direct(frame) -> tuple[Timer, dict]:
    """NetworKit's C++/OpenMP core called directly (all cores), projection with pandas:
    its own betweenness sampling (Sanders et al.'s estimate, 256 samples) and Louvain
    (PLM), so agreement is a rank correlation and a modularity, not equality."""
    import networkit as nk

    nk.setSeed(0, False)
    t = Timer()
    with t("projection"):
        parts = frame[["Deal Number", "Participants"]].drop_duplicates()
        codes, names = pd.factorize(parts["Participants"])
        coded = pd.DataFrame({"deal": parts["Deal Number"].to_numpy(), "org": codes})
        pairs = coded.merge(coded, on="deal")
        pairs = pairs[pairs["org_x"] < pairs["org_y"]]
        ties = pairs.groupby(["org_x", "org_y"]).size()
        a = ties.index.get_level_values(0).to_numpy()
        b = ties.index.get_level_values(1).to_numpy()
        weight = ties.to_numpy(dtype=float)
        graph = nk.graph.GraphFromCoo((weight, (a, b)), n=len(names), weighted=True)
        lengths = nk.graph.GraphFromCoo((1.0 / weight, (a, b)), n=len(names), weighted=True)
    with t("weighted degree"):
        strength = np.bincount(np.r_[a, b], weights=np.r_[weight, weight],
                               minlength=len(names))
    with t("pagerank"):
        pagerank = nk.centrality.PageRank(graph, damp=0.85, tol=1e-12)
        pagerank.run()
        ranks = np.asarray(pagerank.scores())
        ranks = ranks / ranks.sum()
    with t("betweenness"):
        between = nk.centrality.EstimateBetweenness(lengths, PIVOTS, normalized=True,
                                                    parallel=True)
        between.run()
    with t("louvain"):
        plm = nk.community.PLM(graph, refine=False, gamma=1.0)
        plm.run()
        partition = plm.getPartition()
    with t("shared partners"):
        top = sorted(range(len(names)), key=lambda i: (-strength[i], names[i]))[:TOP]
        wanted = [(u, v) for u, v in itertools.combinations(top, 2)]
        common = nk.linkprediction.CommonNeighborsIndex(graph).runOn(wanted)
    modularity = nk.community.Modularity().getQuality(partition, graph)
    return t, {"nodes": graph.numberOfNodes(), "ties": graph.numberOfEdges(),
               "strength": dict(zip(names, strength, strict=True)),
               "pagerank": dict(zip(names, ranks, strict=True)),
               "betweenness": dict(zip(names, between.scores(), strict=True)),
               "modularity": modularity,
               "shared_total": int(sum(score for _, score in common))}


def with_graphkit(frame) -> tuple[Timer, dict]:
    """graphkit: validated load, vectorised projection, igraph/sparse engine."""
    t = Timer()
    with t("projection"):
        start = time.perf_counter()
        data = deals_from_frame(frame)
        checked = time.perf_counter() - start
        ix = index_ties(tie_table(data, detail=False), data.organizations)
    with t("weighted degree"):
        strength = centrality_table(ix, ["weighted_degree"]).table
    with t("pagerank"):
        pagerank = centrality_table(ix, ["pagerank"]).table
    with t("betweenness"):
        between = centrality_table(ix, ["betweenness"], pivots=PIVOTS, seed=0).table
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
               "betweenness": {names[i]: v for i, v in zip(between["id"], between["betweenness"],
                                                           strict=True)},
               "modularity": louvain.modularity, "shared_total": int(shared["shared"].sum()),
               "checked": checked}


def end_to_end(path: str, sampler: PssSampler) -> Timer:
    """graphkit from a CSV file on disk: read, validate and resolve names, project, and the
    analysis stages, each timed with its peak memory."""
    import graphkit as gk

    t = Timer(sampler)
    with t("read and check"):
        data = gk.read(path)
    with t("ties and graph"):
        ix = index_ties(tie_table(data, detail=False), data.organizations)
    del data
    with t("weighted degree"):
        strength = centrality_table(ix, ["weighted_degree"]).table
    with t("pagerank"):
        centrality_table(ix, ["pagerank"])
    with t("betweenness"):
        centrality_table(ix, ["betweenness"], pivots=PIVOTS, seed=0)
    with t("louvain"):
        detect(ix, "louvain", seed=0)
    with t("shared partners"):
        ranked = strength.sort_values(["weighted_degree", "name"], ascending=[False, True])
        overlaps(partner_footprints(ix), among=ranked["id"].head(TOP).tolist())
    t.facts = {"organisations": ix.n, "ties": ix.graph.ecount()}  # type: ignore[attr-defined]
    return t


SCALING_STAGES = ["read and check", "ties and graph", "weighted degree", "pagerank",
                  "betweenness", "louvain", "shared partners"]


def one_size(deals: int, seed: int, limit_gib: float = LIMIT_GIB) -> None:
    """Run `end_to_end` on a synthetic table of `deals` written to CSV (not timed), and
    print its figures as one JSON line for `scaling`."""
    import json
    import tempfile

    start = time.perf_counter()
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "deals.csv")
    synthetic_deals(deals, seed=seed).to_csv(path, index=False)
    made = time.perf_counter() - start
    sampler = PssSampler(limit_mib=limit_gib * 1024, deals=deals)
    sampler.made = made
    sampler.leftovers = [path, folder]
    sampler.start()
    try:
        t = end_to_end(path, sampler)
    finally:
        sampler.stop.set()
        os.remove(path)
        os.rmdir(folder)
    print(json.dumps({"deals": deals, "made": made, "times": t.times, "peaks": t.peaks,
                      "peak": sampler.peak / 1024, **t.facts}))  # type: ignore[attr-defined]


def scaling(sizes: list[int], seed: int, limit_gib: float = LIMIT_GIB) -> None:
    """Time and peak memory per stage at each size (each in a fresh process, so a peak is
    that size's own), and the growth exponent between sizes: time ~ deals^k."""
    import json
    import math
    import subprocess
    import sys

    rows = []
    for deals in sizes:
        done = subprocess.run([sys.executable, __file__, "--one-size", str(deals), "--seed",
                               str(seed), "--limit-gib", str(limit_gib)],
                              capture_output=True, text=True,
                              start_new_session=True)
        lines = done.stdout.strip().splitlines()
        if not lines or not lines[-1].startswith("{"):
            said = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])
            print(f"{deals:,} deals: failed ({said[-1]})")
            break
        row = json.loads(lines[-1])
        if "stopped" in row:
            print(f"{deals:,} deals: stopped in stage '{row['stopped']}' when the run held "
                  f"{row['peak']:,.0f} MiB, past the {limit_gib:g} GiB this run "
                  f"allows (stages done: {', '.join(row['done']) or 'none'}; table generated "
                  f"and written in {row['made']:.0f} s)", flush=True)
            break
        rows.append(row)
        print(f"{deals:,} deals: {row['organisations']:,} organisations, {row['ties']:,} "
              f"ties; {sum(row['times'].values()):.1f} s end to end, peak "
              f"{row['peak']:,.0f} MiB (table generated and written in {row['made']:.0f} s, "
              "not counted)", flush=True)
    done = [r["deals"] for r in rows]
    width = max(len(s) for s in SCALING_STAGES)
    print(f"\n{'stage':<{width}}" + "".join(f"{d:>16,}" for d in done)
          + "".join(f"{'k ' + _short(a) + '-' + _short(b):>12}"
                    for a, b in itertools.pairwise(done)))
    print(f"{'':<{width}}" + "".join(f"{'s':>8}{'MiB':>8}" for _ in rows))
    for stage in [*SCALING_STAGES, "total"]:
        times = [sum(r["times"].values()) if stage == "total" else r["times"][stage]
                 for r in rows]
        peaks = [r["peak"] if stage == "total" else r["peaks"][stage] for r in rows]
        cells = "".join(f"{t:>8.2f}{p:>8,.0f}" for t, p in zip(times, peaks, strict=True))
        for (a, ta), (b, tb) in itertools.pairwise(zip(done, times, strict=True)):
            k = math.log(tb / ta) / math.log(b / a) if ta > 0 and tb > 0 else math.nan
            cells += f"{k:>12.2f}"
        print(f"{stage:<{width}}{cells}")
    print("(k: the growth exponent between two sizes, time ~ deals^k; 1 is linear. MiB: "
          "peak PSS of the process and its workers during the stage)")


def _short(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k"


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

    def __init__(self, interval: float = 0.2, limit_mib: float | None = None,
                 deals: int = 0) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.peak = 0
        self.stage_peak = 0
        self.stage = ""
        self.done: list[str] = []
        self.made = 0.0
        self.leftovers: list[str] = []
        self.limit_mib = limit_mib
        self.deals = deals
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

    def current(self) -> int:
        """PSS of this process and its workers now, in KiB."""
        me = os.getpid()
        return self._pss_kib(me) + sum(self._pss_kib(c) for c in self._children(me))

    def run(self) -> None:
        while not self.stop.wait(self.interval):
            total = self.current()
            self.peak = max(self.peak, total)
            self.stage_peak = max(self.stage_peak, total)
            if self.limit_mib and total / 1024 > self.limit_mib:
                # The boundary, measured: say where the run was, and end it (workers too)
                # before the machine runs out of memory.
                import json

                for leftover in self.leftovers:  # the generated table, and its folder
                    with contextlib.suppress(OSError):
                        os.remove(leftover) if os.path.isfile(leftover) else os.rmdir(leftover)
                print(json.dumps({"deals": self.deals, "stopped": self.stage,
                                  "peak": total / 1024, "done": self.done,
                                  "made": self.made}), flush=True)
                if os.getpgid(0) == os.getpid():  # its own group (`scaling` starts it so)
                    os.killpg(0, signal.SIGKILL)  # the betweenness workers, and itself
                os._exit(3)


# NetworKit last: its OpenMP threads may keep spinning after a parallel region, which
# would slow whatever ran after it in this process.
RUNS = {"reference": reference, "igraph": igraph_direct, "graphkit": with_graphkit,
        "networkit": networkit_direct}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=list(RUNS), action="append",
                        help="Run only these (repeatable); default all four.")
    parser.add_argument("--scaling", action="store_true",
                        help="graphkit from CSV at 10k, 100k and 1M deals: time and peak "
                             "memory per stage, growth exponents")
    parser.add_argument("--ten-million", action="store_true",
                        help="with --scaling, also 10M deals (about 20 GiB and an hour)")
    parser.add_argument("--limit-gib", type=float, default=LIMIT_GIB,
                        help="with --scaling, stop a size (and say where) when the run holds "
                             "more memory than this (default %(default)g)")
    parser.add_argument("--one-size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_size:
        one_size(args.one_size, args.seed, args.limit_gib)
        return
    if args.scaling:
        scaling([10_000, 100_000, 1_000_000] + ([10_000_000] if args.ten_million else []),
                args.seed, args.limit_gib)
        return
    runs = args.only or list(RUNS)

    sampler = PssSampler()
    if os.path.exists("/proc/self/smaps_rollup"):
        sampler.start()
    start = time.perf_counter()
    frame = synthetic_deals(args.deals, seed=args.seed)
    print(f"input: {args.deals:,} deals, {len(frame):,} participant rows, "
          f"{frame['Participants'].nunique():,} organisations "
          f"(generated in {time.perf_counter() - start:.1f} s); {os.cpu_count()} cores")
    results = {}
    for name, run in RUNS.items():
        if name not in runs:
            continue
        order = graphkit_order(frame) if name == "reference" else None
        gc.collect()  # each run starts with no collection owed by the one before
        results[name] = run(frame, order) if order is not None else run(frame)
        timer, facts = results[name]
        print(f"{name}: {facts['nodes']:,} organisations, {facts['ties']:,} ties, "
              f"{timer.total:.2f} s", flush=True)

    width = max(len(s) for s in STAGES)
    header = f"{'stage':<{width}}" + "".join(f"{n:>12}" for n in results)
    print("\n" + header + "   (seconds)")
    for stage in [*STAGES, "total"]:
        cells = "".join(f"{(r[0].total if stage == 'total' else r[0].times[stage]):>12.2f}"
                        for r in results.values())
        print(f"{stage:<{width}}{cells}")

    if "graphkit" in results:
        ours, facts = results["graphkit"]
        print(f"(graphkit's projection: {facts['checked']:.2f} s reading the table as a user's "
              "file is read (dates, ids, blank and repeated cells, names resolved, each "
              f"drop counted), which the scripts skip; "
              f"{ours.times['projection'] - facts['checked']:.2f} s ties and graph)")
        for other in ("reference", "igraph", "networkit"):
            if other not in results:
                continue
            theirs = results[other][0]
            label = ("hand-written script / graphkit (speed-up)" if other == "reference"
                     else f"graphkit / {other} called directly (1.00x: as fast)")
            print(f"\n{label}:")
            for stage in [*STAGES, "total"]:
                a = theirs.total if stage == "total" else theirs.times[stage]
                b = ours.total if stage == "total" else ours.times[stage]
                ratio = a / b if other == "reference" else b / a
                print(f"  {stage:<{width}} {ratio:8.2f}x")
    _agreement(results)
    own, children = peak_mib()
    sampler.stop.set()
    print(f"\npeak memory: {sampler.peak / 1024:,.0f} MiB PSS of this process and its workers "
          f"together (RSS peaks: {own:,.0f} MiB this process, {children:,.0f} MiB largest "
          "worker, counting shared pages in each)")


def _agreement(results: dict) -> None:
    """Check that the runs did the same work: equal where the method is the same (the
    script samples betweenness pivots as graphkit does, NetworkX's draw), a rank
    correlation and a modularity where NetworKit uses its own sampling and Louvain."""
    from scipy.stats import spearmanr

    if "graphkit" not in results:
        return
    gk = results["graphkit"][1]
    for other in ("reference", "igraph", "networkit"):
        if other not in results:
            continue
        facts = results[other][1]
        common = sorted(set(gk["strength"]) & set(facts["strength"]))
        strength_diff = max(abs(gk["strength"][n] - facts["strength"][n]) for n in common)
        pr_diff = max(abs(gk["pagerank"][n] - facts["pagerank"][n]) for n in common)
        line = (f"\nagreement with {other}: organisations {gk['nodes']:,} vs "
                f"{facts['nodes']:,}, ties {gk['ties']:,} vs {facts['ties']:,}; weighted "
                f"degree max diff {strength_diff:.3g}; PageRank max diff {pr_diff:.3g}; "
                f"Louvain modularity {gk['modularity']:.4f} vs {facts['modularity']:.4f}")
        if "shared_total" in facts:
            line += (f"; shared partners total {gk['shared_total']:,} vs "
                     f"{facts['shared_total']:,}")
        if "betweenness" in facts and other == "reference" and gk["nodes"] <= EXACT_LIMIT:
            line += (f"; betweenness not compared (graphkit is exact up to {EXACT_LIMIT:,} "
                     "organisations, the script samples 256 pivots)")
        elif "betweenness" in facts and other == "reference":
            diff = max(abs(gk["betweenness"][n] - facts["betweenness"][n]) for n in common)
            line += f"; betweenness (same 256 pivots) max diff {diff:.3g}"
        elif "betweenness" in facts:
            rho = spearmanr([gk["betweenness"][n] for n in common],
                            [facts["betweenness"][n] for n in common]).statistic
            line += f"; betweenness rank correlation (own sampling) {rho:.3f}"
        print(line)


if __name__ == "__main__":
    main()
