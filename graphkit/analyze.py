"""`graphkit analyze`: centrality, ecosystems and their fit to known blocs, in one run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from graphkit import display
from graphkit.atomic import make_folder
from graphkit.centrality import DEFAULT_PIVOTS, CentralityResult, centrality_table, check_measures
from graphkit.ecosystems import (
    DEFAULT_SEEDS,
    BlocComparison,
    Ecosystems,
    Partition,
    Stability,
    bridges,
    compare_with_blocs,
    find_ecosystems,
    profiles,
)
from graphkit.engine import Indexed, index_graph
from graphkit.errors import InputError
from graphkit.outputs import records, write_csv, write_json
from graphkit.summary import plural, small_number


@dataclass
class AnalysisOptions:
    """What to compute; every random choice is seeded and reported."""

    measures: list[str] | None = None
    algorithm: str = "louvain"
    resolution: float = 1.0
    seeds: int = DEFAULT_SEEDS
    pivots: int = DEFAULT_PIVOTS
    seed: int = 0
    hub_by: str = "weighted_degree"
    ecosystems_file: str | None = None  # reuse a saved partition instead of detecting


@dataclass
class Analysis:
    options: AnalysisOptions
    centrality: CentralityResult
    ecosystems: Ecosystems
    profiles: pd.DataFrame
    bridges: pd.DataFrame
    blocs: BlocComparison | None = None
    graph_notes: dict = field(default_factory=dict)

    @property
    def partition(self) -> Partition:
        return self.ecosystems.partition

    @property
    def stability(self) -> Stability | None:
        return self.ecosystems.stability

    @property
    def ecosystem_table(self) -> pd.DataFrame:
        """One row per organisation: its ecosystem, the ecosystem's label and how stable
        its membership is over seeds (as ecosystems.csv)."""
        members = self.partition.membership
        stable = (self.stability.per_organisation.reindex(members.index).to_numpy()
                  if self.stability is not None else np.nan)
        return pd.DataFrame({"id": members.index, "ecosystem": members.to_numpy(),
                             "ecosystem_label": members.map(self.ecosystems.labels).to_numpy(),
                             "stability": stable})

    @property
    def organisations(self) -> pd.DataFrame:
        """Every organisation, indexed by id: name, each measure and its rank, ecosystem
        and its label, stability."""
        eco = self.ecosystem_table.set_index("id")
        return self.centrality.table.set_index("id").join(eco)

    def __repr__(self) -> str:
        return display.text(self._title(), summary_lines(self, top=3))

    def _repr_html_(self) -> str:
        lines = summary_lines(self, top=0)  # the facts, without the ranked lists
        return display.rich(self._title(), [line for line in lines if
                                            not line.startswith(("top ", "  "))],
                            self.organisations, "organisations")

    def _title(self) -> str:
        return (f"Analysis of {plural(len(self.centrality.table), 'organisation')}: "
                f"{plural(self.partition.count, 'ecosystem')}")


STEPS = ["centrality", "ecosystems", "profiles"]


def analyze(graph: nx.Graph | Indexed, options: AnalysisOptions | None = None,
            known: pd.Series | None = None,
            on_step: Callable[[str], None] | None = None) -> Analysis:
    """Run centrality and ecosystem analysis on a partner graph.

    `on_step(name)` is called as each of STEPS starts (the CLI shows progress with it).
    """
    options = options or AnalysisOptions()
    step = on_step or (lambda _name: None)
    measures = check_measures(options.measures)
    if options.hub_by not in measures:
        measures = check_measures([*measures, options.hub_by])
    ix = index_graph(graph)
    if ix.n == 0:
        raise InputError("the graph has no ties to analyse")
    step("centrality")
    central = centrality_table(ix, measures, pivots=options.pivots, seed=options.seed)
    step("ecosystems")
    hub_values = central.table.set_index("id")[options.hub_by]
    if options.hub_by == "constraint":
        hub_values = -hub_values
    nxg = graph if isinstance(graph, nx.Graph) else _as_networkx(ix)
    found = find_ecosystems(nxg, options.algorithm, seeds=options.seeds,
                            resolution=options.resolution, hub_values=hub_values,
                            partition_file=options.ecosystems_file, ix=ix)
    step("profiles")
    partition = found.partition
    return Analysis(
        options=options,
        centrality=central,
        ecosystems=found,
        profiles=profiles(nxg, partition, hub_values, hubs=found.hubs, labels=found.labels),
        bridges=bridges(nxg, partition),
        blocs=compare_with_blocs(partition, known) if known is not None else None,
    )


def _as_networkx(ix: Indexed) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from((n, {"name": name}) for n, name in zip(ix.nodes, ix.names, strict=True))
    nodes = ix.nodes
    graph.add_weighted_edges_from(
        (nodes[a], nodes[b], w) for a, b, w in zip(ix.source.tolist(), ix.target.tolist(),
                                                  ix.weight.tolist(), strict=True))
    return graph


def summary(analysis: Analysis) -> dict:
    """The run in one JSON-ready dict: settings, modularity, stability, bloc fit."""
    part = analysis.partition
    out = {
        "settings": asdict(analysis.options),
        "betweenness": analysis.centrality.notes.get("betweenness", {}),
        "ecosystems": part.count,
        "modularity": part.modularity,
        "reference_seed": part.seed,
        "ecosystems_method": analysis.ecosystems.method,
        "ecosystem_labels": {str(k): v for k, v in analysis.ecosystems.labels.items()},
        "stability": None if analysis.stability is None else {
            "seeds": len(analysis.stability.modularity),
            "mean_pairwise_nmi": analysis.stability.mean_nmi,
            "mean_pairwise_ari": analysis.stability.mean_ari,
            "modularity_by_seed": analysis.stability.modularity},
        "weights": "strength = tie weight (deal count) for degree, PageRank, eigenvector, "
                   "constraint, effective size and communities; length = 1/weight for "
                   "betweenness and closeness",
    }
    if analysis.blocs is not None:
        b = analysis.blocs
        out["known_blocs"] = {"nmi": b.nmi, "adjusted_rand": b.ari,
                              "organisations_compared": b.organisations,
                              "organisations_without_bloc": b.ungrouped}
    return out


def write_analysis(analysis: Analysis, out_dir: str | Path) -> dict[str, Path]:
    """Write every table as CSV (and the centrality table and summary as JSON)."""
    out = Path(out_dir)
    make_folder(out)
    files = {
        "centrality": write_csv(analysis.centrality.table, out / "centrality.csv"),
        "centrality json": write_json(records(analysis.centrality.table),
                                      out / "centrality.json"),
        "ecosystems": write_csv(analysis.ecosystem_table, out / "ecosystems.csv"),
        "profiles": write_csv(analysis.profiles, out / "ecosystem_profiles.csv"),
        "bridges": write_csv(analysis.bridges, out / "ecosystem_bridges.csv"),
    }
    if analysis.blocs is not None:
        table = analysis.blocs.contingency.reset_index()
        files["contingency"] = write_csv(table, out / "known_blocs_contingency.csv")
    files["summary"] = write_json(summary(analysis), out / "summary.json")
    return files


def summary_lines(analysis: Analysis, top: int = 10) -> list[str]:
    """A short ranked summary for the terminal."""
    table = analysis.centrality.table
    lines = []
    for measure in ("weighted_degree", "betweenness", "pagerank"):
        if measure not in table:
            continue
        ranked = table.sort_values([f"{measure}_rank", "id"]).head(top)
        lines.append(f"top {len(ranked)} by {measure}:")
        lines += [f"  {int(r[measure + '_rank']):>3}. {r['name']} [{r['id']}]: "
                  f"{r[measure]:.4g}" for _, r in ranked.iterrows()]
    part, stab = analysis.partition, analysis.stability
    agreement = ("" if stab is None else f", agreement between seeds: mean pairwise NMI "
                 f"{stab.mean_nmi:.3f}, ARI {stab.mean_ari:.3f}")
    lines.append(f"ecosystems ({analysis.ecosystems.method}): {part.count}, modularity "
                 f"{part.modularity:.4f}{agreement}")
    for _, r in analysis.profiles.head(top).iterrows():
        lines.append(f"  {r['label']}: {plural(r['size'], 'organisation')}, hub [{r['hub']}], "
                     f"internal density {small_number(r['internal_density'], 3)}, crossing ties "
                     f"{r['crossing_share']:.1%}")
    bet = analysis.centrality.notes.get("betweenness")
    if bet and not bet.get("exact", True):
        lines.append(f"betweenness sampled from {bet['pivots']} pivots, seed {bet['seed']}")
    if analysis.blocs is not None:
        b = analysis.blocs
        lines.append(f"against known blocs ({plural(b.organisations, 'organisation')} with a "
                     f"bloc, {b.ungrouped:,} without): NMI {b.nmi:.3f}, adjusted Rand {b.ari:.3f}")
    return lines
