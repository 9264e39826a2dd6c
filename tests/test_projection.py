"""Projection and time filters on a hand-made deal set with known answers."""

import pandas as pd
import pytest

from graphkit.errors import InputError
from graphkit.loaders.deals import deals_from_frame
from graphkit.projection import partner_graph

DEALS = pd.DataFrame(
    {
        "Deal Number": ["1", "1", "1", "2", "2", "3", "3", "4", "4"],
        "Participants": ["A", "B", "C", "A", "B", "C", "D", "A", "D"],
        "Date Announced": ["2001-03-01"] * 3 + ["2008-01-01"] * 2 + ["2009-06-01"] * 2
        + ["2003-01-01"] * 2,
        "Date Terminated": [None] * 3 + [None] * 2 + [None] * 2 + ["2005-12-31"] * 2,
        "Deal Type": ["Joint Venture"] * 3 + ["Licensing"] * 2 + ["Strategic Alliance"] * 2
        + ["Licensing"] * 2,
        "Status": ["Completed"] * 7 + ["Terminated"] * 2,
    }
)


@pytest.fixture(scope="module")
def data():
    return deals_from_frame(DEALS)


def edges(graph):
    return {tuple(sorted((u, v))): d for u, v, d in graph.edges(data=True)}


def test_k_participants_give_k_choose_2_ties(data):
    graph = partner_graph(data)
    ties = edges(graph)
    assert set(ties) == {("a", "b"), ("a", "c"), ("b", "c"), ("c", "d"), ("a", "d")}
    assert ties[("a", "b")]["deals"] == 2
    assert ties[("a", "b")]["weight"] == 2.0
    assert sorted(ties[("a", "b")]["deal_ids"]) == ["1", "2"]
    assert ties[("a", "b")]["types"] == ["Joint Venture", "Licensing"]
    assert (ties[("a", "b")]["first_year"], ties[("a", "b")]["last_year"]) == (2001, 2008)
    assert graph.nodes["a"]["name"] == "A"


def test_as_of_keeps_deals_in_force(data):
    ties = edges(partner_graph(data, as_of=pd.Timestamp("2004-01-01")))
    # deal 1 (2001) and deal 4 (2003, ended 2005) are in force; 2 and 3 are later.
    assert set(ties) == {("a", "b"), ("a", "c"), ("b", "c"), ("a", "d")}
    ties = edges(partner_graph(data, as_of=pd.Timestamp("2006-01-01")))
    assert ("a", "d") not in ties  # ended 2005-12-31


def test_window_lets_old_deals_lapse(data):
    graph = partner_graph(data, as_of=pd.Timestamp("2010-01-01"), window=5)
    ties = edges(graph)
    # 5 years to 2010-01-01: deals 2 (2008) and 3 (2009) only.
    assert set(ties) == {("a", "b"), ("c", "d")}
    assert ties[("a", "b")]["deals"] == 1
    assert graph.graph["deals_left_out"] == {
        "ended before the date": 1, "announced more than 5 years before the date": 1}


def test_window_alone_ends_at_latest_date(data):
    graph = partner_graph(data, window=2)
    assert graph.graph["as_of"] == "2009-06-01"
    assert set(edges(graph)) == {("a", "b"), ("c", "d")}


def test_type_and_status_filters(data):
    assert set(edges(partner_graph(data, types=["licensing"]))) == {("a", "b"), ("a", "d")}
    assert set(edges(partner_graph(data, statuses=["terminated"]))) == {("a", "d")}


def test_bad_window():
    with pytest.raises(InputError):
        partner_graph(deals_from_frame(DEALS), window=0)


# Boundary rules (graphkit.projection's docstring), each with a deal exactly on it.
BOUNDS = pd.DataFrame({
    "Deal Number": ["on", "on", "start", "start", "after", "after", "ends", "ends",
                    "ended", "ended", "late", "late"],
    "Participants": ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L"],
    "Date Announced": ["2014-06-30"] * 2 + ["2010-06-30"] * 2 + ["2010-07-01"] * 2
    + ["2012-01-01"] * 2 + ["2012-01-01"] * 2 + ["2014-07-01"] * 2,
    "Date Terminated": [None] * 6 + ["2014-06-30"] * 2 + ["2014-06-29"] * 2 + [None] * 2,
})


def test_boundaries_are_exactly_as_documented():
    data = deals_from_frame(BOUNDS)
    graph = partner_graph(data, as_of=pd.Timestamp("2014-06-30"), window=4)
    pairs = {tuple(sorted(e)) for e in graph.edges}
    # announced on the as-of date: in; ending on it: still in force; ended the day before
    # and announced the day after: out
    assert ("a", "b") in pairs and ("g", "h") in pairs
    assert ("i", "j") not in pairs and ("k", "l") not in pairs
    # 4 calendar years before 2014-06-30 is 2010-06-30, an exclusive start: 2010-06-30 is
    # out, 2010-07-01 in. (4 * 365 days would start on 2010-07-01 and leave that deal out;
    # an inclusive start would keep C-D.)
    assert ("c", "d") not in pairs and ("e", "f") in pairs
    assert graph.graph["deals_left_out"] == {
        "announced after the date": 1, "ended before the date": 1,
        "announced more than 4 years before the date": 1}


def test_partial_dates_start_and_end_their_periods():
    frame = pd.DataFrame({
        "Deal Number": ["y", "y", "q", "q"],
        "Participants": ["A", "B", "C", "D"],
        "Date Announced": ["2014", "2014", "Q3 2014", "Q3 2014"],
        "Date Terminated": ["2014", "2014", None, None],
    })
    data = deals_from_frame(frame)
    assert data.deals.loc["y", "announced"] == pd.Timestamp("2014-01-01")
    assert data.deals.loc["y", "ended"] == pd.Timestamp("2014-12-31")  # end of its year
    assert data.deals.loc["q", "announced"] == pd.Timestamp("2014-07-01")
    assert data.deals.loc["q", "announced_precision"] == "quarter"
    # a deal known only to 2014 may have been in force on 2014-12-31: it counts
    graph = partner_graph(data, as_of=pd.Timestamp("2014-12-31"))
    assert {tuple(sorted(e)) for e in graph.edges} == {("a", "b"), ("c", "d")}


def test_whole_year_windows_keep_whole_calendar_years():
    from graphkit.projection import select_window_start

    frame = pd.DataFrame({"Deal Number": ["y", "y", "j", "j", "d", "d"],
                          "Participants": ["A", "B", "C", "D", "E", "F"],
                          "Date Announced": ["2019", "2019", "2019-01-01", "2019-01-01",
                                             "2018-12-31", "2018-12-31"]})
    data = deals_from_frame(frame)
    graph = partner_graph(data, as_of=pd.Timestamp("2020-12-31"), window=2)
    # two years to 2020-12-31 are 2019 and 2020: a deal known only to 2019 counts
    assert {tuple(sorted(e)) for e in graph.edges} == {("a", "b"), ("c", "d")}
    # a fraction of a year is 365.2425 days a year: 1.5 years = round(547.86) = 548 days
    assert select_window_start(pd.Timestamp("2020-12-31"), 1.5) == pd.Timestamp("2019-07-02")
