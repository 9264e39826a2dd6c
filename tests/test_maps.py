"""Map building, pruning, positions, static images, notebook display and exports."""

import json

import networkx as nx
import pytest
from click.testing import CliRunner

from graphkit.console.cli import main
from graphkit.errors import InputError
from graphkit.graph_io import with_viz, write_graph
from graphkit.maps import (
    MapOptions,
    MapView,
    build_map,
    load_positions,
    render_html,
    save_positions,
    to_pyvis,
    write_image,
)


def sample() -> nx.Graph:
    graph = nx.Graph()
    for i, bloc in enumerate("AAABBBC"):
        graph.add_node(f"n{i}", name=f"Org {i}", bloc=bloc)
    graph.add_edges_from([("n0", "n1"), ("n1", "n2"), ("n0", "n2"), ("n3", "n4"), ("n4", "n5"),
                          ("n3", "n5"), ("n2", "n3")], weight=1.0, deals=1, types=["alliance"])
    graph.add_edge("n0", "n1", weight=4.0, deals=4, types=["alliance", "codeshare"],
                   first_year=2001, last_year=2009, deal_ids=["a", "b", "c", "d"])
    graph.add_edge("n5", "n6", weight=1.0, deals=1, types=["licensing"])
    return graph


def test_payload_colours_sizes_legend_and_tooltips():
    data = build_map(sample(), MapOptions(color_by="bloc", size_by="degree"))
    p = data.payload
    assert len(p["nodes"]) == 7 and len(p["edges"]) == 8
    assert [(g["group"], g["count"]) for g in p["legend"]] == [("A", 3), ("B", 3), ("C", 1)]
    by_id = {n["id"]: n for n in p["nodes"]}
    # Sizes grow from zero (degree 1 of 3 is sqrt(1/3) of the way), not from the
    # smallest value (which drew degree 27 as a dot beside 34).
    assert by_id["n6"]["size"] == pytest.approx(8 + 32 * (1 / 3) ** 0.5, abs=0.01)
    assert by_id["n3"]["size"] == 40.0  # the largest degree (3, tied with n2, n5)
    tip = dict(map(tuple, by_id["n0"]["tip"]))
    # n0-n2 lists no deal ids, so deals are unknown: the tooltip says deal-ties, not deals
    assert tip["partners"] == "2" and tip["deal-ties"] == "5" and tip["bloc"] == "A"
    assert "deals" not in tip
    edge = next(e for e in p["edges"] if {e["from"], e["to"]} == {"n0", "n1"})
    etip = dict(map(tuple, edge["tip"]))
    assert etip["deals"] == "4" and etip["types"] == "alliance, codeshare"
    assert etip["years"] == "2001–2009" and etip["evidence"] == "4 deal records"
    assert p["types"] == ["alliance", "codeshare", "licensing"]
    assert not p["physics"]


def test_missing_attribute_is_its_own_grey_group():
    graph = sample()
    del graph.nodes["n6"]["bloc"]
    legend = build_map(graph, MapOptions(color_by="bloc")).payload["legend"]
    assert legend[-1] == {"group": "no bloc", "color": "#b0b0b0", "count": 1}


def test_pruning():
    graph = sample()
    assert set(build_map(graph, MapOptions(k_core=2)).graph) == {f"n{i}" for i in range(6)}
    assert set(build_map(graph, MapOptions(min_weight=2)).graph) == {"n0", "n1"}
    ego = build_map(graph, MapOptions(ego="Org 6", depth=2)).graph
    assert set(ego) == {"n6", "n5", "n3", "n4"}
    top = build_map(graph, MapOptions(top=3, size_by="degree")).graph
    assert set(top) == {"n2", "n3", "n5"}  # the three of degree 3


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (MapOptions(size_by="fame"), "unknown size measure 'fame'"),
        (MapOptions(color_by="colour"), "unknown colour attribute 'colour'"),
        (MapOptions(ego="Org 66"), "did you mean"),
        (MapOptions(min_weight=10), "nothing left to draw"),
    ],
)
def test_bad_options(options, message):
    with pytest.raises(InputError, match=message):
        build_map(sample(), options)


