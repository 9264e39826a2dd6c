"""Maps opened in a real headless Chromium, offline: drawn, settled, no errors, no requests."""

import io
import time
from pathlib import Path

import pytest
from browser import MISSING, REQUIRED, chromium, console_errors, open_map, requests_made
from helpers import map_payload

if MISSING and REQUIRED:
    raise RuntimeError(MISSING)
pytestmark = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="module")
def driver():
    with chromium() as d:
        yield d


def drawn(driver) -> tuple[int, int]:
    return tuple(driver.execute_script(
        "var b = window.graphkitMap.network.body;"
        "return [b.nodeIndices.length, b.edgeIndices.length];"))


def non_white_share(png: bytes) -> float:
    from PIL import Image

    histogram = Image.open(io.BytesIO(png)).convert("L").histogram()
    return sum(histogram[:240]) / sum(histogram)


def check_webgl_page(driver, path: Path, payload: dict) -> None:
    """A WebGL (sigma.js) map: drawn offline without errors, every organisation and tie
    of the payload held and shown by the renderer, the legend its groups."""
    seconds = open_map(driver, path)
    assert driver.execute_script("return window.graphkitMap.renderer;") == "webgl"
    # The organisations are drawn first, the ties added after in slices.
    for _ in range(300):
        if driver.execute_script("return window.graphkitMap.tiesReady;"):
            break
        time.sleep(0.05)
    assert console_errors(driver) == []
    assert requests_made(driver) == []
    # Every organisation; every tie inside a group, and past 20,000 ties the ties between
    # groups once zoomed in
    inside = sum(1 for e in payload["edges"] if not e["across"] or len(payload["edges"])
                 <= 20_000)
    assert driver.execute_script("return window.graphkitMap.drawn();") == \
        [len(payload["nodes"]), inside]
    later = len(payload["edges"]) - inside  # drawn when zoomed in
    counts = driver.find_element("id", "counts").text
    assert counts == (f"{len(payload['nodes']):,} organisations, {len(payload['edges']):,} "
                      f"ties shown" + (f" ({later:,} of them, between groups, drawn when "
                                       f"zoomed in)" if later else ""))
    driver.execute_script("var c = window.graphkitMap.sigma.getCamera();"
                          "c.setState({ratio: 0.4});")
    assert driver.execute_script("return window.graphkitMap.drawn();") == \
        [len(payload["nodes"]), len(payload["edges"])]
    driver.execute_script("window.graphkitMap.sigma.getCamera().setState({ratio: 1});")
    legend = driver.execute_script(
        "return Array.from(document.querySelectorAll('#legend .item'))"
        ".map(function (e) { return e.dataset.group; });")
    assert legend == [g["group"] for g in payload["legend"]]
    canvas = driver.find_element("id", "network").screenshot_as_png
    assert non_white_share(canvas) > 0.001  # four dots of a few pixels are enough
    print(f"{len(payload['nodes']):,} organisations drawn with WebGL in {seconds:.2f} s")


def find_by_name(driver, name: str) -> str | None:
    """Type a name in the search box as a person would; the organisation selected."""
    box = driver.find_element("id", "search")
    box.clear()
    box.send_keys(name)
    driver.execute_script("document.getElementById('search')"
                          ".dispatchEvent(new Event('change'));")
    return driver.execute_script(
        "var m = window.graphkitMap;"
        "return m.selected ? m.selected() : (m.network.getSelectedNodes()[0] || null);")


def check_page(driver, path: Path, payload: dict) -> None:
    open_map(driver, path)
    assert console_errors(driver) == []
    assert requests_made(driver) == []
    assert drawn(driver) == (len(payload["nodes"]), len(payload["edges"]))
    legend = driver.execute_script(
        "return Array.from(document.querySelectorAll('#legend .item'))"
        ".map(function (e) { return e.dataset.group; });")
    assert legend == [g["group"] for g in payload["legend"]]
    canvas = driver.find_element("css selector", "#network canvas").screenshot_as_png
    assert non_white_share(canvas) > 0.01


