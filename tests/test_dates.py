"""Date cells as real exports write them: full, partial and placeholder forms."""

import pandas as pd
import pytest

from graphkit.dates import parse_dates

T = pd.Timestamp


@pytest.mark.parametrize(("cell", "first", "last", "precision"), [
    ("2014-06-30", "2014-06-30", "2014-06-30", "day"),
    ("06/30/2014", "2014-06-30", "2014-06-30", "day"),
    ("30 June 2014", "2014-06-30", "2014-06-30", "day"),
    ("2014", "2014-01-01", "2014-12-31", "year"),
    ("2014-06", "2014-06-01", "2014-06-30", "month"),
    ("06/2014", "2014-06-01", "2014-06-30", "month"),
    ("June 2014", "2014-06-01", "2014-06-30", "month"),
    ("Jun-2014", "2014-06-01", "2014-06-30", "month"),
    ("Sept 2014", "2014-09-01", "2014-09-30", "month"),
    ("2014 June", "2014-06-01", "2014-06-30", "month"),
    ("Q3 2014", "2014-07-01", "2014-09-30", "quarter"),
    ("2014 Q4", "2014-10-01", "2014-12-31", "quarter"),
    ("3Q 2014", "2014-07-01", "2014-09-30", "quarter"),
    ("second quarter of 2014", "2014-04-01", "2014-06-30", "quarter"),
    ("2014-??-??", "2014-01-01", "2014-12-31", "year"),
    ("2014-00-00", "2014-01-01", "2014-12-31", "year"),
    ("2014-06-??", "2014-06-01", "2014-06-30", "month"),
    ("--/--/2014", "2014-01-01", "2014-12-31", "year"),
    ("[ ]/[ ]/2014", "2014-01-01", "2014-12-31", "year"),
    ("xx/xx/2014", "2014-01-01", "2014-12-31", "year"),
    ("06/??/2014", "2014-06-01", "2014-06-30", "month"),
    (2014.0, "2014-01-01", "2014-12-31", "year"),  # a year read from Excel
])
def test_full_and_partial_dates(cell, first, last, precision):
    values = pd.Series([cell], dtype=object)
    start, bad, level = parse_dates(values)
    end, _, _ = parse_dates(values, period_end=True)
    assert not bad.iloc[0]
    assert (start.iloc[0], end.iloc[0], level.iloc[0]) == (T(first), T(last), precision)


@pytest.mark.parametrize("cell", ["soon", "sometime 2021?", "2014-13", "Q5 2014", "13/45/2014"])
def test_what_cannot_be_placed_is_bad(cell):
    dates, bad, level = parse_dates(pd.Series([cell], dtype=object))
    assert bad.iloc[0] and dates.isna().iloc[0] and level.iloc[0] is None


def test_day_first_placeholders_need_dayfirst():
    values = pd.Series(["??/06/2014"], dtype=object)
    assert parse_dates(values)[1].iloc[0]  # month first: the month is unknown -> bad
    dates, bad, level = parse_dates(values, dayfirst=True)
    assert not bad.iloc[0] and dates.iloc[0] == T("2014-06-01") and level.iloc[0] == "month"
