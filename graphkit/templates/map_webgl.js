  // The WebGL renderer (sigma.js on a graphology graph), for maps past what vis-network
  // draws smoothly: the same positions, colours, legend, search, filters and names (the
  // largest organisations first, each only where it touches no other name or named dot,
  // placed again after every move). Ties have no tooltips here (hit-testing 250,000 of
  // them would cost every mouse move). Ties between groups, long lines that cross the
  // whole map and are a faint haze at full view, are drawn once the view is zoomed in
  // (or for a selected organisation) when there are more than 20,000 ties: without a GPU
  // they took 12 of 16 s to draw 246,000. The
  // organisations are drawn first and the ties added after, in slices, so a map of
  // 250,000 ties shows its organisations in seconds and stays responsive while they come.
  var ACROSS_RATIO = 0.5;  // camera ratio (1: the whole map) below which they are drawn
  var TIES_PER_SLICE = 40000;
  var LATER = DATA.edges.length > 20000;
  var closeUp = !LATER;  // ties between groups drawn
  var acrossKeys = [];
  var tiesAdded = 0;
  var container = document.getElementById("network");
  var graph = new graphology.Graph({type: "undirected", multi: false, allowSelfLoops: false});
  // vis-network sizes (8 to 40, canvas units) as sigma's screen pixels, 2 to 8
  function dot(n) { return 2 + (n.size - 8) * 6 / 32; }
  DATA.nodes.forEach(function (n) {
    graph.addNode(n.id, {x: n.x, y: -n.y, size: dot(n), color: n.color, label: n.label});
  });
  var heaviest = DATA.edges.reduce(function (m, e) { return Math.max(m, e.weight); }, 1);
  function addTies() {
    var end = Math.min(DATA.edges.length, tiesAdded + TIES_PER_SLICE);
    for (var i = tiesAdded; i < end; i++) {
      var e = DATA.edges[i];
      if (e.across) { acrossKeys.push(String(i)); }
      graph.addEdgeWithKey(String(i), e.from, e.to, {
        size: 0.5 + 3 * Math.sqrt(e.weight / heaviest),
        color: rgba(e.color, Math.min(1, e.alpha * 2))});
    }
    tiesAdded = end;
    count();
    if (tiesAdded < DATA.edges.length) {
      setTimeout(addTies, 0);
    } else {
      window.graphkitMap.tiesReady = true;
      window.graphkitMap.tiesAt = performance.now();
    }
  }

  var selected = null;  // the organisation found or clicked, and its partners
  var near = null;
  var LABEL_PX = 13;
  var labelled = new Set();
  function drawLabel(ctx, d, settings) {  // sigma's, with a white halo under the text
    if (!d.label) { return; }
    ctx.font = settings.labelWeight + " " + LABEL_PX + "px " + settings.labelFont;
    var x = d.x + d.size + 3, y = d.y + LABEL_PX / 3;
    ctx.lineWidth = 3;
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#ffffff";
    ctx.strokeText(d.label, x, y);
    ctx.fillStyle = "#222";
    ctx.fillText(d.label, x, y);
  }
  var renderer = new Sigma(graph, container, {
    labelFont: "system-ui, sans-serif", labelSize: LABEL_PX, labelWeight: "normal",
    defaultDrawNodeLabel: drawLabel, labelRenderedSizeThreshold: 0,
    // one-pixel lines: a quarter of the time of sigma's default rectangles in software GL
    edgeProgramClasses: {line: Sigma.rendering.EdgeLineProgram},
    // dots as GL points: the first frame of 27,000 in 0.1 s instead of 0.9 s
    nodeProgramClasses: {circle: Sigma.rendering.NodePointProgram},
    hideEdgesOnMove: DATA.edges.length > 20000,
    minCameraRatio: 0.005, maxCameraRatio: 4, zIndex: true,
    // A found organisation and its partners are named and drawn on top, its ties dark;
    // the rest stay as they are (dimming 250,000 ties took a second per search).
    nodeReducer: function (id, data) {
      var n = byId.get(id);
      if (!nodeShown(n)) { return Object.assign({}, data, {hidden: true}); }
      var close = near !== null && near.has(id);
      var named = labelled.has(id) || close;
      return Object.assign({}, data, {label: named ? data.label : "", forceLabel: named,
                                      highlighted: id === selected,
                                      zIndex: id === selected ? 2 : close ? 1 : 0});
    },
    edgeReducer: function (key, data) {
      var tie = DATA.edges[+key];
      if (!tieShown(tie)) { return Object.assign({}, data, {hidden: true}); }
      if (selected !== null && (tie.from === selected || tie.to === selected)) {
        return Object.assign({}, data, {color: "#333", zIndex: 1});
      }
      if (tie.across && !closeUp) { return Object.assign({}, data, {hidden: true}); }
      return data;
    }
  });
  window.graphkitMap = {renderer: "webgl", sigma: renderer, graph: graph, data: DATA,
                        ready: false, tiesReady: DATA.edges.length === 0};

  // Tooltips: the organisation's rows, beside the pointer.
  var tooltip = document.getElementById("tooltip");
  renderer.on("enterNode", function (ev) {
    var n = byId.get(ev.node);
    tooltip.replaceChildren(tip(n.label, n.tip));
    var p = renderer.graphToViewport(graph.getNodeAttributes(ev.node));
    var box = container.getBoundingClientRect();
    tooltip.style.left = Math.max(4, Math.min(box.left + p.x + 12, window.innerWidth - 380)) +
      "px";
    tooltip.style.top = Math.max(4, Math.min(box.top + p.y + 12, window.innerHeight - 160)) +
      "px";
    tooltip.hidden = false;
  });
  renderer.on("leaveNode", function () { tooltip.hidden = true; });

  function count() {
    var organisations = 0, ties = 0, later = 0;
    DATA.nodes.forEach(function (n) { if (nodeShown(n)) { organisations++; } });
    DATA.edges.forEach(function (e) {
      if (tieShown(e)) {
        ties++;
        if (e.across && !closeUp) { later++; }
      }
    });
    showCounts(organisations, ties, 0, later, tiesAdded < DATA.edges.length
               ? tiesAdded.toLocaleString("en") + " of " +
                 DATA.edges.length.toLocaleString("en") : "");
  }
  // Names by level of detail, as the vis-network map places them: in naming order
  // (largest first), a name is kept only if its box (where sigma draws it, right of the
  // dot) overlaps no kept name and no named dot, and is on screen.
  var measure = document.createElement("canvas").getContext("2d");
  measure.font = LABEL_PX + "px system-ui, sans-serif";
  var widths = new Map();
  function placeLabels() {
    var width = container.clientWidth, height = container.clientHeight;
    var cell = 64, grid = new Map(), boxes = [], next = new Set();
    function cells(b, visit) {
      for (var i = Math.floor(b[0] / cell); i <= Math.floor(b[2] / cell); i++) {
        for (var j = Math.floor(b[1] / cell); j <= Math.floor(b[3] / cell); j++) {
          visit(i + ":" + j);
        }
      }
    }
    function free(b) {
      var ok = true;
      cells(b, function (k) {
        (grid.get(k) || []).forEach(function (t) {
          if (b[0] < t[2] && t[0] < b[2] && b[1] < t[3] && t[1] < b[3]) { ok = false; }
        });
      });
      return ok;
    }
    function take(b) {
      cells(b, function (k) {
        if (!grid.has(k)) { grid.set(k, []); }
        grid.get(k).push(b);
      });
    }
    for (var i = 0; i < DATA.nodes.length && next.size < 400; i++) {
      var n = DATA.nodes[i];
      if (!n.label || !nodeShown(n)) { continue; }
      var d = renderer.getNodeDisplayData(n.id);
      var p = renderer.framedGraphToViewport(d);
      var r = renderer.scaleSize(d.size);
      if (!widths.has(n.id)) { widths.set(n.id, measure.measureText(n.label).width); }
      var b = [p.x + r + 1, p.y - LABEL_PX * 0.75, p.x + r + 5 + widths.get(n.id),
               p.y + LABEL_PX * 0.45];
      var dotBox = [p.x - r, p.y - r, p.x + r, p.y + r];
      if (b[2] < 0 || b[0] > width || b[3] < 0 || b[1] > height) { continue; }
      if (!free(b) || !free(dotBox)) { continue; }
      take(b);
      take(dotBox);
      boxes.push({id: n.id, box: b});
      next.add(n.id);
    }
    var changed = [];
    labelled.forEach(function (id) { if (!next.has(id)) { changed.push(id); } });
    next.forEach(function (id) { if (!labelled.has(id)) { changed.push(id); } });
    labelled = next;
    window.graphkitMap.labelBoxes = boxes;
    if (changed.length) { renderer.refresh({partialGraph: {nodes: changed}}); }
  }
  var pending = null;
  function placeLabelsSoon() {
    if (pending !== null) { clearTimeout(pending); }
    pending = setTimeout(function () { pending = null; placeLabels(); }, 120);
  }
  renderer.getCamera().on("updated", placeLabelsSoon);
  renderer.getCamera().on("updated", function (state) {
    if (LATER && (state.ratio < ACROSS_RATIO) !== closeUp) {
      closeUp = !closeUp;
      renderer.refresh({partialGraph: {edges: acrossKeys}});
      count();
    }
  });
  renderer.on("resize", placeLabelsSoon);

  function refresh() {
    count();
    renderer.refresh();
    placeLabelsSoon();
  }
  function emphasise(id) {  // id, or null for none: only what changes is refreshed
    var nodes = near ? Array.from(near) : [];
    var ties = selected !== null ? graph.edges(selected) : [];
    selected = id;
    near = id === null ? null : new Set([id].concat(graph.neighbors(id)));
    if (id !== null) {
      nodes = nodes.concat(Array.from(near));
      ties = ties.concat(graph.edges(id));
    }
    renderer.refresh({partialGraph: {nodes: nodes, edges: ties}});
  }
  function highlight(id) {
    emphasise(id);
    var d = renderer.getNodeDisplayData(id);
    var camera = renderer.getCamera();
    camera.animate({x: d.x, y: d.y, ratio: Math.min(camera.ratio, 0.15)}, {duration: 400});
  }
  function clearHighlight() {
    if (selected !== null) { emphasise(null); }
  }
  function resetView() { renderer.getCamera().animatedReset({duration: 300}); }
  renderer.on("clickNode", function (ev) { highlight(ev.node); });
  renderer.on("clickStage", clearHighlight);

  // What the page draws now, for tests and for the curious: organisations and ties
  // the renderer holds and does not hide.
  window.graphkitMap.drawn = function () {
    var nodes = 0, ties = 0;
    graph.forEachNode(function (id) {
      if (!renderer.getNodeDisplayData(id).hidden) { nodes++; }
    });
    graph.forEachEdge(function (key) {
      if (!renderer.getEdgeDisplayData(key).hidden) { ties++; }
    });
    return [nodes, ties];
  };
  window.graphkitMap.highlight = highlight;
  window.graphkitMap.placeLabels = placeLabels;
  window.graphkitMap.selected = function () { return selected; };
  count();
  placeLabels();
  // Ready once the organisations are on screen; the ties follow.
  requestAnimationFrame(function () {
    requestAnimationFrame(function () { ready(); setTimeout(addTies, 0); });
  });