def test_demo_maps(driver, tmp_path):
    from graphkit.demo import run_demo

    files = run_demo(tmp_path / "demo", echo=lambda _line: None)
    for key in ("alliance map", "codeshare map"):
        check_page(driver, files[key], map_payload(files[key]))
    ARTIFACTS.mkdir(exist_ok=True)
    for key, name in (("alliance map", "demo_alliance_map"),
                      ("codeshare map", "demo_codeshare_map")):
        open_map(driver, files[key])
        driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))
        first = names_drawn(driver)
        # The largest organisations are named at the opening view, and no two names touch;
        # zoomed in three times, more names fit, still apart.
        assert len(first) >= 10
        assert map_payload(files[key])["nodes"][0]["id"] in first
        driver.execute_script("var n = window.graphkitMap.network;"
                              "n.moveTo({scale: n.getScale() * 3});"
                              "window.graphkitMap.placeLabels();")
        assert len(names_drawn(driver)) > 0


def test_the_demo_report_page(driver, tmp_path):
    """report.html: one offline file with the findings' tables, three pictures (SVG) and
    both maps, each drawn in its frame with every organisation of its payload."""
    from graphkit.demo import run_demo

    files = run_demo(tmp_path / "demo", echo=lambda _line: None)
    page = files["report page"]
    driver.get_log("performance")
    driver.get_log("browser")
    driver.get(page.resolve().as_uri())
    assert driver.title == "Airline partner networks, June 2014"
    assert len(driver.find_elements("css selector", "figure svg")) == 3
    assert len(driver.find_elements("css selector", "table")) >= 6
    headings = [h.text for h in driver.find_elements("css selector", "h2")]
    assert "The alliances over time" in headings and "Maps" in headings
    frames = driver.find_elements("css selector", "iframe")
    assert len(frames) == 2
    for frame, key in zip(frames, ("codeshare map", "alliance map"), strict=True):
        driver.execute_script("arguments[0].scrollIntoView();", frame)
        driver.switch_to.frame(frame)
        for _ in range(200):
            if driver.execute_script("return !!(window.graphkitMap && "
                                     "window.graphkitMap.ready);"):
                break
            time.sleep(0.05)
        payload = map_payload(files[key])
        assert drawn(driver) == (len(payload["nodes"]), len(payload["edges"]))
        driver.switch_to.default_content()
    assert console_errors(driver) == []
    assert requests_made(driver) == []
    driver.execute_script("window.scrollTo(0, 0);")
    driver.save_screenshot(str(ARTIFACTS / "demo_report_top.png"))


def names_drawn(driver, webgl: bool = False) -> set[str]:
    """The organisations named in the current view, after checking their label boxes
    (measured on the page's canvas font) are pairwise apart and drawn at 13 px."""
    found = driver.execute_script(
        "var webgl = arguments[0];"
        "return window.graphkitMap.labelBoxes.map(function (b) {"
        "  if (webgl) { return [b.id, b.box, 13]; }"
        "  var n = window.graphkitMap.nodes.get(b.id);"
        "  return [b.id, b.box, n.font.size * window.graphkitMap.network.getScale()]; });",
        webgl)
    boxes = [box for _, box, _ in found]
    assert [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]] == []
    assert all(abs(px - 13) < 0.01 for *_, px in found)  # one legible size on screen
    return {node for node, _, _ in found}


