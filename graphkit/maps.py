"""Interactive partner maps that open offline, settle at once and stay fast.

The page is one HTML file: vis-network (the version pyvis ships) and every style are
inlined, so opening it from disk requests nothing from any host. Node and edge lists are
built in bulk; the layout is computed in Python (igraph's seeded force-directed layouts)
and physics is off by default, so a map of thousands of organisations is drawn settled.
Tooltips are built as DOM elements from plain text (current vis-network shows `title`
strings as text, not HTML); names keep their accents and scripts (UTF-8 throughout).
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import networkx as nx
import numpy as np

from graphkit.atomic import atomic_open
from graphkit.centrality import MEASURES, centrality_table
from graphkit.counts import deal_ties, deals_per_organisation
from graphkit.ecosystems import DEFAULT_SEEDS, find_ecosystems
from graphkit.engine import Indexed, collector_paused, index_graph
from graphkit.errors import InputError, json_kind, one_line, quoted
from graphkit.lookup import find_node
from graphkit.map_layout import LARGE, layout
from graphkit.map_overview import OVERVIEW_ABOVE, overview_payload
from graphkit.summary import plural

# Twenty colours no two alike, none grey (grey is "no group" and the folded "smaller
# groups"): colorcet's glasbey_category10 (Glasbey et al. 2007, CC BY 4.0), which begins
# with matplotlib's ten category colours, less its grey, its pale yellow, its mint and
# its deep violet (beside Star Alliance's navy).
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#bcbd22", "#17becf", "#ad8944", "#004301", "#5e0040", "#bcbcff", "#d8afa2",
           "#b80080", "#004e53", "#6b6500", "#7d0200", "#6126ff", "#8cb894"]
NONE_LABEL = "no {attribute}"
OTHER_LABEL = "{count} smaller groups"
MAX_GROUPS = 20  # legend entries with a colour of their own; the rest share one
OTHER_COLOUR = "#d9d9d9"
_FOLDED = re.compile(r"\d+ smaller groups")
# One colour per known bloc in every map (the alliance map and the codeshare map agree),
# keyed by the name folded to letters: colours kept out of the palette's turn.
KNOWN_COLOURS = {"staralliance": "#393b79", "oneworld": "#d62728", "skyteam": "#17becf"}
NONE_COLOUR = "#b0b0b0"
CROSSING_COLOUR = "#787878"  # a tie between two groups
RENDERERS = ("auto", "vis", "webgl")
# vis-network draws 2,000 organisations settled in under a second and 6,000 with 50,000
# ties in several; past either figure a full map is drawn with WebGL.
WEBGL_ABOVE = (5000, 50_000)
PHYSICS_LIMIT = 1000  # above this many organisations, physics stays off even if asked


@dataclass
class MapOptions:
    """What a map shows and how it was made."""

    color_by: str = "ecosystem"
    size_by: str = "degree"
    title: str = "Partner network"
    note: str = ""
    seed: int = 0
    top: int | None = None
    min_weight: float | None = None
    k_core: int | None = None
    ego: str | None = None
    depth: int = 1
    physics: bool = False
    positions: dict = field(default_factory=dict)  # node -> (x, y), reused where present
    # Ecosystem detection, the same as `graphkit analyze` (on the whole graph, before
    # pruning), or a partition saved by it.
    communities: str = "louvain"
    seeds: int = DEFAULT_SEEDS
    resolution: float = 1.0
    ecosystems_file: str | None = None
    # One disc per ecosystem with its top organisations, members on a click: True, False,
    # or None for automatic (above OVERVIEW_ABOVE organisations).
    overview: bool | None = None
    # "vis" (vis-network: tie tooltips, physics), "webgl" (sigma.js: hundreds of thousands
    # of ties), or "auto": WebGL for a full map above WEBGL_ABOVE organisations or ties.
    renderer: str = "auto"


@dataclass
class MapData:
    """Everything the page draws, ready to serialise, plus the positions used."""

    graph: nx.Graph
    payload: dict
    positions: dict
    legend: dict  # group -> colour


def prune(graph: nx.Graph, options: MapOptions, size_values: dict | None = None) -> nx.Graph:
    """Apply ego, k-core, minimum tie weight and top-N pruning (in that order)."""
    pruned = graph
    if options.ego:
        centre = find_node(graph, options.ego)
        pruned = nx.ego_graph(pruned, centre, radius=options.depth)
    if options.k_core:
        pruned = nx.k_core(nx.Graph(pruned), options.k_core)
    if options.min_weight is not None:
        keep = [(u, v) for u, v, d in pruned.edges(data=True)
                if float(d.get("weight", 1.0)) >= options.min_weight]
        pruned = pruned.edge_subgraph(keep)
    if options.top:
        values = size_values if size_values is not None else dict(pruned.degree())
        ranked = sorted(pruned.nodes, key=lambda n: (-values.get(n, 0), str(n)))
        pruned = pruned.subgraph(ranked[: options.top])
        pruned = pruned.subgraph([n for n in pruned if pruned.degree(n) > 0])
    if pruned.number_of_nodes() == 0:
        raise InputError("nothing left to draw after pruning: loosen --top, --min-weight, "
                         "--k-core or --ego")
    return pruned if pruned is graph else nx.Graph(pruned)


def node_values(graph: nx.Graph, measure: str, seed: int = 0,
                indexed: Indexed | None = None) -> dict:
    """Values to size nodes by: a centrality measure or a numeric node attribute."""
    if measure in MEASURES:
        table = centrality_table(indexed or graph, [measure], seed=seed).table
        return dict(zip(table["id"], table[measure], strict=True))
    values = {n: d.get(measure) for n, d in graph.nodes(data=True)}
    if all(v is None for v in values.values()):
        raise InputError(f"unknown size measure {quoted(measure)}: choose a centrality measure "
                         f"({', '.join(MEASURES)}) or a numeric node attribute "
                         f"({', '.join(_attributes(graph, numeric=True)) or 'none'})")
    try:
        return {n: float(v) if v is not None else 0.0 for n, v in values.items()}
    except (TypeError, ValueError):
        raise InputError(f"node attribute {quoted(measure)} is not numeric") from None


def detects_ecosystems(graph: nx.Graph, attribute: str) -> bool:
    """True when colouring by ecosystem means detecting them (no node carries one)."""
    return attribute == "ecosystem" and not any("ecosystem" in d for _, d in
                                                graph.nodes(data=True))


def node_groups(graph: nx.Graph, attribute: str, options: MapOptions | None = None,
                drawn: nx.Graph | None = None) -> tuple[dict, str]:
    """Group per drawn node, and how the groups were made: a node attribute, or the
    ecosystems of the whole graph (`find_ecosystems`, named by their hubs)."""
    drawn = graph if drawn is None else drawn
    if detects_ecosystems(graph, attribute):
        options = options or MapOptions()
        found = find_ecosystems(graph, options.communities, seeds=options.seeds,
                                resolution=options.resolution,
                                partition_file=options.ecosystems_file)
        return ({n: found.label_of(n) for n in drawn},
                f"ecosystems ({found.method}; modularity {found.partition.modularity:.3f})")
    values = {n: d.get(attribute) for n, d in graph.nodes(data=True)}
    if all(v is None for v in values.values()):
        raise InputError(f"unknown colour attribute {quoted(attribute)}: the nodes carry "
                         f"{', '.join(_attributes(graph)) or 'no attributes'} (or use "
                         "'ecosystem')")
    missing = NONE_LABEL.format(attribute=attribute)
    return {n: missing if values[n] is None else str(values[n]) for n in drawn}, attribute


def _attributes(graph: nx.Graph, numeric: bool = False) -> list[str]:
    keys: set[str] = set()
    for _, d in graph.nodes(data=True):
        keys.update(k for k, v in d.items()
                    if not numeric or (isinstance(v, (int, float)) and not isinstance(v, bool)))
    return sorted(keys)


def _natural(text: str) -> list:
    """'ecosystem 9' before 'ecosystem 10': numbers compared as numbers."""
    return [int(part) if part.isdigit() else part.casefold()
            for part in re.split(r"(\d+)", text)]


def _fold_small_groups(groups: dict, counts: dict, missing: str) -> tuple[dict, dict]:
    """Past MAX_GROUPS, the smallest groups share one legend entry (toggled together);
    each node's tooltip still names its own group."""
    named = [g for g in counts if g != missing]
    if len(named) <= MAX_GROUPS:
        return groups, counts
    keep = set(sorted(named, key=lambda g: (-counts[g], _natural(g)))[:MAX_GROUPS - 1])
    other = OTHER_LABEL.format(count=len(named) - len(keep))
    folded = {n: (g if g in keep or g == missing else other) for n, g in groups.items()}
    return folded, dict(Counter(folded.values()))


