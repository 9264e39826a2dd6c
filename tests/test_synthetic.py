"""The synthetic SDC-style generator: seeded, heavy-tailed, loadable."""

import pandas as pd

from graphkit.loaders.deals import deals_from_frame
from graphkit.projection import tie_table
from graphkit.synthetic import synthetic_deals


def test_seeded_and_heavy_tailed():
    a = synthetic_deals(5000, seed=4)
    b = synthetic_deals(5000, seed=4)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(synthetic_deals(5000, seed=5))
    activity = a.groupby("Participants").size()
    assert activity.max() > 100  # a few organisations in very many deals
    assert (activity <= 2).mean() > 0.5  # most in one or two
    assert a["Deal Number"].nunique() == 5000


def test_loads_like_an_sdc_export():
    frame = synthetic_deals(2000, seed=1)
    data = deals_from_frame(frame)
    assert len(data.deals) <= 2000  # deals whose draws repeat one organisation may drop
    ties = tie_table(data)
    assert (ties["deals"] >= 1).all() and ties["first_year"].min() >= 1990