def test_interactions_and_unicode(driver, tmp_path):
    import networkx as nx

    from graphkit.maps import MapOptions, write_map

    graph = nx.Graph()
    names = {"MA": "Malév", "AR": "Aerolíneas Argentinas", "CA": "中国国际航空", "X": "Ünïcode <b>"}
    for node, name in names.items():
        graph.add_node(node, name=name, bloc="east" if node in ("CA", "MA") else "west")
    graph.add_edge("MA", "AR", weight=2.0, deals=2, types=["codeshare"])
    graph.add_edge("CA", "AR", weight=1.0, deals=1, types=["alliance"])
    graph.add_edge("CA", "X", weight=5.0, deals=5, types=["alliance", "codeshare"])
    path = tmp_path / "unicode.html"
    data = write_map(graph, path, MapOptions(color_by="bloc", title="Tést 中国"))
    check_page(driver, path, data.payload)
    labels = driver.execute_script(
        "return window.graphkitMap.nodes.get().map(function (n) { return n.label; });")
    assert sorted(labels) == sorted(names.values())
    assert driver.title == "Tést 中国"
    # tooltips are elements with text, never interpreted HTML
    tip = driver.execute_script("return window.graphkitMap.nodes.get('X').title.textContent;")
    assert "Ünïcode <b>" in tip
    # legend click hides a bloc; the type filter keeps only alliance ties
    driver.execute_script("document.querySelector('#legend .item[data-group=\"east\"]').click();")
    assert drawn(driver)[0] == 2
    driver.execute_script("document.getElementById('reset').click();")
    driver.execute_script("var s = document.getElementById('type'); s.value = 'alliance';"
                          "s.dispatchEvent(new Event('change'));")
    assert drawn(driver) == (4, 2)
    driver.execute_script("document.getElementById('reset').click();")
    driver.execute_script("window.graphkitMap.highlight('MA');")
    faded = driver.execute_script(
        "return window.graphkitMap.nodes.get().filter(function (n) { return n.opacity < 1; })"
        ".map(function (n) { return n.id; });")
    assert sorted(faded) == ["CA", "X"]


def test_the_webgl_renderer_has_the_same_controls(driver, tmp_path):
    """`--renderer webgl` on a small map: names as text, legend, type and weight filters,
    search by name and hover tooltips built as text, like the vis-network map."""
    import networkx as nx

    from graphkit.maps import MapOptions, write_map

    graph = nx.Graph()
    names = {"MA": "Malév", "AR": "Aerolíneas Argentinas", "CA": "中国国际航空", "X": "Ünïcode <b>"}
    for node, name in names.items():
        graph.add_node(node, name=name, bloc="east" if node in ("CA", "MA") else "west")
    graph.add_edge("MA", "AR", weight=2.0, deals=2, types=["codeshare"])
    graph.add_edge("CA", "AR", weight=1.0, deals=1, types=["alliance"])
    graph.add_edge("CA", "X", weight=5.0, deals=5, types=["alliance", "codeshare"])
    path = tmp_path / "webgl.html"
    payload = write_map(graph, path, MapOptions(color_by="bloc", renderer="webgl")).payload
    check_webgl_page(driver, path, payload)
    assert sorted(driver.execute_script("return window.graphkitMap.graph.mapNodes("
                                        "function (id, a) { return a.label; });")) == \
        sorted(names.values())
    drawn_now = "return window.graphkitMap.drawn();"
    driver.execute_script("document.querySelector('#legend .item[data-group=\"east\"]').click();")
    assert driver.execute_script(drawn_now)[0] == 2
    driver.execute_script("document.getElementById('reset').click();")
    driver.execute_script("var s = document.getElementById('type'); s.value = 'alliance';"
                          "s.dispatchEvent(new Event('change'));")
    assert driver.execute_script(drawn_now) == [4, 2]
    driver.execute_script("var s = document.getElementById('minweight'); s.value = 3;"
                          "s.dispatchEvent(new Event('input'));")
    assert driver.execute_script(drawn_now) == [4, 1]
    driver.execute_script("document.getElementById('reset').click();")
    driver.execute_script("window.graphkitMap.sigma.emit('enterNode', {node: 'X'});")
    assert driver.find_element("id", "tooltip").text.startswith("Ünïcode <b>\nid: X")
    assert driver.execute_script("return document.querySelectorAll('#tooltip b').length") == 1
    driver.execute_script("window.graphkitMap.sigma.emit('leaveNode', {node: 'X'});")
    assert find_by_name(driver, "malév") == "MA"