def group_colours(counts: dict, missing: str) -> dict:
    """Legend order and colours: largest group first (numbers in names compared as
    numbers), 'no ...' and the folded smaller groups last; known blocs keep their colour
    in every map, the others take the palette's colours in turn."""
    def last(g: str) -> int:
        return 2 if g == missing else 1 if _FOLDED.fullmatch(g) else 0

    def bloc(g: str) -> str:
        return re.sub(r"[^a-z]", "", g.casefold())

    ordered = sorted(counts, key=lambda g: (last(g), -counts[g], _natural(g)))
    fixed = {g: KNOWN_COLOURS[bloc(g)] for g in ordered if bloc(g) in KNOWN_COLOURS}
    free = iter(c for c in PALETTE if c not in fixed.values())
    legend = {}
    for g in ordered:
        if g == missing:
            legend[g] = NONE_COLOUR
        elif last(g):
            legend[g] = OTHER_COLOUR
        else:
            legend[g] = fixed.get(g) or next(free, PALETTE[len(legend) % len(PALETTE)])
    return legend


def _reused(graph: nx.Graph, positions: dict) -> str:
    """How many organisations took their place from a positions file: none is worth
    saying (a file from another network), not 'reused'."""
    reused = sum(1 for n in graph if n in positions)
    if not reused:
        return " (the positions file places none of these organisations: laid out afresh)"
    return f" (positions reused for {reused:,} of {graph.number_of_nodes():,})"


