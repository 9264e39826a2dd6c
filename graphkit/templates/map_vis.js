  // Labels by level of detail: organisations are named largest first, as many as fit
  // without two labels touching at the current zoom, at one legible screen size; the rest
  // appear as the view zooms in (placeLabels, after every zoom, pan and filter).
  var LABEL_PX = 13;
  // Zoomed out over thousands of organisations, dots would shrink below a pixel and the
  // map turn into its ties: every dot keeps at least this radius on screen.
  var MIN_DOT_PX = 2.5;
  var labelled = new Set();
  var dimmed = null;  // organisations faded by a highlight, or null
  var labelScale = 1;
  function font(id) {
    var on = labelled.has(id);
    var f = {size: on ? LABEL_PX / labelScale : 0, face: "system-ui, sans-serif",
             color: dimmed && dimmed.has(id) ? "rgba(0,0,0,0.2)" : "#222",
             strokeWidth: 3 / labelScale, strokeColor: "#ffffff"};
    var n = byId.get(id);
    if (n.kind === "ecosystem") {
      // An ecosystem's name sits in the middle of its disc, not under it.
      f.vadjust = -(n.size + 0.6 * lineCount(n) * LABEL_PX / labelScale);
      f.color = "#111";
    }
    return f;
  }
  var nodes = new vis.DataSet(DATA.nodes.map(function (n) {
    var fill = isDisc(n) ? rgba(n.color, DATA.overview.bubbleAlpha) : n.color;
    return {id: n.id, label: n.label, x: n.x, y: n.y, size: n.size, group_name: n.group,
            color: {background: fill, border: n.color,
                    highlight: {background: fill, border: "#222"},
                    hover: {background: fill, border: "#222"}},
            borderWidth: isDisc(n) ? 2 : 1,
            title: tip(n.label, n.tip), shape: "dot", font: font(n.id)};
  }));
  var edges = new vis.DataSet(DATA.edges.map(function (e, i) {
    return {id: i, from: e.from, to: e.to, value: e.weight, weight: e.weight, types: e.types,
            title: tip(byId.get(e.from).label + " – " + byId.get(e.to).label, e.tip),
            color: {color: e.color, opacity: e.alpha, highlight: "#333"}};
  }));

  var nodeView = new vis.DataView(nodes, {filter: function (n) {
    return nodeShown(byId.get(n.id));
  }});
  var edgeView = new vis.DataView(edges, {filter: function (e) {
    return tieShown(DATA.edges[e.id]);
  }});

  var options = {
    physics: DATA.physics ? {enabled: true, stabilization: {iterations: 150, fit: true},
                             barnesHut: {gravitationalConstant: -4000, springLength: 120}}
                          : {enabled: false},
    layout: {improvedLayout: false},
    interaction: {hover: true, tooltipDelay: 120, hideEdgesOnDrag: DATA.nodes.length > 1000,
                  hideEdgesOnZoom: DATA.nodes.length > 1000},
    nodes: {borderWidth: 1},
    edges: {smooth: false, scaling: {min: 0.5, max: 8}, selectionWidth: 2}
  };
  var container = document.getElementById("network");
  var network = new vis.Network(container, {nodes: nodeView, edges: edgeView}, options);
  window.graphkitMap = {renderer: "vis-network", network: network, nodes: nodes, edges: edges,
                        nodeView: nodeView, edgeView: edgeView, data: DATA, ready: false};
  var byLabelOrder = DATA.nodes;  // already in naming order (maps._naming_order)
  var measure = document.createElement("canvas").getContext("2d");
  measure.font = LABEL_PX + "px system-ui, sans-serif";
  var widths = new Map();
  function placeLabels() {
    var scale = network.getScale();
    var width = container.clientWidth, height = container.clientHeight;
    var shown = new Set(nodeView.getIds());
    var positions = network.getPositions(Array.from(shown));
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
    byLabelOrder.forEach(function (n) {
      if (!shown.has(n.id) || !n.label) { return; }
      var p = network.canvasToDOM(positions[n.id]);
      var r = Math.max(n.size * scale, MIN_DOT_PX);
      if (!widths.has(n.id)) {
        widths.set(n.id, Math.max.apply(null, n.label.split("\n").map(function (line) {
          return measure.measureText(line).width;
        })));
      }
      var w = widths.get(n.id) + 4, h = LABEL_PX * 1.3 * lineCount(n);
      // vis-network draws a dot's label centred under it (an ecosystem's, in its middle)
      var top = isDisc(n) ? p.y - h / 2 : p.y + r + 1;
      var b = [p.x - w / 2, top, p.x + w / 2, top + h];
      var disc = [p.x - r, p.y - r, p.x + r, p.y + r];
      if (b[2] < 0 || b[0] > width || b[3] < 0 || b[1] > height) { return; }
      if (!free(b) || (!isDisc(n) && !free(disc))) { return; }
      take(b);
      if (!isDisc(n)) { take(disc); }  // a named organisation's dot stays uncovered
      boxes.push({id: n.id, box: b});
      next.add(n.id);
    });
    var rescaled = scale !== labelScale;
    var changed = rescaled ? DATA.nodes : DATA.nodes.filter(function (n) {
      return labelled.has(n.id) !== next.has(n.id);
    });
    labelled = next;
    labelScale = scale;
    nodes.update(changed.map(function (n) {
      return rescaled ? {id: n.id, font: font(n.id), size: Math.max(n.size, MIN_DOT_PX / scale)}
                      : {id: n.id, font: font(n.id)};
    }));
    window.graphkitMap.labelBoxes = boxes;
  }
  var pending = null;
  function placeLabelsSoon() {
    if (pending !== null) { clearTimeout(pending); }
    pending = setTimeout(function () { pending = null; placeLabels(); }, 120);
  }
  network.on("zoom", placeLabelsSoon);
  network.on("dragEnd", placeLabelsSoon);
  network.on("resize", placeLabelsSoon);
  network.on("animationFinished", placeLabelsSoon);
  network.once("afterDrawing", function () {
    if (!DATA.physics) { placeLabels(); ready(); }
  });
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({physics: {enabled: false}});
    placeLabels();
    ready();
  });
  function refresh() {
    nodeView.refresh();
    edgeView.refresh();
    var discs = nodeView.getIds().filter(function (id) { return isDisc(byId.get(id)); }).length;
    showCounts(nodeView.length - discs, edgeView.length, discs);
    if (window.graphkitMap.ready) { placeLabelsSoon(); }
  }

  // Only the organisations drawn now are faded (an overview holds tens of thousands
  // hidden; updating them all made a search take over a second).
  function highlight(id) {
    var keep = new Set([id]);
    network.getConnectedNodes(id).forEach(function (n) { keep.add(n); });
    var was = dimmed || new Set();
    dimmed = new Set(nodeView.getIds().filter(function (n) { return !keep.has(n); }));
    var touched = new Set(Array.from(was).concat(Array.from(dimmed), Array.from(keep)));
    nodes.update(Array.from(touched).map(function (n) {
      return {id: n, opacity: dimmed.has(n) ? 0.15 : 1, font: font(n)};
    }));
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1.2), animation: {duration: 400}});
  }
  function clearHighlight() {
    var was = dimmed || new Set();
    dimmed = null;
    nodes.update(Array.from(was).map(function (n) {
      return {id: n, opacity: 1, font: font(n)};
    }));
    network.unselectAll();
  }
  network.on("click", function (p) {
    if (!p.nodes.length) { clearHighlight(); return; }
    if (isDisc(byId.get(p.nodes[0]))) { expand(p.nodes[0]); } else { highlight(p.nodes[0]); }
  });
  function resetView() { network.fit(); }
  window.graphkitMap.highlight = highlight;
  window.graphkitMap.expand = expand;
  window.graphkitMap.placeLabels = placeLabels;
  refresh();