def test_two_thousand_organisations_settle_fast(driver, tmp_path):
    import networkx as nx

    from graphkit.maps import MapOptions, write_map

    graph = nx.barabasi_albert_graph(2000, 3, seed=1)
    graph = nx.relabel_nodes(graph, {n: f"org{n}" for n in graph})
    path = tmp_path / "big.html"
    data = write_map(graph, path, MapOptions())
    seconds = open_map(driver, path)
    assert drawn(driver) == (2000, graph.number_of_edges())
    assert not data.payload["physics"]
    print(f"2,000 organisations drawn and settled in {seconds:.2f} s")


def test_a_whole_synthetic_industry_is_drawn_with_its_ecosystems_apart(driver, tmp_path):
    """The 20,000-deal synthetic network (6,130 organisations, 50,849 ties, no pruning):
    it drew as a ball a few dozen pixels wide in an empty page. Drawn in full (with
    WebGL, past 5,000 organisations) every organisation and tie is in the renderer, the
    main component spans most of the map's width, its largest organisations are named
    and a search finds one; the screenshot is kept as a test artefact."""
    import graphkit as gk
    from graphkit.maps import MapOptions, write_map
    from graphkit.synthetic import synthetic_deals

    deals = tmp_path / "deals.csv"
    synthetic_deals(20_000, seed=1).to_csv(deals, index=False)
    graph = gk.partner_graph(gk.read(deals))
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (6130, 50849)
    path = tmp_path / "synthetic.html"
    payload = write_map(graph, path, MapOptions(overview=False)).payload
    assert payload["renderer"] == "webgl" and "drawn with WebGL" in payload["made"]
    check_webgl_page(driver, path, payload)
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "synthetic_6130_map.png"))
    import networkx as nx

    main = max(nx.connected_components(graph), key=len)
    # On screen, the main component's box is most of the drawing's box, and the drawing
    # fills the map's width or height.
    boxes = driver.execute_script(
        "var m = window.graphkitMap, s = m.sigma, main = new Set(arguments[0]);"
        "function box(ids) {"
        "  var ps = ids.map(function (i) {"
        "    return s.graphToViewport(m.graph.getNodeAttributes(i)); });"
        "  var xs = ps.map(function (p) { return p.x; }),"
        "      ys = ps.map(function (p) { return p.y; });"
        "  return [Math.max.apply(null, xs) - Math.min.apply(null, xs),"
        "          Math.max.apply(null, ys) - Math.min.apply(null, ys)]; }"
        "var c = document.getElementById('network');"
        "return [box(Array.from(main)), box(m.graph.nodes()),"
        "        [c.clientWidth, c.clientHeight]];", sorted(main))
    (main_w, main_h), (all_w, all_h), (width, height) = boxes
    assert main_w * main_h > 0.5 * all_w * all_h
    assert all_w > 0.8 * width or all_h > 0.8 * height
    assert height > 400
    named = names_drawn(driver, webgl=True)
    assert len(named) >= 10 and payload["nodes"][0]["id"] in named
    # sigma is given exactly the names placed, no more
    assert set(driver.execute_script(
        "var m = window.graphkitMap;"
        "return m.graph.filterNodes(function (id) {"
        "  return !!m.sigma.getNodeDisplayData(id).label; });")) == named
    driver.execute_script("var c = window.graphkitMap.sigma.getCamera();"
                          "c.setState({ratio: c.ratio / 3});"
                          "window.graphkitMap.placeLabels();")
    assert len(names_drawn(driver, webgl=True)) > 0
    found = find_by_name(driver, payload["nodes"][500]["label"])
    assert found == payload["nodes"][500]["id"]

    # Above 5,000 organisations the map opens as its overview unless told otherwise.
    path = tmp_path / "overview.html"
    overview = write_map(graph, path, MapOptions(overview=None)).payload
    discs = [n for n in overview["nodes"] if n.get("kind") == "ecosystem"]
    always = {n["id"] for n in overview["nodes"] if n.get("always")}
    open_map(driver, path)
    assert console_errors(driver) == [] and requests_made(driver) == []
    ties = [e for e in overview["edges"] if e.get("crossing")
            or (e["from"] in always and e["to"] in always)]
    assert drawn(driver) == (len(discs) + len(always), len(ties))
    driver.save_screenshot(str(ARTIFACTS / "synthetic_6130_overview.png"))
    counts = driver.find_element("id", "counts").text
    assert counts.startswith(f"{len(discs)} ecosystems, {len(always)} of 6,130 organisations")
    # A click on the largest ecosystem shows all its members; again, hides them.
    largest = discs[0]
    hidden = [n for n in overview["nodes"] if n.get("eco") == largest["id"]
              and not n["always"]]
    driver.execute_script("window.graphkitMap.expand(arguments[0]);", largest["id"])
    assert drawn(driver)[0] == len(discs) + len(always) + len(hidden)
    assert largest["members"] == len(hidden) + sum(
        1 for n in overview["nodes"] if n.get("eco") == largest["id"] and n["always"])
    driver.execute_script("window.graphkitMap.expand(arguments[0]);", largest["id"])
    assert drawn(driver)[0] == len(discs) + len(always)
    # Finding a hidden organisation by name opens its ecosystem and selects it.
    sought = next(n for n in overview["nodes"] if n.get("eco") == discs[1]["id"]
                  and not n["always"])
    assert find_by_name(driver, sought["label"]) == sought["id"]
    assert drawn(driver)[0] > len(discs) + len(always)


