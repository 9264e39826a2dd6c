"""The overview of a big map: one disc per ecosystem, its top organisations on it, the
rest revealed by a click.

A map of thousands of organisations is first read as a handful of ecosystems and how
they tie to each other (Kumu's and Graphistry's overview first, then drill-down). The
overview is made from a full map's payload: each ecosystem becomes a translucent disc
where its members are laid out (so revealing them puts every member inside its disc),
ties between ecosystems become one tie per pair (width: how many ties cross), and the
top organisations stay drawn on their discs. The members of every ecosystem travel in
the page, hidden, so a click or a search reveals them without leaving the file.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import networkx as nx

from graphkit.summary import plural

# Above this many organisations the map opens as the overview (vis-network draws 2,000
# settled in well under a second; 6,000 organisations and 50,000 ties take several).
OVERVIEW_ABOVE = 5000
TOP_SHOWN = 100  # organisations drawn on the overview besides each ecosystem's hub
ECOSYSTEM_ID = "\x1fecosystem {}"  # a control character keeps it apart from any real id
BUBBLE_ALPHA = 0.16


def overview_payload(payload: dict, graph: nx.Graph, clusters: dict, colour_of: dict,
                     tie_colour: str) -> dict:
    """The overview of a full map `payload` (nodes in naming order). `clusters` maps each
    drawn organisation's id (as text, as in the payload) to its ecosystem's label;
    `colour_of` maps an ecosystem to its disc colour (absent: a neutral disc, for maps
    coloured by another attribute)."""
    nodes = payload["nodes"]
    by_id = {n["id"]: n for n in nodes}
    members: dict = defaultdict(list)
    for n in nodes:  # naming order: each ecosystem's list starts with its largest
        members[clusters[n["id"]]].append(n)
    order = sorted(members, key=lambda c: (-len(members[c]), members[c][0]["label"]))
    eco_id = {c: ECOSYSTEM_ID.format(i) for i, c in enumerate(order)}
    shown = {n["id"] for n in nodes[:TOP_SHOWN]} | {m[0]["id"] for m in members.values()}

    inside: Counter = Counter()
    crossing: dict = defaultdict(lambda: {"ties": 0, "deals": 0, "types": set()})
    for u, v, d in graph.edges(data=True):
        a, b = clusters[str(u)], clusters[str(v)]
        if a == b:
            inside[a] += 1
            continue
        pair = crossing[tuple(sorted((eco_id[a], eco_id[b])))]
        pair["ties"] += 1
        pair["deals"] += int(d.get("deals", 1))
        pair["types"].update(str(t) for t in (d.get("types") or []))

    discs = []
    for c in order:
        group = members[c]
        cx = sum(n["x"] for n in group) / len(group)
        cy = sum(n["y"] for n in group) / len(group)
        radius = max(math.hypot(n["x"] - cx, n["y"] - cy) + n["size"] for n in group)
        out_ties = sum(p["ties"] for k, p in crossing.items() if eco_id[c] in k)
        # Hub, then the next two, then how many more: lines that fit inside the disc.
        lines = [group[0]["label"], ", ".join(n["label"] for n in group[1:3])]
        if len(group) > 3:
            lines.append(f"+{len(group) - 3:,} more")
        label = "\n".join(line for line in lines if line)
        colour = colour_of.get(c) or "#7f97ad"
        discs.append({
            "id": eco_id[c], "kind": "ecosystem", "label": label, "group": group[0]["group"],
            "color": colour, "size": round(max(radius, 30.0), 2),
            "x": round(cx, 2), "y": round(cy, 2), "members": len(group),
            "tip": [["ecosystem", str(c)], ["organisations", f"{len(group):,}"],
                    ["ties inside", f"{inside[c]:,}"],
                    ["ties to other ecosystems", f"{out_ties:,}"],
                    ["largest", ", ".join(n["label"] for n in group[:8])],
                    ["click", "show or hide its members"]]})
    for n in nodes:
        n["eco"] = eco_id[clusters[n["id"]]]
        n["always"] = n["id"] in shown
    edges = []
    for e in payload["edges"]:
        if by_id[e["from"]]["eco"] == by_id[e["to"]]["eco"]:
            edges.append({**e, "eco": by_id[e["from"]]["eco"]})
    most = max((p["ties"] for p in crossing.values()), default=1)
    for (a, b), p in sorted(crossing.items()):
        edges.append({"from": a, "to": b, "weight": float(p["ties"]), "crossing": True,
                      "types": sorted(p["types"]), "color": tie_colour,
                      "alpha": round(0.15 + 0.45 * p["ties"] / most, 3),
                      "tip": [["ties", f"{p['ties']:,}"], ["deals", f"{p['deals']:,}"]]
                      + ([["types", ", ".join(sorted(p["types"]))]] if p["types"] else [])})
    drawn = sum(1 for n in nodes if n["always"])
    made = (payload["made"] + f"; overview: {plural(len(discs), 'ecosystem')} as discs with "
            f"their {drawn:,} largest organisations drawn (click a disc for its members)")
    return {**payload, "nodes": discs + nodes, "edges": edges, "made": made,
            "overview": {"ecosystems": len(discs), "organisations": len(nodes),
                         "drawn": drawn, "bubbleAlpha": BUBBLE_ALPHA},
            "maxWeight": max((e["weight"] for e in edges if "eco" in e), default=1.0)}
