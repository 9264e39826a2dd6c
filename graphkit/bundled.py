"""Paths to the public data bundled with graphkit (examples/data in the repository)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

OPENFLIGHTS = "openflights"
MEMBERSHIP = "optd/optd_airline_alliance_membership.csv"
SEGMENTS = "optd/optd_airline_segs_mthly_201708.csv.bz2"
OPTD_AIRLINES = "optd/optd_airlines.csv"
# OpenFlights routes are a June 2014 snapshot: alliance membership is taken on this date.
ROUTES_DATE = "2014-06-30"


def bundled(relative: str) -> Path:
    """Filesystem path of a bundled data file or folder."""
    root = resources.files("graphkit.data")
    path = Path(str(root / relative.split("/")[0])).joinpath(*relative.split("/")[1:])
    if not path.exists():
        raise FileNotFoundError(f"bundled data missing: {relative} (reinstall graphkit)")
    return path