def build_map(graph: nx.Graph, options: MapOptions | None = None) -> MapData:
    """Prune, measure, colour, lay out: everything a map needs, without writing it."""
    with collector_paused():
        return _build_map(graph, options or MapOptions())


def _build_map(graph: nx.Graph, options: MapOptions) -> MapData:
    if graph.number_of_nodes() == 0:
        raise InputError("the graph is empty: nothing to draw")
    full_values = node_values(graph, options.size_by, options.seed) if options.top else None
    drawn = prune(graph, options, full_values)
    ix = index_graph(drawn)
    values = node_values(drawn, options.size_by, options.seed, ix)
    groups, colour = node_groups(graph, options.color_by, options, drawn)
    counts = dict(Counter(groups.values()))
    missing = NONE_LABEL.format(attribute=options.color_by)
    shown_groups = groups  # each node's own group, for its tooltip
    groups, counts = _fold_small_groups(groups, counts, missing)
    legend = group_colours(counts, missing)
    overview = options.overview
    if overview is None:  # automatic: above OVERVIEW_ABOVE, unless WebGL is asked for
        overview = options.renderer != "webgl" and drawn.number_of_nodes() > OVERVIEW_ABOVE
    renderer = _renderer(options, overview, drawn)
    large = max(map(len, ix.graph.connected_components()), default=0) > LARGE
    laid_out = not (options.positions and all(n in options.positions for n in drawn))
    clusters = (_ecosystems_drawn(graph, drawn, options, ix, shown_groups)
                if overview or (large and laid_out) else None)
    positions = layout(drawn, options.seed, options.positions, ix, clusters)
    ranks = _ranks(values)
    low, high = (min(values.values()), max(values.values())) if values else (0, 0)

    # Sizes grow from zero for measures that cannot be negative, so 27 and 34 partners
    # look alike (scaled from the smallest, 27 drew as a dot beside 34's disc).
    base = min(low, 0.0)

    def size(v: float) -> float:
        if high <= base:
            return 14.0
        return round(8 + 32 * math.sqrt((v - base) / (high - base)), 2)

    nodes = []
    # Partners and deals count the whole graph, not only what this map draws.
    deals = deals_per_organisation(graph)
    where = "" if drawn.number_of_nodes() == graph.number_of_nodes() else " in this map"
    for n, d in drawn.nodes(data=True):
        label = str(d.get("name", n))
        tip = [("id", n), ("partners", graph.degree(n)),
               ("deals", deals[n]) if deals is not None
               else ("deal-ties", deal_ties(graph, n)),
               (options.size_by, f"{values[n]:.4g} (rank {ranks[n]} of {len(values)}{where})"),
               (options.color_by, shown_groups[n])]
        tip += [(k, d[k]) for k in ("country", "kind", "routes", "markets") if d.get(k)]
        if d.get("identity_note"):
            tip.append(("identity in doubt", d["identity_note"]))
        x, y = positions[n]
        nodes.append({"id": str(n), "label": label, "group": groups[n],
                      "color": legend[groups[n]], "size": size(values[n]), "x": x, "y": y,
                      "tip": [[k, str(v)] for k, v in tip]})
    nodes = _naming_order(nodes)
    edges = []
    types: set[str] = set()
    edge_alpha = tie_opacity(drawn.number_of_edges())
    for u, v, d in drawn.edges(data=True):
        kinds = [str(t) for t in (d.get("types") or [])]
        types.update(kinds)
        tip = [("deals", d.get("deals", 1)), ("weight", f"{float(d.get('weight', 1)):.3g}")]
        if kinds:
            tip.append(("types", ", ".join(kinds)))
        if d.get("first_year") is not None:
            tip.append(("years", f"{d['first_year']}–{d.get('last_year', d['first_year'])}"))
        if d.get("deal_ids"):
            tip.append(("evidence", plural(len(d["deal_ids"]), "deal record")))
        # A tie inside a group takes the group's colour, one across groups stays grey: the
        # ecosystems read as coloured discs, not as one grey web.
        inside = groups[u] == groups[v]
        edges.append({"from": str(u), "to": str(v), "weight": float(d.get("weight", 1.0)),
                      "types": kinds, "tip": [[k, str(val)] for k, val in tip],
                      "color": legend[groups[u]] if inside else CROSSING_COLOUR,
                      "alpha": edge_alpha * (1.0 if inside else 0.5), "across": not inside})
    physics = options.physics and drawn.number_of_nodes() <= PHYSICS_LIMIT
    selection = graph.graph.get("selection")
    made = (f"graphkit map: {drawn.number_of_nodes():,} of {graph.number_of_nodes():,} "
            f"organisations, {plural(drawn.number_of_edges(), 'tie')}"
            + (f" ({selection})" if selection else "")
            + f"; colour: {colour}; "
            f"size: {options.size_by}; layout: igraph force-directed"
            + (", each ecosystem in a disc of its own" if large and laid_out else "")
            + f", seed {options.seed}"
            + (_reused(drawn, options.positions) if options.positions else "")
            + ("; drawn with WebGL (sigma.js)" if renderer == "webgl" else "")
            + ("; kept: " + ", ".join(_pruning(options, graph)) if _pruning(options, graph)
               else ""))
    payload = {
        "title": options.title, "note": options.note, "made": made,
        "nodes": nodes, "edges": edges,
        "legend": [{"group": g, "color": legend[g], "count": counts[g]} for g in legend],
        "types": sorted(types),
        "maxWeight": max((e["weight"] for e in edges), default=1.0),
        "physics": physics,
        "renderer": renderer,
    }
    if overview:
        coloured = detects_ecosystems(graph, options.color_by)
        colour_of = {clusters[n]: legend[groups[n]] for n in drawn} if coloured else {}
        payload = overview_payload(payload, drawn, {str(n): c for n, c in clusters.items()},
                                   colour_of, CROSSING_COLOUR)
        if options.overview is None:
            payload["made"] += (f" (above {OVERVIEW_ABOVE:,} organisations a map opens as "
                                "its overview; --no-overview draws every one)")
    return MapData(graph=drawn, payload=payload, positions=positions, legend=legend)


