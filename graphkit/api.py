"""The public API: the whole job in a few verbs (`import graphkit as gk`).

Each verb takes plain inputs (paths, a loaded `PartnerData`, a NetworkX graph; dates as
text, `datetime.date`, `datetime` or `pandas.Timestamp`; organisations by id or name) and
returns DataFrames or result objects. The CLI commands call the same functions, so the
numbers agree. Examples run on the bundled airline data (`gk.bundled_data()`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from graphkit.model import PartnerData


def bundled_data(*names: str) -> list[Path]:
    """Paths of the bundled public data: OpenFlights (June 2014), OPTD alliance
    membership and the OPTD airline reference, or those named.

    Examples:
        >>> import graphkit as gk
        >>> [p.name for p in gk.bundled_data()]
        ['openflights', 'optd_airline_alliance_membership.csv', 'optd_airlines.csv']
    """
    from graphkit import bundled

    wanted = names or (bundled.OPENFLIGHTS, bundled.MEMBERSHIP, bundled.OPTD_AIRLINES)
    return [bundled.bundled(name) for name in wanted]


def read(*sources: str | Path, format: str | None = None, **options: Any) -> PartnerData:
    """Read deal tables, edge lists, airline files or graph files into one `PartnerData`,
    combined and with names resolved; `options` as the CLI's load options (`columns`,
    `delimiter`, `encoding`, `sheet`, `dayfirst`, `separator`, `bad_rows`, `aliases`,
    `max_participants`, `large_deals`).

    Examples:
        >>> import graphkit as gk
        >>> data = gk.read(*gk.bundled_data("optd/optd_airline_alliance_membership.csv"))
        >>> sorted(data.groups["group"].unique())
        ['OneWorld', 'Skyteam', 'Star Alliance']
    """
    from graphkit.loaders import load_sources

    if len(sources) == 1 and isinstance(sources[0], (list, tuple)):
        sources = tuple(sources[0])
    return load_sources(list(sources), format, **options)


def partner_graph(data: PartnerData, *, as_of: object = None, window: float | None = None,
                  types: Sequence[str] | None = None, status: Sequence[str] | None = None,
                  ended_undated: str = "keep") -> nx.Graph:
    """The partner graph of the deals in force on `as_of` (or announced in the `window`
    years to it): organisations as nodes, ties weighted by deals.

    Examples:
        >>> import graphkit as gk
        >>> data = gk.read(*gk.bundled_data("optd/optd_airline_alliance_membership.csv"))
        >>> G = gk.partner_graph(data, as_of="2014-06-30")
        >>> G.number_of_nodes(), G.number_of_edges()
        (91, 1351)
    """
    from graphkit.projection import partner_graph as project

    return project(data, as_of=as_of, window=window, types=_listed(types),
                   statuses=_listed(status), ended_undated=ended_undated)


def read_graph(path: str | Path) -> nx.Graph:
    """A graph file (GraphML, GEXF, node-link JSON) as NetworkX, checked as the CLI does.

    Examples:
        >>> import graphkit as gk, networkx as nx, tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "g.graphml"
        >>> gk.write_graph(nx.Graph([("a", "b")]), path)
        'graphml'
        >>> sorted(gk.read_graph(path).edges)
        [('a', 'b')]
    """
    from graphkit.loaders.graph_files import read_graph_file

    return read_graph_file(path)


def write_graph(graph: nx.Graph, path: str | Path, format: str | None = None) -> str:
    """Write a graph (format from the suffix: .graphml, .gexf, .json), atomically.

    Examples:
        >>> import graphkit as gk, networkx as nx, tempfile, pathlib
        >>> gk.write_graph(nx.Graph([("a", "b")]), pathlib.Path(tempfile.mkdtemp()) / "g.json")
        'json'
    """
    from graphkit.graph_io import write_graph as write

    return write(graph, path, format)


def summarize_graph(graph: nx.Graph, top: int = 10) -> dict:
    """What `graphkit info` prints: organisations, ties, deals and deal-ties, components,
    density, time span, ties by type and the `top` organisations by partners.

    Examples:
        >>> import graphkit as gk, networkx as nx
        >>> facts = gk.summarize_graph(nx.Graph([("a", "b"), ("b", "c"), ("x", "y")]))
        >>> facts["organisations"], facts["ties"], facts["components"]
        (5, 3, 2)
    """
    from graphkit.info import graph_info

    return graph_info(graph, top=top)


def measure_centrality(graph: nx.Graph, measures: Sequence[str] | None = None, *,
                       pivots: int = 256, seed: int = 0) -> pd.DataFrame:
    """Centrality of every organisation: a DataFrame indexed by id with `name`, each
    measure and its rank, best first by the first measure. Betweenness and closeness use
    1/weight as a tie's length; the others use the weight as strength.

    Examples:
        >>> import graphkit as gk
        >>> G = nx.Graph([("a", "b"), ("b", "c")])
        >>> gk.measure_centrality(G, ["degree", "betweenness"])["betweenness"].to_dict()
        {'b': 1.0, 'a': 0.0, 'c': 0.0}
    """
    from graphkit.centrality import centrality_table

    table = centrality_table(graph, _listed(measures), pivots=pivots, seed=seed).table
    return table.set_index("id")


def find_ecosystems(graph: nx.Graph, algorithm: str = "louvain", *, resolution: float = 1.0,
                    seeds: int = 5, partition_file: str | Path | None = None):
    """Ecosystems (communities): the best-modularity partition of `seeds` seeded runs,
    each ecosystem named by its hub; `.partition.membership` maps id to ecosystem.

    Examples:
        >>> import graphkit as gk
        >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z")])
        >>> gk.find_ecosystems(G).partition.count
        2
    """
    from graphkit.ecosystems import find_ecosystems as detect

    return detect(graph, algorithm, resolution=resolution, seeds=seeds,
                  partition_file=None if partition_file is None else str(partition_file))


def analyze_graph(graph: nx.Graph, measures: Sequence[str] | None = None, *,
                  known_groups: pd.Series | str | None = None, **options: Any):
    """Centrality, ecosystems, their profiles and bridges, as `graphkit analyze` prints and
    writes them; with `known_groups` (id -> bloc, or the name of a node attribute such as
    "alliance") also how far the ecosystems agree with those blocs (NMI, adjusted Rand).
    `options` as `AnalysisOptions` (`algorithm`, `resolution`, `seeds`, `pivots`, ...).

    Examples:
        >>> import graphkit as gk, networkx as nx
        >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")])
        >>> result = gk.analyze_graph(G, ["degree", "betweenness"], seeds=2)
        >>> result.organisations.loc["c", ["degree", "betweenness"]].tolist()
        [3.0, 0.6666666666666666]
    """
    from graphkit.analyze import AnalysisOptions
    from graphkit.analyze import analyze as run

    if isinstance(known_groups, str):
        attribute = known_groups
        known_groups = pd.Series({n: d[attribute] for n, d in graph.nodes(data=True)
                                  if d.get(attribute) is not None}, dtype=object)
    return run(graph, AnalysisOptions(measures=_listed(measures), **options), known_groups)


def find_overlaps(source: PartnerData | nx.Graph, by: str = "partners", *,
                  weight: str = "none", top_k: int | None = None, min_shared: int = 1,
                  min_jaccard: float = 0.0, as_of: object = None) -> pd.DataFrame:
    """Pairs of organisations that share partners (`by="partners"`, from a graph) or
    airport-pair markets (`by="markets"`, from routes): shared count, Jaccard, overlap
    coefficient and cosine (and weighted Jaccard with `weight`: ties for partners;
    routes, seats or frequency for markets), with names (for markets, as of `as_of`).

    Examples:
        >>> import graphkit as gk
        >>> G = nx.Graph([("a", "x"), ("b", "x"), ("a", "y")])
        >>> gk.find_overlaps(G)[["a", "b", "shared", "jaccard"]].values.tolist()
        [['a', 'b', 1, 0.5], ['x', 'y', 1, 0.5]]
    """
    from graphkit.identities import graph_organizations, organizations_on
    from graphkit.overlaps import check_weight, market_footprints, overlap_table, partner_footprints

    check_weight(by, weight)
    if by == "markets":
        if not isinstance(source, PartnerData):  # (empty routes: market_footprints says)
            from graphkit.errors import InputError

            raise InputError("overlaps by markets need routes: give data read from airline "
                             "files (OpenFlights routes or OPTD segments)")
        footprints = market_footprints(source.routes,
                                       None if weight == "none" else weight)
        from graphkit.projection import check_selection

        names = organizations_on(source, check_selection(as_of, None)[0])
    else:
        graph = source if isinstance(source, nx.Graph) else partner_graph(source, as_of=as_of)
        footprints = partner_footprints(graph, weighted=weight == "ties")
        names = graph_organizations(graph)
    return overlap_table(footprints, names, weight=weight, top_k=top_k,
                         min_shared=min_shared, min_jaccard=min_jaccard)


def infer_codeshares(data: PartnerData, *, fdr: float = 0.05, min_lift: float = 2.0):
    """Codeshare partnerships inferred from routes flagged as codeshares: a binomial test
    per marketing/operating pair with Benjamini-Hochberg control (`.pairs`, `.tests`).

    Examples:
        >>> import graphkit as gk
        >>> found = gk.infer_codeshares(gk.read(*gk.bundled_data("openflights")))
        >>> len(found.pairs) > 150
        True
    """
    from graphkit.codeshares import infer_codeshares as infer

    return infer(data.routes, fdr=fdr, min_lift=min_lift)


def check_codeshares(data: PartnerData, inference: Any = None, as_of: object = None,
                     ) -> dict:
    """How far to believe the inferred codeshares, as `graphkit codeshares` prints it: the
    alliance check (membership in `data` and `as_of` given), the bundled controls and the
    held-out check. `inference` defaults to `infer_codeshares(data)`.

    Examples:
        >>> import graphkit as gk
        >>> report = gk.check_codeshares(gk.read(*gk.bundled_data()), as_of="2014-06-30")
        >>> report["pairs"], round(report["alliance_check"]["same_alliance_share"], 3)
        (193, 0.76)
    """
    from graphkit.codeshare_checks import validate
    from graphkit.dates import to_timestamp

    found = inference if inference is not None else infer_codeshares(data)
    return validate(found, data, to_timestamp(as_of, "as_of"))


def codeshare_graph(data: PartnerData, as_of: object = "2014-06-30", *, fdr: float = 0.05,
                    min_lift: float = 2.0) -> nx.Graph:
    """The network of inferred codeshare partnerships (see `infer_codeshares`), airlines named
    and marked with their alliance (and role) as of `as_of`; tie weight is route evidence.

    Examples:
        >>> import graphkit as gk
        >>> G = gk.codeshare_graph(gk.read(*gk.bundled_data()), as_of="2014-06-30")
        >>> G.number_of_edges(), G.nodes["LH"]["alliance"]
        (193, 'Star Alliance')
    """
    from graphkit.codeshares import codeshare_graph as network
    from graphkit.dates import to_timestamp

    return network(data, infer_codeshares(data, fdr=fdr, min_lift=min_lift),
                   to_timestamp(as_of, "as_of"))


def evolve(data: PartnerData, start: int | None = None, end: int | None = None, *,
           step: int = 1, window: float | None = 5.0,
           types: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per year end from `start` to `end`: the network of the deals in the
    `window` years to that date (in force on it when `window` is None) and its size,
    density, components and ecosystems.

    Examples:
        >>> import graphkit as gk
        >>> data = gk.read(*gk.bundled_data("optd/optd_airline_alliance_membership.csv"))
        >>> gk.evolve(data, 2012, 2014, window=None)[["date", "organisations"]].values.tolist()
        [['2012-12-31', 87], ['2013-12-31', 89], ['2014-12-31', 93]]
    """
    from graphkit.evolution import evolution_table, yearly_dates

    return evolution_table(data, yearly_dates(data, start, end, step), window=window,
                           types=_listed(types))