def test_layout_is_seeded_and_positions_are_reused(tmp_path):
    graph = sample()
    first = build_map(graph, MapOptions(seed=3))
    again = build_map(graph, MapOptions(seed=3))
    assert first.positions == again.positions
    path = tmp_path / "layout.json"
    save_positions(first.positions, path)
    graph.add_edge("n6", "new", weight=1.0)
    later = build_map(graph, MapOptions(positions=load_positions(path)))
    for node in first.positions:
        assert later.positions[node] == pytest.approx(first.positions[node])
    assert "new" in later.positions
    (tmp_path / "bad.json").write_text("[1]", encoding="utf-8")
    with pytest.raises(InputError, match="expected a positions file"):
        load_positions(tmp_path / "bad.json")


def test_page_is_self_contained_and_safe():
    graph = sample()
    graph.nodes["n0"]["name"] = "</script><script>alert(1)</script>"
    page = render_html(build_map(graph, MapOptions(title="A & B")))
    assert "<title>A &amp; B</title>" in page
    assert "</script><script>alert(1)" not in page
    # Outside the inlined library, the page names no host at all; the library itself loads
    # nothing: no <script src>, no <link>, no CSS url() or @import anywhere.
    from graphkit.maps import _asset

    ours = page.replace(_asset("vis-network.min.js"), "").replace(_asset("vis-network.css"), "")
    assert len(ours) < len(page) - 100_000  # both assets were found and cut out
    assert "http://" not in ours and "https://" not in ours
    assert "<script src" not in page and "<link" not in page
    assert "url(http" not in page and "@import" not in page


def test_static_images(tmp_path):
    data = build_map(sample(), MapOptions(color_by="bloc"))
    write_image(data, tmp_path / "map.png")
    write_image(data, tmp_path / "map.svg")
    assert (tmp_path / "map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = (tmp_path / "map.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "Org 0" in svg
    with pytest.raises(InputError, match=r"png or \.svg"):
        write_image(data, tmp_path / "map.gif")


def overlapping(boxes: list) -> list:
    """Pairs of boxes (x0, y0, x1, y1) that share area."""
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]


def test_no_two_names_overlap_in_a_static_image(tmp_path):
    """A crowded map (a hub with 120 long-named partners, the demo codeshare map's
    centre): every name drawn has a box clear of every other, the largest organisation is
    named, and names are dropped rather than piled up. The boxes are matplotlib's own
    measure of the text as rendered (Text.get_window_extent)."""
    graph = nx.star_graph(120)
    graph.add_edges_from((i, i + 1) for i in range(1, 120, 2))
    for n in graph:
        graph.nodes[n]["name"] = "The Hub" if n == 0 else f"Partner Airline Number {n}"
    data = build_map(graph, MapOptions(color_by="ecosystem"))
    drawn = write_image(data, tmp_path / "crowded.png", labels=200)
    boxes = [label.box for label in drawn]
    assert overlapping(boxes) == []
    assert drawn[0].text == "The Hub"
    assert 10 < len(drawn) < 121
    alliance = nx.Graph()
    for bloc, size in (("Star", 28), ("Sky", 28), ("One", 28)):  # equal sizes: every bloc named
        members = [f"{bloc} member {i}" for i in range(size)]
        alliance.add_nodes_from(members, bloc=bloc)
        alliance.add_edges_from((a, b) for i, a in enumerate(members) for b in members[i + 1:])
    named = write_image(build_map(alliance, MapOptions(color_by="bloc")),
                        tmp_path / "blocs.png")
    assert overlapping([label.box for label in named]) == []
    assert {label.text.split()[0] for label in named[:3]} == {"Star", "Sky", "One"}


def test_notebook_view_and_pyvis_object():
    data = build_map(sample())
    html = MapView(data)._repr_html_()
    assert html.startswith("<iframe srcdoc=") and "vis.Network" in html
    net = to_pyvis(data)
    assert len(net.nodes) == 7 and len(net.edges) == 8