def _renderer(options: MapOptions, overview: bool, drawn: nx.Graph) -> str:
    """Which library draws the page: the overview (a few discs, members on demand) and
    small maps by vis-network, full maps past WEBGL_ABOVE by sigma.js's WebGL."""
    if options.renderer not in RENDERERS:
        raise InputError(f"unknown renderer {quoted(options.renderer)}: choose "
                         f"{', '.join(RENDERERS)}")
    if options.renderer == "webgl" and overview:
        raise InputError("the overview is drawn by vis-network: drop --renderer webgl, or "
                         "add --no-overview to draw every organisation with WebGL")
    if options.renderer == "webgl" and options.physics:
        raise InputError("--physics moves organisations in vis-network only: drop it, or "
                         "use --renderer vis")
    if options.renderer != "auto":
        return options.renderer
    big = (drawn.number_of_nodes() > WEBGL_ABOVE[0]
           or drawn.number_of_edges() > WEBGL_ABOVE[1])
    return "webgl" if big and not overview else "vis"


def tie_opacity(ties: int) -> float:
    """How opaque ties are drawn: 0.35 up to 1,000 ties, then fading with their square
    root (down to 0.04), so 50,000 ties are a haze the organisations show through, not a
    grey sheet over them."""
    return round(max(0.04, min(0.35, 0.35 * math.sqrt(1000 / max(ties, 1)))), 3)


