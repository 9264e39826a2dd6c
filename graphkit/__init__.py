"""graphkit: analyse alliance and partner networks.

    import graphkit as gk
    data = gk.read("deals.csv")                      # any source: tables, airline files, graphs
    G = gk.partner_graph(data, as_of="2014-06-30", window=5)
    gk.measure_centrality(G)                         # DataFrame indexed by organisation id
    gk.find_ecosystems(G)                            # communities, named by their hubs
    gk.find_overlaps(G)                              # pairs sharing partners (or markets)
    gk.show_map(G)                                   # interactive map, inline in a notebook

The verbs are listed in `__all__`; each has a docstring with an example.
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("graphkit")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

# Verbs, not nouns: several nouns (centrality, ecosystems, overlaps...) are the modules
# that compute them, and a package attribute cannot be both.
__all__ = [
    "analyze_graph", "bundled_data", "check_codeshares", "codeshare_graph", "compare", "ego",
    "evolve", "find_ecosystems", "find_overlaps", "infer_codeshares", "measure_centrality",
    "panel", "partner_graph", "predict", "query", "read", "read_graph", "show_map",
    "summarize_graph", "write_graph", "write_map",
]


def __getattr__(name: str):
    # The verbs load pandas, NetworkX and igraph: imported on first use, so the command line
    # (`graphkit --help`) starts without them.
    if name in __all__:
        value = getattr(import_module("graphkit.api"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'graphkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