def panel(data: PartnerData, *, window: float | None = 5.0, start: int | None = None,
          end: int | None = None, step: int = 1, attribute: str | None = None,
          beta: float = 0.5, pivots: int = 256, seed: int = 0, lengths: str = "hops",
          workers: int | None = None) -> pd.DataFrame:
    """The organisation-year panel: one row per organisation active in each window of
    `window` years (None: every deal in force on the window's end) ending 31 December of
    `start`, `start + step`, ..., `end`, with the
    measures alliance research uses (`graphkit.panel_measures.COLUMNS`; formulas in the docs).
    `attribute` (country, sector, ...) gives partner diversity; `beta` is Bonacich's beta
    as a share of 1/lambda_max. Betweenness and closeness count hops, or take 1/deals as a
    tie's length with `lengths="deals"`. Windows run side by side on `workers` processes
    (default: all cores).

    Examples:
        >>> import graphkit as gk, pathlib, tempfile
        >>> from graphkit.synthetic import synthetic_deals
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "deals.csv"
        >>> synthetic_deals(2000, seed=1).to_csv(path, index=False)
        >>> table = gk.panel(gk.read(path), window=5, start=2000, end=2001)
        >>> table.groupby("window_end").size().tolist()
        [283, 278]
        >>> int(table["degree"].max())
        156
    """
    from graphkit.panel_measures import PanelOptions
    from graphkit.panel_measures import panel as organisation_years

    return organisation_years(data, PanelOptions(
        window=window, start=start, end=end, step=step, attribute=attribute,
        beta_share=beta, pivots=pivots, seed=seed, lengths=lengths, workers=workers))