def _ecosystems_drawn(graph: nx.Graph, drawn: nx.Graph, options: MapOptions, ix: Indexed,
                      groups: dict) -> dict:
    """Each drawn organisation's ecosystem, for the layout's discs and the overview: the
    colours' own when the map is coloured by detected ecosystems, else the drawn graph's,
    so a map coloured by alliance still has its ecosystems apart."""
    if detects_ecosystems(graph, options.color_by):
        return groups
    found = find_ecosystems(drawn, options.communities, seeds=options.seeds,
                            resolution=options.resolution, ix=ix)
    return {n: found.label_of(n) for n in drawn}


def _naming_order(nodes: list[dict]) -> list[dict]:
    """Nodes in the order maps name them: largest first; among equals (an alliance, where
    every member has the same degree) each group's first before any group's second, so
    one group is not named alphabetically while the others stay blank."""
    turn: Counter = Counter()
    keyed = []
    for n in sorted(nodes, key=lambda n: (-n["size"], _natural(n["label"]), n["id"])):
        keyed.append(((-n["size"], turn[(n["size"], n["group"])]), len(keyed), n))
        turn[(n["size"], n["group"])] += 1
    return [n for *_, n in sorted(keyed, key=lambda k: k[:2])]


def _pruning(options: MapOptions, graph: nx.Graph) -> list[str]:
    parts = []
    if options.ego:
        centre = find_node(graph, options.ego)
        name = graph.nodes[centre].get("name", centre)
        parts.append(f"ego network of {name} [{centre}], depth {options.depth}")
    if options.k_core:
        parts.append(f"the {options.k_core}-core")
    if options.min_weight is not None:
        parts.append(f"ties of weight >= {options.min_weight:g}")
    if options.top:
        parts.append(f"top {options.top} by {options.size_by}")
    return parts


def _ranks(values: dict) -> dict:
    ordered = sorted(values, key=lambda n: (-values[n], str(n)))
    ranks, last, rank = {}, None, 0
    for i, n in enumerate(ordered, 1):
        if values[n] != last:
            rank, last = i, values[n]
        ranks[n] = rank
    return ranks