def test_gexf_carries_colours_sizes_positions(tmp_path):
    graph = sample()
    data = build_map(graph, MapOptions(color_by="bloc"))
    path = tmp_path / "g.gexf"
    write_graph(with_viz(graph, data.payload), path)
    back = nx.read_gexf(path)
    viz = back.nodes["n0"]["viz"]
    assert viz["color"]["r"] == 0x1F and viz["color"]["g"] == 0x77
    assert viz["position"]["x"] == pytest.approx(data.positions["n0"][0], abs=0.01)
    assert viz["size"] == pytest.approx(next(n["size"] for n in data.payload["nodes"]
                                             if n["id"] == "n0"))


def test_map_and_export_commands(tmp_path):
    graph_path = tmp_path / "g.graphml"
    write_graph(sample(), graph_path)
    runner = CliRunner()
    result = runner.invoke(main, ["map", str(graph_path), "--color-by", "bloc", "--out",
                                  str(tmp_path / "m.html"), "--save-positions",
                                  str(tmp_path / "pos.json"), "--image", str(tmp_path / "m.svg")])
    assert result.exit_code == 0, result.output
    assert "legend: A (3), B (3), C (1)" in result.output
    assert json.loads((tmp_path / "pos.json").read_text(encoding="utf-8")).keys() == set(
        sample().nodes)
    for fmt, name in (("gexf", "g.gexf"), ("json", "g.json"), ("csv", "tables")):
        result = runner.invoke(main, ["export", str(graph_path), "--format", fmt, "--out",
                                      str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    edges = (tmp_path / "tables" / "edges.csv").read_text(encoding="utf-8")
    assert "alliance; codeshare" in edges
    result = runner.invoke(main, ["map", str(graph_path), "--size-by", "fame", "--out",
                                  str(tmp_path / "bad.html")])
    assert result.exit_code == 1 and "unknown size measure" in result.output
    assert not (tmp_path / "bad.html").exists()


def test_a_small_network_leaves_room_between_its_nodes():
    """Ten organisations were laid out 140 px across with nodes up to 40 px: once the
    browser fitted the view, a triangle of equal hubs drew as one red blob. Each component
    is laid out by itself, nearest organisations about 100 px apart, and packed beside
    the others: no two nodes touch, and no component sits on another."""
    import itertools
    import math

    graph = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("f", "g"),
                      ("h", "i"), ("i", "j")])
    nodes = build_map(graph, MapOptions()).payload["nodes"]
    for one, two in itertools.combinations(nodes, 2):
        gap = math.dist((one["x"], one["y"]), (two["x"], two["y"]))
        assert gap > one["size"] + two["size"], (one["id"], two["id"])


def test_a_clique_opens_into_a_disc_and_components_are_packed_side_by_side():
    """Alliances are cliques: the force layout pulled each into a blob a few pixels wide
    (OneWorld's 35 members on top of each other); two cliques now sit side by side, each
    with its members apart."""
    import itertools
    import math

    graph = nx.Graph()
    graph.add_edges_from(itertools.combinations([f"a{i}" for i in range(30)], 2))
    graph.add_edges_from(itertools.combinations([f"b{i}" for i in range(20)], 2))
    payload = build_map(graph, MapOptions()).payload
    where = {n["id"]: (n["x"], n["y"]) for n in payload["nodes"]}
    for group in ("a", "b"):
        members = [xy for node, xy in where.items() if node.startswith(group)]
        nearest = min(math.dist(p, q) for p, q in itertools.combinations(members, 2))
        assert nearest > 40, (group, nearest)
    a_box = [max(abs(where[f"a{i}"][k] - where["a0"][k]) for i in range(30)) for k in (0, 1)]
    gaps = [math.dist(where[f"a{i}"], where[f"b{j}"]) for i in range(30) for j in range(20)]
    assert min(gaps) > 100 and max(a_box) < 2000


