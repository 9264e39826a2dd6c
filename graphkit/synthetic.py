"""Seeded synthetic SDC-style deal tables for benchmarks and examples.

Activity is heavy-tailed: organisations are drawn with Zipf weights, so a few take part in
thousands of deals and most in one or two. Deal sizes follow SDC alliance data roughly:
mostly two participants, some consortia of up to twelve.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TYPES = ["Strategic Alliance", "Joint Venture", "Licensing", "Marketing Agreement",
         "Research and Development", "Supply Agreement"]
TYPE_SHARES = [0.40, 0.20, 0.15, 0.10, 0.10, 0.05]
NATIONS = ["United States", "Japan", "Germany", "United Kingdom", "France", "China",
           "South Korea", "Canada", "India", "Brazil"]
SIZES = np.arange(2, 13)
SIZE_SHARES = np.array([0.52, 0.2, 0.1, 0.06, 0.04, 0.03, 0.02, 0.01, 0.01, 0.005, 0.005])


def synthetic_deals(n_deals: int, *, seed: int = 0, pool: int | None = None,
                    exponent: float = 1.09, first_year: int = 1990,
                    last_year: int = 2020) -> pd.DataFrame:
    """A long-format deals table (one row per deal and participant), SDC headers.

    With the defaults, 100,000 deals involve about 27,000 organisations and project to
    about 250,000 ties.
    """
    rng = np.random.default_rng(seed)
    pool = pool or max(10, int(n_deals * 0.46))
    weights = 1.0 / np.arange(1, pool + 1) ** exponent
    weights /= weights.sum()
    sizes = rng.choice(SIZES, size=n_deals, p=SIZE_SHARES / SIZE_SHARES.sum())
    deal_of_row = np.repeat(np.arange(n_deals), sizes)
    orgs = rng.choice(pool, size=len(deal_of_row), p=weights)
    # Shuffle identities so that org number does not reveal activity.
    orgs = rng.permutation(pool)[orgs]
    frame = pd.DataFrame({"deal": deal_of_row, "org": orgs}).drop_duplicates()
    days = (pd.Timestamp(f"{last_year}-12-31") - pd.Timestamp(f"{first_year}-01-01")).days
    announced = pd.Timestamp(f"{first_year}-01-01") + pd.to_timedelta(
        rng.integers(0, days + 1, size=n_deals), unit="D")
    deal_type = rng.choice(len(TYPES), size=n_deals, p=TYPE_SHARES)
    status = rng.choice(2, size=n_deals, p=[0.85, 0.15])
    nation = rng.integers(0, len(NATIONS), size=pool)
    d = frame["deal"].to_numpy()
    o = frame["org"].to_numpy()
    return pd.DataFrame({
        "Deal Number": (d + 1).astype(str),
        "Date Announced": announced[d].strftime("%Y-%m-%d"),
        "Participants": np.char.add("Org ", np.char.zfill(o.astype(str), 7)),
        "Participant Nation": np.asarray(NATIONS)[nation[o]],
        "Deal Type": np.asarray(TYPES)[deal_type[d]],
        "Status": np.asarray(["Completed", "Terminated"])[status[d]],
    })