def ego(graph: nx.Graph, org: str, depth: int = 1):
    """An organisation's ego network (by id or name): its partners with deals and
    ecosystem, and the metrics of the network `depth` ties around it.

    Examples:
        >>> import graphkit as gk, networkx as nx
        >>> G = nx.Graph([("a", "b"), ("a", "c"), ("c", "d")])
        >>> sorted(gk.ego(G, "a").partners["id"])
        ['b', 'c']
    """
    from graphkit.rivals import ego_network

    return ego_network(graph, org, depth, find_ecosystems(graph))


def compare(graph: nx.Graph, org_a: str, org_b: str):
    """Two organisations side by side (by id or name): shared and exclusive partners,
    overlap of their partner sets, shortest paths, ecosystems.

    Examples:
        >>> import graphkit as gk, networkx as nx
        >>> G = nx.Graph([("a", "x"), ("b", "x"), ("a", "y")])
        >>> side = gk.compare(G, "a", "b")
        >>> side.shared, side.measures["jaccard"]
        (['x'], 0.5)
    """
    from graphkit.rivals import compare as side_by_side

    return side_by_side(graph, org_a, org_b, find_ecosystems(graph))


def write_map(graph: nx.Graph, path: str | Path, **options: Any):
    """Write an interactive map (one offline HTML file); `options` as `MapOptions`
    (`color_by`, `size_by`, `top`, `min_weight`, `seed`, ...).

    Examples:
        >>> import graphkit as gk, networkx as nx, tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "m.html"
        >>> drawn = gk.write_map(nx.Graph([("a", "b")]), path)
        >>> len(drawn.payload["nodes"])
        2
    """
    from graphkit.maps import MapOptions
    from graphkit.maps import write_map as write

    return write(graph, path, MapOptions(**options))