def test_known_blocs_keep_one_colour_and_legends_sort_numbers_as_numbers():
    """OneWorld was blue in the alliance map and green in the codeshare map (colours went
    by legend order); 'ecosystem 10' sorted before 'ecosystem 9'; past twenty groups the
    palette repeated (ecosystems 0 and 20 shared blue)."""
    first = nx.Graph([("a", "b"), ("c", "d"), ("e", "f")])
    nx.set_node_attributes(first, {"a": "OneWorld", "b": "OneWorld", "c": "Star Alliance",
                                   "d": "Star Alliance", "e": "SkyTeam", "f": "SkyTeam"},
                           "alliance")
    second = first.copy()
    second.add_edges_from([("s1", "s2"), ("s2", "s3")])
    nx.set_node_attributes(second, {"s1": "Star Alliance", "s2": "Star Alliance",
                                    "s3": "Star Alliance"}, "alliance")

    def colours(graph):
        legend = build_map(graph, MapOptions(color_by="alliance")).payload["legend"]
        return {entry["group"]: entry["color"] for entry in legend}

    assert colours(first)["OneWorld"] == colours(second)["OneWorld"]
    assert colours(first)["Star Alliance"] == colours(second)["Star Alliance"]
    many = nx.Graph()
    for i in range(25):  # 25 groups of two, group i of size 2 (group 0 of size 3)
        many.add_edge(f"n{i}a", f"n{i}b")
        many.nodes[f"n{i}a"]["bloc"] = many.nodes[f"n{i}b"]["bloc"] = f"bloc {i}"
    many.add_edge("n0a", "extra")
    many.nodes["extra"]["bloc"] = "bloc 0"
    legend = build_map(many, MapOptions(color_by="bloc")).payload["legend"]
    names = [entry["group"] for entry in legend]
    assert names[:4] == ["bloc 0", "bloc 1", "bloc 2", "bloc 3"] and "bloc 10" in names
    assert names.index("bloc 9") < names.index("bloc 10")
    assert names[-1] == "6 smaller groups" and len(names) == 20
    assert len({entry["color"] for entry in legend}) == 20


def test_ecosystems_of_a_large_component_sit_apart_and_it_fills_the_view():
    """A 6,130-organisation network drew as one grey ball with every ecosystem mixed
    through it, and its two-organisation components scattered far around. Four planted
    ecosystems (dense inside, a few ties across) now each sit in a disc that overlaps no
    other, and the main component takes most of the drawing beside 30 small components."""
    import itertools
    import math
    import random

    rng = random.Random(3)
    graph = nx.Graph()
    members = {g: [f"{g}{i}" for i in range(40)] for g in "ABCD"}
    for group in members.values():
        graph.add_edges_from((u, v) for u, v in itertools.combinations(group, 2)
                             if rng.random() < 0.3)
    every = [n for group in members.values() for n in group]
    graph.add_edges_from((u, v) for u, v in itertools.combinations(every, 2)
                         if u[0] != v[0] and rng.random() < 0.03)
    graph.add_edges_from((f"p{i}", f"q{i}") for i in range(30))
    payload = build_map(graph, MapOptions()).payload
    assert "each ecosystem in a disc of its own" in payload["made"]
    where = {n["id"]: (n["x"], n["y"]) for n in payload["nodes"]}
    # The layout's discs follow the detected ecosystems; the planted ones are found.
    group_of = {n["id"]: n["group"] for n in payload["nodes"]}
    found = {g: {group_of[n] for n in group} for g, group in members.items()}
    assert all(len(f) == 1 for f in found.values()), found
    discs = {}
    for g, group in members.items():
        cx = sum(where[n][0] for n in group) / len(group)
        cy = sum(where[n][1] for n in group) / len(group)
        discs[g] = (cx, cy, max(math.dist((cx, cy), where[n]) for n in group))
    for (a, (ax, ay, ar)), (b, (bx, by, br)) in itertools.combinations(discs.items(), 2):
        assert math.dist((ax, ay), (bx, by)) > ar + br, (a, b)

    def area(points):
        xs, ys = zip(*points, strict=True)
        return (max(xs) - min(xs)) * (max(ys) - min(ys))

    main = area([where[n] for n in every])
    assert main / area(where.values()) > 0.5


