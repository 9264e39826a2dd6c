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
    # The loader keeps exactly the deals with two distinct participants, and every
    # participant row of them (counted here from the frame, independently of the loader).
    sizes = frame.drop_duplicates(["Deal Number", "Participants"]).groupby("Deal Number").size()
    assert len(data.deals) == int((sizes >= 2).sum())
    assert len(data.participants) == int(sizes[sizes >= 2].sum())
    ties = tie_table(data)
    # k participants give k(k-1)/2 deal-ties; their sum is the ties' deal counts
    assert int(ties["deals"].sum()) == int((sizes * (sizes - 1) // 2).sum())
    dates = pd.to_datetime(frame.groupby("Deal Number")["Date Announced"].first())
    assert ties["first_year"].min() == dates[sizes[sizes >= 2].index].dt.year.min()
    assert data.deals["type"].value_counts().to_dict() == frame.drop_duplicates(
        "Deal Number").set_index("Deal Number").loc[data.deals.index, "Deal Type"] \
        .value_counts().to_dict()
