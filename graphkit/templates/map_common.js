  // What every map page shares, whichever renderer draws it: the data's lookups, the
  // filters' state, tooltips, legend, search, deal-type and weight controls. The
  // renderer's script defines refresh(), highlight(id), clearHighlight() and resetView().

  // Compact ties (large maps): columns, expanded here into one object per tie.
  if (DATA.ties) {
    DATA.edges = DATA.ties.weight.map(function (w, i) {
      return {from: DATA.nodes[DATA.ties.ends[2 * i]].id,
              to: DATA.nodes[DATA.ties.ends[2 * i + 1]].id, weight: w,
              types: DATA.ties.types[i].map(function (t) { return DATA.types[t]; }),
              color: DATA.ties.colours[DATA.ties.colour[i]], alpha: DATA.ties.alpha[i],
              across: DATA.ties.across[i] === 1};
    });
  }
  // Every lookup keyed by data (ids, group names) is a Map: a group called "constructor"
  // or "__proto__" is a key like any other, never a property of Object.prototype.
  var byId = new Map();
  DATA.nodes.forEach(function (n) { byId.set(n.id, n); });

  function tip(title, rows) {
    var box = document.createElement("div");
    box.className = "gk-tip";
    var head = document.createElement("b");
    head.textContent = title;
    box.appendChild(head);
    rows.forEach(function (r) {
      var line = document.createElement("div");
      var key = document.createElement("span");
      key.className = "k";
      key.textContent = r[0] + ": ";
      line.appendChild(key);
      line.appendChild(document.createTextNode(String(r[1])));
      box.appendChild(line);
    });
    return box;
  }

  function rgba(hex, alpha) {
    var v = parseInt(hex.slice(1), 16);
    return "rgba(" + (v >> 16) + "," + ((v >> 8) & 255) + "," + (v & 255) + "," + alpha + ")";
  }

  // The overview: ecosystems as discs, their members revealed by a click (or a search).
  var expanded = new Set();
  function isDisc(n) { return n.kind === "ecosystem"; }
  function lineCount(n) { return n.label.split("\n").length; }
  function drawnNow(n) {
    return isDisc(n) || !n.eco || n.always || expanded.has(n.eco);
  }
  function expand(eco) {
    if (expanded.has(eco)) { expanded.delete(eco); } else { expanded.add(eco); }
    refresh();
  }

  var hidden = new Set();  // groups switched off in the legend
  var typeFilter = "";
  var minWeight = 0;
  function nodeShown(n) { return !hidden.has(n.group) && drawnNow(n); }
  function tieShown(tie) {
    var one = byId.get(tie.from), two = byId.get(tie.to);
    if (tie.eco && !expanded.has(tie.eco) && !(one.always && two.always)) { return false; }
    return (tie.crossing || tie.weight >= minWeight) && !hidden.has(one.group) &&
           !hidden.has(two.group) && (!typeFilter || tie.types.indexOf(typeFilter) >= 0);
  }
  function showCounts(organisations, ties, discs, later, loading) {
    function n(x) { return Number(x).toLocaleString("en"); }  // 27,568, not 27568
    function of(x, word) { return n(x) + " " + word + (x === 1 ? "" : "s"); }
    document.getElementById("counts").textContent = DATA.overview
      ? of(discs, "ecosystem") + ", " + n(organisations) + " of " +
        of(DATA.overview.organisations, "organisation") + " shown (click an ecosystem " +
        "for its members)"
      : of(organisations, "organisation") + ", " + of(ties, "tie") + " shown" +
        (later ? " (" + n(later) + " of them, between groups, drawn when zoomed in)" : "") +
        (loading ? "; drawing ties: " + loading : "");
  }
  function ready() {
    if (!window.graphkitMap.ready) {
      window.graphkitMap.ready = true;
      window.graphkitMap.readyAt = performance.now();
    }
  }

  document.getElementById("title").textContent = DATA.title;
  document.getElementById("note").textContent = DATA.note;
  document.getElementById("made").textContent = DATA.made;

  var legend = document.getElementById("legend");
  DATA.legend.forEach(function (g) {
    var item = document.createElement("span");
    item.className = "item";
    item.dataset.group = g.group;
    var sw = document.createElement("span");
    sw.className = "swatch";
    sw.style.background = g.color;
    item.appendChild(sw);
    item.appendChild(document.createTextNode(g.group + " (" + g.count + ")"));
    item.addEventListener("click", function () {
      if (hidden.has(g.group)) { hidden.delete(g.group); } else { hidden.add(g.group); }
      item.classList.toggle("off", hidden.has(g.group));
      refresh();
    });
    legend.appendChild(item);
  });

  var lowerNames = new Map();  // a name typed without its [id]: its first organisation
  DATA.nodes.forEach(function (n) {
    var lower = n.label.toLowerCase();
    if (!isDisc(n) && !lowerNames.has(lower)) { lowerNames.set(lower, n.id); }
  });
  // The search box's suggestions, filled when it is first used: 27,000 of them took
  // 0.6 s of the page's opening.
  var search = document.getElementById("search");
  function suggest() {
    var names = document.getElementById("names");
    DATA.nodes.forEach(function (n) {
      if (isDisc(n)) { return; }
      var opt = document.createElement("option");
      opt.value = n.label + " [" + n.id + "]";
      names.appendChild(opt);
    });
    search.removeEventListener("focus", suggest);
  }
  search.addEventListener("focus", suggest);
  var typeSelect = document.getElementById("type");
  DATA.types.forEach(function (t) {
    var opt = document.createElement("option");
    opt.value = t;
    opt.textContent = t;
    typeSelect.appendChild(opt);
  });
  typeSelect.addEventListener("change", function () { typeFilter = typeSelect.value; refresh(); });

  var slider = document.getElementById("minweight");
  slider.max = DATA.maxWeight;
  var weightShown = document.getElementById("minweight-value");
  slider.addEventListener("input", function () {
    minWeight = parseFloat(slider.value);
    weightShown.textContent = minWeight.toFixed(1);
    refresh();
  });

  function find(text) {
    var match = /\[([^\]]+)\]$/.exec(text);
    var id = match ? match[1] : lowerNames.get(text.trim().toLowerCase());
    return id !== undefined && byId.has(id) && !isDisc(byId.get(id)) ? id : null;
  }
  search.addEventListener("change", function (ev) {
    var id = find(ev.target.value);
    if (id === null) { return; }
    var n = byId.get(id);
    if (!drawnNow(n)) { expand(n.eco); }
    highlight(id);
  });
  document.getElementById("reset").addEventListener("click", function () {
    hidden.clear();
    expanded.clear();
    typeFilter = "";
    typeSelect.value = "";
    minWeight = 0;
    slider.value = 0;
    weightShown.textContent = "";
    Array.prototype.forEach.call(legend.children, function (c) { c.classList.remove("off"); });
    clearHighlight();
    refresh();
    resetView();
  });