def test_the_overview_counts_every_organisation_and_tie_once():
    """`--overview`: one disc per ecosystem sized to hold its members, ties between two
    ecosystems summed into one (their count checked against the graph), every member
    in the page (hidden until its disc is clicked), the top organisations drawn."""
    import itertools
    import math
    import random

    rng = random.Random(5)
    graph = nx.Graph()
    members = {g: [f"{g}{i}" for i in range(30)] for g in "ABC"}
    for group in members.values():
        graph.add_edges_from((u, v) for u, v in itertools.combinations(group, 2)
                             if rng.random() < 0.4)
    every = [n for group in members.values() for n in group]
    graph.add_edges_from((u, v) for u, v in itertools.combinations(every, 2)
                         if u[0] != v[0] and rng.random() < 0.01)
    nx.set_edge_attributes(graph, 2, "deals")
    full = build_map(graph, MapOptions()).payload
    payload = build_map(graph, MapOptions(overview=True)).payload
    discs = [n for n in payload["nodes"] if n.get("kind") == "ecosystem"]
    organisations = [n for n in payload["nodes"] if n.get("kind") != "ecosystem"]
    assert len(discs) == 3 and payload["overview"]["ecosystems"] == 3
    assert sorted(n["id"] for n in organisations) == sorted(graph)
    assert {n["id"]: (n["x"], n["y"]) for n in organisations} == \
        {n["id"]: (n["x"], n["y"]) for n in full["nodes"]}
    disc_of = {n["id"]: n["eco"] for n in organisations}
    by_disc = {d["id"]: d for d in discs}
    for n in organisations:  # each member is inside its own disc
        d = by_disc[n["eco"]]
        assert math.dist((n["x"], n["y"]), (d["x"], d["y"])) + n["size"] <= d["size"] + 0.01
    assert sum(d["members"] for d in discs) == graph.number_of_nodes()
    crossing = [e for e in payload["edges"] if e.get("crossing")]
    expected = {}
    for u, v in graph.edges:
        if disc_of[u] != disc_of[v]:
            key = tuple(sorted((disc_of[u], disc_of[v])))
            expected[key] = expected.get(key, 0) + 1
    assert {tuple(sorted((e["from"], e["to"]))): e["weight"] for e in crossing} == expected
    assert all(dict(e["tip"])["deals"] == f"{2 * int(e['weight']):,}" for e in crossing)
    inside = [e for e in payload["edges"] if e.get("eco")]
    assert len(inside) + sum(expected.values()) == graph.number_of_edges()
    # The largest organisations are drawn from the start, the hub of every ecosystem too.
    assert {n["id"] for n in organisations if n["always"]} >= \
        {n["id"] for n in full["nodes"][:10]}
    assert "overview: 3 ecosystems as discs" in payload["made"]
    assert "overview" not in build_map(graph, MapOptions()).payload  # 90 is below the bar


def test_the_map_command_says_when_it_opens_as_an_overview():
    from click.testing import CliRunner

    from graphkit.console.cli import main
    from graphkit.map_overview import OVERVIEW_ABOVE

    shown = CliRunner().invoke(main, ["map", "--help"], terminal_width=200).output
    assert f"above {OVERVIEW_ABOVE:,} organisations" in " ".join(shown.split())


def test_the_renderer_is_chosen_by_size_and_a_contradiction_is_refused():
    """WebGL draws full maps past 5,000 organisations or 50,000 ties; the overview and
    --physics belong to vis-network, so asking for them with WebGL is one clear error."""
    from graphkit.errors import InputError
    from graphkit.maps import WEBGL_ABOVE

    small = sample()
    assert build_map(small, MapOptions()).payload["renderer"] == "vis"
    assert build_map(small, MapOptions(renderer="webgl")).payload["renderer"] == "webgl"
    many = nx.Graph()
    many.add_edges_from((f"a{i}", f"b{i}") for i in range(WEBGL_ABOVE[0] // 2 + 1))
    assert build_map(many, MapOptions(overview=False)).payload["renderer"] == "webgl"
    assert build_map(many, MapOptions()).payload["renderer"] == "vis"  # the overview
    for options, words in ((MapOptions(renderer="webgl", overview=True), "--no-overview"),
                           (MapOptions(renderer="webgl", physics=True), "--renderer vis")):
        with pytest.raises(InputError, match=words):
            build_map(small, options)