# vis-network's files come with pyvis; sigma.js and graphology are vendored (see
# templates/vendor/README.md for their versions, sources and licences).
VIS_LIBRARY = ("vis-network.css", "vis-network.min.js")
WEBGL_LIBRARIES = ("vendor/graphology-0.26.0.umd.min.js", "vendor/sigma-3.0.3.min.js")


def _asset(name: str) -> str:
    if name in VIS_LIBRARY:
        return resources.files("pyvis").joinpath("templates", "lib", "vis-9.1.2", name)\
            .read_text("utf-8")
    return resources.files("graphkit").joinpath("templates", *name.split("/"))\
        .read_text("utf-8")


def render_html(data: MapData) -> str:
    """The complete, self-contained page: the shell, the renderer's library and script,
    and the data, each put in once (a placeholder inside an inserted part stays text)."""
    webgl = data.payload.get("renderer") == "webgl"
    parts = {
        "__LIBRARY_CSS__": "" if webgl else _asset("vis-network.css"),
        "__LIBRARIES__": ("\n".join(_asset(name) for name in WEBGL_LIBRARIES) if webgl
                          else _asset("vis-network.min.js")),
        "__COMMON_JS__": _asset("map_common.js"),
        "__RENDERER_JS__": _asset("map_webgl.js" if webgl else "map_vis.js"),
        "__TITLE__": html.escape(data.payload["title"]),
        "__DATA__": script_json(_compact(data.payload) if webgl else data.payload),
    }
    return re.sub("|".join(parts), lambda found: parts[found.group(0)], _asset("map.html"))


def _compact(payload: dict) -> dict:
    """The payload with its ties as columns (ends as node positions, colours and types
    as indexes), a third of the size of one object per tie: a 246,000-tie map."""
    index = {n["id"]: i for i, n in enumerate(payload["nodes"])}
    kinds = {t: i for i, t in enumerate(payload["types"])}
    edges = payload["edges"]
    colours = sorted({e["color"] for e in edges})
    colour = {c: i for i, c in enumerate(colours)}
    ties = {"ends": [index[e[end]] for e in edges for end in ("from", "to")],
            "weight": [e["weight"] for e in edges],
            "types": [[kinds[t] for t in e["types"]] for e in edges],
            "colours": colours, "colour": [colour[e["color"]] for e in edges],
            "alpha": [e["alpha"] for e in edges], "across": [int(e["across"]) for e in edges]}
    return {**{k: v for k, v in payload.items() if k != "edges"}, "ties": ties}


def script_json(value: object) -> str:
    """JSON safe to inline in a <script> element: <, >, & and the two line separators
    JavaScript refuses in strings are \\u escapes, so no name ('</script>', '<!--') can end
    or comment out the script."""
    blob = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        blob = blob.replace(char, escape)
    return blob


def write_map(graph: nx.Graph, path: str | Path, options: MapOptions | None = None) -> MapData:
    """Build and write a map atomically (UTF-8); returns what was drawn."""
    data = build_map(graph, options)
    with collector_paused():
        page = render_html(data)
    with atomic_open(path, "w") as handle:
        handle.write(page)
    return data


def save_positions(positions: dict, path: str | Path) -> None:
    """Write positions as JSON {id: [x, y]} to reuse with --positions."""
    with atomic_open(path) as handle:
        json.dump({str(k): [float(v[0]), float(v[1])] for k, v in positions.items()}, handle,
                  ensure_ascii=False, indent=0)


def load_positions(path: str | Path) -> dict:
    """Read positions written by save_positions (one clear error if malformed)."""
    from graphkit.loaders.tables import check_readable

    p = check_readable(path)
    expected = "expected a positions file (JSON {id: [x, y]}, as --save-positions writes)"
    try:
        raw = json.loads(p.read_text(encoding="utf-8-sig"))
    except RecursionError:
        raise InputError(f"{expected}: it is nested too deeply", file=p) from None
    except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError is a ValueError
        raise InputError(f"{expected}: {one_line(exc)}", file=p) from None
    if not isinstance(raw, dict):
        raise InputError(f"{expected}, not {json_kind(raw)}", file=p)
    positions = {}
    for key, value in raw.items():
        xy = _coordinates(value)
        if xy is None:
            raise InputError(f"{expected}: the position of \"{one_line(key)[:80]}\" is not two "
                             f"numbers between -{POSITION_LIMIT:,.0f} and "
                             f"{POSITION_LIMIT:,.0f}", file=p)
        positions[key] = xy
    return positions