def test_the_offline_check_catches_a_cdn_page(driver, tmp_path):
    """The same checks flag plain pyvis output, which fetches Bootstrap from a CDN."""
    import networkx as nx
    from pyvis.network import Network

    net = Network(cdn_resources="in_line")
    net.from_nx(nx.path_graph(3))
    path = tmp_path / "pyvis.html"
    path.write_text(net.generate_html(), encoding="utf-8")
    driver.get_log("performance")
    driver.get(path.as_uri())
    assert any("cdn.jsdelivr.net" in url for url in requests_made(driver))


HOSTILE = ["<!--<script>", "</script><script>alert(1)</script>", "A & B <b>bold</b>",
           "line\u2028break\u2029para", "constructor", "__proto__", "toString",
           "hasOwnProperty", "$\\frac{x$", "\x1b[2J clear"]


def test_hostile_names_and_groups_are_drawn_and_inert(driver, tmp_path):
    """Names that could end, comment out or break the inlined script, and groups named like
    Object.prototype's properties: every node drawn, every legend entry there, no script of
    theirs run (a page that ran one would set window.__hit)."""
    import networkx as nx

    from graphkit.maps import MapOptions, write_image, write_map

    graph = nx.Graph()
    for i, name in enumerate(HOSTILE):
        payload = name.replace("alert(1)", "window.__hit = 1")
        graph.add_node(f"n{i}", name=payload, group=HOSTILE[(i + 4) % len(HOSTILE)])
    for i in range(len(HOSTILE)):
        graph.add_edge(f"n{i}", f"n{(i + 1) % len(HOSTILE)}", weight=1.0, deals=1)
    path = tmp_path / "hostile.html"
    data = write_map(graph, path, MapOptions(color_by="group", title="<!-- & </script>"))
    check_page(driver, path, map_payload(path))
    assert driver.execute_script("return window.__hit === undefined")
    labels = driver.execute_script(
        "return window.graphkitMap.nodes.get().map(function (n) { return n.label; });")
    assert sorted(labels) == sorted(graph.nodes[n]["name"] for n in graph)
    # hiding the group called "constructor" hides exactly its node
    driver.execute_script(
        "Array.from(document.querySelectorAll('#legend .item'))"
        ".filter(function (e) { return e.dataset.group === 'constructor'; })[0].click();")
    assert driver.execute_script("return window.graphkitMap.nodeView.length") == len(HOSTILE) - 1
    write_image(data, tmp_path / "hostile.png")  # names are text, not mathtext
    assert (tmp_path / "hostile.png").stat().st_size > 0
