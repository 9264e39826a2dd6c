"""Per-organisation route footprint counts from the routes table."""

from __future__ import annotations

import pandas as pd


def route_counts(routes: pd.DataFrame) -> pd.DataFrame:
    """Per organisation: routes, distinct markets, codeshare routes, operated routes."""
    if routes.empty:
        return pd.DataFrame(columns=["routes", "markets", "codeshare_routes", "operated_routes"])
    grouped = routes.groupby("org_id")
    out = pd.DataFrame(
        {
            "routes": grouped.size(),
            "markets": grouped["market"].nunique(),
            "codeshare_routes": grouped["codeshare"].sum().astype(int),
        }
    )
    out["operated_routes"] = out["routes"] - out["codeshare_routes"]
    return out
