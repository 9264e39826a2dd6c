"""Loaders: each turns one kind of source into PartnerData with a LoadSummary.

`load_sources` picks the loader for each path (by name, suffix and header) and combines
the results. Formats: deals, edges, openflights, optd-membership, optd-segments,
optd-airlines, graphml, gexf, json.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from graphkit.combine import combine
from graphkit.engine import collector_paused
from graphkit.errors import InputError, quoted
from graphkit.loaders.deals import deals_from_table
from graphkit.loaders.edges import edges_from_table, looks_like_edge_list
from graphkit.loaders.graph_files import GRAPH_SUFFIXES, load_graph_file
from graphkit.loaders.openflights import load_openflights, load_openflights_dir
from graphkit.loaders.optd import load_alliance_membership, load_optd_airlines, load_segments
from graphkit.loaders.tables import (
    EXCEL_SUFFIXES,
    PARQUET_SUFFIXES,
    TEXT_SUFFIXES,
    base_suffix,
    check_readable,
    decode,
    read_bytes,
    read_table,
)
from graphkit.model import PartnerData
from graphkit.names import NameResolver

FORMATS = ["deals", "edges", "openflights", "optd-membership", "optd-segments",
           "optd-airlines", "graphml", "gexf", "json"]
OPENFLIGHTS_FILES = {"airlines.dat", "routes.dat", "airports.dat"}

__all__ = ["FORMATS", "detect_format", "load_source", "load_sources"]


def detect_format(path: str | Path) -> str:
    """Name the loader for a path from its name, suffix and first line."""
    p = Path(path)
    if p.is_dir():
        if (p / "airlines.dat").is_file() and (p / "routes.dat").is_file():
            return "openflights"
        raise InputError("folder is not an OpenFlights folder (airlines.dat and routes.dat)",
                         file=p)
    check_readable(p)
    if p.name.lower() in OPENFLIGHTS_FILES:
        return "openflights"
    suffix = base_suffix(p)
    if suffix in GRAPH_SUFFIXES:
        return GRAPH_SUFFIXES[suffix]
    if suffix in EXCEL_SUFFIXES or suffix in PARQUET_SUFFIXES:
        return "table"
    if suffix not in TEXT_SUFFIXES:
        raise InputError(
            f"unknown format {quoted(suffix or '(no suffix)')}: graphkit reads .csv .tsv .txt .dat "
            "(optionally .bz2/.gz), .xlsx .xlsm .xlsb .xls .ods, .parquet, .graphml, .gexf "
            "and .json; "
            f"or name the format with --format ({', '.join(FORMATS)})",
            file=p,
        )
    text, _ = decode(read_bytes(p, limit=4096), p)
    head = text.lstrip("\ufeff").split("\n", 1)[0].strip().lower()
    if head.startswith("alliance_name^"):
        return "optd-membership"
    if head.startswith(("#legori;", "legori;")):
        return "optd-segments"
    if "^2char_code^" in head:
        return "optd-airlines"
    return "table"


@collector_paused()
def load_source(path: str | Path, format: str | None = None, *,
                resolver: NameResolver | None = None, **options) -> PartnerData:
    """Load one source. `options` go to table loaders (columns, delimiter, encoding, sheet,
    dayfirst, bad_rows, separator); other sources have no use for them."""
    kind = format or detect_format(path)
    if kind == "openflights":
        if Path(path).is_dir():
            return load_openflights_dir(path)
        raise InputError("give airlines.dat and routes.dat together, or their folder", file=path)
    if kind == "optd-membership":
        return load_alliance_membership(path)
    if kind == "optd-segments":
        return load_segments(path)
    if kind == "optd-airlines":
        return load_optd_airlines(path)
    if kind in ("graphml", "gexf", "json"):
        return load_graph_file(path, kind)
    if kind not in ("table", "deals", "edges"):
        raise InputError(f"unknown format {quoted(kind)}; formats are {', '.join(FORMATS)}")
    table = read_table(path, delimiter=options.pop("delimiter", None),
                       encoding=options.pop("encoding", None), sheet=options.pop("sheet", None))
    if kind == "edges" or (kind == "table" and looks_like_edge_list(list(table.frame.columns))):
        for key in ("separator", "max_participants", "large_deals"):
            options.pop(key, None)  # one tie per row: nothing to split
        return edges_from_table(table, resolver=resolver, **options)
    return deals_from_table(table, resolver=resolver, **options)


@collector_paused()
def load_sources(paths: list[str | Path], format: str | None = None, *,
                 resolver: NameResolver | None = None,
                 progress: Callable[[list, str], Iterable] | None = None,
                 **options) -> PartnerData:
    """Load and combine several sources; OpenFlights files given singly are grouped.

    `progress(items, label)` may wrap the list of sources (the CLI shows a bar with it).
    """
    if not paths:
        raise InputError("no source given")
    openflights: dict[str, Path] = {}
    parts: list[PartnerData] = []
    try:
        for path in (progress or (lambda items, _label: items))(list(paths), "loading"):
            p = Path(path)
            kind = format or detect_format(p)
            if kind == "openflights" and not p.is_dir():
                openflights[p.name.lower()] = p
                continue
            parts.append(load_source(p, kind, resolver=resolver, **dict(options)))
    except InputError as exc:  # what was read before the problem comes with the error
        exc.summaries[:0] = [s for part in parts for s in part.summaries]
        raise
    if openflights:
        if "airlines.dat" not in openflights or "routes.dat" not in openflights:
            given = ", ".join(sorted(openflights))
            raise InputError(f"OpenFlights needs airlines.dat and routes.dat together "
                             f"(given: {given})")
        parts.insert(0, load_openflights(openflights["airlines.dat"], openflights["routes.dat"],
                                         openflights.get("airports.dat")))
    return combine(parts)