# Layouts span about 45·√n pixels (45,000 at a million organisations): a coordinate far
# past this is not a position, and would break the image's axes.
POSITION_LIMIT = 1e7


def _coordinates(value: object) -> tuple[float, float] | None:
    if not isinstance(value, list) or len(value) != 2:
        return None
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        return None
    try:
        x, y = float(value[0]), float(value[1])
    except OverflowError:  # an integer with hundreds of digits
        return None
    if not (math.isfinite(x) and math.isfinite(y)) or max(abs(x), abs(y)) > POSITION_LIMIT:
        return None
    return x, y


class MapView:
    """Shows a map inline in Jupyter or VS Code notebooks (an iframe with the page inlined,
    so no file, server or CDN is needed and the cell is never blank)."""

    def __init__(self, data: MapData, height: int = 640) -> None:
        self.data = data
        self.height = height

    def _repr_html_(self) -> str:
        page = html.escape(render_html(self.data), quote=True)
        return (f'<iframe srcdoc="{page}" style="width:100%;height:{self.height}px;border:0" '
                'sandbox="allow-scripts"></iframe>')


def show_map(graph: nx.Graph, options: MapOptions | None = None, height: int = 640) -> MapView:
    """A map to display in a notebook cell: `show_map(graph)` as the cell's last line."""
    return MapView(build_map(graph, options), height)


def write_image(data: MapData, path: str | Path, labels: int = 60) -> list[ImageLabel]:
    """A static PNG or SVG of the map (same positions, colours, sizes and legend), for
    reports and slides. Up to `labels` organisations are named, largest first, each only
    where its name touches no other name: returns the names drawn and their boxes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    suffix = Path(path).suffix.lower()
    if suffix not in (".png", ".svg"):
        raise InputError(f"static images are .png or .svg, not {quoted(suffix or '(no suffix)')}")
    # An overview draws its ecosystems' discs and the organisations shown on them.
    discs = [n for n in data.payload["nodes"] if n.get("kind") == "ecosystem"]
    nodes = [n for n in data.payload["nodes"]
             if n.get("kind") != "ecosystem" and (not n.get("eco") or n.get("always"))]
    shown = {n["id"] for n in nodes} | {n["id"] for n in discs}
    ties = [e for e in data.payload["edges"] if e["from"] in shown and e["to"] in shown]
    where = {n["id"]: (n["x"], -n["y"]) for n in discs + nodes}  # screen y grows down
    fig, ax = plt.subplots(figsize=(12, 9), dpi=150)
    from matplotlib.collections import PatchCollection
    from matplotlib.colors import to_rgba_array
    from matplotlib.patches import Circle

    if discs:
        fill = to_rgba_array([n["color"] for n in discs])
        fill[:, 3] = data.payload["overview"]["bubbleAlpha"]
        ax.add_collection(PatchCollection(
            [Circle(where[n["id"]], n["size"]) for n in discs], facecolors=fill,
            edgecolors=[n["color"] for n in discs], linewidths=1.2, zorder=0))
    segments = [(where[e["from"]], where[e["to"]]) for e in ties]
    weights = np.array([e["weight"] for e in ties] or [1.0])
    widths = 0.3 + 2.5 * np.sqrt(weights / weights.max())
    colours = to_rgba_array([e["color"] for e in ties] or ["#888888"])
    colours[:, 3] = [e["alpha"] for e in ties] or [0.35]
    ax.add_collection(LineCollection(segments, linewidths=widths, colors=colours, zorder=1))
    ax.scatter([where[n["id"]][0] for n in nodes], [where[n["id"]][1] for n in nodes],
               s=[(n["size"] * 0.9) ** 2 / 4 for n in nodes], c=[n["color"] for n in nodes],
               edgecolors="white", linewidths=0.5, zorder=2)
    ax.set_axis_off()
    ax.autoscale()
    ax.set_aspect("equal")
    placed = _fitting_labels(fig, ax, discs + nodes, where, labels)
    handles = [Line2D([], [], marker="o", linestyle="", color=g["color"],
                      label=_text(f"{g['group']} ({g['count']})"))
               for g in data.payload["legend"]]
    # Beside the drawing, not on it: inside the axes it covered nodes and labels.
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0,
              fontsize=8, frameon=False, ncol=max(1, len(handles) // 30 + 1))
    ax.set_title(_text(data.payload["title"]), fontsize=12)
    fig.text(0.01, 0.01, _text(data.payload["note"] + "\n" + data.payload["made"]), fontsize=6,
             color="#555555", wrap=True)
    with atomic_open(path, "wb") as handle:
        fig.savefig(handle, format=suffix[1:], bbox_inches="tight")
    plt.close(fig)
    return placed


@dataclass(frozen=True)
class ImageLabel:
    """A name drawn on a static map and its box in the figure's pixels (x0, y0, x1, y1)."""

    id: str
    text: str
    box: tuple[float, float, float, float]