def show_map(graph: nx.Graph, height: int = 640, **options: Any):
    """The interactive map inline in a Jupyter or VS Code notebook (last line of a cell).

    Examples:
        >>> import graphkit as gk, networkx as nx
        >>> view = gk.show_map(nx.Graph([("a", "b")]), height=400)
        >>> view._repr_html_().startswith("<iframe")
        True
    """
    from graphkit.maps import MapOptions
    from graphkit.maps import show_map as show

    return show(graph, MapOptions(**options), height)


def query(name: str, data: PartnerData, **params: object) -> pd.DataFrame:
    """A named query (`graphkit query --list`) answered from loaded data; parameters as
    keywords, organisations by id or name.

    Examples:
        >>> import graphkit as gk
        >>> data = gk.read(*gk.bundled_data("optd/optd_airline_alliance_membership.csv"))
        >>> len(gk.query("group_members", data, group="star alliance", as_of="2014-06-30"))
        28
    """
    from graphkit.queries.library import QUERIES, parse_params, run

    if name in QUERIES:
        params = parse_params(QUERIES[name], {k: str(v) for k, v in params.items()})
    return run(name, params, data=data)


def _listed(values: Sequence[str] | str | None) -> list[str] | None:
    if values is None:
        return None
    return [values] if isinstance(values, str) else list(values)


def predict(data: PartnerData, as_of: object, *, horizon: float = 3.0,
            window: float | None = None, top: int = 50, org: str | None = None,
            backtest: bool = False, sample: int = 200_000, seed: int = 0):
    """Who partners next: the `top` pairs that are not partners on `as_of`, ranked by the
    probability of a tie within `horizon` years (or `org`'s likeliest new partners), each
    with its signals and reason; with `backtest`, the ranking's ROC AUC, average precision
    and precision at `top` one horizon earlier, against each heuristic and a random
    ranking (`graphkit.tie_forecast` states the method). Returns a `Forecast`: `.table`,
    `.backtest.scores`, and `.dyads`, the dyad panel the model learnt from (candidate
    pairs of each earlier network, their signals, weight and whether they formed a tie).

    Examples:
        >>> import graphkit as gk
        >>> data = gk.read(*gk.bundled_data("optd/optd_airline_alliance_membership.csv"))
        >>> result = gk.predict(data, "2014-12-31", horizon=3, backtest=True)
        >>> result.backtest.positives, result.backtest.unreachable
        (52, 652)
        >>> scores = result.backtest.scores.set_index("ranking")["roc_auc"]
        >>> bool(scores["model"] > scores["random"])
        True
        >>> result.dyads.groupby("date")["formed"].sum().tolist()  # 2005, 2008, 2011
        [0, 23, 52]
    """
    from graphkit.errors import InputError
    from graphkit.projection import check_selection
    from graphkit.tie_forecast import ForecastOptions, forecast

    date, window = check_selection(as_of, window)
    if date is None:
        raise InputError("predict needs as_of, the date to forecast from (e.g. '2012-12-31')")
    options = ForecastOptions(as_of=date, horizon=horizon, window=window, sample=sample,
                              seed=seed, k=top)
    return forecast(data, options, top=top, org=org, with_backtest=backtest)