def _fitting_labels(fig, ax, nodes: list[dict], where: dict, limit: int) -> list[ImageLabel]:
    """Name the largest organisations first and keep a name only if its box overlaps no
    name already kept (Gephi's 'label adjust' leaves overlaps; dropping them keeps every
    drawn name readable). Boxes are measured by the renderer that saves the image."""
    ax.apply_aspect()  # 'equal' moves the axes at draw time: measure where they will be
    renderer = fig.canvas.get_renderer()
    kept: list[ImageLabel] = []
    boxes: list = []
    for n in nodes[:limit * 4]:  # the payload is in naming order
        if len(kept) == limit:
            break
        x, y = where[n["id"]]
        # Under a marker: its radius in points and a gap; an ecosystem's, in its middle.
        disc = n.get("kind") == "ecosystem"
        above = 0 if disc else n["size"] * 0.225 + 1.5
        note = ax.annotate(_text(n["label"]), (x, y), fontsize=7, ha="center",
                           va="center" if disc else "bottom",
                           zorder=3, xytext=(0, above), textcoords="offset points",
                           bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none",
                                 "alpha": 0.6})
        box = note.get_window_extent(renderer).padded(1)
        if any(box.overlaps(other) for other in boxes):
            note.remove()
            continue
        boxes.append(box)
        kept.append(ImageLabel(str(n["id"]), n["label"],
                               (box.x0, box.y0, box.x1, box.y1)))
    return kept


def _text(value: str) -> str:
    """Names are text, never markup: matplotlib reads $...$ as mathematics. Control
    characters have no glyph: they become spaces (line breaks stay)."""
    return _NO_GLYPH.sub(" ", str(value)).replace("$", r"\$")


_NO_GLYPH = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def to_pyvis(data: MapData):
    """The same map as a pyvis Network (node and edge lists filled in bulk), for users who
    continue in pyvis. Its own HTML output fetches assets from CDNs; `write_map` does not."""
    from pyvis.network import Network

    net = Network(height="760px", width="100%", cdn_resources="remote")
    net.nodes = [{"id": n["id"], "label": n["label"], "color": n["color"], "size": n["size"],
                  "x": n["x"], "y": n["y"], "title": "\n".join(f"{k}: {v}" for k, v in n["tip"]),
                  "shape": "dot"} for n in data.payload["nodes"]]
    net.node_ids = [n["id"] for n in net.nodes]
    net.node_map = {n["id"]: n for n in net.nodes}
    net.edges = [{"from": e["from"], "to": e["to"], "value": e["weight"],
                  "title": "\n".join(f"{k}: {v}" for k, v in e["tip"])}
                 for e in data.payload["edges"]]
    net.toggle_physics(data.payload["physics"])
    return net
